"""Align an English article with its Korean or Ukrainian translation, sentence by sentence and
quotation by quotation.

Pure: text and parsed records in, frozen records out; no model imports. The translation is
segmented on its own terms (lines, sentences that keep quotations intact, spans between its
own quotation marks), then a monotonic dynamic program pairs source and target sentences
(1-1, 1-2, 2-1, 2-2, 1-0, 0-1) on length, numbers, Latin tokens and quotation marks, and a
second one pairs each source quotation with one or more target quotation parts.
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.article import Article, Paragraph, Quote
from aligner.spans import Span, hull
from aligner.verbs import find_speech_verbs

# ---------------------------------------------------------------------------------------------
# Target quotation marks
# ---------------------------------------------------------------------------------------------

# Every glyph that can open or close a quotation in en/ko/uk text, straight and typographic.
_MARK = re.compile(r"[\"“”«»„「」『』'‘’]")
_OPENERS = "«„「『"  # only ever open
_CLOSERS = "»」』"  # only ever close
_SINGLES = "'‘’"
# A dash-embedded Ukrainian attribution inside one quoted span: «Перше, — сказав він, — друге»
# -> parts "Перше," and "друге", insert "сказав він". The narration is short (1-10 words).
_EMBEDDED = re.compile(r"(?<=[,.!?…:;])\s*[—–-]\s+(?P<narr>[^—–«»\"“”„]{2,90}?)[,.:;]?\s*[—–]\s+(?=\S)")
# The same attribution closing a line whose quotation goes on below, the marks left out:
# "Я не біжу, але я дійсно біжу, — сказав він. —" -> part "Я не біжу, …", insert "сказав він".
_TRAILING_INSERT = re.compile(r"(?<=[,.!?…])\s*[—–]\s*(?P<narr>[^—–«»\"“”„]{2,90}?)[,.:;]?\s*[—–]\s*$")
# A Ukrainian line that ends with the dash of an attribution, the quote going on below:
# «…», — розповідає пан Адамс. —
# How many lines without marks an unclosed quotation may cross before a closing mark (a
# quotation over several sentence-per-line paragraphs, marks only at its ends).
MAX_BARE_LINES = 8
_TRAILING_DASH = re.compile(r"[—–]\s*$")
_DASH_END = re.compile(r"[\s,.]*[—–]\s*$")
# Particles glued to a Korean closing mark: ”라고, "고, ”며, ”라며, ”라는 (CONVENTIONS.md §2.1).
_KO_TAIL = re.compile(
    r"(?:이)?라(?:고|며|면서|는|고까지)|고|며|면서|하고|(?:이)?란|는|을|를|이|가|와|과|(?:으)?로|에|도"
)
# Letters that take an apostrophe inside a word (Hangul never does): don't, інтерв'ю, O'Brien.
_APOS_LETTER = re.compile(r"[A-Za-zА-ЯЁЄІЇҐа-яёєіїґ0-9]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class TargetQuote:
    """A quotation in the translation, found between the translation's own marks.

    ``parts`` are the inside-the-marks pieces (two for «A, — сказала вона, — B», one per line of
    a quotation that runs over several paragraphs); ``span`` is their hull; ``inserts`` are the
    narration pieces between parts that sit inside one pair of marks (the Ukrainian dash
    attribution). ``opening``/``closing`` are the marks ("" where the text lacks one), ``tail``
    the Hangul glued after the closing mark (라고, 고, 며 …), ``single`` whether the marks are
    single quotes.
    """

    id: str
    span: Span
    parts: tuple[Span, ...]
    inserts: tuple[Span, ...]
    opening: str
    closing: str
    tail: str
    single: bool
    line: int


@dataclass(frozen=True, slots=True)
class _Piece:
    """A quoted piece within one line, before pieces are linked across lines."""

    start: int  # inside, after the opening mark (or line start when none)
    end: int  # inside, before the closing mark (or line end when none)
    opening: str
    closing: str
    single: bool


def _flanks(text: str, pos: int, lo: int, hi: int) -> tuple[bool, bool]:
    """Return (space or line edge before, space/punctuation or line edge after) of a mark."""
    before = pos == lo or text[pos - 1].isspace() or text[pos - 1] in "([{—–-:"
    after = pos + 1 >= hi or text[pos + 1].isspace() or text[pos + 1] in ",.;:!?)…—–-"
    return before, after


def _is_apostrophe(text: str, pos: int, lo: int, hi: int) -> bool:
    """Return True for an apostrophe between two Latin or Cyrillic letters: don't, інтерв'ю."""
    return (
        lo < pos < hi - 1
        and bool(_APOS_LETTER.match(text[pos - 1]))
        and bool(_APOS_LETTER.match(text[pos + 1]))
    )


def _double_role(text: str, pos: int, lo: int, hi: int, stack: list[tuple[int, str]]) -> str:
    """Return "open", "close" or "stray" (a closer with no opener in the line) for a double mark."""
    char = text[pos]
    if char in _OPENERS:
        return "open"
    before, after = _flanks(text, pos, lo, hi)
    if char in _CLOSERS:
        return "close" if stack else "stray"
    if char == "“":
        if stack and stack[-1][1] == "„":
            return "close"
        if after and not before:  # a closer: of a quotation opened here, or on an earlier line
            return "close" if stack else "stray"
        return "open"
    if char == "”":
        if stack:
            return "close"
        return "open" if not after and _later_closer(text, pos + 1, hi) else "stray"
    # straight double quote
    if stack:
        return "open" if before and not after and stack[-1][1] != '"' else "close"
    if before and not after:
        return "open"
    # glued on the left ('다."라고') or spaced on both sides: an odd count left in the line
    # means this one closes a quotation that opened on an earlier line
    return "stray" if text.count('"', pos, hi) % 2 == 1 else "open"


def _later_closer(text: str, pos: int, hi: int) -> bool:
    return any(c in '"”»' for c in text[pos:hi])


def _scan_doubles(text: str, lo: int, hi: int) -> list[_Piece]:
    """Return the top-level double-quoted pieces of one line ``text[lo:hi]``."""
    pieces: list[_Piece] = []
    stack: list[tuple[int, str]] = []
    last_end = lo
    for match in _MARK.finditer(text, lo, hi):
        pos, char = match.start(), match.group()
        if char in _SINGLES:
            continue
        role = _double_role(text, pos, lo, hi, stack)
        if role == "open":
            stack.append((pos, char))
        elif role == "close":
            start, opening = stack.pop()
            if not stack:
                pieces.append(_Piece(start + 1, pos, opening, char, False))
                last_end = pos + 1
        elif pos > last_end or (pieces and char != pieces[-1].closing):
            pieces = _close_stray(text, lo, pos, pieces)
            last_end = pos + 1
    if stack:
        start, opening = stack[0]
        pieces.append(_Piece(start + 1, _rstrip(text, start + 1, hi), opening, "", False))
    return pieces


def _close_stray(text: str, lo: int, pos: int, pieces: list[_Piece]) -> list[_Piece]:
    """Add the quotation that a closing mark at ``pos`` ends although nothing opened it.

    After an earlier quotation of the line and a dash, it starts after the dash (the Ukrainian
    «…», — сказав він. — Далі».); otherwise it started on an earlier line and runs from the line
    start, any quotation before it in the line being nested inside it.
    """
    dash = max(text.rfind("— ", lo, pos), text.rfind("– ", lo, pos), text.rfind("—\xa0", lo, pos))
    if pieces and dash > pieces[-1].end:
        start = dash + 2
        while start < pos and text[start].isspace():
            start += 1
        return [*pieces, _Piece(start, pos, "", text[pos], False)]
    return [_Piece(lo, pos, "", text[pos], False)]


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi


def _scan_singles(text: str, lo: int, hi: int, taken: Sequence[_Piece]) -> list[_Piece]:
    """Return single-quoted pieces of a line that lie outside the double-quoted ones."""
    pieces: list[_Piece] = []
    open_at: tuple[int, str] | None = None
    for match in _MARK.finditer(text, lo, hi):
        pos, char = match.start(), match.group()
        if char not in _SINGLES or _is_apostrophe(text, pos, lo, hi):
            continue
        if any(p.start - 1 <= pos <= p.end for p in taken):
            continue
        before, after = _flanks(text, pos, lo, hi)
        if open_at is None:
            if char != "’" and not after:
                open_at = (pos, char)
        elif char != "‘" and not before:
            pieces.append(_Piece(open_at[0] + 1, pos, open_at[1], char, True))
            open_at = None
    return pieces


@dataclass(frozen=True, slots=True)
class _Line:
    span: Span
    number: int  # 1-based


def _lines(text: str) -> list[_Line]:
    """Return the non-blank lines of ``text`` with their 1-based numbers."""
    found: list[_Line] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        span = _strip(text, start, end)
        if span.end > span.start:
            found.append(_Line(span, number))
        start = end + 1
    return found


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _split_embedded(text: str, piece: _Piece, lang: str) -> tuple[list[Span], list[Span]]:
    """Split a quoted piece at dash-embedded attributions (narration with a speech verb, not a
    dash-parenthesis of the speaker's own words); return (parts, inserts)."""
    parts: list[Span] = []
    inserts: list[Span] = []
    cursor = piece.start
    for match in _EMBEDDED.finditer(text, piece.start, piece.end):
        narr = match.group("narr")
        if (
            len(narr.split()) > 10
            or match.start() - cursor < 2
            or not _speech(text, match.span("narr"), lang)
        ):
            continue
        parts.append(Span(cursor, match.start()))
        inserts.append(Span(match.start("narr"), match.end("narr")))
        cursor = match.end()
    end = piece.end
    if not piece.closing:
        trailing = _TRAILING_INSERT.search(text, cursor, piece.end)
        if (
            trailing
            and len(trailing.group("narr").split()) <= 10
            and _speech(text, trailing.span("narr"), lang)
        ):
            inserts.append(Span(trailing.start("narr"), trailing.end("narr")))
            end = trailing.start()
    parts.append(Span(cursor, end))
    return parts, inserts


def _speech(text: str, where: tuple[int, int], lang: str) -> bool:
    return bool(find_speech_verbs(text, lang, Span(*where)))


def _bare_line(text: str, line: Span, before: list[Span], lang: str) -> tuple[list[Span], list[Span]]:
    """Return (parts, inserts) of a line without marks inside an open quotation: a line that
    carries the attribution between dashes ("сказав Трамп. —") after a part that ended with a
    dash is all insert; otherwise it is quoted text, maybe with a trailing attribution."""
    part_dash = _DASH_END.search(text, before[-1].start, before[-1].end) if before else None
    line_dash = _DASH_END.search(text, line.start, line.end)
    if part_dash is not None and line_dash is not None and _speech(text, (line.start, line.end), lang):
        before[-1] = _strip(text, before[-1].start, part_dash.start())
        return [], [_strip(text, line.start, line_dash.start())]
    return _split_embedded(text, _Piece(line.start, line.end, "", "", False), lang)


def find_target_quotes(text: str, lang: str) -> tuple[TargetQuote, ...]:
    """Return every quotation of a translation, in text order, ids ``t1``, ``t2`` …

    Marks may be mixed (straight and curly, « » with " "), quotations may run over several
    lines (an unclosed part at a line's end goes on with the next line's first part), and a
    Ukrainian attribution between dashes inside one pair of marks splits a quotation in two
    parts.
    """
    groups: list[_Group] = []
    open_group = False
    pending: list[tuple[_Line, list[_Piece]]] = []  # lines inside an unclosed quotation, so far
    for line in _lines(text):
        lo, hi = line.span.start, line.span.end
        doubles = _scan_doubles(text, lo, hi)
        pieces = sorted([*doubles, *_scan_singles(text, lo, hi, doubles)], key=lambda p: p.start)
        if open_group and len(pending) < MAX_BARE_LINES and _nested_only(pieces, groups[-1][2].opening):
            pending.append((line, pieces))
            continue
        first = pieces[0] if pieces else None
        continues = (
            first is not None
            and open_group
            and not first.single
            and first.start - lo <= 1
            and not (pending and first.opening)  # a new quotation opens after lines without marks
        )
        if continues:
            for pending_line, _ in pending:  # their own marks were quotations inside this one
                more, added = _bare_line(text, pending_line.span, groups[-1][0], lang)
                groups[-1][0].extend(more)
                groups[-1][1].extend(added)
        else:
            groups += [_new_group(text, piece, lang, pl.number) for pl, nested in pending for piece in nested]
        for index, piece in enumerate(pieces):
            parts, inserts = _split_embedded(text, piece, lang)
            if index == 0 and continues:
                groups[-1][0].extend(parts)
                groups[-1][1].extend(inserts)
                groups[-1] = (groups[-1][0], groups[-1][1], groups[-1][2], piece, groups[-1][4])
            else:
                groups.append((parts, inserts, piece, piece, line.number))
        pending = []
        last = pieces[-1] if pieces else None
        open_group = (
            last is not None
            and not last.single
            and (last.closing == "" or bool(_TRAILING_DASH.search(text, last.end, hi)))
        )
    groups += [_new_group(text, piece, lang, pl.number) for pl, nested in pending for piece in nested]
    return tuple(_make_quote(text, i, g) for i, g in enumerate(groups, start=1))


_Group = tuple[list[Span], list[Span], _Piece, _Piece, int]
# Families of double marks: a quotation opened with one may hold closed quotations of another.
_FAMILY = {
    "«": "«",
    "»": "«",
    "“": "“",
    "”": "“",
    "„": "“",
    '"': '"',
    "「": "「",
    "」": "「",
    "『": "「",
    "』": "「",
}


def _nested_only(pieces: Sequence[_Piece], opening: str) -> bool:
    """Return True when a line inside an unclosed quotation holds only closed quotations of
    another mark family («Кубок Райдера» inside "…"), or none."""
    family = _FAMILY.get(opening, opening)
    return all(
        p.opening and p.closing and (p.single or _FAMILY.get(p.opening, p.opening) != family) for p in pieces
    )


def _new_group(text: str, piece: _Piece, lang: str, line: int) -> _Group:
    parts, inserts = _split_embedded(text, piece, lang)
    return (parts, inserts, piece, piece, line)


def _make_quote(text: str, index: int, group: _Group) -> TargetQuote:
    parts, inserts, first, last, line = group
    kept = [p for p in parts if p.end > p.start] or parts[:1]
    tail = ""
    if last.closing:
        tail_match = _KO_TAIL.match(text, last.end + 1)
        tail = tail_match.group() if tail_match else ""
    return TargetQuote(
        id=f"t{index}",
        span=hull(kept),
        parts=tuple(kept),
        inserts=tuple(inserts),
        opening=first.opening,
        closing=last.closing,
        tail=tail,
        single=first.single,
        line=line,
    )


# ---------------------------------------------------------------------------------------------
# Target segmentation
# ---------------------------------------------------------------------------------------------

# A sentence ends at ., !, ? or … (closing brackets may follow) before white space:
# "…했다. 그는" splits after "했다."; the split point is the start of the next sentence.
_SENTENCE_END = re.compile(r"[.!?…]+[)\]]*\s+(?=\S)")
# Words whose final period is not a sentence end: initials (А. Лінд, A. Lind) and short
# abbreviations of Ukrainian and English press text (тис., млн., р., Mr., St.).
_ABBREV = re.compile(
    r"(?:\b[A-ZА-ЯІЇЄҐ]|\b(?:тис|млн|млрд|грн|р|рр|ст|вул|див|ім|проф|акад|д-р|Mr|Mrs|Ms|Dr|St|Jr|Sr|"
    r"Gen|Gov|Sen|Rep|Rev|Lt|Col|Sgt|No|vs|etc|U\.S|Inc|Corp|Ltd|Co))\.$"
)


@dataclass(frozen=True, slots=True)
class TargetText:
    """A translation segmented on its own terms: lines, sentences and quotations."""

    text: str
    lang: str
    paragraphs: tuple[Paragraph, ...]  # the translation's non-blank lines, as for the source
    quotes: tuple[TargetQuote, ...]

    @property
    def sentences(self) -> tuple[Span, ...]:
        """Return every sentence span in text order."""
        return tuple(s for p in self.paragraphs for s in p.sentences)


def _split_line(text: str, line: Span, inside: Sequence[Span]) -> tuple[Span, ...]:
    """Split one line into sentences, never inside a quotation's hull."""
    cuts = [line.start]
    for match in _SENTENCE_END.finditer(text, line.start, line.end):
        cut = match.end()
        if any(q.start < cut < q.end for q in inside):
            continue
        if _ABBREV.search(text, max(line.start, match.start() - 8), match.start() + 1):
            continue
        cuts.append(cut)
    cuts.append(line.end)
    spans = (_strip(text, a, b) for a, b in zip(cuts, cuts[1:], strict=False))
    return tuple(s for s in spans if s.end > s.start)


def segment_target(text: str, lang: str) -> TargetText:
    """Segment a translation into lines, sentences and quotations.

    Sentences never cut through a quotation: a quoted passage of three sentences and its
    attribution stay one sentence, as in the source article's sentence units.
    """
    quotes = find_target_quotes(text, lang)
    hulls = [Span(p.start - 1, p.end + 1) for q in quotes for p in (q.span,)]
    paragraphs = tuple(
        Paragraph(line.span, _split_line(text, line.span, hulls), line.number) for line in _lines(text)
    )
    return TargetText(text, lang, paragraphs, quotes)


# ---------------------------------------------------------------------------------------------
# Sentence alignment
# ---------------------------------------------------------------------------------------------

# Costs of the sentence aligner. A faithful 1-1 pair costs about 0.1-0.4 (length); the move
# penalties make a merge or a skipped sentence win only when the lengths or the anchors (numbers,
# Latin tokens, quotation marks, paragraph ends) say so. Calibrated on ntrex-dev ko/uk
# (bench/eval_check_ntrex.py), not on single sentences.
MOVE_COST = {(1, 1): 0.0, (1, 2): 0.35, (2, 1): 0.35, (2, 2): 0.7, (1, 3): 0.8, (3, 1): 0.8}
SKIP_COST = 1.2
NUMBER_WEIGHT = 1.2
LATIN_BONUS = 0.25
QUOTE_WEIGHT = 0.45
PARAGRAPH_COST = 0.35
_BAND = 8
# Moves of the paragraph aligner, which runs first: translators seldom merge or split
# paragraphs, so those moves cost more than for sentences, and a paragraph left out costs less.
PARAGRAPH_MOVES = {(1, 1): 0.0, (1, 2): 0.8, (2, 1): 0.8, (2, 2): 1.5, (1, 3): 1.6, (3, 1): 1.6}
PARAGRAPH_SKIP = 1.0
# Length ratios (scaled by the document's) within which paragraph pairs of a translation with as
# many paragraphs as its source are taken as they stand, without the paragraph aligner.
PARAGRAPH_RATIO = (0.5, 2.0)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Z]")


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Source sentences and the target sentences that render them (either side may be empty)."""

    source: tuple[Span, ...]
    target: tuple[Span, ...]
    score: float  # 0..1, how well lengths and anchors agree


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence (or sentences kept together by a quotation) with its alignment features."""

    spans: tuple[Span, ...]
    length: int
    numbers: frozenset[float]
    latin: frozenset[str]
    quotes: int
    para: int
    last: bool  # ends its paragraph


