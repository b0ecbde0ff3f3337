"""Quotations as a whole: attribute each one, join split ones, give each a kind, and let an
unattributed quotation continue the previous speaker's words.

'"A," he said, "B."' is one quotation with two parts. A quotation is direct when it opens a
sentence, holds sentences, or a verb or colon introduces it with a capital; partial when it
begins in lower case inside narration; a term when it is three words or fewer and nobody's
words (no speech verb in its sentence), or a label before a noun ('his mock "news anchor" voice').
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from aligner.article.marks import RawQuote
from aligner.article.records import QuoteKind
from aligner.article.speech import ArticleContext, Frame, FramedQuote, frame_quote, paragraph_of
from aligner.article.words import AUX, CLAUSE_BOUNDARIES, PREPOSITIONS

# How many paragraphs back an unattributed quotation looks for the speaker it continues.
INHERIT_PARAGRAPHS = 3
# A quotation of at most this many words, outside an attribution, is a term ("fake news").
TERM_WORDS = 3
# Words after a quotation that show it is not a label before a noun: '"furious" when'.
_NOT_NOUNS = (
    PREPOSITIONS
    | AUX
    | CLAUSE_BOUNDARIES
    | frozenset(
        "and or but than everyone anyone someone everything anything all him her them it us me you "
        "the a an this that his their its our my your".split()
    )
)
# Words of a quotation: "I'm 80% sure" -> I'm, 80, sure.
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


def frame_quotes(ctx: ArticleContext, raw: Sequence[RawQuote]) -> list[FramedQuote]:
    """Attribute, join and classify the quotations; mark the verbs they use."""
    ctx.set_quotes(raw)
    items: list[tuple[RawQuote, Frame | None, bool]] = []
    for i, quote in enumerate(raw):
        previous = raw[i - 1].close_mark if i > 0 else None
        following = raw[i + 1].open_mark if i + 1 < len(raw) else None
        low = previous + 1 if previous is not None else 0
        bounds = (low, following if following is not None else len(ctx.text))
        items.append((quote, *frame_quote(ctx, quote, bounds)))
    quotes = [_classify(ctx, quote, frame, initial) for quote, frame, initial in _join_split(ctx, items)]
    quotes = _inherit(quotes)
    for framed in quotes:
        if framed.frame is not None and framed.frame.verb is not None:
            ctx.used_verbs.add(framed.frame.verb.span.start)
    return quotes


def _join_split(
    ctx: ArticleContext, items: list[tuple[RawQuote, Frame | None, bool]]
) -> list[tuple[RawQuote, Frame | None, bool]]:
    """Join '"A," he said, "B."' into one quotation with two parts."""
    joined: list[tuple[RawQuote, Frame | None, bool]] = []
    for item in items:
        if joined and _continues(ctx, joined[-1], item[0]):
            first, frame, initial = joined[-1]
            second = item[0]
            merged = RawQuote(
                first.parts + second.parts,
                first.paragraph,
                first.open_mark,
                second.close_mark,
                first.single,
                first.nested + second.nested,
            )
            joined[-1] = (merged, frame, initial)
        else:
            joined.append(item)
    return joined


def _continues(ctx: ArticleContext, previous: tuple[RawQuote, Frame | None, bool], quote: RawQuote) -> bool:
    first, frame, _ = previous
    if first.close_mark is None or quote.open_mark is None or frame is None or frame.verb is None:
        return False
    if not first.close_mark < frame.verb.span.start < quote.open_mark:
        return False
    gap = ctx.text[first.close_mark + 1 : quote.open_mark].strip()
    return gap[-1:] in (",", ":") and not re.search(r"[.!?;\n]", gap) and len(_WORD.findall(gap)) <= 15


def _classify(ctx: ArticleContext, quote: RawQuote, frame: Frame | None, initial: bool) -> FramedQuote:
    """Give a quotation its kind: direct speech, a partial quotation, or a term.

    Direct: it begins a sentence, holds sentences, or a verb or colon introduces it with a
    capital. A quotation that begins in lower case inside narration ('called it "a
    betrayal"') is partial, or a term when it is three words or fewer and no speech verb
    in its sentence makes it anyone's words ('a "stable" condition')."""
    first = quote.parts[0]
    words = sum(len(_WORD.findall(ctx.text, p.start, p.end)) for p in quote.parts)
    upper = next((c.isupper() for c in ctx.text[first.start : first.end] if c.isalpha()), False)
    introduced = _after_punctuation(ctx, quote)
    before = frame is not None and frame.verb is not None and frame.verb.span.start < first.start
    embedded = not initial and not upper
    direct = not embedded and (
        (initial and (words > TERM_WORDS or frame is not None or _ends_sentence(ctx, quote, frame)))
        or _spans_sentences(ctx, quote)
        or (upper and before and frame is not None and frame.adjacent)
        or (upper and introduced and _ends_sentence(ctx, quote, frame))
    )
    if direct:
        kind = QuoteKind.DIRECT
    elif words <= TERM_WORDS and (frame is None or _modifies_noun(ctx, quote)):
        kind, frame = QuoteKind.TERM, None  # a term is nobody's words
    else:
        kind = QuoteKind.PARTIAL
    return FramedQuote(quote.parts, quote.paragraph, kind, frame, quote.nested, initial)


def _modifies_noun(ctx: ArticleContext, quote: RawQuote) -> bool:
    """True for a quoted label before a noun: 'in his mock "news anchor" voice'."""
    if quote.close_mark is None or ctx.text[quote.close_mark + 1 : quote.close_mark + 2] != " ":
        return False
    following = _WORD.match(ctx.text, quote.close_mark + 2)
    if following is None or not following.group().islower():
        return False
    word = following.group()
    return word not in _NOT_NOUNS and not word.endswith(("ing", "ed"))


def _spans_sentences(ctx: ArticleContext, quote: RawQuote) -> bool:
    """True for a quotation over several paragraphs, or one holding a sentence start."""
    first = quote.parts[0]
    if any(not first.start <= p.start < ctx.paragraphs[quote.paragraph].span.end for p in quote.parts):
        return True
    starts = ctx.sentence_starts[quote.paragraph]
    k = bisect.bisect_right(starts, first.start)
    return k < len(starts) and starts[k] < first.end


def _after_punctuation(ctx: ArticleContext, quote: RawQuote) -> bool:
    """True if a colon or comma introduces the quotation: 'the motto: "The sea is ours."'"""
    if quote.open_mark is None:
        return False
    return ctx.text[: quote.open_mark].rstrip()[-1:] in (":", ",")


def _ends_sentence(ctx: ArticleContext, quote: RawQuote, frame: Frame | None) -> bool:
    """True if only punctuation or the attribution follows the closing mark in its sentence."""
    if quote.close_mark is None:
        return True
    verb = frame.verb if frame is not None and frame.adjacent else None
    if verb is not None and verb.span.start > quote.close_mark:
        return True
    paragraph = paragraph_of(quote, ctx, quote.close_mark)
    sentence = ctx.sentence(paragraph, quote.close_mark)
    return _WORD.search(ctx.text, quote.close_mark + 1, max(sentence.end, quote.close_mark + 1)) is None


def _inherit(quotes: list[FramedQuote]) -> list[FramedQuote]:
    """A direct quotation with no attribution of its own, opening a sentence, continues the
    words of the speaker of the quotation before it (at most ``INHERIT_PARAGRAPHS`` back)."""
    out: list[FramedQuote] = []
    previous: FramedQuote | None = None
    for quote in quotes:
        if quote.kind is QuoteKind.DIRECT and quote.frame is None and quote.initial and previous is not None:
            if quote.paragraph - previous.paragraph <= INHERIT_PARAGRAPHS and previous.frame is not None:
                quote = replace(quote, frame=Frame(previous.frame.speaker, None, False), inherited=True)
        if quote.frame is not None and quote.frame.speaker is not None:
            previous = quote
        out.append(quote)
    return out
