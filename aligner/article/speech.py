"""Speech verbs around quotations and in narration: who said what, with which verb.

For each quotation the words next to its marks are read for an attribution ('"…," Ri
said', 'said Aulia Arriani', 'Ri said: "…"', a headline 'Kim: "…"'), split quotations are
joined ('"A," he said, "B."' is one quotation), and each gets a kind. Narration is then read
for indirect speech ('X said that …', 'according to X').
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from aligner.article.marks import RawQuote
from aligner.article.names import (
    NAME,
    Mention,
    Token,
    clause_subject,
    is_word,
    np_after,
    phrase_before,
    segment_head,
    subject_before,
    tokenize,
)
from aligner.article.records import VERB_FORMS, Paragraph, QuoteKind, SpeechVerb
from aligner.article.words import (
    AUX,
)
from aligner.spans import Span

# How far from a closing mark the attribution verb may stand: '" nowadays, he said', or after a
# long apposition: '," Sutopo Purwo Nugroho, the spokesman for … BNPB, told'.
MAX_AFTER = 24
# How many words may stand between an introducing verb and the opening mark: 'said last night "'.
MAX_INTRO_GAP = 4
# What stands before an inverted verb: '," said Kim', '" said Kim'.
_AFTER_QUOTE = frozenset(",\"”’'")
# Forms that are more often nouns: 'the report said', 'rape claims against him'.
_NOUNLIKE = frozenset(
    "report reports note notes comment comments claim claims answer answers promise "
    "promises reply replies joke jokes pledge pledges vow vows tweet tweets".split()
)
_NOUN_BEFORE = frozenset("a an the his her their its our my your this that these those no any some".split())


@dataclass(frozen=True, slots=True)
class Frame:
    """An attribution: the speaker phrase, the verb, and whether it introduces the words
    directly ('Ri said: "…"') rather than framing a clause ('Ri said that the "…"')."""

    speaker: Mention | None
    verb: SpeechVerb | None
    adjacent: bool


@dataclass(frozen=True, slots=True)
class FramedQuote:
    """A quotation with its kind and attribution, before people are resolved."""

    parts: tuple[Span, ...]
    paragraph: int
    kind: QuoteKind
    frame: Frame | None
    nested: tuple[Span, ...]
    initial: bool = False  # begins a sentence
    inherited: bool = False


@dataclass(frozen=True, slots=True)
class FramedAttribution:
    """Reported speech in narration, before people are resolved."""

    kind: str  # "indirect" | "according_to"
    source: Mention
    verb: SpeechVerb
    sentence: Span
    claim: Span
    paragraph: int
    venue: Span | None = None


@dataclass(slots=True)
class ArticleContext:
    """Tokens and sentences per paragraph, the quotations' outer spans, the names introduced."""

    text: str
    paragraphs: Sequence[Paragraph]
    intros: Mapping[int, str]
    sentence_starts: list[list[int]] = field(default_factory=list)
    outer: list[Span] = field(default_factory=list)
    outer_starts: list[int] = field(default_factory=list)
    used_verbs: set[int] = field(default_factory=set)
    paragraph_starts: list[int] = field(default_factory=list)
    _tokens: dict[int, list[Token]] = field(default_factory=dict)
    _starts: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sentence_starts = [[s.start for s in p.sentences] for p in self.paragraphs]
        self.paragraph_starts = [p.span.start for p in self.paragraphs]

    def tokens(self, paragraph: int) -> list[Token]:
        """Return the tokens of a paragraph (tokenised on first use: most need none)."""
        found = self._tokens.get(paragraph)
        if found is None:
            found = self._tokens[paragraph] = tokenize(self.text, self.paragraphs[paragraph].span)
            self._starts[paragraph] = [t.start for t in found]
        return found

    def paragraph_at(self, offset: int) -> int:
        """Return the index of the paragraph that holds (or precedes) ``offset``."""
        return max(bisect.bisect_right(self.paragraph_starts, offset) - 1, 0)

    def set_quotes(self, quotes: Sequence[RawQuote]) -> None:
        """Record the quotations' outer spans (marks included) for ``inside_quote``."""
        self.outer = [_outer(q) for q in quotes]
        self.outer_starts = [s.start for s in self.outer]

    def index(self, paragraph: int, offset: int) -> int:
        """Return the index of the first token of a paragraph at or after ``offset``."""
        self.tokens(paragraph)
        return bisect.bisect_left(self._starts[paragraph], offset)

    def sentence(self, paragraph: int, offset: int) -> Span:
        """Return the sentence of a paragraph that holds ``offset``."""
        sentences = self.paragraphs[paragraph].sentences
        k = bisect.bisect_right(self.sentence_starts[paragraph], offset) - 1
        return sentences[max(k, 0)] if sentences else self.paragraphs[paragraph].span

    def inside_quote(self, offset: int) -> bool:
        """Return True if ``offset`` lies within a quotation's marks."""
        k = bisect.bisect_right(self.outer_starts, offset) - 1
        return k >= 0 and offset < self.outer[k].end