# A figure for alignment evidence only (the checks use ``numbers.find_numbers``): grouped or
# plain digits, a decimal part, and a scale word. "11,000" -> 11000, "5 000" -> 5000,
# "2,4 млн" -> 2400000, "5천" -> 5000, "80%" -> 80.
_FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?\s?"
    r"(만|천|억|тис|млн|млрд|thousand|million|billion)?"
)
_SCALE = {"만": 1e4, "천": 1e3, "억": 1e8, "тис": 1e3, "млн": 1e6, "млрд": 1e9,
          "thousand": 1e3, "million": 1e6, "billion": 1e9}  # fmt: skip


def _length(text: str, span: Span) -> int:
    return len(span) - text.count(" ", span.start, span.end)


def _anchors(text: str, latin: re.Pattern[str] | None) -> list[tuple[int, float | str]]:
    """Return (offset, key) of every figure of ``text`` and every match of ``latin``, in order."""
    found: list[tuple[int, float | str]] = []
    for match in _FIGURE.finditer(text):
        whole = re.sub(r"\D", "", match.group(1))
        value = float(f"{whole}.{match.group(2)}") if match.group(2) else float(whole)
        found.append((match.start(), round(value * _SCALE.get(match.group(3) or "", 1.0), 3)))
    if latin is not None:
        found += [(m.start(), m.group().lower().rstrip(".")) for m in latin.finditer(text)]
        found.sort(key=lambda a: a[0])
    return found


