"""Find quotation marks in English text, tell them from apostrophes, and pair them.

One left-to-right pass over the marks with a stack: each mark is classed by what stands on
either side of it (an opening mark follows a space and precedes a word; a closing mark
follows a word and precedes a space or punctuation), straight marks that could be either
take the reading the stack expects, and single marks that cannot be quotation marks are
apostrophes (``North Korea's``, ``'90s``, ``rock 'n' roll``, ``the students' union``).

Double quotations may run over paragraphs in two ways, both seen in real news: the opening
mark repeated at the start of each new paragraph, and (in sentence-per-line files) a closing
mark several lines on with no mark in between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.spans import Span, strip_span

# Any quotation mark or apostrophe: '"', "'", '“', '”', '‘', '’', '«', '»'.
_MARK = re.compile(r"[\"'“”‘’«»]")
# Elisions that open with an apostrophe: "rock 'n' roll", "the '90s", "'em", "'til", "'cause".
_ELISION = re.compile(r"['’](?:n['’]|em\b|til\b|cause\b|tis\b|twas\b|bout\b|\d0s\b|\d\d\b)", re.IGNORECASE)
# A plural possessive: "the students' union", "the Ukrainians' hopes" (s, mark, lower-case word).
_PLURAL_POSSESSIVE = re.compile(r"(?<=s)['’](?= [a-z])")
# A straight double mark typed for an apostrophe, when nothing is open: 'Mercedes" team orders',
# 'Dragons" Den' (a word on both sides, a space after it).
_STRAY_APOSTROPHE = re.compile(r"(?<=\w)\"(?=\s\w)")

# What may stand before an opening mark and after a closing one (besides space and the ends).
_BEFORE_OPEN = frozenset("([{<—–-/\"'“‘«")
_AFTER_CLOSE = frozenset(".,;:!?)]}>—–-/\"'”’»…")
_DOUBLE = frozenset('"“”«»')

OPEN, CLOSE, EITHER = 1, 2, 3
# Marks with a fixed direction.
_FIXED = {"“": OPEN, "«": OPEN, "‘": OPEN, "”": CLOSE, "»": CLOSE, "’": CLOSE}
# How many paragraphs without marks a quotation may cross before its closing mark.
MAX_BARE_PARAGRAPHS = 8


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A top-level quotation found by its marks, before any attribution.

    ``parts`` hold the inner text per paragraph (outer whitespace trimmed); ``open_mark`` and
    ``close_mark`` are the offsets of the marks (None where a part starts or ends without one).
    """

    parts: tuple[Span, ...]
    paragraph: int
    open_mark: int | None
    close_mark: int | None
    single: bool
    nested: tuple[Span, ...]


@dataclass(slots=True)
class _Open:
    single: bool
    mark: int | None
    paragraph: int
    part_start: int
    parts: list[Span] = field(default_factory=list)
    nested: list[Span] = field(default_factory=list)
    confirmed: int = 0  # parts known to belong to the quotation (the rest are tentative)


@dataclass(slots=True)
class _Scan:
    """The mutable state of one pass over an article."""

    text: str
    lines: Sequence[int]
    stack: list[_Open] = field(default_factory=list)
    found: list[RawQuote] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    carried: list[_Open] = field(default_factory=list)  # doubles left open, outermost first
    surplus: list[int] = field(default_factory=list)  # closing minus opening doubles after each mark
    bare: int = 0  # paragraphs crossed without a mark by the carried quotation


def find_quotes(
    text: str, paragraphs: Sequence[Span], lines: Sequence[int]
) -> tuple[tuple[RawQuote, ...], tuple[tuple[int, str], ...]]:
    """Return the top-level quotations of ``text`` in order, and warnings as (line, message).

    Args:
        text: The whole article.
        paragraphs: The paragraph spans, in order.
        lines: The 1-based line of each paragraph.
    """
    scan = _Scan(text, lines)
    for index, paragraph in enumerate(paragraphs):
        marks = _marks(scan, index, paragraph)
        marks = _continue_carried(scan, index, paragraph, marks)
        scan.surplus = _surplus(scan.text, marks)
        for k, (position, role) in enumerate(marks):
            _feed(scan, index, paragraph, position, role, scan.surplus[k])
        _end_paragraph(scan, paragraph)
    if scan.carried:
        _give_up(scan, scan.carried[0])
    scan.found.sort(key=lambda q: q.parts[0].start)
    return tuple(scan.found), tuple(scan.warnings)


