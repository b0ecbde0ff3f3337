"""The checks beyond a quotation's shape: numbers, untranslated text, invented quotations
and indirect attributions.

Numbers are compared by value; a stretch with no letter of the target script was left in
English; a target quotation that renders no source quotation is a term, an added quotation or
invented speech; an indirect attribution must keep its source and its numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from aligner.align.quotes import QuoteAlignment, TargetQuote
from aligner.article.records import Attribution, Quote
from aligner.check.context import (
    WORDS,
    Context,
    clip,
    find_person,
    first_found,
    gap,
    narration_spans,
    touching,
)
from aligner.check.records import (
    INVENTED_MIN_WORDS,
    TERM_MAX_WORDS,
    UNTRANSLATED_MIN_WORDS,
    VERB_DISTANCE,
    AttributionResult,
    ExtraQuote,
    Finding,
    Severity,
    Status,
)
from aligner.lang.names import find_pronouns
from aligner.lang.numbers import NumberMention, compare_numbers, find_numbers
from aligner.lang.verbs import find_speech_verbs
from aligner.spans import Span, hull


def check_numbers(ctx: Context, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    """Compare the numbers inside the quotation by value. A number written in words on one side
    only ("five weeks" -> 오 주, "four days" -> 나흘) is a warning: words escape the number finder."""
    source: list[NumberMention] = [m for q in quotes for m in q.numbers]
    target = [m for p in qa.target_parts for m in find_numbers(ctx.text, ctx.lang, p)]
    diff = compare_numbers(source, target)
    if diff.ok:
        return []
    hard_missing = [v for v in diff.missing if not _spelled_only(source, v)]
    hard_extra = [v for v in diff.extra if not _spelled_only(target, v)]
    said = []
    if diff.missing:
        said.append("missing " + ", ".join(_show(v) for v in diff.missing))
    if diff.extra:
        said.append("added " + ", ".join(_show(v) for v in diff.extra))
    severity = Severity.ERROR if hard_missing or hard_extra else Severity.WARNING
    message = f"numbers in the quotation differ: {'; '.join(said)}"
    return [Finding("numbers", severity, message, "numbers", qa.target)]


def _spelled_only(mentions: Sequence[NumberMention], value: float) -> bool:
    """Return True when ``value`` is written only in words among ``mentions``."""
    written = [m.spelled for m in mentions if any(math.isclose(v, value) for v in m.values)]
    return bool(written) and all(written)


def _show(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


_SCRIPT = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "uk": re.compile(r"[\u0400-\u04ff]"),
}
_LETTERS = re.compile(r"[^\W\d_]")
_ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words a capitalised title leaves in lower case ("Lord of the Rings").
_TITLE_SMALL = frozenset("a an and as at by for from in into of on or the to vs with".split())


def check_untranslated(
    ctx: Context, source: Sequence[Span], target: Sequence[Span], what: str
) -> list[Finding]:
    """Flag a stretch the translation left in English: letters, none of the target script, while
    the source has ``UNTRANSLATED_MIN_WORDS`` words or more and is not a capitalised title."""
    if not target or any(_SCRIPT[ctx.lang].search(ctx.text, p.start, p.end) for p in target):
        return []
    if not any(_LETTERS.search(ctx.text, p.start, p.end) for p in target):
        return []
    words = [w for p in source for w in _ENGLISH_WORDS.findall(p.of(ctx.article.text))]
    content = [w for w in words if w.lower() not in _TITLE_SMALL]
    if len(words) < UNTRANSLATED_MIN_WORDS or all(w[0].isupper() for w in content):
        return []
    shown = clip(" … ".join(p.of(ctx.text) for p in target))
    script = "Hangul" if ctx.lang == "ko" else "Cyrillic"
    message = f"{what} “{shown}” is not translated (no {script} letters)"
    return [Finding("untranslated", Severity.ERROR, message, "untranslated", hull(list(target)))]


# --- invented quotations and attributions --------------------------------------------------------


def find_extra_quotes(ctx: Context) -> tuple[ExtraQuote, ...]:
    """Return the target quotations that render no source quotation, judged: a short quoted
    term is fine, a quotation with a speech verb next to it is invented speech."""
    used = {t for qa in ctx.alignment.quotes for t in qa.target_quotes}
    extras = []
    for tq in ctx.alignment.target.quotes:
        if tq.id in used:
            continue
        extras.append(ExtraQuote(tq.span, tq.parts, tuple(_judge_extra(ctx, tq))))
    return tuple(extras)


def _judge_extra(ctx: Context, tq: TargetQuote) -> list[Finding]:
    words = sum(len(WORDS.findall(p.of(ctx.text))) for p in tq.parts)
    pieces = narration_spans(ctx, touching(ctx.sentences, tq.parts), tq.inserts)
    # a verb is no nearer than its piece: look only in the pieces near enough
    close = [p for p in pieces if min(gap(p, q) for q in tq.parts) <= VERB_DISTANCE]
    verbs = [v for p in close for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    near = [v for v in verbs if min(gap(v.span, p) for p in tq.parts) <= VERB_DISTANCE]
    shown = clip(tq.span.of(ctx.text))
    if words <= TERM_MAX_WORDS and not near:
        return []
    if words >= INVENTED_MIN_WORDS and near and not tq.single:
        message = f"quotation “{shown}” renders no quotation of the source (invented speech)"
        return [Finding("extra", Severity.ERROR, message, "addition", tq.span)]
    message = f"quoted “{shown}” has no quotation marks in the source"
    return [
        Finding(
            "extra",
            Severity.INFO if words <= TERM_MAX_WORDS else Severity.WARNING,
            message,
            "addition",
            tq.span,
        )
    ]


def check_attribution(ctx: Context, attribution: Attribution) -> AttributionResult:
    """Check that an indirect attribution names the same source, with the same numbers."""
    pair = ctx.alignment.pair_of(attribution.sentence)
    sentences: list[Span] = []
    if pair is not None:
        sentences = list(ctx.alignment.sentences[pair].target)
        if not sentences:
            near = [
                ctx.alignment.sentences[k].target
                for k in (pair - 1, pair + 1)
                if 0 <= k < len(ctx.alignment.sentences)
            ]
            sentences = [s for t in near for s in t]
    findings: list[Finding] = []
    found: Span | None = None
    shown = ctx.article.of(attribution.source.span)
    if not sentences:
        findings.append(
            Finding("attribution", Severity.ERROR, f"the sentence citing {shown} is missing", "omission")
        )
        status = Status.MISSING
    else:
        found = _attributed(ctx, attribution, sentences)
        if found is None:
            message = f"the source {shown} is not named in the translation of its sentence"
            findings.append(
                Finding("attribution", Severity.WARNING, message, "inconsistent-entities", hull(sentences))
            )
        findings += _attribution_numbers(ctx, attribution, sentences)
        findings += check_untranslated(ctx, [attribution.sentence], sentences, "the attributed sentence")
        status = Status.ALTERED if any(f.severity is Severity.ERROR for f in findings) else Status.OK
    return AttributionResult(
        id=attribution.id,
        kind=attribution.kind,
        source_span=attribution.source.span,
        sentence_span=attribution.sentence,
        target_span=found,
        target_sentences=tuple(sentences),
        status=status,
        findings=tuple(findings),
    )


def _attributed(ctx: Context, attribution: Attribution, sentences: Sequence[Span]) -> Span | None:
    source = attribution.source
    whole = [hull(list(sentences))]  # one look-up over the aligned sentences
    for name in dict.fromkeys((source.person, None if source.pronoun else ctx.article.of(source.span))):
        if name:
            found = find_person(ctx, name, whole)
            if found is not None:
                return found
    if source.pronoun or source.person:
        return first_found([next(iter(find_pronouns(ctx.text, ctx.lang, s)), None) for s in sentences])
    return None


def _attribution_numbers(ctx: Context, attribution: Attribution, sentences: Sequence[Span]) -> list[Finding]:
    """Compare the numbers of the attribution's sentence with those of its translation: a figure
    missing or changed is an error, one written in words only a warning."""
    source = list(find_numbers(ctx.article.text, "en", attribution.sentence))
    target = [m for s in sentences for m in find_numbers(ctx.text, ctx.lang, s)]
    diff = compare_numbers(source, target)
    if not diff.missing:
        return []
    hard = [v for v in diff.missing if not _spelled_only(source, v)]
    hard += [v for v in diff.extra if not _spelled_only(target, v)]  # a figure put in its place
    message = (
        f"numbers of the attributed sentence missing or changed: {', '.join(_show(v) for v in diff.missing)}"
    )
    severity = Severity.ERROR if hard else Severity.WARNING
    return [Finding("numbers", severity, message, "numbers", hull(list(sentences)))]
