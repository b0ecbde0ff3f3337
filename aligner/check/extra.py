"""The checks beyond a quotation's shape: numbers, untranslated text, invented quotations
and indirect attributions.

Numbers are compared by value (a unit conversion is the same value); a stretch with no letter
of the target script was left in English; a target quotation that renders no source quotation
is a term, an added quotation or invented speech; an indirect attribution must keep its source
(a person, place or organisation; another one credited instead is an error, none at all a
warning), its speech-verb class, the places and organisations of its claim, and its numbers.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence

from aligner.align.quotes import QuoteAlignment, TargetQuote
from aligner.article.records import Attribution, Quote
from aligner.check.context import (
    WORDS,
    CheckContext,
    find_person,
    first_found,
    gap,
    narration_spans,
    touching,
)
from aligner.check.people import credited_instead, named_as_source, source_position, subject_pronoun
from aligner.check.records import (
    INVENTED_MIN_WORDS,
    TERM_MAX_WORDS,
    UNTRANSLATED_MIN_WORDS,
    VERB_DISTANCE,
    AttributionResult,
    Evidence,
    ExtraQuote,
    Finding,
    Severity,
    Status,
)
from aligner.lang.entities import en_key, find_entities, gazetteer, named_keys, same_entity
from aligner.lang.names import Glossary, GlossaryEntry, find_name
from aligner.lang.numbers import AGE_DECADE, MONTH, NumberMention, compare_numbers, find_numbers
from aligner.lang.verbs import TargetVerb, VerbClass, compatible, find_speech_verbs
from aligner.spans import Span, hull
from aligner.textio import clip


def check_numbers(ctx: CheckContext, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    """Compare the numbers inside the quotation by value (a unit conversion, "6 inches" -> "15 см",
    is the same value; see ``compare_numbers``). A number written in words on one side only
    ("five weeks" -> 오 주, "four days" -> 나흘) is a warning: words escape the number finder."""
    source: list[NumberMention] = [m for q in quotes for m in q.numbers]
    target = [m for p in qa.target_parts for m in find_numbers(ctx.text, ctx.lang, p)]
    diff = compare_numbers(source, target)
    if diff.ok:
        return []
    hard_missing = [v for v in diff.missing if not _spelled_only(source, v)]
    hard_extra = [v for v in diff.extra if not _spelled_only(target, v)]
    said = []
    if diff.missing:
        said.append("missing " + ", ".join(_show_unit(source, v) for v in diff.missing))
    if diff.extra:
        said.append("added " + ", ".join(_show_unit(target, v) for v in diff.extra))
    severity = Severity.ERROR if hard_missing or hard_extra else Severity.WARNING
    message = f"numbers in the quotation differ: {'; '.join(said)}"
    return [Finding("numbers", severity, message, "numbers", qa.target)]


def _spelled_only(mentions: Sequence[NumberMention], value: float) -> bool:
    """Return True when ``value`` is written only in words among ``mentions``."""
    written = [m.spelled for m in mentions if any(math.isclose(v, value) for v in m.values)]
    return bool(written) and all(written)


def _show(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


# How a unit of ``NumberMention.unit`` is written in a message; others as named ("inch", "km").
_UNIT_SHOWN = {"fahrenheit": "°F", "celsius": "°C", "km2": "km²", "m2": "m²"}


def _show_unit(mentions: Sequence[NumberMention], value: float) -> str:
    """Show ``value`` with its unit when every mention of it has the same one, so that "5 miles"
    -> "5 км" reads "missing 5 mile; added 5 km" rather than "missing 5; added 5"."""
    units = {m.unit for m in mentions if any(math.isclose(v, value) for v in m.values)}
    unit = units.pop() if len(units) == 1 else None
    if unit is None or unit == AGE_DECADE:
        return _show(value)
    if unit == MONTH:
        return calendar.month_name[int(value)]  # "missing July; added August"
    return f"{_show(value)} {_UNIT_SHOWN.get(unit, unit)}"


_SCRIPT = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "uk": re.compile(r"[\u0400-\u04ff]"),
}
_LETTERS = re.compile(r"[^\W\d_]")
_ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words a capitalised title leaves in lower case ("Lord of the Rings").
_TITLE_SMALL = frozenset("a an and as at by for from in into of on or the to vs with".split())


def check_untranslated(
    ctx: CheckContext, source: Sequence[Span], target: Sequence[Span], what: str
) -> list[Finding]:
    """Flag a stretch the translation left in English: letters, none of the target script, while
    the source has ``UNTRANSLATED_MIN_WORDS`` words or more and is not a capitalised title."""
    if not target or any(_SCRIPT[ctx.lang].search(ctx.text, p.start, p.end) for p in target):
        return []
    if not any(_LETTERS.search(ctx.text, p.start, p.end) for p in target):
        return []
    words = [w for p in source for w in _ENGLISH_WORDS.findall(p.of(ctx.article.text))]
    content = [w for w in words if w.lower() not in _TITLE_SMALL]
    if len(words) < UNTRANSLATED_MIN_WORDS or all(w[0].isupper() for w in content):
        return []
    shown = clip(" … ".join(p.of(ctx.text) for p in target))
    script = "Hangul" if ctx.lang == "ko" else "Cyrillic"
    message = f"{what} “{shown}” is not translated (no {script} letters)"
    return [Finding("untranslated", Severity.ERROR, message, "untranslated", hull(list(target)))]


# --- invented quotations and attributions --------------------------------------------------------


def find_extra_quotes(ctx: CheckContext) -> tuple[ExtraQuote, ...]:
    """Return the target quotations that render no source quotation, judged: a short quoted
    term is fine, a quotation with a speech verb next to it is invented speech."""
    used = {t for qa in ctx.alignment.quotes for t in qa.target_quotes}
    extras = []
    for tq in ctx.alignment.target.quotes:
        if tq.id in used:
            continue
        extras.append(ExtraQuote(tq.span, tq.parts, tuple(_judge_extra(ctx, tq))))
    return tuple(extras)


def _judge_extra(ctx: CheckContext, tq: TargetQuote) -> list[Finding]:
    words = sum(len(WORDS.findall(p.of(ctx.text))) for p in tq.parts)
    pieces = narration_spans(ctx, touching(ctx.sentences, tq.parts), tq.inserts)
    # a verb is no nearer than its piece: look only in the pieces near enough
    close = [p for p in pieces if min(gap(p, q) for q in tq.parts) <= VERB_DISTANCE]
    verbs = [v for p in close for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    near = [v for v in verbs if min(gap(v.span, p) for p in tq.parts) <= VERB_DISTANCE]
    shown = clip(tq.span.of(ctx.text))
    if words <= TERM_MAX_WORDS and not near:
        return []
    if words >= INVENTED_MIN_WORDS and near and not tq.single:
        message = f"quotation “{shown}” renders no quotation of the source (invented speech)"
        return [Finding("extra", Severity.ERROR, message, "addition", tq.span)]
    message = f"quoted “{shown}” has no quotation marks in the source"
    return [
        Finding(
            "extra",
            Severity.INFO if words <= TERM_MAX_WORDS else Severity.WARNING,
            message,
            "addition",
            tq.span,
        )
    ]


def check_attribution(ctx: CheckContext, attribution: Attribution) -> AttributionResult:
    """Check that an indirect attribution names the same source, with the same numbers."""
    pair = ctx.alignment.pair_of(attribution.sentence)
    sentences: list[Span] = []
    if pair is not None:
        sentences = list(ctx.alignment.sentences[pair].target)
        if not sentences:
            near = [
                ctx.alignment.sentences[k].target
                for k in (pair - 1, pair + 1)
                if 0 <= k < len(ctx.alignment.sentences)
            ]
            sentences = [s for t in near for s in t]
    findings: list[Finding] = []
    found: Span | None = None
    shown = ctx.article.of(attribution.source.span)
    if not sentences:
        findings.append(
            Finding("attribution", Severity.ERROR, f"the sentence citing {shown} is missing", "omission")
        )
        status = Status.MISSING
    else:
        found = _attributed(ctx, attribution, sentences)
        displaced = _source_displaced(ctx, attribution, sentences, found) if found is not None else []
        if displaced:
            findings += displaced
            found = None
        else:
            if found is None and attribution.source.pronoun:  # "He said" -> 그는, він
                found = _pronoun(ctx, attribution, sentences)
            if found is None:
                not_named, found = _source_not_named(ctx, attribution, sentences)
                findings += not_named
        findings += _attribution_verb(ctx, attribution, sentences, found)
        findings += _claim_entities(ctx, attribution, sentences)
        findings += _attribution_numbers(ctx, attribution, sentences)
        findings += check_untranslated(ctx, [attribution.sentence], sentences, "the attributed sentence")
        status = Status.ALTERED if any(f.severity is Severity.ERROR for f in findings) else Status.OK
    return AttributionResult(
        id=attribution.id,
        kind=attribution.kind,
        source_span=attribution.source.span,
        sentence_span=attribution.sentence,
        target_span=found,
        target_sentences=tuple(sentences),
        status=status,
        findings=tuple(findings),
    )


def _attributed(ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span]) -> Span | None:
    source = attribution.source
    whole = [hull(list(sentences))]  # one look-up over the aligned sentences
    for name in dict.fromkeys((source.person, None if source.pronoun else ctx.article.of(source.span))):
        if name:
            found = find_person(ctx, name, whole) or _entity_named(ctx, name, sentences)
            if found is not None:
                return found
    return None


def _source_displaced(
    ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span], found: Span
) -> list[Finding]:
    """Return an error when the translation names the source only away from where a source
    stands (inside the claim: 그리스 영토) while someone else stands there (모스크바는 … 주장했다):
    the attribution was given to another entity, its source's name left in the claim."""
    source = attribution.source
    who = source.person or ctx.article.of(source.span)
    if source.pronoun or source_position(ctx, found) or named_as_source(ctx, who, sentences) is not False:
        return []
    instead = credited_instead(
        ctx, who, [attribution.sentence], sentences, common_noun=_common_noun(ctx, attribution)
    )
    if instead is None:
        return []
    mention, name = instead
    message = f"the attribution credits {mention.of(ctx.text)!r} ({name}) instead of {who}"
    evidence = (Evidence("source", source.span, None), Evidence("credited", None, mention))
    return [Finding("attribution", Severity.ERROR, message, "inconsistent-entities", mention, evidence)]


