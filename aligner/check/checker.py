"""Check that every quotation and attribution of an English article survived its translation.

Pure: a parsed ``Article`` and the translation's text in, a frozen ``CheckReport`` out. The
alignment (``align.py``) says where each quotation went; the checks say whether it is still a
direct quotation, with the same boundaries (``check_boundary``, ``check_edges``), speaker, speech
verb and names (``check_people``), numbers, whether the translation invents quotations, and
whether each indirect attribution kept its source and numbers (``check_extra``). This module
runs them in order and summarises; the records and thresholds live in ``check_records`` and are
re-exported here. Every threshold is a named constant and goes into the report signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.align.quotes import QuoteAlignment, align
from aligner.article.records import Article, Quote, QuoteKind
from aligner.check.boundary import UNRENDERED_WORDS, check_boundary, check_presence
from aligner.check.context import (
    CheckContext,
    Found,
    attribution_window,
    build_context,
    find_person,
    narration_spans,
    soften,
)
from aligner.check.extra import check_attribution, check_numbers, check_untranslated, find_extra_quotes
from aligner.check.people import by_speech_verb, check_names, check_speaker, check_verb
from aligner.check.records import (
    ATTRIBUTION_TAIL_LETTERS,
    CHECKS,
    DROPPED_RATIO,
    EDGE_CHARS,
    FRAME_CHARS,
    GAP_LETTERS,
    INVENTED_MIN_WORDS,
    KO_SUBJECT_LETTERS,
    LENGTH_HIGH_ERROR,
    LENGTH_HIGH_WARNING,
    LENGTH_LOW_WARNING,
    LENGTH_SLACK_CHARS,
    NARRATION_SHRUNK,
    NARRATION_SLACK_CHARS,
    PART_LOW_ERROR,
    QUOTE_RATIO_RANGE,
    QUOTE_RATIO_WINDOW,
    SEVERITY_RANK,
    SUBJECT_DISTANCE,
    TERM_MAX_WORDS,
    UNTRANSLATED_MIN_WORDS,
    VERB_DISTANCE,
    AttributionResult,
    CheckReport,
    ExtraQuote,
    Finding,
    QuoteResult,
    Severity,
    Status,
    Summary,
    length_cuts_signature,
)
from aligner.errors import DependencyMissingError
from aligner.lang.lexicon import signature as lexicon_signature
from aligner.lang.names import Glossary, default_glossary
from aligner.spans import Span
from aligner.version import __version__

__all__ = [
    "ATTRIBUTION_TAIL_LETTERS",
    "CHECKS",
    "DROPPED_RATIO",
    "EDGE_CHARS",
    "FRAME_CHARS",
    "GAP_LETTERS",
    "INVENTED_MIN_WORDS",
    "KO_SUBJECT_LETTERS",
    "LENGTH_HIGH_ERROR",
    "LENGTH_HIGH_WARNING",
    "LENGTH_LOW_WARNING",
    "LENGTH_SLACK_CHARS",
    "NARRATION_SHRUNK",
    "NARRATION_SLACK_CHARS",
    "PART_LOW_ERROR",
    "QUOTE_RATIO_RANGE",
    "QUOTE_RATIO_WINDOW",
    "SUBJECT_DISTANCE",
    "TERM_MAX_WORDS",
    "UNTRANSLATED_MIN_WORDS",
    "VERB_DISTANCE",
    "AttributionResult",
    "CheckReport",
    "ExtraQuote",
    "Finding",
    "QuoteResult",
    "Severity",
    "Status",
    "Summary",
    "check_translation",
    "exit_status",
    "signature",
    "summarise",
    "worst_severity",
]


def worst_severity(report: CheckReport) -> Severity | None:
    """Return the most severe finding's severity, or None when there is no finding."""
    found = report.findings()
    return max((f.severity for f in found), key=SEVERITY_RANK.__getitem__) if found else None


def exit_status(report: CheckReport, fail_on: str = "error") -> int:
    """Return the exit status for ``--fail-on``: 1 when a finding is at or above it, else 0.

    Args:
        report: The check report.
        fail_on: ``"error"``, ``"warning"`` or ``"never"``.

    Raises:
        ValueError: For any other ``fail_on``.
    """
    if fail_on == "never":
        return 0
    if fail_on not in ("error", "warning"):
        raise ValueError(f"fail_on must be error, warning or never, not {fail_on!r}")
    worst = worst_severity(report)
    return int(worst is not None and SEVERITY_RANK[worst] >= SEVERITY_RANK[Severity(fail_on)])


