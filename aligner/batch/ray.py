"""``aligner batch --engine-backend ray``: the pending units of a batch, translated on a Ray cluster.

Ray does the distribution; this module only says what to run. The driver (the process that runs
``aligner batch``) lists the articles, reads the pending ones and cuts them into the chunks the local
batch uses. Ray Data maps the chunks over an actor pool of ``TranslateWorker``s, each of which loads its
engines once and turns a chunk into finished units *as data*: the contents of each unit's files and its
manifest row. The driver streams the results back and, unit by unit as they arrive, writes the files
atomically and then records the unit (the order of ``aligner.batch.manifest``'s invariant). The driver is
the only writer of the output folder, the manifest and the translation cache.

Failures are the local batch's: an article that cannot be read, parsed, translated or checked is a
failed unit with its reason. A worker process that dies is re-created by Ray (loading its engines
again) and its chunk retried, up to ``RayOptions.retries`` times; nothing of a chunk reaches the driver
before the chunk is done, so a retried chunk is recorded once. A driver that dies loses only the units
it had not recorded; ``--resume`` does those (with either backend: the outputs are the same).

The translation cache has one writer, the driver: workers return the translations they made with
their units, and the driver inserts them (SQLite's single-writer model, with no file shared between
hosts, which SQLite's WAL mode does not support). Workers read a snapshot: the driver copies the
cache with SQLite's backup API next to the cache file before the run, and each worker opens that copy
read-only and immutable (safe on any file system); a worker that cannot see it starts empty, which
costs decoding time, never correctness. Each worker also remembers what it translated itself.

Test hook: with ``ALIGNER_TEST_KILL_WORKER_ONCE=PATH`` set for the driver, the first worker to start a
chunk creates PATH and exits at once (``os._exit``), as a killed process would; later chunks run
normally because PATH exists. Unset (always, outside tests), it does nothing.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import IO, Any
from urllib.parse import quote

from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.batch.flow import Job, Outcome, Settings, failure_reason, run_chunk
from aligner.batch.inputs import Source, load_text
from aligner.batch.manifest import Unit
from aligner.batch.options import BatchOptions
from aligner.batch.run import BatchReport, run_batch
from aligner.batch.work import BatchContext, build_engine, engines_for, finished_row, record_unit, unit_row
from aligner.errors import AlignerError, DependencyMissingError, UsageError
from aligner.lang.names import glossary_from
from aligner.report.files import write_files
from aligner.translate.cache import TranslationCache, default_cache_path
from aligner.translate.registry import parse_model_options
from aligner.version import __version__

__all__ = [
    "KILL_ONCE_ENV",
    "RayOptions",
    "TranslateWorker",
    "WorkerSpec",
    "require_ray",
    "run_batch_ray",
    "run_units",
]

log = logging.getLogger("aligner")

INSTALL = "pip install 'aligner[ray]'"
KILL_ONCE_ENV = "ALIGNER_TEST_KILL_WORKER_ONCE"
Todo = Sequence[tuple[Source, tuple[str, ...]]]
# The cache table of a worker that cannot see the snapshot (the columns ``TranslationCache.get`` reads).
_EMPTY_CACHE = "CREATE TABLE translations (signature TEXT, source TEXT, target TEXT)"


@dataclass(frozen=True, slots=True)
class RayOptions:
    """Where and how the Ray backend runs."""

    address: str | None = None  # None: $RAY_ADDRESS if set, else a new single-node cluster here
    retries: int = 3  # attempts at a chunk whose worker died, after the first


def require_ray() -> ModuleType:
    """Import Ray and Ray Data.

    Raises:
        DependencyMissingError: Ray is not installed (with the install command).
    """
    try:
        import ray
        import ray.data  # noqa: F401  (the extra is ray[data]; plain ray lacks it)
    except ImportError:
        raise DependencyMissingError("--engine-backend ray", INSTALL) from None
    module: ModuleType = ray
    return module


# ---------------------------------------------------------------- on the workers


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """What every worker needs: plain data, so that Ray can ship it to any node."""

    options: BatchOptions  # the pending languages only; model and glossary paths made absolute
    out: str  # the driver's output folder, resolved: named inside check reports, never written here
    threads: int
    snapshot: str | None  # the cache snapshot, when the driver made one
    version: str = __version__
    kill_once: str | None = None  # the test hook's marker file (see the module docstring)


class WorkerCache(TranslationCache):
    """A worker's cache: a read-only snapshot plus what this worker translated, kept to be returned.

    ``put`` never touches a file: the pairs wait in ``fresh`` until ``take`` hands them to the driver.
    """

    def __init__(self, snapshot: str | None) -> None:  # no super().__init__: nothing is opened for writing
        self.path = Path(snapshot or ":memory:")
        self._db = _open_snapshot(snapshot)
        self._memory: dict[tuple[str, str], str] = {}
        self.fresh: dict[str, list[tuple[str, str]]] = {}

    def get(self, signature: str, sources: Sequence[str]) -> dict[str, str]:
        """Return the snapshot's and this worker's targets of ``sources`` under ``signature``."""
        found = super().get(signature, sources)
        found.update((s, self._memory[signature, s]) for s in sources if (signature, s) in self._memory)
        return found

    def put(self, signature: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Remember ``pairs`` here and keep them for the driver."""
        self._memory.update(((signature, s), t) for s, t in pairs)
        self.fresh.setdefault(signature, []).extend(pairs)

    def take(self) -> dict[str, list[tuple[str, str]]]:
        """Return and forget the pairs made since the last call."""
        fresh, self.fresh = self.fresh, {}
        return fresh


