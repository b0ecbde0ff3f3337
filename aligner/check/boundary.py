"""The presence and boundary checks of one quotation.

A source quotation with no target quotation is missing or turned into narration; a target
quotation is judged on its length against the document's ratio, its sentence count, an end in
mid-sentence, a lost question or paragraph, and (through ``check_edges``) its attribution's
place relative to its marks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.align.marks import MARK
from aligner.align.quotes import SPLIT_TERM_WORDS, QuoteAlignment
from aligner.article.records import Quote, QuoteKind
from aligner.check.context import (
    SENTENCE_END,
    CheckContext,
    Found,
    length,
    length_ratio,
    quote_ratio_at,
    sentence_count,
    soften,
    touching,
)
from aligner.check.edges import attribution_inside, part_outside
from aligner.check.records import (
    DROPPED_RATIO,
    LENGTH_HIGH_ERROR,
    LENGTH_HIGH_WARNING,
    LENGTH_LOW_WARNING,
    NARRATION_SHRUNK,
    NARRATION_SLACK_CHARS,
    PART_LOW_ERROR,
    Evidence,
    Finding,
    Severity,
    length_cuts,
)
from aligner.lang.lexicon import load as load_lexicon
from aligner.lang.lexicon import target_stems, translations, with_counterpart
from aligner.lang.morph import uk_parses
from aligner.lang.sentences import CONNECTIVE, FINAL, NOMINAL, PARTICLE, korean_ending
from aligner.spans import Span, hull
from aligner.textio import clip

# --- per-quotation checks -----------------------------------------------------------------------


def check_presence(ctx: CheckContext, quote: Quote, qa: QuoteAlignment) -> list[Finding]:
    """A source quotation with no target quotation: dropped, or turned into narration."""
    shown = clip(ctx.article.of(quote.span))
    if quote.kind is QuoteKind.TERM:
        return [
            Finding("presence", Severity.INFO, f"term “{shown}” is not in quotation marks", "typographical")
        ]
    severity = Severity.ERROR if quote.kind is QuoteKind.DIRECT else Severity.WARNING
    source = touching(ctx.source_sentences, quote.parts)
    expected = ctx.alignment.ratio * length(ctx.article.text, source)
    if not qa.region or length(ctx.text, qa.region) < DROPPED_RATIO * expected:
        return [
            Finding("presence", severity, f"quotation “{shown}” is missing from the translation", "omission")
        ]
    return [
        Finding(
            "presence",
            severity,
            f"quotation “{shown}” is no longer a direct quotation (no marks: narration or indirect speech)",
            "mistranslation",
            hull(qa.region),
        )
    ]


def check_boundary(
    ctx: CheckContext, quotes: Sequence[Quote], qa: QuoteAlignment, found: Found
) -> list[Finding]:
    """Check the quotation's boundaries: the attribution inside the marks, part of the quotation
    between the marks and the attribution, or the quotation cut (length, sentence count, an end
    in mid-sentence, its last paragraph gone)."""
    if quotes[0].kind is QuoteKind.DIRECT:  # a partial quotation is part of a narration sentence
        edge = attribution_inside(ctx, quotes[0], qa) or part_outside(ctx, quotes[0], qa, found)
        if edge is not None:
            return [edge]
    return [*_length_findings(ctx, quotes, qa), *_unclosed(ctx, qa)]


def _unclosed(ctx: CheckContext, qa: QuoteAlignment) -> list[Finding]:
    """A target quotation opened with a mark that the translation never closes (a dialogue line
    opened with a dash needs none)."""
    last = ctx.target_quotes[qa.target_quotes[-1]] if qa.target_quotes else None
    if last is None or last.closing or not last.opening or last.opening in "—–-":
        return []
    message = f"the quotation mark {last.opening} opened here is never closed"
    return [Finding("boundary", Severity.WARNING, message, "typographical", last.span)]


def _length_findings(ctx: CheckContext, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    findings = _length_checks(ctx, quotes, qa)
    if quotes[0].kind is not QuoteKind.DIRECT:  # a fragment's length says little: warn at most
        return [soften(f) for f in findings]
    return findings


@dataclass(frozen=True, slots=True)
class LengthEvidence:
    """What the length checks of one quotation measured: its length ratio (target over source,
    over the document's and the nearby quotations' ratio), the smallest ratio of its paragraphs,
    its narration's ratio, and each sign of a cut. ``bench/calibrate_length.py`` records these to
    set ``LengthCuts``."""

    ratio: float
    part: float
    narration: float
    fewer: bool  # fewer sentences than the source
    clause: bool  # fewer clause breaks (Ukrainian)
    question: bool  # the source ends on ? or !, the translation does not
    cut: bool  # ends where no sentence ends
    dangling: bool  # stops on a particle or connective although the source ends whole
    last_unrendered: str  # "sentence" or "clause": its last renders the source's next-to-last only
    dropped: bool  # a paragraph has no counterpart
    unquoted: bool  # a paragraph is translated outside the marks
    paragraphs: tuple[int, int]  # paragraphs of the source and the target quotation
    end_lost: bool
    # the source's last and next-to-last sentences (clauses) and the translation's last, when
    # ``last_unrendered``
    unrendered_spans: tuple[Span, Span, Span] | None = None


def length_evidence(ctx: CheckContext, quotes: Sequence[Quote], qa: QuoteAlignment) -> LengthEvidence:
    """Measure one aligned quotation for the length checks (see ``LengthEvidence``)."""
    src_parts = [p for q in quotes for p in q.parts]
    tgt_parts = qa.target_parts
    src_len, tgt_len = length(ctx.article.text, src_parts), length(ctx.text, tgt_parts)
    ratio = length_ratio(tgt_len, src_len, ctx.alignment.ratio) / quote_ratio_at(ctx, src_parts[0].start)
    src_narr = length(ctx.article.text, touching(ctx.source_sentences, src_parts)) - src_len
    tgt_narr = length(ctx.text, touching(ctx.sentences, tgt_parts)) - tgt_len
    narr_ratio = (tgt_narr + NARRATION_SLACK_CHARS) / (ctx.alignment.ratio * src_narr + NARRATION_SLACK_CHARS)
    direct = quotes[0].kind is QuoteKind.DIRECT
    mid_sentence = direct and _ends_mid_sentence(ctx, tgt_parts[-1])
    # a Ukrainian quotation rendered by several target quotations, one of which but the last
    # stops on a preposition or conjunction («… туди з» … «…»)
    inner_cut = direct and ctx.lang == "uk" and _inner_cut(ctx, qa)
    unrendered, unrendered_spans = _last_unrendered(ctx, src_parts, tgt_parts) if direct else ("", None)
    return LengthEvidence(
        ratio=ratio,
        part=_shortest_part(ctx, src_parts, tgt_parts),
        narration=narr_ratio,
        fewer=sentence_count(ctx.text, tgt_parts) < sentence_count(ctx.article.text, src_parts),
        clause=_clause_lost(ctx, src_parts, tgt_parts),
        question=direct and _lost_mark(ctx, src_parts[-1], tgt_parts[-1]),
        cut=direct and (mid_sentence or _unfinished(ctx, src_parts[-1], tgt_parts[-1])),
        dangling=(mid_sentence and _source_ends_whole(ctx, src_parts[-1])) or inner_cut,
        last_unrendered=unrendered,
        dropped=direct and _part_dropped(ctx, src_parts, tgt_parts),
        unquoted=direct and _part_unquoted(ctx, src_parts, tgt_parts),
        paragraphs=(_paragraphs(ctx.article.text, src_parts), _paragraphs(ctx.text, tgt_parts)),
        end_lost=direct and _end_lost(ctx, src_parts[-1], tgt_parts[-1]),
        unrendered_spans=unrendered_spans,
    )


# How many words the learned lexicon must know in each of the two last source sentences (and find
# in the translation's last, for the one before).
UNRENDERED_WORDS = 2


def _last_unrendered(
    ctx: CheckContext, src_parts: Sequence[Span], tgt_parts: Sequence[Span]
) -> tuple[str, tuple[Span, Span, Span] | None]:
    """Return ("sentence", spans) when the translation of a quotation has fewer sentences than the
    source and its last renders the source's next-to-last sentence and nothing of its last: at
    least ``UNRENDERED_WORDS`` words the learned lexicon knows in each, none of the last's and as
    many of the next-to-last's with a counterpart (the last sentence cut); ("clause", spans) for the
    same with clauses; ("", None) otherwise. The spans: the source's last and next-to-last units
    and the translation's last. Positive evidence on one side and none on the other: an idiom the
    lexicon cannot read leaves both without counterparts and says nothing."""
    lexicon = load_lexicon(ctx.lang)
    if lexicon is None or not tgt_parts:
        return "", None
    english, translation = ctx.article.text, ctx.text
    for name, unit in (("sentence", SENTENCE_END), ("clause", _CLAUSE_BREAK)):
        source, target = _units(english, src_parts, unit), _units(translation, tgt_parts, unit)
        if len(source) < 2 or len(target) >= len(source) or not target:
            continue
        last = translations(lexicon, " ".join(p.of(english) for p in source[-1]))
        if len(last) < UNRENDERED_WORDS:
            continue
        stems = target_stems(" ".join(p.of(translation) for p in target[-1]))
        if with_counterpart(last, stems):
            continue
        before = translations(lexicon, " ".join(p.of(english) for p in source[-2]))
        if with_counterpart(before, stems) >= UNRENDERED_WORDS:
            return name, (hull(source[-1]), hull(source[-2]), hull(target[-1]))
    return "", None


def _units(text: str, parts: Sequence[Span], end: re.Pattern[str]) -> list[list[Span]]:
    """Return the sentences (or clauses) of a quotation, each as its pieces in the quotation's
    parts: cut after each match of ``end`` in the parts read as one text (joined by a space, so a
    part that ends without one runs on into the next), those with a letter."""
    units: list[list[Span]] = []
    current: list[Span] = []
    for part in parts:
        start = part.start
        joined = part.of(text) + " "  # the space that joins it to the next part
        for m in end.finditer(joined):
            stop = min(part.start + m.end(), part.end)
            current.append(Span(start, stop))
            units.append(current)
            current, start = [], stop
        if start < part.end:
            current.append(Span(start, part.end))
    if current:
        units.append(current)
    return [u for u in units if any(c.isalpha() for p in u for c in p.of(text))]


def _inner_cut(ctx: CheckContext, qa: QuoteAlignment) -> bool:
    """Return True when one of the target quotations that render a quotation, but the last, stops
    on a preposition or conjunction (… туди з» … «…) with no quoted name or title between it and
    the next (… до «Фурами», у … : a quotation inside, its marks read as the end of this one)."""
    quotes = [ctx.target_quotes[t] for t in qa.target_quotes]
    for before, after in zip(quotes, quotes[1:], strict=False):
        gap = ctx.text[before.parts[-1].end + 1 : after.parts[0].start - 1]
        if _ends_mid_sentence(ctx, before.parts[-1]) and not _quoted_name_between(gap):
            return True
    return False


_NARRATION_PUNCTUATION = re.compile(r"[.!?…—–]|\s-\s")


def _quoted_name_between(gap: str) -> bool:
    """Return True when what stands between two target quotations is a quotation of its own (its
    marks there) or a short name whose marks, reversed, read as this one's (до »Фуроми«, у …)."""
    return bool(MARK.search(gap)) or (
        len(gap.split()) <= SPLIT_TERM_WORDS and not _NARRATION_PUNCTUATION.search(gap)
    )