def signature(chrf_signature: str | None = None, glossary: Glossary | None = None) -> str:
    """Return the signature of the checks: version, checks, thresholds, the glossary (where it came
    from and a hash of its entries), and chrF's when used."""
    fields = [
        f"checks:{','.join(CHECKS)}",
        f"len:{LENGTH_LOW_WARNING}/{LENGTH_HIGH_WARNING}/{LENGTH_HIGH_ERROR}+{LENGTH_SLACK_CHARS}",
        f"qratio:{QUOTE_RATIO_RANGE[0]}-{QUOTE_RATIO_RANGE[1]}@{QUOTE_RATIO_WINDOW}",
        f"narr:{NARRATION_SHRUNK}+{NARRATION_SLACK_CHARS}",
        f"dropped:{DROPPED_RATIO}",
        length_cuts_signature(),
        lexicon_signature(),
        f"part:{PART_LOW_ERROR}",
        f"unrendered:{UNRENDERED_WORDS}",
        f"edge:{EDGE_CHARS}/{ATTRIBUTION_TAIL_LETTERS}/{FRAME_CHARS}/{KO_SUBJECT_LETTERS}",
        f"gap:{GAP_LETTERS}",
        f"term:{TERM_MAX_WORDS}",
        f"invented:{INVENTED_MIN_WORDS}",
        f"untranslated:{UNTRANSLATED_MIN_WORDS}",
        (default_glossary() if glossary is None else glossary).signature(),
    ]
    if chrf_signature:  # sacrebleu's own signature, kept whole but with its separators nested
        fields.append(f"chrf:sacrebleu({chrf_signature.replace('|', ',')})")
    return "|".join([*fields, f"version:{__version__}"])


# --- one quotation -----------------------------------------------------------------------------


def _sharing(ctx: CheckContext, qa: QuoteAlignment) -> list[Quote]:
    """Return the source quotations that share this alignment's target parts (a merge)."""
    return [ctx.article.quotes[k] for k in ctx.sharing.get(qa.target_parts, ())] if qa.target_parts else []


def _inserts(ctx: CheckContext, qa: QuoteAlignment) -> list[Span]:
    return [i for t in qa.target_quotes for i in ctx.target_quotes[t].inserts]


def _check_quote(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> QuoteResult:
    findings: list[Finding]
    target_speaker = target_verb = None
    if qa.target is None:
        findings = check_presence(ctx, quote, qa)
        pieces = narration_spans(ctx, qa.region)
        if quote.speaker is not None and pieces:
            target_speaker = (
                find_person(ctx, quote.speaker.person or "", pieces) if quote.speaker.person else None
            )
    else:
        sharing = _sharing(ctx, qa)
        pieces = attribution_window(ctx, quote, qa.target_parts, _inserts(ctx, qa))
        speaker_findings, target_speaker = check_speaker(ctx, quote, pieces, qa.target_parts)
        verb_findings, target_verb = check_verb(ctx, quote, qa.target_parts, pieces)
        findings = [
            *check_boundary(ctx, sharing, qa, Found(target_speaker, target_verb)),
            *speaker_findings,
            *verb_findings,
            *check_numbers(ctx, sharing, qa),
            *check_names(ctx, quote, qa.target_parts),
            *check_untranslated(ctx, quote.parts, qa.target_parts, "quotation"),
        ]
        if quote.kind is QuoteKind.TERM:
            findings = [soften(f) for f in findings]
    return QuoteResult(
        id=quote.id,
        kind=quote.kind,
        source_span=quote.span,
        source_parts=quote.parts,
        target_span=qa.target,
        target_parts=qa.target_parts,
        speaker=quote.speaker.span if quote.speaker else None,
        target_speaker=target_speaker,
        verb=quote.verb.span if quote.verb else None,
        target_verb=target_verb,
        status=_status(quote, qa, findings),
        score=_score(qa, findings),
        confidence=qa.confidence,
        method=qa.method,
        findings=tuple(findings),
    )


def _continued_speakers(ctx: CheckContext, results: tuple[QuoteResult, ...]) -> tuple[QuoteResult, ...]:
    """A quotation that continues the words of the one right before it (no attribution of its own
    in the source, that one has its own) is credited where that one is: when the translation
    credits that one to someone else, so it does this one, unless a speech verb by the speaker's
    own name attributes this one anew. (A mention of the speaker in the narration after it,
    "로스 이전에는 …", credits nothing.) Only one step: in fiction a run of unattributed lines is
    often a dialogue, whose speakers the source's continuation rule cannot tell."""
    out = list(results)
    quotes = ctx.article.quotes
    for i in range(1, len(quotes)):
        quote, before = quotes[i], quotes[i - 1]
        if not (quote.speaker and quote.speaker.inherited and before.speaker) or out[i].target_span is None:
            continue
        if before.speaker.inherited or before.speaker.span != quote.speaker.span:
            continue
        wrong = _speaker_errors(out[i - 1].findings)
        own = out[i].target_speaker
        if not wrong or _speaker_errors(out[i].findings):
            continue
        if own is not None and by_speech_verb(ctx, own):
            continue
        finding = replace(wrong[0], message=f"{wrong[0].message} (it continues the quotation before it)")
        findings = (*out[i].findings, finding)
        score = _score(ctx.alignment.quotes[i], findings)
        out[i] = replace(
            out[i], findings=findings, status=Status.ALTERED, score=score, target_speaker=wrong[0].target_span
        )
    return tuple(out)


def _speaker_errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.check == "speaker" and f.severity is Severity.ERROR]


