"""Check that every quotation and attribution of an English article survived its translation.

Pure: a parsed ``Article`` and the translation's text in, a frozen ``CheckReport`` out. The
alignment (``align.py``) says where each quotation went; the checks here say whether it is
still a direct quotation, with the same boundaries, speaker, speech verb, numbers and names,
whether the translation invents quotations, and whether each indirect attribution kept its
source and numbers. Every threshold is a named constant and goes into the report signature.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from aligner import __version__
from aligner.align import Alignment, QuoteAlignment, TargetQuote, align
from aligner.article import Article, Attribution, Quote, QuoteKind
from aligner.errors import DependencyMissingError
from aligner.names import Glossary, find_name, find_pronouns, find_role_nouns
from aligner.numbers import NumberMention, compare_numbers, find_numbers
from aligner.spans import Span, hull
from aligner.verbs import compatible, find_speech_verbs

# --- thresholds (calibrated on ntrex-dev ko/uk by bench/eval_check_ntrex.py) ----------------

# A target quotation's length over the source quotation's, divided by the document's length
# ratio: below the first it is cut short (error), below the second doubtful (warning); above
# the last two narration was probably pulled inside the marks. Short quotations get slack (in
# source characters). Calibrated on ntrex-dev: about 2% of faithful quotations fall below 0.7.
LENGTH_LOW_ERROR = 0.7
LENGTH_LOW_WARNING = 0.8
LENGTH_HIGH_WARNING = 1.9
LENGTH_HIGH_ERROR = 2.6
LENGTH_SLACK_CHARS = 8
# Translators render quotations longer or shorter than the rest: each length is judged against
# the median of the document's quotations, within this range.
QUOTE_RATIO_RANGE = (1.0, 1.3)
# The narration of the quotation's sentences, measured the same way: shrunk when narration
# moved inside the marks.
NARRATION_SLACK_CHARS = 10
NARRATION_SHRUNK = 0.5
# Aligned target sentences shorter than this share of the expected length: the quotation was
# dropped, not turned into narration.
DROPPED_RATIO = 0.5
# A quoted span of the translation with at most this many words and no speech verb next to it
# is a term or title (Ukrainian quotes team names), not invented speech.
TERM_MAX_WORDS = 4
# A paragraph of a quotation over several, shorter than this share of its source paragraph.
PART_LOW_ERROR = 0.5
# A quotation whose sentence count fell, or that ends in mid-sentence, is cut when it is also
# shorter than this share of the expected length.
CUT_RATIO = 0.85
# How far (characters) from a quotation's edge an attribution inside the marks is looked for,
# and how many letters may follow its verb there ("— сказав він журналістам у п'ятницю").
EDGE_CHARS = 40
ATTRIBUTION_TAIL_LETTERS = 30
# … and how far a Ukrainian dash attribution or a colon frame may reach into the quotation.
FRAME_CHARS = 150
# Letters that may stand between a closing mark and the attribution (or the sentence end)
# beyond twice the source's; on faithful ntrex-dev quotations the excess is 0 but for 1%.
GAP_LETTERS = 3
# Words of a stray target quotation from which, with a speech verb, it is invented speech.
INVENTED_MIN_WORDS = 5
# How far (in characters) a speech verb may stand from a quotation to attribute it, and from
# a Ukrainian name to make it the subject ("— заявив під час інтерв'ю виданню The Hill, Ротенберг").
VERB_DISTANCE = 40
SUBJECT_DISTANCE = 90
# Letters that may stand between a sentence end inside a Korean quotation and a speech verb that
# closes it for that to be an attribution sentence inside the marks (“…습니다. 그녀는 말했습니다”).
KO_SUBJECT_LETTERS = 12
# A quotation (or an attributed sentence) of at least this many source words rendered without a
# letter of the target script (Hangul, Cyrillic) was left untranslated. Shorter ones, and titles
# whose every content word is capitalised, may stay in Latin script ("MAGA", "Top Gun").
UNTRANSLATED_MIN_WORDS = 3
CHECKS = (
    "presence",
    "boundary",
    "speaker",
    "verb",
    "numbers",
    "names",
    "extra",
    "attribution",
    "untranslated",
)


class Severity(StrEnum):
    """How bad a finding is; ``--fail-on`` compares against it."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Status(StrEnum):
    """The verdict on one quotation or attribution."""

    OK = "ok"
    ALTERED = "altered"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which check, how bad, what to tell the translator, its ITS 2.0 LQI type
    (omission, addition, mistranslation, numbers, inconsistent-entities, typographical …), and
    where in the translation it is (None when the thing is absent)."""

    check: str
    severity: Severity
    message: str
    lqi_type: str
    target_span: Span | None = None


@dataclass(frozen=True, slots=True)
class QuoteResult:
    """The verdict on one source quotation."""

    id: str
    kind: QuoteKind
    source_span: Span
    source_parts: tuple[Span, ...]
    target_span: Span | None
    target_parts: tuple[Span, ...]
    speaker: Span | None  # in the source
    target_speaker: Span | None  # in the translation
    verb: Span | None
    target_verb: Span | None
    status: Status
    score: float
    confidence: float
    method: str
    findings: tuple[Finding, ...]
    chrf: float | None = None


@dataclass(frozen=True, slots=True)
class ExtraQuote:
    """A quotation of the translation that renders no source quotation."""

    target_span: Span
    target_parts: tuple[Span, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class AttributionResult:
    """The verdict on one indirect attribution ("according to X", "X reported that …")."""

    id: str
    kind: str
    source_span: Span  # the source entity
    sentence_span: Span
    target_span: Span | None  # the entity in the translation
    target_sentences: tuple[Span, ...]
    status: Status
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over the report and an overall score (the mean of quotation and attribution scores)."""

    quotes: int
    ok: int
    altered: int
    missing: int
    extra_quotes: int
    attributions: int
    attributions_ok: int
    errors: int
    warnings: int
    infos: int
    score: float


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything ``aligner check`` reports, with what renderers need for side-by-side views:
    the source article, the segmented translation and the sentence alignment."""

    article: Article
    lang: str
    alignment: Alignment
    quotes: tuple[QuoteResult, ...]
    extra_quotes: tuple[ExtraQuote, ...]
    attributions: tuple[AttributionResult, ...]
    summary: Summary
    signature: str

    @property
    def target_text(self) -> str:
        """Return the translation's text."""
        return self.alignment.target.text

    def findings(self) -> tuple[Finding, ...]:
        """Return every finding of the report."""
        return (
            *(f for q in self.quotes for f in q.findings),
            *(f for e in self.extra_quotes for f in e.findings),
            *(f for a in self.attributions for f in a.findings),
        )


