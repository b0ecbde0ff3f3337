"""What every check of one report reads, and the helpers that look in the translation.

``CheckContext`` holds the article, the alignment and the segmented translation; the helpers measure
lengths and sentences, find the narration around a quotation, and look up people's names
(cached per report).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from aligner.align.quotes import Alignment, TargetQuote
from aligner.article.records import Article, Person, Quote, QuoteKind
from aligner.check.records import LENGTH_SLACK_CHARS, QUOTE_RATIO_RANGE, QUOTE_RATIO_WINDOW, Finding, Severity
from aligner.lang.names import Glossary, find_name
from aligner.spans import Span

# --- where to look in the translation ---------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'“”«»’)]|$)")
WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What every check of one report reads."""

    article: Article
    alignment: Alignment
    lang: str
    text: str
    glossary: Glossary | None
    marks: tuple[Span, ...]  # every target quotation part with its marks
    sentences: tuple[Span, ...]
    source_sentences: tuple[Span, ...]
    # (source start, quote ratio) of every source quotation, in order: see ``quote_ratio_at``
    quote_ratios: tuple[tuple[int, float], ...]
    # find_name answers by (name, region): the checks ask the same question several times
    names: dict[tuple[str, Span], Span | None] = field(default_factory=dict)
    # every mention of a person in the source as (start, end, index in article.people), sorted
    mentions: tuple[tuple[int, int, int], ...] = ()
    # ``marks`` sorted by start, and the furthest end of each prefix (binary search over them)
    sorted_marks: tuple[Span, ...] = ()
    mark_reach: tuple[int, ...] = ()
    # source quotation indices by their target parts (quotations merged into one share them)
    sharing: dict[tuple[Span, ...], tuple[int, ...]] = field(default_factory=dict)
    target_quotes: dict[str, TargetQuote] = field(default_factory=dict)
    # every source quotation part sorted by start, and the furthest end of each prefix
    source_parts: tuple[Span, ...] = ()
    source_part_reach: tuple[int, ...] = ()


def quoted_in_source(ctx: CheckContext, span: Span) -> bool:
    """Return True when ``span`` of the source stands inside a quotation's marks."""
    k = bisect_right(ctx.source_parts, span.start, key=lambda p: p.start) - 1
    return k >= 0 and ctx.source_part_reach[k] >= span.end


def build_context(article: Article, alignment: Alignment, glossary: Glossary | None) -> CheckContext:
    """Return the context of one report: the translation, its marks and sentences, and the ratios."""
    text = alignment.target.text
    marks = tuple(
        Span(max(0, p.start - 1), min(len(text), p.end + 1)) for q in alignment.target.quotes for p in q.parts
    )
    sorted_marks = tuple(sorted(marks))
    source_parts = tuple(sorted(p for q in article.quotes for p in q.parts))
    sharing: dict[tuple[Span, ...], tuple[int, ...]] = {}
    for k, qa in enumerate(alignment.quotes):
        if qa.target_parts:
            sharing[qa.target_parts] = (*sharing.get(qa.target_parts, ()), k)
    return CheckContext(
        article=article,
        alignment=alignment,
        lang=alignment.target.lang,
        text=text,
        glossary=glossary,
        marks=marks,
        sentences=alignment.target.sentences,
        source_sentences=tuple(s for p in article.paragraphs for s in p.sentences),
        quote_ratios=_quote_ratios(article, alignment),
        mentions=tuple(
            sorted((m.start, m.end, k) for k, person in enumerate(article.people) for m in person.mentions)
        ),
        sorted_marks=sorted_marks,
        mark_reach=tuple(itertools.accumulate((m.end for m in sorted_marks), max)),
        sharing=sharing,
        target_quotes={q.id: q for q in alignment.target.quotes},
        source_parts=source_parts,
        source_part_reach=tuple(itertools.accumulate((p.end for p in source_parts), max)),
    )


def length_ratio(target: int, source: int, doc_ratio: float) -> float:
    """Return a target length over the expected one, both with ``LENGTH_SLACK_CHARS`` of source
    text added (so a short quotation is not judged on a word)."""
    return (target / doc_ratio + LENGTH_SLACK_CHARS) / (source + LENGTH_SLACK_CHARS)


