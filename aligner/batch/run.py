"""``aligner batch``: translate and check a folder or JSONL file of articles, resumably.

The unit of work is one article in one language. ``run_batch`` validates everything first, locks the
output folder, records the run in the manifest (``aligner.batch.manifest``), does every pending unit
(``aligner.batch.work``) and rewrites ``summary.jsonl`` and ``index.html`` from the manifest.

Resuming is explicit: a folder that holds a manifest is refused without ``--resume`` (a mistyped
``--out`` must not mix two batches), ``--resume`` needs a folder that holds a whole manifest (a missing,
empty or corrupted one is refused, never silently started over: ``Manifest.open``), and it refuses
settings that differ from the first run's. It skips every unit recorded as ok or findings and retries
the failed ones (an input may have been fixed). The batch's own temporary files left by a killed run
(``.NAME.XXXXXXXX.tmp`` for a NAME this batch writes, and ``.aligner-batch.*``) are deleted first;
no other file is touched. ``summary.jsonl`` and ``index.html`` are rebuilt from the manifest at once.

Faults: a full disk (ENOSPC, SQLITE_FULL) stops the run (``DiskFullError``, exit 2) without recording
the unit in flight; Ctrl-C abandons the unit in flight, rewrites the views for what is done and raises
``BatchInterruptedError`` (exit 130). Either way the folder is resumable.

Workers: ``--workers N`` starts N spawned processes, each with its own engine and ``cores // N``
threads, each taking every N-th pending article; they share the manifest and the translation cache,
whose writes SQLite serialises. Two lock files keep a second run out of the folder: the run's main
process holds ``.batch.lock`` exclusively from start to end (never released in between), and each
worker holds ``.batch.workers.lock`` shared, which a new run must be able to take exclusively, so
none starts while the last worker of a killed run is still finishing its chunk (workers stop when
their parent is gone). Workers ignore SIGINT: the main process decides and stops them.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import multiprocessing
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from aligner.batch.inputs import Source, read_sources
from aligner.batch.manifest import (
    INDEX_NAME,
    MANIFEST_NAME,
    SCRATCH_PREFIX,
    SUMMARY_NAME,
    DiskFullError,
    Manifest,
    ManifestError,
    Unit,
    is_disk_full,
    write_views,
)
from aligner.batch.options import BatchOptions, Engine
from aligner.batch.work import (
    BatchContext,
    MeteredTranslator,
    Progress,
    build_engine,
    engines_for,
    tally_of,
    work,
)
from aligner.errors import AlignerError, ExitCode, UsageError
from aligner.lang.names import glossary_from
from aligner.protocols import Closeable
from aligner.report.files import RENDERERS
from aligner.report.serialize import plural
from aligner.translate.cache import TranslationCache, default_cache_path
from aligner.translate.protocol import Translator
from aligner.translate.registry import parse_model_options

__all__ = ["BatchInterruptedError", "BatchOptions", "BatchReport", "run_batch"]

log = logging.getLogger("aligner")

LOCK_NAME = ".batch.lock"  # the main process's, exclusive, for the whole run
WORKERS_LOCK_NAME = ".batch.workers.lock"  # each worker's, shared, for its whole life
_LOCKS = (LOCK_NAME, WORKERS_LOCK_NAME)
_DISK_FULL_EXIT = errno.ENOSPC  # how a worker says that it stopped on a full disk
_FAIL_ON = ("error", "warning", "never")


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What a batch run did: unit counts over every unit of the input, files, exit code, timings."""

    counts: Mapping[str, int]
    done_now: int
    summary: Path
    index: Path
    code: int
    seconds: float
    decode_seconds: float | None  # time inside the engines (None with several workers)
    load_seconds: float | None

    def line(self) -> str:
        """One line for stdout."""
        counts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        return (
            f"{plural(sum(self.counts.values()), 'unit')} ({counts}); {self.done_now} done in this run; "
            f"summary {self.summary}; report {self.index}"
        )


