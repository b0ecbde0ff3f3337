"""The record of a batch run: an SQLite manifest of finished units, and the views made from it
(``summary.jsonl`` and ``index.html``).

A unit is one article in one language. The invariant that makes a batch resumable:

    A unit's row is committed, in one transaction, only AFTER all of its files are in place
    (each written to a temporary file, fsynced and renamed over the old name).

So a row always means "its files are complete". A process killed at any moment leaves either a row
with its files, or no row and (perhaps) some of that unit's files from this or an earlier attempt,
which the next run replaces atomically when it redoes the unit. Nothing is lost, nothing is counted
twice, and no reader ever sees a half-written file. ``summary.jsonl`` and ``index.html`` are rewritten
atomically from the manifest at the start of a resumed run and at the end of every run (also an
interrupted one), so they always agree with it.

Durability: before a unit's row is committed, the directories of its files are fsynced (``fsync_dir``),
so after a power cut a recorded unit never points at a file whose rename was lost. (``textio.write_atomic``
fsyncs the file itself; the directory fsync lives here, where the invariant is kept.)

The file is in WAL mode with ``synchronous=FULL`` and a busy timeout, so worker processes may record
units concurrently: SQLite serialises the writers.

A manifest is created whole (``Manifest.create``: schema, version stamp and the first run's settings in a
temporary file, fsynced, renamed into place), so an existing ``manifest.sqlite`` that is empty, not
SQLite, fails ``PRAGMA quick_check``, has another schema or version, or records no run, was damaged
after the fact: ``Manifest.open`` refuses it (``ManifestError``) rather than start the batch over.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.errors import AlignerError, ExitCode
from aligner.report.batch_index import STATUSES, index_html, summary_jsonl
from aligner.textio import write_atomic
from aligner.translate.cache import connect

MANIFEST_NAME = "manifest.sqlite"
MANIFEST_VERSION = 1  # PRAGMA user_version; 0 is a manifest from before the stamp (same schema)
_APPLICATION_ID = int.from_bytes(b"alnB", "big")  # PRAGMA application_id: "this is an aligner manifest"
# The prefix of the temporary files the batch itself names (``.aligner-batch.manifest.XXXXXXXX.tmp``).
SCRATCH_PREFIX = ".aligner-batch."
SUMMARY_NAME = "summary.jsonl"
INDEX_NAME = "index.html"
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        run INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        settings TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS units (
        article_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'findings', 'failed')),
        reason TEXT,
        outputs TEXT NOT NULL,
        row TEXT NOT NULL,
        run INTEGER NOT NULL REFERENCES runs (run),
        finished_at TEXT NOT NULL,
        PRIMARY KEY (article_id, lang)
    )""",
)


_COLUMNS = {
    "runs": ("run", "started_at", "settings"),
    "units": ("article_id", "lang", "seq", "status", "reason", "outputs", "row", "run", "finished_at"),
}
_SQLITE_MAGIC = b"SQLite format 3\x00"