def _latin_words(text: str) -> re.Pattern[str] | None:
    """Return a pattern for the Latin-script words of a translation (names it kept: NIS,
    Chosun Ilbo), to find them in the source; None when there are none."""
    words = {m.group().lower().rstrip(".") for m in _LATIN.finditer(text)}
    return _latin_pattern(frozenset(w for w in words if len(w) > 1))


@functools.lru_cache(maxsize=64)
def _latin_pattern(words: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{alternation})(?![A-Za-z])", re.IGNORECASE)


def _units(
    text: str,
    latin: re.Pattern[str] | None,
    paragraphs: Sequence[tuple[Span, tuple[Span, ...]]],
    quote_parts: Sequence[Span],
) -> list[_Unit]:
    """Group each paragraph's sentences so that no quotation part is cut, and featurise them."""
    anchors = _anchors(text, latin)
    offsets = [a[0] for a in anchors]
    starts = sorted(p.start for p in quote_parts)
    units: list[_Unit] = []
    for index, (_, sentences) in enumerate(paragraphs):
        groups: list[list[Span]] = []
        for sentence in sentences:
            if groups and any(p.start < groups[-1][-1].end and p.end > sentence.start for p in quote_parts):
                groups[-1].append(sentence)
            else:
                groups.append([sentence])
        for k, group in enumerate(groups):
            whole = hull(group)
            keys = [
                a[1] for a in anchors[bisect_left(offsets, whole.start) : bisect_left(offsets, whole.end)]
            ]
            units.append(
                _Unit(
                    spans=tuple(group),
                    length=_length(text, whole),
                    numbers=frozenset(k for k in keys if isinstance(k, float)),
                    latin=frozenset(k for k in keys if isinstance(k, str)),
                    quotes=bisect_left(starts, whole.end) - bisect_left(starts, whole.start),
                    para=index,
                    last=k == len(groups) - 1,
                )
            )
    return units


