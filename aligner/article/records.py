"""The records of a parsed English article: paragraphs, quotations, speakers, attributions, people.

Frozen dataclasses with ``[start, end)`` spans into the whole text. ``aligner.article.parse`` builds
them; the verb lexicon (``VerbClass``, ``SPEECH_VERBS``) lives in ``aligner.lang.verbs`` and is
re-exported here for the records that carry a verb class.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aligner.lang.numbers import NumberMention
from aligner.lang.verbs import SPEECH_VERBS, VERB_FORMS, VerbClass
from aligner.spans import Span

__all__ = [
    "SPEECH_VERBS",
    "Article",
    "Attribution",
    "Paragraph",
    "ParseWarning",
    "Person",
    "Quote",
    "QuoteKind",
    "Speaker",
    "SpeechVerb",
    "VerbClass",
    "VERB_FORMS",
]


class QuoteKind(StrEnum):
    """What a quoted stretch is; values match the gold files' ``kind`` strings."""

    DIRECT = "direct"  # speech attributed to someone
    PARTIAL = "partial"  # a quoted fragment inside narration: called it "a betrayal"
    TERM = "term"  # scare quotes or a title of one to three words, not speech


@dataclass(frozen=True, slots=True)
class SpeechVerb:
    """A speech verb as it stands in the text, with its lemma and class."""

    span: Span
    lemma: str
    verb_class: VerbClass


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quotation or attribution is credited to.

    ``span`` is the mention in the attribution ("Ri", "he", "Mr. Adams"); ``person`` is the
    canonical person it refers to, or None when a pronoun cannot be resolved.
    """

    span: Span
    person: str | None
    pronoun: bool = False
    inherited: bool = False  # no attribution of its own: the previous quotation's speaker


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted stretch. ``span`` is the text inside the marks (a hull for split quotes);
    ``parts`` are the exact inside-the-marks pieces, one per part of a split or
    multi-paragraph quotation."""

    id: str
    span: Span
    parts: tuple[Span, ...]
    kind: QuoteKind
    speaker: Speaker | None
    verb: SpeechVerb | None
    numbers: tuple[NumberMention, ...]
    paragraph: int  # index into Article.paragraphs of the first part
    nested: tuple[Span, ...] = ()  # quotations inside this one ('he said "yes"'), inner spans


@dataclass(frozen=True, slots=True)
class Attribution:
    """Reported speech without quotation marks: "X said that…", "according to X"."""

    id: str
    kind: str  # "indirect" | "according_to"
    source: Speaker
    verb: SpeechVerb | None
    sentence: Span
    claim: Span  # the reported content
    numbers: tuple[NumberMention, ...]
    line: int  # 1-based line of the sentence
    claims: tuple[Span, ...] = ()  # each reported clause when several were merged; claim is their hull
    venue: Span | None = None  # where it was said: 'in an interview with … Chosun Ilbo'


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One line of text (articles here put one paragraph per line) and its sentences."""

    span: Span
    sentences: tuple[Span, ...]
    line: int  # 1-based


@dataclass(frozen=True, slots=True)
class Person:
    """A canonical person (or organisation) and every mention of it."""

    name: str
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Suspicious but parseable input, such as an unbalanced quotation mark."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article: the text and everything found in it."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    quotes: tuple[Quote, ...]
    attributions: tuple[Attribution, ...]
    people: tuple[Person, ...]
    warnings: tuple[ParseWarning, ...]

    def of(self, span: Span) -> str:
        """Return the text a span covers."""
        return span.of(self.text)