_QUESTION_LOST = "the source ends on a question or an exclamation, the translation does not"


def _length_checks(ctx: CheckContext, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    ev = length_evidence(ctx, quotes, qa)
    where = qa.target
    if ev.dropped:
        message = "a paragraph of the quotation has no counterpart in the translation"
        return [Finding("boundary", Severity.ERROR, message, "omission", where)]
    if ev.unquoted:
        message = "a paragraph of the quotation is translated outside the quotation marks"
        return [Finding("boundary", Severity.ERROR, message, "mistranslation", where)]
    cuts = length_cuts(ctx.lang)
    ratio = ev.ratio
    # stopping on a particle or connective ending is a cut at any length when the source ends whole
    signs = {
        "question": ev.question and ratio < cuts.question,
        "cut": ev.cut and ratio < cuts.cut,
        "clause": ev.clause and ratio < cuts.clause,
        "fewer": ev.fewer and ratio < cuts.fewer,
    }
    if (
        ratio < cuts.alone
        or any(signs.values())
        or ev.part < PART_LOW_ERROR
        or ev.dangling
        or ev.last_unrendered
    ):
        ratio = min(ratio, ev.part)
        if ev.last_unrendered and not (ev.dangling or any(signs.values())):
            what = (
                f"its last {ev.last_unrendered} has no counterpart (the translation ends on the one before)"
            )
        elif signs["question"]:
            what = _QUESTION_LOST
        elif ev.dangling or signs["cut"]:
            what = "it ends in mid-sentence"
        else:
            what = "a clause of it is missing" if signs["clause"] else "part of it is missing"
        message = f"quotation is {ratio:.0%} of the expected length: {what}"
        evidence: tuple[Evidence, ...] = ()
        if ev.unrendered_spans is not None:
            last, before, rendered_by = ev.unrendered_spans
            evidence = (Evidence("unrendered", last, None), Evidence("rendered", before, rendered_by))
        return [Finding("boundary", Severity.ERROR, message, "omission", where, evidence)]
    if ev.paragraphs[1] < ev.paragraphs[0] and ev.end_lost:
        message = f"quotation is {ratio:.0%} of the expected length: "
        message += f"{ev.paragraphs[1]} of its {ev.paragraphs[0]} paragraphs are left"
        return [Finding("boundary", Severity.ERROR, message, "omission", where)]
    if ratio > LENGTH_HIGH_ERROR or (ratio > LENGTH_HIGH_WARNING and ev.narration < NARRATION_SHRUNK):
        message = f"quotation is {ratio:.0%} of the expected length: narration is inside the quotation marks"
        return [Finding("boundary", Severity.ERROR, message, "addition", where)]
    unusual = ratio < LENGTH_LOW_WARNING or ratio > LENGTH_HIGH_WARNING
    if unusual or ev.question or ev.cut:
        said = [f"quotation is {ratio:.0%} of the expected length"] if unusual or not ev.question else []
        said += [_QUESTION_LOST] if ev.question else []
        message = "; ".join(said)
        return [
            Finding("boundary", Severity.WARNING, message, "omission" if ratio < 1 else "addition", where)
        ]
    return []


# Korean particles and connective endings (는, 을, 에, 고, 면 …) and Ukrainian function words
# that no sentence ends on: a quotation ending on one was cut in mid-sentence. (Korean quotations
# may end on a noun, “…감독”이라고, so only these count.)
_KO_DANGLING = frozenset("는은을를이가에의로고서면며와과도만게든데")
_UK_DANGLING = frozenset(
    "і й та а але що щоб як в у на з із зі до для від про при за по чи бо не ні ж же то які який яка якщо "
    "коли той те того тієї тих цей ця цю ці цього цієї цих".split()
)
_TAIL_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
# English words no sentence ends on: a source quotation ending on one is itself a fragment.
_EN_DANGLING = frozenset(
    "a an the and or but of to in on at by for from with as that which who if than our my your their his "
    "her its this these those is are was were be".split()
)


# (a comma between digits groups thousands, 4,000: no clause break)
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:—–]|\s-\s|[.!?…]\s")
_TRAILING = " ,.;:!?…\"'”’»—–-"