def _merge(units: Sequence[_Unit]) -> _Unit:
    if len(units) == 1:
        return units[0]
    return _Unit(
        spans=tuple(s for u in units for s in u.spans),
        length=sum(u.length for u in units),
        numbers=frozenset().union(*(u.numbers for u in units)),
        latin=frozenset().union(*(u.latin for u in units)),
        quotes=sum(u.quotes for u in units),
        para=units[0].para,
        last=units[-1].last,
    )


class _Groups:
    """Merged units ``units[i:i + d]``, built when the aligner first asks for them."""

    def __init__(self, units: Sequence[_Unit]) -> None:
        self.units = units
        self.cache: dict[tuple[int, int], _Unit] = {}

    def get(self, i: int, d: int) -> _Unit:
        """Return the merge of ``units[i:i + d]``."""
        if d == 1:
            return self.units[i]
        merged = self.cache.get((i, d))
        if merged is None:
            merged = self.cache[(i, d)] = _merge(self.units[i : i + d])
        return merged


def _pair_cost(src: _Unit, tgt: _Unit, ratio: float) -> float:
    cost = abs(math.log((tgt.length + 8.0) / (ratio * src.length + 8.0)))
    if src.numbers or tgt.numbers:
        union = src.numbers | tgt.numbers
        cost += NUMBER_WEIGHT * len(src.numbers ^ tgt.numbers) / len(union)
    if tgt.latin and src.latin:
        cost -= LATIN_BONUS * min(3, len(tgt.latin & src.latin))
    if src.quotes != tgt.quotes:
        cost += QUOTE_WEIGHT * min(2, abs(src.quotes - tgt.quotes))
    if src.last != tgt.last:
        cost += PARAGRAPH_COST
    return cost


