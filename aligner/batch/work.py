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
from pathlib import Path
from typing import IO, Any

from aligner import __version__
from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.batch.inputs import Source, load_text
from aligner.batch.manifest import Manifest, Unit, is_disk_full
from aligner.check.checker import CheckReport, check_translation
from aligner.cli.commands import parse_model_options
from aligner.errors import AlignerError
from aligner.lang.names import Glossary
from aligner.report.files import write_outputs
from aligner.translate.pipeline import ArticleTranslation, translate_articles
from aligner.translate.protocol import Translator, WrappingTranslator

log = logging.getLogger("aligner")

ENGINES = ("transformers", "ct2")
# Articles per engine call: the sentences of this many articles are deduplicated and sorted together.
CHUNK = 16


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Everything ``aligner batch`` was asked to do."""

    input: Path
    langs: tuple[str, ...]
    out: Path
    engine: str = "transformers"
    workers: int = 1
    resume: bool = False
    models: tuple[str, ...] = ()  # LANG=HUB_ID_OR_DIR
    glossary: Path | None = None
    fmt: str = "json"
    fail_on: str = "error"
    device: str = "auto"
    beams: int = 4
    batch_size: int = 16
    int8: bool = False
    threads: int | None = None  # per worker; cores // workers when None
    cache: Path | None = None  # the translation cache; default_cache_path(out) when None
    chunk: int = CHUNK
    engine_workers: int | None = None  # transformers engine processes per worker; see choose_workers

    def settings(self) -> dict[str, Any]:
        """The settings a resumed run must share with the first run of the folder."""
        return {
            "input": str(self.input.resolve()),
            "engine": self.engine,
            "models": dict(parse_model_options(self.models)),
            "glossary": str(self.glossary.resolve()) if self.glossary else None,
            "format": self.fmt,
            "beams": self.beams,
            "int8": self.int8,
            "aligner": __version__,
        }


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


def build_engine(lang: str, model: str | None, options: BatchOptions, threads: int) -> MeteredTranslator:
    """Load the engine for en→``lang``: MarianMT through transformers (optionally int8) or CTranslate2.

    Both use ``threads`` cores as one single-threaded decoding worker per core: CTranslate2 through
    its ``inter_threads``, transformers through engine processes (``choose_workers``: at most 4, each
    loading the model; one when ``options.workers`` batch processes already share the cores out).

    Raises:
        ModelUnavailableError: the model cannot be found or loaded.
        DependencyMissingError: ctranslate2 is missing for ``--engine ct2``.
    """
    from aligner.translate.registry import load_registry

    entry = load_registry().resolve(f"en-{lang}", model)
    if options.engine == "ct2":
        from aligner.translate.engines.ct2 import CT2Translator, DecodeOptions

        decode = DecodeOptions(beams=options.beams, batch_size=options.batch_size)
        return MeteredTranslator(CT2Translator.from_entry(entry, options=decode, threads=threads))
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
    )
    return MeteredTranslator(marian.load())


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
class Context:
    """What the processing of one chunk needs."""

    options: BatchOptions
    manifest: Manifest
    run: int
    glossary: Glossary
    translators: Mapping[str, Translator]
    tally: Tally = field(default_factory=Tally)
    on_unit: Callable[[Tally], None] = lambda tally: None


def unit_row(source: Source, lang: str, status: str, reason: str | None) -> dict[str, Any]:
    """Return the summary row of one unit (article × language) before its outputs are known."""
    return {"id": source.id, "lang": lang, "status": status, "reason": reason, "source": source.origin,
            "stem": source.stem, "fields": dict(source.fields)}  # fmt: skip


def record_unit(ctx: Context, unit: Unit) -> None:
    """Commit a finished or failed unit to the manifest and count it."""
    ctx.manifest.record(unit, ctx.run)
    ctx.tally.add(unit)
    if unit.status == "failed":
        log.warning("batch: failed id=%r lang=%s reason=%s", unit.article_id, unit.lang, unit.reason)
    ctx.on_unit(ctx.tally)


def _fail(ctx: Context, source: Source, lang: str, reason: str) -> None:
    record_unit(
        ctx, Unit(source.id, lang, source.seq, "failed", reason, {}, unit_row(source, lang, "failed", reason))
    )


def failure_reason(error: Exception) -> str:
    """Return the one-line reason a unit failed, as the summary records it."""
    return str(error) if isinstance(error, AlignerError) else f"{type(error).__name__}: {error}"


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


def _finish(ctx: Context, source: Source, result: ArticleTranslation, parse_s: float) -> None:
    """Check, write, then record one unit (in that order: the manifest invariant)."""
    lang, out = result.lang, ctx.options.out
    started = time.perf_counter()
    report = check_translation(result.article, result.text, lang, glossary=ctx.glossary)
    checked = time.perf_counter()
    written = write_outputs(out, source.stem, result, report, ctx.options.fmt, source.origin)
    files = {"translation": written.translation, "record": written.record, "check": written.check}
    outputs = {kind: str(path.relative_to(out.resolve())) for kind, path in files.items() if path}
    row = finished_row(source, result, report, outputs)
    row["timings"] = {
        "parse_s": round(parse_s, 4),
        "translate_s": round(result.seconds, 4),
        "check_s": round(checked - started, 4),
        "write_s": round(time.perf_counter() - checked, 4),
    }
    record_unit(ctx, Unit(source.id, lang, source.seq, row["status"], None, outputs, row))


def _translate(articles: Sequence[Article], lang: str, ctx: Context) -> list[ArticleTranslation | Exception]:
    """Translate a chunk in one engine call; when that fails, article by article to find the culprit."""
    translator = ctx.translators[lang]
    try:
        return list(translate_articles(articles, lang, translator, glossary=ctx.glossary))
    except Exception as error:  # an engine may raise anything; the article is recorded, not the batch
        if is_disk_full(error):
            raise  # the cache cannot be written: the batch stops (resumable), no article fails
        if len(articles) == 1:
            return [error]
    return [_translate([article], lang, ctx)[0] for article in articles]


def _parse(ctx: Context, source: Source, langs: Sequence[str]) -> tuple[Article, float] | None:
    started = time.perf_counter()
    try:
        article = parse_article(load_text(source))
    except Exception as error:  # bad encoding, empty, or a parser bug: this article fails, not the batch
        for lang in langs:
            _fail(ctx, source, lang, failure_reason(error))
        return None
    return article, time.perf_counter() - started


def process_chunk(ctx: Context, chunk: Sequence[tuple[Source, tuple[str, ...]]]) -> None:
    """Parse each article once, then per language translate the chunk together and finish each unit."""
    parsed = [(source, langs, _parse(ctx, source, langs)) for source, langs in chunk]
    ready = [(source, langs, done) for source, langs, done in parsed if done is not None]
    for lang in ctx.options.langs:
        todo = [(source, article, parse_s) for source, langs, (article, parse_s) in ready if lang in langs]
        results = _translate([article for _, article, _ in todo], lang, ctx) if todo else []
        for (source, _, parse_s), result in zip(todo, results, strict=True):
            try:
                if isinstance(result, Exception):
                    raise result
                _finish(ctx, source, result, parse_s)
            except Exception as error:  # a check or write failure fails this unit only
                if is_disk_full(error):
                    raise  # not the unit's fault: the batch stops (resumable), the unit is not recorded
                _fail(ctx, source, lang, failure_reason(error))


def _chunks(todo: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(todo), size):
        yield todo[start : start + size]


def work(ctx: Context, todo: Sequence[tuple[Source, tuple[str, ...]]], parent: int | None = None) -> None:
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
