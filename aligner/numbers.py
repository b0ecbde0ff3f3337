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
* vague plurals ("hundreds", "수백", "сотні") carry no value.
"""

from __future__ import annotations

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
    ``spelled`` marks a number written in words ("five", "두 명", "п'ять").
    """

    span: Span
    values: tuple[float, ...]
    percent: bool = False
    range: bool = False
    spelled: bool = False


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


@dataclass(frozen=True, slots=True)
class _Connector:
    """Joins two quantities into a range when the text between them matches ``gap``
    and, if ``before`` is set, the text just before the first one matches ``before``."""

    gap: re.Pattern[str]
    before: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    quantity: re.Pattern[str]
    parse: Callable[[re.Match[str]], _Quantity | None]
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
# 0-99 in words: "seven", "seventeen", "twenty-five", "twenty five".
_EN_T = rf"(?:(?:{_EN_TENS_ALT})(?:[-\s]{_EN_UNIT}\b)?|(?:{_EN_ONE_ALT}))"
# "five hundred and twenty", "a hundred", "forty-two", "a" (only before a scale word).
_EN_W = (
    rf"(?:(?:a|{_EN_UNIT})\s+hundred(?:\s+(?:and\s+)?{_EN_T}\b)?"
    rf"|{_EN_T}\b|a(?=\s+(?:thousand|million|billion|trillion|dozen)\b))"
)
_EN_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)"
# One figure: "5,000", "3.5", "$1.2bn", "5 million", "five hundred thousand", "80 per cent".
_EN_QUANTITY = re.compile(
    rf"""(?:
        (?P<cur>[$£€¥])?{_NOT_AFTER}(?P<num>{_EN_DIGITS})(?P<abbr>(?:k|mn|m|bn|tn)\b)?
      | (?<![\w'’-])(?P<words>{_EN_W})
    )
    (?P<scale>(?:\s+(?:hundred|thousand|million|billion|trillion|dozen)\b)*)
    (?P<pct>\s?%|\s+per\s?cent\b|\s+percentage\s+points?\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
# "one" is a pronoun, not a count, after these words or before "another": "no one", "this one".
_EN_ONE_PRONOUN_BEFORE = re.compile(r"\b(?:no|any|every|each|some|the|this|that|which|last)\s+$", re.I)
_EN_ONE_PRONOUN_AFTER = re.compile(r"\s+(?:another|by\s+one)\b", re.I)


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


def _parse_en(match: re.Match[str]) -> _Quantity | None:
    if match["num"] is not None:
        number = float(match["num"].replace(",", ""))
        spelled = False
        scale = _scale_product(match["scale"])
        if match["abbr"] and match["cur"]:
            scale *= _EN_ABBR[match["abbr"].lower()]
    else:
        if _is_pronoun_one(match):
            return None
        number, spelled = _en_words_value(match["words"]), True
        scale = _scale_product(match["scale"])
    start = match.start("num") if match["num"] is not None else match.start()
    return _Quantity(start, match.end(), number * scale, scale, bool(match["pct"]), spelled)


_EN_RULES = _Rules(
    _EN_QUANTITY,
    _parse_en,
    (
        _Connector(_DASH),
        _Connector(re.compile(r"\s+to\s+", re.I)),
        _Connector(re.compile(r"\s+and\s+", re.I), re.compile(r"\bbetween\s+$", re.I)),
    ),
)

_RULES: dict[str, _Rules] = {"en": _EN_RULES}


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
    quantities = [q for m in rules.quantity.finditer(text, start, end) if (q := rules.parse(m)) is not None]
    return tuple(_join_ranges(text, quantities, rules.connectors))


def _join_ranges(
    text: str, quantities: list[_Quantity], connectors: tuple[_Connector, ...]
) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    i = 0
    while i < len(quantities):
        first = quantities[i]
        second = quantities[i + 1] if i + 1 < len(quantities) else None
        if second is not None and _connected(text, first, second, connectors):
            mentions.append(_range_mention(first, second))
            i += 2
        else:
            mentions.append(
                NumberMention(
                    Span(first.start, first.end), (first.value,), first.percent, False, first.spelled
                )
            )
            i += 1
    return mentions


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
    )


# --- comparison --------------------------------------------------------------------------


def _key(value: float) -> float:
    return float(f"{value:.{_SIGNIFICANT_DIGITS}g}")


def _values(mentions: Sequence[NumberMention]) -> Counter[float]:
    return Counter(_key(v) for m in mentions for v in m.values)


def _slack(mentions: Sequence[NumberMention], slack: float) -> Counter[float]:
    return Counter(_key(v) for m in mentions if m.spelled for v in m.values if v <= slack)


def compare_numbers(
    source: Sequence[NumberMention],
    target: Sequence[NumberMention],
    *,
    spelled_slack: float = SPELLED_SLACK,
) -> NumberDiff:
    """Compare the values of two sets of mentions as multisets.

    A range counts as its two endpoints, so "63 to 65" equals "63–65" and "63~65".

    Args:
        source: Mentions in the source quote.
        target: Mentions in its translation.
        spelled_slack: Unmatched spelled-out values up to this are not reported (see
            ``SPELLED_SLACK``); pass 0 to report every value.

    Returns:
        The sorted values missing from the target and the sorted values it adds.
    """
    src, tgt = _values(source), _values(target)
    missing = (src - tgt) - _slack(source, spelled_slack)
    extra = (tgt - src) - _slack(target, spelled_slack)
    return NumberDiff(tuple(sorted(missing.elements())), tuple(sorted(extra.elements())))