class BatchIncompleteError(AlignerError):
    """A worker process stopped before finishing its share."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.detail}; finished units are recorded: run again with --resume"


class BatchInterruptedError(AlignerError):
    """Ctrl-C (SIGINT) stopped the run; what was done is recorded and in the views."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, done: int, total: int) -> None:
        super().__init__(done, total)
        self.done = done
        self.total = total

    def __str__(self) -> str:
        return (
            f"interrupted: {self.done} of {self.total} units done; resume with the same command and --resume"
        )


# Temporary-looking files (".X.tmp") that do not make a folder "not empty" for a new batch.
_SCRATCH_PREFIX, _SCRATCH_SUFFIX = ".", ".tmp"
# A temporary file of textio.write_atomic: "." + the final name + "." + mkstemp's 8 characters + ".tmp".
_ATOMIC_TMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
_OWN_TMP = re.compile(re.escape(SCRATCH_PREFIX) + r"manifest\.[a-z0-9_]{8}\.tmp(?:-journal)?")


def validate(options: BatchOptions) -> None:
    """Refuse options that cannot work, before anything is read, loaded or written.

    Raises:
        UsageError: an unknown engine, format or level, no language, a bad count, or --int8,
            --engine-workers or --device cuda with ct2.
    """
    models = parse_model_options(options.models)
    unknown = ", ".join(sorted(set(models) - set(options.langs)))
    checks = [
        (options.engine not in list(Engine), f"--engine must be one of {', '.join(Engine)}"),
        (options.fmt not in RENDERERS, f"--format must be one of {', '.join(RENDERERS)}"),
        (options.fail_on not in _FAIL_ON, f"--fail-on must be one of {', '.join(_FAIL_ON)}"),
        (not options.langs, "give at least one --to language"),
        (
            min(options.workers, options.beams, options.batch_size, options.chunk) < 1,
            "--workers, --beams, --batch-size and the chunk size must be at least 1",
        ),
        (options.int8 and options.engine == "ct2", "--int8 is for --engine transformers (ct2 runs int8)"),
        (
            options.engine_workers is not None and options.engine == "ct2",
            "--engine-workers is for --engine transformers (ct2 runs one worker per thread: --threads)",
        ),
        (options.engine_workers is not None and options.engine_workers < 1, "--engine-workers must be >= 1"),
        (options.engine == "ct2" and options.device == "cuda", "--engine ct2 runs on the CPU here"),
        (bool(unknown), f"--model names {unknown} but --to does not"),
    ]
    problems = [message for failed, message in checks if failed]
    if problems:
        raise UsageError("; ".join(problems))


def _is_scratch(path: Path) -> bool:
    name = path.name
    return (name.startswith(_SCRATCH_PREFIX) and name.endswith(_SCRATCH_SUFFIX)) or bool(
        _OWN_TMP.fullmatch(name)
    )