def _outer(quote: RawQuote) -> Span:
    start = quote.open_mark if quote.open_mark is not None else quote.parts[0].start
    end = quote.close_mark + 1 if quote.close_mark is not None else quote.parts[-1].end
    return Span(start, end)


def verb_at(tokens: Sequence[Token], k: int) -> SpeechVerb | None:
    """Return the speech verb at ``tokens[k]``, or None (not a form, or used as a noun)."""
    token = tokens[k]
    found = VERB_FORMS.get(token.low)
    if found is None or (token.text[0].isupper() and k > 0):
        return None
    if k > 0 and tokens[k - 1].low == "to":
        return None  # an infinitive: 'declined to comment'
    if token.low in _NOUNLIKE:
        before = tokens[k - 1].low if k > 0 else ""
        after = tokens[k + 1].low if k + 1 < len(tokens) else ""
        if before in _NOUN_BEFORE or after in AUX or after in VERB_FORMS:
            return None
    return SpeechVerb(Span(token.start, token.end), found[0], found[1])


def paragraph_of(quote: RawQuote, ctx: ArticleContext, offset: int) -> int:
    """Return the paragraph index of ``offset``, searching from the quotation's first one."""
    index = quote.paragraph
    while index + 1 < len(ctx.paragraphs) and ctx.paragraphs[index + 1].span.start <= offset:
        index += 1
    return index


def after_frame(
    ctx: ArticleContext, paragraph: int, lo: int, hi: int, reach: int = MAX_AFTER
) -> Frame | None:
    """Read an attribution in ``[lo, hi)`` right after a closing mark: '," Ri said'."""
    tokens = ctx.tokens(paragraph)
    i, b = ctx.index(paragraph, lo), ctx.index(paragraph, hi)
    while i < b and not is_word(tokens[i]):
        i += 1
    for k in range(i, min(b, i + reach)):
        verb = verb_at(tokens, k)
        if verb is None or tokens[k].low.endswith("ing"):
            continue
        speaker = (
            np_after(tokens, k + 1, b, ctx.intros) if k == i else subject_before(tokens, i, k, ctx.intros)
        )
        if speaker is not None:
            adjacent = k == i or segment_head(tokens, i, k, ctx.intros) is not None
            return Frame(speaker, verb, adjacent)
    return None


def before_frame(ctx: ArticleContext, paragraph: int, lo: int, mark: int, clause: int) -> Frame | None:
    """Read an attribution in ``[lo, mark)`` before an opening mark: 'Ri said: "'.
    ``clause`` is where the sentence starts (``lo`` may be a previous quotation's end)."""
    tokens = ctx.tokens(paragraph)
    a, b = ctx.index(paragraph, lo), ctx.index(paragraph, mark)
    for k in range(b - 1, a - 1, -1):
        verb = verb_at(tokens, k)
        if verb is None:
            continue
        speaker = speaker_before(tokens, a, k, ctx.intros, ctx.index(paragraph, clause))
        if speaker is not None:
            return Frame(speaker, verb, _introduces(tokens[k + 1 : b]))
    if b - a >= 2 and tokens[b - 1].text == ":":
        head = segment_head(tokens, a, b - 1, ctx.intros)
        at_start = a == ctx.index(paragraph, ctx.paragraphs[paragraph].span.start)
        if head is not None and head.kind == NAME and at_start:
            return Frame(head, None, True)  # a headline: 'Kim: "We will win"'
    return None


