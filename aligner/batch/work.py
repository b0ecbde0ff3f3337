"""The work of ``aligner batch`` on one process: engines, and chunks of articles turned into units.

An article is read and parsed once; then, per language, the whole chunk goes to the engine in one
call (the pipeline deduplicates its sentences, the engine sorts them by length), and each unit is
checked, written and recorded, in that order (see ``aligner.batch.manifest`` for why). Whatever goes wrong
with one article (bad encoding, empty, an engine or check error) is recorded as that article's failure
with its reason; the batch goes on. A full disk is not the article's fault: it stops the batch.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.batch.flow import (
    Engines,
    Job,
    Outcome,
    Settings,
    failure_reason,
    retry_engine,
    run_chunk,
    write_unit,
)
from aligner.batch.inputs import Source, load_text
from aligner.batch.manifest import Manifest, Unit, is_disk_full
from aligner.batch.options import BatchOptions, Engine
from aligner.check.checker import CheckReport
from aligner.lang.names import Glossary
from aligner.protocols import Translator
from aligner.translate.cache import PersistentCachedTranslator, TranslationCache
from aligner.translate.pipeline import ArticleTranslation
from aligner.translate.protocol import WrappingTranslator
from aligner.translate.registry import ModelEntry, parse_model_options

log = logging.getLogger("aligner")


class MeteredTranslator(WrappingTranslator):
    """Wraps an engine: times its calls and counts sentences (decoding time, apart from the rest)."""

    def __init__(self, inner: Translator) -> None:
        super().__init__(inner)
        self.seconds = 0.0
        self.sentences = 0

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate with the inner engine, timing the call."""
        started = time.perf_counter()
        out = self.inner.translate(texts)
        self.seconds += time.perf_counter() - started
        self.sentences += len(texts)
        return out


def _ct2(entry: ModelEntry, options: BatchOptions, threads: int) -> Translator:
    from aligner.translate.engines.ct2 import CT2Translator, DecodeOptions

    decode = DecodeOptions(beams=options.beams, batch_size=options.batch_size)
    return CT2Translator.from_entry(entry, options=decode, threads=threads, allow_pickle=options.allow_pickle)


def _transformers(entry: ModelEntry, options: BatchOptions, threads: int) -> Translator:
    from aligner.translate.engines.hub import resolve_device
    from aligner.translate.engines.marian import MarianTranslator
    from aligner.translate.engines.pool import choose_workers

    device = resolve_device(options.device)
    workers = choose_workers(
        options.engine_workers, device=device, threads=threads, processes=options.workers
    )
    marian = MarianTranslator(
        entry,
        device=device,
        beams=options.beams,
        batch_size=options.batch_size,
        threads=threads,
        int8=options.int8,
        workers=workers,
        allow_pickle=options.allow_pickle,
    )
    return marian.load()


# --engine name -> what builds it (each imports its engine module when called).
BUILDERS: dict[Engine, Callable[[ModelEntry, BatchOptions, int], Translator]] = {
    Engine.TRANSFORMERS: _transformers,
    Engine.CT2: _ct2,
}


def build_engine(lang: str, model: str | None, options: BatchOptions, threads: int) -> MeteredTranslator:
    """Load the engine for en→``lang``: MarianMT through transformers (optionally int8) or CTranslate2.

    Both use ``threads`` cores as one single-threaded decoding worker per core: CTranslate2 through
    its ``inter_threads``, transformers through engine processes (``choose_workers``: at most 4, each
    loading the model; one when ``options.workers`` batch processes already share the cores out).

    Raises:
        ModelUnavailableError: the model cannot be found or loaded.
        DependencyMissingError: the engine's library is missing.
    """
    from aligner.translate.registry import load_registry

    entry = load_registry().resolve(f"en-{lang}", model)
    return MeteredTranslator(BUILDERS[Engine(options.engine)](entry, options, threads))


