"""Issue 13, tried as a hostile user: outputs that cannot be written, internal errors, file modes,
size limits, the fuzzing finds (chrF without a scored quotation, a deeply nested JSONL line) and model
folders that are pickle-only or corrupt.

Every refusal is exit 2 with one line on stderr naming the file, no traceback, and nothing written.
A read-only folder does not stop root, so those cases run the CLI in a subprocess, under root
without the capabilities that bypass file permissions (``setpriv``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aligner.batch.inputs import read_sources
from aligner.batch.run import BatchOptions, run_batch
from aligner.cli.app import app
from aligner.errors import ModelUnavailableError, OutputError
from aligner.textio import write_atomic, write_output
from aligner.translate.protocol import IdentityTranslator

REPO = Path(__file__).resolve().parent.parent
SEED_EN = REPO / "seeds" / "nk-soldier.en.txt"
SEED_KO = REPO / "seeds" / "nk-soldier.ko.txt"
TINY_KO = REPO / "models" / "tiny" / "en-ko"
CHECK = ["check", str(SEED_EN), str(SEED_KO), "--lang", "ko"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def one_line_refusal(code: int, stderr: str, needle: str) -> None:
    """Exit 2, exactly one line on stderr, naming ``needle``, and no traceback."""
    assert code == 2, stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("aligner: error: ") and needle in stderr, stderr
    assert "Traceback" not in stderr


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------- outputs refused in-process


def _directory(tmp: Path) -> Path:
    (tmp / "report.txt").mkdir()
    return tmp / "report.txt"


def _symlink(tmp: Path) -> Path:
    (tmp / "real.txt").write_text("keep me", encoding="utf-8")
    (tmp / "report.txt").symlink_to(tmp / "real.txt")
    return tmp / "report.txt"


def _under_a_file(tmp: Path) -> Path:
    (tmp / "plain").write_text("keep me", encoding="utf-8")
    return tmp / "plain" / "sub" / "report.txt"


OUTPUT_REFUSALS = [
    ("existing-directory", _directory, "is a directory"),
    ("symlink", _symlink, "is a symbolic link"),
    ("parent-is-a-file", _under_a_file, "is not a folder"),
]


@pytest.mark.parametrize(
    ("make", "needle"), [c[1:] for c in OUTPUT_REFUSALS], ids=[c[0] for c in OUTPUT_REFUSALS]
)
def test_check_output_refused_with_one_line(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], Path], needle: str
) -> None:
    target = make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = runner.invoke(app, [*CHECK, "--output", str(target)])
    one_line_refusal(result.exit_code, result.stderr, needle)
    assert str(target) in result.stderr
    assert result.stdout == ""
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


LOW_DISK = [
    ("check", lambda tmp: [*CHECK, "--output", str(tmp / "r.txt")]),
    ("translate", lambda tmp: ["translate", str(SEED_EN), "--to", "ko", "--out", str(tmp / "out")]),
    ("batch", lambda tmp: ["batch", str(REPO / "seeds"), "--to", "ko", "--out", str(tmp / "out")]),
]


@pytest.mark.parametrize("args", [c[1] for c in LOW_DISK], ids=[c[0] for c in LOW_DISK])
def test_a_full_disk_is_refused_before_any_work(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: Callable[[Path], list[str]]
) -> None:
    real = shutil.disk_usage

    def nearly_full(path: Any) -> Any:
        return real(path)._replace(free=4096)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    result = runner.invoke(app, [*args(tmp_path), "--model", "ko=/nonexistent/model"])
    # The named model does not exist: reaching it would say so instead of the disk.
    one_line_refusal(result.exit_code, result.stderr, "4,096 bytes free")
    assert files_under(tmp_path) == []


def test_write_atomic_refuses_a_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "plain" / "a.json", "{}")
    assert str(info.value).startswith(f"{tmp_path / 'plain' / 'a.json'}: cannot be written")
    assert files_under(tmp_path) == ["plain"]


# ---------------------------------------------------------------- outputs refused as another user


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m aligner ARGS`` in a fresh interpreter; when this runs as root, without the
    capabilities that let root write into any folder, so a read-only folder stops it as any user."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only for root")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [*prefix, sys.executable, "-m", "aligner", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)


READ_ONLY = [
    ("check-into-read-only", lambda ro: [*CHECK, "--output", str(ro / "report.txt")], "is not writable"),
    ("check-missing-subfolder", lambda ro: [*CHECK, "-o", str(ro / "a" / "b" / "r.txt")], "is not writable"),
    (
        "translate-out-read-only",
        lambda ro: [
            "translate",
            str(SEED_EN),
            "--to",
            "ko",
            "--out",
            str(ro / "out"),
            "-m",
            "ko=/nonexistent/m",
        ],
        "is not writable",
    ),
    (
        "batch-out-read-only",
        lambda ro: [
            "batch",
            str(REPO / "seeds"),
            "--to",
            "ko",
            "--out",
            str(ro / "out"),
            "-m",
            "ko=/nonexistent/m",
        ],
        "is not writable",
    ),
]


@pytest.mark.parametrize(("args", "needle"), [c[1:] for c in READ_ONLY], ids=[c[0] for c in READ_ONLY])
def test_read_only_output_exits_2_before_any_work(
    tmp_path: Path, args: Callable[[Path], list[str]], needle: str
) -> None:
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        done = run_cli(args(read_only), cwd=tmp_path)
    finally:
        read_only.chmod(0o755)
    one_line_refusal(done.returncode, done.stderr, needle)
    assert str(read_only) in done.stderr
    assert files_under(tmp_path) == ["ro"]


# ---------------------------------------------------------------- write-through, modes, --force


def test_output_writes_through_dev_null(runner: CliRunner) -> None:
    result = runner.invoke(app, [*CHECK, "--output", "/dev/null"])
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_writes_through_a_fifo(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = runner.invoke(app, [*CHECK, "--format", "json", "--output", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert json.loads(received[0])["schema"] == "aligner.check/2"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not replaced by a file


MODES = [
    ("umask-022", 0o022, None, 0o644),
    ("umask-077", 0o077, None, 0o600),
    ("umask-002", 0o002, None, 0o664),
    ("existing-file-keeps-its-mode", 0o022, 0o640, 0o640),
]


@pytest.mark.parametrize(("umask", "existing", "expected"), [c[1:] for c in MODES], ids=[c[0] for c in MODES])
def test_write_atomic_gives_the_mode_open_would(
    tmp_path: Path, umask: int, existing: int | None, expected: int
) -> None:
    target = tmp_path / "out.txt"
    if existing is not None:
        target.write_text("old", encoding="utf-8")
        target.chmod(existing)
    previous = os.umask(umask)
    try:
        write_output(target, "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == expected
    assert target.read_text(encoding="utf-8") == "new"
    assert files_under(tmp_path) == ["out.txt"]  # no temporary file left


def test_translate_refuses_existing_outputs_without_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "nk-soldier.ko.json").write_text("mine", encoding="utf-8")
    args = ["translate", str(SEED_EN), "--to", "ko", "--out", str(out), "--model", "ko=/nonexistent/model"]
    result = runner.invoke(app, args)
    one_line_refusal(result.exit_code, result.stderr, f"{out / 'nk-soldier.ko.json'}: exists already")
    assert "--force" in result.stderr
    assert (out / "nk-soldier.ko.json").read_text(encoding="utf-8") == "mine"


def test_translate_refuses_a_directory_where_an_output_goes_even_with_force(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "nk-soldier.ko.txt").mkdir()
    args = ["translate", str(SEED_EN), "--to", "ko", "--out", str(tmp_path), "--force", "-m", "ko=/x/m"]
    result = runner.invoke(app, args)
    one_line_refusal(result.exit_code, result.stderr, "nk-soldier.ko.txt: is a directory")


@pytest.mark.slow
def test_translate_force_replaces_existing_outputs(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "nk-soldier.ko.txt").write_text("stale", encoding="utf-8")
    args = ["translate", str(SEED_EN), "--to", "ko", "--out", str(out), "-m", f"ko={TINY_KO}"]
    args += ["--beams", "1", "--engine-workers", "1"]
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.stderr
    assert (out / "nk-soldier.ko.txt").read_text(encoding="utf-8") != "stale"
    assert files_under(out) == ["nk-soldier.ko.check.json", "nk-soldier.ko.json", "nk-soldier.ko.txt"]


# ---------------------------------------------------------------- internal errors


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom\nsecond line")


def test_unexpected_exception_exits_3_with_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("aligner.cli.commands.check_translation", _boom)
    result = runner.invoke(app, [*CHECK, "--output", str(tmp_path / "r.txt")])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("aligner: internal error: RuntimeError: boom")
    assert f"(while reading {SEED_KO})" in result.stderr
    assert "please report it" in result.stderr and "run with -v for the traceback" in result.stderr
    assert "Traceback" not in result.stderr
    assert files_under(tmp_path) == []


def test_verbose_shows_the_traceback_of_an_internal_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aligner.article.parse.parse_article", _boom)
    result = runner.invoke(app, ["-v", "quotes", str(SEED_EN)])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "in _boom" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("aligner: internal error: RuntimeError: boom")
    assert f"(while reading {SEED_EN})" in result.stderr


def test_help_documents_the_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.replace("│", " ").split())
    for needle in ("0 all good", "1 findings", "2 bad input", "3 internal error", "130 interrupted"):
        assert needle in text


# ---------------------------------------------------------------- --max-bytes


def test_max_bytes_refuses_large_inputs(runner: CliRunner, tmp_path: Path) -> None:
    size = SEED_EN.stat().st_size
    cases = {
        "quotes": ["quotes", str(SEED_EN)],
        "check": [*CHECK, "--output", str(tmp_path / "r.txt")],
        "translate": ["translate", str(SEED_EN), "--to", "ko", "--out", str(tmp_path / "o"), "-m", "ko=/x/y"],
    }
    for name, args in cases.items():
        result = runner.invoke(app, [*args, "--max-bytes", str(size - 1)])
        one_line_refusal(result.exit_code, result.stderr, f"{SEED_EN}: is {size:,} bytes, over the limit")
        assert files_under(tmp_path) == [], name
    assert runner.invoke(app, ["quotes", str(SEED_EN), "--max-bytes", str(size)]).exit_code == 0
    assert runner.invoke(app, ["quotes", str(SEED_EN), "--max-bytes", "0"]).exit_code == 0


def test_max_bytes_applies_to_the_translation(runner: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.ko.txt"
    big.write_text(SEED_KO.read_text(encoding="utf-8") * 40, encoding="utf-8")
    result = runner.invoke(app, ["check", str(SEED_EN), str(big), "--lang", "ko", "--max-bytes", "100000"])
    one_line_refusal(result.exit_code, result.stderr, f"{big}: is ")


def test_batch_fails_only_the_bad_units(tmp_path: Path) -> None:
    """A line nested 1000 deep and an article over --max-bytes fail alone; the good one is translated."""
    good = SEED_EN.read_text(encoding="utf-8")
    deep = '{"id": "deep", "text": "Hi.", "meta": ' + "[" * 1000 + "]" * 1000 + "}"
    lines = [json.dumps({"id": "good", "text": good}), deep, json.dumps({"id": "big", "text": good * 3})]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    options = BatchOptions(input=source, langs=("ko",), out=out, max_bytes=len(good.encode()) + 10)
    report = run_batch(options, engines={"ko": IdentityTranslator()}, stderr=io.StringIO())
    rows = {
        r["id"]: r for r in map(json.loads, (out / "summary.jsonl").read_text(encoding="utf-8").splitlines())
    }
    assert report.code == 1
    assert rows["good"]["status"] != "failed"
    assert rows["line:2"]["status"] == "failed" and "invalid JSON" in rows["line:2"]["reason"]
    assert rows["big"]["status"] == "failed" and "over the limit" in rows["big"]["reason"]


DEEP_LINES = [
    ("array-1000", "[" * 1000 + "]" * 1000, "invalid JSON"),
    ("array-100000", "[" * 100_000 + "]" * 100_000, "invalid JSON"),
    ("field-900", '{"id": "a", "text": "Hi.", "x": ' + "[" * 900 + "]" * 900 + "}", "nested deeper than"),
    (
        "object-50",
        '{"id": "a", "text": "Hi.", "x": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}",
        "nested deeper than",
    ),
]


@pytest.mark.parametrize(("line", "needle"), [c[1:] for c in DEEP_LINES], ids=[c[0] for c in DEEP_LINES])
def test_a_deeply_nested_jsonl_line_fails_alone(tmp_path: Path, line: str, needle: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Hi."}) + "\n" + line + "\n", encoding="utf-8")
    sources = read_sources(path, tmp_path / "out")
    assert [s.error for s in sources][0] is None
    assert needle in (sources[1].error or "")


# ---------------------------------------------------------------- chrF without a scored quotation


def test_check_ref_without_any_scored_quotation_gives_null_chrf(runner: CliRunner, tmp_path: Path) -> None:
    reference = tmp_path / "ref.ko.txt"
    reference.write_text("아무 인용도 없는 문장입니다.\n", encoding="utf-8")
    result = runner.invoke(app, [*CHECK, "--ref", str(reference), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["quotes"] and all(q["chrf"] is None for q in doc["quotes"])
    # sacrebleu 2.x signature of sentence chrF, one reference per quotation
    assert "chrf:sacrebleu(nrefs:1,case:mixed,eff:yes,nc:6,nw:0,space:no" in doc["signature"]


# ---------------------------------------------------------------- model folders


def model_copy(tmp_path: Path, alter: Callable[[Path], None]) -> Path:
    folder = tmp_path / "en-ko"
    shutil.copytree(TINY_KO, folder)
    alter(folder)
    return folder


def _pickle_only(folder: Path) -> None:
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"never unpickled")


def test_pickle_only_folder_is_refused_without_allow_pickle(runner: CliRunner, tmp_path: Path) -> None:
    folder = model_copy(tmp_path, _pickle_only)
    out = tmp_path / "out"
    for command in (
        ["translate", str(SEED_EN), "--to", "ko", "--out", str(out), "--model", f"ko={folder}"],
        [*CHECK, "--model", f"ko={folder}"],
        ["batch", str(REPO / "seeds"), "--to", "ko", "--out", str(out), "--model", f"ko={folder}"],
    ):
        result = runner.invoke(app, command)
        one_line_refusal(result.exit_code, result.stderr, f"{folder / 'pytorch_model.bin'} is a pickle file")
        assert "safe_serialization=True" in result.stderr and "--allow-pickle" in result.stderr
    assert [p for p in files_under(out) if ".ko." in p] == []  # batch keeps its manifest (batch.run)


def _save_as_pickle(folder: Path) -> None:
    import torch
    from safetensors.torch import load_file

    torch.save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()


@pytest.mark.slow
def test_allow_pickle_loads_weights_only(tmp_path: Path) -> None:
    from aligner.translate.engines.hub import load_marian
    from aligner.translate.registry import load_registry

    folder = model_copy(tmp_path, _save_as_pickle)
    entry = load_registry().resolve("en-ko", str(folder))
    with pytest.raises(ModelUnavailableError):
        load_marian(entry)
    _, model = load_marian(entry, allow_pickle=True)
    assert model is not None and model.config.model_type == "marian"


def _truncate(name: str, keep: float) -> Callable[[Path], None]:
    def alter(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: int(len(data) * keep)])

    return alter


def _garbage(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(b"{not what it should be")


CORRUPT = [
    (
        "safetensors-truncated",
        _truncate("model.safetensors", 0.9),
        "model.safetensors is not a valid safetensors",
    ),
    ("safetensors-garbage", _garbage("model.safetensors"), "model.safetensors is not a valid safetensors"),
    ("vocab-json", _garbage("vocab.json"), "vocab.json is not valid JSON"),
    ("source-spm", _garbage("source.spm"), "source.spm is not a sentencepiece model"),
    ("target-spm-empty", _truncate("target.spm", 0), "target.spm is not a sentencepiece model"),
    ("config-json", _garbage("config.json"), "config.json is not valid JSON"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("alter", "needle"), [c[1:] for c in CORRUPT], ids=[c[0] for c in CORRUPT])
def test_corrupt_model_file_exits_2_naming_it(
    runner: CliRunner, tmp_path: Path, alter: Callable[[Path], None], needle: str
) -> None:
    folder = model_copy(tmp_path, alter)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["translate", str(SEED_EN), "--to", "ko", "--out", str(out), "-m", f"ko={folder}"]
    )
    one_line_refusal(result.exit_code, result.stderr, f"{folder}/{needle}")
    assert not out.exists() or files_under(out) == []
