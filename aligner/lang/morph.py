"""Ukrainian morphology through pymorphy3 (with the ``pymorphy3-dicts-uk`` dictionary).

One analyser, loaded lazily and once; answers cached per word. Used for lemmas where a
hand-written ending list cannot keep up: speech verbs in every tense, aspect, gender and number
(сказав, сказала, сказали, скаже, казатиме, заперечувала) and dictionary names in every case
(Києва, Москві, Північної Кореї). Foreign personal names are not in the dictionary (pymorphy3
guesses "рієва" for Рієві), so ``aligner.lang.names`` keeps its own endings for those.
"""

from __future__ import annotations

import functools
from typing import Any

# Parts of speech (OpenCorpora tags) that a speech verb's forms carry: finite verb, infinitive,
# adverbial participle (кажучи).
_VERB_POS = frozenset({"VERB", "INFN", "GRND"})


@functools.cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@functools.lru_cache(maxsize=16384)
def uk_lemmas(word: str) -> tuple[str, ...]:
    """Return the dictionary forms pymorphy3 gives a Ukrainian word, lower case, likeliest first
    (Москви -> москва, Києва -> київ), then the word itself."""
    lemmas = [p.normal_form for p in _morph().parse(word.lower())]
    return tuple(dict.fromkeys([*lemmas, word.lower()]))


@functools.lru_cache(maxsize=16384)
def uk_verb_lemmas(word: str) -> tuple[str, ...]:
    """Return the infinitives a Ukrainian word is a form of (сказала -> сказати), or ()."""
    return tuple(dict.fromkeys(p.normal_form for p in _morph().parse(word.lower()) if p.tag.POS in _VERB_POS))


@functools.lru_cache(maxsize=16384)
def uk_parses(word: str) -> tuple[str, ...]:
    """Return the tags pymorphy3 gives a Ukrainian word ("NOUN,inan,femn sing,nomn" …)."""
    return tuple(str(p.tag) for p in _morph().parse(word.lower()))


def uk_nominative(words: list[str]) -> str:
    """Return a phrase with each word put in the nominative singular where pymorphy3 can
    ("Північної Кореї" -> "північна корея"), lower case."""
    return _nominative(tuple(words))


@functools.lru_cache(maxsize=16384)
def _nominative(words: tuple[str, ...]) -> str:
    result = []
    for word in words:
        parse = _morph().parse(word.lower())[0]
        nominative = parse.inflect({"nomn", "sing"}) or parse.inflect({"nomn"})
        result.append(nominative.word if nominative is not None else word.lower())
    return " ".join(result)
