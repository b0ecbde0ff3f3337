"""Tests for aligner.numbers: finding, normalising and comparing numbers in en/ko/uk."""

from __future__ import annotations

import pytest

from aligner.numbers import NumberMention, compare_numbers, find_numbers
from aligner.spans import Span

# (id, lang, text, expected [(surface, values, percent, range)])
FIND_CASES: list[tuple[str, str, str, list[tuple[str, tuple[float, ...], bool, bool]]]] = [
    ("en-grouped", "en", "about 5,000 are dead", [("5,000", (5000,), False, False)]),
    ("en-plain", "en", "5000 troops", [("5000", (5000,), False, False)]),
    ("en-decimal", "en", "a 3.5 rise.", [("3.5", (3.5,), False, False)]),
    ("en-percent-sign", "en", "I'm 80% sure", [("80%", (80,), True, False)]),
    ("en-percent-word", "en", "80 percent sure", [("80 percent", (80,), True, False)]),
    ("en-per-cent", "en", "80 per cent sure", [("80 per cent", (80,), True, False)]),
    ("en-pct-points", "en", "up 2 percentage points", [("2 percentage points", (2,), True, False)]),
    ("en-range-to", "en", "(around 63 to 65)", [("63 to 65", (63, 65), False, True)]),
    ("en-range-hyphen", "en", "63-65 men", [("63-65", (63, 65), False, True)]),
    ("en-range-endash", "en", "63–65 men", [("63–65", (63, 65), False, True)]),
    (
        "en-range-between",
        "en",
        "between 11,000 and 12,000 soldiers",
        [("11,000 and 12,000", (11000, 12000), False, True)],
    ),
    ("en-and-not-range", "en", "5 men and 6 women", [("5", (5,), False, False), ("6", (6,), False, False)]),
    ("en-million", "en", "5 million people", [("5 million", (5e6,), False, False)]),
    ("en-billion-decimal", "en", "1.2 billion", [("1.2 billion", (1.2e9,), False, False)]),
    ("en-currency-abbr", "en", "cost $5m", [("5m", (5e6,), False, False)]),
    ("en-currency-bn", "en", "£1.2bn deal", [("1.2bn", (1.2e9,), False, False)]),
    ("en-metres-not-million", "en", "a 5m wall", [("5m", (5,), False, False)]),
    ("en-range-scale-once", "en", "5 to 6 million", [("5 to 6 million", (5e6, 6e6), False, True)]),
    ("en-range-percent-once", "en", "10 to 15 percent", [("10 to 15 percent", (10, 15), True, True)]),
    ("en-year", "en", "in 2019 he", [("2019", (2019,), False, False)]),
    ("en-season", "en", "the 2019-20 season", [("2019-20", (2019, 2020), False, True)]),
    ("en-covid", "en", "COVID-19 cases", [("19", (19,), False, False)]),
    ("en-id-skipped", "en", "the G7 and an A320", []),
    ("en-word-one", "en", "one of the soldiers", [("one", (1,), False, False)]),
    ("en-no-one", "en", "no one came, this one", []),
    ("en-word-ten", "en", "Ten men", [("Ten", (10,), False, False)]),
    ("en-word-compound", "en", "twenty-five men", [("twenty-five", (25,), False, False)]),
    (
        "en-word-hundred-and",
        "en",
        "five hundred and twenty",
        [("five hundred and twenty", (520,), False, False)],
    ),
    ("en-word-dozen", "en", "a dozen eggs", [("a dozen", (12,), False, False)]),
    ("en-a-million", "en", "a million people", [("a million", (1e6,), False, False)]),
    ("en-word-scale", "en", "three hundred thousand", [("three hundred thousand", (3e5,), False, False)]),
    ("en-word-range", "en", "two to three days", [("two to three", (2, 3), False, True)]),
    ("en-vague-plural", "en", "hundreds of people, thousands more", []),
    ("en-ordinal-word", "en", "the first and second day", []),
    ("en-article-a", "en", "a soldier", []),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c[1:] for c in FIND_CASES], ids=[c[0] for c in FIND_CASES]
)
def test_find_numbers(
    lang: str, text: str, expected: list[tuple[str, tuple[float, ...], bool, bool]]
) -> None:
    found = find_numbers(text, lang)
    got = [(m.span.of(text), m.values, m.percent, m.range) for m in found]
    assert got == [(s, tuple(float(v) for v in vs), p, r) for s, vs, p, r in expected]


def test_span_restricts_search_and_offsets_are_global() -> None:
    text = "5 men. He said 63 to 65 died. 7 left."
    region = Span(7, 29)
    found = find_numbers(text, "en", region)
    assert [(m.span, m.values) for m in found] == [(Span(15, 23), (63.0, 65.0))]


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        find_numbers("5", "fr")


def test_spelled_flag() -> None:
    assert [m.spelled for m in find_numbers("five or 5", "en")] == [True, False]


def _mentions(text: str, lang: str) -> tuple[NumberMention, ...]:
    return find_numbers(text, lang)


# (id, (lang, text), (lang, text), missing, extra)
COMPARE_CASES: list[tuple[str, tuple[str, str], tuple[str, str], tuple[float, ...], tuple[float, ...]]] = [
    ("same", ("en", "5,000"), ("en", "5000"), (), ()),
    ("range-vs-pair", ("en", "63 to 65"), ("en", "63-65"), (), ()),
    ("between", ("en", "between 11,000 and 12,000"), ("en", "11,000-12,000"), (), ()),
    ("altered", ("en", "5,000 died"), ("en", "6,000 died"), (5000.0,), (6000.0,)),
    ("dropped", ("en", "80% and 5"), ("en", "80%"), (5.0,), ()),
    ("multiset", ("en", "5 and 5"), ("en", "5"), (5.0,), ()),
    ("float-rounding", ("en", "1.2 million"), ("en", "1,200,000"), (), ()),
    ("spelled-one-slack", ("en", "one of them said 5"), ("en", "5"), (), ()),
    ("digit-one-reported", ("en", "1 of them said 5"), ("en", "5"), (1.0,), ()),
]


@pytest.mark.parametrize(
    ("source", "target", "missing", "extra"),
    [c[1:] for c in COMPARE_CASES],
    ids=[c[0] for c in COMPARE_CASES],
)
def test_compare_numbers(
    source: tuple[str, str], target: tuple[str, str], missing: tuple[float, ...], extra: tuple[float, ...]
) -> None:
    diff = compare_numbers(_mentions(source[1], source[0]), _mentions(target[1], target[0]))
    assert (diff.missing, diff.extra) == (missing, extra)
    assert diff.ok is (not missing and not extra)


def test_compare_without_slack_reports_spelled_one() -> None:
    diff = compare_numbers(_mentions("one said", "en"), (), spelled_slack=0)
    assert diff.missing == (1.0,)
