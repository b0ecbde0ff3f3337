"""The records and thresholds of ``aligner check``.

Severities and verdicts, one finding, the per-quotation, invented-quotation and attribution
results, the summary and the report; and every threshold of the checks as a named constant
(each goes into the report signature). Every other check module imports from here.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, fields
from enum import StrEnum
from importlib import resources

from aligner.align.quotes import Alignment
from aligner.article.records import Article, QuoteKind
from aligner.spans import Span

# --- thresholds (calibrated on ntrex-dev ko/uk by bench/eval_check_ntrex.py) ----------------

# A target quotation's length over the source quotation's, divided by the document's length
# ratio: below LENGTH_LOW_WARNING doubtful (warning); above the last two narration was probably
# pulled inside the marks. Short quotations get slack (in source characters). When a quotation
# is cut (an error) is set per language from data: see ``LengthCuts``.
LENGTH_LOW_WARNING = 0.8
LENGTH_HIGH_WARNING = 1.9
LENGTH_HIGH_ERROR = 2.6
LENGTH_SLACK_CHARS = 8
# Translators render quotations longer or shorter than the rest: each length is judged against
# the median of the quotations around it (their source within this many characters: a few
# paragraphs, so that a verdict does not depend on unrelated parts of a long article), within
# this range.
QUOTE_RATIO_RANGE = (1.0, 1.3)
QUOTE_RATIO_WINDOW = 1500
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


@dataclass(frozen=True, slots=True)
class LengthCuts:
    """When a short quotation is cut (an error), in one language: below ``alone`` on its length
    ratio alone, or below the ratio that goes with a second sign of a cut: fewer sentences than
    the source (``fewer``), fewer clause breaks (``clause``, Ukrainian: its punctuation keeps
    every English clause break and adds more), a question or exclamation that is no longer one
    (``question``), or an end where no sentence ends (``cut``).

    The values are not chosen by hand: ``bench/calibrate_length.py`` sets them on the faithful
    quotations of the tuning half of ntrex-dev and the wmt-dev references (the most truncations
    caught for at most a target share of faithful quotations flagged) and writes
    ``aligner/data/length_cuts.json`` with the data they came from; the report signature names
    the file's hash.
    """

    alone: float
    fewer: float
    clause: float
    question: float
    cut: float


_LENGTH_CUTS_FILE = "length_cuts.json"


@functools.cache
def _length_cuts_data() -> tuple[dict[str, LengthCuts], str]:
    raw = resources.files("aligner").joinpath("data", _LENGTH_CUTS_FILE).read_bytes()
    data = json.loads(raw)
    names = [f.name for f in fields(LengthCuts)]
    cuts = {lang: LengthCuts(**{n: float(v[n]) for n in names}) for lang, v in data["langs"].items()}
    return cuts, hashlib.sha256(raw).hexdigest()[:12]


def length_cuts(lang: str) -> LengthCuts:
    """Return the calibrated cut thresholds of ``lang`` (``LengthCuts``)."""
    return _length_cuts_data()[0][lang]


def length_cuts_signature() -> str:
    """Return the signature field of the length cuts: every language's values and the file's hash."""
    cuts, digest = _length_cuts_data()
    values = ",".join(
        f"{lang}=" + "/".join(f"{getattr(c, f.name):g}" for f in fields(LengthCuts))
        for lang, c in sorted(cuts.items())
    )
    return f"lencut:{values}@{digest}"


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


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Status(StrEnum):
    """The verdict on one quotation or attribution."""

    OK = "ok"
    ALTERED = "altered"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a finding compared: a label ("source", "credited", "verb"), the span in the source
    article and the span in the translation (None where that side has nothing)."""

    what: str
    source: Span | None
    target: Span | None


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
    evidence: tuple[Evidence, ...] = ()


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