def _marks(scan: _Scan, index: int, paragraph: Span) -> list[tuple[int, int]]:
    """Return (offset, role) for every quotation mark of a paragraph, apostrophes left out."""
    text = scan.text
    marks: list[tuple[int, int]] = []
    skip_to = paragraph.start
    for match in _MARK.finditer(text, paragraph.start, paragraph.end):
        i = match.start()
        if i < skip_to:
            continue
        if text[i] in "'’":
            elision = _ELISION.match(text, i)
            if elision and (i == paragraph.start or not text[i - 1].isalnum()):
                skip_to = elision.end()
                continue
            if _is_apostrophe(text, i, paragraph):
                continue
        elif _is_apostrophe(text, i, paragraph) and text[i] == '"':
            scan.warnings.append(
                (scan.lines[index], 'a double quotation mark inside a word ("d"état"); ignored')
            )
            continue
        marks.append((i, _role(text, i, paragraph)))
    return marks


def _is_apostrophe(text: str, i: int, paragraph: Span) -> bool:
    inside = paragraph.start < i < paragraph.end - 1
    if inside and text[i - 1].isalnum() and text[i + 1].isalnum():
        return True  # "Korea's", "I'm", "o'clock"
    return _PLURAL_POSSESSIVE.match(text, i) is not None


def _role(text: str, i: int, paragraph: Span) -> int:
    """Class a mark as OPEN, CLOSE or EITHER from its neighbours (see the module docstring)."""
    fixed = _FIXED.get(text[i])
    if fixed is not None:
        return fixed
    before = text[i - 1] if i > paragraph.start else " "
    after = text[i + 1] if i + 1 < paragraph.end else " "
    can_open = (before.isspace() or before in _BEFORE_OPEN) and not after.isspace()
    can_close = not before.isspace() and (after.isspace() or after in _AFTER_CLOSE)
    if can_open and not can_close:
        return OPEN
    if can_close and not can_open:
        return CLOSE
    return EITHER


