"""``parse_article``: run the stages of the article model in order.

``lang.sentences`` (paragraphs, sentences), ``article.marks`` (quotation marks and apostrophes),
``article.names`` (names and speaker phrases), ``article.speech`` and ``article.kinds`` (speech verbs,
frames, quotation kinds), ``article.reported`` (indirect attributions) and ``article.people`` (one
canonical person per name, pronouns). Pure: text in, frozen records out.
"""

from __future__ import annotations

from aligner.article.kinds import frame_quotes
from aligner.article.marks import find_quotes
from aligner.article.names import find_intros
from aligner.article.people import People
from aligner.article.records import Article, Attribution, Paragraph, ParseWarning, Quote, Speaker
from aligner.article.reported import find_attributions
from aligner.article.speech import ArticleContext, FramedAttribution, FramedQuote
from aligner.lang.numbers import NumberMention, find_numbers
from aligner.lang.sentences import split_paragraphs, split_sentences
from aligner.spans import Span, hull

__all__ = ["parse_article"]


def parse_article(text: str) -> Article:
    """Parse an English article (already decoded) into an ``Article``.

    Args:
        text: The whole article, one paragraph per line; any line endings.

    Returns:
        The paragraphs, quotations, attributions and people; suspicious input (such as an
        unbalanced quotation mark) yields ``warnings``, never an exception.
    """
    paragraphs = tuple(
        Paragraph(span, split_sentences(text, span), line) for span, line in split_paragraphs(text)
    )
    raw, warnings = find_quotes(text, [p.span for p in paragraphs], [p.line for p in paragraphs])
    ctx = ArticleContext(text, paragraphs, find_intros(text))
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
