"""Where the attribution stands at a quotation's edges.

An attribution pulled inside the marks (a Ukrainian dash attribution, or the author's words that
Ukrainian punctuation sets off with a past-tense verb pymorphy3 tags; a Korean quotative and speech
verb, or a lead-in verb in -며; a colon frame; the speaker's name) is an error; so is part of the
quotation left outside them, between the closing mark and the attribution or its sentence.

The punctuation of attributions is hand-written here: the morphological analysers (Kiwi,
pymorphy3) tag words, not where a quotation's author's words start.
"""

from __future__ import annotations

import re

from aligner.align.marks import MARK
from aligner.align.quotes import QuoteAlignment
from aligner.article.records import Quote
from aligner.check.context import (
    SENTENCE_END,
    CheckContext,
    Found,
    find_person,
    mark_starts_in,
    people_inside,
    sentence_at,
)
from aligner.check.people import subject_pronoun
from aligner.check.records import (
    ATTRIBUTION_TAIL_LETTERS,
    EDGE_CHARS,
    FRAME_CHARS,
    GAP_LETTERS,
    KO_SUBJECT_LETTERS,
    Finding,
    Severity,
)
from aligner.lang.morph import uk_parses
from aligner.lang.verbs import find_speech_verbs
from aligner.spans import Span

# What follows a speech verb that leads into a quotation inside the source quotation itself.
_EN_LEAD_IN = re.compile(r"[^.!?]{0,30}?(?:,|:|;|--|—|–)")


