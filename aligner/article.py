"""Parse an English news article into paragraphs, sentences, quotations and attributions.

Pure: text in, frozen records out. Every span is ``[start, end)`` into the whole text.
The stages live in small modules: ``sentences`` (paragraphs, sentences), ``article_marks``
(quotation marks and apostrophes), ``article_names`` (names and speaker phrases),
``article_speech`` (speech verbs, attributions, quotation kinds) and ``article_people``
(one canonical person per name, pronouns). This module holds the records, the verb lexicon
and ``parse_article``, which runs the stages in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from aligner.numbers import NumberMention, find_numbers
from aligner.sentences import split_paragraphs, split_sentences
from aligner.spans import Span, hull

if TYPE_CHECKING:
    from aligner.article_people import People
    from aligner.article_speech import FramedAttribution, FramedQuote

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
    "parse_article",
    "split_sentences",
]


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


# The English speech-verb lexicon: lemma -> (class, every inflected form). Sources: the
# attribution verbs of ntrex-dev and of newsroom style guides (CONVENTIONS.md §2).
SPEECH_VERBS: dict[str, tuple[VerbClass, tuple[str, ...]]] = {
    "say": (VerbClass.NEUTRAL, ("say", "says", "said", "saying")),
    "tell": (VerbClass.NEUTRAL, ("tell", "tells", "told", "telling")),
    "add": (VerbClass.NEUTRAL, ("add", "adds", "added", "adding")),
    "note": (VerbClass.NEUTRAL, ("note", "notes", "noted", "noting")),
    "comment": (VerbClass.NEUTRAL, ("comment", "comments", "commented", "commenting")),
    "mention": (VerbClass.NEUTRAL, ("mention", "mentions", "mentioned", "mentioning")),
    "explain": (VerbClass.NEUTRAL, ("explain", "explains", "explained", "explaining")),
    "state": (VerbClass.NEUTRAL, ("states", "stated", "stating")),
    "write": (VerbClass.NEUTRAL, ("write", "writes", "wrote", "written", "writing")),
    "continue": (VerbClass.NEUTRAL, ("continue", "continues", "continued", "continuing")),
    "remark": (VerbClass.NEUTRAL, ("remark", "remarks", "remarked", "remarking")),
    "observe": (VerbClass.NEUTRAL, ("observe", "observes", "observed", "observing")),
    "recall": (VerbClass.NEUTRAL, ("recall", "recalls", "recalled", "recalling")),
    "tweet": (VerbClass.NEUTRAL, ("tweet", "tweets", "tweeted", "tweeting")),
    "post": (VerbClass.NEUTRAL, ("posted",)),
    "suggest": (VerbClass.NEUTRAL, ("suggest", "suggests", "suggested", "suggesting")),
    "point out": (VerbClass.NEUTRAL, ("pointed",)),
    "reiterate": (VerbClass.NEUTRAL, ("reiterate", "reiterates", "reiterated", "reiterating")),
    "ask": (VerbClass.QUESTION, ("ask", "asks", "asked", "asking")),
    "wonder": (VerbClass.QUESTION, ("wonder", "wonders", "wondered", "wondering")),
    "inquire": (VerbClass.QUESTION, ("inquire", "inquires", "inquired", "enquired")),
    "claim": (VerbClass.ASSERTIVE, ("claim", "claims", "claimed", "claiming")),
    "insist": (VerbClass.ASSERTIVE, ("insist", "insists", "insisted", "insisting")),
    "argue": (VerbClass.ASSERTIVE, ("argue", "argues", "argued", "arguing")),
    "maintain": (VerbClass.ASSERTIVE, ("maintain", "maintains", "maintained")),
    "assert": (VerbClass.ASSERTIVE, ("assert", "asserts", "asserted", "asserting")),
    "contend": (VerbClass.ASSERTIVE, ("contend", "contends", "contended")),
    "stress": (VerbClass.ASSERTIVE, ("stressed", "stressing")),
    "emphasise": (VerbClass.ASSERTIVE, ("emphasise", "emphasised", "emphasize", "emphasized", "emphasizes")),
    "declare": (VerbClass.ASSERTIVE, ("declare", "declares", "declared", "declaring")),
    "allege": (VerbClass.ASSERTIVE, ("allege", "alleges", "alleged")),
    "admit": (VerbClass.ADMISSION, ("admit", "admits", "admitted", "admitting")),
    "confess": (VerbClass.ADMISSION, ("confess", "confesses", "confessed", "confessing")),
    "concede": (VerbClass.ADMISSION, ("concede", "concedes", "conceded", "conceding")),
    "acknowledge": (VerbClass.ADMISSION, ("acknowledge", "acknowledges", "acknowledged", "acknowledging")),
    "deny": (VerbClass.DENIAL, ("deny", "denies", "denied", "denying")),
    "dispute": (VerbClass.DENIAL, ("disputes", "disputed")),
    "report": (VerbClass.REPORT, ("report", "reports", "reported", "reporting")),
    "reveal": (VerbClass.REPORT, ("reveal", "reveals", "revealed", "revealing")),
    "announce": (VerbClass.REPORT, ("announce", "announces", "announced", "announcing")),
    "disclose": (VerbClass.REPORT, ("disclose", "discloses", "disclosed")),
    "confirm": (VerbClass.REPORT, ("confirm", "confirms", "confirmed", "confirming")),
    "cite": (VerbClass.REPORT, ("cite", "cites", "cited", "citing")),
    "warn": (VerbClass.WARNING, ("warn", "warns", "warned", "warning")),
    "threaten": (VerbClass.WARNING, ("threaten", "threatens", "threatened")),
    "caution": (VerbClass.WARNING, ("cautioned", "cautions")),
    "promise": (VerbClass.PROMISE, ("promise", "promises", "promised", "promising")),
    "vow": (VerbClass.PROMISE, ("vow", "vows", "vowed", "vowing")),
    "pledge": (VerbClass.PROMISE, ("pledge", "pledges", "pledged", "pledging")),
    "swear": (VerbClass.PROMISE, ("swear", "swears", "swore", "sworn")),
    "reply": (VerbClass.ANSWER, ("reply", "replies", "replied", "replying")),
    "respond": (VerbClass.ANSWER, ("respond", "responds", "responded", "responding")),
    "answer": (VerbClass.ANSWER, ("answer", "answers", "answered")),
    "retort": (VerbClass.ANSWER, ("retort", "retorts", "retorted")),
    "shout": (VerbClass.EMOTIVE, ("shout", "shouts", "shouted", "shouting")),
    "scream": (VerbClass.EMOTIVE, ("scream", "screams", "screamed", "screaming")),
    "whisper": (VerbClass.EMOTIVE, ("whisper", "whispers", "whispered")),
    "cry": (VerbClass.EMOTIVE, ("cried",)),
    "yell": (VerbClass.EMOTIVE, ("yell", "yells", "yelled", "yelling")),
    "exclaim": (VerbClass.EMOTIVE, ("exclaim", "exclaims", "exclaimed")),
    "chant": (VerbClass.EMOTIVE, ("chanted", "chanting")),
    "sigh": (VerbClass.EMOTIVE, ("sighed",)),
    "joke": (VerbClass.EMOTIVE, ("joked", "jokes")),
    "complain": (VerbClass.EMOTIVE, ("complain", "complains", "complained", "complaining")),
    "boast": (VerbClass.EMOTIVE, ("boast", "boasts", "boasted", "boasting")),
    "plead": (VerbClass.EMOTIVE, ("plead", "pleads", "pleaded", "pled")),
    "quip": (VerbClass.EMOTIVE, ("quipped",)),
}
# Every inflected form -> (lemma, class): 'said' -> ('say', NEUTRAL).
VERB_FORMS: dict[str, tuple[str, VerbClass]] = {
    form: (lemma, verb_class) for lemma, (verb_class, forms) in SPEECH_VERBS.items() for form in forms
}


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


def parse_article(text: str) -> Article:
    """Parse an English article (already decoded) into an ``Article``.

    Args:
        text: The whole article, one paragraph per line; any line endings.

    Returns:
        The paragraphs, quotations, attributions and people; suspicious input (such as an
        unbalanced quotation mark) yields ``warnings``, never an exception.
    """
    # The stages import the records above, so they are imported here, not at the top.
    from aligner.article_kinds import frame_quotes
    from aligner.article_marks import find_quotes
    from aligner.article_names import find_intros
    from aligner.article_people import People
    from aligner.article_reported import find_attributions
    from aligner.article_speech import Context

    paragraphs = tuple(
        Paragraph(span, split_sentences(text, span), line) for span, line in split_paragraphs(text)
    )
    raw, warnings = find_quotes(text, [p.span for p in paragraphs], [p.line for p in paragraphs])
    ctx = Context(text, paragraphs, find_intros(text))
    framed = frame_quotes(ctx, raw)
    reported = find_attributions(ctx)
    speakers = [q.frame.speaker for q in framed if q.frame is not None and q.frame.speaker is not None]
    people = People.build(ctx, [*speakers, *(a.source for a in reported)])
    quotes = tuple(_quote(text, number, q, people) for number, q in enumerate(framed, 1))
    attributions = _attributions(text, paragraphs, [(a, people.speaker(a.source)) for a in reported])
    return Article(
        text, paragraphs, quotes, attributions, people.persons(), tuple(ParseWarning(*w) for w in warnings)
    )


def _quote(text: str, number: int, framed: FramedQuote, people: People) -> Quote:
    frame = framed.frame
    return Quote(
        id=f"q{number}",
        span=hull(framed.parts),
        parts=framed.parts,
        kind=framed.kind,
        speaker=people.speaker(frame.speaker if frame else None, framed.inherited),
        verb=frame.verb if frame else None,
        numbers=_numbers(text, framed.parts),
        paragraph=framed.paragraph,
        nested=framed.nested,
    )


def _numbers(text: str, spans: tuple[Span, ...]) -> tuple[NumberMention, ...]:
    return tuple(n for span in spans for n in find_numbers(text, "en", span))


def _attributions(
    text: str, paragraphs: tuple[Paragraph, ...], found: list[tuple[FramedAttribution, Speaker | None]]
) -> tuple[Attribution, ...]:
    """Keep attributions to a known source; merge a source's consecutive ones in a paragraph."""
    groups: list[list[tuple[FramedAttribution, Speaker]]] = []
    for attribution, source in found:
        if source is None or source.person is None:
            continue
        last = groups[-1][-1] if groups else None
        same = last is not None and last[1].person == source.person
        if same and last is not None and last[0].paragraph == attribution.paragraph:
            groups[-1].append((attribution, source))
        else:
            groups.append([(attribution, source)])
    return tuple(_merged(text, paragraphs, number, group) for number, group in enumerate(groups, 1))


def _merged(
    text: str, paragraphs: tuple[Paragraph, ...], number: int, group: list[tuple[FramedAttribution, Speaker]]
) -> Attribution:
    first, source = group[0]
    claims = tuple(a.claim for a, _ in group)
    return Attribution(
        id=f"a{number}",
        kind=first.kind,
        source=source,
        verb=first.verb,
        sentence=hull([a.sentence for a, _ in group]),
        claim=hull(claims),
        numbers=_numbers(text, claims),
        line=paragraphs[first.paragraph].line,
        claims=claims if len(claims) > 1 else (),
        venue=first.venue,
    )
