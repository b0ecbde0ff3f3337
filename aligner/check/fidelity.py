"""Meaning checks for quotations with MarianMT: forced decoding, back-translation, one fidelity score.

The deterministic checks (``check.py``) see names, numbers, marks and verbs; they cannot see that "are
all South Korean soldiers" became "are not South Korean soldiers". This module scores the meaning of
every translated quotation of a ``CheckReport`` with two signals and turns low scores into findings:

- forced decoding: ``margin`` = forced(target | source) - forced(own | source), both the mean log-prob
  per target token under the en->xx model, where ``own`` is the model's own translation of the source
  quotation (same model, same decoding settings). A weak model scores every human translation low, but
  it scores its own output low as well, so the margin, not the raw score, is compared with a threshold.
- back-translation: the xx->en model translates the target quotation back; sentence chrF (sacrebleu)
  against the source quotation, on 0-1 inside this module (the combined score and the calibrated
  ``chrf_*`` thresholds use it so) and on 0-100 wherever it is printed (messages, JSON), as
  ``QuoteResult.chrf`` and sacrebleu print chrF.
- fidelity = ``weight * exp(min(0, margin)) + (1 - weight) * back_chrf``: the per-token probability
  ratio of target to own translation, blended with the back-translation chrF. With no back model the
  margin alone decides.

Thresholds are named, carried by every report, read from a TOML file written by
``bench/calibrate_fidelity.py`` (``--fidelity-thresholds`` / ``$ALIGNER_FIDELITY_THRESHOLDS``), and
default to values calibrated on the tiny seed models (see docs/FIDELITY.md: they demonstrate the
mechanism and are not calibrated for OPUS-MT). Models are called through the translator objects; this
module imports nothing heavy.
"""

from __future__ import annotations

import logging
import math
import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from aligner.article.records import QuoteKind
from aligner.check.checker import CheckReport, Finding, QuoteResult, Severity, Status, summarise
from aligner.errors import DependencyMissingError, UsageError
from aligner.protocols import Scorer, Translator
from aligner.spans import Span
from aligner.textio import clip
from aligner.version import __version__

log = logging.getLogger("aligner")

THRESHOLDS_ENV = "ALIGNER_FIDELITY_THRESHOLDS"
THRESHOLDS_SCHEMA = "aligner.fidelity-thresholds/1"
CHECK = "fidelity"
# Signal names, as findings and ``QuoteFidelity.fired`` give them.
FORCED, BACK, COMBINED = "forced-decoding", "back-translation", "fidelity"
_FIELDS = (
    "margin_error",
    "margin_warning",
    "chrf_error",
    "chrf_warning",
    "combined_error",
    "combined_warning",
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where fidelity findings start, for one target language.

    Each pair is (error, warning): a score below ``*_error`` is an error, below ``*_warning`` a
    warning. ``margin_*`` are nats per token (<= 0), ``chrf_*`` and ``combined_*`` are on 0-1.
    ``weight`` is the forced-decoding share of the combined score. ``source`` says where the values
    come from; ``models`` names the en->xx and xx->en models they were calibrated with.
    """

    margin_error: float
    margin_warning: float
    chrf_error: float
    chrf_warning: float
    combined_error: float
    combined_warning: float
    weight: float = 0.5
    source: str = "built-in"
    models: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        pairs = [(self.margin_error, self.margin_warning), (self.chrf_error, self.chrf_warning)]
        if any(error > warning for error, warning in [*pairs, (self.combined_error, self.combined_warning)]):
            raise ValueError(f"every error threshold must be at or below its warning threshold: {self}")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"weight must be within [0, 1], not {self.weight}")

    def short(self) -> str:
        """Return ``m:-0.12/-0.06,c:0.6/0.8,f:0.92/0.96,w:0.75`` (error/warning per signal)."""
        return (
            f"m:{self.margin_error:g}/{self.margin_warning:g},c:{self.chrf_error:g}/{self.chrf_warning:g},"
            f"f:{self.combined_error:g}/{self.combined_warning:g},w:{self.weight:g}"
        )


# Calibrated by `python bench/calibrate_fidelity.py` on the seed article and its meaning-changed
# variants with the tiny seed models (models/tiny); the table is in docs/FIDELITY.md. The tiny models
# memorise the seed, so these show the mechanism; they are not thresholds for OPUS-MT weights.
_TINY = "bench/calibrate_fidelity.py on seeds/nk-soldier (tiny seed models; not for OPUS-MT)"
DEFAULTS: Mapping[str, Thresholds] = {
    "ko": Thresholds(
        -0.1568, -0.0784, 0.6017, 0.8008, 0.8991, 0.9495, 0.75, _TINY, ("tiny/en-ko", "tiny/ko-en")
    ),
    "uk": Thresholds(
        -0.1175, -0.0588, 0.6052, 0.8026, 0.9215, 0.9607, 0.75, _TINY, ("tiny/en-uk", "tiny/uk-en")
    ),
}


def load_thresholds(path: Path | str, lang: str) -> Thresholds:
    """Read the ``[lang]`` table of a thresholds file written by ``bench/calibrate_fidelity.py``.

    Raises:
        UsageError: The file is unreadable, not TOML, has another schema, or lacks the table or a field.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read fidelity thresholds {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"fidelity thresholds {path} are not valid TOML: {exc}") from None
    if data.get("schema") != THRESHOLDS_SCHEMA:
        raise UsageError(f"fidelity thresholds {path}: schema must be {THRESHOLDS_SCHEMA!r}")
    table = data.get(lang)
    if not isinstance(table, Mapping):
        raise UsageError(f"fidelity thresholds {path} have no [{lang}] table; calibrate {lang} first")
    missing = [key for key in _FIELDS if key not in table]
    if missing:
        raise UsageError(f"fidelity thresholds {path}: [{lang}] lacks {', '.join(missing)}")
    try:
        values = {key: float(table[key]) for key in (*_FIELDS, "weight") if key in table}
        models = tuple(str(m) for m in table.get("models", ()))
        return Thresholds(**values, source=str(table.get("source", path)), models=models)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"fidelity thresholds {path}: [{lang}]: {exc}") from None