def _status(quote: Quote, qa: QuoteAlignment, findings: Sequence[Finding]) -> Status:
    if qa.target is None and quote.kind is not QuoteKind.TERM:
        return Status.MISSING
    return Status.ALTERED if any(f.severity is Severity.ERROR for f in findings) else Status.OK


def _score(qa: QuoteAlignment, findings: Sequence[Finding]) -> float:
    """Return 1 for a clean quotation, less a half per error and a tenth per warning, 0 when gone."""
    if qa.target is None and any(f.severity is Severity.ERROR for f in findings):
        return 0.0
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    return round(max(0.0, 1.0 - 0.5 * errors - 0.1 * warnings), 3)


# --- the report --------------------------------------------------------------------------------


def summarise(
    quotes: Sequence[QuoteResult], extras: Sequence[ExtraQuote], attributions: Sequence[AttributionResult]
) -> Summary:
    """Return the counts and overall score of a report's results."""
    findings = [f for q in quotes for f in q.findings] + [f for e in extras for f in e.findings]
    findings += [f for a in attributions for f in a.findings]
    scores = [q.score for q in quotes] + [0.0 if a.status is not Status.OK else 1.0 for a in attributions]
    invented = sum(any(f.severity is Severity.ERROR for f in e.findings) for e in extras)
    overall = (sum(scores) / len(scores)) if scores else 1.0
    overall *= 1.0 / (1.0 + 0.5 * invented)
    return Summary(
        quotes=len(quotes),
        ok=sum(q.status is Status.OK for q in quotes),
        altered=sum(q.status is Status.ALTERED for q in quotes),
        missing=sum(q.status is Status.MISSING for q in quotes),
        extra_quotes=len(extras),
        attributions=len(attributions),
        attributions_ok=sum(a.status is Status.OK for a in attributions),
        errors=sum(f.severity is Severity.ERROR for f in findings),
        warnings=sum(f.severity is Severity.WARNING for f in findings),
        infos=sum(f.severity is Severity.INFO for f in findings),
        score=round(overall, 3),
    )


def check_translation(
    article: Article,
    target_text: str,
    lang: str,
    *,
    glossary: Glossary | None = None,
    reference_text: str | None = None,
) -> CheckReport:
    """Align a translation with its parsed source and check every quotation and attribution.

    Args:
        article: The parsed English article.
        target_text: The whole translation.
        lang: ``"ko"`` or ``"uk"``.
        glossary: Fixed renderings of names (the built-in glossary when None).
        reference_text: A reference translation; adds a per-quotation chrF against it.

    Returns:
        The report: one result per source quotation and attribution, the invented quotations,
        a summary, the alignment, and the signature of the checks.

    Raises:
        ValueError: If ``lang`` is not ``"ko"`` or ``"uk"``.
        DependencyMissingError: If ``reference_text`` is given and sacrebleu is not installed.
    """
    if lang not in ("ko", "uk"):
        raise ValueError(f"unsupported target language {lang!r}; expected ko or uk")
    alignment = align(article, target_text, lang)
    ctx = build_context(article, alignment, glossary)
    quotes = tuple(_check_quote(ctx, q, qa) for q, qa in zip(article.quotes, alignment.quotes, strict=True))
    quotes = _continued_speakers(ctx, quotes)
    chrf_signature = None
    if reference_text is not None:
        quotes, chrf_signature = _with_chrf(article, quotes, target_text, reference_text, lang)
    extras = find_extra_quotes(ctx)
    attributions = tuple(check_attribution(ctx, a) for a in article.attributions)
    return CheckReport(
        article=article,
        lang=lang,
        alignment=alignment,
        quotes=quotes,
        extra_quotes=extras,
        attributions=attributions,
        summary=summarise(quotes, extras, attributions),
        signature=signature(chrf_signature, glossary),
    )


def _with_chrf(
    article: Article, quotes: tuple[QuoteResult, ...], target_text: str, reference_text: str, lang: str
) -> tuple[tuple[QuoteResult, ...], str]:
    """Score each quotation with sentence chrF against the reference translation's quotation.

    A quotation missing from either side gets a null chrF; the signature is given even when no
    quotation was scored (one reference each, as every sentence score has).
    """
    try:
        from sacrebleu.metrics.chrf import CHRF
    except ImportError:  # pragma: no cover - sacrebleu is a dependency
        raise DependencyMissingError("--ref (chrF)", "pip install sacrebleu") from None
    metric = CHRF()
    # sacrebleu learns the reference count from the first score and cannot sign before it; each
    # quotation is scored against exactly one reference quotation.
    metric.num_refs = 1
    reference = align(article, reference_text, lang)
    by_id = {qa.quote_id: qa for qa in reference.quotes}
    scored = []
    for quote in quotes:
        ref = by_id[quote.id]
        value = None
        if quote.target_parts and ref.target_parts:
            hyp = " ".join(p.of(target_text) for p in quote.target_parts)
            refs = [" ".join(p.of(reference_text) for p in ref.target_parts)]
            value = round(metric.sentence_score(hyp, refs).score, 2)  # 0-100, as sacrebleu reports it
        scored.append(replace(quote, chrf=value))
    return tuple(scored), str(metric.get_signature())
