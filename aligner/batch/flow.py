"""The per-article flow of ``aligner translate`` and of ``aligner batch`` (local and Ray backends):
translate → check → fidelity → files.

``run_chunk`` translates a chunk of articles into one language in one engine call (the pipeline
deduplicates their sentences; the engine sorts them by length), checks each translation, scores the
meaning of its quotations when a back-translation model is given, and renders the unit's three files
as data: ``STEM.LANG.txt`` (the translation), ``STEM.LANG.json`` (the translation record) and
``STEM.LANG.check.EXT`` (the check report in ``--format``). The callers only decide where the files
go: ``write_unit`` here (``translate``, a local batch) or the Ray driver, which receives them from its
workers. An article whose translation, check or rendering fails is returned as an ``Exception`` in
its place, so one bad article never stops the others.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.article.records import Article
from aligner.batch.manifest import is_disk_full
from aligner.check.checker import CheckReport, check_translation
from aligner.check.fidelity import FidelityReport, score_fidelity, thresholds_for, with_fidelity
from aligner.errors import AlignerError
from aligner.lang.names import Glossary
from aligner.protocols import Scorer, Translator, Variable, unwrap
from aligner.report.files import RENDERERS, MachineOutput, render_check, write_files
from aligner.translate.pipeline import ArticleTranslation, translate_articles
from aligner.translate.record import translation_dict

__all__ = [
    "Engines",
    "Job",
    "Outcome",
    "Settings",
    "failure_reason",
    "output_names",
    "retry_engine",
    "run_chunk",
    "write_unit",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Engines:
    """The translators of one target language."""

    forward: Translator  # en→xx: translates
    retry: Translator | None = None  # other decoding settings, for units the guard rejects
    back: Translator | None = None  # xx→en: back-translation fidelity of the output's quotations


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What every unit of a run shares."""

    out_dir: Path  # where the files go (named inside the check report; written by the caller)
    fmt: str = "json"  # the check report's --format
    glossary: Glossary
    thresholds: Path | None = None  # fidelity thresholds file; the built-in ones when None


@dataclass(frozen=True, slots=True)
class Job:
    """One article to translate: its output stem, how reports name it, and the parsed article."""

    stem: str
    origin: str
    article: Article


@dataclass(frozen=True, slots=True)
class Outcome:
    """One finished unit (article × language): the translation, its check, and its files as data."""

    job: Job
    result: ArticleTranslation
    report: CheckReport
    fidelity: FidelityReport | None
    files: Mapping[str, str]  # name inside out_dir -> content: translation, record, check report
    check_seconds: float

    @property
    def outputs(self) -> dict[str, str]:
        """``{"translation": NAME, "record": NAME, "check": NAME}``."""
        return dict(zip(("translation", "record", "check"), self.files, strict=True))


# The retry engine for units the guard rejects (loops, truncation): a wider beam that may not repeat
# any 3-gram.
RETRY_BEAMS, RETRY_NO_REPEAT = 2, 3


def retry_engine(engine: Translator, beams: int) -> Translator | None:
    """The retry engine of ``engine`` (decoding ``beams`` normally), sharing its loaded model; None
    when the engine under its wrappers cannot make a variant (CTranslate2, a test double)."""
    inner = unwrap(engine)
    if not isinstance(inner, Variable):
        return None
    return inner.variant(beams=beams + RETRY_BEAMS, no_repeat_ngram=RETRY_NO_REPEAT)


def failure_reason(error: Exception) -> str:
    """Return the one-line reason a unit failed, as summaries record it."""
    return str(error) if isinstance(error, AlignerError) else f"{type(error).__name__}: {error}"


def output_names(stem: str, lang: str, fmt: str) -> tuple[str, str, str]:
    """``(STEM.LANG.txt, STEM.LANG.json, STEM.LANG.check.EXT)``: the same names from every command."""
    return f"{stem}.{lang}.txt", f"{stem}.{lang}.json", f"{stem}.{lang}.check.{RENDERERS[fmt][0]}"


def translate_chunk(
    articles: Sequence[Article], lang: str, engines: Engines, glossary: Glossary
) -> list[ArticleTranslation | Exception]:
    """Translate a chunk in one engine call; when that fails, article by article to find the culprit."""
    try:
        return list(
            translate_articles(articles, lang, engines.forward, retry=engines.retry, glossary=glossary)
        )
    except Exception as error:  # an engine may raise anything; the article fails, not the run
        if is_disk_full(error):
            raise  # the cache cannot be written: the run stops (resumable), no article fails
        if len(articles) == 1:
            return [error]
    return [translate_chunk([article], lang, engines, glossary)[0] for article in articles]


def _fidelity(
    report: CheckReport, engines: Engines, settings: Settings
) -> tuple[CheckReport, FidelityReport | None]:
    """Score the output's quotations when a back-translation model was given. The forward margin is 0
    on the model's own output, so the back-translation chrF decides."""
    forward = unwrap(engines.forward)
    if engines.back is None or not isinstance(forward, Scorer):
        return report, None
    fidelity = score_fidelity(
        report, forward, engines.back, thresholds=thresholds_for(report.lang, settings.thresholds)
    )
    return with_fidelity(report, fidelity), fidelity


def machine_output(result: ArticleTranslation) -> MachineOutput:
    """The engine's own output of each unit, for the reports on machine output (XLIFF ``alt-trans``)."""
    return MachineOutput({unit.source.strip(): unit.target for unit in result.units}, result.signature)


def finish(job: Job, result: ArticleTranslation, engines: Engines, settings: Settings) -> Outcome:
    """Check one translation, score its fidelity, and render its files."""
    started = time.perf_counter()
    report = check_translation(job.article, result.text, result.lang, glossary=settings.glossary)
    report, fidelity = _fidelity(report, engines, settings)
    text_name, record_name, check_name = output_names(job.stem, result.lang, settings.fmt)
    target = str(settings.out_dir.resolve() / text_name)
    record = json.dumps(translation_dict(result, job.origin, report), ensure_ascii=False, indent=2) + "\n"
    files = {
        text_name: result.text,
        record_name: record,
        check_name: render_check(
            report, settings.fmt, job.origin, target, fidelity, machine=machine_output(result)
        ),
    }
    return Outcome(job, result, report, fidelity, files, time.perf_counter() - started)


def run_chunk(
    jobs: Sequence[Job], lang: str, engines: Engines, settings: Settings
) -> list[Outcome | Exception]:
    """Translate, check and render every job of the chunk; a failure stays that job's."""
    results = translate_chunk([job.article for job in jobs], lang, engines, settings.glossary)
    outcomes: list[Outcome | Exception] = []
    for job, result in zip(jobs, results, strict=True):
        try:
            if isinstance(result, Exception):
                raise result
            outcomes.append(finish(job, result, engines, settings))
        except Exception as error:  # a check or render failure fails this unit only
            if is_disk_full(error):
                raise
            outcomes.append(error)
    return outcomes


def write_unit(outcome: Outcome, out_dir: Path) -> dict[str, Path]:
    """Write the unit's files atomically inside ``out_dir`` (the translation last, so that a reader who
    sees it sees the record and the report too); return ``{"translation": PATH, ...}``."""
    text, record, check = outcome.files
    paths = write_files(out_dir, {name: outcome.files[name] for name in (check, record, text)})
    return dict(zip(("check", "record", "translation"), paths, strict=True))
