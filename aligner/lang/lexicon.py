"""Word translations learned from parallel text: which English words a translation renders.

Why hand-written: the quotation aligner pairs source and target quotations by length, figures,
Latin-script words and place; where an invented or dropped quotation stands next to real ones,
those cannot tell which one renders which, and the errors land on the wrong quotation. The words
can. No en↔uk or en↔ko dictionary, and no multilingual embedding whose weights install offline,
exists on PyPI or in Debian (freedict and apertium lack both pairs), so the project learns its
own: ``bench/build_lexicon.py`` fits IBM Model 1 (Brown et al. 1993, a few lines of EM) on the
line-aligned English-Ukrainian texts of the tuning half of the evaluation sets and ships, per
English word, the Ukrainian lemmas it most often translates to
(``aligner/data/lexicon/en-uk.tsv.gz``). Lemmas come from pymorphy3, as in the rest of the checks
(сказала -> сказати), and are compared by their first ``STEM_CHARS`` letters.

The lexicon is small and knows mostly frequent words: a faithful quotation has a counterpart for
about half of the source words it knows, the neighbouring quotation's translation for a tenth. So
it is used to compare, never to judge one side alone: which target quotation renders which source
quotation (``align.quotes``), and whether a translation's last sentence renders the source's
next-to-last one rather than its last (``check.boundary``). (Tried alone, as "the words of a
quotation's end have no counterpart", it flagged idioms: "a knock on effect" -> "наслідки".)
There is no Korean lexicon: the tuning half has 854 English-Korean line pairs, and one learned from
them (a Korean word read by its first two syllables; Kiwi's morphemes matched no better and cost
2-6 s to load) took two faithful quotations of the held-out half for dropped ones.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from aligner.lang.morph import uk_lemmas
from aligner.spans import Span

# English function words, and the speech verbs, carry no evidence of their own.
_EN_STOP = frozenset(
    """a an the and or but of to in on at by for from with as that which who whom whose if than our my
    your their his her its this these those is are was were be been being am i you he she it we they me
    him us them not no do does did have has had will would can could should may might must shall there
    here what when where why how all any some so very just also about into over after before up down
    out off then too s t don didn doesn isn wasn aren weren won ll ve re d m said says say""".split()
)
# Ukrainian function words (lemmas) that many English words align to by chance.
_UK_STOP = frozenset(
    """і й та а але що щоб як в у на з із зі до для від про при за по чи бо не ні ж же то це цей той
    ті він вона воно вони ми ви я ти його її їх їхній свій бути мати який котрий так також вже ще лише
    тільки ну""".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Lemmas are compared by their first letters: a word derived from the lexicon's (поліція ->
# поліцейський, регулярний -> регулярно, підтримка -> підтримати) is the same word.
STEM_CHARS = 5
LANGS = ("uk",)


def stem(lemma: str) -> str:
    """Return what two lemmas are compared by (their first ``STEM_CHARS`` letters)."""
    return lemma[:STEM_CHARS]


def source_words(text: str) -> list[tuple[str, Span]]:
    """Return the English content words of ``text``, lower case, with their spans. (Not stemmed:
    a Snowball stem pools office, officer and official, and the lexicon learned from stems
    matched worse.)"""
    words = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("’", "'").split("'")[0]
        if word and word not in _EN_STOP and not any(c.isdigit() for c in word):
            words.append((word, Span(m.start(), m.end())))
    return words


def target_lemmas(text: str) -> list[tuple[str, ...]]:
    """Return, per content word of a Ukrainian text, every lemma pymorphy3 gives it, likeliest
    first (сказала -> сказати)."""
    lemmas = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("’", "'")
        if word.isdigit():
            continue
        forms = uk_lemmas(word)
        if forms[0] not in _UK_STOP:
            lemmas.append(forms)
    return lemmas


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Per English word, the stems of the lemmas it translates to, and per stem the English words
    it translates; ``digest`` names the file."""

    lang: str
    stems: Mapping[str, frozenset[str]]
    english: Mapping[str, frozenset[str]]
    digest: str


def from_rows(rows: list[tuple[str, str, float]], lang: str, digest: str) -> Lexicon:
    """Build a lexicon from (English word, lemma, probability) rows."""
    stems: dict[str, set[str]] = {}
    english: dict[str, set[str]] = {}
    for word, lemma, _ in rows:
        stems.setdefault(word, set()).add(stem(lemma))
        english.setdefault(stem(lemma), set()).add(word)
    frozen = {w: frozenset(v) for w, v in stems.items()}
    return Lexicon(lang, frozen, {s: frozenset(v) for s, v in english.items()}, digest)


def read(data: bytes, lang: str) -> Lexicon:
    """Read a lexicon file (gzip; TSV of English word, lemma, probability; # comments)."""
    rows = []
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, lemma, p = line.split("\t")
            rows.append((word, lemma, float(p)))
    return from_rows(rows, lang, hashlib.sha256(data).hexdigest()[:12])


@functools.cache
def load(lang: str) -> Lexicon | None:
    """Return the packaged lexicon of English to ``lang``, or None where there is none."""
    if lang not in LANGS:
        return None
    path = resources.files("aligner").joinpath("data", "lexicon", f"en-{lang}.tsv.gz")
    return read(path.read_bytes(), lang) if path.is_file() else None


def translations(lexicon: Lexicon, english: str) -> tuple[frozenset[str], ...]:
    """Return, per word of ``english`` the lexicon knows, the stems it translates to."""
    return tuple(lexicon.stems[w] for w, _ in source_words(english) if w in lexicon.stems)


def target_stems(target: str) -> frozenset[str]:
    """Return the stems of every lemma of every content word of a translation."""
    return frozenset(stem(lemma) for forms in target_lemmas(target) for lemma in forms)


def with_counterpart(known: tuple[frozenset[str], ...], words: frozenset[str]) -> int:
    """Return how many of the ``known`` words have a counterpart among ``words``: English words'
    ``translations`` among a translation's ``target_stems``, or the other way round."""
    return sum(not k.isdisjoint(words) for k in known)


def signature() -> str:
    """Return the signature field of the lexicons: each language's file hash."""
    found = [(lang, load(lang)) for lang in LANGS]
    return "lex:" + ",".join(f"en-{lang}@{lex.digest}" if lex else f"en-{lang}@none" for lang, lex in found)