def _introduces(gap: Sequence[Token]) -> bool:
    """True if the words between a verb and an opening mark only modify the verb."""
    words = [t for t in gap if is_word(t)]
    if any(t.low in ("that", "whether", "if", "how", "what", "why") for t in words):
        return False
    return len(words) <= MAX_INTRO_GAP and (not words or gap[-1].text in ",:" or len(words) <= 2)


def _clause_subject(tokens: Sequence[Token], a: int, k: int, intros: Mapping[int, str]) -> Mention | None:
    """The subject of the clause a participle or a second verb hangs on: 'Trump said …,
    saying "…"' and 'The minister highlighted … and added: "…"'."""
    for j in range(a, k):
        if verb_at(tokens, j) is not None and not tokens[j].low.endswith("ing"):
            inverted = j > a and tokens[j - 1].text in _AFTER_QUOTE  # '…," said Mr Flake, adding'
            found = np_after(tokens, j + 1, k, intros) if inverted else subject_before(tokens, a, j, intros)
            if found is not None:
                return found
    return clause_subject(tokens, a, k, intros)


def speaker_before(
    tokens: Sequence[Token], a: int, k: int, intros: Mapping[int, str], clause: int | None = None
) -> Mention | None:
    """Return the speaker of the verb ``tokens[k]`` from the words in ``[a, k)``.

    A participle takes the phrase right before it ('unionist protesters shouting') or else
    the subject of its clause, read from ``clause`` (the sentence start) on."""
    e = k
    while (
        e > a and tokens[e - 1].text[0].islower() and (tokens[e - 1].low in AUX or _is_adverb(tokens[e - 1]))
    ):
        e -= 1
    start = a if clause is None else min(a, clause)
    if tokens[k].low.endswith("ing"):
        return phrase_before(tokens, a, k) or _clause_subject(tokens, start, k, intros)
    if e > a and tokens[e - 1].low == "and":
        return _clause_subject(tokens, start, k, intros)
    return subject_before(tokens, a, k, intros)


def _is_adverb(token: Token) -> bool:
    return token.text.islower() and token.low.endswith("ly") and len(token.low) > 3


def frame_quote(ctx: ArticleContext, quote: RawQuote, bounds: tuple[int, int]) -> tuple[Frame | None, bool]:
    """Return the attribution of a quotation and whether it begins a sentence.

    ``bounds`` are the close of the previous quotation and the open of the next one, so
    that the words read never belong to a neighbour."""
    first, last = quote.parts[0], quote.parts[-1]
    end_para = paragraph_of(quote, ctx, last.start)
    opening = quote.open_mark if quote.open_mark is not None else first.start
    sentence = ctx.sentence(quote.paragraph, opening)
    initial = quote.open_mark is None or not ctx.text[sentence.start : opening].strip(" ([—–-")
    close = quote.close_mark + 1 if quote.close_mark is not None else last.end
    close_sentence = ctx.sentence(end_para, close - 1)
    limit = min(close_sentence.end, bounds[1])
    after = after_frame(ctx, end_para, close, limit)
    tail = _tail_frame(ctx, end_para, close, close_sentence.end)
    before = None
    if not initial and quote.open_mark is not None:
        low = max(sentence.start, bounds[0])
        before = before_frame(ctx, quote.paragraph, low, quote.open_mark, sentence.start)
    order = (after, tail, before) if initial else (before, after, tail)
    return next((f for f in order if f is not None), None), initial


def _tail_frame(ctx: ArticleContext, paragraph: int, lo: int, hi: int) -> Frame | None:
    """Read a sentence-final attribution: '… from Donggala, Nugroho said.' It is read after
    the sentence's last quotation and last comma, so it covers every quotation before it:
    'bring Bolivia "an opportunity" and a chance to "put an end to it," he said.'"""
    last = bisect.bisect_left(ctx.outer_starts, hi) - 1
    start = max(lo, ctx.outer[last].end) if last >= 0 else lo
    tokens = ctx.tokens(paragraph)
    a, b = ctx.index(paragraph, start), ctx.index(paragraph, hi)
    comma = next((i for i in range(b - 1, a - 1, -1) if tokens[i].text == ","), None)
    if comma is None and start == lo:
        return None
    found = after_frame(ctx, paragraph, tokens[comma].end if comma is not None else start, hi, reach=8)
    return replace(found, adjacent=False) if found is not None else None