def thresholds_for(lang: str, path: Path | str | None = None) -> Thresholds:
    """Return the thresholds for ``lang``: ``path``, else ``$ALIGNER_FIDELITY_THRESHOLDS``, else built in.

    Raises:
        UsageError: The file cannot be used (see ``load_thresholds``), or no built-in values for ``lang``.
    """
    chosen = path or os.environ.get(THRESHOLDS_ENV)
    if chosen:
        return load_thresholds(chosen, lang)
    if lang not in DEFAULTS:
        raise UsageError(f"no built-in fidelity thresholds for {lang!r}; pass a calibrated thresholds file")
    return DEFAULTS[lang]


def thresholds_toml(by_lang: Mapping[str, Thresholds], comment: str = "") -> str:
    """Return a thresholds file (the format ``load_thresholds`` reads) for each language given."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f'schema = "{THRESHOLDS_SCHEMA}"']
    for lang, t in by_lang.items():
        lines += ["", f"[{lang}]"]
        lines += [f"{key} = {getattr(t, key)!r}" for key in (*_FIELDS, "weight")]
        lines.append(f"source = {_toml_str(t.source)}")
        lines.append(f"models = [{', '.join(_toml_str(m) for m in t.models)}]")
    return "\n".join(lines) + "\n"


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairScore:
    """Both signals for one (source, target) pair; the back fields are None without a back model."""

    forced_logprob: float
    own_translation: str
    own_logprob: float
    margin: float
    back_translation: str | None
    back_chrf: float | None


def chrf_metric() -> Any:
    """Return the sacrebleu chrF metric every fidelity score uses (default settings: chrF, not chrF++).

    Raises:
        DependencyMissingError: sacrebleu is not installed.
    """
    try:
        from sacrebleu.metrics.chrf import CHRF
    except ImportError:  # pragma: no cover - sacrebleu is a dependency
        raise DependencyMissingError("fidelity (chrF)", "pip install sacrebleu") from None
    return CHRF()


def chrf_signature() -> str:
    """Return sacrebleu's signature of the chrF that ``score_pairs`` computes (one reference per pair)."""
    metric = chrf_metric()
    metric.sentence_score("", [""])  # sacrebleu knows the reference count only after a score
    return str(metric.get_signature())


def score_pairs(
    sources: Sequence[str], targets: Sequence[str], forward: Scorer, back: Translator | None = None
) -> list[PairScore]:
    """Score every pair: one translate and one score call on ``forward``, one translate on ``back``.

    Each distinct text is translated once; the translators batch and sort by length themselves.

    Raises:
        UsageError: ``sources`` and ``targets`` differ in length.
    """
    if len(sources) != len(targets):
        raise UsageError(f"fidelity needs as many targets as sources ({len(targets)} != {len(sources)})")
    if not sources:
        return []
    own = _each_once(forward.translate, sources)
    pairs = list(zip([*sources, *sources], [*targets, *own], strict=True))
    unique = list(dict.fromkeys(pairs))
    done = dict(zip(unique, forward.score([s for s, _ in unique], [t for _, t in unique]), strict=True))
    logprobs = [done[pair] for pair in pairs]
    forced, own_logprob = logprobs[: len(sources)], logprobs[len(sources) :]
    backs: list[str | None] = [None] * len(sources)
    if back is not None:
        backs = list(_each_once(back.translate, targets))
    metric = chrf_metric()
    return [
        PairScore(
            forced_logprob=f,
            own_translation=o,
            own_logprob=ol,
            margin=f - ol,
            back_translation=b,
            back_chrf=None if b is None else metric.sentence_score(b, [s]).score / 100.0,
        )
        for s, f, o, ol, b in zip(sources, forced, own, own_logprob, backs, strict=True)
    ]