def _continue_carried(
    scan: _Scan, index: int, paragraph: Span, marks: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Carry a quotation left open by an earlier paragraph into this one, or end it."""
    carried, scan.carried = scan.carried, []
    if not carried:
        return marks
    if carried[0].single:
        return _continue_single(scan, carried[0], paragraph, marks)
    doubles = [(pos, role) for pos, role in marks if scan.text[pos] in _DOUBLE]
    if not doubles and scan.bare < MAX_BARE_PARAGRAPHS:
        scan.bare += 1  # tentative: confirmed only if a closing mark comes first later on
        for quote in carried:
            quote.parts.append(paragraph)
        scan.carried = carried
        return marks
    opens = sum(role == OPEN for _, role in doubles)
    start = paragraph.start
    # an opening mark repeated at a paragraph start carries a quotation on from the paragraph
    # right before; after paragraphs without marks it opens a new one (“…units. / Narration. /
    # “Morning everyone”: the first quotation lost its closing mark)
    bare = scan.bare
    if doubles and len(doubles) - opens > opens:
        pass  # more closing marks than opening ones: the quotation closes here
    elif (
        doubles
        and doubles[0][0] == paragraph.start
        and doubles[0][1] != CLOSE
        and not bare
        and not _partial(scan.text, carried[0])
    ):
        start = doubles[0][0] + 1  # the opening mark repeated at a new paragraph
        marks = [m for m in marks if m != doubles[0]]
    else:
        _give_up(scan, carried[0])
        return marks
    for quote in carried:
        quote.part_start = start
        quote.confirmed = len(quote.parts)
    scan.bare = 0
    scan.stack.extend(carried)
    return marks


# A word (not a colon or a comma) right before an opening mark: a partial quotation inside a
# narration sentence (talking to "Facebook and Google about …), which does not run over paragraphs.
_WORD_BEFORE = re.compile(r"[a-z]\s$")


def _partial(text: str, quote: _Open) -> bool:
    """Return True when a quotation opened in the middle of a narration sentence."""
    return quote.mark is not None and bool(_WORD_BEFORE.search(text, max(0, quote.mark - 2), quote.mark))


def _continue_single(
    scan: _Scan, quote: _Open, paragraph: Span, marks: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """British style: a single-quoted quotation goes on only where the next paragraph opens
    with a single mark again; otherwise its mark was an apostrophe and is dropped silently."""
    first = marks[0] if marks else None
    if first is None or first[0] != paragraph.start or scan.text[first[0]] in _DOUBLE or first[1] != OPEN:
        return marks
    quote.part_start = first[0] + 1
    quote.confirmed = len(quote.parts)
    scan.stack.append(quote)
    return marks[1:]


def _surplus(text: str, marks: list[tuple[int, int]]) -> list[int]:
    """For each mark, how many more closing than opening double marks follow it."""
    surplus, balance = [0] * len(marks), 0
    for k in range(len(marks) - 1, -1, -1):
        surplus[k] = balance
        position, role = marks[k]
        if text[position] in _DOUBLE and role != EITHER:
            balance += 1 if role == CLOSE else -1
    return surplus


def _feed(scan: _Scan, index: int, paragraph: Span, position: int, role: int, surplus: int) -> None:
    """Apply one mark to the stack; ``surplus`` counts the unmatched closing marks after it."""
    single = scan.text[position] not in _DOUBLE
    stack = scan.stack
    top_single = bool(stack) and stack[-1].single
    if single:
        if role == OPEN or (role == EITHER and not top_single):
            stack.append(_Open(True, position, index, position + 1))
        elif top_single:
            _close(scan, position)
        return  # a closing single mark with nothing to close is an apostrophe: "boys' "
    has_double = any(not q.single for q in stack)
    if role == OPEN or (role == EITHER and not has_double):
        stack.append(_Open(False, position, index, position + 1))
        return
    if has_double and surplus > 0 and _STRAY_APOSTROPHE.match(scan.text, position):
        # 'author of "… the Hollywood Boys" Club," has': the closing mark comes later.
        scan.warnings.append((scan.lines[index], "a double quotation mark stands for an apostrophe; ignored"))
        return
    if has_double:
        while stack[-1].single:
            stack.pop()  # an unclosed single inside a double was an apostrophe
        _close(scan, position)
        return
    _stray_close(scan, index, paragraph, position)


def _close(scan: _Scan, position: int) -> None:
    quote = scan.stack.pop()
    quote.parts.append(Span(quote.part_start, position))
    inner, paragraph = _inner(scan.text, quote)
    if not inner:
        return
    if scan.stack:
        scan.stack[-1].nested.append(Span(inner[0].start, inner[-1].end))
        return
    scan.found.append(RawQuote(inner, paragraph, quote.mark, position, quote.single, tuple(quote.nested)))


def _stray_close(scan: _Scan, index: int, paragraph: Span, position: int) -> None:
    """Handle a closing double mark with nothing open: keep a best-effort quotation."""
    line = scan.lines[index]
    if _STRAY_APOSTROPHE.match(scan.text, position):
        scan.warnings.append((line, "a double quotation mark stands for an apostrophe; ignored"))
        return
    scan.warnings.append((line, "closing quotation mark without an opening one"))
    scan.stack.clear()  # only single marks can be open here: apostrophes after all
    start = paragraph.start
    last = scan.found[-1].close_mark if scan.found else None
    if last is not None and last >= paragraph.start:
        start = last + 1
    scan.stack.append(_Open(False, None, index, start))
    _close(scan, position)


def _end_paragraph(scan: _Scan, paragraph: Span) -> None:
    """Carry open double quotations (and a single-quoted one that opened the paragraph's
    stack: British style); drop other unclosed single marks (apostrophes after all)."""
    doubles = [q for q in scan.stack if not q.single]
    if not doubles and scan.stack and scan.stack[0].mark is not None:
        doubles = [scan.stack[0]]  # a single quotation, carried only on a repeated mark
    scan.stack.clear()
    if not doubles:
        return  # nothing opened here (a quotation crossing a bare paragraph stays carried)
    for quote in doubles:
        quote.parts.append(Span(quote.part_start, paragraph.end))
        quote.confirmed = len(quote.parts)
    scan.carried = doubles


def _give_up(scan: _Scan, quote: _Open) -> None:
    """End an unclosed quotation at its last confirmed part, with a warning."""
    scan.bare = 0
    line = scan.lines[quote.paragraph]
    scan.warnings.append((line, "quotation mark opened here is never closed; ended at the paragraph end"))
    del quote.parts[quote.confirmed :]
    inner, paragraph = _inner(scan.text, quote)
    if inner:
        scan.found.append(RawQuote(inner, paragraph, quote.mark, None, quote.single, tuple(quote.nested)))


def _inner(text: str, quote: _Open) -> tuple[tuple[Span, ...], int]:
    """Return the non-empty parts, trimmed, and the paragraph of the first (one part per paragraph)."""
    trimmed = [strip_span(text, s) for s in quote.parts]
    skipped = next((k for k, p in enumerate(trimmed) if p.start < p.end), 0)
    return tuple(p for p in trimmed if p.start < p.end), quote.paragraph + skipped
