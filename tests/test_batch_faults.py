"""``aligner batch`` under faults: a damaged or missing manifest, ``--resume`` on the wrong folder, the
user's files next to the batch's temporary files, a full disk, a read-only ``--out``, Ctrl-C mid-run and at
start-up, two batches on one folder, and a stale index page.

Every fault is real: SQLite files damaged byte by byte, processes signalled with ``send_signal``, a 256 KiB
tmpfs that fills up (mounted here when this process may mount, as root in CI; skipped otherwise), a tmpfs
remounted read-only. Batches that need no model use the identity translator in-process; those that go
through the CLI use the tiny models converted for CTranslate2 (quick to start) and are marked slow.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aligner.batch.manifest import (
    INDEX_NAME,
    MANIFEST_NAME,
    SUMMARY_NAME,
    DiskFullError,
    Manifest,
    Unit,
)
from aligner.batch.run import WORKERS_LOCK_NAME, BatchOptions, BatchReport, run_batch
from aligner.cli.app import app
from aligner.errors import UsageError
from aligner.translate.protocol import IdentityTranslator

REPO = Path(__file__).resolve().parent.parent
SEED_EN = REPO / "seeds" / "nk-soldier.en.txt"
TINY = REPO / "models" / "tiny"
MODELS = (f"ko={TINY / 'en-ko'}", f"uk={TINY / 'en-uk'}")
IDENTITY = {"ko": IdentityTranslator(), "uk": IdentityTranslator()}


def variant(drop: int) -> str:
    """The seed without its line ``drop`` (1-based), so that every article is a little different."""
    lines = SEED_EN.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for n, line in enumerate(lines, start=1) if n != drop) + "\n"


def articles(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"art{n:02d}.txt").write_text(variant(n % 12 + 2), encoding="utf-8")
    return folder


def options(source: Path, out: Path, **changes: Any) -> BatchOptions:
    settings: dict[str, Any] = {"langs": ("ko", "uk"), "beams": 1, "threads": 1} | changes
    models = tuple(m for m in MODELS if m.split("=")[0] in settings["langs"])
    return BatchOptions(input=source, out=out, models=models, **settings)


def identity_batch(source: Path, out: Path, **changes: Any) -> BatchReport:
    return run_batch(options(source, out, **changes), engines=IDENTITY, stderr=io.StringIO())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def manifest_rows(out: Path) -> dict[tuple[str, str], tuple[int, str]]:
    """``(article, lang) -> (run, finished_at)``, read-only (never creates the file)."""
    try:
        db = sqlite3.connect(f"file:{out / MANIFEST_NAME}?mode=ro", uri=True, timeout=5)
        try:
            found = db.execute("SELECT article_id, lang, run, finished_at FROM units").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:  # not there yet
        return {}
    return {(a, lang): (run, at) for a, lang, run, at in found}


def summary_keys(out: Path) -> list[tuple[str, str]]:
    lines = (out / SUMMARY_NAME).read_text(encoding="utf-8").splitlines()
    return [(row["id"], row["lang"]) for row in map(json.loads, lines)]


def normalised(out: Path) -> dict[str, Any]:
    """The unit files of ``out``, with the folder's path and the timings taken out."""
    found: dict[str, Any] = {}
    for path in sorted(out.iterdir()):
        if path.name.endswith((".txt", ".check.json")):
            found[path.name] = path.read_text(encoding="utf-8").replace(str(out.resolve()), "OUT")
        elif path.name.endswith(".json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            record.pop("timings")
            found[path.name] = record
    return found


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A finished identity batch of three articles in two languages: ``(input, out)``; copy before use."""
    base = tmp_path_factory.mktemp("finished")
    source = articles(base / "in", 3)
    identity_batch(source, base / "out", cache=base / "cache.sqlite")
    return source, base / "out"


@pytest.fixture
def batch_copy(finished: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    source, out = finished
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    return source, copy


def cli_args(source: Path, out: Path, *extra: str) -> list[str]:
    args = ["batch", str(source), "--to", "ko", "--to", "uk", "--out", str(out), "--beams", "1"]
    return [*args, "--threads", "1", "--model", MODELS[0], "--model", MODELS[1], *extra]


def one_line(text: str) -> str:
    assert text.count("\n") == 1 and "Traceback" not in text, text
    return text


# ---------------------------------------------------------------- a damaged or missing manifest


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def _sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        db.execute(statement)
    db.close()


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


DAMAGE: list[tuple[str, Callable[[Path], None], str]] = [
    # (name, what is done to manifest.sqlite, what the one line says)
    ("random-bytes", lambda p: p.write_bytes(os.urandom(p.stat().st_size)), "is not an SQLite database"),
    ("truncated-half", lambda p: os.truncate(p, p.stat().st_size // 2), "is corrupted"),
    ("zero-bytes", lambda p: os.truncate(p, 0), "is empty (0 bytes)"),
    ("deleted", lambda p: p.unlink(), "is missing but the folder is not empty"),
    # the units table's root page (page 3) overwritten: the header and the schema still read fine
    ("corrupted-page", lambda p: _overwrite(p, 2 * _page_size(p), b"\xff" * 64), "is corrupted"),
    ("no-units-table", lambda p: _sql(p, "DROP TABLE units"), "has no valid units table"),
    ("newer-version", lambda p: _sql(p, "PRAGMA user_version = 99"), "written by a newer aligner"),
    ("other-app", lambda p: _sql(p, "PRAGMA application_id = 7"), "is not an aligner manifest"),
    ("no-run", lambda p: _sql(p, "DELETE FROM units", "DELETE FROM runs"), "records no run"),
]


@pytest.mark.parametrize(("damage", "needle"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_damaged_manifest_is_refused_on_resume_with_one_line_and_nothing_written(
    batch_copy: tuple[Path, Path], damage: Callable[[Path], None], needle: str
) -> None:
    source, out = batch_copy
    damage(out / MANIFEST_NAME)
    before = snapshot(out)
    result = CliRunner().invoke(app, cli_args(source, out, "--resume"))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert needle in line and "move that folder aside" in line and "start a new --out" in line
    assert snapshot(out) == before  # nothing deleted, created or started over


def test_a_deleted_manifest_is_not_started_over_without_resume_either(batch_copy: tuple[Path, Path]) -> None:
    source, out = batch_copy
    (out / MANIFEST_NAME).unlink()
    result = CliRunner().invoke(app, cli_args(source, out))
    assert result.exit_code == 2
    assert "manifest.sqlite is missing but the folder holds batch outputs" in one_line(result.stderr)


def test_a_whole_manifest_passes_the_checks_and_a_new_one_is_stamped(batch_copy: tuple[Path, Path]) -> None:
    _, out = batch_copy
    Manifest.open(out / MANIFEST_NAME).close()
    db = sqlite3.connect(out / MANIFEST_NAME)
    stamp = [db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version")]
    db.close()
    assert stamp == [int.from_bytes(b"alnB", "big"), 1]


def test_a_manifest_from_before_the_stamp_still_opens(tmp_path: Path) -> None:
    Manifest.create(tmp_path / MANIFEST_NAME, {})[0].close()
    _sql(tmp_path / MANIFEST_NAME, "PRAGMA application_id = 0", "PRAGMA user_version = 0")  # as 0.x left it
    Manifest.open(tmp_path / MANIFEST_NAME).close()


# ---------------------------------------------------------------- --resume needs a manifest; temp files


RESUME_WITHOUT_MANIFEST = [
    # (name, prepare out, the one line)
    ("missing-folder", lambda out: None, "holds no batch to resume"),
    ("empty-folder", lambda out: out.mkdir(), "holds no batch to resume"),
    ("only-a-lock", lambda out: (out.mkdir(), (out / ".batch.lock").touch()), "holds no batch to resume"),
    (
        "user-files",
        lambda out: (
            out.mkdir(),
            (out / "notes.txt").write_text("mine"),
            (out / ".x.tmp").write_text("mine"),
        ),
        "manifest.sqlite is missing but the folder is not empty",
    ),
]


@pytest.mark.parametrize(
    ("prepare", "needle"),
    [r[1:] for r in RESUME_WITHOUT_MANIFEST],
    ids=[r[0] for r in RESUME_WITHOUT_MANIFEST],
)
def test_resume_needs_a_folder_with_a_manifest(
    tmp_path: Path, prepare: Callable[[Path], Any], needle: str
) -> None:
    source = articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    prepare(out)
    before = snapshot(out) if out.exists() else None
    result = CliRunner().invoke(app, cli_args(source, out, "--resume"))
    assert result.exit_code == 2 and needle in one_line(result.stderr)
    assert (snapshot(out) if out.exists() else None) == before


def test_only_the_batchs_own_temporary_files_are_cleaned(batch_copy: tuple[Path, Path]) -> None:
    source, out = batch_copy
    own = [".art00.ko.txt.abc_1234.tmp", ".art01.uk.check.json.zz99zz99.tmp", ".summary.jsonl.k3j4h5g6.tmp"]
    own += [".aligner-batch.manifest.q1w2e3r4.tmp", ".aligner-batch.manifest.q1w2e3r4.tmp-journal"]
    users = [".x.tmp", ".notes.tmp", ".notes.txt.abcdefgh.tmp", ".art00.ko.txt.tmp", ".art00.ko.txt.ab.tmp"]
    for name in own + users:
        (out / name).write_text("half", encoding="utf-8")
    identity_batch(source, out, resume=True)
    left = {p.name for p in out.iterdir()}
    assert not left & set(own)
    assert set(users) <= left and all((out / name).read_text(encoding="utf-8") == "half" for name in users)


def test_a_stale_or_damaged_index_page_is_rebuilt_on_resume(batch_copy: tuple[Path, Path]) -> None:
    source, out = batch_copy
    good = (out / INDEX_NAME).read_bytes(), (out / SUMMARY_NAME).read_bytes()
    (out / INDEX_NAME).write_bytes(good[0][: len(good[0]) // 3])  # as a copy cut short would leave it
    (out / SUMMARY_NAME).unlink()
    report = identity_batch(source, out, resume=True)
    assert report.done_now == 0
    assert ((out / INDEX_NAME).read_bytes(), (out / SUMMARY_NAME).read_bytes()) == good


# ---------------------------------------------------------------- durability


def test_the_directory_is_fsynced_before_a_unit_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spy on os.fsync (a power cut cannot be staged here): the unit's folder is synced by ``record``."""
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    manifest, run = Manifest.create(out / MANIFEST_NAME, {})
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    try:
        ok = Unit("a", "ko", 0, "ok", None, {"translation": "sub/a.ko.txt", "record": "a.ko.json"}, {})
        manifest.record(ok, run)
        assert sorted(synced) == sorted([str(out.resolve()), str((out / "sub").resolve())])
        synced.clear()
        manifest.record(Unit("b", "ko", 1, "failed", "bad", {}, {}), run)
        assert synced == []  # nothing was written for a failed unit
    finally:
        manifest.close()


# ---------------------------------------------------------------- two batches on one folder


def test_a_live_worker_of_a_dead_run_keeps_a_new_run_out(batch_copy: tuple[Path, Path]) -> None:
    import fcntl

    source, out = batch_copy
    fd = os.open(out / WORKERS_LOCK_NAME, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_SH)  # as the last worker of a killed run holds it
    try:
        with pytest.raises(UsageError, match="in use by another aligner batch"):
            identity_batch(source, out, resume=True)
    finally:
        os.close(fd)
    identity_batch(source, out, resume=True)  # and once it is gone, the folder is free


# ---------------------------------------------------------------- a full disk, a read-only folder


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs (so that a disk fills up for real); skipped where this process may not mount."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_the_run_unrecorded_and_resume_finishes(tmp_path: Path, tmpfs: Path) -> None:
    source = articles(tmp_path / "in", 12)  # about 480 KB of files: the 256 KiB disk fills on the way
    out = tmpfs / "out"
    with pytest.raises(DiskFullError) as caught:
        identity_batch(source, out, langs=("ko",))
    assert (
        caught.value.exit_code == 2
        and "no space left" in str(caught.value)
        and "--resume" in str(caught.value)
    )
    recorded = manifest_rows(out)
    assert 0 < len(recorded) < 12
    db = sqlite3.connect(out / MANIFEST_NAME)
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM units WHERE status = 'failed'").fetchone()[0] == 0
    db.close()

    subprocess.run(["mount", "-o", "remount,size=8m", str(tmpfs)], check=True)
    report = identity_batch(source, out, langs=("ko",), resume=True)
    final = manifest_rows(out)
    assert len(final) == 12 and report.done_now == 12 - len(recorded)
    assert {k: final[k] for k in recorded} == recorded  # nothing recorded before was redone
    assert sorted(summary_keys(out)) == sorted(final)
    identity_batch(source, tmp_path / "clean", langs=("ko",))
    assert normalised(out) == normalised(tmp_path / "clean")


@pytest.mark.slow
def test_a_full_disk_exits_2_with_one_line(tmp_path: Path, tmpfs: Path, ct2_home: Path) -> None:
    source = articles(tmp_path / "in", 12)
    out = tmpfs / "out"
    # The CLI's preflight refuses a device with less than a few MB free before any work (a full disk in
    # the middle of a run is test_a_full_disk_stops_the_run_unrecorded_and_resume_finishes).
    done = run_cli(cli_args(source, out, "--engine", "ct2"), ct2_home)
    assert done.returncode == 2 and done.stdout == ""
    assert f"{out}: cannot be written (only" in one_line(done.stderr)
    assert "free some space or choose another folder" in done.stderr
    assert not out.exists() or not any(out.iterdir())
    subprocess.run(["mount", "-o", "remount,size=16m", str(tmpfs)], check=True)
    again = run_cli(cli_args(source, out, "--engine", "ct2"), ct2_home)
    assert again.returncode in (0, 1), again.stderr
    assert len(manifest_rows(out)) == 24


def test_a_read_only_out_exits_2_with_one_line(
    tmp_path: Path, tmpfs: Path, finished: tuple[Path, Path]
) -> None:
    source, done = finished
    subprocess.run(["mount", "-o", "remount,size=8m", str(tmpfs)], check=True)
    shutil.copytree(done, tmpfs / "out")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for args in (cli_args(source, tmpfs / "out", "--resume"), cli_args(source, tmpfs / "new")):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        line = one_line(result.stderr)  # refused by the preflight, or by the batch when it writes
        assert "cannot be written" in line or "cannot write there (Read-only file system)" in line
        assert "choose a writable folder" in line


# ---------------------------------------------------------------- real processes on the tiny models


@pytest.fixture(scope="module")
def ct2_home(tmp_path_factory: pytest.TempPathFactory, tiny_models: dict[str, Path]) -> Path:
    """An XDG cache home holding the CTranslate2 conversions of the tiny models."""
    from aligner.translate.engines.ct2 import CT2Translator
    from aligner.translate.registry import load_registry

    home = tmp_path_factory.mktemp("xdg")
    for lang in ("ko", "uk"):
        entry = load_registry().resolve(f"en-{lang}", str(tiny_models[f"en-{lang}"]))
        CT2Translator.from_entry(entry, cache_dir=home / "aligner" / "ct2")
    return home


def _env(ct2_home: Path) -> dict[str, str]:
    return dict(os.environ, XDG_CACHE_HOME=str(ct2_home), PYTHONPATH=str(REPO))


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a shell may start us with SIGINT ignored


def run_cli(args: list[str], ct2_home: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aligner", *args]
    return subprocess.run(command, capture_output=True, text=True, env=_env(ct2_home), check=False)


def start_cli(args: list[str], ct2_home: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "aligner", *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(ct2_home),
        preexec_fn=_default_sigint,
    )


def wait_for_units(out: Path, process: subprocess.Popen[str], count: int = 1) -> None:
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if len(manifest_rows(out)) >= count:
            return
        time.sleep(0.005)
    pytest.fail(f"the batch ended (or hung) before {count} unit(s) were recorded: {process.returncode}")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-workers"])
def test_sigint_mid_run_writes_the_views_says_one_line_exits_130_and_resumes(
    tmp_path: Path, ct2_home: Path, workers: int
) -> None:
    source = articles(tmp_path / "in", 30)
    out = tmp_path / "out"
    args = cli_args(
        source, out, "--engine", "ct2", "--workers", str(workers), "--cache", str(tmp_path / "c.db")
    )
    process = start_cli(args, ct2_home)
    wait_for_units(out, process)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    recorded = manifest_rows(out)
    assert stdout == "" and one_line(stderr) == (
        f"aligner: error: interrupted: {len(recorded)} of 60 units done; resume with the same command and --resume\n"
    )
    assert 1 <= len(recorded) < 60
    assert sorted(summary_keys(out)) == sorted(recorded)  # the views say what is done
    assert (out / INDEX_NAME).read_text(encoding="utf-8").count("<tr class=") == len(recorded)

    resumed = run_cli([*args, "--resume"], ct2_home)
    assert resumed.returncode in (0, 1), resumed.stderr
    final = manifest_rows(out)
    assert len(final) == 60 and {k: final[k] for k in recorded} == recorded
    assert len(summary_keys(out)) == 60 and not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    clean = tmp_path / "clean"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(ct2_home))
        run_batch(options(source, clean, engine="ct2", cache=tmp_path / "c2.db"), stderr=io.StringIO())
    assert normalised(out) == normalised(clean)


# A SIGINT sent by the process to itself when it starts importing a module: a fixed point of start-up.
_INTERRUPT_AT = """
import os, runpy, signal, sys
class Hook:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Hook())
sys.argv = ["aligner", *{args!r}]
runpy.run_module("aligner", run_name="__main__", alter_sys=True)
"""

STARTUP = [
    # (name, module being imported when Ctrl-C comes, the one line)
    ("importing-the-cli", "typer", "aligner: interrupted\n"),
    (
        "before-the-batch",
        "aligner.batch.backends",
        "aligner: interrupted before the batch started; no unit was recorded\n",
    ),
    (
        "loading-the-engine",
        "ctranslate2",
        "aligner: error: interrupted: 0 of 4 units done; resume with the same command and --resume\n",
    ),
]


@pytest.mark.parametrize(("module", "line"), [s[1:] for s in STARTUP], ids=[s[0] for s in STARTUP])
def test_sigint_at_start_up_is_one_line_and_exit_130(tmp_path: Path, module: str, line: str) -> None:
    source = articles(tmp_path / "in", 2)
    args = cli_args(source, tmp_path / "out", "--engine", "ct2")
    code = _INTERRUPT_AT.format(module=module, args=args)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        preexec_fn=_default_sigint,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", line)


@pytest.mark.slow
@pytest.mark.parametrize("resume", [False, True], ids=["new", "resume"])
def test_a_second_batch_on_a_busy_folder_is_refused_and_the_first_ends_whole(
    tmp_path: Path, ct2_home: Path, resume: bool
) -> None:
    source = articles(tmp_path / "in", 150)  # long enough for the second batch to start meanwhile
    out = tmp_path / "out"
    args = cli_args(source, out, "--engine", "ct2", "--workers", "2", "--cache", str(tmp_path / "c.db"))
    first = start_cli(args, ct2_home)
    wait_for_units(out, first)
    # The main process holds .batch.lock exclusively all along, also while its workers run (the old
    # code turned it into a shared lock for them, which a shared probe would get).
    import fcntl

    probe = os.open(out / ".batch.lock", os.O_RDONLY)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
    finally:
        os.close(probe)
    second = run_cli(args + (["--resume"] if resume else []), ct2_home)
    assert first.poll() is None, "the first batch ended before the second started: give it more articles"
    assert second.returncode == 2 and second.stdout == ""
    assert "is in use by another aligner batch; wait for it to end" in one_line(second.stderr)
    stdout, stderr = first.communicate(timeout=120)
    assert first.returncode in (0, 1), stderr
    assert len(manifest_rows(out)) == 300 and len(summary_keys(out)) == 300