def _clause_breaks(text: str, parts: Sequence[Span]) -> int:
    return len(_CLAUSE_BREAK.findall(" ".join(p.of(text) for p in parts).rstrip(_TRAILING)))


def _clause_lost(ctx: CheckContext, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> bool:
    """Return True when a Ukrainian quotation has fewer clause breaks than its source quotation."""
    return ctx.lang == "uk" and _clause_breaks(ctx.text, tgt_parts) < _clause_breaks(
        ctx.article.text, src_parts
    )


def _part_dropped(ctx: CheckContext, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> bool:
    """Return True when the translation renders a quotation over several paragraphs with fewer
    parts and the sentence aligner found nothing for one of the source paragraphs."""
    if len(src_parts) < 2 or len(tgt_parts) >= len(src_parts):
        return False
    pairs = ctx.alignment.sentences
    for part in src_parts:
        index = ctx.alignment.pair_of(part)
        if index is not None and not pairs[index].target:
            return True
    return False


def _part_unquoted(ctx: CheckContext, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> bool:
    """Return True when a quotation over several paragraphs has fewer parts in the translation and
    the sentences aligned with one of its paragraphs touch no quoted text of the translation and
    stand outside the quotation's own span (a line between its parts is inside it, whatever the
    pairing of nested marks made of it): that paragraph was translated as narration, its marks
    dropped."""
    if len(src_parts) < 2 or len(tgt_parts) >= len(src_parts):
        return False
    pairs = ctx.alignment.sentences
    quoted = [hull(list(tgt_parts)), *(p for q in ctx.alignment.target.quotes for p in q.parts)]
    for part in src_parts:
        index = ctx.alignment.pair_of(part)
        target = pairs[index].target if index is not None else ()
        if target and not any(s.overlaps(t) for s in target for t in quoted):
            return True
    return False


def _shortest_part(ctx: CheckContext, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> float:
    """Return the smallest length ratio of a quotation's paragraphs, paired in order when source
    and translation have as many (1.0 otherwise): a paragraph cut short inside a long quotation."""
    if len(src_parts) < 2 or len(src_parts) != len(tgt_parts):
        return 1.0
    return min(
        length_ratio(length(ctx.text, [t]), length(ctx.article.text, [s]), ctx.alignment.ratio)
        / quote_ratio_at(ctx, src_parts[0].start)
        for s, t in zip(src_parts, tgt_parts, strict=True)
    )


def _lost_mark(ctx: CheckContext, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends on ? or ! and the translation does not: its last
    question or exclamation was cut or made a statement. (A Korean question ending without the
    mark counts as lost too: 요, 지, 가 end statements as often as questions.)"""
    end = ctx.article.of(source).rstrip(" ,\"'”’")[-1:]
    return end in ("?", "!") and end not in target.of(ctx.text)[-4:]


def _paragraphs(text: str, parts: Sequence[Span]) -> int:
    """Return how many paragraphs a quotation's parts stand in."""
    return 1 + sum("\n" in text[a.end : b.start] for a, b in zip(parts, parts[1:], strict=False))


def _end_lost(ctx: CheckContext, source: Span, target: Span) -> bool:
    """Return True when the sentences aligned with the source quotation's last paragraph are not
    in the translation's last one (its end was dropped, not merged into the paragraph before)."""
    index = ctx.alignment.pair_of(source)
    return index is not None and not any(s.overlaps(target) for s in ctx.alignment.sentences[index].target)


# A copula and quotative after a closing mark, which make a noun a sentence: ”이라고, ”라며, ”이란.
_KO_COPULA_QUOTATIVE = re.compile(r"\s*(?:이)?(?:라(?:고|며|면서|는)|란)(?![가-힣])")
# Last syllables of Korean sentences: declarative, polite, question, suggestion, informal and
# nominal endings (했다, 합니다, 할까, 하죠, 하자, 해, 했음 …).
_KO_FINAL = frozenset("다요까죠자해돼라가예네지야어아군나니냐오게세래걸데소음함임봐줘워와여")


def _unfinished(ctx: CheckContext, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends a sentence (. ? ! or the comma before its
    attribution) and the Korean one ends on a syllable no sentence ends on (an adnominal 다른,
    a noun-modifying 위험한 …)."""
    if ctx.lang != "ko" or ctx.article.of(source).rstrip(" \"'”’")[-1:] not in (".", "?", "!", "…", ","):
        return False
    match = _TAIL_WORD.search(ctx.text, target.start, target.end)
    if match is None or ctx.text[match.end(1) : match.end(1) + 1] in ("!", "?"):
        return False
    last = match.group(1)[-1]
    if not ("\uac00" <= last <= "\ud7a3") or last in _KO_FINAL:
        return False
    # the syllable test suspects a cut: Kiwi tells a final ending (했음, 일이다) and a noun that a
    # copula quotative closes after the mark (…될 것”이라고, …있다는 점”이라고) from a cut
    ending = korean_ending(ctx.text[max(target.start, target.end - 30) : target.end])
    if ending == FINAL:
        return False
    return not (
        ending == NOMINAL and _KO_COPULA_QUOTATIVE.match(ctx.text, min(target.end + 1, len(ctx.text)))
    )


def _source_ends_whole(ctx: CheckContext, source: Span) -> bool:
    """Return True when the source quotation ends whole: on a sentence end, a comma before its
    attribution, or a word that can end a sentence (not "…", a dash, or "the", "of" …). A
    translation of it that stops on a particle or connective ending (“…사실이라면”, “…우리는.”,
    «…прийти туди з») was cut."""
    tail = ctx.article.of(source).rstrip(" \"'”’")
    word = _TAIL_WORD.search(tail)
    return not (
        tail[-1:] in ("…", ":", ";", "-", "—", "–") or word is None or word.group(1).lower() in _EN_DANGLING
    )


def _ends_mid_sentence(ctx: CheckContext, part: Span) -> bool:
    """Return True when a target quotation part stops where no sentence can end."""
    if part.of(ctx.text).rstrip()[-1:] in (":", ";"):
        return True  # a colon announces what was cut
    match = _TAIL_WORD.search(ctx.text, part.start, part.end)
    if match is None or ctx.text[match.end(1) : match.end(1) + 1] in ("!", "?"):
        return False  # 광고! ends a sentence whatever its last syllable
    word = match.group(1)
    if ctx.lang == "ko":  # Kiwi confirms the syllable test: 아이 and 최고 are nouns, not 이 and 고
        tail = ctx.text[max(part.start, match.end(1) - 30) : match.end(1)]
        return word[-1] in _KO_DANGLING and korean_ending(tail) in (PARTICLE, CONNECTIVE)
    return word.lower() in _UK_DANGLING or _uk_adjective_without_noun(word.lower())


def _uk_adjective_without_noun(word: str) -> bool:
    """Return True for a Ukrainian word that pymorphy3 reads only as an adjective in an oblique
    case, the genitive, dative or locative among them (тренувального, українського): its noun
    was cut. (An adjective in the nominative or instrumental may be a predicate, був щасливим;
    a word that may be a noun or a pronoun, нового, всіх, ends a sentence; an accusative-only
    reading is too often a verb the dictionary lacks: вхожу.)"""
    tags = uk_parses(word)
    predicative = ("nomn", "ablt", "voct")
    return (
        bool(tags)
        and all(t.startswith("ADJF") and not any(case in t for case in predicative) for t in tags)
        and any(case in t for t in tags for case in ("gent", "datv", "loct"))
    )
