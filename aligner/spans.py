"""Half-open ``[start, end)`` code-point spans into a text, and pure helpers on them.

Every offset the package produces or reads is a Python ``str`` index into the whole
(decoded, BOM-stripped) text, the convention of ``seeds/nk-soldier.gold.json``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open ``[start, end)`` range of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """Return the slice of ``text`` this span covers."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        """Return True if ``other`` lies wholly inside this span."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """Return True if the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end

    def shift(self, offset: int) -> Span:
        """Return this span moved by ``offset`` code points."""
        return Span(self.start + offset, self.end + offset)

    def to_list(self) -> list[int]:
        """Return ``[start, end]``, the shape the gold files and JSON reports use."""
        return [self.start, self.end]


def hull(spans: tuple[Span, ...] | list[Span]) -> Span:
    """Return the smallest span covering all ``spans`` (which must not be empty)."""
    if not spans:
        raise ValueError("hull of no spans")
    return Span(min(s.start for s in spans), max(s.end for s in spans))


def strip_span(text: str, span: Span) -> Span:
    """Return ``span`` narrowed so that it neither starts nor ends with whitespace."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
