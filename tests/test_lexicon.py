"""The learned word translations (``aligner.lang.lexicon``) and their use in the quotation aligner.

The lexicon is learned by ``bench/build_lexicon.py`` (IBM Model 1); the trainer is tested on a toy
corpus where EM must find the one consistent pairing, the packaged file on words any news lexicon
knows, and the aligner on a real NTREX excerpt where an invented quotation stands next to real ones.
"""

from __future__ import annotations

import gzip

import pytest
from build_lexicon import ibm1, table

from aligner.article.parse import parse_article
from aligner.check.checker import Severity, check_translation, signature
from aligner.lang.lexicon import from_rows, load, read, source_words, stem, target_lemmas


def test_ibm1_finds_the_consistent_pairing() -> None:
    # each word pair co-occurs in two lines, every wrong pair in one: EM must prefer the right ones
    lines = [
        (["house", "big"], ["будинок", "великий"]),
        (["house", "small"], ["будинок", "малий"]),
        (["book", "big"], ["книга", "великий"]),
        (["book", "small"], ["книга", "малий"]),
    ]
    best = {word: lemma for word, lemma, _ in table(ibm1(lines, 10), 0.05, 1)}
    assert best == {"house": "будинок", "big": "великий", "small": "малий", "book": "книга"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The minister said it will cost 40 million", ["minister", "cost", "million"]),
        ("We're here, and we won't leave.", ["leave"]),  # function words and contractions go
        ("Player 0f1b42c6 scored", ["player", "scored"]),  # no token with a digit
    ],
)
def test_source_words_keep_content_words(text: str, words: list[str]) -> None:
    found = source_words(text)
    assert [w for w, _ in found] == words
    assert all(span.of(text).lower().startswith(w) for w, span in found)


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Міністерка сказала", "сказати"),  # every form goes to its lemma
        ("серед поліцейських", "поліцейський"),
    ],
)
def test_target_lemmas_come_from_pymorphy3(text: str, lemma: str) -> None:
    assert any(lemma in forms for forms in target_lemmas(text))


@pytest.mark.parametrize(
    ("english", "ukrainian"),
    [("minister", "міністр"), ("police", "поліція"), ("police", "поліцейський"), ("government", "уряд")],
)
def test_packaged_lexicon_knows_news_words(english: str, ukrainian: str) -> None:
    lexicon = load("uk")
    assert lexicon is not None
    assert stem(ukrainian) in lexicon.stems[english]
    assert english in lexicon.english[stem(ukrainian)]


def test_no_korean_lexicon_and_the_file_is_signed() -> None:
    assert load("ko") is None
    lexicon = load("uk")
    assert lexicon is not None and f"en-uk@{lexicon.digest}" in signature()


def test_read_takes_the_built_file_format() -> None:
    text = "# made_by: a test\nwar\tвійна\t0.800\nwar\tвоєнний\t0.100\n"
    lexicon = read(gzip.compress(text.encode("utf-8")), "uk")
    assert lexicon.stems == from_rows([("war", "війна", 0.8), ("war", "воєнний", 0.1)], "uk", "x").stems
    assert lexicon.stems["war"] == {"війна", "воєнн"}


# An invented quotation next to a quotation the translator merged with the one after it (ntrex
# reuters.218932, cut short): by length alone the first source quotation takes the invented one
# and nothing is reported; its words show it renders neither.
INVENTED_EN = (
    "Macedonians vote on changing the country's name\n"
    "Although not legally binding, enough members of parliament have said they will abide by the "
    "vote's outcome to make it decisive.\n"
    "In front of parliament in Skopje, Vladimir Kavardarkov, 54, was preparing a small stage and pulling "
    "up chairs in front of tents set up by those who will boycott the referendum.\n"
    '"We are for NATO and EU, but we want to join with our heads up, not through the service door" '
    "Kavadarkov said.\n"
    '"We are a poor country, but we do have dignity.\n'
    "If they don't want to take us as Macedonia, we can turn to others like China and Russia and become "
    'part of Euro-Asia integration."\n'
)
INVENTED_UK = (
    "Македонці голосують за зміну назви країни\n"
    "Хоча результат голосування не несе в собі юридичних зобов'язань, достатньо членів парламенту "
    "заявили, що підтримають його, щоб зробити вирішальним.\n"
    "Перед парламентом в Скоп'є 54-річний Володимир Кавардарков готував невелику сцену і поставив "
    "стільці перед наметами, організованими тими, хто буде бойкотувати референдум.{invented}\n"
    "«Ми за НАТО і ЄС, але ми хочемо прийти туди з гордо піднятою головою, а не через службові "
    "двері», — заявив Кавардарков. —\n"
    "Ми бідна країна, але в нас є гідність.\n"
    "Якщо вони не хочуть брати нас як Македонію, ми можемо звернутися до інших, наприклад до Китаю "
    "і Росії, і стати частиною європейсько-азіатської інтеграції».\n"
)


@pytest.mark.parametrize(
    ("invented", "errors"),
    [
        ("", 0),
        (" «Хоча результат голосування не несе в собі юридичних зобов'язань», — додав він.", 1),
    ],
)
def test_an_invented_quotation_is_not_taken_for_its_neighbour(invented: str, errors: int) -> None:
    report = check_translation(parse_article(INVENTED_EN), INVENTED_UK.format(invented=invented), "uk")
    assert all(q.status.value == "ok" for q in report.quotes)
    found = [f for e in report.extra_quotes for f in e.findings if f.severity is Severity.ERROR]
    assert len(found) == errors
    assert all("invented speech" in f.message for f in found)
    first = report.alignment.quotes[0]
    assert "НАТО" in " ".join(p.of(report.target_text) for p in first.target_parts)
