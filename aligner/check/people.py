"""The speaker, speech-verb and names checks of one quotation.

Who the translation credits the quotation to (the speaker's name, a subject pronoun, or another
person or role noun standing as the subject), whether the speech verb kept its class, and
whether people named inside the quotation are still named there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aligner.article.records import Quote, QuoteKind
from aligner.check.context import (
    Context,
    find_person,
    first_found,
    gap,
    name_in,
    people_inside,
    sentence_at,
    touching,
)
from aligner.check.records import SUBJECT_DISTANCE, Finding, Severity
from aligner.lang.names import find_pronouns, find_role_nouns
from aligner.lang.verbs import compatible, find_speech_verbs
from aligner.spans import Span, hull

# --- speaker, verb and names -----------------------------------------------------------------

# A Korean subject or topic particle right after a mention: the mention is who speaks.
_KO_SUBJECT = re.compile(
    r"\s?(?:씨|님|[가-힣]{0,3}(?:장관|대통령|위원장|총리|대변인|의원|감독|회장))?\s?(?:은|는|이|가|께서)(?![가-힣])"
)
# A name right before a quotation, as in headlines: 잭 로스, '…'  /  트럼프 "…".
_KO_HEADLINE = re.compile(r"\s?[,:]?\s*[\"“‘'「『]")
_UK_PREPOSITION = re.compile(
    r"(?<![\w'’])(?:із|зі|з|до|в|у|на|про|від|для|через|за|по|при|над|під|між)\s+$", re.IGNORECASE
)
_UK_HEADLINE = re.compile(r"\s?:\s*[\"“«„]")
_UK_NOMINATIVE = re.compile(
    r"^(?:він|вона|воно|вони|журналіст(?:ка)?|кореспондент(?:ка)?|репортер(?:ка)?|ведуч(?:ий|а)|редактор(?:ка)?)$",
    re.IGNORECASE,
)


def _speaks(ctx: Context, span: Span) -> bool:
    """Return True when a mention stands where the speaker of a sentence stands: in Korean with a
    subject or topic particle, or right before the quotation in a headline (잭 로스, '…');
    in Ukrainian in the nominative (a capitalised name, журналіст not журналіста, він not його)
    next to a speech verb."""
    if ctx.lang == "ko":
        return bool(_KO_SUBJECT.match(ctx.text, span.end) or _KO_HEADLINE.match(ctx.text, span.end))
    word = span.of(ctx.text)
    if _UK_NOMINATIVE.search(word) or _UK_HEADLINE.match(ctx.text, span.end):
        return True
    if not word[:1].isupper() or _UK_PREPOSITION.search(ctx.text, max(0, span.start - 6), span.start):
        return False  # "із Сальвадору", "до Джонса": a name after a preposition is no subject
    near = Span(max(0, span.start - SUBJECT_DISTANCE), min(len(ctx.text), span.end + SUBJECT_DISTANCE))
    return bool(find_speech_verbs(ctx.text, ctx.lang, near))


# Plural pronouns (그들, вони): they stand for one speaker only when the source says "they".
_PLURAL = re.compile(r"^(?:그들|вони|їх|них|їм|ними)", re.IGNORECASE)


def subject_pronoun(ctx: Context, pieces: Sequence[Span], plural: bool = False) -> Span | None:
    return next(
        (
            p
            for piece in pieces
            for p in find_pronouns(ctx.text, ctx.lang, piece)
            if _speaks(ctx, p) and (plural or not _PLURAL.match(p.of(ctx.text)))
        ),
        None,
    )


_NAME_TOKEN = re.compile(r"[^\W\d_]{2,}")


def check_speaker(
    ctx: Context, quote: Quote, pieces: Sequence[Span], parts: Sequence[Span] = ()
) -> tuple[list[Finding], Span | None]:
    """Check that the translation credits the quotation to the same person, near it.

    The speaker's name (any case ending, particle or honorific) is accepted. Otherwise another
    person or a role noun ("the journalist") standing as the subject is an error, unless the
    source sentences name that person as often (the translation may just say who else was
    there); then a pronoun standing as the subject is accepted; else a warning."""
    speaker = quote.speaker
    if speaker is None:
        return [], None
    mention = "" if speaker.pronoun else ctx.article.of(speaker.span)
    who = speaker.person or mention
    found = first_found([find_person(ctx, name, pieces) for name in dict.fromkeys((who, mention)) if name])
    if found is not None:
        return [], found
    if not speaker.person:  # an unresolved pronoun or a description ("the investment banker")
        return [], subject_pronoun(ctx, pieces)
    wrong = _other_speaker(ctx, quote, speaker.person, pieces, parts[-1].end if parts else 0)
    plural = ctx.article.of(speaker.span).lower() in ("they", "them")
    pronoun = subject_pronoun(ctx, pieces, plural)
    if wrong is not None and (pronoun is None or _distance(wrong, parts) < _distance(pronoun, parts)):
        return [_wrong_speaker(ctx, who, wrong)], wrong
    if pronoun is not None:
        return [], pronoun
    message = f"speaker {who} is not named near the quotation"
    where = hull(list(pieces)) if pieces else None
    return [Finding("speaker", Severity.WARNING, message, "inconsistent-entities", where)], None


def _distance(mention: Span, parts: Sequence[Span]) -> int:
    """Return how far a mention stands from the nearest quotation part (0 without parts)."""
    return min((gap(mention, p) for p in parts), default=0)


def _other_speaker(
    ctx: Context, quote: Quote, person_name: str, pieces: Sequence[Span], quote_end: int
) -> Span | None:
    """Return another person or a role noun standing as the subject near the quotation (a person
    in a sentence after one that holds only the quotation speaks there, not here)."""
    source = _source_window(ctx, quote)
    own = set(_NAME_TOKEN.findall(person_name.lower()))
    for person in ctx.article.people:
        if person.name == person_name or own & set(_NAME_TOKEN.findall(person.name.lower())):
            continue  # Joel Plasco and Lynsey Plasco-Flaxman: one name cannot tell them apart
        mentions = [m for m in _find_all(ctx, person.name, pieces) if not _after_alone(ctx, m, quote_end)]
        expected = sum(1 for s in source for m in person.mentions if s.contains(m))
        speaking = [m for m in mentions if _speaks(ctx, m)]
        if speaking and len(mentions) > expected:
            return speaking[0]
    roles = [r for p in pieces for r in find_role_nouns(ctx.text, ctx.lang, p)]
    expected_roles = sum(len(find_role_nouns(ctx.article.text, "en", s)) for s in source)
    speaking_roles = [r for r in roles if _speaks(ctx, r)]
    if speaking_roles and (len(roles) > expected_roles or not expected_roles):
        return speaking_roles[0]
    return None


def _after_alone(ctx: Context, mention: Span, quote_end: int) -> bool:
    """Return True for a mention in a later sentence than the quotation's last one."""
    sentence = sentence_at(ctx.sentences, quote_end - 1)
    return sentence is not None and mention.start >= sentence.end