_Step = tuple[int, int, int, int, float]


def _dp(
    src: _Groups,
    tgt: _Groups,
    ratio: float,
    rows: range,
    cols: range,
    moves: dict[tuple[int, int], float] = MOVE_COST,
    skip: float = SKIP_COST,
) -> list[_Step]:
    """Return the cheapest monotonic path over ``src[rows]`` x ``tgt[cols]`` (grouped units) as
    (i0, i1, j0, j1, cost) steps in unit indices."""
    n, m = len(rows), len(cols)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    band = _BAND + abs(n - m)
    for i in range(n + 1):
        centre = int(i * m / n) if n else 0
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            here = best[i][j]
            if here == inf:
                continue
            for (di, dj), penalty in moves.items():
                if i + di <= n and j + dj <= m:
                    pair = _pair_cost(src.get(rows[i], di), tgt.get(cols[j], dj), ratio)
                    if here + penalty + pair < best[i + di][j + dj]:
                        best[i + di][j + dj] = here + penalty + pair
                        back[i + di][j + dj] = (i, j, penalty + pair)
            for di, dj in ((1, 0), (0, 1)):
                if i + di <= n and j + dj <= m and here + skip < best[i + di][j + dj]:
                    best[i + di][j + dj] = here + skip
                    back[i + di][j + dj] = (i, j, skip)
    path: list[_Step] = []
    i, j = n, m
    while i or j:
        pi, pj, step = back[i][j]
        path.append((rows.start + pi, rows.start + i, cols.start + pj, cols.start + j, step))
        i, j = pi, pj
    return path[::-1]