def _pronoun(ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span]) -> Span | None:
    """Return a subject pronoun standing for a person source (a place or organisation is no "he")."""
    source = attribution.source
    entity = gazetteer().lookup(source.person) if source.person else None
    if source.pronoun or (source.person and (entity is None or entity.kind == "name")):
        return subject_pronoun(ctx, sentences)
    return None


def _attribution_numbers(
    ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span]
) -> list[Finding]:
    """Compare the numbers of the attribution's sentence with those of its translation: a figure
    missing or changed is an error, one written in words only a warning."""
    source = list(find_numbers(ctx.article.text, "en", attribution.sentence))
    target = [m for s in sentences for m in find_numbers(ctx.text, ctx.lang, s)]
    diff = compare_numbers(source, target)
    if not diff.missing:
        return []
    hard = [v for v in diff.missing if not _spelled_only(source, v)]
    hard += [v for v in diff.extra if not _spelled_only(target, v)]  # a figure put in its place
    shown = ", ".join(_show_unit(source, v) for v in diff.missing)
    message = f"numbers of the attributed sentence missing or changed: {shown}"
    severity = Severity.ERROR if hard else Severity.WARNING
    where = hull(list(sentences))
    evidence = (Evidence("numbers", attribution.sentence, where),)
    return [Finding("numbers", severity, message, "numbers", where, evidence)]