def worst_severity(report: CheckReport) -> Severity | None:
    """Return the most severe finding's severity, or None when there is no finding."""
    found = report.findings()
    return max((f.severity for f in found), key=_RANK.__getitem__) if found else None


def exit_status(report: CheckReport, fail_on: str = "error") -> int:
    """Return the exit status for ``--fail-on``: 1 when a finding is at or above it, else 0.

    Args:
        report: The check report.
        fail_on: ``"error"``, ``"warning"`` or ``"never"``.

    Raises:
        ValueError: For any other ``fail_on``.
    """
    if fail_on == "never":
        return 0
    if fail_on not in ("error", "warning"):
        raise ValueError(f"fail_on must be error, warning or never, not {fail_on!r}")
    worst = worst_severity(report)
    return int(worst is not None and _RANK[worst] >= _RANK[Severity(fail_on)])


def signature(chrf_signature: str | None = None) -> str:
    """Return the signature of the checks: version, checks, thresholds, and chrF's when used."""
    fields = [
        f"checks:{','.join(CHECKS)}",
        f"len:{LENGTH_LOW_ERROR}/{LENGTH_LOW_WARNING}/{LENGTH_HIGH_WARNING}/{LENGTH_HIGH_ERROR}+{LENGTH_SLACK_CHARS}",
        f"qratio:{QUOTE_RATIO_RANGE[0]}-{QUOTE_RATIO_RANGE[1]}",
        f"narr:{NARRATION_SHRUNK}+{NARRATION_SLACK_CHARS}",
        f"dropped:{DROPPED_RATIO}",
        f"cut:{CUT_RATIO}",
        f"part:{PART_LOW_ERROR}",
        f"edge:{EDGE_CHARS}/{ATTRIBUTION_TAIL_LETTERS}/{FRAME_CHARS}/{KO_SUBJECT_LETTERS}",
        f"gap:{GAP_LETTERS}",
        f"term:{TERM_MAX_WORDS}",
        f"invented:{INVENTED_MIN_WORDS}",
        f"untranslated:{UNTRANSLATED_MIN_WORDS}",
    ]
    if chrf_signature:  # sacrebleu's own signature, kept whole but with its separators nested
        fields.append(f"chrf:sacrebleu({chrf_signature.replace('|', ',')})")
    return "|".join([*fields, f"version:{__version__}"])


# --- where to look in the translation ---------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'“”«»’)]|$)")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class _Context:
    """What every check of one report reads."""

    article: Article
    alignment: Alignment
    lang: str
    text: str
    glossary: Glossary | None
    marks: tuple[Span, ...]  # every target quotation part with its marks
    sentences: tuple[Span, ...]
    source_sentences: tuple[Span, ...]
    quote_ratio: float
    # find_name answers by (name, region): the checks ask the same question several times
    names: dict[tuple[str, Span], Span | None] = field(default_factory=dict)


def _context(article: Article, alignment: Alignment, glossary: Glossary | None) -> _Context:
    text = alignment.target.text
    marks = tuple(
        Span(max(0, p.start - 1), min(len(text), p.end + 1)) for q in alignment.target.quotes for p in q.parts
    )
    return _Context(
        article=article,
        alignment=alignment,
        lang=alignment.target.lang,
        text=text,
        glossary=glossary,
        marks=marks,
        sentences=alignment.target.sentences,
        source_sentences=tuple(s for p in article.paragraphs for s in p.sentences),
        quote_ratio=_quote_ratio(article, alignment),
    )


def _ratio(target: int, source: int, doc_ratio: float) -> float:
    """Return a target length over the expected one, both with ``LENGTH_SLACK_CHARS`` of source
    text added (so a short quotation is not judged on a word)."""
    return (target / doc_ratio + LENGTH_SLACK_CHARS) / (source + LENGTH_SLACK_CHARS)