def _paragraph_runs(
    src: Sequence[_Unit], tgt: Sequence[_Unit], ratio: float
) -> list[tuple[range, range]] | None:
    """Align the paragraphs first (translators mostly keep, sometimes drop, merge or split them)
    and return the unit ranges of each paragraph pair; None when the paragraph counts differ too
    much for paragraphs to guide (a translation re-flowed into other lines)."""
    src_paras, tgt_paras = _para_ranges(src), _para_ranges(tgt)
    n, m = len(src_paras), len(tgt_paras)
    if n < 2 or m < 2 or abs(n - m) > max(2, 0.25 * max(n, m)):
        return None
    src_p = _Groups([_merge(src[r.start : r.stop]) for r in src_paras])
    tgt_p = _Groups([_merge(tgt[r.start : r.stop]) for r in tgt_paras])
    if n == m and all(_sane(src_p.units[k], tgt_p.units[k], ratio) for k in range(n)):
        return list(zip(src_paras, tgt_paras, strict=True))  # the usual case: the lines were kept
    runs = []
    for p0, p1, q0, q1, _ in _dp(src_p, tgt_p, ratio, range(n), range(m), PARAGRAPH_MOVES, PARAGRAPH_SKIP):
        rows = range(src_paras[p0].start, src_paras[p1 - 1].stop) if p1 > p0 else range(0)
        cols = range(tgt_paras[q0].start, tgt_paras[q1 - 1].stop) if q1 > q0 else range(0)
        runs.append((rows, cols))
    return runs


def _sane(src: _Unit, tgt: _Unit, ratio: float) -> bool:
    """Return True when a paragraph pair's lengths and figures agree well enough to trust."""
    scaled = (tgt.length + 20.0) / (ratio * src.length + 20.0)
    return PARAGRAPH_RATIO[0] <= scaled <= PARAGRAPH_RATIO[1] and src.quotes == tgt.quotes


def _para_ranges(units: Sequence[_Unit]) -> list[range]:
    ranges: list[range] = []
    start = 0
    for index, unit in enumerate(units):
        if unit.last:
            ranges.append(range(start, index + 1))
            start = index + 1
    return ranges


def _run_steps(src: _Groups, tgt: _Groups, ratio: float, rows: range, cols: range) -> list[_Step]:
    """Align the sentences of one paragraph pair; a paragraph with no counterpart gives one
    unpaired step per sentence unit."""
    if rows and cols:
        return _dp(src, tgt, ratio, rows, cols)
    return [(i, i + 1, cols.start, cols.start, SKIP_COST) for i in rows] + [
        (rows.start, rows.start, j, j + 1, SKIP_COST) for j in cols
    ]


def align_sentences(article: Article, target: TargetText) -> tuple[tuple[SentencePair, ...], float]:
    """Pair source and target sentences with a monotonic dynamic program.

    Returns:
        The pairs in order, covering every sentence of both sides once, and the document's
        target/source length ratio used to compare lengths.
    """
    src_parts = [p for q in article.quotes for p in q.parts]
    latin = _latin_words(target.text)
    src = _units(article.text, latin, [(p.span, p.sentences) for p in article.paragraphs], src_parts)
    tgt_parts = [p for q in target.quotes for p in q.parts]
    tgt = _units(target.text, latin, [(p.span, p.sentences) for p in target.paragraphs], tgt_parts)
    ratio = (sum(u.length for u in tgt) + 1.0) / (sum(u.length for u in src) + 1.0)
    src_groups, tgt_groups = _Groups(src), _Groups(tgt)
    runs = _paragraph_runs(src, tgt, ratio) or [(range(len(src)), range(len(tgt)))]
    steps = [step for rows, cols in runs for step in _run_steps(src_groups, tgt_groups, ratio, rows, cols)]
    pairs = tuple(
        SentencePair(
            source=tuple(s for u in src[i0:i1] for s in u.spans),
            target=tuple(s for u in tgt[j0:j1] for s in u.spans),
            score=round(min(1.0, max(0.0, 1.0 - step / 2.0)), 3),
        )
        for i0, i1, j0, j1, step in steps
    )
    return pairs, ratio


# ---------------------------------------------------------------------------------------------
# Quotation alignment
# ---------------------------------------------------------------------------------------------

# Costs of the quotation aligner: leaving a source quotation unmatched, leaving a target
# quotation unmatched, and the extra cost of one source quotation taking two or three target
# quotations (Korean “A”며 “B”라고) or of two source quotations sharing one.
QUOTE_MISS_COST = 1.4
QUOTE_EXTRA_COST = 0.6
QUOTE_MOVES = {(1, 1): 0.0, (1, 2): 0.35, (1, 3): 0.6, (2, 1): 1.2}
NEIGHBOUR_COST = 0.45  # the target quotation sits in a sentence next to the aligned ones
SINGLE_MARK_COST = 0.25  # ‘…’ in the translation for a double-quoted source quotation
_END_PUNCT = re.compile(r"[?!]")


