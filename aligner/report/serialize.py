"""Render records to JSON-ready dicts and text tables: pure, no printing, no exits.

Spans are written as ``[start, end]``, the shape of the gold files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aligner.article.records import Article, Attribution, Quote, Speaker, SpeechVerb
from aligner.lang.numbers import NumberMention
from aligner.spans import Span
from aligner.textio import clip
from aligner.version import __version__

if TYPE_CHECKING:  # the check records are only read here; importing check at run time would
    # tie ``aligner quotes`` to every module the checks need
    from aligner.check.checker import AttributionResult, CheckReport, ExtraQuote, Finding, QuoteResult
    from aligner.check.fidelity import FidelityReport

QUOTES_SCHEMA = "aligner.quotes/1"


def _speaker(article: Article, speaker: Speaker | None) -> dict[str, Any] | None:
    if speaker is None:
        return None
    return {
        "text": article.of(speaker.span),
        "span": speaker.span.to_list(),
        "person": speaker.person,
        "pronoun": speaker.pronoun,
    }


def _verb(article: Article, verb: SpeechVerb | None) -> dict[str, Any] | None:
    if verb is None:
        return None
    return {
        "text": article.of(verb.span),
        "span": verb.span.to_list(),
        "lemma": verb.lemma,
        "class": verb.verb_class.value,
    }


def number_dict(text: str, number: NumberMention) -> dict[str, Any]:
    """Return the JSON shape of one number mention."""
    return {
        "text": number.span.of(text),
        "span": number.span.to_list(),
        "values": list(number.values),
        "percent": number.percent,
        "range": number.range,
    }


def quote_dict(article: Article, quote: Quote) -> dict[str, Any]:
    """Return the JSON shape of one quotation."""
    return {
        "id": quote.id,
        "kind": quote.kind.value,
        "text": article.of(quote.span),
        "span": quote.span.to_list(),
        "parts": [part.to_list() for part in quote.parts],
        "paragraph": quote.paragraph,
        "speaker": _speaker(article, quote.speaker),
        "verb": _verb(article, quote.verb),
        "numbers": [number_dict(article.text, n) for n in quote.numbers],
    }


def attribution_dict(article: Article, attribution: Attribution) -> dict[str, Any]:
    """Return the JSON shape of one indirect attribution."""
    return {
        "id": attribution.id,
        "kind": attribution.kind,
        "line": attribution.line,
        "source": _speaker(article, attribution.source),
        "verb": _verb(article, attribution.verb),
        "sentence_span": attribution.sentence.to_list(),
        "claim_span": attribution.claim.to_list(),
        "numbers": [number_dict(article.text, n) for n in attribution.numbers],
    }


def quotes_json(article: Article, source: str) -> str:
    """Return the ``aligner quotes --format json`` document."""
    doc = {
        "schema": QUOTES_SCHEMA,
        "signature": f"aligner:{__version__}",
        "source": source,
        "quotes": [quote_dict(article, q) for q in article.quotes],
        "attributions": [attribution_dict(article, a) for a in article.attributions],
        "people": [{"name": p.name, "mentions": [m.to_list() for m in p.mentions]} for p in article.people],
        "warnings": [{"line": w.line, "message": w.message} for w in article.warnings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def plural(count: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``, ``0 warnings`` (regular English plurals only)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def quotes_text(article: Article) -> str:
    """Return a readable listing of quotations and attributions for a terminal."""
    lines = []
    for q in article.quotes:
        who = article.of(q.speaker.span) if q.speaker else "-"
        person = q.speaker.person if q.speaker and q.speaker.person else "?"
        verb = f"{q.verb.lemma}/{q.verb.verb_class.value}" if q.verb else "-"
        nums = ", ".join(article.of(n.span) for n in q.numbers) or "-"
        lines.append(
            f"{q.id:<4} {q.kind.value:<8} [{q.span.start},{q.span.end}) "
            f"speaker={who} ({person}) verb={verb} numbers={nums}\n     “{clip(article.of(q.span), 100)}”"
        )
    for a in article.attributions:
        verb = a.verb.lemma if a.verb else "-"
        nums = ", ".join(article.of(n.span) for n in a.numbers) or "-"
        lines.append(
            f"{a.id:<4} {a.kind:<8} line {a.line} source={article.of(a.source.span)} "
            f"({a.source.person or '?'}) verb={verb} numbers={nums}"
        )
    for w in article.warnings:
        lines.append(f"warning: line {w.line}: {w.message}")
    summary = (
        f"{plural(len(article.quotes), 'quotation')}, {plural(len(article.attributions), 'attribution')}"
    )
    return "\n".join([*lines, summary]) + "\n"


# --- aligner check ------------------------------------------------------------------------------

# /2: ``chrf`` (with --ref) and the fidelity report's ``back_chrf`` and ``chrf_*`` thresholds are on
# 0-100, as sacrebleu, the OPUS-MT model cards and the registry print chrF (0-1 in /1).
CHECK_SCHEMA = "aligner.check/2"


def _spans(spans: Sequence[Span]) -> list[list[int]]:
    return [s.to_list() for s in spans]


def _opt(span: Span | None) -> list[int] | None:
    return None if span is None else span.to_list()


def _text_of(text: str, span: Span | None) -> str | None:
    return None if span is None else span.of(text)


def finding_dict(finding: Finding) -> dict[str, Any]:
    """Return the JSON shape of one finding."""
    return {
        "check": finding.check,
        "severity": finding.severity.value,
        "message": finding.message,
        "lqi_type": finding.lqi_type,
        "target_span": _opt(finding.target_span),
        "evidence": [
            {"what": e.what, "source_span": _opt(e.source), "target_span": _opt(e.target)}
            for e in finding.evidence
        ],
    }


def quote_result_dict(report: CheckReport, quote: QuoteResult) -> dict[str, Any]:
    """Return the JSON shape of one checked quotation."""
    source, target = report.article.text, report.target_text
    return {
        "id": quote.id,
        "kind": quote.kind.value,
        "source_span": quote.source_span.to_list(),
        "source_parts": _spans(quote.source_parts),
        "source_text": quote.source_span.of(source),
        "target_span": _opt(quote.target_span),
        "target_parts": _spans(quote.target_parts),
        "target_text": " … ".join(p.of(target) for p in quote.target_parts) or None,
        "speaker": _text_of(source, quote.speaker),
        "speaker_span": _opt(quote.speaker),
        "target_speaker": _text_of(target, quote.target_speaker),
        "target_speaker_span": _opt(quote.target_speaker),
        "verb": _text_of(source, quote.verb),
        "target_verb": _text_of(target, quote.target_verb),
        "target_verb_span": _opt(quote.target_verb),
        "status": quote.status.value,
        "score": quote.score,
        "confidence": quote.confidence,
        "method": quote.method,
        "chrf": quote.chrf,
        "findings": [finding_dict(f) for f in quote.findings],
    }


def _extra_dict(report: CheckReport, extra: ExtraQuote) -> dict[str, Any]:
    return {
        "target_span": extra.target_span.to_list(),
        "target_parts": _spans(extra.target_parts),
        "text": " … ".join(p.of(report.target_text) for p in extra.target_parts),
        "findings": [finding_dict(f) for f in extra.findings],
    }


def _attribution_result_dict(report: CheckReport, result: AttributionResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "kind": result.kind,
        "source_span": result.source_span.to_list(),
        "source_text": result.source_span.of(report.article.text),
        "sentence_span": result.sentence_span.to_list(),
        "target_span": _opt(result.target_span),
        "target_text": _text_of(report.target_text, result.target_span),
        "target_sentences": _spans(result.target_sentences),
        "status": result.status.value,
        "findings": [finding_dict(f) for f in result.findings],
    }


def _alignment_dict(report: CheckReport) -> dict[str, Any]:
    alignment = report.alignment
    target = alignment.target
    return {
        "length_ratio": round(alignment.ratio, 4),
        "source_paragraphs": [
            {"span": p.span.to_list(), "line": p.line, "sentences": _spans(p.sentences)}
            for p in report.article.paragraphs
        ],
        "target_paragraphs": [
            {"span": p.span.to_list(), "line": p.line, "sentences": _spans(p.sentences)}
            for p in target.paragraphs
        ],
        "sentence_pairs": [
            {"source": _spans(p.source), "target": _spans(p.target), "score": p.score}
            for p in alignment.sentences
        ],
        "target_quotes": [
            {
                "id": q.id,
                "span": q.span.to_list(),
                "parts": _spans(q.parts),
                "inserts": _spans(q.inserts),
                "marks": [q.opening, q.closing],
                "tail": q.tail,
                "single": q.single,
                "line": q.line,
            }
            for q in target.quotes
        ],
        "quote_pairs": [
            {"quote": qa.quote_id, "target_quotes": list(qa.target_quotes), "region": _spans(qa.region)}
            for qa in alignment.quotes
        ],
    }


def check_dict(report: CheckReport, source: str = "", translation: str = "") -> dict[str, Any]:
    """Return the ``aligner check --format json`` document as a dict."""
    summary = {**asdict(report.summary), "signature": report.signature}
    return {
        "schema": CHECK_SCHEMA,
        "signature": report.signature,
        "source": source,
        "translation": translation,
        "lang": report.lang,
        "quotes": [quote_result_dict(report, q) for q in report.quotes],
        "extra_quotes": [_extra_dict(report, e) for e in report.extra_quotes],
        "attributions": [_attribution_result_dict(report, a) for a in report.attributions],
        "summary": summary,
        "alignment": _alignment_dict(report),
    }


def check_json(report: CheckReport, source: str = "", translation: str = "") -> str:
    """Return the ``aligner check --format json`` document."""
    return json.dumps(check_dict(report, source, translation), ensure_ascii=False, indent=2) + "\n"


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    return [f"       {f.severity.value:<7} {f.check}: {f.message}" for f in findings]


# Translation units of a bilingual file (id, span of its target in the translation), in order.
UnitSpans = Sequence[tuple[str, Span]]


def unit_at(units: UnitSpans, span: Span | None) -> str | None:
    """Return the id of the unit whose target holds the start of ``span`` (None when none does)."""
    if span is None:
        return None
    return next((uid for uid, s in units if s.start <= span.start < max(s.end, s.start + 1)), None)


def mark_units(doc: dict[str, Any], report: CheckReport, units: UnitSpans) -> None:
    """Add a ``unit`` field (the bilingual file's unit id, or null) to the quotations, invented
    quotations, attributions and findings of a ``check_dict`` document."""
    rows: list[tuple[dict[str, Any], Span | None, tuple[Finding, ...]]] = [
        *((d, q.target_span, q.findings) for d, q in zip(doc["quotes"], report.quotes, strict=True)),
        *(
            (d, e.target_span, e.findings)
            for d, e in zip(doc["extra_quotes"], report.extra_quotes, strict=True)
        ),
        *(
            (d, a.target_span, a.findings)
            for d, a in zip(doc["attributions"], report.attributions, strict=True)
        ),
    ]
    for row, span, findings in rows:
        own = unit_at(units, span)
        row["unit"] = own
        for fdict, finding in zip(row["findings"], findings, strict=True):
            fdict["unit"] = unit_at(units, finding.target_span) or own


def _unit_label(units: UnitSpans, span: Span | None) -> str:
    uid = unit_at(units, span) if units else None
    return f"  [unit {uid}]" if uid else ""


def check_text(report: CheckReport, units: UnitSpans = ()) -> str:
    """Return a readable table of a check report for a terminal; with ``units`` (from a bilingual
    file) each quotation, invented quotation and attribution names its unit."""
    source, target = report.article.text, report.target_text
    scored = any(q.chrf is not None for q in report.quotes)  # with --ref: a chrF column (0-100)
    chrf_head = f" {'chrF':>5}" if scored else ""
    lines = [f"{'id':<4} {'status':<8} {'score':>5} {'conf':>5}{chrf_head}  {'method':<14} speaker -> target"]
    for q in report.quotes:
        who = f"{_text_of(source, q.speaker) or '-'} -> {_text_of(target, q.target_speaker) or '-'}"
        chrf = (f" {q.chrf:>5.1f}" if q.chrf is not None else f" {'-':>5}") if scored else ""
        lines.append(
            f"{q.id:<4} {q.status.value:<8} {q.score:>5.2f} {q.confidence:>5.2f}{chrf}  {q.method:<14} {who}"
            + _unit_label(units, q.target_span)
        )
        rendered = " … ".join(p.of(target) for p in q.target_parts)
        lines.append(f"     en “{clip(q.source_span.of(source), 90)}”")
        lines.append(
            f"     {report.lang} “{clip(rendered, 90)}”" if rendered else f"     {report.lang} (none)"
        )
        lines += _finding_lines(q.findings)
    for e in report.extra_quotes:
        lines.append(f"extra    “{clip(e.target_span.of(target), 90)}”" + _unit_label(units, e.target_span))
        lines += _finding_lines(e.findings)
    for a in report.attributions:
        who = f"{a.source_span.of(source)} -> {_text_of(target, a.target_span) or '-'}"
        lines.append(f"{a.id:<4} {a.status.value:<8} {a.kind:<14} {who}" + _unit_label(units, a.target_span))
        lines += _finding_lines(a.findings)
    s = report.summary
    lines.append(
        f"{plural(s.quotes, 'quotation')}: {s.ok} ok, {s.altered} altered, {s.missing} missing; "
        f"{s.extra_quotes} extra; "
        f"{plural(s.attributions, 'attribution')}: {s.attributions_ok} ok; "
        f"{plural(s.errors, 'error')}, {plural(s.warnings, 'warning')}; score {s.score:.2f}"
    )
    lines.append(f"signature: {report.signature}")
    return "\n".join(lines) + "\n"


def _rounded4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _percent(value: float | None) -> float | None:
    """A 0-1 chrF as printed: 0-100, two decimals."""
    return None if value is None else round(100 * value, 2)


def fidelity_dict(fidelity: FidelityReport) -> dict[str, Any]:
    """Return the JSON shape of a fidelity report (numbers rounded to 4 places; findings as in check)."""
    t = fidelity.thresholds
    return {
        "signature": fidelity.signature,
        "lang": fidelity.lang,
        "forward_model": asdict(fidelity.forward),
        "back_model": None if fidelity.back is None else asdict(fidelity.back),
        "chrf_signature": fidelity.chrf_signature,
        "thresholds": {  # chrf_* on 0-100 like back_chrf (0-1 in the thresholds TOML)
            **asdict(t),
            "chrf_error": _percent(t.chrf_error),
            "chrf_warning": _percent(t.chrf_warning),
            "models": list(t.models),
        },
        "thresholds_match": fidelity.thresholds_match,
        "quotes": [
            {
                "id": q.quote_id,
                "source_text": q.source_text,
                "target_text": q.target_text,
                "forced_logprob": _rounded4(q.forced_logprob),
                "own_translation": q.own_translation,
                "own_logprob": _rounded4(q.own_logprob),
                "margin": _rounded4(q.margin),
                "back_translation": q.back_translation,
                "back_chrf": _percent(q.back_chrf),
                "combined": _rounded4(q.combined),
                "fired": list(q.fired),
                "findings": [finding_dict(f) for f in q.findings],
            }
            for q in fidelity.quotes
        ],
    }
