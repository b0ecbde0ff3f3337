"""The command line: exit codes, stdout/stderr separation, help, and import cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED_EN = ROOT / "seeds" / "nk-soldier.en.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_runs_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aligner", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "quotes" in done.stdout


def test_cli_import_does_not_load_heavy_modules() -> None:
    code = (
        "import sys, aligner.cli\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(aligner.cli.app, ['--help'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentencepiece', 'ctranslate2', 'ray') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("aligner ")


BAD_INPUTS = [
    ("missing", None, "no such file"),
    ("empty", b"", "empty"),
    ("binary", b"\x00\x01\x02\x03", "binary"),
    ("latin-1", "caf\u00e9 \u201c".encode("cp1252"), "not valid UTF-8"),
]


@pytest.mark.parametrize(("content", "needle"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_quotes_bad_input_exits_2_with_one_line(
    runner: CliRunner, tmp_path: Path, content: bytes | None, needle: str
) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["quotes", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and needle in lines[0]


def test_quotes_directory_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["quotes", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_quotes_json_on_seed(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quotes", str(SEED_EN), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "aligner.quotes/1"
    gold = json.loads((ROOT / "seeds" / "nk-soldier.gold.json").read_text())
    assert [q["span"] for q in doc["quotes"] if q["kind"] == "direct"] == [
        g["en_span"] for g in gold["quotes"]
    ]
    assert [q["speaker"]["person"] for q in doc["quotes"]] == ["Ri", "Ri"]


def test_quotes_text_on_seed(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quotes", str(SEED_EN)])
    assert result.exit_code == 0
    assert "q1" in result.stdout and "q2" in result.stdout
    assert "2 quotations, 5 attributions" in result.stdout