def check_folder(out: Path, resume: bool) -> None:
    """Refuse a folder that holds other things (a new batch), or no manifest (``--resume``).

    Raises:
        UsageError: ``out`` is a file, holds a manifest (without --resume), is not empty, or holds
            nothing to resume (--resume).
        ManifestError: --resume on a folder with batch files but no manifest.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; give a folder")
    if _in_use(out):
        raise UsageError(f"--out {out} is in use by another aligner batch; wait for it to end")
    _check_contents(out, resume)


def _check_contents(out: Path, resume: bool) -> None:
    manifest = out / MANIFEST_NAME
    others = (
        [p.name for p in out.iterdir() if p.name not in _LOCKS and not _is_scratch(p)] if out.is_dir() else []
    )
    if resume:
        if not manifest.exists() and not others:
            raise UsageError(
                f"--out {out} holds no batch to resume (no {MANIFEST_NAME}); "
                "run without --resume to start one there"
            )
        if not manifest.exists():
            raise ManifestError(manifest, "is missing but the folder is not empty")
        return
    if manifest.exists():
        raise UsageError(
            f"--out {out} holds an earlier batch ({MANIFEST_NAME}); pass --resume to finish it "
            "(finished units are kept), or choose another --out"
        )
    if SUMMARY_NAME in others or INDEX_NAME in others:
        raise ManifestError(manifest, "is missing but the folder holds batch outputs")
    if others:
        raise UsageError(f"--out {out} is not empty; choose a new or empty folder")


def _in_use(out: Path) -> bool:
    """True when a live batch (or a dead one's last worker) holds a lock of ``out`` (a probe; none kept)."""
    for name in _LOCKS:
        try:
            fd = os.open(out / name, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
    return False


def _writable(out: Path, error: OSError) -> AlignerError:
    """The error to raise for an OSError met while setting up ``out``."""
    if is_disk_full(error):
        return DiskFullError(out, error.strerror or str(error))
    return UsageError(
        f"--out {out}: cannot write there ({error.strerror or error}); choose a writable folder"
    )


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock exclusively for the whole run (refusing a second run, and a folder where a
    dead run's last worker still holds the workers' lock)."""
    fds: list[int] = []
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
            fds += [os.open(out / name, os.O_RDWR | os.O_CREAT, 0o644) for name in _LOCKS]
        except OSError as error:
            raise _writable(out, error) from None
        try:
            fcntl.flock(fds[0], fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fds[1], fcntl.LOCK_EX | fcntl.LOCK_NB)  # no worker of an earlier run is alive
        except BlockingIOError:
            raise UsageError(f"--out {out} is in use by another aligner batch; wait for it to end") from None
        fcntl.flock(fds[1], fcntl.LOCK_UN)  # our workers take it shared; .batch.lock keeps others out
        yield
    finally:
        for fd in fds:
            os.close(fd)


def _own_names(sources: Sequence[Source], options: BatchOptions) -> set[str]:
    """The names of the files this batch writes into ``out`` (what its temporary files are named after)."""
    ext = RENDERERS[options.fmt][0]
    names = {SUMMARY_NAME, INDEX_NAME}
    for source in sources:
        for lang in options.langs:
            names |= {
                f"{source.stem}.{lang}.txt",
                f"{source.stem}.{lang}.json",
                f"{source.stem}.{lang}.check.{ext}",
            }
    return names


def _remove_scratch(out: Path, names: set[str]) -> None:
    """Delete the temporary files that a killed run of this batch left (safe: this process holds the
    lock); any other file, such as a user's ``.notes.tmp``, is left alone."""
    for path in out.iterdir():
        match = _ATOMIC_TMP.fullmatch(path.name)
        own = (match is not None and match["name"] in names) or _OWN_TMP.fullmatch(path.name) is not None
        if own and path.is_file():
            path.unlink()


def check_settings(manifest: Manifest, options: BatchOptions) -> None:
    """Refuse to resume a folder with settings that would mix outputs of different runs.

    Raises:
        UsageError: input, engine, decoding, format, glossary, or a shared language's model differ.
    """
    before, now = manifest.settings(), options.settings()
    if before is None:
        return
    differ = [key for key in now if key not in ("models", "aligner") and before.get(key) != now[key]]
    shared = set(before.get("models", {})) | set(now["models"])
    differ += [
        f"model {lang}" for lang in sorted(shared) if before["models"].get(lang) != now["models"].get(lang)
    ]
    if differ:
        raise UsageError(
            f"--out {options.out} was started with other settings ({', '.join(differ)}); "
            "resume with the same options, or choose another --out"
        )


def _pending(
    sources: Sequence[Source], langs: Sequence[str], finished: Mapping[tuple[str, str], str]
) -> list[tuple[Source, tuple[str, ...]]]:
    """Units still to do per article: never recorded, or recorded as failed (they are retried)."""
    todo = []
    for source in sources:
        missing = tuple(lang for lang in langs if finished.get((source.id, lang), "failed") == "failed")
        if missing:
            todo.append((source, missing))
    return todo


@contextmanager
def _no_sigint() -> Iterator[None]:
    """Ignore a second Ctrl-C while the views of an interrupted run are written (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if before is not None:
            signal.signal(signal.SIGINT, before)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class _Timing:
    load_seconds: float | None
    decode_seconds: float | None
    failed_workers: tuple[str, ...] = ()


def _run_here(
    ctx: BatchContext,
    todo: Sequence[tuple[Source, tuple[str, ...]]],
    engines: Mapping[str, Translator],
    threads: int,
    parent: int | None = None,
) -> _Timing:
    """Process ``todo`` in this process, loading the engines it needs (unless given)."""
    options = ctx.options
    started = time.perf_counter()
    needed = [lang for lang in options.langs if any(lang in langs for _, langs in todo)]
    models = parse_model_options(options.models)
    metered = {
        lang: MeteredTranslator(engines[lang])
        if lang in engines
        else build_engine(lang, models.get(lang), options, threads)
        for lang in needed
    }
    loaded = time.perf_counter()
    cache = TranslationCache(options.cache or default_cache_path(options.out))
    try:
        ctx.engines = {lang: engines_for(lang, engine, cache, options) for lang, engine in metered.items()}
        work(ctx, todo, parent)
    finally:
        cache.close()
        for lang, engine in metered.items():
            if lang not in engines and isinstance(engine.inner, Closeable):
                engine.inner.close()  # the transformers engine's worker processes
    return _Timing(loaded - started, sum(t.seconds for t in metered.values()))


def _worker_main(
    options: BatchOptions,
    todo: Sequence[tuple[Source, tuple[str, ...]]],
    run: int,
    parent: int,
    threads: int,
    level: int,
) -> None:
    """The body of one worker process (spawned: nothing is inherited but its arguments)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    logging.basicConfig(level=level, format="aligner: %(levelname)s: %(message)s", stream=sys.stderr)
    fd = os.open(options.out / WORKERS_LOCK_NAME, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_SH)  # held until this process ends: no new run starts while it writes
    manifest = Manifest(options.out / MANIFEST_NAME)
    try:
        ctx = BatchContext(options, manifest, run, glossary_from(options.glossary), {})
        _run_here(ctx, todo, {}, threads, parent)
    except AlignerError as error:
        print(f"aligner: error: {error}", file=sys.stderr)
        raise SystemExit(int(error.exit_code)) from None
    except Exception as error:
        if is_disk_full(error):
            raise SystemExit(_DISK_FULL_EXIT) from None  # the parent says it, once
        raise
    finally:
        manifest.close()


def _run_workers(
    ctx: BatchContext, todo: Sequence[tuple[Source, tuple[str, ...]]], progress: Progress
) -> _Timing:
    """Start one process per worker, each with every N-th pending article; show progress from the manifest."""
    options = ctx.options
    count = min(options.workers, len(todo))
    threads = options.threads or max(1, _cores() // count)
    spawn = multiprocessing.get_context("spawn")  # no fork: engines and SQLite handles stay private
    level = log.getEffectiveLevel()
    args = [(options, todo[i::count], ctx.run, os.getpid(), threads, level) for i in range(count)]
    workers = [
        spawn.Process(target=_worker_main, args=a, name=f"aligner-batch-{i}") for i, a in enumerate(args)
    ]
    try:
        for worker in workers:
            worker.start()
        while any(worker.is_alive() for worker in workers):
            next(w for w in workers if w.is_alive()).join(0.5)
            progress.update(tally_of(ctx.manifest.units(ctx.run)))
    finally:
        for worker in workers:
            if worker.pid is None:
                continue  # never started (start() of an earlier one raised): joining it would hide that error
            if worker.is_alive():
                worker.terminate()
            worker.join()
    if any(w.exitcode == _DISK_FULL_EXIT for w in workers):
        raise DiskFullError(options.out, "a worker could not write")
    failed = tuple(
        f"{w.name} exited with {w.exitcode}" for w in workers if w.pid is not None and w.exitcode != 0
    )
    return _Timing(None, None, failed)


def exit_code(units: Sequence[Unit], fail_on: str) -> int:
    """1 when a unit failed or has findings at ``fail_on`` (pipeline problems count as errors), else 0."""
    for unit in units:
        row = unit.row
        errors = int(row.get("errors") or 0) + int(row.get("problems") or 0)
        warnings = int(row.get("warnings") or 0)
        if unit.status == "failed" or (fail_on == "error" and errors):
            return 1
        if fail_on == "warning" and errors + warnings:
            return 1
    return 0


# Does the pending units somewhere else (``aligner.batch.ray``); returns why it stopped early, if it did.
Runner = Callable[[BatchContext, Sequence[tuple[Source, tuple[str, ...]]]], tuple[str, ...]]


def run_batch(
    options: BatchOptions,
    engines: Mapping[str, Translator] | None = None,
    stderr: IO[str] | None = None,
    runner: Runner | None = None,
) -> BatchReport:
    """Translate, check and record every pending unit; rewrite ``summary.jsonl`` and ``index.html``.

    Args:
        options: What to do.
        engines: Loaded translators by language, used instead of loading ``options``' models
            (one process only).
        stderr: Where progress goes (``sys.stderr`` when None).
        runner: Does the pending units instead of this machine's processes.

    Returns:
        The counts over every unit of the input, the exit code and timings.

    Raises:
        UsageError: bad options, input or output folder (before anything is loaded or written), or
            another batch running in the folder.
        ManifestError: --resume on a folder whose manifest is missing, empty or corrupted.
        DiskFullError: no space left for the outputs, the manifest or the cache (the folder is resumable).
        BatchInterruptedError: SIGINT (Ctrl-C) once the batch had started (the folder is resumable).
        BatchIncompleteError: a worker process died before finishing its share, or the runner stopped.
        ModelUnavailableError: a model cannot be loaded.
    """
    validate(options)
    sources = read_sources(options.input, options.out)
    check_folder(options.out, options.resume)
    glossary = glossary_from(options.glossary)
    out, title = options.out, f"aligner batch: {options.input.name}"
    try:
        with _locked(out):
            _check_contents(out, options.resume)  # again, now that no other run can change the folder
            _remove_scratch(out, _own_names(sources, options))
            if options.resume:
                manifest = Manifest.open(out / MANIFEST_NAME)
            else:
                manifest, run = Manifest.create(out / MANIFEST_NAME, options.settings())
            try:
                if options.resume:
                    check_settings(manifest, options)
                    run = manifest.begin_run(options.settings())
                    write_views(out, manifest, title)  # whatever the last run left, rebuilt now
                ctx = BatchContext(options, manifest, run, glossary, {})
                return _run(ctx, sources, engines or {}, stderr or sys.stderr, runner)
            finally:
                manifest.close()
    except (OSError, sqlite3.Error) as error:
        if is_disk_full(error):
            raise DiskFullError(out, _reason(error)) from None
        if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise _writable(out, error) from None
        raise


def _reason(error: OSError | sqlite3.Error) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _run(
    ctx: BatchContext,
    sources: Sequence[Source],
    engines: Mapping[str, Translator],
    stderr: IO[str],
    runner: Runner | None = None,
) -> BatchReport:
    options, started = ctx.options, time.perf_counter()
    todo = _pending(sources, options.langs, ctx.manifest.finished())
    title = f"aligner batch: {options.input.name}"
    wanted = {(source.id, lang) for source in sources for lang in options.langs}
    try:
        with Progress(sum(len(langs) for _, langs in todo), stderr) as progress:
            ctx.on_unit = progress.update
            if runner is not None and todo:
                timing = _Timing(None, None, runner(ctx, todo))
            elif options.workers > 1 and len(todo) > 1 and not engines:
                timing = _run_workers(ctx, todo, progress)
            elif todo:
                timing = _run_here(ctx, todo, engines, options.threads or _cores())
            else:
                timing = _Timing(0.0, 0.0)
        summary, index = write_views(options.out, ctx.manifest, title)
    except KeyboardInterrupt:
        with _no_sigint():
            ctx.manifest.abandon()  # a row interrupted before its commit is not recorded
            write_views(options.out, ctx.manifest, title)
            done = sum((unit.article_id, unit.lang) in wanted for unit in ctx.manifest.units())
        raise BatchInterruptedError(done, len(wanted)) from None
    if timing.failed_workers:
        raise BatchIncompleteError("; ".join(timing.failed_workers))
    units = [unit for unit in ctx.manifest.units() if (unit.article_id, unit.lang) in wanted]
    return BatchReport(
        counts={status: sum(u.status == status for u in units) for status in ("ok", "findings", "failed")},
        done_now=len(ctx.manifest.units(ctx.run)),
        summary=summary,
        index=index,
        code=exit_code(units, options.fail_on),
        seconds=time.perf_counter() - started,
        decode_seconds=timing.decode_seconds,
        load_seconds=timing.load_seconds,
    )
