"""Tokens, names and the noun phrase that says who speaks, for the English article parser.

A small, explainable grammar instead of a tagger: a name is a run of capitalised words
(titles such as "Mr." or "Business Secretary" are stripped off the front; "of" joins only
after a title or an organisation word: "Ministry of Security"); a speaker phrase is one
comma-separated segment of the words before a speech verb (or after it, when inverted:
'said Aulia Arriani, a spokesperson'), and its head is a name, a pronoun, or a short
descriptive phrase ("one woman", "a government spokesperson").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from aligner.article.words import (
    ABBREVIATED,
    ADVERBS,
    AUX,
    CAP_FUNCTION,
    CLAUSE_BOUNDARIES,
    COLLECTIVE,
    COMMON_CAPS,
    CONJUNCTIONS,
    DETERMINERS,
    FEMALE,
    MALE,
    NP_STOPS,
    ORG_WORDS,
    PARTICLES,
    PLACE_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    SEGMENT_SKIP,
    TIME_WORDS,
    TITLES,
)
from aligner.spans import Span

# A word (with inner apostrophes, hyphens, dots) or one punctuation character:
# "Korea's" "U.S" "." "Jong-un" "weather.com" "3.5" "(" "NIS" ")".
_TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]")
# A name introduced in narration: 'identified by his last name Ri', 'known only as Kim'.
_INTRO = re.compile(
    r"(?:identified (?:only )?(?:by (?P<pron>his|her|their) (?:last |first |family |sur)?name|as)"
    r"|(?:named|known (?:only )?as))\s+(?=[A-Z])"
)
# A web site used as a source: 'weather.com', 'bbc.co.uk'.
_DOMAIN = re.compile(r"\w[\w-]*\.(?:com|org|net|gov|edu|co\.uk|io)")
# A name with a lower-case particle joined by a hyphen: 'al-Moualem', 'bin-Salman', 'el-Sisi'.
_PARTICLE_NAME = re.compile(r"(?:al|el|bin|ibn|abu|de|di|da|du|van|von|le|la)-[A-Z][\w'’-]*")


NAME, PRONOUN, DESCRIPTIVE = "name", "pronoun", "descriptive"


class Token(NamedTuple):
    """One word or punctuation character of a paragraph; ``low`` is its lower case.

    A named tuple, not a dataclass: an article makes hundreds and they must be cheap."""

    start: int
    end: int
    text: str
    low: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker phrase: a name (titles off), a pronoun, or a short description."""

    span: Span
    kind: str  # NAME | PRONOUN | DESCRIPTIVE
    name: tuple[str, ...] = ()  # the name's words, for NAME
    org: bool = False
    gender: str = ""  # "m", "f" or unknown


def tokenize(text: str, span: Span) -> list[Token]:
    """Return the tokens of ``text`` under ``span`` (see ``_TOKEN``)."""
    matches = list(_TOKEN.finditer(text, span.start, span.end))
    words = [m.group() for m in matches]
    starts, ends = [m.start() for m in matches], [m.end() for m in matches]
    rows = zip(starts, ends, words, [w.lower() for w in words], strict=True)
    # tuple.__new__ builds each Token in C; Token._make would call back into Python per token.
    return list(map(tuple.__new__, repeat(Token), rows))


def find_intros(text: str) -> dict[int, str]:
    """Return the offsets where an introduced name starts, with its gender ("m", "f" or "")."""
    gender = {"his": "m", "her": "f"}
    found: dict[int, str] = {}
    for word in ("identified", "named", "known"):  # str.find first: a regex scan costs more
        i = text.find(word)
        while i >= 0:
            match = _INTRO.match(text, i)
            if match is not None and (i == 0 or not text[i - 1].isalnum()):
                found[match.end()] = gender.get(match.group("pron") or "", "")
            i = text.find(word, i + 1)
    return found


def is_word(token: Token) -> bool:
    """Return True for a word token (not punctuation)."""
    return token.text[0].isalnum() or token.text[0] == "_"


def _is_name_word(token: Token) -> bool:
    if _DOMAIN.fullmatch(token.text) or _PARTICLE_NAME.fullmatch(token.text):
        return True
    return token.text[0].isupper() and token.text not in CAP_FUNCTION


def _dot_allowed(token: Token) -> bool:
    """A full stop may stay inside a name after 'Mr', an initial 'J' or an acronym 'U.S'."""
    return token.low in ABBREVIATED or (len(token.text) == 1 and token.text.isupper()) or "." in token.text