def _open_snapshot(snapshot: str | None) -> sqlite3.Connection:
    if snapshot is not None and Path(snapshot).is_file():
        uri = f"file:{quote(snapshot)}?mode=ro&immutable=1"  # immutable: no locks, fine on NFS
        return sqlite3.connect(uri, uri=True, check_same_thread=False)
    if snapshot is not None:
        log.warning(
            "batch: ray worker on %s cannot read the cache snapshot %s", os.uname().nodename, snapshot
        )
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(_EMPTY_CACHE)
    return db


def _maybe_die(marker: str | None) -> None:
    """The test hook: exit like a killed process, once per marker file."""
    if marker is None:
        return
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    os._exit(1)


def _source(item: Mapping[str, Any]) -> Source:
    return Source(item["id"], item["seq"], item["stem"], item["origin"], fields=item["fields"])


def _payload(unit: Unit, files: Mapping[str, str] | None = None) -> dict[str, Any]:
    fields = ("article_id", "lang", "seq", "status", "reason", "outputs", "row")
    return {"unit": {f: getattr(unit, f) for f in fields}, "files": dict(files or {}), "cache": {}}


def _failed(source: Source, lang: str, reason: str) -> dict[str, Any]:
    return _payload(
        Unit(source.id, lang, source.seq, "failed", reason, {}, unit_row(source, lang, "failed", reason))
    )


