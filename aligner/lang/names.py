"""Names of people, places and organisations across English, Korean and Ukrainian.

Owns the name glossary (``data/glossary.tsv`` plus user files of the same shape), a
rule-based English-to-Hangul and English-to-Ukrainian transliterator for names the glossary
lacks, and :func:`find_name`, which says where a source name is rendered in a translation:
through the glossary first, then through transliteration and a fuzzy match. Korean particles
and titles after a name (리 씨는, 김정은 위원장은), Ukrainian case endings (Зеленського,
Києва, Кім Чен Ину) and the North Korean spellings 리/이, 룡/용, 로동/노동 are accepted
(CONVENTIONS.md §2.2-2.4). Also lists third-person pronouns and the role nouns ("the
journalist") that must not stand in for a speaker.

Replaced by maintained data: places and organisations come from CLDR, GeoNames and a curated table
(``aligner.lang.entities``), and Ukrainian dictionary names in cases the ending list misses go
through pymorphy3 lemmas (``aligner.lang.morph``). Still hand-written, with the reason: the
transliterator and the Ukrainian endings of foreign personal names (pymorphy3 does not know Рі
and guesses the lemma "рієва" for Рієві; no maintained library transliterates English names into
Hangul by the loanword rules), Korean particles and the North Korean spellings.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import product
from pathlib import Path
from types import MappingProxyType

from aligner.errors import InputError
from aligner.lang.morph import uk_lemmas
from aligner.spans import Span

LANGS = ("en", "ko", "uk")
# Similarity (1 - edit distance / longer length) at or above which a word of the translation
# is taken for a transliterated name; Korean is compared letter by letter (jamo), so that
# 애덤스 and 아담스 differ by two of seven letters (0.71).
FUZZY_THRESHOLD = 0.7
# Names shorter than this (in letters or jamo) are matched exactly only: "Рі" or "리" would
# be similar to half the words of a text.
FUZZY_MIN_LENGTH = 4
# Renderings that transliterate() returns per language, at most.
MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One name: its English spellings and its Korean and Ukrainian renderings, house form first."""

    en: tuple[str, ...]
    ko: tuple[str, ...]
    uk: tuple[str, ...]

    def renderings(self, lang: str) -> tuple[str, ...]:
        """Return the accepted spellings in ``lang`` ("en", "ko" or "uk")."""
        return {"en": self.en, "ko": self.ko, "uk": self.uk}[_check_lang(lang)]


def _key(name: str) -> str:
    """Normalise an English name for lookup: "Kim Jong-un" and "kim jong un" are one key."""
    return " ".join(re.split(r"[\s\-‐–]+", name.strip().casefold()))