def name_run(tokens: Sequence[Token], i: int, hi: int) -> int:
    """Return the end of the name run starting at ``tokens[i]`` (``i`` itself if none)."""
    j = i
    while j < hi:
        token = tokens[j]
        inner = j > i and token.text in COMMON_CAPS
        if _is_name_word(token) or inner or (token.text == "." and j > i and _dot_allowed(tokens[j - 1])):
            j += 1
        elif token.low in PARTICLES and j > i and j + 1 < hi and _is_name_word(tokens[j + 1]):
            if token.low == "of" and tokens[j - 1].low not in TITLES | ORG_WORDS:
                break
            j += 1
        else:
            break
    # a trailing particle or full stop leaves the run; its first word never does ('The Den said')
    while j > i + 1 and (tokens[j - 1].text == "." or tokens[j - 1].low in PARTICLES):
        j -= 1
    acronym = j + 2 < hi and tokens[j].text == "(" and tokens[j + 2].text == ")"
    if acronym and tokens[j + 1].text.isupper() and j > i:
        j += 3  # 'National Intelligence Service (NIS)'
    return j


def name_mention(tokens: Sequence[Token], i: int, j: int, gender: str = "") -> Mention:
    """Make a mention of the run ``tokens[i:j]``, titles stripped off its front."""
    start = i
    org = any(t.low in ORG_WORDS for t in tokens[i:j])
    for k in range(i, j - 1):
        if (
            not org
            and tokens[k].low in TITLES
            and any(_is_name_word(t) and t.low not in TITLES for t in tokens[k + 1 : j])
        ):
            start = k + 1
    # punctuation, and a preposition left by the titles ('CEO of Better Markets'), open no name
    while start < j and (not is_word(tokens[start]) or (start > i and tokens[start].low in PREPOSITIONS)):
        start += 1
    if start >= j or all(t.low in TITLES for t in tokens[start:j] if is_word(t)):
        return Mention(Span(tokens[i].start, tokens[j - 1].end), DESCRIPTIVE)  # 'the President'

    titles = {t.low for t in tokens[i:start]}
    words = tuple(t.text for t in tokens[start:j] if is_word(t))
    org = org or all(w.isupper() and len(w) > 1 for w in words) or words[-1].lower() in PLACE_WORDS
    if not gender:
        gender = "m" if titles & MALE else "f" if titles & FEMALE else ""
    span = Span(tokens[start].start, tokens[j - 1].end)
    return Mention(span, NAME, words, org or bool(_DOMAIN.fullmatch(words[0])), gender)


def segment_head(tokens: Sequence[Token], a: int, b: int, intros: Mapping[int, str]) -> Mention | None:
    """Return the head of one comma segment of a speaker phrase, or None if it is not one."""
    while a < b and (not is_word(tokens[a]) or tokens[a].low in CONJUNCTIONS):
        a += 1
    if a >= b:
        return None
    intro = _intro_in(tokens, a, b, intros)
    if intro is not None or tokens[a].low in SEGMENT_SKIP:
        return intro
    if b - a == 1 and tokens[a].low in PRONOUNS:
        return Mention(Span(tokens[a].start, tokens[a].end), PRONOUN)
    i = a
    while i < b and not _stops_phrase(tokens[i]):
        if not _is_name_word(tokens[i]):
            i += 1
            continue
        j = name_run(tokens, i, b)
        rest = tokens[j] if j < b else None
        if tokens[j - 1].low.endswith(("'s", "’s")) or (rest is not None and _is_modifier_of(rest)):
            i = j  # 'Bond's daughter Karen Jankel', 'A Prison Service spokesperson'
            continue
        if rest is not None and rest.low in AUX:
            return None  # a clause, not a phrase: 'Ronaldo has branded rape'
        return name_mention(tokens, i, j)
    return _descriptive(tokens, a, i)


def _stops_phrase(token: Token) -> bool:
    """A lower-case preposition, auxiliary, relative or participle ends a noun phrase."""
    return token.text[0].islower() and (token.low in NP_STOPS or _is_participle(token))


def _is_modifier_of(token: Token) -> bool:
    return is_word(token) and token.text[0].islower() and not _stops_phrase(token)


def _is_participle(token: Token) -> bool:
    return token.text.islower() and token.low.endswith("ing") and len(token.low) > 4