def engines_for(
    lang: str, engine: MeteredTranslator, cache: TranslationCache, options: BatchOptions
) -> Engines:
    """The translators of ``lang`` for the per-article flow: the engine behind the translation cache,
    its retry variant (when the engine has one), and the back-translation model of ``--back-model``."""
    back_model = parse_model_options(options.back_models).get(lang)
    back = None
    if back_model is not None:
        from aligner.translate.engines.marian import load_direction

        back = load_direction(
            f"{lang}-en",
            back_model,
            device=options.device,
            batch_size=options.batch_size,
            allow_pickle=options.allow_pickle,
        )
    forward = PersistentCachedTranslator(engine, cache)
    return Engines(forward=forward, retry=retry_engine(engine, options.beams), back=back)


# ---------------------------------------------------------------- one worker's loop


@dataclass
class Tally:
    """Running totals for the progress display: units recorded, their articles, sentences, characters."""

    units: int = 0
    ids: set[str] = field(default_factory=set)
    sentences: int = 0
    chars: int = 0

    def add(self, unit: Unit) -> None:
        """Count one recorded unit."""
        self.units += 1
        self.ids.add(unit.article_id)
        self.sentences += int(unit.row.get("sentences") or 0)
        self.chars += int(unit.row.get("source_chars") or 0)


@dataclass
class BatchContext:
    """What the processing of one chunk needs."""

    options: BatchOptions
    manifest: Manifest
    run: int
    glossary: Glossary
    engines: Mapping[str, Engines]
    tally: Tally = field(default_factory=Tally)
    on_unit: Callable[[Tally], None] = lambda tally: None
    sources: dict[str, Source] = field(default_factory=dict)  # by output stem, for the chunk in flight


def unit_row(source: Source, lang: str, status: str, reason: str | None) -> dict[str, Any]:
    """Return the summary row of one unit (article × language) before its outputs are known."""
    return {"id": source.id, "lang": lang, "status": status, "reason": reason, "source": source.origin,
            "stem": source.stem, "fields": dict(source.fields)}  # fmt: skip


def record_unit(ctx: BatchContext, unit: Unit) -> None:
    """Commit a finished or failed unit to the manifest and count it."""
    ctx.manifest.record(unit, ctx.run)
    ctx.tally.add(unit)
    if unit.status == "failed":
        log.warning("batch: failed id=%r lang=%s reason=%s", unit.article_id, unit.lang, unit.reason)
    ctx.on_unit(ctx.tally)


def _fail(ctx: BatchContext, source: Source, lang: str, reason: str) -> None:
    record_unit(
        ctx, Unit(source.id, lang, source.seq, "failed", reason, {}, unit_row(source, lang, "failed", reason))
    )


def finished_row(
    source: Source, result: ArticleTranslation, report: CheckReport, outputs: dict[str, str]
) -> dict[str, Any]:
    """Return the summary row of a translated and checked unit: counts, findings, outputs."""
    s = report.summary
    status = "findings" if report.findings() or result.problems else "ok"
    return unit_row(source, result.lang, status, None) | {
        "quotes": s.quotes, "quotes_ok": s.ok, "altered": s.altered, "missing": s.missing,
        "extra_quotes": s.extra_quotes, "attributions": s.attributions,
        "attributions_ok": s.attributions_ok, "errors": s.errors, "warnings": s.warnings,
        "infos": s.infos, "problems": len(result.problems), "score": s.score,
        "sentences": len(result.units), "source_chars": sum(len(u.source) for u in result.units),
        "outputs": outputs, "signature": result.signature, "check_signature": report.signature,
    }  # fmt: skip


def _record(ctx: BatchContext, outcome: Outcome, parse_s: float) -> None:
    """Write, then record one finished unit (in that order: the manifest invariant)."""
    source, out = ctx.sources[outcome.job.stem], ctx.options.out
    started = time.perf_counter()
    write_unit(outcome, out)
    row = finished_row(source, outcome.result, outcome.report, outcome.outputs)
    row["timings"] = {
        "parse_s": round(parse_s, 4),
        "translate_s": round(outcome.result.seconds, 4),
        "check_s": round(outcome.check_seconds, 4),
        "write_s": round(time.perf_counter() - started, 4),
    }
    record_unit(
        ctx, Unit(source.id, outcome.result.lang, source.seq, row["status"], None, outcome.outputs, row)
    )


