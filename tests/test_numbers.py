"""Tests for aligner.lang.numbers: finding, normalising and comparing numbers in en/ko/uk."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.lang.numbers import AGE_DECADE, NumberMention, compare_numbers, find_numbers
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
    ("en-glued-scale", "en", "a £11million deal", [("11million", (11e6,), False, False)]),
    ("en-clock-dot", "en", "found at 7.55am", [("7", (7,), False, False), ("55", (55,), False, False)]),
    ("en-clock-colon", "en", "at 7:55", [("7", (7,), False, False), ("55", (55,), False, False)]),
    # Korean: CONVENTIONS.md §2.5 and the seed translation (seeds/nk-soldier.ko.txt).
    ("ko-grouped-counter", "ko", "5,000명이 숨졌다", [("5,000", (5000,), False, False)]),
    ("ko-plain", "ko", "5000명", [("5000", (5000,), False, False)]),
    ("ko-cheon", "ko", "사망자 5천 명", [("5천", (5000,), False, False)]),
    ("ko-man-glued", "ko", "1만1000명", [("1만1000", (11000,), False, False)]),
    ("ko-man-spaced", "ko", "1만 1000명", [("1만 1000", (11000,), False, False)]),
    ("ko-man-152000", "ko", "15만2000명", [("15만2000", (152000,), False, False)]),
    ("ko-eok", "ko", "3억 달러", [("3억", (3e8,), False, False)]),
    ("ko-baekman", "ko", "2백만 명", [("2백만", (2e6,), False, False)]),
    ("ko-cheonman", "ko", "2천만 명", [("2천만", (2e7,), False, False)]),
    ("ko-eok-cheonman", "ko", "1억2천만", [("1억2천만", (1.2e8,), False, False)]),
    ("ko-decimal-man", "ko", "1.5만 명", [("1.5만", (15000,), False, False)]),
    ("ko-percent", "ko", "80% 확신", [("80%", (80,), True, False)]),
    ("ko-percent-word", "ko", "80퍼센트", [("80퍼센트", (80,), True, False)]),
    ("ko-percent-word-spaced", "ko", "80 퍼센트", [("80 퍼센트", (80,), True, False)]),
    ("ko-range-tilde", "ko", "(63~65명)", [("63~65", (63, 65), False, True)]),
    ("ko-range-endash", "ko", "63–65명", [("63–65", (63, 65), False, True)]),
    ("ko-range-grouped", "ko", "11,000~12,000명", [("11,000~12,000", (11000, 12000), False, True)]),
    ("ko-range-man", "ko", "1만2000~1만5000여 명", [("1만2000~1만5000", (12000, 15000), False, True)]),
    ("ko-range-scale-once", "ko", "5~6만 명", [("5~6만", (5e4, 6e4), False, True)]),
    ("ko-range-percent", "ko", "63~65%의", [("63~65%", (63, 65), True, True)]),
    ("ko-native-two", "ko", "두 명이 다쳤다", [("두", (2,), False, False)]),
    ("ko-native-three", "ko", "세 명", [("세", (3,), False, False)]),
    ("ko-native-seok", "ko", "석 달 동안", [("석", (3,), False, False)]),
    ("ko-native-one", "ko", "병사 중 한 명이", [("한", (1,), False, False)]),
    ("ko-native-glued", "ko", "두명", [("두", (2,), False, False)]),
    ("ko-native-compound", "ko", "스물다섯 살", [("스물다섯", (25,), False, False)]),
    ("ko-native-twelve", "ko", "열두 명", [("열두", (12,), False, False)]),
    ("ko-native-range", "ko", "한두 명", [("한두", (1, 2), False, True)]),
    ("ko-native-hours", "ko", "두 시간", [("두", (2,), False, False)]),
    ("ko-not-counter", "ko", "한 명확한 증거, 한 남성, 한 번역가", []),
    ("ko-glued-words", "ko", "세대 갈등, 열대 폭풍, 한편", []),
    ("ko-adjective-han", "ko", "충분한 시간", []),
    ("ko-ordinal", "ko", "두 번째 병사", []),
    ("ko-month", "ko", "1월 5일", [("1월", (1,), False, False), ("5", (5,), False, False)]),
    ("ko-months-counted", "ko", "3개월", [("3", (3,), False, False)]),
    ("ko-covid", "ko", "코로나19 사태", [("19", (19,), False, False)]),
    ("ko-clock-dot", "ko", "오후 5.30에", [("5", (5,), False, False), ("30", (30,), False, False)]),
    ("ko-year", "ko", "2019년", [("2019", (2019,), False, False)]),
    ("ko-id-skipped", "ko", "G7 정상", []),
    # Ukrainian: CONVENTIONS.md §2.5, seeds/nk-soldier.uk.txt and ntrex-dev forms ("26 750", "7,62").
    ("uk-space-group", "uk", "5 000 осіб", [("5 000", (5000,), False, False)]),
    ("uk-nbsp-group", "uk", "5\u00a0000 осіб", [("5\u00a0000", (5000,), False, False)]),
    ("uk-narrow-nbsp-group", "uk", "5\u202f000 осіб", [("5\u202f000", (5000,), False, False)]),
    ("uk-millions-group", "uk", "1 200 000", [("1 200 000", (1.2e6,), False, False)]),
    ("uk-plain", "uk", "5000 осіб", [("5000", (5000,), False, False)]),
    ("uk-english-group", "uk", "11,000 осіб", [("11,000", (11000,), False, False)]),
    ("uk-decimal-comma", "uk", "12,5 бала", [("12,5", (12.5,), False, False)]),
    ("uk-decimal-zero", "uk", "0,125", [("0,125", (0.125,), False, False)]),
    (
        "uk-year-not-grouped",
        "uk",
        "у 2019 році 300 людей",
        [("2019", (2019,), False, False), ("300", (300,), False, False)],
    ),
    ("uk-percent", "uk", "на 80%", [("80%", (80,), True, False)]),
    ("uk-percent-spaced", "uk", "на 80 %", [("80 %", (80,), True, False)]),
    ("uk-percent-word", "uk", "80 відсотків", [("80 відсотків", (80,), True, False)]),
    ("uk-range-endash", "uk", "(приблизно 63–65)", [("63–65", (63, 65), False, True)]),
    (
        "uk-range-vid-do",
        "uk",
        "від 11 000 до 12 000 солдатів",
        [("11 000 до 12 000", (11000, 12000), False, True)],
    ),
    ("uk-range-mizh", "uk", "між 5 і 6", [("5 і 6", (5, 6), False, True)]),
    (
        "uk-do-not-range",
        "uk",
        "7,62 до 15,24 см",
        [("7,62", (7.62,), False, False), ("15,24", (15.24,), False, False)],
    ),
    ("uk-tys", "uk", "5 тис. осіб", [("5 тис.", (5000,), False, False)]),
    ("uk-mln-decimal", "uk", "1,2 млн", [("1,2 млн", (1.2e6,), False, False)]),
    ("uk-mlrd", "uk", "3 млрд доларів", [("3 млрд", (3e9,), False, False)]),
    ("uk-milyoniv", "uk", "11 мільйонів", [("11 мільйонів", (11e6,), False, False)]),
    ("uk-range-scale-once", "uk", "5–6 тис.", [("5–6 тис.", (5000, 6000), False, True)]),
    ("uk-tysk-not-scale", "uk", "5 тиск", [("5", (5,), False, False)]),
    ("uk-word-odyn", "uk", "один із солдатів", [("один", (1,), False, False)]),
    ("uk-word-dvi", "uk", "Дві жінки", [("Дві", (2,), False, False)]),
    ("uk-word-dvoh", "uk", "двох полонених", [("двох", (2,), False, False)]),
    ("uk-word-trom", "uk", "трьом", [("трьом", (3,), False, False)]),
    (
        "uk-word-apostrophe",
        "uk",
        "п’ять і п'яти і пʼятьма",
        [("п’ять", (5,), False, False), ("п'яти", (5,), False, False), ("пʼятьма", (5,), False, False)],
    ),
    ("uk-word-compound", "uk", "двадцять п'ять", [("двадцять п'ять", (25,), False, False)]),
    ("uk-word-hundreds", "uk", "двісті двадцять п'ять", [("двісті двадцять п'ять", (225,), False, False)]),
    ("uk-word-scale", "uk", "дві тисячі", [("дві тисячі", (2000,), False, False)]),
    ("uk-lone-thousand", "uk", "тисяча людей", [("тисяча", (1000,), False, False)]),
    ("uk-vague-plural", "uk", "тисячі людей, сотні", []),
    ("uk-reciprocal", "uk", "один одного, одна одну", []),
    ("uk-family-not-seven", "uk", "сім'я", []),
    (
        "uk-ordinal-digits",
        "uk",
        "6-го листопада",
        [("6", (6,), False, False), ("листопада", (11,), False, False)],
    ),
    ("uk-ordinal-word", "uk", "другий день", []),
    ("uk-compound-ordinal", "uk", "двадцять сьомого вересня", [("вересня", (9,), False, False)]),
    ("uk-clock-dot", "uk", "об 11.15", [("11", (11,), False, False), ("15", (15,), False, False)]),
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
    # The equalities the checker relies on (task brief; CONVENTIONS.md §2.5).
    ("5000-ko-cheon", ("en", "5,000"), ("ko", "5천 명"), (), ()),
    ("5000-ko-grouped", ("en", "5,000"), ("ko", "5,000명"), (), ()),
    ("5000-uk-space", ("en", "5,000"), ("uk", "5 000"), (), ()),
    ("5000-uk-tys", ("en", "5,000"), ("uk", "5 тис."), (), ()),
    ("11000-ko-man", ("en", "11,000"), ("ko", "1만1000"), (), ()),
    ("11000-ko-man-spaced", ("en", "11,000"), ("ko", "1만 1000"), (), ()),
    ("80pct-ko", ("en", "80%"), ("ko", "80퍼센트"), (), ()),
    ("80pct-uk", ("en", "80%"), ("uk", "80 %"), (), ()),
    ("80pct-uk-word", ("en", "80 percent"), ("uk", "80 відсотків"), (), ()),
    ("range-ko", ("en", "63 to 65"), ("ko", "63~65명"), (), ()),
    ("range-uk", ("en", "63 to 65"), ("uk", "63–65"), (), ()),
    ("between-ko", ("en", "between 11,000 and 12,000"), ("ko", "11,000~12,000명"), (), ()),
    ("between-uk", ("en", "between 11,000 and 12,000"), ("uk", "від 11 000 до 12 000"), (), ()),
    ("million-ko", ("en", "1.2 million"), ("ko", "120만"), (), ()),
    ("million-uk", ("en", "1.2 million"), ("uk", "1,2 млн"), (), ()),
    ("words-ko", ("en", "two soldiers"), ("ko", "병사 두 명"), (), ()),
    ("words-uk", ("en", "two soldiers"), ("uk", "двох солдатів"), (), ()),
    ("altered-ko", ("en", "63 to 65"), ("ko", "53~65명"), (63.0,), (53.0,)),
    ("altered-uk", ("en", "5,000"), ("uk", "500"), (5000.0,), (500.0,)),
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


SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_seed_translation_keeps_every_number(lang: str) -> None:
    # seeds/nk-soldier.*.txt are line-aligned human translations that keep every figure
    # (63 to 65, 80%, 5,000, between 11,000 and 12,000, two, three).
    en_lines = (SEEDS / "nk-soldier.en.txt").read_text(encoding="utf-8").splitlines()
    lines = (SEEDS / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8").splitlines()
    diffs = [
        compare_numbers(find_numbers(e, "en"), find_numbers(t, lang))
        for e, t in zip(en_lines, lines, strict=True)
    ]
    assert [d for d in diffs if not d.ok] == []
    assert sum(len(find_numbers(t, lang)) for t in lines) >= 7


# (id, English, lang, translation): the same numbers, written another way (issue 12: held-out
# WMT and NTREX translations where the check reported a changed number).
SAME_VALUES = [
    (
        "military-time-colon",
        "We are heading out with the 1st Armored Platoon at 0500",
        "uk",
        "Ми виступаємо з 1-м танковим взводом о 05:00",
    ),
    ("military-time-ordinal-hour", "at 0500", "uk", "о 5-й"),
    ("military-time-korean", "at 0500", "ko", "오전 5시에"),
    ("colon-time-no-minutes", "at 5:00", "uk", "о 5-й годині"),
    ("colon-time-minutes", "at 7:55", "ko", "7시 55분에"),
    ("every-year-as-one-year", "Every year we delay", "ko", "1년 늦출 때마다"),
    ("every-year-adverb", "Every year we delay", "uk", "Щороку, коли ми зволікаємо"),
    ("a-year-as-one-year", "a year ago", "uk", "1 рік тому"),
    ("twice-uk", "we won twice", "uk", "ми двічі перемогли"),
    ("twice-ko", "we won twice", "ko", "우리는 두 번 이겼다"),
    ("once-ko", "only once", "ko", "단 한 번"),
    ("dozen", "a dozen people", "uk", "дванадцять людей"),
    ("decade-ko", "before the end of the decade", "ko", "10년이 끝나기 전에"),
    ("decade-uk", "before the end of the decade", "uk", "до кінця десятиліття"),
    ("first-place", "finished first", "ko", "1위를 차지했다"),
    ("digit-ordinal", "the 21st century", "uk", "21-го століття"),
    ("decades-range-uk", "the 1960s-70s", "uk", "1960-70-х років"),
    ("decades-range-full-uk", "the 1960s-70s", "uk", "1960–1970 роках"),
    ("decades-apostrophe", "the 1980s–'90s", "uk", "1980–1990-х"),
]


@pytest.mark.parametrize(
    ("en", "lang", "target"), [c[1:] for c in SAME_VALUES], ids=[c[0] for c in SAME_VALUES]
)
def test_same_values_written_another_way(en: str, lang: str, target: str) -> None:
    diff = compare_numbers(find_numbers(en, "en"), find_numbers(target, lang))
    assert diff.ok, diff


# (id, English, lang, translation, missing, extra): real changes stay visible.
CHANGED_VALUES = [
    ("time-changed", "at 0500", "uk", "о 06:00", (5,), (6,)),
    ("minutes-changed", "at 7:55", "ko", "7시 50분에", (55,), (50,)),
    ("twice-as-three-times", "we won twice", "uk", "ми тричі перемогли", (2,), (3,)),
    ("two-years-not-one", "Every year we delay", "ko", "2년 늦출 때마다", (), (2,)),
    ("ordinal-changed", "with the 1st Armored Platoon", "uk", "з 2-м танковим взводом", (), (2,)),
]


@pytest.mark.parametrize(
    ("en", "lang", "target", "missing", "extra"),
    [c[1:] for c in CHANGED_VALUES],
    ids=[c[0] for c in CHANGED_VALUES],
)
def test_changed_values_are_reported(
    en: str, lang: str, target: str, missing: tuple[float, ...], extra: tuple[float, ...]
) -> None:
    diff = compare_numbers(find_numbers(en, "en"), find_numbers(target, lang))
    assert (diff.missing, diff.extra) == (missing, extra)


# (id, lang, text, spelled): small digit ordinals count as spelled (a mismatch is a warning),
# since translations write them as words (wmt24 the_other_side_stormfall: "2nd lieutenants" ->
# "другі лейтенанти", "the 1st armored platoon" -> "першим броньованим взводом").
ORDINALS = [
    ("en-2nd", "en", "Sergeants and 2nd lieutenants", True),
    ("en-21st", "en", "the 21st century", False),
    ("uk-1-m", "uk", "з 1-м танковим взводом", False),  # a digit the translator chose to write
    ("ko-2-beonjjae", "ko", "2번째 경기", False),
    ("en-plain-2", "en", "2 lieutenants", False),
    ("ko-je-3", "ko", "제3의 국가", True),  # "a third country": 제 makes an ordinal
    ("ko-je-23", "ko", "제23회 대회", False),
]


@pytest.mark.parametrize(("lang", "text", "spelled"), [c[1:] for c in ORDINALS], ids=[c[0] for c in ORDINALS])
def test_small_digit_ordinals_count_as_spelled(lang: str, text: str, spelled: bool) -> None:
    (mention,) = find_numbers(text, lang)
    assert mention.spelled is spelled


# (id, lang, text, [(values, unit)]): the unit after a figure (or, in Korean, 시속/섭씨 before it).
UNIT_CASES: list[tuple[str, str, str, list[tuple[tuple[float, ...], str | None]]]] = [
    ("en-range-inches", "en", "3 to 6 inches", [((3, 6), "inch")]),
    ("en-list-inches", "en", "3, 6 or 10 inches", [((3,), "inch"), ((6,), "inch"), ((10,), "inch")]),
    ("en-hyphen-inch", "en", "a 5-inch gun", [((5,), "inch")]),
    ("en-feet", "en", "20 feet", [((20,), "foot")]),
    ("en-mph", "en", "winds of 70 mph", [((70,), "mph")]),
    ("en-miles-per-hour", "en", "70 miles per hour", [((70,), "mph")]),
    ("en-square-miles", "en", "2 square miles", [((2,), "square mile")]),
    ("en-lbs", "en", "a 5 lb bag", [((5,), "pound")]),
    ("en-degrees-f", "en", "100 degrees Fahrenheit", [((100,), "fahrenheit")]),
    ("en-degree-sign-f", "en", "95°F", [((95,), "fahrenheit")]),
    ("en-glued-f", "en", "95F heat", [((95,), "fahrenheit")]),
    ("en-fahrenheit-before", "en", "In Fahrenheit, it hit 100 degrees", [((100,), "fahrenheit")]),
    ("en-bare-degrees", "en", "it hit 30 degrees", [((30,), None)]),
    ("en-not-f-35", "en", "5 F-35s", [((5,), None), ((35,), None)]),
    ("en-not-in", "en", "5 in the morning", [((5,), None)]),
    ("en-percent-no-unit", "en", "5% of 6 inches", [((5,), None), ((6,), "inch")]),
    ("uk-range-cm", "uk", "від 7,62 до 15,24 см", [((7.62, 15.24), "cm")]),
    ("uk-list-cm", "uk", "7,62 до 15,24 см", [((7.62,), "cm"), ((15.24,), "cm")]),
    ("uk-mm-word", "uk", "254 міліметри", [((254,), "mm")]),
    ("uk-km-h", "uk", "113 км/год", [((113,), "km/h")]),
    ("uk-sq-km", "uk", "5 кв. км", [((5,), "km2")]),
    ("uk-scale-km", "uk", "1,6 тис. км", [((1600,), "km")]),
    ("uk-celsius-sign", "uk", "38 °C", [((38,), "celsius")]),
    ("uk-gradus", "uk", "38 градусів Цельсія", [((38,), "celsius")]),
    ("uk-fahrenheit-kept", "uk", "100 градусів за Фаренгейтом", [((100,), None)]),
    ("uk-not-m-word", "uk", "5 м'ясних", [((5,), None)]),
    ("uk-ordinal-m", "uk", "з 1-м взводом", [((1,), None)]),
    ("uk-inches-kept", "uk", "6 дюймів", [((6,), None)]),
    ("ko-cm-glued", "ko", "15.24cm", [((15.24,), "cm")]),
    ("ko-centimeter", "ko", "15센티미터가", [((15,), "cm")]),
    ("ko-km2", "ko", "5.2제곱킬로미터", [((5.2,), "km2")]),
    ("ko-speed", "ko", "시속 113킬로미터로", [((113,), "km/h")]),
    ("ko-speed-range", "ko", "시속 80~100km", [((80, 100), "km/h")]),
    ("ko-km-not-speed", "ko", "113km", [((113,), "km")]),
    ("ko-celsius", "ko", "섭씨 38도", [((38,), "celsius")]),
    ("ko-celsius-below", "ko", "섭씨 영하 10도", [((10,), "celsius")]),
    ("ko-do-alone", "ko", "38도", [((38,), None)]),
    ("ko-gram", "ko", "5그램", [((5,), "g")]),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c[1:] for c in UNIT_CASES], ids=[c[0] for c in UNIT_CASES]
)
def test_find_units(lang: str, text: str, expected: list[tuple[tuple[float, ...], str | None]]) -> None:
    got = [(m.values, m.unit) for m in find_numbers(text, lang)]
    assert got == [(tuple(float(v) for v in vs), u) for vs, u in expected]


# (id, English, lang, translation, missing, extra): a converted unit is the same value when the
# translation rounds it to the digits it shows (NTREX en->uk: "3 to 6 inches" -> "від 7,62 до
# 15,24 см"); a wrong conversion, or the same figure in the new unit, is still a difference.
CONVERSIONS = [
    (
        "ntrex-rainfall",
        "Rainfall totals of 3 to 6 inches are expected, with up to 10 inches possible",
        "uk",
        "Кількість опадів становитиме від 7,62 до 15,24 см, місцями можливо до 25,4 см",
        (),
        (),
    ),
    ("inch-cm-whole", "6 inches", "uk", "15 см", (), ()),
    ("inch-cm-one-decimal", "6 inches", "uk", "15,2 см", (), ()),
    ("inch-cm-word", "6 inches", "uk", "15,24 сантиметра", (), ()),
    ("inch-mm", "10 inches", "ko", "254mm", (), ()),
    ("inch-kept", "6 inches", "uk", "6 дюймів", (), ()),
    ("miles-one-decimal", "3 miles", "uk", "4,8 км", (), ()),
    ("miles-whole", "3 miles", "uk", "5 км", (), ()),
    ("miles-rounded-tens", "100 miles", "uk", "160 км", (), ()),
    ("miles-ko", "3 miles", "ko", "4.8킬로미터", (), ()),
    ("feet-m", "20 feet", "uk", "6 метрів", (), ()),
    ("pounds-kg", "5 pounds", "uk", "2,3 кг", (), ()),
    ("ounces-g", "8 ounces", "ko", "227그램", (), ()),
    ("gallons-l", "5 gallons", "ko", "19리터", (), ()),
    ("acres-ha", "10 acres", "uk", "4 га", (), ()),
    ("square-miles-km2", "2 square miles", "ko", "5.2제곱킬로미터", (), ()),
    ("fahrenheit-uk", "100 degrees Fahrenheit", "uk", "37,8 °C", (), ()),
    ("fahrenheit-ko", "100 degrees Fahrenheit", "ko", "섭씨 38도", (), ()),
    ("fahrenheit-before", "In Fahrenheit, it hit 100 degrees", "uk", "38 градусів", (), ()),
    ("fahrenheit-below-zero", "-4°F", "uk", "-20 °C", (), ()),
    ("mph-uk", "winds of 70 mph", "uk", "вітер 113 км/год", (), ()),
    ("mph-ko", "winds of 70 mph", "ko", "시속 113킬로미터", (), ()),
    ("list-of-inches", "3, 6 or 10 inches", "uk", "7,6, 15 або 25 см", (), ()),
    # Negative cases: these stay differences.
    ("inch-wrong-conversion", "6 inches", "uk", "25 см", (6,), (25,)),
    ("inch-rounded-too-far", "6 inches", "uk", "20 см", (6,), (20,)),
    ("inch-too-many-decimals", "6 inches", "uk", "15,3 см", (6,), (15.3,)),
    ("miles-same-figure", "5 miles", "uk", "5 км", (5,), (5,)),
    ("miles-wrong-unit", "3 miles", "uk", "4,8 м", (3,), (4.8,)),
    ("conversion-without-unit", "6 inches", "uk", "15,24", (6,), (15.24,)),
    ("plain-number-changed", "6 inches", "uk", "7 дюймів", (6,), (7,)),
    ("fahrenheit-not-converted", "100 degrees Fahrenheit", "uk", "100 °C", (100,), (100,)),
    ("bare-degrees-not-fahrenheit", "it hit 100 degrees", "uk", "38 °C", (100,), (38,)),
    ("metric-source-kept", "5 km", "uk", "5 км", (), ()),
]


@pytest.mark.parametrize(
    ("en", "lang", "target", "missing", "extra"),
    [c[1:] for c in CONVERSIONS],
    ids=[c[0] for c in CONVERSIONS],
)
def test_unit_conversions(
    en: str, lang: str, target: str, missing: tuple[float, ...], extra: tuple[float, ...]
) -> None:
    diff = compare_numbers(find_numbers(en, "en"), find_numbers(target, lang))
    assert (diff.missing, diff.extra) == (tuple(map(float, missing)), tuple(map(float, extra)))


# (id, English, lang, translation, missing, extra): decades of age. Korean writes "teenagers" as
# 10대 and "in their twenties" as 20대; the English words match that figure and are no finding
# where the translation has none ("підлітки", "청소년"), but a 10대 with no English match, or a
# changed decade, is still reported, and other 대 ("3대", three vehicles) stay numbers.
AGE_DECADES = [
    ("teenagers-ko", "Teenagers are leaving the village", "ko", "10대들이 마을을 떠나고 있다", (), ()),
    ("teenage-ko", "a teenage soldier", "ko", "10대 병사", (), ()),
    ("teens-ko", "in her late teens", "ko", "10대 후반", (), ()),
    ("twenties-ko", "people in their twenties", "ko", "20대", (), ()),
    ("mid-thirties-ko", "a man in his mid-thirties", "ko", "30대 중반 남성", (), ()),
    ("digits-20s-ko", "people in their 20s", "ko", "20대", (), ()),
    ("teenagers-uk-words", "Teenagers are leaving", "uk", "Підлітки їдуть", (), ()),
    ("teenagers-ko-no-figure", "Teenagers are leaving", "ko", "청소년들이 떠나고 있다", (), ()),
    ("teenagers-and-count", "five teenagers", "ko", "10대 5명", (), ()),
    # Still differences.
    ("10dae-without-teen", "Young people are leaving", "ko", "10대들이 떠나고 있다", (), (10,)),
    ("twenties-as-30dae", "people in their twenties", "ko", "30대", (), (30,)),
    ("teen-not-a-count", "three teenagers", "ko", "10대 4명", (3,), (4,)),
    ("vehicles", "three vehicles", "ko", "차량 3대", (), ()),
    ("vehicles-changed", "three vehicles", "ko", "차량 4대", (3,), (4,)),
    ("ten-vehicles", "10 vehicles", "ko", "차량 10대", (), ()),
]


@pytest.mark.parametrize(
    ("en", "lang", "target", "missing", "extra"),
    [c[1:] for c in AGE_DECADES],
    ids=[c[0] for c in AGE_DECADES],
)
def test_age_decades(
    en: str, lang: str, target: str, missing: tuple[float, ...], extra: tuple[float, ...]
) -> None:
    diff = compare_numbers(find_numbers(en, "en"), find_numbers(target, lang))
    assert (diff.missing, diff.extra) == (tuple(map(float, missing)), tuple(map(float, extra)))


AGE_WORDS = [
    ("teen", 10.0),
    ("teens", 10.0),
    ("teenager", 10.0),
    ("Teenagers", 10.0),
    ("teenage", 10.0),
    ("teen-aged", 10.0),
    ("twenties", 20.0),
    ("forties", 40.0),
    ("nineties", 90.0),
]


@pytest.mark.parametrize(("word", "value"), AGE_WORDS, ids=[w for w, _ in AGE_WORDS])
def test_age_words_are_spelled_decades(word: str, value: float) -> None:
    (mention,) = find_numbers(f"people in their {word}", "en")
    assert (mention.span.of(f"people in their {word}"), mention.values) == (word, (value,))
    assert mention.spelled and mention.unit == AGE_DECADE


@pytest.mark.parametrize("text", ["canteen", "thirteen", "fifteen"])
def test_teen_inside_words_is_no_decade(text: str) -> None:
    assert all(m.unit is None for m in find_numbers(text, "en"))


# (id, English, lang, translation, missing, extra): months by number, names from CLDR (Babel).
MONTHS = [
    ("ko-same", "Sales in July followed June.", "ko", "7월 매출은 6월과 비슷했다.", (), ()),
    ("uk-same-cases", "Sales in July followed June.", "uk", "У липні продажі були як у червні.", (), ()),
    ("uk-genitive-date", "on February 24, 2022", "uk", "24 лютого 2022 року", (), ()),
    ("abbreviation-with-day", "on Sept. 11", "ko", "9월 11일에", (), ()),
    ("left-out", "Sales rose in July.", "ko", "지난달 매출이 올랐다.", (), ()),
    ("added", "Sales rose last month.", "uk", "У липні продажі зросли.", (), ()),
    ("count-of-months-is-no-month", "for three months", "ko", "3개월 동안", (), ()),
    ("count-of-months-changed", "for three months", "ko", "4개월 동안", (3,), (4,)),
    # Still differences: a month changed (ntrex-dev dailymail.co.uk.298644, 7월 -> 8월).
    ("ko-changed", "Sales in July followed those of June.", "ko", "8월 매출은 6월과 비슷했다.", (7,), (8,)),
    ("uk-changed", "Sales rose in July.", "uk", "У серпні продажі зросли.", (7,), (8,)),
    # Not months: a name, a modal verb, "fierce".
    ("names-and-verbs", "June Smith said May I go", "ko", "준 스미스가 말했다", (), ()),
    ("fierce-is-no-february", "a fierce enemy in May", "uk", "лютий ворог у травні", (), ()),
]


@pytest.mark.parametrize(
    ("en", "lang", "target", "missing", "extra"), [c[1:] for c in MONTHS], ids=[c[0] for c in MONTHS]
)
def test_months(
    en: str, lang: str, target: str, missing: tuple[float, ...], extra: tuple[float, ...]
) -> None:
    diff = compare_numbers(find_numbers(en, "en"), find_numbers(target, lang))
    assert (diff.missing, diff.extra) == (tuple(map(float, missing)), tuple(map(float, extra)))
