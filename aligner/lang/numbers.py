"""Find numbers in English, Korean and Ukrainian text and normalise them to values.

Each language has one compiled "quantity" pattern (a figure with its scale words and
percent sign) and a few range connectors; :func:`find_numbers` scans with the pattern,
turns each match into a value and joins neighbouring quantities into ranges.
:func:`compare_numbers` then compares the values of a source quote and its translation
as multisets, so that ``5,000`` = ``5 000`` = ``5천`` = ``5 тис.``.

Choices that keep the three languages consistent (CONVENTIONS.md §2.5):

* digits glued to a Latin letter are part of a name or id (``G7``, ``A320``) and are
  skipped; after a hyphen or a Hangul syllable they count (``COVID-19``, ``코로나19`` -> 19);
* years are plain numbers; Korean ``N월`` (a month name, where English writes "January")
  is skipped, but ``N개월`` (a number of months) counts;
* word ordinals ("first", "두 번째", "другий") are not numbers; digit ordinals ("21st") are;
* vague plurals ("hundreds", "수백", "сотні") carry no value;
* a clock time is its hour and its minutes, with ":00" giving no minutes, so that the military
  ``0500`` = ``05:00`` = ``5:00`` = ``오전 5시`` = ``о 5-й``;
* small English digit ordinals (up to 10th) count as spelled, since translations write them as
  words ("2nd lieutenants" -> "другі лейтенанти", "the 1st platoon" -> "першим взводом"): one
  left out is a warning; a digit the translation writes ("1-м", "2번째") stays a number, so
  "1st" -> "2-м" is an error; larger ordinals ("21st" = "21-го") are numbers;
* implicit counts: "once" = 1, "twice" = 2 (двічі, 두 번), "decade" = 10 (10년, десятиліття);
  a lone "1" before a unit (``1년``, ``1 рік``: "every year we delay" -> "1년 늦출 때마다") is
  spelled, like "a year";
* unit conversions: a figure records the unit written next to it when a conversion needs it
  (imperial and US units and Celsius in English, metric ones in Korean and Ukrainian), and
  "6 inches" matches "15,24 см", "15,2 см" or "15 см" (the conversion at the precision the
  target shows), while "5 miles" -> "5 км" is a difference;
* months: "July" = ``7월`` = "липня", "у липні" (the names from CLDR through Babel; Ukrainian
  case forms through pymorphy3's lemmas); March, April, May, June and August count only in a
  date ("in May", "June 4", not "June Smith" or "May I"), Ukrainian "лютий" (also "fierce")
  next to a figure only. A month left out or added is no finding (translations write "last month" or name
  it), only a month changed: one side's unmatched month against the other's;
* decades of age: "teenagers", "teenage" = 10 and "twenties" … "nineties" = 20 … 90, which
  Korean writes ``10대``, ``20대`` (the number it finds in any ``N대``); the words are optional,
  since Ukrainian ("підлітки") and Korean ("청소년") often write no figure, so only a figure
  that matches them counts: an unmatched ``10대`` is still an added 10.

No maintained library reads numbers in all three languages with these equivalences (CLDR and
Babel format numbers, they do not parse words or Korean mixed figures), hence the hand rules.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aligner.spans import Span

LANGS = ("en", "ko", "uk")

# An unmatched spelled-out number at or below this value is not a finding: "a"/"an" and
# "one" (한, один) alternate freely in translation ("a soldier" -> "한 명의 병사").
SPELLED_SLACK = 1.0

# Values are compared after rounding to this many significant digits, so that
# 1.2 * 1e6 (1200000.0000000002) equals 120 * 1e4.
_SIGNIFICANT_DIGITS = 12


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number as written, with its normalised values.

    ``values`` holds one value for a plain number or percentage and two for a range or
    pair ("63 to 65", "between 11,000 and 12,000"); ``percent`` marks a percentage;
    ``spelled`` marks a number written in words ("five", "두 명", "п'ять"); ``unit`` is the
    unit written next to it, normalised ("inch", "mile", "fahrenheit", "cm", "km/h"; see
    ``_CONVERSIONS``; ``AGE_DECADE`` for "teenagers", "twenties"), or None: only the units that
    conversions or decades of age need are recorded.
    """

    span: Span
    values: tuple[float, ...]
    percent: bool = False
    range: bool = False
    spelled: bool = False
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class NumberDiff:
    """Values of the source that the target lacks, and values the target adds."""

    missing: tuple[float, ...]
    extra: tuple[float, ...]

    @property
    def ok(self) -> bool:
        """Return True when source and target carry the same values."""
        return not self.missing and not self.extra


@dataclass(frozen=True, slots=True)
class _Quantity:
    """One figure before ranges are joined; ``scale`` multiplies its leading number."""

    start: int
    end: int
    value: float
    scale: float = 1.0
    percent: bool = False
    spelled: bool = False
    high: float | None = None  # a range written as one word: 한두 (one or two)
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class _Connector:
    """Joins two quantities into a range when the text between them matches ``gap``
    and, if ``before`` is set, the text just before the first one matches ``before``."""

    gap: re.Pattern[str]
    before: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class _Units:
    """Unit words right after a figure: ``pattern`` has one group ``u<i>`` per unit in ``names``."""

    pattern: re.Pattern[str]
    names: tuple[str, ...]

    def at(self, text: str, pos: int) -> str | None:
        """Return the normalised unit written at ``pos``, or None."""
        match = self.pattern.match(text, pos)
        return self.names[int(match.lastgroup[1:])] if match and match.lastgroup else None


def _units(lead: str, units: Sequence[tuple[str, str]], end: str, flags: int = 0) -> _Units:
    """Compile (pattern, unit) pairs, tried in order, after ``lead`` and each followed by ``end``."""
    body = "|".join(f"(?P<u{i}>(?:{pattern}){end})" for i, (pattern, _) in enumerate(units))
    return _Units(re.compile(f"{lead}(?:{body})", flags), tuple(unit for _, unit in units))


