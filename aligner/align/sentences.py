"""Pair source and target sentences with a monotonic dynamic program.

Sentences kept together so that no quotation part is cut are featurised (length, figures, Latin
tokens, quotation count, paragraph end); paragraphs are aligned first when their counts allow,
then the sentences of each paragraph pair (1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.align.target import TargetText
from aligner.article.records import Article
from aligner.spans import Span, hull

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
# How far the band widens for a count difference between the two sides (see ``_band``).
BAND_CAP = 100
# Moves of the paragraph aligner, which runs first: translators seldom merge or split
# paragraphs, so those moves cost more than for sentences, and a paragraph left out costs less.
PARAGRAPH_MOVES = {(1, 1): 0.0, (1, 2): 0.8, (2, 1): 0.8, (2, 2): 1.5, (1, 3): 1.6, (3, 1): 1.6}
PARAGRAPH_SKIP = 1.0
# Length ratios (scaled by the document's) within which paragraph pairs of a translation with as
# many paragraphs as its source are taken as they stand, without the paragraph aligner.
PARAGRAPH_RATIO = (0.5, 2.0)
# How far (in log) the length ratio of the paired paragraphs alone may stand from the whole text's
# before the paragraphs are aligned again with it (see ``align_sentences``).
RATIO_RECHECK = 0.1
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Z]")


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
FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?\s?"
    r"(만|천|억|тис|млн|млрд|thousand|million|billion)?"
)
SCALE = {"만": 1e4, "천": 1e3, "억": 1e8, "тис": 1e3, "млн": 1e6, "млрд": 1e9,
          "thousand": 1e3, "million": 1e6, "billion": 1e9}  # fmt: skip


def span_length(text: str, span: Span) -> int:
    """Return the characters of ``span`` in ``text``, spaces not counted."""
    return len(span) - text.count(" ", span.start, span.end)


def _anchors(text: str, latin: re.Pattern[str] | None) -> list[tuple[int, float | str]]:
    """Return (offset, key) of every figure of ``text`` and every match of ``latin``, in order."""
    found: list[tuple[int, float | str]] = []
    for match in FIGURE.finditer(text):
        whole = re.sub(r"\D", "", match.group(1))
        value = float(f"{whole}.{match.group(2)}") if match.group(2) else float(whole)
        found.append((match.start(), round(value * SCALE.get(match.group(3) or "", 1.0), 3)))
    if latin is not None:
        found += [(m.start(), m.group().lower().rstrip(".")) for m in latin.finditer(text)]
        found.sort(key=lambda a: a[0])
    return found


def _latin_words(text: str) -> re.Pattern[str] | None:
    """Return a pattern for the Latin-script words of a translation (names it kept: NIS,
    Chosun Ilbo), to find them in the source; None when there are none."""
    words = {m.group().lower().rstrip(".") for m in LATIN.finditer(text)}
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
    by_start = sorted(quote_parts)
    starts = [p.start for p in by_start]
    reach = list(itertools.accumulate((p.end for p in by_start), max))  # furthest end so far
    units: list[_Unit] = []
    for index, (_, sentences) in enumerate(paragraphs):
        groups: list[list[Span]] = []
        for sentence in sentences:
            # a quotation part that starts before the previous sentence's end runs into this one
            before = bisect_left(starts, groups[-1][-1].end) if groups else 0
            if before and reach[before - 1] > sentence.start:
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
                    length=span_length(text, whole),
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


def _band(n: int, m: int) -> int:
    """Return the half-width of the band of the dynamic program over ``n`` x ``m`` units.

    The band follows the diagonal and widens by the count difference, so that a translation that
    merges or drops sentences stays inside it; past ``BAND_CAP`` the widening stops (at least the
    diagonal's slope, so the band stays connected), which keeps a long run linear."""
    if abs(n - m) <= BAND_CAP:
        return _BAND + abs(n - m)
    return _BAND + BAND_CAP + m // max(1, n)


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
    (i0, i1, j0, j1, cost) steps in unit indices.

    Only the cells of a band around the diagonal are visited (``DP_CELLS`` counts them); the
    costs of the last rows and one byte per band cell (the move that reached it) are kept, so
    time and memory grow with rows x band, not rows x columns.
    """
    n, m = len(rows), len(cols)
    band = _band(n, m)
    steps = [*moves.items(), ((1, 0), skip), ((0, 1), skip)]
    reach = max(di for (di, _), _ in steps)
    inf = float("inf")
    lo = [max(0, (int(i * m / n) if n else 0) - band) for i in range(n + 1)]
    hi = [min(m, (int(i * m / n) if n else 0) + band) for i in range(n + 1)]
    best: dict[int, list[float]] = {0: [inf] * (hi[0] - lo[0] + 1)}
    back = [bytearray(hi[i] - lo[i] + 1) for i in range(n + 1)]  # 1 + index in steps; 0: none
    best[0][0] = 0.0
    for i in range(n + 1):
        for ahead in range(i + 1, min(n, i + reach) + 1):
            if ahead not in best:
                best[ahead] = [inf] * (hi[ahead] - lo[ahead] + 1)
        row = best.pop(i)
        DP_CELLS[0] += len(row)
        for j in range(lo[i], hi[i] + 1):
            here = row[j - lo[i]]
            if here == inf:
                continue
            for code, ((di, dj), penalty) in enumerate(steps, start=1):
                ni, nj = i + di, j + dj
                if ni > n or nj > m or not lo[ni] <= nj <= hi[ni]:
                    continue
                if code <= len(moves):
                    total = here + penalty + _pair_cost(src.get(rows[i], di), tgt.get(cols[j], dj), ratio)
                else:
                    total = here + penalty
                target_row = row if di == 0 else best[ni]
                if total < target_row[nj - lo[ni]]:
                    target_row[nj - lo[ni]] = total
                    back[ni][nj - lo[ni]] = code
    path: list[_Step] = []
    i, j = n, m
    while i or j:
        (di, dj), penalty = steps[back[i][j - lo[i]] - 1]
        pi, pj = i - di, j - dj
        cost = penalty
        if back[i][j - lo[i]] <= len(moves):
            cost = penalty + _pair_cost(src.get(rows[pi], di), tgt.get(cols[pj], dj), ratio)
        path.append((rows.start + pi, rows.start + i, cols.start + pj, cols.start + j, cost))
        i, j = pi, pj
    return path[::-1]


# How many band cells the dynamic programs have visited in this process (a test reads it to check
# that the work stays linear in the article, without timing anything).
DP_CELLS = [0]


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
    runs = _paragraph_runs(src, tgt, ratio)
    # A paragraph the translation leaves out (or adds) lowers (or raises) the whole-text ratio that
    # every pair's length is judged against: measured again without the paragraphs the paragraph
    # aligner left unpaired, a ratio that moved by more than RATIO_RECHECK aligns the paragraphs
    # once more with it.
    if runs and any(not rows or not cols for rows, cols in runs):
        kept = [(rows, cols) for rows, cols in runs if rows and cols]
        again = (sum(u.length for _, cols in kept for u in tgt[cols.start : cols.stop]) + 1.0) / (
            sum(u.length for rows, _ in kept for u in src[rows.start : rows.stop]) + 1.0
        )
        if abs(math.log(again / ratio)) > RATIO_RECHECK:
            ratio = again
            runs = _paragraph_runs(src, tgt, ratio)
    runs = runs or [(range(len(src)), range(len(tgt)))]
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
