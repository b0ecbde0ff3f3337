"""The speaker, speech-verb and names checks of one quotation.

Who the translation credits the quotation to (the speaker's name, a subject pronoun, or another
person or role noun standing as the subject), whether the speech verb kept its class, and
whether people named inside the quotation are still named there. ``credited_instead`` is shared
with the attribution checks: another person of the article, or a known place, organisation or
glossary name (``aligner.lang.entities``) standing where the source stands, and absent from the
source's sentences, is credited in the source's place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from aligner.article.records import Quote, QuoteKind
from aligner.check.context import (
    CheckContext,
    find_person,
    first_found,
    gap,
    name_in,
    people_inside,
    quoted_in_source,
    sentence_at,
    touching,
)
from aligner.check.records import SUBJECT_DISTANCE, Evidence, Finding, Severity
from aligner.lang.entities import (
    Entity,
    en_key,
    find_entities,
    gazetteer,
    named_keys,
    same_country,
    same_entity,
)
from aligner.lang.morph import uk_parses
from aligner.lang.names import find_pronouns, find_role_nouns
from aligner.lang.verbs import VerbClass, compatible, find_speech_verbs
from aligner.spans import Span, hull

# --- speaker, verb and names -----------------------------------------------------------------

# A Korean subject or topic particle right after a mention: the mention is who speaks.
# (도, 또한, 역시 "also" mark a subject too: 티파니 Ng 또한 … 주목했습니다)
_KO_SUBJECT_PARTICLES = "은|는|이|가|께서"
_KO_SUBJECT = re.compile(
    r"\s?(?:씨|님|[가-힣]{0,3}(?:장관|대통령|위원장|총리|대변인|의원|감독|회장))?\s?"
    rf"(?:(?:{_KO_SUBJECT_PARTICLES}|도)(?![가-힣])|\s(?:또한|역시)(?![가-힣]))"
)
# The first of two coordinated subjects: 중국과 러시아는 … 주장한다.
_KO_COORDINATED = re.compile(rf"(?:과|와)\s?[가-힣]{{1,10}}(?:{_KO_SUBJECT_PARTICLES})(?![가-힣])")
# A name right before a quotation, as in headlines: 잭 로스, '…'  /  트럼프 "…".
_KO_HEADLINE = re.compile(r"\s?[,:]?\s*[\"“‘'「『]")
_UK_PREPOSITION = re.compile(
    r"(?<![\w'’])(?:із|зі|з|до|в|у|на|про|від|для|через|за|по|при|над|під|між)\s+$", re.IGNORECASE
)
_UK_HEADLINE = re.compile(r"\s?:\s*[\"“«„]")
# A closing mark (or the end of a dialogue line), a dash and one or two words (the verb and an
# adverb) before a name: the speaker of Ukrainian dialogue, whatever the verb.
_UK_DIALOGUE_SUBJECT = re.compile(r"[»\"”!?.,…]\s*[—–-]\s+(?:[а-яґєіїʼ'’]+\s+){1,2}$")
_UK_LEAD_IN = re.compile(r",\s*[\"“«„]")
_UK_NOMINATIVE = re.compile(
    r"^(?:він|вона|воно|вони|журналіст(?:ка)?|кореспондент(?:ка)?|репортер(?:ка)?|ведуч(?:ий|а)|редактор(?:ка)?)$",
    re.IGNORECASE,
)


# Korean words after a name that end in a particle other than the subject's: the name is then no
# subject (마틴 씨의 친구가: the friend speaks; 마틴에게: to Martin).
_KO_OTHER_PARTICLE = re.compile(r"(?:의|을|를|에|에게|와|과|로|으로|도|에서|한테|께)$")
_KO_SUBJECT_PARTICLE = re.compile(rf"[가-힣](?:{_KO_SUBJECT_PARTICLES})$")
_KO_TOKEN = re.compile(r"\s+([A-Za-z가-힣][\w.&-]*)")
_KO_TITLE_WORDS = 6


def _ko_titled_subject(ctx: CheckContext, span: Span) -> bool:
    """Return True for a Korean name followed by its title of a few words, the title carrying
    the subject particle before a speech verb (마틴 RSM 레저 및 접객 분석가가 언급하길)."""
    position = span.end
    for _ in range(_KO_TITLE_WORDS):
        match = _KO_TOKEN.match(ctx.text, position)
        if match is None:
            return False
        word = match.group(1)
        if _KO_SUBJECT_PARTICLE.search(word):
            near = Span(match.end(), min(len(ctx.text), match.end() + SUBJECT_DISTANCE))
            return bool(find_speech_verbs(ctx.text, ctx.lang, near))
        if _KO_OTHER_PARTICLE.search(word):
            return False
        position = match.end()
    return False


def _speaks(ctx: CheckContext, span: Span) -> bool:
    """Return True when a mention stands where the speaker of a sentence stands: in Korean with a
    subject or topic particle, or right before the quotation in a headline (잭 로스, '…');
    in Ukrainian in the nominative (a capitalised name, журналіст not журналіста, він not його)
    next to a speech verb."""
    if ctx.lang == "ko":
        return bool(
            _KO_SUBJECT.match(ctx.text, span.end)
            or _KO_COORDINATED.match(ctx.text, span.end)
            or _KO_HEADLINE.match(ctx.text, span.end)
            or _ko_titled_subject(ctx, span)
        )
    word = span.of(ctx.text)
    if _UK_NOMINATIVE.search(word) or _UK_HEADLINE.match(ctx.text, span.end):
        return True
    if word[:1].isupper() and _UK_DIALOGUE_SUBJECT.search(ctx.text, max(0, span.start - 40), span.start):
        return True  # «…», – відказав Кохрен: the name after a dash and a verb is the speaker
    if not word[:1].isupper() or _UK_PREPOSITION.search(ctx.text, max(0, span.start - 6), span.start):
        return False  # "із Сальвадору", "до Джонса": a name after a preposition is no subject
    near = Span(max(0, span.start - SUBJECT_DISTANCE), min(len(ctx.text), span.end + SUBJECT_DISTANCE))
    if find_speech_verbs(ctx.text, ctx.lang, near):
        return True
    # "Як зазначив в інтерв'ю … директор групи … Гай Сесіл, «…»": the name closes a lead-in whose
    # speech verb stands further back in the same sentence
    sentence = sentence_at(ctx.sentences, span.start)
    if sentence is None or not _UK_LEAD_IN.match(ctx.text, span.end):
        return False
    before = Span(max(sentence.start, span.start - 3 * SUBJECT_DISTANCE), span.start)
    return bool(find_speech_verbs(ctx.text, ctx.lang, before))


# Plural pronouns (그들, вони): they stand for one speaker only when the source says "they".
_PLURAL = re.compile(r"^(?:그들|вони|їх|них|їм|ними)", re.IGNORECASE)


def subject_pronoun(ctx: CheckContext, pieces: Sequence[Span], plural: bool = False) -> Span | None:
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
# How far after "із Сеула" the speech verb of a place source may stand.
VERB_AFTER = 40


def check_speaker(
    ctx: CheckContext, quote: Quote, pieces: Sequence[Span], parts: Sequence[Span] = ()
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
    if wrong is not None and (
        pronoun is None
        or _distance(wrong, parts) < _distance(pronoun, parts)
        or (by_speech_verb(ctx, wrong) and not by_speech_verb(ctx, pronoun))
    ):
        return [_wrong_speaker(ctx, who, wrong)], wrong
    if pronoun is not None:
        return [], pronoun
    quote_end = parts[-1].end if parts else None
    instead = credited_instead(ctx, who, _source_window(ctx, quote), pieces, quote_end)
    if instead is not None:
        credited, name = instead
        message = f"quotation credited to {credited.of(ctx.text)!r} ({name}) instead of {who}"
        evidence = (Evidence("speaker", speaker.span, None), Evidence("credited", None, credited))
        finding = Finding("speaker", Severity.ERROR, message, "inconsistent-entities", credited, evidence)
        return [finding], credited
    message = f"speaker {who} is not named near the quotation"
    where = hull(list(pieces)) if pieces else None
    return [Finding("speaker", Severity.WARNING, message, "inconsistent-entities", where)], None


# How far (characters) from a speech verb its subject stands: "Майк Помпео зауважив, що він …"
# credits Pompeo, whatever pronoun the reported clause holds nearer the quotation.
_BY_VERB_CHARS = 20


def by_speech_verb(ctx: CheckContext, mention: Span) -> bool:
    """Return True when a speech verb stands right before or after a mention (its subject)."""
    near = Span(max(0, mention.start - _BY_VERB_CHARS), min(len(ctx.text), mention.end + _BY_VERB_CHARS))
    for verb in find_speech_verbs(ctx.text, ctx.lang, near):
        between = ctx.text[min(verb.span.end, mention.end) : max(verb.span.start, mention.start)]
        if not re.search(r"[,;:.!?«»\"“”]|\b(?:що|щоб|як)\b", between):
            return True  # not across a clause break: "зауважив, що він" is another clause's subject
    return False


def _distance(mention: Span, parts: Sequence[Span]) -> int:
    """Return how far a mention stands from the nearest quotation part (0 without parts)."""
    return min((gap(mention, p) for p in parts), default=0)


def _other_speaker(
    ctx: CheckContext, quote: Quote, person_name: str, pieces: Sequence[Span], quote_end: int
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


def _after_alone(ctx: CheckContext, mention: Span, quote_end: int) -> bool:
    """Return True for a mention in a later sentence than the quotation's last one."""
    sentence = sentence_at(ctx.sentences, quote_end - 1)
    return sentence is not None and mention.start >= sentence.end