# Imperial and US units and the metric ones a translation converts them to, as
# (metric unit, factor, offset): metric = (value + offset) * factor. Hand-written, like the unit
# words below: no maintained library reads unit words in Ukrainian or Korean ("дюймів",
# "센티미터"; pint and CLDR know English names and symbols), and the table is small.
_CONVERSIONS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "inch": (("cm", 2.54, 0.0), ("mm", 25.4, 0.0), ("m", 0.0254, 0.0)),
    "foot": (("m", 0.3048, 0.0), ("cm", 30.48, 0.0), ("km", 0.0003048, 0.0)),
    "yard": (("m", 0.9144, 0.0), ("km", 0.0009144, 0.0)),
    "mile": (("km", 1.609344, 0.0), ("m", 1609.344, 0.0)),
    "square mile": (("km2", 2.589988110336, 0.0), ("ha", 258.9988110336, 0.0)),
    "square foot": (("m2", 0.09290304, 0.0),),
    "acre": (("ha", 0.40468564224, 0.0), ("m2", 4046.8564224, 0.0), ("km2", 0.0040468564224, 0.0)),
    "pound": (("kg", 0.45359237, 0.0), ("g", 453.59237, 0.0)),
    "ounce": (("g", 28.349523125, 0.0),),
    "gallon": (("l", 3.785411784, 0.0),),
    "fahrenheit": (("celsius", 5 / 9, -32.0),),
    "mph": (("km/h", 1.609344, 0.0),),
}
# The unit of a decade of age written in words ("teenagers" = 10, "twenties" = 20): such a value
# matches Korean 10대, 20대, and is no finding when the translation has no figure for it.
AGE_DECADE = "age decade"
MONTH = "month"  # a month of the year, by its number: "July", 7월, "липня"
# A rounded conversion ("100 miles" -> "160 км") may drop this share of the value at most.
_ROUNDING_SHARE = 0.05
# A figure without a unit takes the unit of the next one across these: "3, 6 or 10 inches",
# "7,62 до 15,24 см", "3에서 6인치".
_UNIT_LIST_GAP = re.compile(
    r"\s*(?:[,~∼〜～–—-]|,?\s*(?:or|and|to|до|або|чи|і|й|та|에서|내지|또는))\s*", re.I
)


@dataclass(frozen=True, slots=True)
class _Rules:
    quantity: re.Pattern[str]
    parse: Callable[[re.Match[str]], tuple[_Quantity, ...]]
    connectors: tuple[_Connector, ...]


# Digits glued to a Latin letter or to another figure are not a number of their own:
# "G7", "A320"; and "5000" after "12," is the tail of a malformed figure.
_NOT_AFTER = r"(?<![A-Za-z\d])(?<!\d[.,])"
# A dash between two figures: "63-65", "63–65", "2019—2020", "63 ~ 65".
_DASH = re.compile(r"\s*[-–—~∼〜～]\s*")
_WS = re.compile(r"\s+")

# --- English -------------------------------------------------------------------------

_EN_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12}
# "$5m", "£1.2bn": only after a currency sign, where "m" cannot be metres.
_EN_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
_EN_WORDS = {**_EN_ONES, **_EN_TENS}

