"""Render records to JSON-ready dicts and text tables: pure, no printing, no exits.

Spans are written as ``[start, end]``, the shape of the gold files.
"""

from __future__ import annotations

import json
from typing import Any

from aligner import __version__
from aligner.article import Article, Attribution, Quote, Speaker, SpeechVerb
from aligner.numbers import NumberMention

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


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


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
            f"speaker={who} ({person}) verb={verb} numbers={nums}\n     “{_clip(article.of(q.span), 100)}”"
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
    summary = f"{len(article.quotes)} quotations, {len(article.attributions)} attributions"
    return "\n".join([*lines, summary]) + "\n"