def _quote_ratio(article: Article, alignment: Alignment) -> float:
    """Return how much longer this translator renders quotations than the document's length ratio
    says: the median over the direct quotations aligned one to one (1 with fewer than three),
    kept within ``QUOTE_RATIO_RANGE``."""
    ratios = sorted(
        _ratio(
            _length(alignment.target.text, qa.target_parts), _length(article.text, q.parts), alignment.ratio
        )
        for q, qa in zip(article.quotes, alignment.quotes, strict=True)
        if q.kind is QuoteKind.DIRECT and qa.method == "marks"
    )
    if len(ratios) < 3:
        return 1.0
    low, high = QUOTE_RATIO_RANGE
    return min(high, max(low, ratios[len(ratios) // 2]))


def _touching(sentences: Sequence[Span], spans: Sequence[Span]) -> list[Span]:
    """Return the sentences that overlap any of ``spans``, in order."""
    return [s for s in sentences if any(s.overlaps(p) or (p.start == p.end == s.start) for p in spans)]


def _subtract(span: Span, holes: Sequence[Span]) -> list[Span]:
    """Return the pieces of ``span`` outside every hole."""
    pieces, cursor = [], span.start
    for hole in sorted(h for h in holes if h.overlaps(span)):
        if hole.start > cursor:
            pieces.append(Span(cursor, hole.start))
        cursor = max(cursor, hole.end)
    if cursor < span.end:
        pieces.append(Span(cursor, span.end))
    return pieces


def _narration(ctx: _Context, sentences: Sequence[Span], inserts: Sequence[Span] = ()) -> list[Span]:
    """Return the text of ``sentences`` outside every quotation, plus the dash inserts."""
    pieces = [piece for s in sentences for piece in _subtract(s, ctx.marks)]
    return sorted([*pieces, *inserts])


def _window(ctx: _Context, quote: Quote, parts: Sequence[Span], inserts: Sequence[Span]) -> list[Span]:
    """Return the narration where a quotation's attribution should be: its own sentences, the
    sentences aligned with the source speaker's sentence, and, when the quotation stands alone in
    its sentences, the sentences before and after it."""
    sentences = _touching(ctx.sentences, parts)
    if quote.speaker is not None:
        pair = ctx.alignment.pair_of(quote.speaker.span)
        if pair is not None:
            sentences += list(ctx.alignment.sentences[pair].target)
    narration = [
        p for p in _narration(ctx, sorted(set(sentences)), inserts) if _WORDS.search(ctx.text, p.start, p.end)
    ]
    if narration or not sentences:
        return narration
    first, last = min(sentences), max(sentences)
    index = ctx.sentences.index(first)
    around = [
        ctx.sentences[k] for k in (index - 1, ctx.sentences.index(last) + 1) if 0 <= k < len(ctx.sentences)
    ]
    return _narration(ctx, around)


def _length(text: str, spans: Sequence[Span]) -> int:
    return sum(len(s) - text.count(" ", s.start, s.end) for s in spans)


def _sentence_count(text: str, spans: Sequence[Span]) -> int:
    return sum(len(_SENTENCE_END.findall(s.of(text).rstrip(",;:—–- ") + ".")) for s in spans)


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --- per-quotation checks -----------------------------------------------------------------------


def _presence(ctx: _Context, quote: Quote, qa: QuoteAlignment) -> list[Finding]:
    """A source quotation with no target quotation: dropped, or turned into narration."""
    shown = _clip(ctx.article.of(quote.span))
    if quote.kind is QuoteKind.TERM:
        return [
            Finding("presence", Severity.INFO, f"term “{shown}” is not in quotation marks", "typographical")
        ]
    severity = Severity.ERROR if quote.kind is QuoteKind.DIRECT else Severity.WARNING
    source = _touching(ctx.source_sentences, quote.parts)
    expected = ctx.alignment.ratio * _length(ctx.article.text, source)
    if not qa.region or _length(ctx.text, qa.region) < DROPPED_RATIO * expected:
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


@dataclass(frozen=True, slots=True)
class _Found:
    """Where the translation attributes a quotation: the speaker and verb mentions, if found."""

    speaker: Span | None
    verb: Span | None


def _boundary(ctx: _Context, quotes: Sequence[Quote], qa: QuoteAlignment, found: _Found) -> list[Finding]:
    """Check the quotation's boundaries: the attribution inside the marks, part of the quotation
    between the marks and the attribution, or the quotation cut (length, sentence count, an end
    in mid-sentence, its last paragraph gone)."""
    if quotes[0].kind is QuoteKind.DIRECT:  # a partial quotation is part of a narration sentence
        edge = _attribution_inside(ctx, quotes[0], qa) or _outside(ctx, quotes[0], qa, found)
        if edge is not None:
            return [edge]
    return _length_findings(ctx, quotes, qa)


def _length_findings(ctx: _Context, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    findings = _length_checks(ctx, quotes, qa)
    if quotes[0].kind is not QuoteKind.DIRECT:  # a fragment's length says little: warn at most
        return [_soften(f) for f in findings]
    return findings


def _length_checks(ctx: _Context, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    src_parts = [p for q in quotes for p in q.parts]
    src_len, tgt_len = _length(ctx.article.text, src_parts), _length(ctx.text, qa.target_parts)
    ratio = _ratio(tgt_len, src_len, ctx.alignment.ratio) / ctx.quote_ratio
    src_narr = _length(ctx.article.text, _touching(ctx.source_sentences, src_parts)) - src_len
    tgt_narr = _length(ctx.text, _touching(ctx.sentences, qa.target_parts)) - tgt_len
    narr_ratio = (tgt_narr + NARRATION_SLACK_CHARS) / (ctx.alignment.ratio * src_narr + NARRATION_SLACK_CHARS)
    fewer = _sentence_count(ctx.text, qa.target_parts) < _sentence_count(ctx.article.text, src_parts)
    cut = quotes[0].kind is QuoteKind.DIRECT and (
        _ends_mid_sentence(ctx, qa.target_parts[-1])
        or _lost_mark(ctx, src_parts[-1], qa.target_parts[-1])
        or _unfinished(ctx, src_parts[-1], qa.target_parts[-1])
    )
    where = qa.target
    part = _shortest_part(ctx, src_parts, qa.target_parts)
    if quotes[0].kind is QuoteKind.DIRECT and _part_dropped(ctx, src_parts, qa.target_parts):
        message = "a paragraph of the quotation has no counterpart in the translation"
        return [Finding("boundary", Severity.ERROR, message, "omission", where)]
    dangling = quotes[0].kind is QuoteKind.DIRECT and (
        _dangling(ctx, src_parts[-1], qa.target_parts[-1])
        or _question_lost(ctx, src_parts[-1], qa.target_parts[-1])
    )
    if (
        ratio < LENGTH_LOW_ERROR
        or ((fewer or cut) and ratio < CUT_RATIO)
        or part < PART_LOW_ERROR
        or dangling
    ):
        ratio = min(ratio, part)
        what = "it ends in mid-sentence" if cut else "part of it is missing"
        message = f"quotation is {ratio:.0%} of the expected length: {what}"
        return [Finding("boundary", Severity.ERROR, message, "omission", where)]
    paragraphs = (_paragraphs(ctx.article.text, src_parts), _paragraphs(ctx.text, qa.target_parts))
    if (
        quotes[0].kind is QuoteKind.DIRECT
        and paragraphs[1] < paragraphs[0]
        and _end_lost(ctx, src_parts[-1], qa.target_parts[-1])
    ):
        message = f"quotation is {ratio:.0%} of the expected length: "
        message += f"{paragraphs[1]} of its {paragraphs[0]} paragraphs are left"
        return [Finding("boundary", Severity.ERROR, message, "omission", where)]
    if ratio > LENGTH_HIGH_ERROR or (ratio > LENGTH_HIGH_WARNING and narr_ratio < NARRATION_SHRUNK):
        message = f"quotation is {ratio:.0%} of the expected length: narration is inside the quotation marks"
        return [Finding("boundary", Severity.ERROR, message, "addition", where)]
    if ratio < LENGTH_LOW_WARNING or ratio > LENGTH_HIGH_WARNING:
        message = f"quotation is {ratio:.0%} of the expected length"
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
# What follows a speech verb that leads into a quotation inside the source quotation itself.
_EN_LEAD_IN = re.compile(r"[^.!?]{0,30}?(?:,|:|;|--|—|–)")


def _part_dropped(ctx: _Context, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> bool:
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


def _shortest_part(ctx: _Context, src_parts: Sequence[Span], tgt_parts: Sequence[Span]) -> float:
    """Return the smallest length ratio of a quotation's paragraphs, paired in order when source
    and translation have as many (1.0 otherwise): a paragraph cut short inside a long quotation."""
    if len(src_parts) < 2 or len(src_parts) != len(tgt_parts):
        return 1.0
    return min(
        _ratio(_length(ctx.text, [t]), _length(ctx.article.text, [s]), ctx.alignment.ratio) / ctx.quote_ratio
        for s, t in zip(src_parts, tgt_parts, strict=True)
    )


def _lost_mark(ctx: _Context, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends on ? or ! and the translation does not."""
    end = ctx.article.of(source).rstrip(" ,\"'”’")[-1:]
    return end in ("?", "!") and end not in target.of(ctx.text)[-4:]


_KO_QUESTION_END = re.compile(r"(?:까|니|냐|나|가|죠|지|요)[^\w]*$")


def _question_lost(ctx: _Context, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends on a question and the translation's ends on no
    question mark (nor, in Korean, on a question ending): its last question was cut or made a
    statement."""
    if ctx.article.of(source).rstrip(" ,\"'”’")[-1:] != "?" or "?" in target.of(ctx.text)[-4:]:
        return False
    return not (ctx.lang == "ko" and _KO_QUESTION_END.search(ctx.text, target.start, target.end))


def _paragraphs(text: str, parts: Sequence[Span]) -> int:
    """Return how many paragraphs a quotation's parts stand in."""
    return 1 + sum("\n" in text[a.end : b.start] for a, b in zip(parts, parts[1:], strict=False))


def _end_lost(ctx: _Context, source: Span, target: Span) -> bool:
    """Return True when the sentences aligned with the source quotation's last paragraph are not
    in the translation's last one (its end was dropped, not merged into the paragraph before)."""
    index = ctx.alignment.pair_of(source)
    return index is not None and not any(s.overlaps(target) for s in ctx.alignment.sentences[index].target)


# Last syllables of Korean sentences: declarative, polite, question, suggestion, informal and
# nominal endings (했다, 합니다, 할까, 하죠, 하자, 해, 했음 …).
_KO_FINAL = frozenset("다요까죠자해돼라가예네지야어아군나니냐오게세래걸데소음함임봐줘워와여")


def _unfinished(ctx: _Context, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends a sentence (. ? ! or the comma before its
    attribution) and the Korean one ends on a syllable no sentence ends on (an adnominal 다른,
    a noun-modifying 위험한 …)."""
    if ctx.lang != "ko" or ctx.article.of(source).rstrip(" \"'”’")[-1:] not in (".", "?", "!", "…", ","):
        return False
    match = _TAIL_WORD.search(ctx.text, target.start, target.end)
    if match is None or ctx.text[match.end(1) : match.end(1) + 1] in ("!", "?"):
        return False
    last = match.group(1)[-1]
    return "\uac00" <= last <= "\ud7a3" and last not in _KO_FINAL


def _dangling(ctx: _Context, source: Span, target: Span) -> bool:
    """Return True when the source quotation ends whole (on a sentence end, a comma before its
    attribution, or a word that can end one) and the translation's stops on a particle or
    connective ending (“…사실이라면”, “…우리는.”, «…прийти туди з»), whatever its length."""
    tail = ctx.article.of(source).rstrip(" \"'”’")
    word = _TAIL_WORD.search(tail)
    if tail[-1:] in ("…", ":", ";", "-", "—", "–") or word is None or word.group(1).lower() in _EN_DANGLING:
        return False
    return _ends_mid_sentence(ctx, target)


def _ends_mid_sentence(ctx: _Context, part: Span) -> bool:
    """Return True when a target quotation part stops where no sentence can end."""
    if part.of(ctx.text).rstrip()[-1:] in (":", ";"):
        return True  # a colon announces what was cut
    match = _TAIL_WORD.search(ctx.text, part.start, part.end)
    if match is None or ctx.text[match.end(1) : match.end(1) + 1] in ("!", "?"):
        return False  # 광고! ends a sentence whatever its last syllable
    word = match.group(1)
    if ctx.lang == "ko":
        return word[-1] in _KO_DANGLING
    return word.lower() in _UK_DANGLING


def _attribution_inside(ctx: _Context, quote: Quote, qa: QuoteAlignment) -> Finding | None:
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
        verbs = find_speech_verbs(ctx.text, ctx.lang, edge)
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


def _ko_closing_verb(ctx: _Context, quote: Quote, qa: QuoteAlignment) -> Span | None:
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
    if len(verbs) <= sum(len(find_speech_verbs(ctx.article.text, "en", p)) for p in quote.parts):
        return None
    if _KO_AFTER_MARK.match(ctx.text, min(last.end + 1, len(ctx.text))):
        return None  # “…했다”고 말했다: the quotation itself reports speech
    sentence = max(
        (m.end() for m in _SENTENCE_END.finditer(ctx.text, last.start, verbs[-1].start)), default=last.start
    )
    return Span(max(sentence, verbs[-1].start - FRAME_CHARS), last.end)


def _colon_frame(ctx: _Context, quote: Quote, first: Span) -> Span | None:
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


def _dash_frame(ctx: _Context, quote: Quote, last: Span) -> Span | None:
    """Return the Ukrainian attribution after a dash inside the quotation's end («…, — заявив
    Роберто Кальсаділья, болівійський дипломат»): a dash, a speech verb, and little after it or
    the speaker's name right after it (then a title of any length may follow)."""
    if ctx.lang != "uk":
        return None
    for dash in _DASH_BEFORE.finditer(ctx.text, max(last.start, last.end - 2 * FRAME_CHARS), last.end):
        verbs = find_speech_verbs(ctx.text, ctx.lang, Span(dash.end(), min(last.end, dash.end() + 25)))
        if not verbs:
            continue
        verb = verbs[0].span
        short = sum(c.isalnum() for c in ctx.text[verb.end : last.end]) <= FRAME_CHARS // 2
        named = _names_speaker(ctx, quote, Span(dash.end(), min(last.end, verb.end + EDGE_CHARS)))
        if short or (named and not _DASH_END.search(ctx.text, last.start, last.end)):
            return Span(dash.start(), last.end)
    return None


def _inside(ctx: _Context, edge: Span) -> Finding:
    message = f"the attribution ({edge.of(ctx.text).strip()!r}) is inside the quotation marks"
    return Finding("boundary", Severity.ERROR, message, "addition", edge)


def _closed_quotative(ctx: _Context, edge: Span) -> bool:
    """Return True for a Korean quotative glued to a sentence end inside the marks near their end
    (“…입니다.라고 말했습니다”, “…걸까?라는 내용이 담겨있다”): only a closing mark stands there."""
    if ctx.lang != "ko":
        return False
    match = _KO_CLOSED_QUOTATIVE.search(ctx.text, edge.start, edge.end)
    return (
        match is not None
        and sum(c.isalnum() for c in ctx.text[match.end() : edge.end]) <= ATTRIBUTION_TAIL_LETTERS
    )


def _ko_bare_frame(ctx: _Context, quote: Quote, edge: Span, verb: Span) -> bool:
    """Return True for “…안전하다고 말했다” ending a quotation whose source has no speech verb at
    all: the Korean attribution verb went inside the marks."""
    if any(find_speech_verbs(ctx.article.text, "en", p) for p in quote.parts):
        return False
    quotatives = list(_KO_QUOTATIVE.finditer(ctx.text, edge.start, verb.start))
    final = sum(c.isalnum() for c in ctx.text[verb.end : edge.end]) <= 2  # the verb ends the quotation
    return bool(quotatives) and quotatives[-1].end() >= verb.start - 12 and final


def _ko_verb_ends(ctx: _Context, verb: Span, edge: Span) -> bool:
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
# A part ending on a dash: the attribution stands between two parts («…, — сказав він, — …»).
_DASH_END = re.compile(r"[—–-]\s*$")
_AFTER_VERB = re.compile(r"\S*\s*:")


def _frames(ctx: _Context, edge: Span, verb: Span, opening: bool) -> bool:
    """Return True when a speech verb at an edge is framed as an attribution."""
    if opening:
        return bool(_AFTER_VERB.match(ctx.text, verb.end)) and verb.end - edge.start <= EDGE_CHARS
    before = Span(edge.start, verb.start)
    if ctx.lang == "ko":  # “…말했다고 그는 말했다”, “…입니다.라고 말했다”: a quotative, (a subject,) the verb
        if _KO_CLOSED_QUOTATIVE.search(ctx.text, before.start, before.end) and _tail_only(ctx, verb, edge):
            return True
        quotatives = list(_KO_QUOTATIVE.finditer(ctx.text, before.start, before.end))
        between = Span(quotatives[-1].end(), verb.start) if quotatives else None
        return (
            between is not None
            and _subject_pronoun(ctx, [between]) is not None
            and _tail_only(ctx, verb, edge)
        )
    return bool(_DASH_BEFORE.search(ctx.text, before.start, before.end)) and _tail_only(ctx, verb, edge)


def _tail_only(ctx: _Context, verb: Span, edge: Span) -> bool:
    """Return True when little more than the attribution follows the verb up to the edge."""
    return sum(c.isalnum() for c in ctx.text[verb.end : edge.end]) <= ATTRIBUTION_TAIL_LETTERS


def _names_speaker(ctx: _Context, quote: Quote, edge: Span) -> bool:
    speaker = quote.speaker
    if speaker is None or speaker.pronoun or not speaker.person:
        return False
    if any(
        quote.span.contains(m) for p in ctx.article.people if p.name == speaker.person for m in p.mentions
    ):
        return False
    return _find_person(ctx, speaker.person, [edge]) is not None


# Where an attribution starts after a quotation: a Ukrainian dash before a speech verb
# ("…», — сказав Рі"), a Korean quotative ending ("…”라고 리 씨는", "… 받아줄까요?라고").
_UK_DASH = re.compile(r"\s[—–-]\s")
_KO_QUOTATIVE = re.compile(r"(?:이?라고|다고|냐고|자고|라며|다며|라면서|다면서|라는|다는)(?![가-힣])")
# A quotative glued to a sentence end, which only stands after a closing mark: "…입니다.라고".
_KO_CLOSED_QUOTATIVE = re.compile(r"[.?!…,]\s*(?:이)?라(?:고|며|면서|는)(?![가-힣])")
# A quotative right after a closing mark: ”라고, ”고, ”며, ”라는.
_KO_AFTER_MARK = re.compile(r"\s*(?:이?라)?(?:고|며|면서|는)(?![가-힣])")
# … and where one ends before it: "Рі сказав: «…»", "He said: “…”".
_COLON = re.compile(r":\s*$")


def _outside(ctx: _Context, quote: Quote, qa: QuoteAlignment, found: _Found) -> Finding | None:
    """Return an error when more text stands between the closing mark and where the attribution
    starts (or, with no attribution after the quotation, the sentence end) than in the source:
    part of the quotation left outside the marks."""
    measured = _target_gap(ctx, qa)
    if measured is None:
        return None
    tgt_gap, anchored = measured
    src_gap = _source_gap(ctx, quote, anchored)
    if tgt_gap <= GAP_LETTERS + 2 * ctx.alignment.ratio * src_gap:
        return None
    message = f"{tgt_gap} letters stand between the closing mark and the attribution: part of it is outside"
    return Finding("boundary", Severity.ERROR, message, "omission", qa.target)


def _target_gap(ctx: _Context, qa: QuoteAlignment) -> tuple[int, bool] | None:
    """Return the letters between the closing mark and the start of the attribution after it
    (True), or the sentence end when none follows (False); None when another quotation is in
    between or the sentence is not found."""
    last = qa.target_parts[-1]
    sentence = next((s for s in ctx.sentences if s.start <= last.start < s.end), None)
    if sentence is None:
        return None
    start = min(last.end + 1, sentence.end)
    end: int | None = None
    if ctx.lang == "ko":
        anchor = _KO_QUOTATIVE.search(ctx.text, start, sentence.end)
        end = anchor.start() if anchor else None
    else:
        for dash in _UK_DASH.finditer(ctx.text, start, sentence.end):
            if find_speech_verbs(ctx.text, ctx.lang, Span(dash.end(), min(sentence.end, dash.end() + 30))):
                end = dash.start()
                break
    anchored = end is not None
    end = sentence.end if end is None else end
    if any(start <= m.start < end for m in ctx.marks):
        return None
    return sum(c.isalnum() for c in ctx.text[start:end]), anchored


def _source_gap(ctx: _Context, quote: Quote, anchored: bool) -> int:
    """Return the letters between the source quotation and its attribution after it (or, to
    compare with a translation that has none, the end of its sentence)."""
    last = quote.parts[-1]
    text = ctx.article.text
    attrs = [s for s in (quote.speaker, quote.verb) if s is not None]
    after = [a.span.start for a in attrs if a.span.start >= last.end]
    if anchored:
        return sum(c.isalnum() for c in text[last.end : min(after)]) if after else 0
    sentence = next((s for s in ctx.source_sentences if s.start <= last.start < s.end), None)
    end = sentence.end if sentence is not None else last.end
    return sum(c.isalnum() for c in text[last.end : max(end, last.end)])


def _numbers(ctx: _Context, quotes: Sequence[Quote], qa: QuoteAlignment) -> list[Finding]:
    """Compare the numbers inside the quotation by value. A number written in words on one side
    only ("five weeks" -> 오 주, "four days" -> 나흘) is a warning: words escape the number finder."""
    source: list[NumberMention] = [m for q in quotes for m in q.numbers]
    target = [m for p in qa.target_parts for m in find_numbers(ctx.text, ctx.lang, p)]
    diff = compare_numbers(source, target)
    if diff.ok:
        return []
    hard_missing = [v for v in diff.missing if not _spelled_only(source, v)]
    hard_extra = [v for v in diff.extra if not _spelled_only(target, v)]
    said = []
    if diff.missing:
        said.append("missing " + ", ".join(_show(v) for v in diff.missing))
    if diff.extra:
        said.append("added " + ", ".join(_show(v) for v in diff.extra))
    severity = Severity.ERROR if hard_missing or hard_extra else Severity.WARNING
    message = f"numbers in the quotation differ: {'; '.join(said)}"
    return [Finding("numbers", severity, message, "numbers", qa.target)]


def _spelled_only(mentions: Sequence[NumberMention], value: float) -> bool:
    """Return True when ``value`` is written only in words among ``mentions``."""
    written = [m.spelled for m in mentions if any(math.isclose(v, value) for v in m.values)]
    return bool(written) and all(written)


def _show(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


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


def _first(found: Sequence[Span | None]) -> Span | None:
    return next((s for s in found if s is not None), None)


# "National Intelligence Service (NIS)": the name, the name without the bracket, the acronym.
_BRACKET = re.compile(r"\s*\(([^)]*)\)")


def _name_in(ctx: _Context, name: str, region: Span) -> Span | None:
    key = (name, region)
    if key not in ctx.names:
        ctx.names[key] = find_name(name, ctx.text, ctx.lang, ctx.glossary, region=region)
    return ctx.names[key]


def _find_person(ctx: _Context, name: str, pieces: Sequence[Span]) -> Span | None:
    forms = [name]
    bracket = _BRACKET.search(name)
    if bracket:
        forms += [_BRACKET.sub("", name), bracket.group(1)]
    for form in forms:
        found = _first([_name_in(ctx, form, p) for p in pieces])
        if found is not None:
            return found
    return None


def _speaks(ctx: _Context, span: Span) -> bool:
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


def _subject_pronoun(ctx: _Context, pieces: Sequence[Span], plural: bool = False) -> Span | None:
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


def _speaker(
    ctx: _Context, quote: Quote, pieces: Sequence[Span], parts: Sequence[Span] = ()
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
    found = _first([_find_person(ctx, name, pieces) for name in dict.fromkeys((who, mention)) if name])
    if found is not None:
        return [], found
    if not speaker.person:  # an unresolved pronoun or a description ("the investment banker")
        return [], _subject_pronoun(ctx, pieces)
    wrong = _other_speaker(ctx, quote, speaker.person, pieces, parts[-1].end if parts else 0)
    plural = ctx.article.of(speaker.span).lower() in ("they", "them")
    pronoun = _subject_pronoun(ctx, pieces, plural)
    if wrong is not None and (pronoun is None or _distance(wrong, parts) < _distance(pronoun, parts)):
        return [_wrong_speaker(ctx, who, wrong)], wrong
    if pronoun is not None:
        return [], pronoun
    message = f"speaker {who} is not named near the quotation"
    where = hull(list(pieces)) if pieces else None
    return [Finding("speaker", Severity.WARNING, message, "inconsistent-entities", where)], None


def _distance(mention: Span, parts: Sequence[Span]) -> int:
    """Return how far a mention stands from the nearest quotation part (0 without parts)."""
    return min((_gap(mention, p) for p in parts), default=0)


def _other_speaker(
    ctx: _Context, quote: Quote, person_name: str, pieces: Sequence[Span], quote_end: int
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


def _after_alone(ctx: _Context, mention: Span, quote_end: int) -> bool:
    """Return True for a mention in a later sentence than the quotation's last one."""
    sentence = next((s for s in ctx.sentences if s.start <= quote_end - 1 < s.end), None)
    return sentence is not None and mention.start >= sentence.end


def _find_all(ctx: _Context, name: str, pieces: Sequence[Span]) -> list[Span]:
    """Return every mention of ``name`` in the pieces."""
    found: list[Span] = []
    for piece in pieces:
        start = piece.start
        while start < piece.end:
            hit = _find_person(ctx, name, [Span(start, piece.end)])
            if hit is None:
                break
            found.append(hit)
            start = max(hit.end, start + 1)
    return found


def _source_window(ctx: _Context, quote: Quote) -> list[Span]:
    """Return the source sentences of a quotation and of its speaker's mention."""
    spans = [*quote.parts, *([quote.speaker.span] if quote.speaker else [])]
    return _touching(ctx.source_sentences, spans)


def _wrong_speaker(ctx: _Context, shown: str, found: Span) -> Finding:
    message = f"quotation credited to {found.of(ctx.text)!r} instead of {shown}"
    return Finding("speaker", Severity.ERROR, message, "inconsistent-entities", found)


def _verb(
    ctx: _Context, quote: Quote, parts: Sequence[Span], pieces: Sequence[Span]
) -> tuple[list[Finding], Span | None]:
    """Check that the speech verb keeps its class (said stays neutral, asked a question …)."""
    verbs = [v for p in pieces for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    if not verbs or not parts:
        return [], None
    nearest = min(verbs, key=lambda v: min(_gap(v.span, p) for p in parts))
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


def _gap(a: Span, b: Span) -> int:
    return max(0, a.start - b.end, b.start - a.end)


def _names(ctx: _Context, quote: Quote, parts: Sequence[Span]) -> list[Finding]:
    """Check that people named inside the quotation are named there in the translation too, as
    elsewhere in it."""
    findings = []
    for person in ctx.article.people:
        if not any(quote.span.contains(m) for m in person.mentions) or not parts:
            continue
        if _find_person(ctx, person.name, parts) is not None:
            continue
        elsewhere = _name_in(ctx, person.name, Span(0, len(ctx.text)))
        if elsewhere is not None:
            message = (
                f"{person.name} (rendered {elsewhere.of(ctx.text)!r} elsewhere) is not named in the quotation"
            )
            findings.append(
                Finding("names", Severity.WARNING, message, "inconsistent-entities", hull(list(parts)))
            )
    return findings


_SCRIPT = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "uk": re.compile(r"[\u0400-\u04ff]"),
}
_LETTERS = re.compile(r"[^\W\d_]")
_ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words a capitalised title leaves in lower case ("Lord of the Rings").
_TITLE_SMALL = frozenset("a an and as at by for from in into of on or the to vs with".split())


def _untranslated(ctx: _Context, source: Sequence[Span], target: Sequence[Span], what: str) -> list[Finding]:
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
    shown = _clip(" … ".join(p.of(ctx.text) for p in target))
    script = "Hangul" if ctx.lang == "ko" else "Cyrillic"
    message = f"{what} “{shown}” is not translated (no {script} letters)"
    return [Finding("untranslated", Severity.ERROR, message, "untranslated", hull(list(target)))]


# --- one quotation -----------------------------------------------------------------------------


def _sharing(ctx: _Context, qa: QuoteAlignment) -> list[Quote]:
    """Return the source quotations that share this alignment's target parts (a merge)."""
    return [
        q
        for q, other in zip(ctx.article.quotes, ctx.alignment.quotes, strict=True)
        if other.target_parts and other.target_parts == qa.target_parts
    ]


def _inserts(ctx: _Context, qa: QuoteAlignment) -> list[Span]:
    return [i for q in ctx.alignment.target.quotes if q.id in qa.target_quotes for i in q.inserts]


def _check_quote(ctx: _Context, quote: Quote, qa: QuoteAlignment) -> QuoteResult:
    findings: list[Finding]
    target_speaker = target_verb = None
    if qa.target is None:
        findings = _presence(ctx, quote, qa)
        pieces = _narration(ctx, qa.region)
        if quote.speaker is not None and pieces:
            target_speaker = (
                _find_person(ctx, quote.speaker.person or "", pieces) if quote.speaker.person else None
            )
    else:
        sharing = _sharing(ctx, qa)
        pieces = _window(ctx, quote, qa.target_parts, _inserts(ctx, qa))
        speaker_findings, target_speaker = _speaker(ctx, quote, pieces, qa.target_parts)
        verb_findings, target_verb = _verb(ctx, quote, qa.target_parts, pieces)
        findings = [
            *_boundary(ctx, sharing, qa, _Found(target_speaker, target_verb)),
            *speaker_findings,
            *verb_findings,
            *_numbers(ctx, sharing, qa),
            *_names(ctx, quote, qa.target_parts),
            *_untranslated(ctx, quote.parts, qa.target_parts, "quotation"),
        ]
        if quote.kind is QuoteKind.TERM:
            findings = [_soften(f) for f in findings]
    return QuoteResult(
        id=quote.id,
        kind=quote.kind,
        source_span=quote.span,
        source_parts=quote.parts,
        target_span=qa.target,
        target_parts=qa.target_parts,
        speaker=quote.speaker.span if quote.speaker else None,
        target_speaker=target_speaker,
        verb=quote.verb.span if quote.verb else None,
        target_verb=target_verb,
        status=_status(quote, qa, findings),
        score=_score(qa, findings),
        confidence=qa.confidence,
        method=qa.method,
        findings=tuple(findings),
    )


def _soften(finding: Finding) -> Finding:
    """A term's findings are warnings at most: a title or scare quote is not speech."""
    if finding.severity is Severity.ERROR:
        return Finding(
            finding.check, Severity.WARNING, finding.message, finding.lqi_type, finding.target_span
        )
    return finding


def _status(quote: Quote, qa: QuoteAlignment, findings: Sequence[Finding]) -> Status:
    if qa.target is None and quote.kind is not QuoteKind.TERM:
        return Status.MISSING
    return Status.ALTERED if any(f.severity is Severity.ERROR for f in findings) else Status.OK


def _score(qa: QuoteAlignment, findings: Sequence[Finding]) -> float:
    """Return 1 for a clean quotation, less a half per error and a tenth per warning, 0 when gone."""
    if qa.target is None and any(f.severity is Severity.ERROR for f in findings):
        return 0.0
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    return round(max(0.0, 1.0 - 0.5 * errors - 0.1 * warnings), 3)


# --- invented quotations and attributions --------------------------------------------------------


def _extra_quotes(ctx: _Context) -> tuple[ExtraQuote, ...]:
    """Return the target quotations that render no source quotation, judged: a short quoted
    term is fine, a quotation with a speech verb next to it is invented speech."""
    used = {t for qa in ctx.alignment.quotes for t in qa.target_quotes}
    extras = []
    for tq in ctx.alignment.target.quotes:
        if tq.id in used:
            continue
        extras.append(ExtraQuote(tq.span, tq.parts, tuple(_judge_extra(ctx, tq))))
    return tuple(extras)


def _judge_extra(ctx: _Context, tq: TargetQuote) -> list[Finding]:
    words = sum(len(_WORDS.findall(p.of(ctx.text))) for p in tq.parts)
    pieces = _narration(ctx, _touching(ctx.sentences, tq.parts), tq.inserts)
    verbs = [v for p in pieces for v in find_speech_verbs(ctx.text, ctx.lang, p)]
    near = [v for v in verbs if min(_gap(v.span, p) for p in tq.parts) <= VERB_DISTANCE]
    shown = _clip(tq.span.of(ctx.text))
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


def _check_attribution(ctx: _Context, attribution: Attribution) -> AttributionResult:
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
        if found is None:
            message = f"the source {shown} is not named in the translation of its sentence"
            findings.append(
                Finding("attribution", Severity.WARNING, message, "inconsistent-entities", hull(sentences))
            )
        findings += _attribution_numbers(ctx, attribution, sentences)
        findings += _untranslated(ctx, [attribution.sentence], sentences, "the attributed sentence")
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


def _attributed(ctx: _Context, attribution: Attribution, sentences: Sequence[Span]) -> Span | None:
    source = attribution.source
    whole = [hull(list(sentences))]  # one look-up over the aligned sentences
    for name in dict.fromkeys((source.person, None if source.pronoun else ctx.article.of(source.span))):
        if name:
            found = _find_person(ctx, name, whole)
            if found is not None:
                return found
    if source.pronoun or source.person:
        return _first([next(iter(find_pronouns(ctx.text, ctx.lang, s)), None) for s in sentences])
    return None


def _attribution_numbers(ctx: _Context, attribution: Attribution, sentences: Sequence[Span]) -> list[Finding]:
    """Compare the numbers of the attribution's sentence with those of its translation: a figure
    missing or changed is an error, one written in words only a warning."""
    source = list(find_numbers(ctx.article.text, "en", attribution.sentence))
    target = [m for s in sentences for m in find_numbers(ctx.text, ctx.lang, s)]
    diff = compare_numbers(source, target)
    if not diff.missing:
        return []
    hard = [v for v in diff.missing if not _spelled_only(source, v)]
    hard += [v for v in diff.extra if not _spelled_only(target, v)]  # a figure put in its place
    message = (
        f"numbers of the attributed sentence missing or changed: {', '.join(_show(v) for v in diff.missing)}"
    )
    severity = Severity.ERROR if hard else Severity.WARNING
    return [Finding("numbers", severity, message, "numbers", hull(list(sentences)))]


# --- the report --------------------------------------------------------------------------------


def _summary(
    quotes: Sequence[QuoteResult], extras: Sequence[ExtraQuote], attributions: Sequence[AttributionResult]
) -> Summary:
    findings = [f for q in quotes for f in q.findings] + [f for e in extras for f in e.findings]
    findings += [f for a in attributions for f in a.findings]
    scores = [q.score for q in quotes] + [0.0 if a.status is not Status.OK else 1.0 for a in attributions]
    invented = sum(any(f.severity is Severity.ERROR for f in e.findings) for e in extras)
    overall = (sum(scores) / len(scores)) if scores else 1.0
    overall *= 1.0 / (1.0 + 0.5 * invented)
    return Summary(
        quotes=len(quotes),
        ok=sum(q.status is Status.OK for q in quotes),
        altered=sum(q.status is Status.ALTERED for q in quotes),
        missing=sum(q.status is Status.MISSING for q in quotes),
        extra_quotes=len(extras),
        attributions=len(attributions),
        attributions_ok=sum(a.status is Status.OK for a in attributions),
        errors=sum(f.severity is Severity.ERROR for f in findings),
        warnings=sum(f.severity is Severity.WARNING for f in findings),
        infos=sum(f.severity is Severity.INFO for f in findings),
        score=round(overall, 3),
    )


def check_translation(
    article: Article,
    target_text: str,
    lang: str,
    *,
    glossary: Glossary | None = None,
    reference_text: str | None = None,
) -> CheckReport:
    """Align a translation with its parsed source and check every quotation and attribution.

    Args:
        article: The parsed English article.
        target_text: The whole translation.
        lang: ``"ko"`` or ``"uk"``.
        glossary: Fixed renderings of names (the built-in glossary when None).
        reference_text: A reference translation; adds a per-quotation chrF against it.

    Returns:
        The report: one result per source quotation and attribution, the invented quotations,
        a summary, the alignment, and the signature of the checks.

    Raises:
        ValueError: If ``lang`` is not ``"ko"`` or ``"uk"``.
        DependencyMissingError: If ``reference_text`` is given and sacrebleu is not installed.
    """
    if lang not in ("ko", "uk"):
        raise ValueError(f"unsupported target language {lang!r}; expected ko or uk")
    alignment = align(article, target_text, lang)
    ctx = _context(article, alignment, glossary)
    quotes = tuple(_check_quote(ctx, q, qa) for q, qa in zip(article.quotes, alignment.quotes, strict=True))
    chrf_signature = None
    if reference_text is not None:
        quotes, chrf_signature = _with_chrf(article, quotes, target_text, reference_text, lang)
    extras = _extra_quotes(ctx)
    attributions = tuple(_check_attribution(ctx, a) for a in article.attributions)
    return CheckReport(
        article=article,
        lang=lang,
        alignment=alignment,
        quotes=quotes,
        extra_quotes=extras,
        attributions=attributions,
        summary=_summary(quotes, extras, attributions),
        signature=signature(chrf_signature),
    )


def _with_chrf(
    article: Article, quotes: tuple[QuoteResult, ...], target_text: str, reference_text: str, lang: str
) -> tuple[tuple[QuoteResult, ...], str]:
    """Score each quotation with sentence chrF against the reference translation's quotation."""
    try:
        from sacrebleu.metrics.chrf import CHRF
    except ImportError:  # pragma: no cover - sacrebleu is a dependency
        raise DependencyMissingError("--ref (chrF)", "pip install sacrebleu") from None
    metric = CHRF()
    reference = align(article, reference_text, lang)
    by_id = {qa.quote_id: qa for qa in reference.quotes}
    scored = []
    for quote in quotes:
        ref = by_id[quote.id]
        value = None
        if quote.target_parts and ref.target_parts:
            hyp = " ".join(p.of(target_text) for p in quote.target_parts)
            refs = [" ".join(p.of(reference_text) for p in ref.target_parts)]
            value = round(metric.sentence_score(hyp, refs).score / 100.0, 4)
        scored.append(replace(quote, chrf=value))
    return tuple(scored), str(metric.get_signature())