def _entity_named(ctx: CheckContext, name: str, sentences: Sequence[Span]) -> Span | None:
    """Return where the translation names the place or organisation ``name`` (any rendering GeoNames,
    CLDR or the organisations table know, Ukrainian in any case), or None."""
    entity = gazetteer().lookup(name)
    if entity is None:
        return None
    for sentence in sentences:
        for mention in find_entities(ctx.text, ctx.lang, sentence):
            if same_entity(mention.entity, entity):
                return mention.span
    entry = Glossary((GlossaryEntry(entity.en, entity.ko, entity.uk),))
    return first_found([find_name(entity.name, ctx.text, ctx.lang, entry, region=s) for s in sentences])


def _source_not_named(
    ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span]
) -> tuple[list[Finding], Span | None]:
    """The source is not named: an error when someone else is credited in its place (checked
    before a pronoun is accepted: "Кунсом повідомила, що вона …" credits Coons, not "she"); else
    a subject pronoun will do for a person; else a warning (none for a common-noun source such as
    "the city's transport office", whose rendering no name table knows). Returns the findings and
    the mention taken for the source."""
    source = attribution.source
    shown = ctx.article.of(source.span)
    who = source.person or shown
    common_noun = _common_noun(ctx, attribution)
    instead = credited_instead(ctx, who, [attribution.sentence], sentences, common_noun=common_noun)
    if instead is not None:
        mention, name = instead
        message = f"the attribution credits {mention.of(ctx.text)!r} ({name}) instead of {who}"
        evidence: tuple[Evidence, ...] = (
            Evidence("source", source.span, None),
            Evidence("credited", None, mention),
        )
        finding = Finding("attribution", Severity.ERROR, message, "inconsistent-entities", mention, evidence)
        return [finding], None
    pronoun = None if source.pronoun else _pronoun(ctx, attribution, sentences)
    if pronoun is not None or common_noun:
        return [], pronoun
    message = f"the source {shown} is not named in the translation of its sentence"
    evidence = (Evidence("source", source.span, None),)
    where = hull(list(sentences))
    return [Finding("attribution", Severity.WARNING, message, "inconsistent-entities", where, evidence)], None