@dataclass(frozen=True, slots=True)
class Glossary(Mapping[str, GlossaryEntry]):
    """A read-only mapping from an English name (any of its spellings, case-insensitive) to
    its entry; iteration yields each entry's first English spelling."""

    entries: tuple[GlossaryEntry, ...] = ()
    source: str = field(default="builtin", compare=False)  # where the entries came from, for signatures
    _index: Mapping[str, GlossaryEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {_key(name): entry for entry in self.entries for name in entry.en}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __getitem__(self, name: str) -> GlossaryEntry:
        return self._index[_key(name)]

    def __iter__(self) -> Iterator[str]:
        return (entry.en[0] for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _key(name) in self._index

    def renderings(self, name: str, lang: str) -> tuple[str, ...]:
        """Return the glossary's spellings of ``name`` in ``lang``, or () if it is not listed."""
        entry = self._index.get(_key(name))
        return () if entry is None else entry.renderings(lang)

    def merged(self, other: Glossary) -> Glossary:
        """Return this glossary with ``other``'s entries added; ``other`` wins where both list a name."""
        overridden = {_key(name) for entry in other.entries for name in entry.en}
        kept = tuple(e for e in self.entries if not any(_key(n) in overridden for n in e.en))
        return Glossary(kept + other.entries, source=other.source)

    def digest(self) -> str:
        """A short hash of the entries (12 hex digits): two glossaries that render names alike share it."""
        rows = ("\t".join("|".join(column) for column in (e.en, e.ko, e.uk)) for e in self.entries)
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]

    def signature(self) -> str:
        """``glossary:<source>@<digest>``: the file the entries came from and their hash."""
        return f"glossary:{self.source}@{self.digest()}"


def _parse_glossary(text: str, source: Path | str) -> Glossary:
    entries: list[GlossaryEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise InputError(
                source, f"line {number}: expected 3 tab-separated columns (en, ko, uk), got {len(cells)}"
            )
        en, ko, uk = (tuple(v.strip() for v in cell.split("|") if v.strip()) for cell in cells)
        if not en:
            raise InputError(source, f"line {number}: the English name (first column) is empty")
        if en == ("en",) and ko == ("ko",) and uk == ("uk",):
            continue  # the header row
        entries.append(GlossaryEntry(en, ko, uk))
    return Glossary(tuple(entries), source=str(source))


def load_glossary(path: Path | str) -> Glossary:
    """Read a user glossary: UTF-8 TSV with columns en, ko, uk and "|" between variants.

    Blank lines, lines starting with "#" and an ``en ko uk`` header row are skipped; an empty
    ko or uk cell means "no fixed rendering".

    Raises:
        InputError: If the file cannot be read or a row is malformed (names file and line).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot read glossary: {error}") from error
    return _parse_glossary(text, path)


def glossary_from(path: Path | str | None) -> Glossary:
    """Return the built-in glossary, merged with the user's file when one is given (its entries win).

    Raises:
        InputError: the user's file cannot be read or parsed.
    """
    builtin = default_glossary()
    return builtin if path is None else builtin.merged(load_glossary(path))


@functools.cache
def default_glossary() -> Glossary:
    """Return the built-in glossary (``aligner/data/glossary.tsv``), read once."""
    resource = resources.files("aligner") / "data" / "glossary.tsv"
    parsed = _parse_glossary(resource.read_text(encoding="utf-8"), "aligner/data/glossary.tsv")
    return Glossary(parsed.entries, source="builtin")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


# --- transliteration -----------------------------------------------------------------------

# English spelling units, longest first: "sch", "ph", "ee", "ey" ... then single letters.
_GRAPHEME = re.compile(
    r"tch|sch|igh|ch|sh|ph|th|tz|ck|qu|wh|wr|kn|gh|kh|zh|ng|ee|ea|oo|ou|ow|ai|ay|ey|ei|ie|au|aw|oi|oy|oh|ew|ue|[a-z]"
)
_VOWEL_LETTERS = frozenset("aeiouy")
# Each English consonant unit: Korean phoneme codes (space-separated) and Ukrainian spellings.
_CONSONANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "b": (("b",), ("б",)), "c": (("k",), ("к",)), "d": (("d",), ("д",)), "f": (("f",), ("ф",)),
    "g": (("g",), ("г", "ґ")), "h": (("h",), ("г", "х")), "j": (("j",), ("дж",)), "k": (("k",), ("к",)),
    "l": (("l",), ("л",)), "m": (("m",), ("м",)), "n": (("n",), ("н",)), "p": (("p",), ("п",)),
    "q": (("k",), ("к",)), "r": (("r",), ("р",)), "s": (("s",), ("с",)), "t": (("t",), ("т",)),
    "v": (("v",), ("в",)), "w": (("w",), ("в", "у")), "x": (("k s",), ("кс",)), "z": (("z",), ("з",)),
    "tch": (("ch",), ("ч",)), "sch": (("sh",), ("ш",)), "ch": (("ch",), ("ч",)), "sh": (("sh",), ("ш",)),
    "ph": (("f",), ("ф",)), "th": (("th", "t"), ("т",)), "ck": (("k",), ("к",)), "qu": (("k w",), ("кв",)),
    "wh": (("w",), ("в", "у")), "gh": (("",), ("",)),
    "wr": (("r",), ("р",)), "kn": (("n",), ("н",)), "kh": (("h",), ("х",)), "zh": (("j",), ("ж",)),
    "tz": (("ts",), ("ц",)),
}  # fmt: skip
# Each English vowel unit: Korean vowel codes and Ukrainian spellings, likeliest first; "long"
# is the reading before consonant + silent e or + i ("Davis" 데이비스/Девіс, "Mike" 마이크).
_VOWELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "a": (("ae", "a", "eo"), ("а", "е")), "a+": (("e i", "ae", "a"), ("е", "ей", "а")),
    "e": (("e", "eo"), ("е",)), "e+": (("i", "e"), ("і", "е")),
    "i": (("i",), ("і",)), "i+": (("a i", "i"), ("ай", "і")),
    "o": (("o", "eo", "a", "eu"), ("о",)), "o+": (("o",), ("о", "оу")),
    "u": (("eo", "u"), ("а", "у")), "u+": (("u", "yu"), ("у", "ю")),
    "y": (("i",), ("і",)), "y+": (("a i",), ("ай",)), "igh": (("a i",), ("ай",)), "oh": (("o",), ("о",)),
    "ee": (("i",), ("і",)), "ea": (("i",), ("і",)), "ie": (("i",), ("і",)), "oo": (("u",), ("у",)),
    "ou": (("a u", "u"), ("ау", "у")), "ow": (("o", "a u"), ("оу", "ау")), "ai": (("e i",), ("ей",)),
    "ay": (("e i",), ("ей",)), "ey": (("e i",), ("ей",)), "ey$": (("i",), ("і",)),
    "ei": (("a i", "e i"), ("ай", "ей")), "au": (("o",), ("о",)), "aw": (("o",), ("о",)),
    "oi": (("o i",), ("ой",)), "oy": (("o i",), ("ой",)), "ew": (("yu", "u"), ("ю", "у")),
    "ue": (("yu", "u"), ("ю", "у")),
}  # fmt: skip
# Vowel + r not before a vowel: Korean drops the r ("Carter" 카터), Ukrainian keeps it (Картер).
_R_COLOURED = {
    "a": ("a",),
    "e": ("eo",),
    "i": ("eo",),
    "o": ("o",),
    "u": ("eo",),
    "ea": ("eo",),
    "ee": ("i eo",),
}

_Unit = tuple[tuple[str, ...], tuple[str, ...]]


def _units(word: str) -> list[_Unit]:
    """Split a lower-case English word into spelling units with their ko/uk options."""
    graphemes = _GRAPHEME.findall(word)
    units: list[_Unit] = []
    seen_vowel = False
    for i, g in enumerate(graphemes):
        unit = _unit(g, graphemes, i)
        if i and g == graphemes[i - 1] and not _is_vowel(g):
            unit = ("",), (*unit[1], "")  # Scott 스콧 / Скотт|Скот, Hall 홀 / Холл|Хол
        elif g == "h" and i and _is_vowel(graphemes[i - 1]) and not _vowel_next(graphemes, i):
            unit = ("",), ("", *unit[1])  # a silent h after a vowel: Rahm 람 / Рам, Sarah 세라
        elif seen_vowel and _is_vowel(g) and len(unit[0]) > 1 and "eo" in unit[0]:
            unit = ("eo", *(o for o in unit[0] if o != "eo")), unit[1]  # unstressed: Adams 애덤스
        seen_vowel = seen_vowel or (_is_vowel(g) and unit[0] != ("",))
        units.append(unit)
    return units


def _vowel_next(graphemes: list[str], i: int) -> bool:
    return i + 1 < len(graphemes) and _is_vowel(graphemes[i + 1])


def _is_vowel(grapheme: str) -> bool:
    return grapheme[0] in _VOWEL_LETTERS


def _silent_e(graphemes: list[str], i: int) -> bool:
    """Return True for a mute e: final ("Mike") or before a final s ("Jones", "James")."""
    n = len(graphemes)
    if graphemes[i] != "e" or n < 3 or i == 0 or _is_vowel(graphemes[i - 1]):
        return False
    return i == n - 1 or (i == n - 2 and graphemes[-1] == "s" and n > 3)


def _unit(g: str, graphemes: list[str], i: int) -> _Unit:
    after = graphemes[i + 1 : i + 3]
    if g == "y" and after and _is_vowel(after[0]):
        return ("y",), ("й",)
    if not _is_vowel(g):
        return _consonant(g, after)
    if _silent_e(graphemes, i):
        return ("",), ("",)
    if g == "ey" and (not after or after == ["s"]):
        return _VOWELS["ey$"]
    r_final = after[:1] == ["r"] and (len(after) == 1 or not _is_vowel(after[1]) and after[1] != "r")
    if r_final and g in _R_COLOURED:
        return _R_COLOURED[g], (_VOWELS[g][1][0],)
    if len(g) == 1 and len(after) == 2 and not _is_vowel(after[0]) and after[0] != "r":
        if _silent_e(graphemes, i + 2) or (g == "a" and after[1] in ("e", "i", "ie", "y", "ey")):
            return _VOWELS[g + "+"]  # Mike 마이크, James 제임스, Davis 데이비스, Baker 베이커
    if g == "y" and i == len(graphemes) - 1:
        return ("i",), ("і",)
    return _VOWELS[g]


def _consonant(g: str, after: list[str]) -> _Unit:
    if g == "r" and after[:1] == ["r"]:
        after = after[1:]  # "rr" is one r: Warren 워런, Harris 해리스
    vowel_next = bool(after) and _is_vowel(after[0])
    if g == "r" and not vowel_next:
        return ("",), ("р",)
    if g == "ng":
        return (("n g",) if vowel_next else ("ng",)), ("нг",)
    if g in ("c", "g") and after and after[0][0] in "eiy":
        return (("s",), ("с",)) if g == "c" else (("j", "g"), ("дж", "г"))
    return _CONSONANTS[g]


def _ranked(options: list[tuple[str, ...]], limit: int) -> list[tuple[str, ...]]:
    """Return up to ``limit`` combinations, those using earlier (likelier) options first."""
    combos = product(*(range(len(o)) for o in options))
    best = (
        sorted(combos, key=lambda c: (sum(c), c))[:limit]
        if _count(options) <= 4096
        else [(0,) * len(options)]
    )
    return [tuple(options[k][j] for k, j in enumerate(c)) for c in best]


def _count(options: list[tuple[str, ...]]) -> int:
    total = 1
    for option in options:
        total *= len(option)
    return total


def transliterate(name: str, lang: str) -> tuple[str, ...]:
    """Return candidate renderings of a Latin-script name in Korean or Ukrainian.

    Rule-based and approximate (English spelling to Korean loanword or Ukrainian
    transcription rules); meant for fuzzy matching, so several candidates come back,
    likeliest first.

    Args:
        name: A name in Latin letters ("Adams", "Sharon Davis").
        lang: "ko" or "uk"; for "en" the name itself is returned.

    Returns:
        Up to ``MAX_CANDIDATES`` distinct renderings; () if the name has no Latin letters.
    """
    return _transliterate(name, _check_lang(lang))


@functools.lru_cache(maxsize=4096)
def _transliterate(name: str, lang: str) -> tuple[str, ...]:
    words = re.findall(r"[A-Za-z]+", _EN_TITLES.sub("", name.strip()))
    if lang == "en" or not words:
        return (name,) if lang == "en" else ()
    per_word = [_word_candidates(w.lower(), lang) for w in words]
    joined = [" ".join(parts) for parts in _ranked(per_word, MAX_CANDIDATES)]
    return tuple(dict.fromkeys(j for j in joined if j.strip()))


def _word_candidates(word: str, lang: str) -> tuple[str, ...]:
    units = _units(word)
    if lang == "uk":
        spellings = (_uk_spelling("".join(parts)) for parts in _ranked([u[1] for u in units], MAX_CANDIDATES))
    else:
        hangul = [
            _hangul(" ".join(parts).split()) for parts in _ranked([u[0] for u in units], MAX_CANDIDATES)
        ]
        spellings = (v for h in hangul for v in (h, _final_coda(h)))
    return tuple(dict.fromkeys(s for s in spellings if s))


_FINAL_CODA = {"크": 1, "트": 19, "프": 17}  # 노박 for Novak, 스콧 for Scott, 팝 for Pop


def _final_coda(word: str) -> str:
    """Return the spelling with a final 크/트/프 taken as the coda ㄱ/ㅅ/ㅂ of the syllable before."""
    if len(word) < 2 or word[-1] not in _FINAL_CODA or (ord(word[-2]) - 0xAC00) % 28:
        return word
    return word[:-2] + chr(ord(word[-2]) + _FINAL_CODA[word[-1]])


_UK_VOWEL_I = re.compile(r"([аеєиіїоуюя])і")


def _uk_spelling(letters: str) -> str:
    for plain, iotated in (("йа", "я"), ("йу", "ю"), ("йе", "є"), ("йі", "ї")):
        letters = letters.replace(plain, iotated)
    letters = _UK_VOWEL_I.sub(r"\1ї", letters)  # Lewis -> Люїс
    return letters[:1].upper() + letters[1:]


# Korean loanword rules (외래어 표기법, English): onsets, the vowel codes, and the letters a
# consonant takes when no vowel follows it.
_ONSET = {
    "g": 0, "n": 2, "d": 3, "l": 5, "r": 5, "m": 6, "b": 7, "v": 7, "s": 9, "th": 9, "sh": 9,
    "j": 12, "z": 12, "ch": 14, "ts": 14, "k": 15, "t": 16, "p": 17, "f": 17, "h": 18,
}  # fmt: skip
_MEDIAL = {"a": 0, "ae": 1, "eo": 4, "e": 5, "o": 8, "u": 13, "eu": 18, "i": 20, "yu": 17}
_GLIDE = {
    ("w", 0): 9, ("w", 1): 10, ("w", 5): 15, ("w", 20): 16, ("w", 8): 14, ("w", 4): 14, ("w", 13): 13,
    ("y", 0): 2, ("y", 1): 3, ("y", 5): 7, ("y", 4): 6, ("y", 8): 12, ("y", 13): 17, ("y", 20): 20,
}  # fmt: skip
_CODA = {"m": 16, "n": 4, "l": 8, "ng": 21}


def _syllable(onset: int, medial: int, coda: int = 0) -> str:
    return chr(0xAC00 + (onset * 21 + medial) * 28 + coda)


def _hangul(phonemes: list[str]) -> str:
    """Build Hangul syllables from phoneme codes: onset + vowel, else a coda or a ㅡ syllable."""
    out: list[list[int]] = []  # [onset, medial, coda]
    pending: str | None = None
    glide: str | None = None
    for i, p in enumerate(phonemes):
        if p in ("w", "y"):
            glide = p
        elif p not in _MEDIAL:
            if pending is not None:
                _lone(out, pending)
            pending = p
        else:
            onset = 11 if pending is None else _ONSET[pending]
            medial = _MEDIAL[p]
            if pending == "sh":
                glide = "y"
            if glide is not None:
                medial = _GLIDE.get((glide, medial), medial)
            if pending == "l" and out and out[-1][2] == 0 and i > 1:
                if phonemes[i - 2] in _MEDIAL or out[-1][1] == _MEDIAL["eu"]:
                    out[-1][2] = _CODA["l"]  # Kelly 켈리, Allen 앨런, Clark 클라크
            out.append([onset, medial, 0])
            pending, glide = None, None
    if pending is not None:
        _lone(out, pending)
    return "".join(_syllable(*s) for s in out)


def _lone(out: list[list[int]], consonant: str) -> None:
    if consonant in _CODA and out and out[-1][2] == 0:
        out[-1][2] = _CODA[consonant]
    elif consonant in _ONSET:
        out.append([_ONSET[consonant], 20 if consonant in ("sh", "ch", "j") else 18, 0])


# --- matching --------------------------------------------------------------------------------

_HANGUL = "가-힣"
_KO_TITLES = (
    "씨|님|여사|위원장|국무위원장|총비서|대통령|총리|장관|외무상|외상|국방상|대변인|대표|의원|주석|국장|사령관|"
    "장군|대사|의장|총재|지사|시장|판사|검사|변호사|선수|코치|기자|교수|박사|감독|회장|총장|부위원장|전\\s"
)
# Particles and suffixes a name takes (리가, 젤렌스키의, 키이우에서, 우크라이나군, 러시아인).
_KO_PARTICLES = (
    "은|는|이|가|을|를|의|에게|에서|에|께서|께|와|과|도|만|로|으로|라고|이라고|라는|이라는|이며|며|측|군|인|"
    "시|주|정부|당국|산|들|처럼|보다|까지|부터|조차"
)
# After a Korean name: a title or honorific, a particle, or no Hangul at all (리 씨는, 김정은
# 위원장은, 리가, 리로).
_KO_AFTER_NAME = rf"(?:\s*(?:{_KO_TITLES})|(?:{_KO_PARTICLES})|(?![{_HANGUL}]))"
# Ukrainian case endings after a stem ("Адамс-а", "Зеленськ-ого", "Ин-у", "Києв-а").
_UK_ENDINGS = (
    "ого|ього|ому|ьому|ами|ями|ові|еві|єві|ою|ею|єю|им|ім|ий|ій|их|іх|ої|ом|ем|єм|ам|ям|ах|ях|"
    "а|я|у|ю|і|ї|е|є|и|о"
)
_UK_NOMINATIVE = re.compile(r"(?:ий|ій|ь|а|я|о|е|й)$")
_LETTER = r"[\w'’ʼ]"
# English titles before a name: "Mr. Adams" is searched as "Adams".
_EN_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|sir|lady|lord|gen|general|col|colonel|lt|sgt|capt|captain|"
    r"president|prime minister|minister|chairman|sen|senator|rep|judge|officer|pte|private)\.?\s+)+",
    re.IGNORECASE,
)
_KOREAN_SURNAMES = frozenset(
    "kim lee ri park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im han oh seo "
    "shin kwon hwang ahn an song moon mun yoo yu ko ryu hong jeon".split()
)


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A compiled search for one rendering: the name itself, the test on the text before and
    after it (module-level patterns, so that a new name compiles only its own letters), and
    how good a hit of it is."""

    regex: re.Pattern[str]
    before: re.Pattern[str]  # must NOT match the character before the name
    after: re.Pattern[str]  # must match right after the name
    tier: int = 0  # 0 glossary, 1 transliteration

    def search(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Return the first hit in ``text[start:end]`` whose surroundings fit, or None."""
        for match in self.regex.finditer(text, start, end):
            if match.start() and self.before.match(text, match.start() - 1):
                continue
            if self.after.match(text, match.end()):
                return match.span()
        return None


_NK_VOWELS = frozenset((2, 3, 6, 7, 12, 17, 20))  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ: ㄹ/ㄴ become ㅇ before them


def normalize_korean(text: str) -> str:
    """Map North Korean initial ㄹ/ㄴ to the South's spelling, syllable by syllable.

    리 -> 이, 룡 -> 용, 로 -> 노, 녀 -> 여 (두음법칙, CONVENTIONS.md §2.3). The result has the
    same length as ``text``, so offsets into it are offsets into ``text``.
    """
    return text.translate(_NK_TABLE)


def _nk_syllable(code: int) -> str:
    index = code - 0xAC00
    onset, medial, coda = index // 588, index % 588 // 28, index % 28
    if onset == 5:
        onset = 11 if medial in _NK_VOWELS else 2
    elif onset == 2 and medial in _NK_VOWELS:
        onset = 11
    return _syllable(onset, medial, coda)


_NK_TABLE = {code: _nk_syllable(code) for code in range(0xAC00, 0xD7A4) if (code - 0xAC00) // 588 in (2, 5)}
_NK_SPELLINGS: dict[str, set[str]] = {}
for _code, _south in _NK_TABLE.items():
    _NK_SPELLINGS.setdefault(_south, {_south}).add(chr(_code))


def _ko_spellings(char: str) -> str:
    """Return a regex for a syllable in either spelling: 리 and 이 -> [리이], 룡 -> [룡용]."""
    south = normalize_korean(char)
    spellings = _NK_SPELLINGS.get(south)
    if spellings is None:
        return re.escape(char)
    return "[" + "".join(sorted(spellings)) + "]"


_KO_BEFORE = re.compile(rf"[{_HANGUL}]")
_KO_AFTER = re.compile(_KO_AFTER_NAME)
# A one-syllable name (리, 이, 김) needs a title or particle after it: "이 병사" is "this soldier".
_KO_AFTER_SHORT = re.compile(rf"\s*(?:{_KO_TITLES})|(?:{_KO_PARTICLES})")
_LATIN_IN_KO_BEFORE = re.compile(rf"[A-Za-z{_HANGUL}]")
_LATIN_AFTER = re.compile(r"(?![A-Za-z])")
_UK_BEFORE = re.compile(_LETTER)
_UK_AFTER = re.compile(rf"(?!{_LETTER})")
_EN_BEFORE = re.compile(r"\w")
_EN_AFTER = re.compile(r"(?:['’]s)?(?!\w)")


@functools.lru_cache(maxsize=4096)
def _compile(rendering: str, lang: str, tier: int = 0) -> _Pattern:
    words = rendering.split()
    if lang == "ko" and re.search("[A-Za-z]", rendering):  # kept in Latin letters: "Davis 씨는"
        body = r"\s+".join(re.escape(w) for w in words)
        return _Pattern(re.compile(body), _LATIN_IN_KO_BEFORE, _LATIN_AFTER, tier)
    if lang == "ko":
        body = r"\s*".join("".join(_ko_spellings(c) for c in w) for w in words)
        return _Pattern(
            re.compile(body), _KO_BEFORE, _KO_AFTER if len(rendering) > 1 else _KO_AFTER_SHORT, tier
        )
    if lang == "uk":
        body = r"\s+".join(_uk_word(w) for w in words)
        return _Pattern(re.compile(body, re.IGNORECASE), _UK_BEFORE, _UK_AFTER, tier)
    body = r"\s+".join(re.escape(w) for w in words)
    return _Pattern(re.compile(body), _EN_BEFORE, _EN_AFTER, tier)


def _uk_word(word: str) -> str:
    """A Ukrainian name word with its case forms: Зеленський -> Зеленськ(?:ий|ого|...)."""
    if not re.fullmatch(r"[А-ЯҐЄІЇа-яґєії'’ʼ\-]+", word) or len(word) < 2:
        return re.escape(word)
    if word.endswith(("ів", "їв")):  # Київ -> Києва, Львів -> Львова, Харків -> Харкові
        head = re.escape(word[:-2])
        return f"{head}(?:{word[-2:]}|{'є' if word[-2] == 'ї' else 'о'}в(?:{_UK_ENDINGS}))"
    stem = _UK_NOMINATIVE.sub("", word) if len(word) > 3 else word
    escaped = re.sub("['’ʼ]", "['’ʼ]", re.escape(stem))
    if len(stem) > 2:
        return f"{escaped}(?:{_UK_ENDINGS})?"
    if stem[-1] in "іи":  # Рі, Рія, Рію, Рієм, Рієві: a short name in -і declines like Рій
        return f"{escaped}(?:я|ю|єм|єві|ї)?"
    return f"{escaped}(?:а|у|ом|ові)?"


def source_name_forms(name: str) -> tuple[str, ...]:
    """Return the forms of an English name worth looking for: the name without titles, then
    its surname alone ("Mr. Sam Adams" -> "Sam Adams", "Adams"; "Kim Jong-un" -> ..., "Kim")."""
    bare = _EN_TITLES.sub("", name.strip()).strip(" .,")
    words = bare.split()
    forms = [bare] if bare else []
    if len(words) > 1:
        korean_order = words[0].lower() in _KOREAN_SURNAMES and ("-" in words[1] or len(words) == 3)
        forms.append(words[0] if korean_order else words[-1])
    return tuple(dict.fromkeys(forms))


@functools.lru_cache(maxsize=4096)
def _patterns(name: str, lang: str, glossary: Glossary) -> tuple[_Pattern, ...]:
    forms = source_name_forms(name)
    listed = [r for form in forms for r in glossary.renderings(form, lang)]
    if lang == "en":
        listed = list(forms)
    # Transliterations, then the name kept in Latin letters, as translators often do.
    guessed = [] if lang == "en" else [t for form in forms for t in (*transliterate(form, lang), form)]
    patterns = [_compile(r, lang, 0) for r in dict.fromkeys(listed)]
    return tuple(patterns + [_compile(r, lang, 1) for r in dict.fromkeys(guessed) if r not in listed])


def find_name(
    name: str, target_text: str, lang: str, glossary: Glossary | None = None, region: Span | None = None
) -> Span | None:
    """Find where a source-language name is rendered in a translation.

    Tries, in order: the glossary's renderings of the name and of its surname; transliterated
    candidates; then a fuzzy match of the transliterations against the words of the region
    (``FUZZY_THRESHOLD``). Within a tier the earliest hit wins.

    Args:
        name: The name as the English source writes it ("Ri", "Mr. Adams", "Kim Jong-un").
        target_text: The whole translation.
        lang: Language of the translation ("ko", "uk"; "en" searches the name itself).
        glossary: Names with fixed renderings; the built-in glossary when None.
        region: Only look inside this part of ``target_text``.

    Returns:
        The span of the name in ``target_text`` (without Korean particles; with the
        Ukrainian case ending), or None.
    """
    _check_lang(lang)
    glossary = default_glossary() if glossary is None else glossary
    start, end = (
        (0, len(target_text)) if region is None else (region.start, min(region.end, len(target_text)))
    )
    text = target_text
    patterns = _patterns(name, lang, glossary)
    for tier in (0, 1):
        hits = [h for p in patterns if p.tier == tier if (h := p.search(text, start, end))]
        if hits:
            first = min(hits, key=lambda h: (h[0], -h[1]))
            return Span(*first)
    if lang == "uk":
        listed = [r for form in source_name_forms(name) for r in glossary.renderings(form, lang)]
        found = _lemma_find(listed, text, start, end)
        if found is not None:
            return found
    candidates = tuple(t for form in source_name_forms(name) for t in transliterate(form, lang))
    return _fuzzy_find(candidates, text, lang, start, end)


_UK_CAPITALISED = re.compile(r"[А-ЯҐЄІЇ][а-яґєії'’ʼ]+")


def _lemma_find(renderings: list[str], text: str, start: int, end: int) -> Span | None:
    """Return a capitalised Ukrainian word whose pymorphy3 lemma is a one-word rendering of the
    name: the dictionary's case forms that the ending list misses (vowel alternation:
    Бориспіль -> Борисполя)."""
    words = {r.lower() for r in renderings if re.fullmatch(r"[А-ЯҐЄІЇа-яґєії'’ʼ]+", r)}
    if not words:
        return None
    for match in _UK_CAPITALISED.finditer(text, start, end):
        if words & set(uk_lemmas(match.group())):
            return Span(*match.span())
    return None


# --- fuzzy matching ---------------------------------------------------------------------------

_KO_WORD = re.compile(rf"[{_HANGUL}]+")
_UK_WORD_RE = re.compile(r"[А-ЯҐЄІЇа-яґєії'’ʼ]+")
_KO_TAIL = re.compile(rf"(?:{_KO_TITLES}|{_KO_PARTICLES})+")
_UK_TAIL = re.compile(rf"(?:{_UK_ENDINGS})?$")


def _jamo(text: str) -> str:
    letters = []
    for char in text:
        index = ord(char) - 0xAC00
        if 0 <= index < 11172:
            letters.append(chr(0x1100 + index // 588) + chr(0x1161 + index % 588 // 28))
            if index % 28:
                letters.append(chr(0x11A7 + index % 28))
        else:
            letters.append(char.lower())
    return "".join(letters)


def _letters(text: str, lang: str) -> str:
    if lang == "ko":
        return _jamo(normalize_korean(text))
    return text.lower().translate(_UK_FOLD).replace("й", "")


# Ukrainian letters folded before names are compared: х/ґ/г, the iotated vowels spelled out and
# the й, soft sign and apostrophe dropped, so that transliterations of one name that differ only
# there meet (Meyers: Меєрс, Мейерс).
_UK_FOLD = str.maketrans(
    {"х": "г", "ґ": "г", "є": "йе", "ї": "йі", "я": "йа", "ю": "йу", "ь": "", "'": "", "’": "", "ʼ": ""}
)


def name_similarity(a: str, b: str, lang: str) -> float:
    """Return 1 - edit distance / longer length, on Korean jamo or lower-cased letters."""
    x, y = _letters(a, lang), _letters(b, lang)
    if not x or not y:
        return 0.0
    return 1.0 - _edit_distance(x, y) / max(len(x), len(y))


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _fuzzy_find(candidates: tuple[str, ...], text: str, lang: str, start: int, end: int) -> Span | None:
    """Return the best word of the region whose name part is similar enough to a candidate.

    Only words that start with the same letter (Korean: the same jamo) as a candidate are
    scored: transliterations differ in vowels and endings, rarely in the first consonant.
    """
    by_initial: dict[str, set[str]] = {}
    for candidate in candidates:
        letters = _letters(candidate, lang)
        if " " not in candidate and len(letters) >= FUZZY_MIN_LENGTH:
            by_initial.setdefault(letters[0], set()).add(letters)
    if not by_initial or lang == "en":
        return None
    pattern = _KO_WORD if lang == "ko" else _UK_WORD_RE
    best: tuple[float, int, int] | None = None
    for match in pattern.finditer(text, start, end):
        word = match.group()
        if lang == "uk" and not word[0].isupper():
            continue  # Ukrainian writes names with a capital: "бажання" is no Buchanan
        names = by_initial.get(_letters(word[0], lang)[:1])
        if names is None:
            continue
        for cut in _name_cuts(word, lang):
            score = _best_similarity(names, _letters(word[:cut], lang))
            if score >= FUZZY_THRESHOLD and (best is None or score > best[0]):
                best = (score, match.start(), match.start() + cut)
    return None if best is None else Span(best[1], best[2])


def _best_similarity(names: set[str], word: str) -> float:
    best = 0.0
    for name in names:
        longer = max(len(name), len(word))
        if abs(len(name) - len(word)) > (1 - FUZZY_THRESHOLD) * longer:
            continue  # cannot reach the threshold: skip the edit distance
        best = max(best, 1.0 - _edit_distance(name, word) / longer)
    return best


def _name_cuts(word: str, lang: str) -> list[int]:
    """Where a name may end inside a word: before a Korean particle or a Ukrainian ending."""
    cuts = [len(word)]
    for cut in range(len(word) - 1, 0, -1):
        tail = word[cut:]
        if (lang == "ko" and _KO_TAIL.fullmatch(tail)) or (lang == "uk" and _UK_TAIL.match(tail)):
            cuts.append(cut)
        if len(word) - cut >= 4:
            break
    return cuts


# --- pronouns and role nouns -------------------------------------------------------------------

# Third-person pronouns. Korean 그 is also the determiner "that" (그 병사), so a bare 그
# counts only before a particle: 그는, 그가, 그의, 그를, 그에게.
_PRONOUNS = {
    "en": re.compile(r"(?<!\w)(?:he|she|they|him|her|them|his|their)(?!\w)", re.IGNORECASE),
    "ko": re.compile(
        rf"(?<![{_HANGUL}])(?:그녀|그들)(?=(?:{_KO_PARTICLES})|[^{_HANGUL}]|$)"
        rf"|(?<![{_HANGUL}])그(?=(?:에게서|에게|께서|는|가|의|를|도|와|과)(?![{_HANGUL}]))"
    ),
    "uk": re.compile(
        r"(?<![\w'’ʼ])(?:він|вона|воно|вони|його|нього|йому|ньому|ним|ній|нею|неї|її|їй|їх|них|їм|ними)(?![\w'’ʼ])",
        re.IGNORECASE,
    ),
}
_PRONOUN_WORDS = {
    "en": frozenset("he she they him her them his their".split()),
    "ko": frozenset(
        "그 그녀 그들 그는 그가 그의 그를 그에게 그녀는 그녀가 그녀의 그녀를 그녀에게 "
        "그들은 그들이 그들의".split()
    ),
    "uk": frozenset("він вона воно вони його нього йому ньому ним ній нею неї її їй їх них їм ними".split()),
}
# Role nouns that name the interviewer, not the speaker: a translation that credits "the
# journalist" with the words (Korean 기자, Ukrainian журналіст/журналістка) has the wrong speaker.
ROLE_NOUNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": ("journalist", "reporter", "interviewer", "correspondent", "anchor", "host", "editor"),
        "ko": ("기자", "리포터", "앵커", "진행자", "인터뷰어", "특파원", "통신원", "편집자", "언론인",
               "취재진"),
        "uk": ("журналіст", "журналістка", "кореспондент", "кореспондентка", "репортер", "репортерка",
               "ведучий", "ведуча", "інтерв'юер", "редактор", "редакторка"),
    }
)  # fmt: skip
_ROLE_PATTERNS = {
    "en": re.compile(rf"(?<!\w)(?:{'|'.join(ROLE_NOUNS['en'])})s?(?!\w)", re.IGNORECASE),
    "ko": re.compile(rf"(?<![{_HANGUL}])(?:{'|'.join(ROLE_NOUNS['ko'])})(?=들|{_KO_AFTER_NAME})"),
    "uk": re.compile(
        r"(?<![\w'’ʼ])(?:журналіст(?:к)?|кореспондент(?:к)?|репортер(?:к)?|ведуч|інтерв['’ʼ]юер|редактор(?:к)?)"
        rf"(?:{_UK_ENDINGS}|ці|ок)?(?![\w'’ʼ])",
        re.IGNORECASE,
    ),
}


def is_pronoun(word: str, lang: str) -> bool:
    """Return True if ``word`` is a third-person personal pronoun in ``lang`` (any case form;
    Korean with or without its particle)."""
    return word.strip().lower() in _PRONOUN_WORDS[_check_lang(lang)]


def find_pronouns(text: str, lang: str, region: Span | None = None) -> tuple[Span, ...]:
    """Return the spans of third-person pronouns in ``text`` (within ``region``), without
    Korean particles: "그는" gives the span of 그."""
    return _find_all(_PRONOUNS[_check_lang(lang)], text, region)


def find_role_nouns(text: str, lang: str, region: Span | None = None) -> tuple[Span, ...]:
    """Return the spans of role nouns ("the journalist", 기자, журналістка) that must not be
    accepted as the speaker of a quotation."""
    return _find_all(_ROLE_PATTERNS[_check_lang(lang)], text, region)


def _find_all(pattern: re.Pattern[str], text: str, region: Span | None) -> tuple[Span, ...]:
    start, end = (0, len(text)) if region is None else (region.start, min(region.end, len(text)))
    return tuple(Span(*m.span()) for m in pattern.finditer(text, start, end))