_EN_ONE_ALT = "|".join(sorted(_EN_ONES, key=len, reverse=True))
_EN_TENS_ALT = "|".join(_EN_TENS)
_EN_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# A digit ordinal's suffix ("2nd", "21st"); ordinals up to this one are spelled in translation.
_EN_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.I)
_SMALL_ORDINAL = 10
# Decades of age: "teenagers" (10대), "in their twenties" (20대).
_EN_AGES = {
    "teen": 10, "twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70,
    "eight": 80, "ninet": 90,
}  # fmt: skip
_EN_AGE = rf"teen(?:s|agers?|aged?|-aged)?|(?:{'|'.join(k for k in _EN_AGES if k != 'teen')})ies"
# Counts written as adverbs ("once", "twice", "thrice") and "decade" (10년, десятиліття).
_EN_TIMES = {"once": 1, "twice": 2, "thrice": 3, "decade": 10}
# 0-99 in words: "seven", "seventeen", "twenty-five", "twenty five".
_EN_T = rf"(?:(?:{_EN_TENS_ALT})(?:[-\s]{_EN_UNIT}\b)?|(?:{_EN_ONE_ALT}))"
# "five hundred and twenty", "a hundred", "forty-two", "a" (only before a scale word).
_EN_W = (
    rf"(?:(?:a|{_EN_UNIT})\s+hundred(?:\s+(?:and\s+)?{_EN_T}\b)?"
    rf"|{_EN_T}\b|a(?=\s+(?:thousand|million|billion|trillion|dozen)\b))"
)
_EN_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)"
# One figure: "5,000", "3.5", "$1.2bn", "£11million", "five hundred thousand", "80 per cent",
# or a clock time "7.55am" (hour and minutes, as "7:55" gives).
_EN_QUANTITY = re.compile(
    rf"""(?=[\d$£€¥adefnostw])  # cheap first-character filter: a digit, a sign or a number word
    (?:
        {_NOT_AFTER}(?P<clock>\d{{1,2}})(?:\.(?=[0-5]\d\s?[ap]\.?m\b)|:)(?P<minutes>[0-5]\d)(?!\d)
      | (?<![\w.,:])(?P<military>0\d)(?P<military_minutes>[0-5]\d)(?!\d)
      | (?P<cur>[$£€¥])?{_NOT_AFTER}(?P<num>{_EN_DIGITS})(?P<abbr>(?:k|mn|m|bn|tn)\b)?
      | (?<![\w'’])(?P<age>{_EN_AGE})\b
      | (?<![\w'’-])(?P<words>{_EN_W})
      | (?<![\w'’-])(?P<times>once|twice|thrice|decade)\b
    )
    (?P<scale>(?:\s*(?:hundred|thousand|million|billion|trillion|dozen)\b)*)
    (?P<pct>\s?%|\s+per\s?cent\b|\s+percentage\s+points?\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
# Imperial and US units after an English figure: "6 inches", "a 5-inch gun", "95F", "70 mph".
_EN_UNITS = _units(
    r"[-\s]{0,2}",
    (
        (r"miles?\s+(?:per|an)\s+hour|mph|mi/h", "mph"),
        (r"(?:square|sq\.?)\s*(?:miles?|mi)", "square mile"),
        (r"(?:square|sq\.?)\s*(?:feet|foot|ft)", "square foot"),
        (r"inch(?:es)?", "inch"),
        (r"feet|foot|ft", "foot"),
        (r"yards?|yds?", "yard"),
        (r"miles?|mi", "mile"),
        (r"pounds?|lbs?", "pound"),
        (r"ounces?|oz", "ounce"),
        (r"gallons?", "gallon"),
        (r"acres?", "acre"),
        (r"(?:degrees?\s+)?(?:Fahrenheit|F)|°\s?F", "fahrenheit"),
        (r"(?:degrees?\s+)?(?:Celsius|centigrade|C)|°\s?C", "celsius"),
        (r"degrees?", "degree"),
    ),
    r"(?![\w-])",
    re.IGNORECASE,
)
# Bare "degrees" are Fahrenheit when the sentence named the scale before: "in Fahrenheit, 100 degrees".
_EN_FAHRENHEIT_BEFORE = re.compile(r"\bFahrenheit\b|°\s?F\b", re.I)
_FAHRENHEIT_WINDOW = 80
# "one" is a pronoun, not a count, after these words or before "another": "no one", "this one".
_EN_ONE_PRONOUN_BEFORE = re.compile(r"\b(?:no|any|every|each|some|the|this|that|which|last)\s+$", re.I)
_EN_ONE_PRONOUN_AFTER = re.compile(r"\s+(?:another|by\s+one)\b", re.I)


def _clock(match: re.Match[str], hour: str = "clock", minutes: str = "minutes") -> tuple[_Quantity, ...]:
    """Split a clock time ("7.55am", "7:55", uk "11.15", military "0500") into hour and minutes,
    the two numbers that "7시 55분" gives; ":00" gives no minutes, as "5 a.m." and "5시" have none."""
    found: tuple[_Quantity, ...] = (_Quantity(match.start(hour), match.end(hour), float(match[hour])),)
    if int(match[minutes]):
        found += (_Quantity(match.start(minutes), match.end(minutes), float(match[minutes])),)
    return found


def _scale_product(words: str) -> float:
    scale = 1.0
    for word in words.split():
        scale *= _EN_SCALES[word.lower()]
    return scale


def _en_words_value(words: str) -> float:
    value = 0.0
    for token in re.split(r"[-\s]+", words.lower()):
        if token == "hundred":
            value = (value or 1) * 100
        elif token == "a":
            value = 1
        elif token != "and":
            value += _EN_WORDS[token]
    return value


def _is_pronoun_one(match: re.Match[str]) -> bool:
    if match["words"].lower() != "one" or match["scale"] or match["pct"]:
        return False
    text = match.string
    before = text[max(0, match.start() - 8) : match.start()]
    return bool(_EN_ONE_PRONOUN_BEFORE.search(before) or _EN_ONE_PRONOUN_AFTER.match(text, match.end()))


def _en_unit(match: re.Match[str]) -> str | None:
    if match["pct"]:
        return None
    unit = _EN_UNITS.at(match.string, match.end())
    if unit == "degree":
        before = match.string[max(0, match.start() - _FAHRENHEIT_WINDOW) : match.start()]
        return "fahrenheit" if _EN_FAHRENHEIT_BEFORE.search(before) else None
    return unit


def _parse_en(match: re.Match[str]) -> tuple[_Quantity, ...]:
    if match["clock"] is not None:
        return _clock(match)
    if match["military"] is not None:
        return _clock(match, "military", "military_minutes")
    if match["times"] is not None:
        return (_Quantity(match.start(), match.end(), _EN_TIMES[match["times"].lower()], spelled=True),)
    if match["age"] is not None:
        word = match["age"].lower()
        value = float(_EN_AGES["teen" if word.startswith("teen") else word.removesuffix("ies")])
        return (_Quantity(match.start("age"), match.end("age"), value, spelled=True, unit=AGE_DECADE),)
    if match["num"] is not None:
        number = float(match["num"].replace(",", ""))
        spelled = number <= _SMALL_ORDINAL and bool(_EN_ORDINAL.match(match.string, match.end("num")))
        scale = _scale_product(match["scale"])
        if match["abbr"] and match["cur"]:
            scale *= _EN_ABBR[match["abbr"].lower()]
    else:
        if _is_pronoun_one(match):
            return ()
        number, spelled = _en_words_value(match["words"]), True
        scale = _scale_product(match["scale"])
    start = match.start("num") if match["num"] is not None else match.start()
    percent = bool(match["pct"])
    return (_Quantity(start, match.end(), number * scale, scale, percent, spelled, unit=_en_unit(match)),)


_EN_RULES = _Rules(
    _EN_QUANTITY,
    _parse_en,
    (
        _Connector(_DASH),
        _Connector(re.compile(r"\s+to\s+", re.I)),
        _Connector(re.compile(r"\s+and\s+", re.I), re.compile(r"\bbetween\s+$", re.I)),
        _Connector(re.compile(r"s\s*[-–—]\s*'?")),  # decades: "1960s-70s", "1980s–'90s"
    ),
)

# --- Korean ------------------------------------------------------------------------------

# Myriad-based units: "15만2000", "1만 2000", "2천만", "2백만", "3억", "5천" (CONVENTIONS §2.5).
_KO_SMALL_UNITS = {"천": 1e3, "백": 1e2}
_KO_BIG_UNITS = {"만": 1e4, "억": 1e8, "조": 1e12}
_KO_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)|([천백만억조])")
# Native numerals before a counter: "두 명" = 2, "석 달" = 3, "스물다섯 살" = 25, "한두 명" = 1-2.
_KO_NATIVE_UNITS = {
    "한": 1, "두": 2, "세": 3, "석": 3, "네": 4, "넉": 4, "다섯": 5, "여섯": 6, "일곱": 7,
    "여덟": 8, "아홉": 9,
}  # fmt: skip
_KO_NATIVE_TENS = {
    "열": 10, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70, "여든": 80, "아흔": 90,
}  # fmt: skip
_KO_NATIVE_RANGES = {
    "한두": (1, 2), "두세": (2, 3), "서너": (3, 4), "너덧": (4, 5), "네댓": (4, 5), "대여섯": (5, 6),
    "예닐곱": (6, 7),
}  # fmt: skip
_KO_NATIVE = (
    rf"(?:{'|'.join(_KO_NATIVE_RANGES)}|스무"
    rf"|(?:{'|'.join(_KO_NATIVE_TENS)})?(?:{'|'.join(sorted(_KO_NATIVE_UNITS, key=len, reverse=True))})"
    rf"|{'|'.join(_KO_NATIVE_TENS)})"
)
_KO_COUNTERS = (
    "명|사람|분|개국|개월|개|달|살|마리|번|차례|가지|곳|군데|대|척|권|채|장|병|잔|시간|시|주일|주|해|"
    "발|쌍|켤레|벌|그루|송이|통|끼|편|배|팀|가구|건|점"
)
# Glued to the numeral only these, since "세대" (generation), "열대" (tropical) and "한편"
# (meanwhile) are words of their own.
_KO_GLUED_COUNTERS = "명|사람|개|번|달|살|마리|차례|가지|곳|시간"
# A counter must end the word or be followed by a particle: "두 명이" yes, "한 명확한" no.
# "번째" makes an ordinal ("두 번째" = second), which is not a number here.
_KO_AFTER_COUNTER = (
    r"(?!째)(?:(?![가-힣])|[이가은는을를의에과와도만씩간쯤께로나뿐밖여]|으로|가량|정도|동안|부터|까지|남짓)"
)
_KO_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)"
_KO_QUANTITY = re.compile(
    rf"""(?:
        (?:(?<=오전)|(?<=오후))\s?(?P<clock>[01]?\d|2[0-3])[.:](?P<minutes>[0-5]\d)(?!\d)
      | {_NOT_AFTER}(?P<hour>[01]?\d|2[0-3]):(?P<colon_minutes>[0-5]\d)(?!\d)
      | {_NOT_AFTER}(?P<num>(?:{_KO_DIGITS}[천백만억조]+\s?)*{_KO_DIGITS}[천백만억조]*)
      | (?<![가-힣])(?P<native>{_KO_NATIVE})
        (?=\s(?:{_KO_COUNTERS}){_KO_AFTER_COUNTER}|(?:{_KO_GLUED_COUNTERS}){_KO_AFTER_COUNTER})
    )
    (?P<pct>\s?(?:%|퍼센트|프로(?![가-힣])))?""",
    re.VERBOSE,
)


def _ko_figure_value(figure: str) -> tuple[float, float]:
    """Return the value of "1만2000"-style figures and the scale of a lone leading number."""
    total = section = lead = 0.0
    current: float | None = None
    numbers = 0
    for digits, unit in _KO_FIGURE.findall(figure):
        if digits:
            current, numbers = float(digits.replace(",", "")), numbers + 1
            lead = lead or current
        elif unit in _KO_SMALL_UNITS:
            section += (1.0 if current is None else current) * _KO_SMALL_UNITS[unit]
            current = None
        else:
            section += 0.0 if current is None else current
            total += (section or 1.0) * _KO_BIG_UNITS[unit]
            section, current = 0.0, None
    total += section + (current or 0.0)
    return total, (total / lead if numbers == 1 and current is None and lead else 1.0)


def _ko_native_value(word: str) -> tuple[float, float | None]:
    if word in _KO_NATIVE_RANGES:
        low, high = _KO_NATIVE_RANGES[word]
        return float(low), float(high)
    if word == "스무":
        return 20.0, None
    tens = next((t for t in _KO_NATIVE_TENS if word.startswith(t) and word != t), "")
    rest = word[len(tens) :]
    return float(
        _KO_NATIVE_TENS.get(tens, 0) + _KO_NATIVE_UNITS.get(rest, _KO_NATIVE_TENS.get(rest, 0))
    ), None


# Units after a lone 1 that English writes with "a"/"every"/"first": 1년 (a year), 1번, 1위 (first).
_KO_UNIT_AFTER = re.compile(r"\s?(?:년|해|개월|달|주일|주|일|시간|분|번|차례|위|등|회)")


# Metric units after a Korean figure: "15.24cm", "15센티미터", "25.4mm", "97km".
_KO_UNITS = _units(
    r"\s?",
    (
        (r"km\s?/\s?h|킬로미터\s?/\s?시", "km/h"),
        (r"(?:제곱|평방)킬로미터|km²|㎢", "km2"),
        (r"(?:제곱|평방)미터|m²|㎡", "m2"),
        (r"°\s?C|℃", "celsius"),
        (r"밀리미터|mm|㎜", "mm"),
        (r"센티미터|센티|cm|㎝", "cm"),
        (r"킬로미터|km|㎞", "km"),
        (r"미터|m", "m"),
        (r"킬로그램|kg|㎏", "kg"),
        (r"그램|g", "g"),
        (r"리터|[Ll]|ℓ", "l"),
        (r"헥타르|ha", "ha"),
    ),
    r"(?![A-Za-z])",
)
# "시속 97킬로미터" (97 km/h) and "섭씨 38도" (38 °C) name the unit before the figure, or before
# the first figure of a range ("시속 80~100km").
_KO_RANGE_START = r"(?:[\d.,]+\s?[~∼〜～–-]\s?)?"
_KO_SPEED_BEFORE = re.compile(rf"시속\s?{_KO_RANGE_START}$")
_KO_CELSIUS_BEFORE = re.compile(rf"섭씨\s?(?:영하\s?)?{_KO_RANGE_START}$")
_KO_DEGREE_AFTER = re.compile(r"\s?도")


def _ko_unit(match: re.Match[str]) -> str | None:
    if match["pct"]:
        return None
    text, start = match.string, match.start()
    unit = _KO_UNITS.at(text, match.end())
    if unit == "km" and _KO_SPEED_BEFORE.search(text, max(0, start - 16), start):
        return "km/h"
    if unit is None and _KO_CELSIUS_BEFORE.search(text, max(0, start - 16), start):
        return "celsius" if _KO_DEGREE_AFTER.match(text, match.end()) else None
    return unit


def _parse_ko(match: re.Match[str]) -> tuple[_Quantity, ...]:
    if match["clock"] is not None:
        return _clock(match)
    if match["hour"] is not None:
        return _clock(match, "hour", "colon_minutes")
    percent = bool(match["pct"])
    if match["native"] is not None:
        low, high = _ko_native_value(match["native"])
        return (_Quantity(match.start(), match.end(), low, percent=percent, spelled=True, high=high),)
    figure = match["num"].rstrip()
    value, scale = _ko_figure_value(figure)
    after = match.string[match.end("num") : match.end("num") + 1]
    if after == "월" and scale == 1.0 and 1 <= value <= 12 and value.is_integer() and not percent:
        # "7월" is July: a month, compared with the English month names
        return (_Quantity(match.start(), match.end("num") + 1, value, unit=MONTH),)
    one = value == 1 and not percent and _KO_UNIT_AFTER.match(match.string, match.end())
    # 제3의 국가, 제2차 세계대전: a small ordinal, which English writes as a word ("third")
    ordinal = value <= _SMALL_ORDINAL and match.string[max(0, match.start() - 1) : match.start()] == "제"
    spelled = bool(one) or ordinal
    return (_Quantity(match.start(), match.end(), value, scale, percent, spelled, unit=_ko_unit(match)),)


_KO_RULES = _Rules(_KO_QUANTITY, _parse_ko, (_Connector(_DASH),))

# --- Ukrainian ---------------------------------------------------------------------------

_APOSTROPHES = "'’ʼ"
_UK_ENDINGS = ("ь", "и", "ьох", "ьом", "ьма", "ьома")
_UK_WORDS: dict[str, int] = {
    "один": 1, "одна": 1, "одне": 1, "одно": 1, "одного": 1, "одної": 1, "одній": 1, "одному": 1,
    "одним": 1, "одною": 1, "одну": 1,
    "два": 2, "дві": 2, "двох": 2, "двом": 2, "двома": 2,
    "три": 3, "трьох": 3, "трьом": 3, "трьома": 3,
    "чотири": 4, "чотирьох": 4, "чотирьом": 4, "чотирма": 4,
    "шість": 6, "шести": 6, "шістьох": 6, "шістьом": 6, "шістьма": 6, "шістьома": 6,
    "сім": 7, "семи": 7, "сімох": 7, "сімом": 7, "сьома": 7, "сімома": 7,
    "вісім": 8, "восьми": 8, "вісьмох": 8, "вісьмом": 8, "вісьма": 8, "вісьмома": 8,
    "сорок": 40, "сорока": 40, "дев'яносто": 90, "дев'яноста": 90, "сто": 100, "ста": 100,
    "двісті": 200, "двохсот": 200, "триста": 300, "трьохсот": 300, "чотириста": 400,
    "чотирьохсот": 400, "п'ятсот": 500, "п'ятисот": 500, "шістсот": 600, "шестисот": 600,
    "сімсот": 700, "семисот": 700, "вісімсот": 800, "восьмисот": 800, "дев'ятсот": 900,
    "дев'ятисот": 900,
}  # fmt: skip
# Stems that take the -ь/-и/-ьох/-ьом/-ьма/-ьома endings: "п'ять", "п'яти", "п'ятьма".
_UK_STEMS = {
    "п'ят": 5, "дев'ят": 9, "десят": 10, "одинадцят": 11, "дванадцят": 12, "тринадцят": 13,
    "чотирнадцят": 14, "п'ятнадцят": 15, "шістнадцят": 16, "сімнадцят": 17, "вісімнадцят": 18,
    "дев'ятнадцят": 19, "двадцят": 20, "тридцят": 30, "п'ятдесят": 50, "шістдесят": 60,
    "сімдесят": 70, "вісімдесят": 80,
}  # fmt: skip
_UK_WORDS.update({stem + end: value for stem, value in _UK_STEMS.items() for end in _UK_ENDINGS})
_UK_WORDS.update({"п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80})


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: list[str]) -> str:
    """Return a prefix-factored alternation of ``words``: ``re`` tries a flat alternation of
    hundreds of word forms branch by branch at every position, a trie in one pass."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: _Trie) -> str:
    branches = [
        (f"[{_APOSTROPHES}]" if char == "'" else re.escape(char)) + _trie_node(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


def _uk_alternation(values: range) -> str:
    return _trie_pattern([w for w, v in _UK_WORDS.items() if v in values])


_UK_B = rf"(?![\w{_APOSTROPHES}])"  # end of a Cyrillic word; the apostrophe is part of a word
_UK_H, _UK_T, _UK_U = (_uk_alternation(r) for r in (range(100, 1000), range(20, 100), range(1, 20)))
# "двісті двадцять п'ять", "двадцять п'ять", "двох".
_UK_W = (
    rf"(?:(?:{_UK_H}){_UK_B}(?:\s+(?:{_UK_T}){_UK_B})?(?:\s+(?:{_UK_U}){_UK_B})?"
    rf"|(?:{_UK_T}){_UK_B}(?:\s+(?:{_UK_U}){_UK_B})?|(?:{_UK_U}){_UK_B})"
)
# "двадцять сьомого" (27th) is an ordinal; the cardinal "двадцять" in it is no number.
_UK_NOT_ORDINAL = (
    r"(?!\s+(?:перш|друг|трет|четверт|п['’ʼ]ят|шост|сьом|восьм|дев['’ʼ]ят|десят)"
    rf"(?:ий|ій|а|я|е|є|ого|ього|ому|ьому|ої|ьої|им|ім|их|іх|ими|іми|у|ю){_UK_B})"
)
_UK_SCALES = {
    "тис": 1e3,
    "млн": 1e6,
    "мільйон": 1e6,
    "млрд": 1e9,
    "мільярд": 1e9,
    "трлн": 1e12,
    "трильйон": 1e12,
}
_UK_SCALE = r"(?:тис(?:яч\w*|\.|(?!\w))|млн\.?|мільйон\w*|млрд\.?|мільярд\w*|трлн\.?|трильйон\w*)"
_UK_SPACES = " \u00a0\u202f\u2009"
# "5 000" (space, no-break or narrow no-break space), "5,000" (English style), "12,5", "3000".
_UK_DIGITS = (
    rf"(?:\d{{1,3}}(?:[{_UK_SPACES}]\d{{3}})+(?!\d)|[1-9]\d{{0,2}}(?:,\d{{3}})+(?!\d)|\d+)(?:[.,]\d+)?(?!\d)"
)
_UK_QUANTITY = re.compile(
    rf"""(?=[\dвдмопстч])  # cheap first-character filter: a digit or a number word
    (?:
        {_NOT_AFTER}(?P<clock>[01]?\d|2[0-3])[.:](?P<minutes>[0-5]\d)(?![\d.,]?\d)
      | (?<![\w{_APOSTROPHES}])(?P<times>двічі|тричі|десятиліт(?:тя|тю|тям|ті)){_UK_B}
      | {_NOT_AFTER}(?P<num>{_UK_DIGITS})
      | (?<![\w{_APOSTROPHES}])(?P<words>{_UK_W}){_UK_NOT_ORDINAL}
      | (?<![\w{_APOSTROPHES}])(?P<lone>тисяч[ауе]ю?|мільйона?|мільярда?){_UK_B}
    )
    (?P<scale>\s?{_UK_SCALE})?
    (?P<pct>\s?%|\s+відсот\w*|\s+процент\w*)?""",
    re.IGNORECASE | re.VERBOSE,
)
# Reciprocal "one another" is no count: "один одного", "одне одному", "одна одну".
_UK_RECIPROCAL_AFTER = re.compile(r"\s+(?:з\s+|до\s+|на\s+|про\s+)?одн", re.IGNORECASE)
_UK_RECIPROCAL_BEFORE = re.compile(r"(?<!\w)од(?:ин|на|не|ні)\s+(?:з\s+|до\s+|на\s+|про\s+)?$", re.IGNORECASE)


def _uk_number(digits: str) -> float:
    plain = digits.translate({ord(c): None for c in _UK_SPACES})
    if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", plain):
        return float(plain.replace(",", ""))
    return float(plain.replace(",", "."))


def _uk_scale(word: str | None) -> float:
    if not word:
        return 1.0
    stem = word.strip().lower().rstrip(".")
    return next(v for k, v in _UK_SCALES.items() if stem.startswith(k))


def _uk_reciprocal(match: re.Match[str]) -> bool:
    text, start = match.string, match.start()
    before = _UK_RECIPROCAL_BEFORE.search(text, max(0, start - 12), start)
    return bool(before or _UK_RECIPROCAL_AFTER.match(text, match.end()))


# Units after a lone 1 that English writes with "a"/"every": 1 рік, 1 раз, 1 місяць.
_UK_UNIT_AFTER = re.compile(r"\s(?:р(?:ік|оку|оці)|раз|місяц\w*|тиж\w*|день|дня|годин\w*|хвилин\w*)(?!\w)")


_UK_TIMES = {"двічі": 2.0, "тричі": 3.0}

# Metric units after a Ukrainian figure: "15,24 см", "25,4 міліметра", "97 км/год", "38 °C".
_UK_UNITS = _units(
    r"\s?",
    (
        (r"км\s?/\s?год|кілометр\w*\s+на\s+годину", "km/h"),
        (r"кв\.\s?км|км²|квадратн\w*\s+кілометр\w*", "km2"),
        (r"кв\.\s?м|м²|квадратн\w*\s+метр\w*", "m2"),
        (r"°\s?[CС]|℃|градус\w*(?:\s+Цельсія)?(?!\s+(?:за\s+)?Фаренгейт)", "celsius"),
        (r"мм|міліметр\w*", "mm"),
        (r"см|сантиметр\w*", "cm"),
        (r"км|кілометр\w*", "km"),
        (r"м|метр\w*", "m"),
        (r"кг|кілограм\w*", "kg"),
        (r"г|грам\w*", "g"),
        (r"л|літр\w*", "l"),
        (r"га|гектар\w*", "ha"),
    ),
    _UK_B,
)


def _parse_uk(match: re.Match[str]) -> tuple[_Quantity, ...]:
    scale = _uk_scale(match["scale"])
    percent = bool(match["pct"])
    if match["clock"] is not None:
        return _clock(match)
    if match["times"] is not None:
        value = _UK_TIMES.get(match["times"].lower(), 10.0)  # десятиліття: a decade
        return (_Quantity(match.start(), match.end(), value, spelled=True),)
    if match["num"] is not None:
        value = _uk_number(match["num"]) * scale
        one = value == 1 and not percent and _UK_UNIT_AFTER.match(match.string, match.end())
        unit = None if percent else _UK_UNITS.at(match.string, match.end())
        return (_Quantity(match.start(), match.end(), value, scale, percent, bool(one), unit=unit),)
    if match["lone"] is not None:
        value = _uk_scale(match["lone"])
        return (_Quantity(match.start(), match.end(), value, spelled=True, percent=percent),)
    words = match["words"].lower()
    for mark in _APOSTROPHES[1:]:
        words = words.replace(mark, "'")
    value = float(sum(_UK_WORDS[w] for w in words.split()))
    if value == 1 and not match["scale"] and _uk_reciprocal(match):
        return ()
    unit = None if percent else _UK_UNITS.at(match.string, match.end())
    return (_Quantity(match.start(), match.end(), value * scale, scale, percent, spelled=True, unit=unit),)


_UK_RULES = _Rules(
    _UK_QUANTITY,
    _parse_uk,
    (
        _Connector(_DASH),
        _Connector(re.compile(r"\s+до\s+", re.I), re.compile(r"(?<!\w)(?:від|з|із|зі)\s+$", re.I)),
        _Connector(re.compile(r"\s+(?:і|й|та)\s+", re.I), re.compile(r"(?<!\w)між\s+$", re.I)),
    ),
)

_RULES: dict[str, _Rules] = {"en": _EN_RULES, "ko": _KO_RULES, "uk": _UK_RULES}


# --- scanning and ranges ---------------------------------------------------------------


def find_numbers(text: str, lang: str, span: Span | None = None) -> tuple[NumberMention, ...]:
    """Return every number in ``text`` (or in ``span`` of it), spans into the whole text.

    Args:
        text: The whole text.
        lang: ``"en"``, ``"ko"`` or ``"uk"``.
        span: Only look inside this part of ``text``.

    Returns:
        The mentions in text order; a range ("63 to 65") is one mention with two values.

    Raises:
        ValueError: If ``lang`` is not supported.
    """
    rules = _RULES.get(lang)
    if rules is None:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(_RULES)}")
    start, end = (0, len(text)) if span is None else (span.start, min(span.end, len(text)))
    quantities = [q for m in rules.quantity.finditer(text, start, end) for q in rules.parse(m)]
    _share_units(text, quantities)
    mentions = _join_ranges(text, quantities, rules.connectors)
    months = _MONTH_FINDERS.get(lang)
    if months is not None:
        mentions = sorted([*mentions, *months(text, start, end)], key=lambda m: m.span.start)
    return tuple(mentions)


# --- months --------------------------------------------------------------------------------

# The words before an English month name in a date ("in July", "since May", "early June").
_EN_MONTH_BEFORE = frozenset(
    "in on since until till by of from to through during before after between and or last next this "
    "early late mid".split()
)
# Month names that are also names or words ("April Ryan", "May I", "March on"): months only in a
# date; the others ("July followed") anywhere.
_EN_MONTH_WORDS = frozenset("March April May June August".split())
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")
_FIGURE_AFTER = re.compile(r"\s?\d")
_FIGURE_BEFORE = re.compile(r"\d\s?$")


def _figure_next_to(text: str, match: re.Match[str]) -> bool:
    """Return True when a figure stands right before or after a month name: a date."""
    return bool(
        _FIGURE_AFTER.match(text, match.end())
        or _FIGURE_BEFORE.search(text, max(0, match.start() - 3), match.start())
    )


@functools.cache
def _month_names() -> tuple[dict[str, int], dict[str, int], re.Pattern[str], re.Pattern[str]]:
    """English month names (wide, and the abbreviations with a figure next to them), Ukrainian
    nominatives by number, and a pattern for each (from CLDR through Babel)."""
    from babel.dates import get_month_names

    wide = {n: k for k, n in get_month_names("wide", locale="en").items()}
    short = {n: k for k, n in get_month_names("abbreviated", locale="en").items()} | {"Sept": 9}
    uk = {n: k for k, n in get_month_names("wide", context="stand-alone", locale="uk").items()}
    genitive = get_month_names("wide", locale="uk")
    stems = [os.path.commonprefix([n, genitive[k]]) for n, k in uk.items()]
    en_pattern = re.compile(rf"\b(?:({'|'.join(wide)})|({'|'.join(short)})\.?)(?![A-Za-z])")
    uk_pattern = re.compile(rf"(?<![\w'’ʼ])(?:{'|'.join(stems)})[а-яґєії]*(?![\w'’ʼ])", re.IGNORECASE)
    return {**wide, **short}, uk, en_pattern, uk_pattern


def _en_months(text: str, start: int, end: int) -> list[NumberMention]:
    names, _, pattern, _ = _month_names()
    found = []
    for match in pattern.finditer(text, start, end):
        before = _PREVIOUS_WORD.search(text, max(0, match.start() - 12), match.start())
        wide = match.group(1)
        in_date = _figure_next_to(text, match) or (
            wide is not None
            and (
                wide not in _EN_MONTH_WORDS
                or (before is not None and before.group(1).lower() in _EN_MONTH_BEFORE)
            )
        )
        if in_date:
            word = match.group(1) or match.group(2)
            found.append(NumberMention(Span(match.start(), match.end()), (float(names[word]),), unit=MONTH))
    return found


def _uk_months(text: str, start: int, end: int) -> list[NumberMention]:
    from aligner.lang.morph import uk_lemmas

    _, names, _, pattern = _month_names()
    found = []
    for match in pattern.finditer(text, start, end):
        month = next((names[lemma] for lemma in uk_lemmas(match.group().lower()) if lemma in names), None)
        if month is None:
            continue
        if month == 2 and not _figure_next_to(text, match):
            continue  # лютий is also "fierce": February only next to a figure (24 лютого)
        found.append(NumberMention(Span(match.start(), match.end()), (float(month),), unit=MONTH))
    return found


_MONTH_FINDERS: dict[str, Callable[[str, int, int], list[NumberMention]]] = {
    "en": _en_months,
    "uk": _uk_months,
}


def _share_units(text: str, quantities: list[_Quantity]) -> None:
    """Give a figure without a unit the unit of the figure after it in a list or range:
    "3, 6 or 10 inches", "від 7,62 до 15,24 см"."""
    for i in range(len(quantities) - 2, -1, -1):
        first, second = quantities[i], quantities[i + 1]
        if (
            first.unit is None
            and second.unit not in (None, AGE_DECADE)
            and not first.percent
            and _UNIT_LIST_GAP.fullmatch(text, first.end, second.start)
        ):
            quantities[i] = dataclasses.replace(first, unit=second.unit)


def _join_ranges(
    text: str, quantities: list[_Quantity], connectors: tuple[_Connector, ...]
) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    i = 0
    while i < len(quantities):
        first = quantities[i]
        second = quantities[i + 1] if i + 1 < len(quantities) else None
        if (
            second is not None
            and first.high is None
            and second.high is None
            and _connected(text, first, second, connectors)
        ):
            mentions.append(_range_mention(first, second))
            i += 2
        else:
            mentions.append(_single_mention(first))
            i += 1
    return mentions


def _single_mention(q: _Quantity) -> NumberMention:
    values = (q.value,) if q.high is None else (q.value, q.high)
    return NumberMention(Span(q.start, q.end), values, q.percent, q.high is not None, q.spelled, q.unit)


def _connected(text: str, first: _Quantity, second: _Quantity, connectors: tuple[_Connector, ...]) -> bool:
    gap = text[first.end : second.start]
    for connector in connectors:
        if not connector.gap.fullmatch(gap):
            continue
        if connector.before is None or connector.before.search(text, max(0, first.start - 12), first.start):
            return True
    return False


def _range_mention(first: _Quantity, second: _Quantity) -> NumberMention:
    low = first.value
    lead = second.value / second.scale
    if first.scale == 1.0 and second.scale != 1.0 and low <= lead:
        low *= second.scale  # "5 to 6 million", "5~6만": the scale word is written once
    high = second.value
    if low >= 1000 and high < 100 and low.is_integer() and high.is_integer():
        high += low // 100 * 100  # "2019-20" is 2019 to 2020
    return NumberMention(
        Span(first.start, second.end),
        (low, high),
        first.percent or second.percent,
        True,
        first.spelled and second.spelled,
        second.unit or first.unit,
    )


# --- comparison --------------------------------------------------------------------------


def _key(value: float) -> float:
    return float(f"{value:.{_SIGNIFICANT_DIGITS}g}")


def _slack(mentions: Sequence[NumberMention], slack: float) -> Counter[float]:
    return Counter(_key(v) for m in mentions if m.spelled for v in m.values if v <= slack)


@dataclass(frozen=True, slots=True)
class _Item:
    """One value of a mention, with the mention's unit."""

    key: float
    unit: str | None
    optional: bool = False  # a decade of age in words: left unmatched, no finding


def _items(mentions: Sequence[NumberMention]) -> list[_Item]:
    return [_Item(_key(v), m.unit, m.spelled and m.unit == AGE_DECADE) for m in mentions for v in m.values]


def _same_unit(s: _Item, t: _Item) -> bool:
    return s.key == t.key and s.unit == t.unit


def _same_value(s: _Item, t: _Item) -> bool:
    """The same figure, unless both sides name different units ("5 miles" is not "5 км"), and no
    month for a plain figure."""
    return s.key == t.key and (s.unit is None or t.unit is None) and MONTH not in (s.unit, t.unit)


def _converted(s: _Item, t: _Item) -> bool:
    """``t`` is ``s`` converted to a metric unit, rounded to the precision ``t`` shows."""
    for metric, factor, offset in _CONVERSIONS.get(s.unit or "", ()):
        if metric != t.unit:
            continue
        exact = (s.key + offset) * factor
        # Signs are not read: "-4 °F" is found as 4, and is -20 °C.
        candidates = (exact, (-s.key + offset) * factor) if offset else (exact,)
        if any(_rounds_to(abs(c), t.key) for c in candidates):
            return True
    return False


def _rounds_to(exact: float, shown: float) -> bool:
    """Return True when ``shown`` is ``exact`` rounded to the digits it shows: 15.24 -> 15.2 or
    15; a whole number ending in zeros may be rounded to them ("160" for 160.9) when that
    drops at most ``_ROUNDING_SHARE`` of the value."""
    written = f"{shown:.{_SIGNIFICANT_DIGITS}g}"
    error = abs(exact - shown)
    if "e" in written:
        return math.isclose(exact, shown, rel_tol=_ROUNDING_SHARE)
    if "." in written:
        return error <= 10.0 ** -len(written.split(".")[1]) / 2 + 1e-9
    if error <= 0.5 + 1e-9:
        return True
    zeros = len(written) - len(written.rstrip("0")) if shown else 0
    return zeros > 0 and error <= 10.0**zeros / 2 and error <= _ROUNDING_SHARE * exact


def _pair(source: list[_Item], target: list[_Item], fits: Callable[[_Item, _Item], bool]) -> None:
    """Remove from both lists each source item and the first target item it ``fits``."""
    i = 0
    while i < len(source):
        j = next((j for j, t in enumerate(target) if fits(source[i], t)), None)
        if j is None:
            i += 1
        else:
            del source[i], target[j]


def compare_numbers(
    source: Sequence[NumberMention],
    target: Sequence[NumberMention],
    *,
    spelled_slack: float = SPELLED_SLACK,
) -> NumberDiff:
    """Compare the values of two sets of mentions as multisets.

    A range counts as its two endpoints, so "63 to 65" equals "63–65" and "63~65". A value with
    an imperial or US unit ("6 inches") also matches its metric conversion ("15,24 см", "15 см"),
    rounded to the precision the target shows; the same figure in a unit it converts to ("5
    miles" -> "5 км") is a difference. A decade of age in words ("teenagers") matches a figure
    (10대) and is not reported when none does (see ``AGE_DECADE``).

    Args:
        source: Mentions in the source quote.
        target: Mentions in its translation.
        spelled_slack: Unmatched spelled-out values up to this are not reported (see
            ``SPELLED_SLACK``); pass 0 to report every value.

    Returns:
        The sorted values missing from the target and the sorted values it adds.
    """
    src_items, tgt_items = _items(source), _items(target)
    for fits in (_same_unit, _same_value, _converted):
        _pair(src_items, tgt_items, fits)
    if not (any(i.unit == MONTH for i in src_items) and any(i.unit == MONTH for i in tgt_items)):
        # a month left out or added ("last month" -> 6월) is no finding, only one changed
        src_items = [i for i in src_items if i.unit != MONTH]
        tgt_items = [i for i in tgt_items if i.unit != MONTH]
    src = Counter(i.key for i in src_items if not i.optional)
    tgt = Counter(i.key for i in tgt_items if not i.optional)
    missing = src - _slack(source, spelled_slack)
    extra = tgt - _slack(target, spelled_slack)
    return NumberDiff(tuple(sorted(missing.elements())), tuple(sorted(extra.elements())))
