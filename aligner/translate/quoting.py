"""Plan an article's translation units so that every direct quotation stays one quotation, and
compose the translated units back into an article in the target language's typography.

Pure: no model here. ``plan_article`` cuts each paragraph into narration sentences and quote
blocks (the quotation's inner sentences, translated as a unit, plus the attribution frame
around it, "Ri said."); ``compose`` renders the blocks as Korean “…”라고 FRAME or Ukrainian
«…», — FRAME and records every quotation's target span, exact by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.article.records import Article, QuoteKind
from aligner.lang.sentences import split_sentences
from aligner.spans import Span

# Opening/closing marks that can stand right outside a quote part in English source text.
_MARKS = "\"'“”‘’«»„"
# Punctuation left dangling once the quotation is cut out of its sentence: '"A," he said, "B."'
# -> ', he said, .' -> 'he said.'
_FRAME_EDGE = re.compile(r"^[\s,;:.\u2014\u2013-]+|[\s,;:\u2014\u2013-]+$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:?!])")
_DOUBLE_PUNCT = re.compile(r"([,;:])\s*([,.;:])")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# Trailing punctuation that belongs outside the closing mark in Korean and Ukrainian: the
# English '"…soldiers," Ri said' comma, or a final period.
_TRAILING_OUTSIDE = re.compile(r"[\s,.;:]+$")
# Double quotation marks a model may emit inside a quotation; they become the inner marks.
_INNER_DOUBLE = re.compile(r"[\"“”«»„]")

# Typography per target language: outer and inner marks (CONVENTIONS.md §2.1, §2.2).
OUTER = {"ko": ("“", "”"), "uk": ("«", "»")}
INNER = {"ko": ("‘", "’"), "uk": ("„", "“")}


@dataclass(frozen=True, slots=True)
class Narration:
    """A source sentence outside any direct quotation, translated as it stands."""

    text: str


@dataclass(frozen=True, slots=True)
class QuoteBlock:
    """One direct quotation's part in one paragraph, with the attribution around it.

    ``sentences`` are the quotation's inner sentences in this paragraph (a split quote's parts
    joined); ``frame`` is the narration of the block with the quotation cut out ("Ri said."),
    or None; ``opens``/``closes`` say whether this part carries the opening/closing mark.
    """

    quote_id: str
    sentences: tuple[str, ...]
    frame: str | None
    frame_first: bool
    opens: bool
    closes: bool


Segment = Narration | QuoteBlock


@dataclass(frozen=True, slots=True)
class ParagraphPlan:
    """One source paragraph: the source text before it (line breaks, kept verbatim) and its
    segments in order."""

    gap: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole article's translation plan."""

    paragraphs: tuple[ParagraphPlan, ...]
    tail: str  # source text after the last paragraph

    def units(self) -> tuple[str, ...]:
        """Return every distinct source string to translate, in first-seen order."""
        seen: dict[str, None] = {}
        for paragraph in self.paragraphs:
            for segment in paragraph.segments:
                if isinstance(segment, Narration):
                    seen.setdefault(segment.text, None)
                else:
                    for sentence in segment.sentences:
                        seen.setdefault(sentence, None)
                    if segment.frame:
                        seen.setdefault(segment.frame, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Composed:
    """A composed translation and each quotation's target spans (inside the marks)."""

    text: str
    quote_spans: dict[str, tuple[Span, ...]]


def _clean_frame(text: str) -> str | None:
    frame = _SPACES.sub(" ", text)
    frame = _DOUBLE_PUNCT.sub(r"\2", _SPACE_BEFORE_PUNCT.sub(r"\1", frame))
    frame = _FRAME_EDGE.sub("", frame).strip()
    if not _LETTER.search(frame):
        return None
    return frame if frame[-1] in ".?!" else frame + "."


def _cut(text: str, block: Span, parts: list[Span]) -> str:
    """Return the block's text with the quote parts and their marks removed."""
    pieces, cursor = [], block.start
    for part in parts:
        start = part.start - 1 if part.start > 0 and text[part.start - 1] in _MARKS else part.start
        end = part.end + 1 if part.end < len(text) and text[part.end] in _MARKS else part.end
        pieces.append(text[cursor:start])
        cursor = max(cursor, end)
    pieces.append(text[cursor : block.end])
    return " ".join(pieces)


def _blocks(article: Article, index: int) -> list[tuple[Span, str, list[Span]]]:
    """Return (block span, quote id, parts) for each direct quotation part in a paragraph."""
    paragraph = article.paragraphs[index]
    found: list[tuple[Span, str, list[Span]]] = []
    for quote in article.quotes:
        if quote.kind is not QuoteKind.DIRECT:
            continue
        parts = [p for p in quote.parts if paragraph.span.contains(p)]
        if not parts:
            continue
        covering = [s for s in paragraph.sentences if any(s.overlaps(p) or s.contains(p) for p in parts)]
        start = min([s.start for s in covering] + [parts[0].start - 1])
        end = max([s.end for s in covering] + [parts[-1].end + 1])
        found.append((Span(max(start, paragraph.span.start), min(end, paragraph.span.end)), quote.id, parts))
    return found


def _paragraph_segments(article: Article, index: int) -> tuple[Segment, ...]:
    text = article.text
    blocks = _blocks(article, index)
    emitted: set[str] = set()
    segments: list[Segment] = []
    for sentence in article.paragraphs[index].sentences:
        touching = [b for b in blocks if b[0].overlaps(sentence)]
        if not touching:
            segments.append(Narration(" ".join(sentence.of(text).split())))
            continue
        for block, quote_id, parts in touching:
            if quote_id not in emitted:
                emitted.add(quote_id)
                segments.append(_quote_block(article, quote_id, block, parts))
    return tuple(segments)


def _quote_block(article: Article, quote_id: str, block: Span, parts: list[Span]) -> QuoteBlock:
    text = article.text
    quote = next(q for q in article.quotes if q.id == quote_id)
    inner = " ".join(" ".join(p.of(text).split()) for p in parts)
    sentences = tuple(
        " ".join(s.of(inner).split())
        for s in split_sentences(inner, Span(0, len(inner)))
        if s.of(inner).strip()
    )
    frame = _clean_frame(_cut(text, block, parts))
    before = text[block.start : parts[0].start]
    return QuoteBlock(
        quote_id=quote_id,
        sentences=sentences or (inner.strip(),),
        frame=frame,
        frame_first=frame is not None and bool(_LETTER.search(before)),
        opens=True,
        closes=parts[-1] == quote.parts[-1],
    )


def plan_article(article: Article) -> Plan:
    """Cut an article into narration sentences and quote blocks, paragraph by paragraph."""
    plans, cursor = [], 0
    for index, paragraph in enumerate(article.paragraphs):
        gap = article.text[cursor : paragraph.span.start]
        plans.append(ParagraphPlan(gap=gap, segments=_paragraph_segments(article, index)))
        cursor = paragraph.span.end
    return Plan(paragraphs=tuple(plans), tail=article.text[cursor:])


# Ukrainian speech verbs that open an inverted attribution ("сказав Рі"): written in lower case
# after the dash, «…», — сказав Рі. Stems, from CONVENTIONS.md §2.2 and the seed reference.
_UK_VERB_FIRST = re.compile(
    r"^(сказ|заяв|запит|спит|дода|зазнач|наголос|повідом|розпов|поясн|відпов|визна|зізна|"
    r"запереч|спрост|попере|пообіц|наполяг|стверджу|каже|казав|вигукн|закрич|підкресл)",
    re.IGNORECASE,
)


def _quote_text(block: QuoteBlock, translations: dict[str, str], lang: str) -> str:
    inner_open, inner_close = INNER[lang]
    text = " ".join(translations[s].strip() for s in block.sentences)
    marks = iter(range(10_000))
    text = _INNER_DOUBLE.sub(lambda _: inner_open if next(marks) % 2 == 0 else inner_close, text)
    return _TRAILING_OUTSIDE.sub("", text) if block.closes else text.strip()


def _render_block(block: QuoteBlock, translations: dict[str, str], lang: str) -> tuple[str, str, str]:
    """Return (text before the quotation, the quotation's inner text, text after it)."""
    quote = _quote_text(block, translations, lang)
    opening, closing = OUTER[lang]
    head = opening if block.opens else ""
    if not block.closes:
        return head, quote, ""
    frame = translations[block.frame].strip() if block.frame else ""
    if not frame:
        return head, quote, closing + ("" if lang == "ko" or quote[-1:] in "?!…" else ".")
    if lang == "ko":
        particle = "고" if quote.endswith("다") else "라고"
        return head, quote, f"{closing}{particle} {frame}"
    if block.frame_first:
        return f"{frame.rstrip('.:;, ')}: {head}", quote, closing + ("" if quote[-1:] in "?!…" else ".")
    if _UK_VERB_FIRST.match(frame):
        frame = frame[0].lower() + frame[1:]
    dash = " — " if quote[-1:] in "?!…" else ", — "
    return head, quote, f"{closing}{dash}{frame}"


class _Builder:
    """Append strings while tracking offsets, so spans are exact by construction."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0

    def add(self, piece: str) -> Span:
        self.pieces.append(piece)
        self.length += len(piece)
        return Span(self.length - len(piece), self.length)

    def text(self) -> str:
        return "".join(self.pieces)


def compose(plan: Plan, translations: dict[str, str], lang: str) -> Composed:
    """Assemble translated units into the target article and locate every quotation in it.

    Args:
        plan: the plan from ``plan_article``.
        translations: a translation for every string of ``plan.units()``.
        lang: "ko" or "uk".

    Returns:
        The article text with the source's paragraph structure, and each quotation's spans.
    """
    out = _Builder()
    spans: dict[str, list[Span]] = {}
    for paragraph in plan.paragraphs:
        out.add(paragraph.gap)
        for position, segment in enumerate(paragraph.segments):
            if position:
                out.add(" ")
            if isinstance(segment, Narration):
                out.add(translations[segment.text].strip())
                continue
            head, quote, tail = _render_block(segment, translations, lang)
            out.add(head)
            spans.setdefault(segment.quote_id, []).append(out.add(quote))
            out.add(tail)
    out.add(plan.tail)
    return Composed(text=out.text(), quote_spans={k: tuple(v) for k, v in spans.items()})
