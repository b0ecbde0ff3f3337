"""Align an English article with its Korean or Ukrainian translation, sentence by sentence and
quotation by quotation.

Pure: text and parsed records in, frozen records out; no model imports. The translation is
segmented on its own terms (lines, sentences that keep quotations intact, spans between its
own quotation marks: ``align_target`` and ``align_marks``), then a monotonic dynamic program
pairs source and target sentences (1-1, 1-2, 2-1, 2-2, 1-0, 0-1) on length, numbers, Latin
tokens and quotation marks (``align_sentences``), and a second one, here, pairs each source
quotation with one or more target quotation parts.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.align.sentences import (
    FIGURE,
    LATIN,
    NUMBER_WEIGHT,
    SCALE,
    SentencePair,
    align_sentences,
    span_length,
)
from aligner.align.target import TargetQuote, TargetText, find_target_quotes, segment_target
from aligner.article.records import Article, Quote, QuoteKind
from aligner.lang.lexicon import Lexicon, source_words, stem, target_lemmas, with_counterpart
from aligner.lang.lexicon import load as load_lexicon
from aligner.lang.verbs import find_speech_verbs
from aligner.spans import Span, hull

__all__ = [
    "Alignment",
    "QuoteAlignment",
    "SentencePair",
    "TargetQuote",
    "TargetText",
    "align",
    "align_quotes",
    "align_sentences",
    "find_target_quotes",
    "segment_target",
]


# ---------------------------------------------------------------------------------------------
# Quotation alignment
# ---------------------------------------------------------------------------------------------

# Costs of the quotation aligner: leaving a source quotation unmatched, leaving a target
# quotation unmatched, and the extra cost of one source quotation taking two or three target
# quotations (Korean “A”며 “B”라고) or of two source quotations sharing one.
QUOTE_MISS_COST = 1.4
QUOTE_EXTRA_COST = 0.6
QUOTE_MOVES = {(1, 1): 0.0, (1, 2): 0.35, (1, 3): 0.6, (2, 1): 1.2}
# Two source quotations sharing a target one whose parts an attribution between dashes splits
# («A, — сказала вона. — B»): the Ukrainian way of writing them, as cheap as a split.
DASH_MERGE_COST = 0.35
NEIGHBOUR_COST = 0.45  # the target quotation sits in a sentence next to the aligned ones
SINGLE_MARK_COST = 0.25  # ‘…’ in the translation for a double-quoted source quotation
# The cost of a target quotation whose Latin-script words (kept as written: ETP, Instagram) are
# all missing from the source quotation it would render.
LATIN_WEIGHT = 0.5
# Words the learned lexicon knows (at least LEXICAL_MIN_WORDS on a side) with few counterparts on
# the other side, either way, speak against a pair (``_lexical``): a quotation's translation has
# one for about half of its source's known words (the lexicon is small), its neighbour's for a
# tenth (dev half, Ukrainian). Below LEXICAL_TYPICAL found, the cost rises to LEXICAL_WEIGHT at
# none (at 0.5 the dev half caught 2 alterations fewer).
LEXICAL_WEIGHT = 1.0
LEXICAL_TYPICAL = 0.4
LEXICAL_MIN_WORDS = 3
_END_PUNCT = re.compile(r"[?!]")
_SENTENCE_END = re.compile(r"[.?!…]")
_WORD_PUNCT = ",.;:!?…\"'“”‘’«»„()"
NAME_WORD_LETTERS = 4


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
    _index: tuple[PairIndex, PairIndex] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = (PairIndex(self.sentences, source=True), PairIndex(self.sentences, source=False))
        object.__setattr__(self, "_index", index)

    def pair_of(self, span: Span, source: bool = True) -> int | None:
        """Return the index of the sentence pair whose source (or target) sentences hold the start
        of ``span``."""
        return self._index[0 if source else 1].find(span.start)


@dataclass(frozen=True, slots=True)
class _Window:
    core: frozenset[int]  # target quotation indices in the aligned sentences
    near: frozenset[int]  # … in the sentences next to them
    region: tuple[Span, ...]
    pair_score: float


class PairIndex:
    """Which sentence pair holds an offset, by binary search over one side's sentence spans (the
    pairs are monotonic, so those spans are in text order and do not overlap)."""

    __slots__ = ("ends", "pairs", "starts")

    def __init__(self, pairs: Sequence[SentencePair], source: bool) -> None:
        spans = sorted(
            (span.start, span.end, index)
            for index, pair in enumerate(pairs)
            for span in (pair.source if source else pair.target)
        )
        self.starts = [s[0] for s in spans]
        self.ends = [s[1] for s in spans]
        self.pairs = [s[2] for s in spans]

    def find(self, pos: int) -> int | None:
        """Return the index of the pair whose sentence holds ``pos``, or None."""
        k = bisect_right(self.starts, pos) - 1
        return self.pairs[k] if k >= 0 and pos < self.ends[k] else None


# A window holds the target quotations of the aligned sentence pairs and of their neighbours. On
# ordinary text that is a handful; a hostile line with thousands of quotations in one sentence
# would make every source quotation a candidate for every target one (quadratic), so a window
# keeps at most this many, those nearest the quotation's expected place in the sentence pair.
WINDOW_CAP = 64


def _windows(article: Article, target: TargetText, pairs: Sequence[SentencePair]) -> list[_Window]:
    source_index, target_index = PairIndex(pairs, source=True), PairIndex(pairs, source=False)
    in_pair: dict[int, list[int]] = {}  # sentence pair -> target quotation indices, in order
    for i, q in enumerate(target.quotes):
        for k in dict.fromkeys(target_index.find(p.start) for p in q.parts):
            if k is not None:
                in_pair.setdefault(k, []).append(i)
    found_of = [
        {k for p in quote.parts if (k := source_index.find(p.start)) is not None} for quote in article.quotes
    ]
    rank: list[int] = []  # each quotation's rank among the source quotations of the same pairs
    seen: dict[frozenset[int], int] = {}
    for found in found_of:
        key = frozenset(found)
        rank.append(seen.get(key, 0))
        seen[key] = rank[-1] + 1
    windows = []
    for quote_index, found in enumerate(found_of):
        core_pairs = {k for k in found if pairs[k].target}
        near_pairs = {k + d for k in found for d in (-1, 1)} - core_pairs
        region = tuple(s for k in sorted(core_pairs) if 0 <= k < len(pairs) for s in pairs[k].target)
        scores = [pairs[k].score for k in found] or [0.0]
        place = (rank[quote_index], seen[frozenset(found)])
        core = _capped({i for k in core_pairs for i in in_pair.get(k, ())}, place)
        near = _capped({i for k in near_pairs for i in in_pair.get(k, ())}, place)
        windows.append(_Window(core=core, near=near, region=region, pair_score=min(scores)))
    return windows


def _capped(indices: set[int], place: tuple[int, int]) -> frozenset[int]:
    """Return ``indices``, or at most ``WINDOW_CAP`` of them around the quotation's place (its
    rank among the source quotations of the same sentence pairs, and their count)."""
    if len(indices) <= WINDOW_CAP:
        return frozenset(indices)
    ordered = sorted(indices)
    rank, count = place
    centre = rank * len(ordered) // count
    lo = max(0, min(centre - WINDOW_CAP // 2, len(ordered) - WINDOW_CAP))
    return frozenset(ordered[lo : lo + WINDOW_CAP])


def _text_len(text: str, spans: Sequence[Span]) -> int:
    return sum(span_length(text, s) for s in spans)


@dataclass(frozen=True, slots=True)
class _QuoteFeatures:
    """What the quotation aligner compares: length, figures, a final ? or !, single marks."""

    length: int
    numbers: frozenset[float]
    asks: bool
    single: bool
    latin: frozenset[str]  # Latin-script words, lower case (a translation keeps ETP, Instagram)
    # a target quotation: a capitalised name of at most SPLIT_TERM_WORDS words (ФК "Клайд",
    # «Сентінел»); a source one: a term or a partial quotation, or a direct one with every word
    # of NAME_WORD_LETTERS letters or more capitalised ("The Rachel Maddow Show")
    name: bool
    # per word the lexicon knows, what it may translate to (a source quotation: stems of target
    # lemmas; a target one: English words), and the words themselves (English words; stems)
    # (``aligner.lang.lexicon``; empty where there is no lexicon)
    known: tuple[frozenset[str], ...] = ()
    words: frozenset[str] = frozenset()


def _features(
    text: str,
    parts: Sequence[Span],
    single: bool,
    source: bool,
    sentence: bool = True,
    lexicon: Lexicon | None = None,
) -> _QuoteFeatures:
    numbers = frozenset(
        round(float(re.sub(r"\D", "", m.group(1))) * SCALE.get(m.group(3) or "", 1.0), 3)
        for p in parts
        for m in FIGURE.finditer(text, p.start, p.end)
    )
    tail = parts[-1].of(text)[-3:] if parts else ""
    latin = frozenset(
        m.group().lower().rstrip(".") for p in parts for m in LATIN.finditer(text, p.start, p.end)
    )
    words = [w for p in parts for w in (w.strip(_WORD_PUNCT) for w in p.of(text).split()) if w]
    if source:  # a term, a partial quotation, or a direct one written as a title
        name = not sentence or all(w[:1].isupper() for w in words if len(w) >= NAME_WORD_LETTERS)
    else:  # a short capitalised name with no sentence end
        capitalised = all(w[:1].isupper() for w in words)
        name = 0 < len(words) <= SPLIT_TERM_WORDS and capitalised and not _SENTENCE_END.search(tail)
    known: tuple[frozenset[str], ...] = ()
    seen: frozenset[str] = frozenset()
    if lexicon is not None and source:
        english = [w for p in parts for w, _ in source_words(p.of(text))]
        known = tuple(lexicon.stems[w] for w in english if w in lexicon.stems)
        seen = frozenset(english)
    elif lexicon is not None:
        forms = [f for p in parts for f in target_lemmas(p.of(text))]
        seen = frozenset(stem(lemma) for lemmas in forms for lemma in lemmas)
        known = tuple(
            frozenset().union(*(lexicon.english.get(stem(lemma), frozenset()) for lemma in lemmas))
            for lemmas in forms
        )
        known = tuple(k for k in known if k)
    asks = bool(_END_PUNCT.search(tail))
    return _QuoteFeatures(_text_len(text, parts), numbers, asks, single, latin, name, known, seen)


def _merged(features: Sequence[_QuoteFeatures]) -> _QuoteFeatures:
    if len(features) == 1:
        return features[0]
    return _QuoteFeatures(
        sum(f.length for f in features),
        frozenset().union(*(f.numbers for f in features)),
        features[-1].asks,
        any(f.single for f in features),
        frozenset().union(*(f.latin for f in features)),
        False,
        tuple(k for f in features for k in f.known),
        frozenset().union(*(f.words for f in features)),
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
    if tgt.name and not src.name:
        return None  # a quoted name (ФК "Клайд", «Аллоа») renders no sentence of speech
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
    if tgt.latin:  # a Latin-script word of the translation (ETP, Instagram) the source lacks
        cost += LATIN_WEIGHT * len(tgt.latin - src.latin) / len(tgt.latin)
    found = _lexical(src, tgt)
    if found is not None:  # few words have a counterpart either way: another quotation's words
        cost += LEXICAL_WEIGHT * max(0.0, LEXICAL_TYPICAL - found) / LEXICAL_TYPICAL
    if src.asks != tgt.asks:
        cost += 0.2
    if tgt.single and not src.single:
        cost += SINGLE_MARK_COST
    return cost


def _lexical(src: _QuoteFeatures, tgt: _QuoteFeatures) -> float | None:
    """Return the larger share of known words with a counterpart on the other side: of the
    source's words in the target quotation, or of the target's in the source (a quotation kept
    in part renders few of the source's words but all of its own come from it); None when
    neither side has ``LEXICAL_MIN_WORDS`` words the lexicon knows."""
    shares = [
        with_counterpart(side.known, other.words) / len(side.known)
        for side, other in ((src, tgt), (tgt, src))
        if len(side.known) >= LEXICAL_MIN_WORDS
    ]
    return max(shares) if shares else None


def _mergeable(article: Article, target: TargetText, i: int, j: int) -> bool:
    """Return True when source quotations i and i+1 may share target quotation j: it has a part
    for each (the Ukrainian «A, — сказав він. — B»), or both stand in one source paragraph."""
    return len(target.quotes[j].parts) >= 2 or article.quotes[i].paragraph == article.quotes[i + 1].paragraph


# A quoted name or title of the translation (at most this many words): «Вихід» after narration is
# no second half of the quotation before it.
SPLIT_TERM_WORDS = 3
_LETTERS = re.compile(r"[^\W\d_]+")
# The extra misfit of cutting a shared target quotation where its pieces are parted otherwise than
# the source quotations are (narration between them or only a paragraph break).
SHARE_GAP_COST = 0.7


def _joins(target: TargetText) -> list[bool]:
    """Return for each target quotation after the first whether it may render one source
    quotation together with the one before it: not when one of the two is a short quoted name or
    title (at most ``SPLIT_TERM_WORDS`` words) and narration stands between them («Так, пане…».
    Рівно о 05:00 підрозділ «Вихід» зібрався …); an attribution or a paragraph break between them
    splits one quotation."""
    text = target.text
    words = [len(_LETTERS.findall(" ".join(p.of(text) for p in q.parts))) for q in target.quotes]
    joins = [True] * len(target.quotes)
    for k in range(1, len(target.quotes)):
        before, quote = target.quotes[k - 1], target.quotes[k]
        if min(words[k - 1], words[k]) > SPLIT_TERM_WORDS:
            continue
        if quote.parts[0].start < before.parts[-1].end:
            continue  # nested or overlapping marks: nothing stands between them
        gap = Span(before.parts[-1].end, quote.parts[0].start)
        between = gap.of(text)
        if "\n" in between or not _LETTERS.search(between):
            continue
        if not between.rstrip(" «\"“„'‘").endswith(":") and find_speech_verbs(text, target.lang, gap):
            continue  # «Так», — сказав він. — «Добре». (A verb and a colon open the next one only.)
        joins[k] = False
    return joins


_QuoteStep = tuple[int, int, int, int, float]
# A chain of matched steps, last first: (step, the chain before it), None when empty.
_Chain = tuple[_QuoteStep, "_Chain"] | None


class _Frontier:
    """The cheapest cost of reaching each column of the current row, less the skip costs.

    Skipping a source quotation costs ``QUOTE_MISS_COST`` and skipping a target one
    ``QUOTE_EXTRA_COST`` whatever the order, so with those taken out ("savings" form) skips are
    free, and the row is a non-increasing step function of the column: breakpoints only where a
    matched step ends. The dynamic program then costs the candidate matches of each row (the
    target quotations in its window), not the full rows x columns grid.
    """

    __slots__ = ("chains", "cols", "vals")

    def __init__(self) -> None:
        self.cols: list[int] = [0]
        self.vals: list[float] = [0.0]
        self.chains: list[_Chain] = [None]

    def at(self, col: int) -> tuple[float, _Chain]:
        k = bisect_right(self.cols, col) - 1
        return self.vals[k], self.chains[k]

    def lower(self, col: int, value: float, chain: _Chain) -> None:
        """Make every column from ``col`` on cost at most ``value`` (reached through ``chain``)."""
        k = bisect_right(self.cols, col) - 1
        if value >= self.vals[k]:
            return
        stop = k + 1
        while stop < len(self.vals) and self.vals[stop] >= value:
            stop += 1
        at = k + 1 if self.cols[k] < col else k
        self.cols[at:stop] = [col]
        self.vals[at:stop] = [value]
        self.chains[at:stop] = [chain]


def _quote_dp(
    article: Article, target: TargetText, windows: Sequence[_Window], ratio: float
) -> list[_QuoteStep]:
    """Return matched steps (i0, i1, j0, j1, cost) of the cheapest monotonic quotation pairing.

    Every quotation left unpaired costs ``QUOTE_MISS_COST`` (source) or ``QUOTE_EXTRA_COST``
    (target); a pairing must be local (``_match_cost``). Only the matches a window allows are
    costed (``cells`` counts them), so the work is linear in the quotations, not their product.
    """
    text = article.text
    lexicon = load_lexicon(target.lang)
    src_f = [
        _features(
            text,
            q.parts,
            q.span.start > 0 and text[q.span.start - 1] in "'‘",
            True,
            q.kind is QuoteKind.DIRECT,
            lexicon,
        )
        for q in article.quotes
    ]
    tgt_f = [_features(target.text, q.parts, q.single, False, lexicon=lexicon) for q in target.quotes]
    joins = _joins(target)
    n, m = len(src_f), len(tgt_f)
    frontier = _Frontier()
    pending: dict[int, list[tuple[int, float, _Chain]]] = {}
    for i in range(n + 1):
        for col, value, chain in sorted(pending.pop(i, ()), key=lambda e: (e[0], e[1])):
            frontier.lower(col, value, chain)
        if i == n:
            break
        for j in sorted(windows[i].core | windows[i].near):
            here, chain = frontier.at(j)
            for (di, dj), penalty in QUOTE_MOVES.items():
                if i + di > n or j + dj > m or (di == 2 and not _mergeable(article, target, i, j)):
                    continue
                if not all(joins[j + 1 : j + dj]):
                    continue
                if di == 2 and target.quotes[j].inserts:
                    penalty = DASH_MERGE_COST
                DP_COUNTER[0] += 1
                cost = _match_cost(
                    _merged(src_f[i : i + di]),
                    _merged(tgt_f[j : j + dj]),
                    windows,
                    ratio,
                    range(i, i + di),
                    range(j, j + dj),
                )
                if cost is not None:
                    saving = cost + penalty - QUOTE_MISS_COST * di - QUOTE_EXTRA_COST * dj
                    step = (i, i + di, j, j + dj, cost + penalty)
                    pending.setdefault(i + di, []).append((j + dj, here + saving, (step, chain)))
    steps: list[_QuoteStep] = []
    chain = frontier.at(m)[1]
    while chain is not None:
        steps.append(chain[0])
        chain = chain[1]
    return steps[::-1]


# How many candidate matches the quotation aligner has costed in this process (a test reads it to
# check that the work grows linearly with the article, without timing anything).
DP_COUNTER = [0]


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
    narrated = bool(_LETTERS.search(article.text, quotes[0].parts[-1].end, quotes[1].parts[0].start))

    def misfit(cut: int) -> float:
        head, tail = _text_len(text, parts[:cut]) + 6.0, _text_len(text, parts[cut:]) + 6.0
        # where narration (the attribution) parts the source quotations, the target's cut is
        # where narration parts its pieces too, not a bare paragraph break inside one of them
        between = bool(_LETTERS.search(text, parts[cut - 1].end, parts[cut].start))
        parted = SHARE_GAP_COST * (between != narrated)
        return abs(math.log(head / first)) + abs(math.log(tail / second)) + parted

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
