"""CLI conventions: -h, -v/-q anywhere, one-line usage errors, - for stdin/stdout, Examples, colour,
plurals, chrF on 0-100 and the glossary in the signature."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli.app import app
from aligner.cli.options import use_color
from aligner.report.serialize import plural
from aligner.translate.engines.ct2 import default_cache_dir
from aligner.translate.engines.hub import probe_hub

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds"
SEED_EN = SEED / "nk-soldier.en.txt"
SEED_KO = SEED / "nk-soldier.ko.txt"
SEED_UK = SEED / "nk-soldier.uk.txt"


@pytest.fixture
def runner() -> Iterator[CliRunner]:
    level = logging.getLogger("aligner").level
    yield CliRunner()
    logging.getLogger("aligner").setLevel(level)  # -v/-q set it for the rest of the process


def test_stdin_to_stdout_in_a_subprocess(tmp_path: Path) -> None:
    """``cat T | aligner check S - --lang ko --format json --output -``: no file named '-'."""
    done = subprocess.run(
        [sys.executable, "-m", "aligner", "check", str(SEED_EN), "-", "--lang", "ko"]
        + ["--format", "json", "--output", "-"],
        input=SEED_KO.read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["schema"], doc["translation"], doc["summary"]["ok"]) == ("aligner.check/2", "-", 2)
    assert done.stderr == b"" and list(tmp_path.iterdir()) == []


def test_quotes_reads_stdin(runner: CliRunner) -> None:
    piped = runner.invoke(app, ["quotes", "-", "-f", "json"], input=SEED_EN.read_bytes())
    named = runner.invoke(app, ["quotes", str(SEED_EN), "-f", "json"])
    assert piped.exit_code == 0, piped.stderr
    assert json.loads(piped.stdout)["quotes"] == json.loads(named.stdout)["quotes"]


def test_two_stdin_inputs_are_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "-", "-", "--lang", "ko"], input=b"x")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "stdin can feed only one input" in result.stderr


VERBOSITY = [
    ("after", ["check", str(SEED_EN), str(SEED_KO), "--lang", "ko", "-v"], logging.INFO),
    ("before", ["-v", "check", str(SEED_EN), str(SEED_KO), "--lang", "ko"], logging.INFO),
    ("quiet-after", ["check", str(SEED_EN), str(SEED_KO), "--lang", "ko", "-q"], logging.ERROR),
    ("long", ["check", "--verbose", str(SEED_EN), str(SEED_KO), "--lang", "ko"], logging.INFO),
    ("subgroup", ["models", "list", "--quiet"], logging.ERROR),
]


@pytest.mark.parametrize(("args", "level"), [v[1:] for v in VERBOSITY], ids=[v[0] for v in VERBOSITY])
def test_verbosity_before_or_after_the_command(runner: CliRunner, args: list[str], level: int) -> None:
    logging.getLogger("aligner").setLevel(logging.NOTSET)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert logging.getLogger("aligner").level == level


HELP = [
    ["-h"],
    ["check", "-h"],
    ["translate", "-h"],
    ["batch", "-h"],
    ["models", "-h"],
    ["models", "fetch", "-h"],
]


@pytest.mark.parametrize("args", HELP, ids=[" ".join(a) for a in HELP])
def test_h_is_help(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: aligner {' '.join(args[:-1])}".rstrip())
    assert "-h, --help" in result.stdout and "-v, --verbose" in result.stdout


COMMANDS = [["quotes"], ["check"], ["translate"], ["batch"], ["models", "list"], ["models", "fetch"]]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_examples(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    examples = result.stdout.partition("Examples:\n")[2].splitlines()
    assert examples and all(
        line.strip().startswith(("aligner ", "curl ", "mt-system ", "--")) for line in examples
    )
    assert any(line.strip().startswith(f"aligner {' '.join(command)}") for line in examples)


def test_completion_is_offered(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
    script = runner.invoke(app, ["--show-completion", "bash"])
    assert script.exit_code == 0 and "_ALIGNER_COMPLETE=complete_bash" in script.stdout, (
        script.output,
        repr(script.exception),
    )


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("aligner che", ["check"]),
        ("aligner check a b --lang ", ["ko", "uk"]),
        ("aligner models f", ["fetch"]),
    ],
    ids=["command", "choice", "subcommand"],
)
def test_completion_completes(words: str, expected: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aligner"],
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "_ALIGNER_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.split() == expected


USAGE_ERRORS = [
    (
        "bad lang",
        ["check", str(SEED_EN), str(SEED_KO), "--lang", "ja"],
        "aligner check: --lang: 'ja' is not one of 'ko', 'uk' (see aligner check -h)",
    ),
    (
        "bad engine",
        ["batch", str(SEED), "--to", "ko", "--out", "out", "--engine", "onnx"],
        "aligner batch: --engine: 'onnx' is not one of 'transformers', 'ct2' (see aligner batch -h)",
    ),
    (
        "bad backend",
        ["batch", str(SEED), "-t", "ko", "-o", "out", "--engine-backend", "dask"],
        "aligner batch: --engine-backend: 'dask' is not one of 'local', 'ray' (see aligner batch -h)",
    ),
    (
        "beams below 1",
        ["translate", str(SEED_EN), "--to", "ko", "--beams", "0"],
        "aligner translate: --beams: must be greater than or equal to 1 (see aligner translate -h)",
    ),
    (
        "missing argument",
        ["check", str(SEED_EN), "--lang", "ko"],
        "aligner check: Missing argument 'TRANSLATION' (see aligner check -h)",
    ),
    (
        "bad fail-on",
        ["models", "list", "--fail-on", "x"],
        "aligner models list: No such option: --fail-on (see aligner models list -h)",
    ),
]


@pytest.mark.parametrize(("args", "line"), [u[1:] for u in USAGE_ERRORS], ids=[u[0] for u in USAGE_ERRORS])
def test_usage_errors_are_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], line: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert list(tmp_path.iterdir()) == []  # nothing written
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [(0, "warning", "0 warnings"), (1, "warning", "1 warning"), (2, "error", "2 errors")],
    ids=["zero", "one", "two"],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_text_summary_uses_plurals(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", str(SEED_EN), str(SEED_UK), "--lang", "uk"])
    assert "2 quotations: 2 ok" in result.stdout and "0 errors, 0 warnings" in result.stdout
    quotes = runner.invoke(app, ["quotes", "-"], input=b'"We will win," Kim said.\n')
    assert quotes.stdout.endswith("1 quotation, 0 attributions\n"), quotes.stdout


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [(True, {}, True), (True, {"NO_COLOR": "1"}, False), (False, {}, False), (True, {"NO_COLOR": ""}, True)],
    ids=["terminal", "no-color", "pipe", "empty-no-color"],
)
def test_colour_only_on_a_terminal_without_no_color(
    tty: bool, environ: dict[str, str], expected: bool
) -> None:
    assert use_color(_Stream(tty), environ) is expected  # type: ignore[arg-type]


def test_no_color_leaves_no_escapes(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["quotes", str(tmp_path / "none.txt")], env={"NO_COLOR": "1"}, color=True)
    assert result.exit_code == 2 and "\x1b[" not in result.stderr
    assert result.stderr.startswith("aligner: error: ")


def test_chrf_is_on_0_to_100_in_text_and_json(runner: CliRunner, tmp_path: Path) -> None:
    altered = tmp_path / "uk.txt"
    altered.write_text(SEED_UK.read_text(encoding="utf-8").replace("на 80% впевнений", "на 80% певен"))
    base = ["check", str(SEED_EN), str(altered), "--lang", "uk", "--ref", str(SEED_UK)]
    doc = json.loads(runner.invoke(app, [*base, "-f", "json"]).stdout)
    first, second = (q["chrf"] for q in doc["quotes"])
    assert first == 100.0 and 50.0 < second < 100.0  # sacrebleu's own scale
    text = runner.invoke(app, base).stdout.splitlines()
    assert "chrF" in text[0].split()
    assert [line.split()[4] for line in text if line.startswith(("q1 ", "q2 "))] == ["100.0", f"{second:.1f}"]


def test_the_glossary_is_in_the_signature(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    first.write_text("Ri\t리\tРі\n", encoding="utf-8")
    second.write_text("Ri\t이\tРі\n", encoding="utf-8")
    signatures = []
    for glossary in (None, first, second):
        args = ["check", str(SEED_EN), str(SEED_KO), "-l", "ko", "-f", "json"]
        args += [] if glossary is None else ["--glossary", str(glossary)]
        signatures.append(json.loads(runner.invoke(app, args).stdout)["signature"])
    assert "|glossary:builtin@" in signatures[0]
    assert f"|glossary:{first}@" in signatures[1] and f"|glossary:{second}@" in signatures[2]
    assert len(set(signatures)) == 3


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"ALIGNER_CACHE": "/c/al", "XDG_CACHE_HOME": "/c/xdg"}, "/c/al/ct2"),
        ({"XDG_CACHE_HOME": "/c/xdg"}, "/c/xdg/aligner/ct2"),
        ({"HOME": "/home/u"}, "/home/u/.cache/aligner/ct2"),
    ],
    ids=["aligner-cache", "xdg", "home"],
)
def test_ct2_cache_dir(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], expected: str) -> None:
    for name in ("ALIGNER_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert default_cache_dir() == Path(expected)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_hub_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.getsockname()[1]}")
        assert probe_hub() is None
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    assert "ConnectionRefusedError" in str(probe_hub())


def test_fetch_without_network_fails_at_once_with_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    result = runner.invoke(app, ["models", "fetch", "ko"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "is not reachable (ConnectionRefusedError" in result.stderr
    assert "aligner models fetch ko" in result.stderr and list(tmp_path.iterdir()) == []