class ManifestError(AlignerError):
    """The manifest of an output folder is missing, empty, corrupted or of another kind."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return (
            f"{self.path} {self.problem}: the batch in {self.path.parent} cannot be resumed; move that "
            "folder aside (its finished files stay readable) or start a new --out"
        )


class DiskFullError(AlignerError):
    """The disk (or quota) holding the output folder or the cache is full."""

    exit_code = ExitCode.USAGE

    def __init__(self, out: Path, detail: str) -> None:
        super().__init__(out, detail)
        self.out = out
        self.detail = detail

    def __str__(self) -> str:
        return (
            f"--out {self.out}: no space left ({self.detail}); finished units are recorded: "
            "free some space, then run again with --resume"
        )


def is_disk_full(error: BaseException) -> bool:
    """True for ENOSPC/EDQUOT, or SQLite's SQLITE_FULL, in ``error`` or the errors it was raised from."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if (
            isinstance(seen, sqlite3.Error)
            and getattr(seen, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def fsync_dir(folder: Path) -> None:
    """Make the renames inside ``folder`` durable (its entries reach the disk before we go on)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass(frozen=True, slots=True)
class Unit:
    """One finished unit: an article in one language, as recorded in the manifest.

    ``row`` is its ``summary.jsonl`` line; ``outputs`` maps ``translation``/``record``/``check`` to
    file names relative to the output folder (empty for a failed unit).
    """

    article_id: str
    lang: str
    seq: int  # the article's place in the input, so the summary follows the input order
    status: str
    reason: str | None
    outputs: Mapping[str, str]
    row: Mapping[str, Any]
    run: int = 0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")


class Manifest:
    """The manifest file of one output folder."""

    def __init__(self, path: Path) -> None:
        """Open ``path``, creating its tables when missing (use ``create`` or ``open`` in a batch)."""
        self.path = path
        self._db = connect(path)
        for statement in _SCHEMA:
            self._db.execute(statement)
        if self._db.execute("PRAGMA user_version").fetchone()[0] == 0:
            self._db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            self._db.execute(f"PRAGMA user_version = {MANIFEST_VERSION}")

    @classmethod
    def create(cls, path: Path, settings: Mapping[str, Any]) -> tuple[Manifest, int]:
        """Create the manifest of a new batch whole, with its first run; return it and the run (1).

        The file is built under a temporary name, fsynced and renamed into place, so a process killed
        at any moment leaves either no manifest or a complete one (never an empty file).
        """
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f"{SCRATCH_PREFIX}manifest.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA synchronous=FULL")
                db.execute("BEGIN")
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {MANIFEST_VERSION}")
                db.execute(
                    "INSERT INTO runs (started_at, settings) VALUES (?, ?)", (_now(), json.dumps(settings))
                )
                db.execute("COMMIT")
            finally:
                db.close()
            with tmp.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                leftover.unlink(missing_ok=True)
            raise
        fsync_dir(path.parent)
        return cls(path), 1

    @classmethod
    def open(cls, path: Path) -> Manifest:
        """Open the manifest of an earlier batch after checking that it is whole.

        Raises:
            ManifestError: missing, empty, not SQLite, failing ``PRAGMA quick_check``, another schema
                or a newer version, or no run recorded.
        """
        problem = _problem(path)
        if problem is not None:
            raise ManifestError(path, problem)
        return cls(path)

    def abandon(self) -> None:
        """Roll back a transaction left open by an interruption (a no-op otherwise)."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def settings(self) -> dict[str, Any] | None:
        """Return the settings of the first run recorded here, or None for a new manifest."""
        row = self._db.execute("SELECT settings FROM runs ORDER BY run LIMIT 1").fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def begin_run(self, settings: Mapping[str, Any]) -> int:
        """Record the start of a run with its settings; return its number (1 for the first)."""
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, settings) VALUES (?, ?)", (_now(), json.dumps(settings))
        )
        return int(cursor.lastrowid or 0)

    def record(self, unit: Unit, run: int) -> None:
        """Record a finished unit in one transaction (replacing an earlier row of the same unit).

        Call this only after every file of the unit is in place (see the module docstring); their
        directories are fsynced here, before the row is committed.
        """
        for folder in sorted({(self.path.parent / name).parent for name in unit.outputs.values()}):
            fsync_dir(folder)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO units "
                "(article_id, lang, seq, status, reason, outputs, row, run, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    unit.article_id,
                    unit.lang,
                    unit.seq,
                    unit.status,
                    unit.reason,
                    json.dumps(dict(unit.outputs), ensure_ascii=False),
                    json.dumps(dict(unit.row), ensure_ascii=False),
                    run,
                    _now(),
                ),
            )
        except BaseException:
            self.abandon()
            raise
        self._db.execute("COMMIT")

    def finished(self) -> dict[tuple[str, str], str]:
        """Return the status of every recorded unit, by ``(article_id, lang)``."""
        rows = self._db.execute("SELECT article_id, lang, status FROM units")
        return {(article_id, lang): status for article_id, lang, status in rows}

    def units(self, run: int | None = None) -> list[Unit]:
        """Return the recorded units (of one run when ``run`` is given) in input order."""
        query = "SELECT article_id, lang, seq, status, reason, outputs, row, run FROM units"
        rows = self._db.execute(
            query + (" WHERE run = ?" if run is not None else "") + " ORDER BY seq, lang",
            (run,) if run is not None else (),
        )
        return [
            Unit(a, lang, seq, status, reason, json.loads(outputs), json.loads(row), r)
            for a, lang, seq, status, reason, outputs, row, r in rows
        ]

    def close(self) -> None:
        """Close the file."""
        self._db.close()


def _problem(path: Path) -> str | None:
    """Say what is wrong with the manifest file at ``path``, or None when it is whole."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return "is missing"
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if size == 0:
        return "is empty (0 bytes)"
    if magic != _SQLITE_MAGIC:
        return "is not an SQLite database (overwritten or corrupted)"
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    new = [sidecar for sidecar in sidecars if not sidecar.exists()]
    problem = None
    try:
        db = connect(path)
        try:
            problem = _db_problem(db)
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        problem = f"is corrupted ({error})"
    if problem is not None:
        for sidecar in new:  # leave a refused folder as it was
            sidecar.unlink(missing_ok=True)
    return problem


def _db_problem(db: sqlite3.Connection) -> str | None:
    check = [" ".join(str(row[0]).split()) for row in db.execute("PRAGMA quick_check(3)")]
    if check != ["ok"]:
        return f"is corrupted (quick_check: {'; '.join(check)})"  # one line: its rows hold newlines
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if app_id not in (0, _APPLICATION_ID):
        return f"is not an aligner manifest (application_id {app_id})"
    if version > MANIFEST_VERSION:
        return (
            f"was written by a newer aligner (manifest version {version}; this one reads {MANIFEST_VERSION})"
        )
    for table, columns in _COLUMNS.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            return (
                f"has no valid {table} table"
                if not found
                else f"has another {table} table ({', '.join(found)})"
            )
    if db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0:
        return "records no run"
    return None


def write_views(out_dir: Path, manifest: Manifest, title: str) -> tuple[Path, Path]:
    """Rewrite ``summary.jsonl`` and ``index.html`` atomically from the manifest; return their paths."""
    units = manifest.units()
    summary, index = out_dir / SUMMARY_NAME, out_dir / INDEX_NAME
    write_atomic(summary, summary_jsonl(units))
    write_atomic(index, index_html(units, title, STATUSES))
    fsync_dir(out_dir)
    return summary, index