def _descriptive(tokens: Sequence[Token], a: int, i: int) -> Mention | None:
    """A short description: 'one woman', 'A Prison Service spokesperson', 'officials'."""
    words: list[Token] = []
    for token in tokens[a:i]:
        if not is_word(token):
            continue
        if words and (
            token.low in SEGMENT_SKIP or token.low in ADVERBS or _is_adverb(token) or _is_past(token)
        ):
            break  # 'The minister instead highlighted …'
        words.append(token)
    if not 1 <= len(words) <= 5 or words[-1].low in TIME_WORDS:
        return None
    if words[0].low not in DETERMINERS and not _bare_plural(words):
        return None
    if words[0].low in ("a", "an", "the") and len(words) > 1:
        words = words[1:]
    return Mention(Span(words[0].start, words[-1].end), DESCRIPTIVE)


def _bare_plural(words: list[Token]) -> bool:
    """A description without a determiner: 'officials', 'state media', 'police'."""
    last = words[-1].low
    plural = (last.endswith("s") and not last.endswith("ss")) or last in COLLECTIVE
    # The first word may open the sentence ('Sources say') or name a nation ('German media').
    head = words[0]
    first = head.text.islower() or head.text in CAP_FUNCTION or head.low.endswith(("an", "ese", "ish", "i"))
    return len(words) <= 3 and first and all(w.text.islower() for w in words[1:]) and plural


def _is_past(token: Token) -> bool:
    return token.text.islower() and token.low.endswith("ed") and len(token.low) > 4


def _intro_in(tokens: Sequence[Token], a: int, b: int, intros: Mapping[int, str]) -> Mention | None:
    """Return the name a segment introduces ('identified by his last name Ri'), if any."""
    if not intros:
        return None
    offsets = sorted(intros)
    k = bisect.bisect_left(offsets, tokens[a].start)
    if k == len(offsets) or offsets[k] >= tokens[b - 1].end:
        return None
    first = next(i for i in range(a, b) if tokens[i].start >= offsets[k])
    end = name_run(tokens, first, b)
    return name_mention(tokens, first, end, intros[offsets[k]]) if end > first else None


def subject_before(tokens: Sequence[Token], a: int, k: int, intros: Mapping[int, str]) -> Mention | None:
    """Return the speaker phrase that ends just before the verb ``tokens[k]``, or None.

    The segment next to the verb decides: a name or pronoun there is the speaker; a
    description there ('the spokesman for BNPB') defers to a name in an earlier segment
    (an apposition: 'Sutopo Purwo Nugroho, the spokesman for BNPB, said')."""
    e = k
    while e > a and _is_aux_or_adverb(tokens[e - 1]):
        e -= 1
    cut = next((i + 1 for i in range(e - 1, a - 1, -1) if tokens[i].low in CLAUSE_BOUNDARIES), a)
    found = _subject_in(tokens, cut, e, intros)
    if cut > a and (found is None or found.kind == DESCRIPTIVE):
        # The boundary may open a relative clause inside an apposition: 'Guy Cecil, director
        # of Priorities USA, a group that helps to elect Democrats, pointed out'.
        whole = _subject_in(tokens, a, e, intros)
        found = whole if whole is not None and whole.kind == NAME else found
    return found


def _subject_in(tokens: Sequence[Token], a: int, e: int, intros: Mapping[int, str]) -> Mention | None:
    segments = _segments(tokens, a, e)
    if not segments:
        return None
    heads = _heads(tokens, segments, intros)
    last = heads[-1]
    names = [h for h in heads[:-1] if h is not None and h.kind == NAME]
    if (
        last is not None
        and last.kind != DESCRIPTIVE
        and not (names and _affiliation(tokens, segments[-1], last))
    ):
        return _located_source(tokens, segments, last) if last.kind == PRONOUN else last
    described = [h for h in heads if h is not None]
    return names[0] if names else described[0] if described else None


def _affiliation(tokens: Sequence[Token], segment: tuple[int, int], head: Mention) -> bool:
    """Return True when a segment's name follows a title and a preposition: the speaker's
    employer in an apposition ('Dennis Kelleher, President and CEO of Better Markets, said')."""
    s, _ = segment
    first = next((tok for tok in tokens[s:] if is_word(tok) and tok.low not in CONJUNCTIONS), None)
    return (
        first is not None
        and first.low in TITLES
        and any(t.low in PREPOSITIONS for t in tokens[s:] if t.end <= head.span.start)
    )


