"""Reported speech in narration: 'X said that …', 'X revealed in an interview that …',
'from Seoul, they report that …' and 'according to X, …'.

A speech verb outside every quotation, not already the attribution of one, with a speaker
phrase before it and a reported clause after it (after 'that', or straight after the verb
for 'say'-like verbs), is one attribution. Sources without a name (or a pronoun, resolved
later) are left out: 'one of the soldiers confessed that …' credits no one; a common noun
headed by an institution ('the regional health office said that …', 'according to the city's
transport office, …') is kept, with no person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from aligner.article.names import (
    DESCRIPTIVE,
    NAME,
    Mention,
    Token,
    is_word,
    name_run,
    np_after,
    subject_before,
)
from aligner.article.records import VERB_FORMS, SpeechVerb, VerbClass
from aligner.article.speech import ArticleContext, FramedAttribution, verb_at
from aligner.article.words import (
    ORG_WORDS,
    PREPOSITIONS,
    word_pattern,
)
from aligner.spans import Span, strip_span

# How many words may stand between the verb and 'that': 'revealed in an interview with … that'.
MAX_THAT_GAP = 14
# 'according to data released by Kiev': the participles that may stand between 'to' and 'by'.
_ACCORDING_BY = frozenset("released published provided compiled issued obtained cited gathered given".split())
# Verbs whose reported clause may follow without 'that': 'He said the bars were gone.'
_BARE_COMPLEMENT = frozenset("say add claim insist argue warn admit acknowledge report".split())
_PASSIVE = frozenset("is are was were be been being".split())
_NEGATIONS = frozenset("not never n't didn't don't doesn't won't wouldn't declined refused".split())
_QUOTE_MARKS = frozenset("\"“”‘’«»'")
_NOT_A_CLAUSE = PREPOSITIONS | frozenset(
    "to that so yes no much more anything nothing something little".split()
)


# Where reported speech may be: any speech-verb form, or 'according'.
_CANDIDATE = re.compile(r"\b(?:" + word_pattern([*VERB_FORMS, "according", "According"]) + r")\b")


def find_attributions(ctx: ArticleContext) -> list[FramedAttribution]:
    """Return the reported speech of the narration, in text order."""
    found: list[FramedAttribution] = []
    skip_to = -1
    for match in _CANDIDATE.finditer(ctx.text):
        if match.start() < skip_to or ctx.inside_quote(match.start()):
            continue
        paragraph = ctx.paragraph_at(match.start())
        k = ctx.index(paragraph, match.start())
        tokens = ctx.tokens(paragraph)
        if k == len(tokens) or tokens[k].start != match.start():
            continue  # inside a token: 'U.S.report'
        if match.group() in ("according", "According"):
            attribution = _according(ctx, paragraph, k)
        else:
            attribution = _indirect(ctx, paragraph, k)
        if attribution is not None:
            found.append(attribution)
            skip_to = attribution.claim.end
    return found


def _indirect(ctx: ArticleContext, paragraph: int, k: int) -> FramedAttribution | None:
    tokens = ctx.tokens(paragraph)
    verb = verb_at(tokens, k)
    if verb is None or tokens[k].low.endswith("ing") or verb.span.start in ctx.used_verbs:
        return None
    if k > 0 and tokens[k - 1].low in _PASSIVE:
        return None  # 'around 5,000 are reported'
    if any(t.low in _NEGATIONS for t in tokens[max(0, k - 3) : k]):
        return None  # 'he did not say which newspaper': nothing is reported
    sentence = ctx.sentence(paragraph, tokens[k].start)
    a = _clause_start(ctx, paragraph, k, sentence)
    source = subject_before(tokens, a, k, ctx.intros)
    if source is None or (source.kind == DESCRIPTIVE and not _institution(ctx.text, source)):
        return None
    if source.kind == DESCRIPTIVE:
        source = replace(source, org=True)  # People.speaker credits it to the description
    b = ctx.index(paragraph, sentence.end)
    start, venue = _complement(tokens, k, b, verb.lemma)
    if start is None:
        return None
    claim = _claim(ctx.text, start, sentence.end)
    if claim is None:
        return None
    return FramedAttribution("indirect", source, verb, sentence, claim, paragraph, venue)


def _clause_start(ctx: ArticleContext, paragraph: int, k: int, sentence: Span) -> int:
    """Return the first token of the verb's clause: the sentence start, or after a quotation."""
    tokens = ctx.tokens(paragraph)
    a = ctx.index(paragraph, sentence.start)
    for j in range(k - 1, a - 1, -1):
        if tokens[j].text in _QUOTE_MARKS:
            return j + 1
    return a


