"""Segment a translation on its own terms: its quotations, then its sentences.

``find_target_quotes`` links the quoted pieces of each line (``align_marks``) into quotations
that may run over several lines, and splits them at Ukrainian dash attributions inside one pair
of marks; ``segment_target`` cuts each line into sentences, never through a quotation.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.align.marks import Line, Piece, scan_doubles, scan_singles, text_lines
from aligner.article.records import Paragraph
from aligner.lang.verbs import find_speech_verbs
from aligner.spans import Span, hull, strip_span

# A dash-embedded Ukrainian attribution inside one quoted span: «Перше, — сказав він, — друге»
# -> parts "Перше," and "друге", insert "сказав він". The narration is short (1-10 words).
# (The narration may name a party or a paper in marks: «…, – написали представники партії «Ліві»
# у Twitter, – …».)
_NARR = r"(?:[^—–«»\"“”„]|«[^«»\n]{1,40}»|“[^“”\n]{1,40}”){2,140}?"
_EMBEDDED = re.compile(rf"(?<=[,.!?…:;])\s*[—–-]\s+(?P<narr>{_NARR})[,.:;]?\s*[—–]\s+(?=\S)")
# The words an attribution between two dashes may have («…, — сказав він, — …»; with a date, a
# place and a title: «…, – написали євродепутатам (10 січня) представники організації. – …»).
EMBEDDED_MAX_WORDS = 16
# The same attribution closing a line whose quotation goes on below, the marks left out:
# "Я не біжу, але я дійсно біжу, — сказав він. —" -> part "Я не біжу, …", insert "сказав він".
_TRAILING_INSERT = re.compile(r"(?<=[,.!?…])\s*[—–]\s*(?P<narr>[^—–«»\"“”„]{2,90}?)[,.:;]?\s*[—–]\s*$")
# An attribution after a dash that ends the line of a quotation whose closing mark the translator
# left out: «Інтернет зараз у вогні, – прокоментував Адам Мейерс, аналітик компанії. (The
# quotation ends at the dash; it does not go on to the next line.)
_CLOSING_NARRATION = re.compile(r"(?:(?<=[,.!?…])\s*|\s)[—–]\s+(?P<narr>[^—–«»\"“”„]{2,200}?)[.!?…]?\s*$")
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


def _split_embedded(text: str, piece: Piece, lang: str) -> tuple[list[Span], list[Span]]:
    """Split a quoted piece at dash-embedded attributions (narration with a speech verb, not a
    dash-parenthesis of the speaker's own words); return (parts, inserts)."""
    parts: list[Span] = []
    inserts: list[Span] = []
    cursor = piece.start
    for match in _EMBEDDED.finditer(text, piece.start, piece.end):
        narr = match.group("narr")
        if (
            len(narr.split()) > EMBEDDED_MAX_WORDS
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
            and len(trailing.group("narr").split()) <= EMBEDDED_MAX_WORDS
            and _speech(text, trailing.span("narr"), lang)
        ):
            inserts.append(Span(trailing.start("narr"), trailing.end("narr")))
            end = trailing.start()
        elif (closing := _closing_narration(text, Piece(cursor, piece.end, "", "", False), lang)) is not None:
            inserts.append(closing[1])
            end = closing[0]
    parts.append(Span(cursor, end))
    return parts, inserts


def _closing_narration(text: str, piece: Piece, lang: str) -> tuple[int, Span] | None:
    """Return (where the quotation ends, the attribution) when an unclosed piece ends on a dash
    attribution with a speech verb (``_CLOSING_NARRATION``), else None."""
    if piece.closing:
        return None
    match = _CLOSING_NARRATION.search(text, piece.start, piece.end)
    if (
        match is None
        or match.start() - piece.start < 2
        or len(match.group("narr").split()) > EMBEDDED_MAX_WORDS
        or not _speech(text, match.span("narr"), lang)
    ):
        return None
    return match.start(), Span(match.start("narr"), match.end("narr"))


def _speech(text: str, where: tuple[int, int], lang: str) -> bool:
    return bool(find_speech_verbs(text, lang, Span(*where)))


def _bare_line(text: str, line: Span, before: list[Span], lang: str) -> tuple[list[Span], list[Span]]:
    """Return (parts, inserts) of a line without marks inside an open quotation: a line that
    carries the attribution between dashes ("сказав Трамп. —") after a part that ended with a
    dash is all insert; otherwise it is quoted text, maybe with a trailing attribution."""
    part_dash = _DASH_END.search(text, before[-1].start, before[-1].end) if before else None
    line_dash = _DASH_END.search(text, line.start, line.end)
    if part_dash is not None and line_dash is not None and _speech(text, (line.start, line.end), lang):
        before[-1] = strip_span(text, Span(before[-1].start, part_dash.start()))
        return [], [strip_span(text, Span(line.start, line_dash.start()))]
    return _split_embedded(text, Piece(line.start, line.end, "", "", False), lang)


def find_target_quotes(text: str, lang: str) -> tuple[TargetQuote, ...]:
    """Return every quotation of a translation, in text order, ids ``t1``, ``t2`` …

    Marks may be mixed (straight and curly, « » with " "), quotations may run over several
    lines (an unclosed part at a line's end goes on with the next line's first part), and a
    Ukrainian attribution between dashes inside one pair of marks splits a quotation in two
    parts.
    """
    groups: list[_Group] = []
    open_group = closed_with_dash = False
    pending: list[tuple[Line, list[Piece]]] = []  # lines inside an unclosed quotation, so far
    for line in text_lines(text):
        lo, hi = line.span.start, line.span.end
        doubles = scan_doubles(text, lo, hi)
        pieces = sorted([*doubles, *scan_singles(text, lo, hi, doubles)], key=lambda p: p.start)
        dialogue = _dash_dialogue(text, lo, hi, pieces) if lang == "uk" and not open_group else None
        if dialogue is not None:
            groups.append((*dialogue, line.number))
            continue
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
            and not (first.opening and closed_with_dash)  # «…», — сказав він. — / «Нова цитата»
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
        closed_with_dash = (
            last is not None and last.closing != "" and bool(_TRAILING_DASH.search(text, last.end, hi))
        )
        open_group = (
            last is not None
            and not last.single
            and (last.closing == "" or closed_with_dash)
            and _closing_narration(text, last, lang) is None
        )
    groups += [_new_group(text, piece, lang, pl.number) for pl, nested in pending for piece in nested]
    return tuple(_make_quote(text, i, g) for i, g in enumerate(groups, start=1))


_Group = tuple[list[Span], list[Span], Piece, Piece, int]
# Ukrainian dialogue: a line that opens on a dash, its speech and the author's words between
# dashes after punctuation (— Текст, — сказав він. — Ще текст.; — ЦІЛИТИСЬ! — крикнув він).
# MT output types the dash as a hyphen too: - Добре. - Почав він.
_DIALOGUE_OPEN = re.compile(r"\s*[—–-]\s+(?=\S)")
_DIALOGUE_TURN = re.compile(r"(?<=[,.!?…:])\s+[—–-]\s+(?=\S)")


def _dash_dialogue(
    text: str, lo: int, hi: int, pieces: Sequence[Piece]
) -> tuple[list[Span], list[Span], Piece, Piece] | None:
    """Return (parts, inserts, first, last) of a Ukrainian dialogue line, or None for any other
    line (one whose speech is in marks, — «Текст», — сказав він, is left to the marks)."""
    opening = _DIALOGUE_OPEN.match(text, lo, hi)
    if opening is None or any(p.start - 1 <= opening.end() for p in pieces):
        return None
    cuts = [opening.end(), *(x for m in _DIALOGUE_TURN.finditer(text, opening.end(), hi) for x in m.span())]
    spans = [strip_span(text, Span(a, b)) for a, b in zip(cuts[::2], [*cuts[1::2], hi], strict=True)]
    parts = [s for s in spans[::2] if s.end > s.start]
    if not parts:
        return None
    piece = Piece(parts[0].start, parts[-1].end, opening.group().strip(), "", False)
    return parts, [s for s in spans[1::2] if s.end > s.start], piece, piece


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


def _nested_only(pieces: Sequence[Piece], opening: str) -> bool:
    """Return True when a line inside an unclosed quotation holds only closed quotations of
    another mark family («Кубок Райдера» inside "…"), or none."""
    family = _FAMILY.get(opening, opening)
    return all(
        p.opening and p.closing and (p.single or _FAMILY.get(p.opening, p.opening) != family) for p in pieces
    )


def _new_group(text: str, piece: Piece, lang: str, line: int) -> _Group:
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


def _split_line(text: str, line: Span, inside: tuple[list[int], list[int]]) -> tuple[Span, ...]:
    """Split one line into sentences, never inside a quotation's hull (``inside``: the hulls'
    sorted starts and the furthest end up to each, so a cut is tested by binary search)."""
    starts, reach = inside
    cuts = [line.start]
    for match in _SENTENCE_END.finditer(text, line.start, line.end):
        cut = match.end()
        before = bisect_left(starts, cut)  # the hulls that start before the cut
        if before and reach[before - 1] > cut:
            continue
        if _ABBREV.search(text, max(line.start, match.start() - 8), match.start() + 1):
            continue
        cuts.append(cut)
    cuts.append(line.end)
    spans = (strip_span(text, Span(a, b)) for a, b in zip(cuts, cuts[1:], strict=False))
    return tuple(s for s in spans if s.end > s.start)


def segment_target(text: str, lang: str) -> TargetText:
    """Segment a translation into lines, sentences and quotations.

    Sentences never cut through a quotation: a quoted passage of three sentences and its
    attribution stay one sentence, as in the source article's sentence units.
    """
    quotes = find_target_quotes(text, lang)
    # the marks around each quotation; a closing mark with no opening one starts the quotation at text start
    hulls = [Span(max(0, q.span.start - 1), min(len(text), q.span.end + 1)) for q in quotes]
    hulls.sort()
    inside = ([h.start for h in hulls], list(itertools.accumulate((h.end for h in hulls), max)))
    paragraphs = tuple(
        Paragraph(line.span, _split_line(text, line.span, inside), line.number) for line in text_lines(text)
    )
    return TargetText(text, lang, paragraphs, quotes)
