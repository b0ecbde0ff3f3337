"""Find the quoted pieces of one line of a translation, and the text's lines.

Which glyph opens or closes a quotation and which is an apostrophe, in mixed marks (straight and
curly, « » with " "); what a closing mark with no opener in its line ends; single-quoted pieces
outside the double-quoted ones. ``align_target`` links the pieces across lines into quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.spans import Span, strip_span

# ---------------------------------------------------------------------------------------------
# Target quotation marks
# ---------------------------------------------------------------------------------------------

# Every glyph that can open or close a quotation in en/ko/uk text, straight and typographic.
MARK = re.compile(r"[\"“”«»„「」『』'‘’]")
_OPENERS = "«„「『"  # only ever open
_CLOSERS = "»」』"  # only ever close
_SINGLES = "'‘’"
# Letters that take an apostrophe inside a word (Hangul never does): don't, інтерв'ю, O'Brien.
_APOS_LETTER = re.compile(r"[A-Za-zА-ЯЁЄІЇҐа-яёєіїґ0-9]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Piece:
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
    top = stack[-1][1] if stack else ""
    if char in _OPENERS:
        return "close" if top == _REVERSED.get(char) else "open"  # »…« reversed
    before, after = _flanks(text, pos, lo, hi)
    if char in _CLOSERS:
        if not stack and before and not after and _REVERSED[char] in text[pos + 1 : hi]:
            return "open"  # a reversed pair: »Текст«
        return "close" if stack else "stray"
    if char == "“":
        if top in ("„", "”"):  # „…“ and a reversed ”…“
            return "close"
        # a closer: of a quotation opened here, or on an earlier line; space-padded too when
        # punctuation or the line end follows (machine output: …в сонний стан “.)
        if after and (not before or pos + 1 >= hi or text[pos + 1] in ",.;:!?…"):
            return "close" if stack else "stray"
        return "open"
    if char == "”":
        if stack:
            return "close"
        return "open" if not after and _later_closer(text, pos + 1, hi) else "stray"
    # straight double quote
    if stack:
        return "open" if before and not after and (top != '"' or _nested_straight(text, pos, hi)) else "close"
    if before and not after:
        return "open"
    # glued on the left ('다."라고') or spaced on both sides: an odd count left in the line
    # means this one closes a quotation that opened on an earlier line
    return "stray" if text.count('"', pos, hi) % 2 == 1 else "open"


def _later_closer(text: str, pos: int, hi: int) -> bool:
    return any(c in '"”»“' for c in text[pos:hi])


# Marks written the other way round (German style »…«, Korean MT ”…“): each one's partner.
_REVERSED = {"»": "«", "«": "»", "」": "「", "「": "」", "』": "『", "『": "』"}
# A Korean quotative glued to a straight mark: a space-padded closer ("…했다 "라고), no opener.
_KO_QUOTATIVE_AFTER = re.compile(r'"(?:이)?(?:라(?:고|며|면서|는)|고|며)(?![가-힣])')


def _nested_straight(text: str, pos: int, hi: int) -> bool:
    """Return True when a straight mark that opens a word inside a straight quotation opens a
    nested one ("그는 "안 된다"고 말했다"): it, the nested closer and the outer closer are an odd
    number of straight marks still to come in the line, and no quotative follows it."""
    left = text.count('"', pos, hi)
    return left >= 3 and left % 2 == 1 and _KO_QUOTATIVE_AFTER.match(text, pos) is None


def scan_doubles(text: str, lo: int, hi: int) -> list[Piece]:
    """Return the top-level double-quoted pieces of one line ``text[lo:hi]``."""
    pieces: list[Piece] = []
    stack: list[tuple[int, str]] = []
    last_end = lo
    for match in MARK.finditer(text, lo, hi):
        pos, char = match.start(), match.group()
        if char in _SINGLES:
            continue
        role = _double_role(text, pos, lo, hi, stack)
        if role == "open":
            stack.append((pos, char))
        elif role == "close":
            start, opening = stack.pop()
            if not stack:
                pieces.append(Piece(start + 1, pos, opening, char, False))
                last_end = pos + 1
        elif pos > last_end or (pieces and char != pieces[-1].closing):
            pieces = _close_stray(text, lo, pos, pieces)
            last_end = pos + 1
    if stack:
        start, opening = stack[0]
        pieces.append(Piece(start + 1, _rstrip(text, start + 1, hi), opening, "", False))
    return pieces


def _close_stray(text: str, lo: int, pos: int, pieces: list[Piece]) -> list[Piece]:
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
        return [*pieces, Piece(start, pos, "", text[pos], False)]
    return [Piece(lo, pos, "", text[pos], False)]


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi


def scan_singles(text: str, lo: int, hi: int, taken: Sequence[Piece]) -> list[Piece]:
    """Return single-quoted pieces of a line that lie outside the double-quoted ones."""
    pieces: list[Piece] = []
    open_at: tuple[int, str] | None = None
    for match in MARK.finditer(text, lo, hi):
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
            pieces.append(Piece(open_at[0] + 1, pos, open_at[1], char, True))
            open_at = None
    return pieces


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the text, stripped, with its 1-based number."""

    span: Span
    number: int  # 1-based


def text_lines(text: str) -> list[Line]:
    """Return the non-blank lines of ``text`` with their 1-based numbers."""
    found: list[Line] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        span = strip_span(text, Span(start, end))
        if span.end > span.start:
            found.append(Line(span, number))
        start = end + 1
    return found