@dataclass(frozen=True, slots=True)
class QuoteAlignment:
    """Where a source quotation went in the translation.

    ``target`` is the hull of ``target_parts`` (the inside-the-marks pieces of the target
    quotations in ``target_quotes``), None when no quotation of the translation renders it;
    ``region`` are the target sentences aligned with the quotation's source sentences (where
    its content went when the marks are gone).
    """

    quote_id: str
    source: Span
    target: Span | None
    target_parts: tuple[Span, ...]
    target_quotes: tuple[str, ...]
    region: tuple[Span, ...]
    method: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """Everything the aligner found: the segmented translation, the sentence pairs, each source
    quotation's target, and the document's target/source length ratio."""

    target: TargetText
    sentences: tuple[SentencePair, ...]
    quotes: tuple[QuoteAlignment, ...]
    ratio: float

    def pair_of(self, span: Span, source: bool = True) -> int | None:
        """Return the index of the sentence pair whose source (or target) sentences hold the start
        of ``span``."""
        return _pair_index(self.sentences, span.start, source)


@dataclass(frozen=True, slots=True)
class _Window:
    core: frozenset[int]  # target quotation indices in the aligned sentences
    near: frozenset[int]  # … in the sentences next to them
    region: tuple[Span, ...]
    pair_score: float


def _pair_index(pairs: Sequence[SentencePair], pos: int, source: bool) -> int | None:
    for index, pair in enumerate(pairs):
        for span in pair.source if source else pair.target:
            if span.start <= pos < span.end:
                return index
    return None


def _windows(article: Article, target: TargetText, pairs: Sequence[SentencePair]) -> list[_Window]:
    where = [{_pair_index(pairs, p.start, source=False) for p in q.parts} for q in target.quotes]
    windows = []
    for quote in article.quotes:
        found = {k for p in quote.parts if (k := _pair_index(pairs, p.start, source=True)) is not None}
        core_pairs = {k for k in found if pairs[k].target}
        near_pairs = {k + d for k in found for d in (-1, 1)} - core_pairs
        region = tuple(s for k in sorted(core_pairs) if 0 <= k < len(pairs) for s in pairs[k].target)
        scores = [pairs[k].score for k in found] or [0.0]
        windows.append(
            _Window(
                core=frozenset(i for i, ks in enumerate(where) if ks & core_pairs),
                near=frozenset(i for i, ks in enumerate(where) if ks & near_pairs),
                region=region,
                pair_score=min(scores),
            )
        )
    return windows


def _text_len(text: str, spans: Sequence[Span]) -> int:
    return sum(_length(text, s) for s in spans)


@dataclass(frozen=True, slots=True)
class _QuoteFeatures:
    """What the quotation aligner compares: length, figures, a final ? or !, single marks."""

    length: int
    numbers: frozenset[float]
    asks: bool
    single: bool


def _features(text: str, parts: Sequence[Span], single: bool) -> _QuoteFeatures:
    numbers = frozenset(
        round(float(re.sub(r"\D", "", m.group(1))) * _SCALE.get(m.group(3) or "", 1.0), 3)
        for p in parts
        for m in _FIGURE.finditer(text, p.start, p.end)
    )
    tail = parts[-1].of(text)[-3:] if parts else ""
    return _QuoteFeatures(_text_len(text, parts), numbers, bool(_END_PUNCT.search(tail)), single)


def _merged(features: Sequence[_QuoteFeatures]) -> _QuoteFeatures:
    if len(features) == 1:
        return features[0]
    return _QuoteFeatures(
        sum(f.length for f in features),
        frozenset().union(*(f.numbers for f in features)),
        features[-1].asks,
        any(f.single for f in features),
    )


def _match_cost(
    src: _QuoteFeatures,
    tgt: _QuoteFeatures,
    windows: Sequence[_Window],
    ratio: float,
    rows: range,
    cols: range,
) -> float | None:
    """Return the cost of rendering source quotations ``rows`` by target quotations ``cols``, or
    None when they are not local (not in or next to the aligned sentences)."""
    cost = 0.0
    for i in rows:
        window = windows[i]
        for t in cols:
            if t not in window.core:
                if t not in window.near or len(cols) > 1:  # a split stays in the aligned sentences
                    return None
                cost += NEIGHBOUR_COST
    cost += abs(math.log((tgt.length + 6.0) / (ratio * src.length + 6.0)))
    if src.numbers or tgt.numbers:
        # a number the target adds speaks against the pair; one it lacks may be spelled out
        union = len(src.numbers | tgt.numbers)
        extra, missing = len(tgt.numbers - src.numbers), len(src.numbers - tgt.numbers)
        cost += NUMBER_WEIGHT * (extra + 0.5 * missing) / union
    if src.asks != tgt.asks:
        cost += 0.2
    if tgt.single and not src.single:
        cost += SINGLE_MARK_COST
    return cost


def _mergeable(article: Article, target: TargetText, i: int, j: int) -> bool:
    """Return True when source quotations i and i+1 may share target quotation j: it has a part
    for each (the Ukrainian «A, — сказав він. — B»), or both stand in one source paragraph."""
    return len(target.quotes[j].parts) >= 2 or article.quotes[i].paragraph == article.quotes[i + 1].paragraph


