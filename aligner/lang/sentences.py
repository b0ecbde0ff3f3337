"""Split English text into paragraphs (one per line) and sentences; class Korean endings.

Pure and linear: one regex scan proposes sentence ends, a few word checks veto the false
ones (titles, initials, dotted acronyms, a quotation ending in ``?``/``!`` followed by its
attribution). Spans index the whole text; line terminators (``\\n``, ``\\r\\n``) stay
outside every span.

``korean_ending`` classes how a Korean phrase ends (a final ending, a connective ending, a
particle, an adnominal ending, a noun) with Kiwi (kiwipiepy), a maintained morphological
analyser: suffix lists cannot tell the particle 이 from the noun 아이, nor the connective 고
from the noun 최고. Kiwi loads once, lazily (a 100 MB model; 2-6 s to load and analyse the first
phrase on a busy 2-core machine, then 0.2-1 ms a phrase), so the checks ask it only about the
few quotations a cheap syllable test suspects.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from aligner.errors import DependencyMissingError
from aligner.spans import Span, strip_span

# A proposed sentence end: terminal punctuation, any closing quotes or brackets, then a space.
# 'won." Then' -> end after 'won."'; '3.5 per cent' never matches (no space after the dot).
_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s)")
# The word the punctuation closes: 'said Mr. Adams' -> 'Mr'; 'the U.S. team' -> 'U.S'.
_LAST_WORD = re.compile(r"[\w.'’-]*\w$")
# A dotted acronym or initialism: 'U.S', 'F.B.I', 'e.g', 'a.m'.
_DOTTED = re.compile(r"(?:\w\.)+\w")
# What may open a sentence: a capital, a digit or an opening mark: 'The', '2019', '"We', '(AP'.
_OPENER = re.compile(r"\s+[\"'“‘«(\[]*[A-Z0-9À-ÖØ-Þ]")
# After 'accept me?"' the attribution continues the sentence: '"…me?" Ri asked the journalist'.
_ATTRIBUTION = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|told|tells|wrote|writes|asked|asks|[a-z]+ed)\b"
)

# Abbreviations whose full stop does not end a sentence ('Mr. Adams', 'Jan. 5', 'No. 1').
ABBREVIATIONS = frozenset(
    "mr mrs ms messrs dr prof rev fr sr jr st mt ft sen rep gov gen col lt sgt capt cmdr adm maj "
    "gen insp supt det hon pres vs v no nos vol pp ch fig approx ca cf inc corp ltd co bros dept "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "ave blvd rd".split()
)
# Words that start a new sentence even after an acronym: 'the U.S. The talks' splits.
_STARTERS = frozenset(
    "The A An He She It They We I But And In On At This That These Those There His Her Their "
    "Its Our Meanwhile However After Before When While If So".split()
)


def split_paragraphs(text: str) -> tuple[tuple[Span, int], ...]:
    """Return each non-blank line as ``(span, line)``: the span without its line terminator
    or outer whitespace, and the 1-based line number."""
    found: list[tuple[Span, int]] = []
    start, line = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        span = strip_span(text, Span(start, end))
        if span.start < span.end:
            found.append((span, line))
        start, line = end + 1, line + 1
    return tuple(found)


def split_sentences(text: str, span: Span) -> tuple[Span, ...]:
    """Split the part of ``text`` under ``span`` into sentences.

    Args:
        text: The whole text; offsets are kept relative to it.
        span: The stretch to split, usually one paragraph.

    Returns:
        Sentence spans into ``text``, in order, without outer whitespace.
    """
    sentences: list[Span] = []
    start = span.start
    for match in _END.finditer(text, span.start, span.end):
        if _is_boundary(text, match, span.end):
            piece = strip_span(text, Span(start, match.end()))
            if piece.start < piece.end:
                sentences.append(piece)
            start = match.end()
    tail = strip_span(text, Span(min(start, span.end), span.end))
    if tail.start < tail.end:
        sentences.append(tail)
    return tuple(sentences)


def _is_boundary(text: str, match: re.Match[str], limit: int) -> bool:
    """Decide whether a proposed end (see ``_END``) really ends a sentence."""
    following = _OPENER.match(text, match.end(), limit)
    if following is None:
        return False  # lower case or nothing follows: 'p.m. on Friday', '?" he asked'
    marks = match.group()
    if marks[-1] in "\"'”’»" and ("?" in marks or "!" in marks):
        return _ATTRIBUTION.match(text, match.end(), limit) is None
    if not marks.startswith(".") or len(marks.rstrip("\"'”’)]»")) > 1:
        return True  # '?', '!', or an ellipsis
    word = _LAST_WORD.search(text, max(0, match.start() - 40), match.start())
    if word is None:
        return True
    token = word.group()
    if token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return False  # 'Mr. Adams', 'J. K. Rowling'
    if _DOTTED.fullmatch(token):
        return _next_word(text, following.end() - 1, limit) in _STARTERS
    return True


def _next_word(text: str, start: int, limit: int) -> str:
    end = start
    while end < limit and (text[end].isalnum() or text[end] in "'’-"):
        end += 1
    return text[start:end]


# --- Korean endings (Kiwi) -----------------------------------------------------------------

FINAL, CONNECTIVE, PARTICLE, ADNOMINAL, NOMINAL, OTHER = (
    "final",
    "connective",
    "particle",
    "adnominal",
    "nominal",
    "other",
)
# Kiwi's Sejong-style tags: EF final ending, EC connective ending, J* particles,
# ETM adnominal ending, MM determiner, N* nouns, ETN nominalising ending (-음, -기), XSN noun suffix.
_KIWI_CLASSES = (
    (("EF",), FINAL),
    (("EC",), CONNECTIVE),
    (("J",), PARTICLE),
    (("ETM", "MM"), ADNOMINAL),
    (("NN", "NP", "NR", "ETN", "XSN", "SN"), NOMINAL),
)
# Punctuation and symbols: the ending is the last word's ("유망한." ends on 한, an adnominal).
_NOT_WORD = ("SF", "SS", "SW", "SP", "SO", "SE", "W_")


@functools.cache
def _kiwi() -> Any:
    try:
        from kiwipiepy import Kiwi
    except ImportError:  # pragma: no cover - a core dependency; only a broken install lacks it
        raise DependencyMissingError("Korean sentence endings", "pip install kiwipiepy") from None
    # no typo or multi-word dictionaries: endings need neither, and they double the start-up
    return Kiwi(load_typo_dict=False, load_multi_dict=False)


def korean_ending(phrase: str) -> str:
    """Class how a Korean phrase ends, quotation marks and spaces ignored.

    Args:
        phrase: The end of a Korean quotation (a few words are enough), maybe with what follows
            its closing mark glued on (“…될 것”이라고 -> "…될 것이라고").

    Returns:
        ``FINAL`` (했다, 합니까?), ``CONNECTIVE`` (하고, 하면), ``PARTICLE`` (우리는, 것을),
        ``ADNOMINAL`` (다른, 위험한), ``NOMINAL`` (것, 감독, 했음) or ``OTHER``.
    """
    tokens = [t for t in _kiwi().tokenize(phrase) if not t.tag.startswith(_NOT_WORD)]
    if not tokens:
        return OTHER
    tag = tokens[-1].tag
    return next((name for prefixes, name in _KIWI_CLASSES if tag.startswith(prefixes)), OTHER)