def _complement(tokens: Sequence[Token], k: int, b: int, lemma: str) -> tuple[int | None, Span | None]:
    """Return where the reported clause starts (or None) and the venue named before 'that'."""
    for j in range(k + 1, min(b, k + 1 + MAX_THAT_GAP)):
        token = tokens[j]
        if token.low == "that" and j + 1 < b:
            return tokens[j + 1].start, _venue(tokens, k + 1, j)
        if not is_word(token) and token.text not in "().":
            break
    if lemma in _BARE_COMPLEMENT and k + 1 < b:
        token = tokens[k + 1]
        if is_word(token) and token.low not in _NOT_A_CLAUSE and not token.low.endswith("ing"):
            return token.start, None
    return None, None


def _institution(text: str, mention: Mention) -> bool:
    """Return True for a common-noun source whose head is an institution: 'the regional health
    office', 'the city's transport office', 'the ministry' (not 'one of the soldiers')."""
    words = mention.span.of(text).lower().split()
    return mention.kind == DESCRIPTIVE and bool(words) and words[-1] in ORG_WORDS


def _venue(tokens: Sequence[Token], a: int, b: int) -> Span | None:
    """Return the last name between the verb and 'that': 'with the media outlet Chosun Ilbo'."""
    venue = None
    i = a
    while i < b:
        end = name_run(tokens, i, b)
        if end > i:
            venue = Span(tokens[i].start, tokens[end - 1].end)
            i = end
        else:
            i += 1
    return venue


def _claim(text: str, start: int, end: int) -> Span | None:
    """Return the reported clause ``[start, end)`` without outer space and its final full stop."""
    span = strip_span(text, Span(start, end))
    if span.end > span.start and text[span.end - 1] == ".":
        span = Span(span.start, span.end - 1)
    return span if span.end > span.start else None


def _according(ctx: ArticleContext, paragraph: int, k: int) -> FramedAttribution | None:
    """Read 'according to [data released by] X': the source, the phrase and the claim."""
    tokens = ctx.tokens(paragraph)
    if k + 1 >= len(tokens) or tokens[k + 1].low != "to":
        return None
    j, phrase_end = k + 2, tokens[k + 1].end
    for m in range(k + 2, min(k + 7, len(tokens) - 1)):
        if tokens[m].low in _ACCORDING_BY and tokens[m + 1].low == "by":
            j, phrase_end = m + 2, tokens[m + 1].end
            break
    sentence = ctx.sentence(paragraph, tokens[k].start)
    b = ctx.index(paragraph, sentence.end)
    source = np_after(tokens, j, b, ctx.intros)
    if source is None or (source.kind != NAME and not _institution(ctx.text, source)):
        return None
    claim = _according_claim(ctx, paragraph, k, sentence, source.span.end)
    if claim is None or any(claim.start <= v < claim.end for v in ctx.used_verbs):
        return None
    verb = SpeechVerb(Span(tokens[k].start, phrase_end), "according to", VerbClass.REPORT)
    source = type(source)(source.span, source.kind, source.name, True, "")
    return FramedAttribution("according_to", source, verb, sentence, claim, paragraph)


def _according_claim(
    ctx: ArticleContext, paragraph: int, k: int, sentence: Span, source_end: int
) -> Span | None:
    """The claim is what the 'according to' phrase is set off from by a comma."""
    tokens = ctx.tokens(paragraph)
    a = ctx.index(paragraph, sentence.start)
    if sum(is_word(t) for t in tokens[a:k]) <= 3:
        depth = 0
        for t in tokens[ctx.index(paragraph, source_end) : ctx.index(paragraph, sentence.end)]:
            depth += (t.text == "(") - (t.text == ")")
            if depth == 0 and t.text == ",":
                return _claim(ctx.text, t.end, sentence.end)
        return None
    end = tokens[k - 1].start if tokens[k - 1].text == "," else tokens[k].start
    return _claim(ctx.text, sentence.start, end)