def _quote_ratios(article: Article, alignment: Alignment) -> tuple[tuple[int, float], ...]:
    """Return, for each source quotation, how much longer this translator renders the quotations
    around it than the document's length ratio says: the median over the direct quotations
    aligned one to one whose source starts within ``QUOTE_RATIO_WINDOW`` characters of this one's
    (1 with fewer than three), kept within ``QUOTE_RATIO_RANGE``. Local, so that a quotation's
    verdict does not change when unrelated text is added to the article."""
    samples = [
        (
            q.span.start,
            length_ratio(
                length(alignment.target.text, qa.target_parts), length(article.text, q.parts), alignment.ratio
            ),
        )
        for q, qa in zip(article.quotes, alignment.quotes, strict=True)
        if q.kind is QuoteKind.DIRECT and qa.method == "marks"
    ]
    starts = [start for start, _ in samples]
    low, high = QUOTE_RATIO_RANGE
    found = []
    for quote in article.quotes:
        lo = bisect_left(starts, quote.span.start - QUOTE_RATIO_WINDOW)
        hi = bisect_right(starts, quote.span.start + QUOTE_RATIO_WINDOW)
        ratios = sorted(ratio for _, ratio in samples[lo:hi])
        value = 1.0 if len(ratios) < 3 else min(high, max(low, ratios[len(ratios) // 2]))
        found.append((quote.span.start, value))
    return tuple(found)


def quote_ratio_at(ctx: CheckContext, pos: int) -> float:
    """Return the quote ratio (``_quote_ratios``) of the source quotation that holds ``pos``."""
    k = bisect_right(ctx.quote_ratios, pos, key=lambda e: e[0]) - 1
    return ctx.quote_ratios[k][1] if k >= 0 else 1.0


# A "sentence" longer than this (a hostile line of thousands of quotations and no sentence end;
# news sentences stay under 500 characters) is looked at only ``LONG_SENTENCE_REACH`` characters
# around the spans it is asked about, so that each quotation's checks stay local and their cost
# does not grow with the line.
LONG_SENTENCE = 2000
LONG_SENTENCE_REACH = 150


def touching(sentences: Sequence[Span], spans: Sequence[Span]) -> list[Span]:
    """Return the sentences that overlap any of ``spans``, in order (a sentence longer than
    ``LONG_SENTENCE`` cut to the part around the spans).

    ``sentences`` must be in text order and not overlap (as every sentence list of a context is):
    each span is looked up by binary search, so the cost does not grow with the article.
    """
    found: set[int] = set()
    for p in spans:
        k = bisect_left(sentences, p.start, key=lambda s: s.end)
        while k < len(sentences) and sentences[k].start <= p.end:
            s = sentences[k]
            if s.overlaps(p) or (p.start == p.end == s.start):
                found.add(k)
            k += 1
    touched = [sentences[k] for k in sorted(found)]
    if spans and any(len(s) > LONG_SENTENCE for s in touched):
        lo = min(p.start for p in spans) - LONG_SENTENCE_REACH
        hi = max(p.end for p in spans) + LONG_SENTENCE_REACH
        touched = [
            Span(max(s.start, lo), min(s.end, max(hi, lo))) if len(s) > LONG_SENTENCE else s for s in touched
        ]
    return touched


def people_inside(ctx: CheckContext, span: Span) -> list[Person]:
    """Return the people with a mention inside ``span`` of the source, in ``article.people`` order."""
    lo = bisect_left(ctx.mentions, (span.start, -1, -1))
    hi = bisect_right(ctx.mentions, (span.end, span.end, len(ctx.article.people)))
    inside = {k for start, end, k in ctx.mentions[lo:hi] if end <= span.end}
    return [ctx.article.people[k] for k in sorted(inside)]


def _subtract(span: Span, holes: Sequence[Span]) -> list[Span]:
    """Return the pieces of ``span`` outside every hole."""
    pieces, cursor = [], span.start
    for hole in sorted(h for h in holes if h.overlaps(span)):
        if hole.start > cursor:
            pieces.append(Span(cursor, hole.start))
        cursor = max(cursor, hole.end)
    if cursor < span.end:
        pieces.append(Span(cursor, span.end))
    return pieces


def marks_overlapping(ctx: CheckContext, span: Span) -> list[Span]:
    """Return the quotation marks' spans (``ctx.marks``) that overlap ``span``, by binary search."""
    lo = bisect_right(ctx.mark_reach, span.start)  # every mark before ends at or before span.start
    hi = bisect_left(ctx.sorted_marks, Span(span.end, span.end))
    return [m for m in ctx.sorted_marks[lo:hi] if m.overlaps(span)]


def mark_starts_in(ctx: CheckContext, start: int, end: int) -> bool:
    """Return True when a quotation's marks (``ctx.marks``) start in ``[start, end)``."""
    k = bisect_left(ctx.sorted_marks, Span(start, start))
    return k < len(ctx.sorted_marks) and ctx.sorted_marks[k].start < end


def sentence_at(sentences: Sequence[Span], pos: int) -> Span | None:
    """Return the sentence of ``sentences`` (in text order, not overlapping, as every sentence
    list of a context is) that holds offset ``pos``, or None; by binary search."""
    k = bisect_right(sentences, pos, key=lambda s: s.start) - 1
    return sentences[k] if k >= 0 and pos < sentences[k].end else None


def narration_spans(ctx: CheckContext, sentences: Sequence[Span], inserts: Sequence[Span] = ()) -> list[Span]:
    """Return the text of ``sentences`` outside every quotation, plus the dash inserts."""
    pieces = [piece for s in sentences for piece in _subtract(s, marks_overlapping(ctx, s))]
    return sorted([*pieces, *inserts])


def attribution_window(
    ctx: CheckContext, quote: Quote, parts: Sequence[Span], inserts: Sequence[Span]
) -> list[Span]:
    """Return the narration where a quotation's attribution should be: its own sentences, the
    sentences aligned with the source speaker's sentence, and, when the quotation stands alone in
    its sentences, the sentences before and after it."""
    sentences = touching(ctx.sentences, parts)
    if quote.speaker is not None:
        pair = ctx.alignment.pair_of(quote.speaker.span)
        if pair is not None:
            sentences += list(ctx.alignment.sentences[pair].target)
    narration = [
        p
        for p in narration_spans(ctx, sorted(set(sentences)), inserts)
        if WORDS.search(ctx.text, p.start, p.end)
    ]
    if narration or not sentences:
        return narration
    first, last = min(sentences), max(sentences)
    # the sentences are sorted: index() by binary search (and of a long sentence that was cut)
    index = bisect_right(ctx.sentences, first.start, key=lambda s: s.start) - 1
    after = bisect_right(ctx.sentences, last.start, key=lambda s: s.start)
    around = [ctx.sentences[k] for k in (index - 1, after) if 0 <= k < len(ctx.sentences)]
    return narration_spans(ctx, around)


def length(text: str, spans: Sequence[Span]) -> int:
    """Return the characters of ``spans`` in ``text``, spaces not counted."""
    return sum(len(s) - text.count(" ", s.start, s.end) for s in spans)


# A sentence end with the space after it left out (дико.Просто): a lower-case letter, the mark,
# then a capitalised word (not U.S.A or 3.5).
_GLUED_END = re.compile(r"(?<=[a-zа-яґєії])[.!?…]+(?=[A-ZА-ЯҐЄІЇ][a-zа-яґєії])")


def sentence_count(text: str, spans: Sequence[Span]) -> int:
    """Return how many sentences ``spans`` hold (a trailing fragment counts as one; a sentence end
    glued to the next sentence counts)."""
    return sum(
        len(SENTENCE_END.findall(part := s.of(text).rstrip(",;:—–- ") + ".")) + len(_GLUED_END.findall(part))
        for s in spans
    )


@dataclass(frozen=True, slots=True)
class Found:
    """Where the translation attributes a quotation: the speaker and verb mentions, if found."""

    speaker: Span | None
    verb: Span | None


def first_found(found: Sequence[Span | None]) -> Span | None:
    """Return the first span that is not None, or None."""
    return next((s for s in found if s is not None), None)


# "National Intelligence Service (NIS)": the name, the name without the bracket, the acronym.
_BRACKET = re.compile(r"\s*\(([^)]*)\)")


def name_in(ctx: CheckContext, name: str, region: Span) -> Span | None:
    """Return where ``name`` is mentioned in ``region`` of the translation (cached per report)."""
    key = (name, region)
    if key not in ctx.names:
        ctx.names[key] = find_name(name, ctx.text, ctx.lang, ctx.glossary, region=region)
    return ctx.names[key]


def find_person(ctx: CheckContext, name: str, pieces: Sequence[Span]) -> Span | None:
    """Return the first mention of ``name`` in the pieces, else of the name without its bracket,
    else of the bracket's acronym ("National Intelligence Service (NIS)")."""
    forms = [name]
    bracket = _BRACKET.search(name)
    if bracket:
        forms += [_BRACKET.sub("", name), bracket.group(1)]
    for form in forms:
        found = first_found([name_in(ctx, form, p) for p in pieces])
        if found is not None:
            return found
    return None


def gap(a: Span, b: Span) -> int:
    """Return how many characters stand between two spans (0 when they touch or overlap)."""
    return max(0, a.start - b.end, b.start - a.end)


def soften(finding: Finding) -> Finding:
    """A term's findings are warnings at most: a title or scare quote is not speech."""
    if finding.severity is Severity.ERROR:
        return replace(finding, severity=Severity.WARNING)  # its evidence travels with it
    return finding