def _common_noun(ctx: CheckContext, attribution: Attribution) -> bool:
    """Return True for a source that is a description, not a person of the article."""
    person = attribution.source.person
    return person is not None and all(p.name != person for p in ctx.article.people)


def _attribution_verb(
    ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span], found: Span | None
) -> list[Finding]:
    """Check the speech verb of reported speech as a quotation's: denied must stay a denial."""
    verb = attribution.verb
    if attribution.kind != "indirect" or verb is None:
        return []
    target = _reporting_verb(ctx, verb.verb_class, sentences, found)
    if target is None or target.lemma == "하다" or compatible(verb.verb_class, target.verb_class):
        return []  # the bare quotative 했다 ("…라고 했다") says nothing of the force
    message = (
        f"speech verb {ctx.article.of(verb.span)!r} ({verb.verb_class.value}) of the attribution rendered as "
        f"{target.span.of(ctx.text)!r} ({target.verb_class.value})"
    )
    evidence = (Evidence("verb", verb.span, target.span),)
    # "claimed" rendered as заявив/밝혔다 (stated): a weakening translators make on faithful
    # ntrex-dev attributions (3 of 82 Ukrainian ones); a warning, not an error.
    weakened = verb.verb_class is VerbClass.ASSERTIVE and target.verb_class is VerbClass.NEUTRAL
    severity = Severity.WARNING if weakened else Severity.ERROR
    return [Finding("verb", severity, message, "mistranslation", target.span, evidence)]


def _reporting_verb(
    ctx: CheckContext, source: VerbClass, sentences: Sequence[Span], found: Span | None
) -> TargetVerb | None:
    """Return the verb that reports the claim, not one inside it ("Trump pledged"): in Korean the
    last speech verb of the sentences (the verb ends the clause: …고 부인했다); in Ukrainian the
    speech verb next to the source's mention (Рі заперечив, що …; — заявив Рі), or None."""
    verbs = [v for s in sentences for v in find_speech_verbs(ctx.text, ctx.lang, s)]
    if not verbs:
        return None
    if ctx.lang == "ko":  # any verb of the sentence that keeps the force will do
        return next((v for v in verbs if compatible(source, v.verb_class)), verbs[-1])
    if found is None:
        return None
    near = [v for v in verbs if gap(v.span, found) <= VERB_DISTANCE]
    return min(near, key=lambda v: gap(v.span, found), default=None)


def _claim_entities(ctx: CheckContext, attribution: Attribution, sentences: Sequence[Span]) -> list[Finding]:
    """Compare the places and organisations named in the attributed claim: one that the
    translation replaced by another known name of the same kind (Kursk -> Moscow) is an error."""
    claims = attribution.claims or (attribution.claim,)
    wanted = [m for c in claims for m in find_entities(ctx.article.text, "en", c)]
    if not wanted:
        return []
    # A substitute is a name the source never uses: "Ukrainian" in the source may be 우크라이나군.
    named = named_keys(ctx.article.text)
    found = [m for s in sentences for m in find_entities(ctx.text, ctx.lang, s)]
    findings = []
    for mention in wanted:
        entity = mention.entity
        if entity.kind not in ("place", "organisation"):
            continue  # people are the speaker checks' business: 김정은 renders "Kim" too
        if any(same_entity(entity, f.entity) for f in found) or _entity_named(ctx, entity.name, sentences):
            continue
        instead = next(
            (
                f
                for f in found
                if f.entity.kind == entity.kind and not any(en_key(n) in named for n in f.entity.en)
            ),
            None,
        )
        if instead is None:
            continue
        message = (
            f"the attributed claim names {instead.span.of(ctx.text)!r} ({instead.entity.name}) "
            f"instead of {ctx.article.of(mention.span)}"
        )
        evidence = (Evidence("claim name", mention.span, instead.span),)
        findings.append(
            Finding("attribution", Severity.ERROR, message, "inconsistent-entities", instead.span, evidence)
        )
    return findings