def named_as_source(ctx: CheckContext, name: str, pieces: Sequence[Span]) -> bool | None:
    """Return whether ``name`` (a person of the article, a place or an organisation) is named in
    the pieces where a source stands (a subject next to a speech verb, a Korean topic, за даними
    X, X에 따르면 …): True if one of its mentions is, False if it is named only elsewhere (inside
    the claim: 그리스 영토), None if it is not named at all."""
    mentions = _find_all(ctx, name, pieces)
    entity = gazetteer().lookup(name)
    if entity is not None:
        mentions += [
            m.span
            for p in pieces
            for m in find_entities(ctx.text, ctx.lang, p)
            if same_entity(m.entity, entity)
        ]
    if not mentions:
        return None
    return any(source_position(ctx, m) for m in mentions)


def source_position(ctx: CheckContext, mention: Span) -> bool:
    """Return True when a mention stands where a source stands (see ``named_as_source``)."""
    return _framed(ctx, mention, place=True, institution=True) or (
        _speaks(ctx, mention) and not _oblique(ctx, mention)
    )


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


def _oblique(ctx: CheckContext, mention: Span) -> bool:
    """Return True for a Ukrainian mention whose last word pymorphy3 reads only in an oblique case
    (на територію Греції): an object or a complement, not the subject a source stands as."""
    if ctx.lang != "uk":
        return False
    words = mention.of(ctx.text).split()
    tags = uk_parses(words[-1]) if words else ()
    cases = [next((c for c in _CASES if c in t), None) for t in tags]
    return bool(cases) and all(c is not None and c not in ("nomn", "voct") for c in cases)