class TranslateWorker:
    """A Ray Data actor: loads the engine of each language once, then turns chunks into finished units.

    Raises (at start):
        UsageError: this node runs another aligner version than the driver.
        ModelUnavailableError: a model cannot be loaded on this node.
    """

    def __init__(self, spec: WorkerSpec) -> None:
        if spec.version != __version__:
            raise UsageError(
                f"ray worker on {os.uname().nodename} runs aligner {__version__}, the driver {spec.version}; "
                "install the same version on every node"
            )
        self.spec = spec
        options = spec.options
        models = parse_model_options(options.models)
        self.cache = WorkerCache(spec.snapshot)
        self.engines = {
            lang: engines_for(
                lang, build_engine(lang, models.get(lang), options, spec.threads), self.cache, options
            )
            for lang in options.langs
        }
        self.settings = Settings(
            out_dir=Path(spec.out), fmt=options.fmt, glossary=glossary_from(options.glossary),
            thresholds=options.thresholds,
        )  # fmt: skip

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str]]:
        """Turn each chunk of the batch (a JSON list of articles) into units (one JSON object each)."""
        _maybe_die(self.spec.kill_once)
        units: list[str] = []
        for chunk in batch["chunk"]:
            units += (json.dumps(unit) for unit in self.process(json.loads(chunk)))
        return {"unit": units}

    def process(self, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Parse each article once, then per language run the chunk through the per-article flow
        (``aligner.batch.flow``) and return each unit with its files as data."""
        units: list[dict[str, Any]] = []
        ready: list[tuple[Source, Sequence[str], Article, float]] = []
        for item in items:
            source, started = _source(item), time.perf_counter()
            try:
                article = parse_article(item["text"])
            except Exception as error:  # a parser bug fails this article, not the batch
                units += (_failed(source, lang, failure_reason(error)) for lang in item["langs"])
                continue
            ready.append((source, item["langs"], article, time.perf_counter() - started))
        for lang in self.spec.options.langs:
            todo = [(source, article, parse_s) for source, langs, article, parse_s in ready if lang in langs]
            jobs = [Job(source.stem, source.origin, article) for source, article, _ in todo]
            outcomes = run_chunk(jobs, lang, self.engines[lang], self.settings) if todo else []
            units += (self._unit(s, o, lang, p) for (s, _, p), o in zip(todo, outcomes, strict=True))
        if units:
            units[0]["cache"] = self.cache.take()
        return units

    def _unit(
        self, source: Source, outcome: Outcome | Exception, lang: str, parse_s: float
    ) -> dict[str, Any]:
        if isinstance(outcome, Exception):
            return _failed(source, lang, failure_reason(outcome))
        outputs = outcome.outputs
        row = finished_row(source, outcome.result, outcome.report, outputs)
        row["timings"] = {
            "parse_s": round(parse_s, 4),
            "translate_s": round(outcome.result.seconds, 4),
            "check_s": round(outcome.check_seconds, 4),
            "write_s": 0.0,  # the driver's, filled in when it writes the files
        }
        unit = Unit(source.id, lang, source.seq, row["status"], None, outputs, row)
        return _payload(unit, outcome.files)


# ---------------------------------------------------------------- on the driver


def _connect(ray: ModuleType, address: str | None) -> bool:
    """Join the cluster at ``address`` ($RAY_ADDRESS, else a new one here); True when this started Ray."""
    if ray.is_initialized():
        return False
    ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=True)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # our own progress goes to stderr
    context.print_on_execution_start = False
    return True


def _snapshot(cache: Path) -> Path | None:
    """Copy the cache (a consistent copy, through SQLite's backup API) for the workers to read.

    Snapshots that killed drivers of this host left behind are deleted first.
    """
    host = os.uname().nodename
    for stale in cache.parent.glob(f".{cache.name}.ray-{host}-*.snapshot"):
        if not _alive(int(stale.name.rsplit("-", 1)[1].split(".")[0])):
            stale.unlink(missing_ok=True)
    if not cache.is_file():
        return None
    copy = cache.with_name(f".{cache.name}.ray-{host}-{os.getpid()}.snapshot")
    source, target = sqlite3.connect(cache), sqlite3.connect(copy)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal or -shm to share
    finally:
        source.close()
        target.close()
    return copy


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _for_workers(options: BatchOptions, langs: tuple[str, ...]) -> BatchOptions:
    """Keep the pending languages, and make the paths that the driver sees absolute (so that a worker
    in another directory finds them)."""
    models = tuple(
        f"{lang}={Path(model).resolve()}" if Path(model).exists() else f"{lang}={model}"
        for lang, model in parse_model_options(options.models).items()
    )
    glossary = options.glossary.resolve() if options.glossary else None
    return replace(options, langs=langs, models=models, glossary=glossary)


def _chunks(ctx: BatchContext, todo: Todo) -> Iterator[str]:
    """Read the pending articles here (a worker needs no access to the input) and yield JSON chunks.

    An article that cannot be read is recorded as failed here, as the local batch does.
    """
    for start in range(0, len(todo), ctx.options.chunk):
        items = []
        for source, langs in todo[start : start + ctx.options.chunk]:
            try:
                text = load_text(source)
            except Exception as error:  # unreadable, empty, binary, not UTF-8, a bad JSONL line
                for lang in langs:
                    record_unit(ctx, _unit_of(_failed(source, lang, failure_reason(error))))
                continue
            fields = dict(source.fields)
            items.append({"id": source.id, "seq": source.seq, "stem": source.stem, "origin": source.origin,
                          "fields": fields, "text": text, "langs": list(langs)})  # fmt: skip
        if items:
            yield json.dumps(items)


def _unit_of(payload: Mapping[str, Any]) -> Unit:
    return Unit(**payload["unit"])


def _commit(ctx: BatchContext, cache: TranslationCache, out: Path, payload: Mapping[str, Any]) -> None:
    """Store the worker's new translations, write the unit's files, then record it (in that order)."""
    for signature, pairs in payload["cache"].items():
        cache.put(signature, [(source, target) for source, target in pairs])
    started, unit = time.perf_counter(), _unit_of(payload)
    try:
        text, record, check = payload["files"]
        write_files(out, {name: payload["files"][name] for name in (check, record, text)})
    except Exception as error:  # a write failure fails this unit only, as in a local batch
        row = unit.row
        source = Source(unit.article_id, unit.seq, row["stem"], row["source"], fields=row["fields"])
        record_unit(ctx, _unit_of(_failed(source, unit.lang, failure_reason(error))))
        return
    if "timings" in unit.row:
        unit.row["timings"]["write_s"] = round(time.perf_counter() - started, 4)
    record_unit(ctx, unit)


def _stream(
    ray: ModuleType, chunks: Sequence[str], spec: WorkerSpec, ray_options: RayOptions
) -> Iterator[Any]:
    """Map the chunks over a pool of workers; yield each unit's payload as it arrives."""
    dataset = ray.data.from_items([{"chunk": chunk} for chunk in chunks], override_num_blocks=len(chunks))
    with warnings.catch_warnings():
        # Ray 2.60 deprecates remote args in map_batches but names no other way to bound an actor's task
        # retries (its default is forever: a chunk that kills every worker it meets would never end).
        warnings.filterwarnings(
            "ignore", message="`ray_remote_args` is deprecated", category=DeprecationWarning
        )
        mapped = dataset.map_batches(
            TranslateWorker,
            fn_constructor_kwargs={"spec": spec},
            batch_size=1,  # one chunk per call: the local batch's engine calls, so the same outputs
            compute=ray.data.ActorPoolStrategy(size=min(spec.options.workers, len(chunks))),
            num_cpus=spec.threads,
            max_restarts=-1,  # a dead worker is re-created, its engines reloaded
            max_task_retries=ray_options.retries,
        )
    for row in mapped.iter_rows():
        yield json.loads(row["unit"])


def _spec(ray: ModuleType, options: BatchOptions, todo: Todo, snapshot: Path | None) -> WorkerSpec:
    """The workers' settings; each takes --threads CPUs, else the cluster's CPUs shared out among them
    (at most a node's worth: a worker runs on one node)."""
    nodes = [int(node["Resources"].get("CPU", 0)) for node in ray.nodes() if node.get("Alive")]
    threads = options.threads or max(1, min(max(nodes, default=1), sum(nodes) // options.workers))
    langs = tuple(lang for lang in options.langs if any(lang in pending for _, pending in todo))
    return WorkerSpec(
        options=_for_workers(options, langs),
        out=str(options.out.resolve()),
        threads=threads,
        snapshot=str(snapshot) if snapshot else None,
        kill_once=os.environ.get(KILL_ONCE_ENV),
    )


def run_units(ctx: BatchContext, todo: Todo, ray_options: RayOptions) -> tuple[str, ...]:
    """Do ``todo`` on a Ray cluster, recording each unit as its result streams in.

    Args:
        ctx: The batch's context (manifest, run, progress callback); its translators are not used.
        todo: Pending articles with their pending languages.
        ray_options: Where the cluster is.

    Returns:
        Why the run stopped before the end (empty when every unit was recorded).

    Raises:
        DependencyMissingError: Ray is not installed.
        AlignerError: what a worker raised at start, e.g. ModelUnavailableError (as a local batch).
    """
    ray = require_ray()
    started_ray = _connect(ray, ray_options.address)
    cache_path = ctx.options.cache or default_cache_path(ctx.options.out)
    snapshot = _snapshot(cache_path)
    cache = TranslationCache(cache_path)
    try:
        chunks = list(_chunks(ctx, todo))
        if not chunks:
            return ()
        return _drive(ctx, cache, _stream(ray, chunks, _spec(ray, ctx.options, todo, snapshot), ray_options))
    finally:
        cache.close()
        if snapshot is not None:
            snapshot.unlink(missing_ok=True)
        if started_ray:
            ray.shutdown()


def _drive(ctx: BatchContext, cache: TranslationCache, results: Iterator[Any]) -> tuple[str, ...]:
    """Commit each unit as it arrives, once (a unit delivered twice is kept as first recorded)."""
    seen: set[tuple[str, str]] = set()
    while True:
        try:
            payload = next(results, None)
        except Exception as error:  # Ray gave up: a chunk's workers died too often, or cannot start
            cause = _aligner_cause(error)
            if cause is not None:  # a worker could not start (no model, another version): as locally
                raise cause from None
            return (f"the Ray run stopped: {_gist(error)}",)
        if payload is None:
            return ()
        key = (payload["unit"]["article_id"], payload["unit"]["lang"])
        if key in seen:
            log.warning("batch: ray delivered id=%r lang=%s twice; the first is kept", *key)
            continue
        seen.add(key)
        _commit(ctx, cache, ctx.options.out, payload)


def _aligner_cause(error: BaseException, depth: int = 4) -> AlignerError | None:
    """The ``AlignerError`` a worker raised, inside Ray's wrappers (``cause``, ``args``), if any."""
    if isinstance(error, AlignerError):
        return error
    inner = [getattr(error, "cause", None), error.__cause__, *error.args] if depth else []
    found = (_aligner_cause(e, depth - 1) for e in inner if isinstance(e, BaseException))
    return next((e for e in found if e is not None), None)


def _gist(error: Exception) -> str:
    """The first and last lines of a Ray error (its summary, and the cause)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()] or [""]
    gist = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"
    return f"{type(error).__name__}: {gist}"


def run_batch_ray(
    options: BatchOptions, ray_options: RayOptions, stderr: IO[str] | None = None
) -> BatchReport:
    """``run_batch`` with the pending units done on Ray: the same checks, lock, manifest, views and report.

    Raises:
        DependencyMissingError: Ray is not installed (before anything is read or written).
        BatchIncompleteError: Ray gave up before every unit was recorded (those are kept).
        UsageError: as ``run_batch``.
    """
    require_ray()
    return run_batch(options, stderr=stderr, runner=partial(run_units, ray_options=ray_options))