def _each_once(translate: Callable[[Sequence[str]], list[str]], texts: Sequence[str]) -> list[str]:
    """Translate each distinct text once (calibration scores several targets per source)."""
    unique = list(dict.fromkeys(texts))
    done = dict(zip(unique, translate(unique), strict=True))
    return [done[text] for text in texts]


def combine(margin: float, back_chrf: float | None, weight: float) -> float | None:
    """Return ``weight * exp(min(0, margin)) + (1 - weight) * back_chrf``, or None without back_chrf."""
    if back_chrf is None:
        return None
    return weight * math.exp(min(0.0, margin)) + (1.0 - weight) * back_chrf


def _level(value: float, error: float, warning: float) -> Severity | None:
    if value < error:
        return Severity.ERROR
    return Severity.WARNING if value < warning else None


def _reading(name: str, value: float, error: float, warning: float, unit: str = "") -> str:
    """Say ``name value``, and which threshold it is below and by how much (or that it is below none)."""
    level = _level(value, error, warning)
    if level is None:
        return f"{name} {value:.2f}{unit} (not below {warning:g})"
    limit = error if level is Severity.ERROR else warning
    return f"{name} {value:.2f}{unit}, below the {level.value} threshold {limit:g} by {limit - value:.2f}"


def assess(
    pair: PairScore, thresholds: Thresholds, *, term: bool = False, where: Span | None = None
) -> tuple[float | None, tuple[str, ...], tuple[Finding, ...]]:
    """Judge one scored pair: the combined score, the signals below their warning thresholds, the findings.

    The combined score decides when both signals are present, the margin alone otherwise. A term (a
    title or scare quote, scored out of context) gets a warning at most, as in ``check.py``.
    """
    t = thresholds
    combined = combine(pair.margin, pair.back_chrf, t.weight)
    fired = [FORCED] if pair.margin < t.margin_warning else []
    forced = _reading(f"{FORCED} margin", pair.margin, t.margin_error, t.margin_warning, " nats/token")
    if pair.back_chrf is None or combined is None:
        level, headline, details = _level(pair.margin, t.margin_error, t.margin_warning), forced, []
    else:
        fired += [BACK] if pair.back_chrf < t.chrf_warning else []
        level = _level(combined, t.combined_error, t.combined_warning)
        headline = _reading(COMBINED, combined, t.combined_error, t.combined_warning)
        details = [
            forced,
            _reading(f"{BACK} chrF", 100 * pair.back_chrf, 100 * t.chrf_error, 100 * t.chrf_warning),
        ]
        fired = [COMBINED, *fired] if level is not None else fired
    if level is None:
        return combined, tuple(fired), ()
    if term and level is Severity.ERROR:
        level = Severity.WARNING
    shown = pair.back_translation if pair.back_translation is not None else pair.own_translation
    label = "back-translation" if pair.back_translation is not None else "model's own translation"
    message = "; ".join([f"meaning may differ from the source: {headline}", *details])
    message += f"; {label}: “{clip(shown, 80)}”"
    return combined, tuple(fired), (Finding(CHECK, level, message, "mistranslation", where),)


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model made a signal: id, revision (None for a local folder) and its decoding signature."""

    model_id: str
    revision: str | None
    signature: str


@dataclass(frozen=True, slots=True)
class QuoteFidelity:
    """Both signals, the combined score and the findings for one translated quotation."""

    quote_id: str
    source_text: str
    target_text: str
    forced_logprob: float
    own_translation: str
    own_logprob: float
    margin: float
    back_translation: str | None
    back_chrf: float | None
    combined: float | None
    fired: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class FidelityReport:
    """Fidelity of every translated quotation of one check report, with what made the numbers.

    ``quotes`` holds only quotations with a target (a missing one has nothing to score).
    ``thresholds_match`` is False when the thresholds were calibrated for other models.
    """

    lang: str
    quotes: tuple[QuoteFidelity, ...]
    thresholds: Thresholds
    thresholds_match: bool
    forward: ModelInfo
    back: ModelInfo | None
    chrf_signature: str | None

    @property
    def signature(self) -> str:
        """``fwd:ID@REV|back:ID@REV|thr:...|chrf:<sacrebleu signature>|version:X`` (version last)."""
        fields = [f"fwd:{_model_key(self.forward)}", f"back:{_model_key(self.back)}"]
        fields += [f"thr:{self.thresholds.short()}"]
        if self.chrf_signature:
            fields.append(f"chrf:{self.chrf_signature}")
        return "|".join([*fields, f"version:{__version__}"])


def _model_key(info: ModelInfo | None) -> str:
    return "none" if info is None else f"{info.model_id}@{info.revision or 'local'}"


def _info(model: Translator | None) -> ModelInfo | None:
    return None if model is None else ModelInfo(model.model_id, model.revision, model.signature())


def _calibrated_for(thresholds: Thresholds, models: Sequence[Translator | None]) -> bool:
    """True when ``thresholds`` name no models, or name each model used (by its last two path parts)."""
    if not thresholds.models:
        return True
    known = {"/".join(Path(m).parts[-2:]) for m in thresholds.models}
    return all("/".join(Path(m.model_id).parts[-2:]) in known for m in models if m is not None)


def quote_texts(report: CheckReport, quote: QuoteResult) -> tuple[str, str]:
    """Return a quotation's source and target text, each multi-part quotation's parts joined by a space."""
    source = " ".join(p.of(report.article.text) for p in quote.source_parts)
    return source, " ".join(p.of(report.target_text) for p in quote.target_parts)


def score_fidelity(
    report: CheckReport,
    forward: Scorer,
    back: Translator | None = None,
    *,
    thresholds: Thresholds | None = None,
) -> FidelityReport:
    """Score the meaning of every translated quotation of ``report`` in one batch per model.

    Args:
        report: The check report of the translation (``check_translation``).
        forward: The en->xx model (translates and scores); loaded once by its owner.
        back: The xx->en model for back-translation, or None to use the forced-decoding margin alone.
        thresholds: Where findings start (default: ``thresholds_for(report.lang)``).

    Returns:
        One ``QuoteFidelity`` per quotation with a non-blank target, the thresholds, the models and
        the chrF signature.

    Raises:
        UsageError: No thresholds for the report's language (see ``thresholds_for``).
    """
    t = thresholds or thresholds_for(report.lang)
    match = _calibrated_for(t, [forward, back])
    if not match:
        log.warning(
            "fidelity thresholds (%s) were calibrated for %s, not %s; run bench/calibrate_fidelity.py "
            "for these models (docs/FIDELITY.md)",
            t.source,
            ", ".join(t.models),
            ", ".join(m.model_id for m in (forward, back) if m is not None),
        )
    quotes = [q for q in report.quotes if q.target_parts and quote_texts(report, q)[1].strip()]
    texts = [quote_texts(report, q) for q in quotes]
    pairs = score_pairs([s for s, _ in texts], [x for _, x in texts], forward, back)
    records = []
    for quote, (source, target), pair in zip(quotes, texts, pairs, strict=True):
        term = quote.kind is QuoteKind.TERM
        combined, fired, findings = assess(pair, t, term=term, where=quote.target_span)
        records.append(
            QuoteFidelity(
                quote.id, source, target, **asdict(pair), combined=combined, fired=fired, findings=findings
            )
        )
    return FidelityReport(
        lang=report.lang,
        quotes=tuple(records),
        thresholds=t,
        thresholds_match=match,
        forward=ModelInfo(forward.model_id, forward.revision, forward.signature()),
        back=_info(back),
        chrf_signature=chrf_signature() if back is not None else None,
    )


def with_fidelity(report: CheckReport, fidelity: FidelityReport) -> CheckReport:
    """Return ``report`` with each quotation's fidelity findings appended, its status and score updated,
    the summary recounted and the fidelity thresholds and models added to the signature.

    A quotation with a fidelity error moves from ``ok`` to ``altered``. Apply once per report.

    Raises:
        ValueError: ``fidelity`` is for another language or names quotations ``report`` lacks.
    """
    by_id = {f.quote_id: f for f in fidelity.quotes}
    if fidelity.lang != report.lang or not by_id.keys() <= {q.id for q in report.quotes}:
        raise ValueError("the fidelity report was made from another check report")
    quotes = tuple(_merged(q, by_id.get(q.id)) for q in report.quotes)
    head, sep, version = report.signature.rpartition("|version:")
    models = f"fwd={_model_key(fidelity.forward)};back={_model_key(fidelity.back)}"
    field = f"fidelity:{fidelity.thresholds.short()};{models}"
    signature = f"{head}|{field}{sep}{version}" if sep else f"{report.signature}|{field}"
    return replace(
        report,
        quotes=quotes,
        summary=summarise(quotes, report.extra_quotes, report.attributions),
        signature=signature,
    )


def _merged(quote: QuoteResult, fidelity: QuoteFidelity | None) -> QuoteResult:
    if fidelity is None or not fidelity.findings:
        return quote
    findings = (*quote.findings, *fidelity.findings)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    status = Status.ALTERED if quote.status is Status.OK and errors else quote.status
    # The score rule of check._score for a quotation that has a target.
    score = round(max(0.0, 1.0 - 0.5 * errors - 0.1 * warnings), 3)
    return replace(quote, findings=findings, status=status, score=score)