def _find_all(ctx: CheckContext, name: str, pieces: Sequence[Span]) -> list[Span]:
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


def _source_window(ctx: CheckContext, quote: Quote) -> list[Span]:
    """Return the source sentences of a quotation and of its speaker's mention."""
    spans = [*quote.parts, *([quote.speaker.span] if quote.speaker else [])]
    return touching(ctx.source_sentences, spans)


def _wrong_speaker(ctx: CheckContext, shown: str, found: Span) -> Finding:
    message = f"quotation credited to {found.of(ctx.text)!r} instead of {shown}"
    return Finding(
        "speaker",
        Severity.ERROR,
        message,
        "inconsistent-entities",
        found,
        (Evidence("credited", None, found),),
    )


def check_verb(
    ctx: CheckContext, quote: Quote, parts: Sequence[Span], pieces: Sequence[Span]
) -> tuple[list[Finding], Span | None]:
    """Check that the speech verb keeps its class (said stays neutral, asked a question …)."""
    verbs = [v for p in pieces for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    verbs = [v for v in verbs if not _other_paragraph(ctx, v.span, parts)]
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
    evidence = (Evidence("verb", quote.verb.span, nearest.span),)
    severity = Severity.ERROR
    if quote.verb.verb_class is VerbClass.QUESTION and not _asks(ctx, parts):
        # the translator made the (rhetorical) question a statement, and its verb with it: the
        # boundary check reports the lost question; the verb follows the quotation's form
        severity = Severity.WARNING
    return [Finding("verb", severity, message, "mistranslation", nearest.span, evidence)], nearest.span


_KO_ASKS = re.compile(r"(?:까|니|냐|나요|가요|죠)[^\w]*$")


def _asks(ctx: CheckContext, parts: Sequence[Span]) -> bool:
    """Return True when the translated quotation asks something: a question mark, or in Korean
    a question ending at its end."""
    text = " ".join(p.of(ctx.text) for p in parts)
    return "?" in text or (ctx.lang == "ko" and bool(_KO_ASKS.search(text.rstrip(" .,\"'”’»"))))


def _other_paragraph(ctx: CheckContext, verb: Span, parts: Sequence[Span]) -> bool:
    """Return True for a verb in another paragraph than the quotation, with no colon leading into
    it: the last verb of the paragraph before (…비난했다.) is that paragraph's own."""
    if not parts:
        return False
    if verb.end <= parts[0].start:
        between = ctx.text[verb.end : parts[0].start]
        return "\n" in between and not between.rstrip(" \n\"“«„'‘").endswith(":")
    if verb.start >= parts[-1].end:
        return "\n" in ctx.text[parts[-1].end : verb.start]
    return False


def check_names(ctx: CheckContext, quote: Quote, parts: Sequence[Span]) -> list[Finding]:
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


# --- who is credited instead ---------------------------------------------------------------------

# A Korean mention that stands as the source: subject or topic particle, "from" (서울에서는), or
# "according to" (키이우에 따르면, 키이우가 공개한 … 자료에 따르면).
_KO_SOURCE = re.compile(
    r"(?:\([^)]{1,30}\))?\s?(?:측|당국|정부|시|대변인)?"
    r"\s?(?:은|는|이|가|께서|에서는|에서도|에 따르면|의 발표|의\s?(?:말|주장|설명)에\s?따르면)(?![가-힣])"
)
# … and for a common-noun source, with an institution between the name and the particle: 서울시
# 교통국에 따르면 (for a named source, 런던 경찰청은 renders "the Metropolitan Police" itself).
_KO_INSTITUTION_SOURCE = re.compile(
    r"\s?(?:시|도|군)?\s?[가-힣]{0,6}(?:국|부|청|처|원|위원회|사무소|당국|기관)"
    r"\s?(?:은|는|이|가|에서는|에 따르면|의 발표)(?![가-힣])"
)
# Ukrainian words before a source in the genitive: за даними Києва, за словами Рі, згідно з
# даними, які Київ …
_UK_FRAME = "за даними|за словами|зі слів|за інформацією"
_UK_FRAME_OPINION = "за повідомленням|на думку"
_UK_FRAME_AGREEING = r"згідно з(?:і)?(?: даними)?"
_UK_FRAMED = re.compile(
    rf"(?:{_UK_FRAME}|{_UK_FRAME_OPINION}|{_UK_FRAME_AGREEING})(?:,\s+(?:які|що))?\s+$", re.IGNORECASE
)
# … and for a common-noun source, the institution between: за даними транспортного управління Харкова.
_UK_INSTITUTION_FRAMED = re.compile(
    rf"(?:{_UK_FRAME}|{_UK_FRAME_AGREEING})(?:\s+[\w'’ʼ]+){{1,3}}\s+$", re.IGNORECASE
)
# … and for a person, a given name or a title between: за словами Кіра Стармера, пана Адамса.
_UK_FRAMED_GIVEN = re.compile(rf"(?i:{_UK_FRAME}|{_UK_FRAME_OPINION})(?:\s+[\w'’ʼ-]+){{1,2}}\s+$")
# "from" before a place that reports: із Сеула повідомляють (checked with a speech verb after it).
_UK_FROM = re.compile(r"(?<![\w'’ʼ])(?:із|зі|з|у|в)\s+$", re.IGNORECASE)  # із Сеула, у Сирії повідомляють
# "at" before an organisation or a person whose office speaks: у Міноборони заявили.
_UK_AT = re.compile(r"(?<![\w'’ʼ])[ув]\s+$", re.IGNORECASE)


def credited_instead(
    ctx: CheckContext,
    source: str,
    source_sentences: Sequence[Span],
    pieces: Sequence[Span],
    quote_end: int | None = None,
    common_noun: bool = False,
) -> tuple[Span, str] | None:
    """Return a mention in ``pieces`` that credits someone other than ``source``: another person
    of the article, a known place or organisation, or a glossary name, standing where a source
    stands (a subject; in Korean also 에서는/에 따르면, in Ukrainian also за даними X) and not
    named in the source sentences (for a quotation, ``quote_end``: and not in a sentence after its
    last one). For an attribution, a place or organisation the article names elsewhere is no
    substitute (Moscow for Russia, Seoul for South Korea: metonymy); a quotation is not spoken
    by a place, so there any of them is. For a ``common_noun`` source ("the city's transport
    office") a place before an institution counts too (서울시 교통국에 따르면). Returns the mention
    and the English name it renders."""
    own = gazetteer().lookup(source)
    named = {
        en_key(m.entity.name) for s in source_sentences for m in find_entities(ctx.article.text, "en", s)
    }
    source_words = set(_NAME_TOKEN.findall(source.lower()))
    found: list[tuple[Span, str, bool]] = []  # mention, name, named elsewhere in the article
    for person in ctx.article.people:
        if source_words & set(_NAME_TOKEN.findall(person.name.lower())):
            continue
        known = gazetteer().lookup(person.name)
        if quote_end is None and known is not None and known.kind in ("place", "organisation"):
            continue  # the article's places are no substitute sources (Moscow for Russia)
        # a person the source sentences name (outside quotation marks: the translation's
        # attribution stands outside them too) is no substitute, but a further subject mention
        # of them is (Mickelson … though Furyk said -> 미켈슨은 … 미켈슨은 … 말했다)
        named_in_source = sum(
            s.contains(m) and (not quoted_in_source(ctx, m) or _says(ctx, m))
            for s in source_sentences
            for m in person.mentions
        )
        subjects = [
            mention
            for mention in _find_all(ctx, person.name, pieces)
            if not (quote_end is not None and _after_alone(ctx, mention, quote_end))
            and (
                _speaks(ctx, mention)
                or _framed(ctx, mention, place=False, institution=False)
                or (quote_end is None and _opens_sentence(ctx, mention))
            )
        ]
        found += [(mention, person.name, True) for mention in subjects[named_in_source:]]
    for piece in pieces:
        for hit in find_entities(ctx.text, ctx.lang, piece):
            entity = hit.entity
            if (own is not None and same_entity(own, entity)) or any(en_key(n) in named for n in entity.en):
                continue
            if quote_end is not None and _after_alone(ctx, hit.span, quote_end):
                continue
            if quote_end is None and _in_article(ctx, entity) and (own is None or same_country(own, entity)):
                continue  # metonymy (Moscow for Russia), not another country's city (London for China)
            if _speaks(ctx, hit.span) or _framed(ctx, hit.span, place=True, institution=common_noun):
                found.append((hit.span, entity.name, False))
    best = min(found, key=lambda f: (f[2], f[0].start), default=None)
    return None if best is None else (best[0], best[1])


def _says(ctx: CheckContext, mention: Span) -> bool:
    """Return True for a source mention right before a speech verb ('Ri said'): an attribution,
    even where a stray mark puts it inside a quotation ('… of war,"" Ri said.')."""
    after = Span(mention.end, min(len(ctx.article.text), mention.end + VERB_RIGHT_AFTER))
    return bool(find_speech_verbs(ctx.article.text, "en", after))


# How far after a name its speech verb stands in 'Ri said', 'Ri, 61, said'.
VERB_RIGHT_AFTER = 12


def _in_article(ctx: CheckContext, entity: Entity) -> bool:
    """Return True when the source article names ``entity`` somewhere, by name or by a word built
    on its name ("Syrian" for Syria, "Russian" for Russia; CLDR has no demonyms), or names a
    person sharing a word with it ("Kim" for the glossary's Kim Jong-un)."""
    if any(en_key(n) in named_keys(ctx.article.text) for n in entity.en):
        return True
    words = _article_words(ctx.article.text)
    for name in entity.en:
        tokens = _NAME_TOKEN.findall(name)
        if entity.kind == "name" and any(t in words for t in tokens):
            return True
        if len(tokens) == 1 and len(name) >= 4:
            stem = name[:-1] if name.endswith(("a", "e")) and len(name) > 5 else name
            if any(w.startswith(stem) for w in words):
                return True
    return False


@functools.lru_cache(maxsize=64)
def _article_words(text: str) -> frozenset[str]:
    """The capitalised words of an English text."""
    return frozenset(re.findall(r"\b[A-Z][\w'’-]+", text))


# Words (a title: Прем'єр-міністр, сенатор) that may stand before a subject opening its sentence.
_UK_TITLE_WORDS = re.compile(r"^(?:[\w'’ʼ-]+\s+){0,2}$")


def _opens_sentence(ctx: CheckContext, mention: Span) -> bool:
    """Return True for a Ukrainian person's name that opens its sentence, after at most a title
    of two words: the subject of an attribution whatever its verb (Рігер висловив сумнів, що …;
    Прем'єр-міністр Заєв вважає, що …)."""
    if ctx.lang != "uk":
        return False
    sentence = sentence_at(ctx.sentences, mention.start)
    if sentence is None:
        return False
    lead = ctx.text[sentence.start : mention.start].lstrip(' \t\n«"“—–-')
    return bool(_UK_TITLE_WORDS.match(lead)) and not _UK_PREPOSITION.search(lead)


def _framed(ctx: CheckContext, span: Span, place: bool, institution: bool) -> bool:
    """Return True for a mention framed as a source: Korean 에서는, 에 따르면, 의 발표, an
    institution before the particle (서울시 교통국에 따르면); Ukrainian за даними X, за словами X,
    for a place "із X" with a speech verb after it (із Сеула повідомляють), and for anyone "у X"
    with a plural speech verb right after (У British Garden Centres кажуть: at X they say)."""
    if ctx.lang == "ko":
        return bool(
            _KO_SOURCE.match(ctx.text, span.end)
            or (institution and _KO_INSTITUTION_SOURCE.match(ctx.text, span.end))
        )
    before = max(0, span.start - 70)
    if _UK_FRAMED.search(ctx.text, before, span.start):
        return True
    if not (place or institution) and _UK_FRAMED_GIVEN.search(ctx.text, before, span.start):
        return True
    if institution and _UK_INSTITUTION_FRAMED.search(ctx.text, before, span.start):
        return True
    # a place: "із X" with a speech verb after it; anyone else, at an organisation or someone's
    # office: "у X" with a plural speech verb right after ("У British Garden Centres кажуть")
    preposition = _UK_FROM if place else _UK_AT
    if not preposition.search(ctx.text, max(0, span.start - 4), span.start):
        return False
    verbs = find_speech_verbs(ctx.text, ctx.lang, Span(span.end, min(len(ctx.text), span.end + VERB_AFTER)))
    if place:
        return bool(verbs)
    return any(
        not ctx.text[span.end : v.span.start].strip()
        and any("plur" in t for t in uk_parses(v.span.of(ctx.text)))
        for v in verbs
    )
