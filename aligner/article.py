"""Parse an English news article into paragraphs, sentences, quotations and attributions.

Pure: text in, frozen records out. Every span is ``[start, end)`` into the whole text.
(The parser itself is being written; the records below are the stable contract.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aligner.numbers import NumberMention
from aligner.spans import Span


class QuoteKind(StrEnum):
    """What a quoted stretch is; values match the gold files' ``kind`` strings."""

    DIRECT = "direct"  # speech attributed to someone
    PARTIAL = "partial"  # a quoted fragment inside narration: called it "a betrayal"
    TERM = "term"  # scare quotes or a title of one to three words, not speech


class VerbClass(StrEnum):
    """The force of a speech verb; translation must keep the class."""

    NEUTRAL = "neutral"  # say, tell, add, note, comment
    QUESTION = "question"  # ask, wonder
    ASSERTIVE = "assertive"  # claim, insist, argue
    ADMISSION = "admission"  # admit, confess, concede
    DENIAL = "denial"  # deny, dispute
    REPORT = "report"  # report, reveal, announce
    WARNING = "warning"  # warn, threaten
    PROMISE = "promise"  # promise, vow, pledge
    ANSWER = "answer"  # reply, respond, answer
    EMOTIVE = "emotive"  # shout, scream, whisper, cry


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


def parse_article(text: str) -> Article:
    """Parse an English article (already decoded) into an ``Article``."""
    raise NotImplementedError("the article parser is being written")