def attribution_inside(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> Finding | None:
    """Return an error when an attribution stands inside the marks at the quotation's edge: at
    its end a dash or a Korean quotative ending followed by a speech verb («…, — сказав Рі»,
    “…고 리 씨는 말했다”), at its start a speech verb and a colon (“Він сказав: …”); or the
    speaker's name with a speech verb there. The source quotation's own edges are checked alike:
    what stands in its marks may stand in the translation's."""
    first, last = qa.target_parts[0], qa.target_parts[-1]
    tail = Span(max(last.start, last.end - EDGE_CHARS), last.end)
    head = Span(first.start, min(first.end, first.start + EDGE_CHARS))
    src_last, src_first = quote.parts[-1], quote.parts[0]
    src_tail = Span(max(src_last.start, src_last.end - EDGE_CHARS), src_last.end)
    src_head = Span(src_first.start, min(src_first.end, src_first.start + EDGE_CHARS))
    framed = (
        _colon_frame(ctx, quote, first) or _dash_frame(ctx, quote, last) or _ko_closing_verb(ctx, quote, qa)
    )
    if framed is not None:
        return _inside(ctx, framed)
    for edge, source, opening in ((tail, src_tail, False), (head, src_head, True)):
        if _names_speaker(ctx, quote, edge) or (not opening and _closed_quotative(ctx, edge)):
            return _inside(ctx, edge)
        verbs = [v for v in find_speech_verbs(ctx.text, ctx.lang, edge) if not _adverbial(ctx, v.span)]
        if not verbs or find_speech_verbs(ctx.article.text, "en", source):
            continue
        verb = verbs[0].span if opening else verbs[-1].span
        if _frames(ctx, edge, verb, opening) or (
            ctx.lang == "ko"
            and not opening
            and (_ko_bare_frame(ctx, quote, edge, verb) or _ko_verb_ends(ctx, verb, edge))
        ):
            return _inside(ctx, edge)
    return None


def _ko_closing_verb(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> Span | None:
    """Return the sentence that closes a Korean quotation on its own attribution verb (“…입니다.
    그가 말했다.”, “…없었다고 말했다.”): the source quotation has an attribution verb outside its
    marks; the translation's ends on a speech verb in a final form, holds more speech verbs than
    the source quotation, and no quotative follows its closing mark."""
    if ctx.lang != "ko" or quote.verb is None:
        return None
    last = qa.target_parts[-1]
    verbs = [v.span for p in qa.target_parts for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    if not verbs or any(c.isalnum() for c in ctx.text[verbs[-1].end : last.end]):
        return None
    final = verbs[-1].of(ctx.text)
    if not final.endswith("다") or final.startswith("했"):
        return None  # “…라고 했다” is reported speech inside the quotation, not its attribution
    if _KO_AFTER_MARK.match(ctx.text, min(last.end + 1, len(ctx.text))):
        return None  # “…했다”고 말했다: the quotation itself reports speech
    if len(verbs) <= sum(len(find_speech_verbs(ctx.article.text, "en", p)) for p in quote.parts):
        return None
    sentence = max(
        (m.end() for m in SENTENCE_END.finditer(ctx.text, last.start, verbs[-1].start)), default=last.start
    )
    return Span(max(sentence, verbs[-1].start - FRAME_CHARS), last.end)


def _colon_frame(ctx: CheckContext, quote: Quote, first: Span) -> Span | None:
    """Return the stretch up to a colon at the start of the quotation that holds a speech verb
    («Джерело сказало минулого вечора: Ми не будемо…»), when the source quotation has no colon."""
    colon = ctx.text.find(":", first.start, min(first.end, first.start + FRAME_CHARS))
    source = quote.parts[0]
    if colon < 0 or ":" in ctx.article.of(source):
        return None
    if any(
        _EN_LEAD_IN.match(ctx.article.text, v.span.end)
        for v in find_speech_verbs(
            ctx.article.text, "en", Span(source.start, min(source.end, source.start + FRAME_CHARS))
        )
    ):
        return None  # “I told him, …”, “I will say this -- …”: the source quotation has its own lead-in
    head = Span(first.start, colon)
    return head if find_speech_verbs(ctx.text, ctx.lang, head) else None


def _dash_frame(ctx: CheckContext, quote: Quote, last: Span) -> Span | None:
    """Return the Ukrainian attribution after a dash inside the quotation's end («…, — заявив
    Роберто Кальсаділья, болівійський дипломат»): a dash, a speech verb, and little after it or
    the speaker's name right after it (then a title of any length may follow)."""
    if ctx.lang != "uk":
        return None
    continued = _DASH_END.search(ctx.text, last.start, last.end) is not None  # «…, — сказав він, — …»
    for dash in _DASH_BEFORE.finditer(ctx.text, max(last.start, last.end - 2 * FRAME_CHARS), last.end):
        if _UK_COPULA_DASH.match(ctx.text, dash.end()):
            continue  # «Недооцінили – це ще м'яко кажучи»: a dash before це joins a predicate
        verbs = find_speech_verbs(ctx.text, ctx.lang, Span(dash.end(), min(last.end, dash.end() + 25)))
        if not verbs or _adverbial(ctx, verbs[0].span):
            continue  # кажучи, сказавши: an adverbial participle attributes nothing by itself
        verb = verbs[0].span
        if sum(c.isalnum() for c in ctx.text[verb.end : last.end]) <= FRAME_CHARS // 2 or (
            not continued
            and _names_speaker(ctx, quote, Span(dash.end(), min(last.end, verb.end + 2 * EDGE_CHARS)))
        ):
            return Span(dash.start(), last.end)
    return None if continued else _author_words(ctx, quote, last)


# The author's words after a Ukrainian quotation: punctuation, a dash and a lower-case word
# that is no conjunction («…кажучи, – приєднався до обговорення Немік»; «…вогонь! – прокричав
# по рації командир»), with a verb in the past tense among their first words.
_UK_AUTHOR = re.compile(r"[,.!?…]\s*[—–]\s+(?P<first>[а-яґєії'’ʼ]+)")
_UK_CONJUNCTIONS = frozenset("і й та а але бо що щоб як чи або ні то проте однак зате тому".split())
AUTHOR_MAX_WORDS = 12
AUTHOR_VERB_WORDS = 4


def _author_words(ctx: CheckContext, quote: Quote, last: Span) -> Span | None:
    """Return the author's words that close the quotation's last part when they carry no speech
    verb the lexicon knows (fiction: розпочав, приєднався, прокричав): Ukrainian punctuation sets
    them off from the speech, so inside the marks they are the attribution pulled in. Only where
    the source attributes the quotation after it (a speaker or verb found, or a comma before its
    closing mark) and has no such dash of its own."""
    src_last = quote.parts[-1]
    if ctx.article.of(src_last).rstrip()[-1:] != "," and quote.speaker is None and quote.verb is None:
        return None
    if _DASH_BEFORE.search(ctx.article.text, max(src_last.start, src_last.end - EDGE_CHARS), src_last.end):
        return None
    for dash in _UK_AUTHOR.finditer(ctx.text, max(last.start, last.end - 2 * FRAME_CHARS), last.end):
        words = ctx.text[dash.start("first") : last.end].split()
        if dash.group("first") in _UK_CONJUNCTIONS or _UK_COPULA_DASH.fullmatch(dash.group("first")):
            continue
        if len(words) <= AUTHOR_MAX_WORDS and any(_past_verb(w) for w in words[:AUTHOR_VERB_WORDS]):
            return Span(dash.start(), last.end)
    return None


def _author_starts(text: str, start: int, end: int) -> bool:
    """Return True when the author's words start at ``start`` after a dash: a lower-case word
    that is no conjunction nor copula, with a verb in the past tense among the first words (– з
    сухим смішком розпочав Немік; – привітався Крейт), whether or not the lexicon knows the verb."""
    words = text[start:end].split()[:AUTHOR_VERB_WORDS]
    if not words or not words[0][:1].islower():
        return False
    first = words[0].strip(",.!?…:;").lower()
    if first in _UK_CONJUNCTIONS or _UK_COPULA_DASH.fullmatch(first):
        return False
    return any(_past_verb(w) for w in words)


def _past_verb(word: str) -> bool:
    return any(t.startswith("VERB") and "past" in t for t in uk_parses(word.strip(",.!?…:;").lower()))


def _adverbial(ctx: CheckContext, verb: Span) -> bool:
    """Return True for a Ukrainian adverbial participle (кажучи, сказавши) or a verb after a
    copula dash (– це ще м'яко кажучи): no attribution stands on one."""
    if ctx.lang != "uk":
        return False
    if _UK_ADVERBIAL.search(verb.of(ctx.text)):
        return True
    dashes = list(_UK_DASH.finditer(ctx.text, max(0, verb.start - 25), verb.start))
    return bool(dashes) and bool(_UK_COPULA_DASH.match(ctx.text, dashes[-1].end()))


def _inside(ctx: CheckContext, edge: Span) -> Finding:
    message = f"the attribution ({edge.of(ctx.text).strip()!r}) is inside the quotation marks"
    return Finding("boundary", Severity.ERROR, message, "addition", edge)


def _closed_quotative(ctx: CheckContext, edge: Span) -> bool:
    """Return True for a Korean quotative glued to a sentence end inside the marks near their end
    (“…입니다.라고 말했습니다”, “…걸까?라는 내용이 담겨있다”): only a closing mark stands there."""
    if ctx.lang != "ko":
        return False
    match = _KO_CLOSED_QUOTATIVE.search(ctx.text, edge.start, edge.end)
    return (
        match is not None
        and sum(c.isalnum() for c in ctx.text[match.end() : edge.end]) <= ATTRIBUTION_TAIL_LETTERS
    )


def _ko_bare_frame(ctx: CheckContext, quote: Quote, edge: Span, verb: Span) -> bool:
    """Return True for “…안전하다고 말했다” ending a quotation whose source has no speech verb at
    all: the Korean attribution verb went inside the marks."""
    if any(find_speech_verbs(ctx.article.text, "en", p) for p in quote.parts):
        return False
    quotatives = list(_KO_QUOTATIVE.finditer(ctx.text, edge.start, verb.start))
    final = sum(c.isalnum() for c in ctx.text[verb.end : edge.end]) <= 2  # the verb ends the quotation
    return bool(quotatives) and quotatives[-1].end() >= verb.start - 12 and final


def _ko_verb_ends(ctx: CheckContext, verb: Span, edge: Span) -> bool:
    """Return True when a Korean attribution sentence closes the quotation: a sentence end, a few
    letters (the subject, no quotative) and a speech verb in a final form (“…때가 됐습니다.
    그녀는 말했습니다.”), while the source quotation's end has no speech verb."""
    if sum(c.isalnum() for c in ctx.text[verb.end : edge.end]) > 2:
        return False
    if not re.search(r"다[.!]?\s*$", ctx.text[verb.start : edge.end]):
        return False
    ends = [m.end() for m in re.finditer(r"[.?!]", ctx.text[edge.start : verb.start])]
    if not ends:
        return False
    start = edge.start + ends[-1]  # what stands between is a subject, not a quoted clause (…라고 했다)
    return (
        sum(c.isalnum() for c in ctx.text[start : verb.start]) <= KO_SUBJECT_LETTERS
        and _KO_QUOTATIVE.search(ctx.text, start, verb.start) is None
    )


# A Ukrainian dash or a Korean quotative ending before an attribution verb at a quotation's end;
# a colon or period after one at its start.
_DASH_BEFORE = re.compile(r"[,.!?]?\s*[—–-]\s")
# A Ukrainian dash before a copula or a pointing word ("X – це Y") and adverbial participles
# (кажучи, сказавши), which a dash attribution never starts with.
_UK_COPULA_DASH = re.compile(r"(?:це|то|ось|оце)\b", re.I)
_UK_ADVERBIAL = re.compile(r"(?:учи|ючи|вши|ачи|ячи)$")
# A part ending on a dash: the attribution stands between two parts («…, — сказав він, — …»).
_DASH_END = re.compile(r"[—–-]\s*$")
_AFTER_VERB = re.compile(r"\S*\s*:")


def _frames(ctx: CheckContext, edge: Span, verb: Span, opening: bool) -> bool:
    """Return True when a speech verb at an edge is framed as an attribution."""
    if opening:
        # "He said: …" inside the marks; in Korean also a speech verb in the connective -며/-면서
        # that leads into the words (“알로아를 맡을 때를 회상하며 그 순간이 …”)
        led_in = bool(_AFTER_VERB.match(ctx.text, verb.end)) or (
            ctx.lang == "ko" and verb.of(ctx.text).endswith(("며", "면서"))
        )
        return led_in and verb.end - edge.start <= EDGE_CHARS
    before = Span(edge.start, verb.start)
    if ctx.lang == "ko":  # “…말했다고 그는 말했다”, “…입니다.라고 말했다”: a quotative, (a subject,) the verb
        if _KO_CLOSED_QUOTATIVE.search(ctx.text, before.start, before.end) and _tail_only(ctx, verb, edge):
            return True
        quotatives = list(_KO_QUOTATIVE.finditer(ctx.text, before.start, before.end))
        between = Span(quotatives[-1].end(), verb.start) if quotatives else None
        return (
            between is not None
            and subject_pronoun(ctx, [between]) is not None
            and _tail_only(ctx, verb, edge)
        )
    return bool(_DASH_BEFORE.search(ctx.text, before.start, before.end)) and _tail_only(ctx, verb, edge)


def _tail_only(ctx: CheckContext, verb: Span, edge: Span) -> bool:
    """Return True when little more than the attribution follows the verb up to the edge."""
    return sum(c.isalnum() for c in ctx.text[verb.end : edge.end]) <= ATTRIBUTION_TAIL_LETTERS


def _names_speaker(ctx: CheckContext, quote: Quote, edge: Span) -> bool:
    speaker = quote.speaker
    if speaker is None or speaker.pronoun or not speaker.person:
        return False
    if any(p.name == speaker.person for p in people_inside(ctx, quote.span)):
        return False
    return find_person(ctx, speaker.person, [edge]) is not None


# Where an attribution starts after a quotation: a Ukrainian dash before a speech verb
# ("…», — сказав Рі"), a Korean quotative ending ("…”라고 리 씨는", "… 받아줄까요?라고").
_UK_DASH = re.compile(r"(?:\s|(?<=[,.!?…]))[—–-]\s")  # "», — сказав", "церква,— розповідає"
_KO_QUOTATIVE = re.compile(r"(?:이?라고|다고|냐고|자고|라며|다며|라면서|다면서|라는|다는)(?![가-힣])")
# A quotative glued to a sentence end, which only stands after a closing mark: "…입니다.라고".
_KO_CLOSED_QUOTATIVE = re.compile(r"[.?!…,]\s*(?:이)?라(?:고|며|면서|는)(?![가-힣])")
# A quotative right after a closing mark: ”라고, ”고, ”며, ”라는.
_KO_AFTER_MARK = re.compile(r"\s*(?:이?라)?(?:고|며|면서|는)(?![가-힣])")
# … and where one ends before it: "Рі сказав: «…»", "He said: “…”".
_COLON = re.compile(r":\s*$")


def part_outside(ctx: CheckContext, quote: Quote, qa: QuoteAlignment, found: Found) -> Finding | None:
    """Return an error when more text stands between the closing mark and where the attribution
    starts (or, with no attribution after the quotation, the sentence end) than in the source:
    part of the quotation left outside the marks."""
    inner = _inner_gap(ctx, quote, qa)
    if inner:
        message = f"{inner} letters stand between a closing mark and the attribution after it: "
        message += "part of the quotation is outside"
        return Finding("boundary", Severity.ERROR, message, "omission", qa.target)
    between = _sentence_before_attribution(ctx, quote, qa, found)
    if between > GAP_LETTERS:
        message = f"{between} letters stand between the closing mark and the attribution's sentence: "
        message += "part of it is outside"
        return Finding("boundary", Severity.ERROR, message, "omission", qa.target)
    measured = _target_gap(ctx, qa)
    if measured is None:
        return None
    tgt_gap, anchored = measured
    run = 0 if anchored else _run_after(ctx, quote, qa)
    if run:
        message = f"{run} words run on from the closing mark to the next punctuation, where the source has "
        message += "none: part of it is outside"
        return Finding("boundary", Severity.ERROR, message, "omission", qa.target)
    if not anchored and _narration_follows(ctx, quote, qa, tgt_gap):
        return None
    src_gap = _source_gap(ctx, quote, anchored) + _ko_moved_clause(ctx, quote, anchored)
    allowed = ctx.alignment.ratio * src_gap
    if not anchored and not _verb_after(ctx, qa):
        # narration the translation moved before the opening mark (로스 감독은 … 인터뷰에서 "…",
        # for "…," Ross told Sportsound) is no longer to come after the closing mark, unless a
        # speech verb there says part of the attribution stayed (그는 "…" 브리핑에서 말했다)
        allowed = max(0.0, allowed - _moved_before(ctx, quote, qa))
    if tgt_gap <= GAP_LETTERS + 2 * allowed:
        return None
    message = f"{tgt_gap} letters stand between the closing mark and the attribution: part of it is outside"
    return Finding("boundary", Severity.ERROR, message, "omission", qa.target)


# What ends a run of words after a closing mark: punctuation, a bracket, a mark, a dash (not an
# apostrophe: п'ять is one word).
_RUN_END = re.compile(r"[,.;:!?()\[\]«»\"“”„‘…—–]|\s-\s|$", re.MULTILINE)
_RUN_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*")
RUN_WORDS = 2


def _run_after(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> int:
    """Return the words of a Ukrainian translation that run on from the closing mark up to the
    next punctuation, with no speech verb among them, where the source quotation ends in
    mid-sentence and punctuation follows its mark at once ("…at such a young age" (he was 14 …)
    -> «…через стільки» всього в такому молодому віці (…): the end of the quotation left outside
    its marks); 0 when fewer than ``RUN_WORDS`` or the source has words there too."""
    if ctx.lang != "uk":
        return 0
    last = quote.parts[-1]
    text = ctx.article.text
    if _ends_sentence(text, last):
        return 0
    after = last.end + 1 if last.end < len(text) and MARK.match(text, last.end) else last.end
    source_run = _RUN_END.search(text, after)
    if source_run is None or _RUN_WORD.search(text, after, source_run.start()):
        return 0
    end = qa.target_parts[-1].end
    start = end + 1 if end < len(ctx.text) and MARK.match(ctx.text, end) else end
    stop = _RUN_END.search(ctx.text, start)
    stop_at = stop.start() if stop is not None else len(ctx.text)
    words = _RUN_WORD.findall(ctx.text, start, stop_at)
    if len(words) < RUN_WORDS or find_speech_verbs(ctx.text, ctx.lang, Span(start, stop_at)):
        return 0
    return len(words)


def _inner_gap(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> int:
    """Return the most letters standing between the closing mark of a Ukrainian target part and
    the dash attribution after it, where a later part of the same quotation follows in the same
    paragraph («A» що раніше …, — розповідає пан Адамс. — B»: words of A pushed out of the
    marks), beyond twice what the source has before its attribution; 0 when no such part."""
    if ctx.lang != "uk" or len(qa.target_parts) < 2:
        return 0
    worst = 0
    for part, nxt in zip(qa.target_parts, qa.target_parts[1:], strict=False):
        start = part.end + 1
        if part.end >= len(ctx.text) or not MARK.match(ctx.text, part.end):
            continue
        dash = _attribution_dash(ctx, start, nxt.start)
        if dash is None:
            continue
        gap = ctx.text[start : dash.start()]
        if "\n" not in gap and not mark_starts_in(ctx, start, dash.start()):
            worst = max(worst, sum(c.isalnum() for c in gap))
    src_gap = _source_gap(ctx, quote, anchored=True) if worst else 0
    return worst if worst > GAP_LETTERS + 2 * ctx.alignment.ratio * src_gap else 0


def _verb_after(ctx: CheckContext, qa: QuoteAlignment) -> bool:
    """Return True when a speech verb stands after the closing mark in the quotation's sentence."""
    last = qa.target_parts[-1]
    sentence = sentence_at(ctx.sentences, last.start)
    end = sentence.end if sentence is not None else last.end
    return bool(find_speech_verbs(ctx.text, ctx.lang, Span(min(last.end + 1, end), end)))


def _moved_before(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> float:
    """Return how many more letters stand before the opening mark in the target quotation's
    sentence than the source's before its own (scaled by the document's ratio): narration that
    the translation moved in front of the quotation."""
    first, src_first = qa.target_parts[0], quote.parts[0]
    sentence, source = (
        sentence_at(ctx.sentences, first.start),
        sentence_at(ctx.source_sentences, src_first.start),
    )
    if sentence is None or source is None:
        return 0.0
    before = _letters_since_end(ctx.text, sentence.start, first.start - 1)
    src_before = _letters_since_end(ctx.article.text, source.start, src_first.start - 1)
    return max(0.0, before - ctx.alignment.ratio * src_before)


_SENTENCE_PUNCT = re.compile(r"[.!?…]")


def _letters_since_end(text: str, start: int, end: int) -> int:
    """Return the letters between ``start`` and ``end`` after the last sentence end there (a
    sentence glued to the one before, свідком.«…, is its own)."""
    last = start
    for match in _SENTENCE_PUNCT.finditer(text, start, max(start, end)):
        last = match.end()
    return sum(c.isalnum() for c in text[last : max(last, end)])


def _sentence_before_attribution(ctx: CheckContext, quote: Quote, qa: QuoteAlignment, found: Found) -> int:
    """Return the letters between the closing mark and the start of the sentence that holds the
    attribution found after the quotation, when the source attributes it in the same sentence
    (“…못했습니다.” 결국 그들은 희생자가 되었습니다. 대변인 수토포가 말했습니다.: a sentence of
    the quotation stands outside its marks); 0 when none stands there or this does not apply."""
    last, src_last = qa.target_parts[-1], quote.parts[-1]
    source_sentence = sentence_at(ctx.source_sentences, src_last.start)
    attributed = [
        a.span
        for a in (quote.speaker, quote.verb)
        if a is not None
        and a.span.start >= src_last.end
        and (source_sentence is None or a.span.start < source_sentence.end)
    ]
    anchors = [a for a in (found.speaker, found.verb) if a is not None and a.start > last.end]
    if not attributed or not anchors:
        return 0
    sentence = sentence_at(ctx.sentences, min(a.start for a in anchors))
    start = min(last.end + 1, len(ctx.text))
    if sentence is None or sentence.start <= start or mark_starts_in(ctx, start, sentence.start):
        return 0
    if _attribution_at_mark(ctx, start):
        return 0  # «…», – йдеться в заяві. …: an attribution of its own follows the mark
    return sum(c.isalnum() for c in ctx.text[start : sentence.start])


# A Ukrainian dash right after a closing mark: «…», – промовили Айворі; «…!» – прокричав він.
_DASH_AFTER_MARK = re.compile(r"[\s,.!?…]*[—–-]\s")


def _attribution_at_mark(ctx: CheckContext, start: int) -> bool:
    """Return True when the attribution starts right after the closing mark at ``start - 1``: a
    Ukrainian dash («…», – промовили Айворі) or a Korean quotative (…알고 있다"고 덧붙였다)."""
    if ctx.lang == "uk":
        return bool(_DASH_AFTER_MARK.match(ctx.text, start))
    return ctx.lang == "ko" and bool(_KO_AFTER_MARK.match(ctx.text, start))


def _attribution_dash(ctx: CheckContext, start: int, end: int) -> re.Match[str] | None:
    """Return the first Ukrainian dash in ``[start, end)`` that starts an attribution: a speech
    verb right after it, or author's words with a past-tense verb (``_author_starts``)."""
    for dash in _UK_DASH.finditer(ctx.text, start, end):
        if find_speech_verbs(
            ctx.text, ctx.lang, Span(dash.end(), min(end, dash.end() + 30))
        ) or _author_starts(ctx.text, dash.end(), end):
            return dash
    return None


_FINAL = (".", "!", "?", "…")


def _ends_sentence(text: str, part: Span) -> bool:
    """Return True when a quotation part ends on a sentence end (closing marks and spaces aside)."""
    return text[part.start : part.end].rstrip(" \"'”’»").endswith(_FINAL)


_DASH_AFTER_END = re.compile(r"\s*[—–-]\s")


def _narration_follows(ctx: CheckContext, quote: Quote, qa: QuoteAlignment, gap: int) -> bool:
    """Return True when a quotation ends a sentence in both languages and its source paragraph
    goes on with narration (“…cooking...” Madness.; “Lieutenant Valturi…” He said Cohren was
    slower): what follows its closing mark with no attribution is that narration, as in fiction,
    not part of the quotation left outside, when the source has as much after its mark."""
    last_part = quote.parts[-1]
    last = qa.target_parts[-1]
    after = ctx.text[last.end + 1 : last.end + 2]
    if not (
        _ends_sentence(ctx.article.text, last_part) and (_ends_sentence(ctx.text, last) or after in _FINAL)
    ):
        return False
    paragraph = next(
        (p.span for p in ctx.article.paragraphs if p.span.start <= last_part.start < p.span.end), None
    )
    end = paragraph.end if paragraph is not None else last_part.end
    narration = sum(c.isalnum() for c in ctx.article.text[last_part.end : end])
    return gap <= GAP_LETTERS + 2 * ctx.alignment.ratio * narration


def _target_gap(ctx: CheckContext, qa: QuoteAlignment) -> tuple[int, bool] | None:
    """Return the letters between the closing mark and the start of the attribution after it
    (True), or the sentence end when none follows (False); None when another quotation is in
    between or the sentence is not found."""
    last = qa.target_parts[-1]
    sentence = sentence_at(ctx.sentences, last.start)
    if sentence is None:
        return None
    start = min(last.end + 1, sentence.end)
    if _attribution_at_mark(ctx, start):
        return 0, True
    end: int | None = None
    if ctx.lang == "ko":
        anchor = _KO_QUOTATIVE.search(ctx.text, start, sentence.end)
        end = anchor.start() if anchor else None
    else:
        # a question or exclamation ends the sentence for the splitter, but the dash attribution
        # after it belongs to it: …мене приймуть? — запитав Рі.
        dash_after = _DASH_AFTER_END.match(ctx.text, sentence.end)
        following = sentence_at(ctx.sentences, dash_after.end()) if dash_after else None
        reach = following.end if following is not None else sentence.end
        dash = _attribution_dash(ctx, start, reach)
        end = dash.start() if dash is not None else None
    anchored = end is not None
    end = sentence.end if end is None else end
    if mark_starts_in(ctx, start, end):
        return None
    return sum(c.isalnum() for c in ctx.text[start:end]), anchored


def _ko_moved_clause(ctx: CheckContext, quote: Quote, anchored: bool) -> int:
    """Return the letters of the source narration after the attribution verb ("…," Nugroho said,
    adding that the tsunami had …) when the translation is Korean: verb-final, it puts that
    clause between the closing mark and the speaker (“…” … 덧붙이며 누그로호가 말했습니다)."""
    if ctx.lang != "ko" or not anchored or quote.verb is None or quote.verb.span.start < quote.span.end:
        return 0
    sentence = sentence_at(ctx.source_sentences, quote.verb.span.start)
    if sentence is None:
        return 0
    tail = ctx.article.text[quote.verb.span.end : sentence.end]
    return sum(c.isalnum() for c in tail) if re.match(r"\s*,", tail) else 0


def _source_gap(ctx: CheckContext, quote: Quote, anchored: bool) -> int:
    """Return the letters between the source quotation and its attribution after it (or, to
    compare with a translation that has none, the end of its sentence)."""
    last = quote.parts[-1]
    text = ctx.article.text
    attrs = [s for s in (quote.speaker, quote.verb) if s is not None]
    after = [a.span.start for a in attrs if a.span.start >= last.end]
    if anchored:
        return sum(c.isalnum() for c in text[last.end : min(after)]) if after else 0
    sentence = sentence_at(ctx.source_sentences, last.start)
    end = sentence.end if sentence is not None else last.end
    return sum(c.isalnum() for c in text[last.end : max(end, last.end)])
