"""Find numbers in English, Korean and Ukrainian text and normalise them to values.

(Being written; ``NumberMention`` and ``find_numbers`` are the stable contract.)
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.spans import Span


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number as written, with its normalised values.

    ``values`` holds one value for a plain number or percentage and two for a range or
    pair ("63 to 65", "between 11,000 and 12,000"); ``percent`` marks a percentage.
    """

    span: Span
    values: tuple[float, ...]
    percent: bool = False
    range: bool = False


def find_numbers(text: str, lang: str, span: Span | None = None) -> tuple[NumberMention, ...]:
    """Return every number in ``text`` (or in ``span`` of it), spans into the whole text."""
    raise NotImplementedError("numbers are being written")