def _heads(
    tokens: Sequence[Token], segments: list[tuple[int, int]], intros: Mapping[int, str]
) -> list[Mention | None]:
    """The head of each segment; a short name right after a prepositional segment that ends
    in a place belongs to it ('in Bethesda, Maryland, said', but 'on Friday, Warren said')."""
    heads: list[Mention | None] = []
    in_place = False
    for s, t in segments:
        head = segment_head(tokens, s, t, intros)
        first = next((tok for tok in tokens[s:t] if is_word(tok)), None)
        if first is not None and first.low in PREPOSITIONS:
            in_place, head = _is_name_word(tokens[t - 1]), None
        elif in_place and head is not None and head.kind == NAME and len(head.name) <= 2:
            head = None
        else:
            in_place = False
        heads.append(head)
    return heads


def phrase_before(tokens: Sequence[Token], a: int, k: int) -> Mention | None:
    """Return a name or short description that ends right before ``tokens[k]`` with no comma:
    'unionist protesters shouting', 'Kim adding'."""
    j = k
    while j > max(a, k - 4) and is_word(tokens[j - 1]) and not _stops_phrase(tokens[j - 1]):
        if tokens[j - 1].low in PREPOSITIONS or tokens[j - 1].low in TIME_WORDS:
            break  # 'Over several hours pro-independence groups chanting'
        j -= 1
    if j == k:
        return None
    if _is_name_word(tokens[k - 1]):
        first = j
        while first < k and not _is_name_word(tokens[first]):
            first += 1
        return name_mention(tokens, first, k) if name_run(tokens, first, k) == k else None
    return _descriptive(tokens, j, k)


def clause_subject(tokens: Sequence[Token], a: int, k: int, intros: Mapping[int, str]) -> Mention | None:
    """Return the subject at the head of a clause: 'Warren weighed in on …, saying' -> Warren,
    'her former foreign minister Boris Johnson pressed …, saying' -> Boris Johnson."""
    for s, t in _segments(tokens, a, k):
        first = next((i for i in range(s, t) if is_word(tokens[i])), None)
        if first is None or tokens[first].low in SEGMENT_SKIP:
            continue
        if tokens[first].low in PRONOUNS:
            return Mention(Span(tokens[first].start, tokens[first].end), PRONOUN)
        for i in range(first, t):
            if _is_name_word(tokens[i]):
                return name_mention(tokens, i, name_run(tokens, i, t))
            if not is_word(tokens[i]) or _stops_phrase(tokens[i]) or _is_past(tokens[i]):
                break
        return _descriptive(tokens, first, t)
    return None


def _located_source(tokens: Sequence[Token], segments: list[tuple[int, int]], pronoun: Mention) -> Mention:
    """'from Seoul, they report' credits Seoul: a 'they' after a 'from NAME' segment."""
    if len(segments) < 2 or tokens[segments[-1][1] - 1].low != "they":
        return pronoun
    s, t = segments[-2]
    if tokens[s].low == "from" and t - s > 1 and _is_name_word(tokens[s + 1]):
        end = name_run(tokens, s + 1, t)
        if end == t:
            found = name_mention(tokens, s + 1, end)
            return Mention(found.span, NAME, found.name, True, "")
    return pronoun


def _is_aux_or_adverb(token: Token) -> bool:
    """'has', 'also', 'reportedly' (lower case: 'Mrs May said' keeps its May)."""
    return token.text[0].islower() and (token.low in AUX or token.low in ADVERBS or _is_adverb(token))


def _is_adverb(token: Token) -> bool:
    return token.text.islower() and token.low.endswith("ly") and len(token.low) > 3


def _segments(tokens: Sequence[Token], a: int, b: int) -> list[tuple[int, int]]:
    """Split ``tokens[a:b]`` at commas and dashes outside parentheses."""
    segments, start, depth = [], a, 0
    for i in range(a, b):
        text = tokens[i].text
        depth += (text == "(") - (text == ")")
        if depth == 0 and text in (",", "—", "–", "-"):
            if i > start:
                segments.append((start, i))
            start = i + 1
    if b > start:
        segments.append((start, b))
    return segments


def np_after(tokens: Sequence[Token], a: int, b: int, intros: Mapping[int, str]) -> Mention | None:
    """Return the speaker phrase that follows an inverted verb: 'said Aulia Arriani, a …'."""
    end = a
    while end < b and (is_word(tokens[end]) or tokens[end].text in ".()") and tokens[end].low not in NP_STOPS:
        if _is_participle(tokens[end]):
            break
        end += 1
    return segment_head(tokens, a, end, intros) if end > a else None