def _quote_dp(
    article: Article, target: TargetText, windows: Sequence[_Window], ratio: float
) -> list[tuple[int, int, int, int, float]]:
    """Return matched steps (i0, i1, j0, j1, cost) of the cheapest monotonic quotation pairing."""
    text = article.text
    src_f = [
        _features(text, q.parts, q.span.start > 0 and text[q.span.start - 1] in "'‘") for q in article.quotes
    ]
    tgt_f = [_features(target.text, q.parts, q.single) for q in target.quotes]
    n, m = len(src_f), len(tgt_f)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == inf:
                continue
            _relax(best, back, i, j, i + 1, j, here + QUOTE_MISS_COST, QUOTE_MISS_COST)
            _relax(best, back, i, j, i, j + 1, here + QUOTE_EXTRA_COST, QUOTE_EXTRA_COST)
            for (di, dj), penalty in QUOTE_MOVES.items():
                if i + di > n or j + dj > m or (di == 2 and not _mergeable(article, target, i, j)):
                    continue
                cost = _match_cost(
                    _merged(src_f[i : i + di]),
                    _merged(tgt_f[j : j + dj]),
                    windows,
                    ratio,
                    range(i, i + di),
                    range(j, j + dj),
                )
                if cost is not None:
                    _relax(best, back, i, j, i + di, j + dj, here + cost + penalty, cost + penalty)
    steps: list[tuple[int, int, int, int, float]] = []
    i, j = n, m
    while i or j:
        pi, pj, step = back[i][j]
        if i - pi and j - pj:
            steps.append((pi, i, pj, j, step))
        i, j = pi, pj
    return steps[::-1]


def _relax(
    best: list[list[float]],
    back: list[list[tuple[int, int, float]]],
    i: int,
    j: int,
    ni: int,
    nj: int,
    total: float,
    step: float,
) -> None:
    if ni < len(best) and nj < len(best[0]) and total < best[ni][nj]:
        best[ni][nj] = total
        back[ni][nj] = (i, j, step)


def align_quotes(
    article: Article, target: TargetText, pairs: Sequence[SentencePair], ratio: float
) -> tuple[QuoteAlignment, ...]:
    """Pair each source quotation with the target quotation(s) that render it, or with none."""
    windows = _windows(article, target, pairs)
    matched: dict[int, tuple[tuple[TargetQuote, ...], tuple[Span, ...], float, str]] = {}
    for i0, i1, j0, j1, cost in _quote_dp(article, target, windows, ratio):
        tquotes = target.quotes[j0:j1]
        method = (
            "marks" if (i1 - i0, j1 - j0) == (1, 1) else "marks-split" if i1 - i0 == 1 else "marks-merged"
        )
        if any(t not in windows[i0].core for t in range(j0, j1)):
            method += "-nearby"
        shares = _share_parts(article, target.text, article.quotes[i0:i1], tquotes, ratio)
        for i, parts in zip(range(i0, i1), shares, strict=True):
            matched[i] = (tquotes, parts, cost, method)
    return tuple(_quote_alignment(q, windows[i], matched.get(i)) for i, q in enumerate(article.quotes))


def _share_parts(
    article: Article, text: str, quotes: Sequence[Quote], tquotes: Sequence[TargetQuote], ratio: float
) -> list[tuple[Span, ...]]:
    """Give each of two source quotations merged into one target quotation its own target parts
    when the target has a part for each (the Ukrainian «A, — сказав він. — B»)."""
    parts = tuple(p for tq in tquotes for p in tq.parts)
    if len(quotes) == 1 or len(parts) < len(quotes):
        return [parts] * len(quotes)
    first, second = (_text_len(article.text, q.parts) * ratio + 6.0 for q in quotes)

    def misfit(cut: int) -> float:
        head, tail = _text_len(text, parts[:cut]) + 6.0, _text_len(text, parts[cut:]) + 6.0
        return abs(math.log(head / first)) + abs(math.log(tail / second))

    cut = min(range(1, len(parts)), key=misfit)
    return [parts[:cut], parts[cut:]]


def _quote_alignment(
    quote: Quote, window: _Window, match: tuple[tuple[TargetQuote, ...], tuple[Span, ...], float, str] | None
) -> QuoteAlignment:
    if match is None:
        confidence = round(0.5 + 0.5 * window.pair_score, 3) if window.region else 0.3
        return QuoteAlignment(quote.id, quote.span, None, (), (), window.region, "none", confidence)
    tquotes, parts, cost, method = match
    confidence = min(1.0, round(math.exp(-cost) * (0.6 + 0.4 * window.pair_score), 3))
    return QuoteAlignment(
        quote.id,
        quote.span,
        hull(parts),
        parts,
        tuple(tq.id for tq in tquotes),
        window.region,
        method,
        confidence,
    )


def align(article: Article, target_text: str, lang: str) -> Alignment:
    """Segment a translation and align it with its source article, sentences then quotations.

    Args:
        article: The parsed English source.
        target_text: The whole translation.
        lang: ``"ko"`` or ``"uk"``.

    Returns:
        The alignment: target segmentation, sentence pairs and one ``QuoteAlignment`` per
        source quotation, in source order.
    """
    target = segment_target(target_text, lang)
    pairs, ratio = align_sentences(article, target)
    return Alignment(target, pairs, align_quotes(article, target, pairs, ratio), ratio)