def _find_all(ctx: Context, name: str, pieces: Sequence[Span]) -> list[Span]:
    """Return every mention of ``name`` in the pieces."""
    found: list[Span] = []
    for piece in pieces:
        start = piece.start
        while start < piece.end:
            hit = find_person(ctx, name, [Span(start, piece.end)])
            if hit is None:
                break
            found.append(hit)
            start = max(hit.end, start + 1)
    return found


def _source_window(ctx: Context, quote: Quote) -> list[Span]:
    """Return the source sentences of a quotation and of its speaker's mention."""
    spans = [*quote.parts, *([quote.speaker.span] if quote.speaker else [])]
    return touching(ctx.source_sentences, spans)


def _wrong_speaker(ctx: Context, shown: str, found: Span) -> Finding:
    message = f"quotation credited to {found.of(ctx.text)!r} instead of {shown}"
    return Finding("speaker", Severity.ERROR, message, "inconsistent-entities", found)


def check_verb(
    ctx: Context, quote: Quote, parts: Sequence[Span], pieces: Sequence[Span]
) -> tuple[list[Finding], Span | None]:
    """Check that the speech verb keeps its class (said stays neutral, asked a question …)."""
    verbs = [v for p in pieces for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    if not verbs or not parts:
        return [], None
    nearest = min(verbs, key=lambda v: min(gap(v.span, p) for p in parts))
    if (
        quote.verb is None
        or quote.kind is not QuoteKind.DIRECT
        or compatible(quote.verb.verb_class, nearest.verb_class)
    ):
        return [], nearest.span
    message = (
        f"speech verb {ctx.article.of(quote.verb.span)!r} ({quote.verb.verb_class.value}) rendered as "
        f"{nearest.span.of(ctx.text)!r} ({nearest.verb_class.value})"
    )
    return [Finding("verb", Severity.ERROR, message, "mistranslation", nearest.span)], nearest.span


def check_names(ctx: Context, quote: Quote, parts: Sequence[Span]) -> list[Finding]:
    """Check that people named inside the quotation are named there in the translation too, as
    elsewhere in it."""
    findings = []
    for person in people_inside(ctx, quote.span):
        if not parts:
            continue
        if find_person(ctx, person.name, parts) is not None:
            continue
        elsewhere = name_in(ctx, person.name, Span(0, len(ctx.text)))
        if elsewhere is not None:
            message = (
                f"{person.name} (rendered {elsewhere.of(ctx.text)!r} elsewhere) is not named in the quotation"
            )
            findings.append(
                Finding("names", Severity.WARNING, message, "inconsistent-entities", hull(list(parts)))
            )
    return findings