def _parse(ctx: BatchContext, source: Source, langs: Sequence[str]) -> tuple[Article, float] | None:
    started = time.perf_counter()
    try:
        article = parse_article(load_text(source, ctx.options.max_bytes))
    except Exception as error:  # bad encoding, empty, or a parser bug: this article fails, not the batch
        for lang in langs:
            _fail(ctx, source, lang, failure_reason(error))
        return None
    return article, time.perf_counter() - started


def process_chunk(ctx: BatchContext, chunk: Sequence[tuple[Source, tuple[str, ...]]]) -> None:
    """Parse each article once, then per language run the chunk through the per-article flow
    (``aligner.batch.flow``) and write and record each unit."""
    parsed = [(source, langs, _parse(ctx, source, langs)) for source, langs in chunk]
    ready = [(source, langs, done) for source, langs, done in parsed if done is not None]
    ctx.sources.update((source.stem, source) for source, _, _ in ready)
    settings = Settings(out_dir=ctx.options.out, fmt=ctx.options.fmt, glossary=ctx.glossary,
                        thresholds=ctx.options.thresholds)  # fmt: skip
    for lang in ctx.options.langs:
        todo = [
            (Job(s.stem, s.origin, article), parse_s)
            for s, langs, (article, parse_s) in ready
            if lang in langs
        ]
        outcomes = run_chunk([job for job, _ in todo], lang, ctx.engines[lang], settings) if todo else []
        for (job, parse_s), outcome in zip(todo, outcomes, strict=True):
            try:
                if isinstance(outcome, Exception):
                    raise outcome
                _record(ctx, outcome, parse_s)
            except Exception as error:  # a translation, check or write failure fails this unit only
                if is_disk_full(error):
                    raise  # not the unit's fault: the batch stops (resumable), the unit is not recorded
                _fail(ctx, ctx.sources[job.stem], lang, failure_reason(error))


def _chunks(todo: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(todo), size):
        yield todo[start : start + size]


def work(
    ctx: BatchContext, todo: Sequence[tuple[Source, tuple[str, ...]]], parent: int | None = None
) -> None:
    """Process ``todo`` chunk by chunk; a worker whose parent died stops before its next chunk."""
    for chunk in _chunks(todo, ctx.options.chunk):
        if parent is not None and os.getppid() != parent:
            log.warning("batch: parent process gone; worker %d stops", os.getpid())
            return
        process_chunk(ctx, chunk)


# ---------------------------------------------------------------- progress


def tally_of(units: Sequence[Unit]) -> Tally:
    """Return the totals of ``units`` (the manifest's rows of this run, with several workers)."""
    tally = Tally()
    for unit in units:
        tally.add(unit)
    return tally


class Progress:
    """Progress on stderr: a live bar on a terminal (not under CI), else a log line every few seconds.

    Shows units, articles, sentences, source tokens/s (estimated at 4 characters per token, the
    pipeline's own estimate) and the ETA from the mean time per unit so far.
    """

    LOG_EVERY_S = 5.0

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self.started = time.perf_counter()
        self._logged = self.started
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.stream.isatty() and not os.environ.get("CI"):
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Bar

            columns = (
                TextColumn("batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
            )
            self._bar = Bar(*columns, console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.total, info="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def text(self, tally: Tally) -> str:
        """Return ``units=3/20 articles=2 sentences=40 tok_s=812 eta_s=51``."""
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        eta = (self.total - tally.units) * elapsed / tally.units if tally.units else None
        return (
            f"units={tally.units}/{self.total} articles={len(tally.ids)} sentences={tally.sentences} "
            f"tok_s={tally.chars / 4 / elapsed:.0f} eta_s={'?' if eta is None else f'{eta:.0f}'}"
        )

    def update(self, tally: Tally) -> None:
        """Show the totals so far."""
        if self._bar is not None:
            self._bar.update(self._task, completed=tally.units, info=self.text(tally).split(" ", 1)[1])
            return
        now = time.perf_counter()
        if now - self._logged >= self.LOG_EVERY_S or tally.units == self.total:
            self._logged = now
            log.info("batch: %s", self.text(tally))
