"""The command line: exit codes, stdout/stderr separation, help, and import cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli.app import app

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
        "import sys, aligner.cli.app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(aligner.cli.app.app, ['--help'])\n"
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


SEED = ROOT / "seeds"


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_check_seed_is_clean(runner: CliRunner, lang: str) -> None:
    result = runner.invoke(
        app, ["check", str(SEED_EN), str(SEED / f"nk-soldier.{lang}.txt"), "--lang", lang, "-f", "json"]
    )
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["schema"] == "aligner.check/2"
    assert [q["status"] for q in doc["quotes"]] == ["ok", "ok"]
    assert [a["status"] for a in doc["attributions"]] == ["ok"] * 5
    assert doc["extra_quotes"] == []


def test_check_finding_exits_1_and_writes_output_atomically(runner: CliRunner, tmp_path: Path) -> None:
    altered = (SEED / "nk-soldier.ko.txt").read_text(encoding="utf-8").replace("80%", "70%")
    translation = tmp_path / "ko.txt"
    translation.write_text(altered, encoding="utf-8")
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["check", str(SEED_EN), str(translation), "--lang", "ko", "-f", "json", "-o", str(report)]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    doc = json.loads(report.read_text(encoding="utf-8"))
    q2 = doc["quotes"][1]
    assert q2["status"] == "altered" and any(f["check"] == "numbers" for f in q2["findings"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ko.txt", "report.json"]
    never = runner.invoke(
        app, ["check", str(SEED_EN), str(translation), "--lang", "ko", "--fail-on", "never"]
    )
    assert never.exit_code == 0


def test_check_bad_translation_exits_2_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["check", str(SEED_EN), str(bad), "--lang", "uk", "-o", str(report)])
    assert result.exit_code == 2
    assert str(bad) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not report.exists()


def test_check_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", str(SEED_EN), str(SEED / "nk-soldier.ko.txt"), "--lang", "fr"])
    assert result.exit_code == 2


def test_translate_seed_with_tiny_models(
    runner: CliRunner, tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    out = tmp_path / "out"
    args = ["translate", str(SEED_EN), "--to", "ko", "--to", "uk", "--out", str(out)]
    args += ["--model", f"ko={tiny_models['en-ko']}", "--model", f"uk={tiny_models['en-uk']}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"nk-soldier.{lang}.{ext}" for lang in ("ko", "uk") for ext in ("check.json", "json", "txt")
    ]
    for lang in ("ko", "uk"):
        record = json.loads((out / f"nk-soldier.{lang}.json").read_text(encoding="utf-8"))
        assert record["schema"] == "aligner.translation/1"
        assert str(tiny_models[f"en-{lang}"]) in record["signature"]
        text = (out / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")
        for quote in record["quotes"]:
            (part,) = quote["target_parts"]
            assert (
                text[part[0] : part[1]]
                == json.loads((SEED / "nk-soldier.gold.json").read_text())["quotes"][
                    int(quote["id"][1:]) - 1
                ][lang]
            )
        check = json.loads((out / f"nk-soldier.{lang}.check.json").read_text(encoding="utf-8"))
        assert all(q["status"] == "ok" for q in check["quotes"])
    assert "nk-soldier.en.txt" in result.stdout and "2/2" in result.stdout


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_engine_workers_option_is_documented(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # help is wrapped to the terminal
    assert "--engine-workers" in text and "one per thread on the CPU" in text


def test_translate_runs_the_engine_workers_it_is_given(
    runner: CliRunner, tmp_path: Path, tiny_models: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    article = tmp_path / "short.en.txt"
    article.write_text(
        "\n".join(SEED_EN.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["translate", str(article), "--to", "ko", "--out", str(out), "--engine-workers", "2"]
    with caplog.at_level("INFO", logger="aligner"):
        result = runner.invoke(app, [*args, "--model", f"ko={tiny_models['en-ko']}", "--beams", "1"])
    assert result.exit_code == 0, result.stderr
    assert f"engine: 2 worker processes for {tiny_models['en-ko']}" in caplog.text
    lines = (out / "short.ko.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (ROOT / "seeds" / "nk-soldier.ko.txt").read_text(encoding="utf-8").splitlines()[0]


def test_translate_default_model_offline_exits_2_with_the_fix(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["translate", str(SEED_EN), "--to", "ko", "--out", str(out)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "Helsinki-NLP/opus-mt-tc-big-en-ko" in line and "aligner models fetch ko" in line
    assert not out.exists()


@pytest.mark.parametrize("value", ["ko", "=path", "ko="], ids=["no-equals", "no-lang", "no-model"])
def test_translate_bad_model_option_exits_2(runner: CliRunner, tmp_path: Path, value: str) -> None:
    result = runner.invoke(
        app, ["translate", str(SEED_EN), "--to", "ko", "--model", value, "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "LANG=HUB_ID_OR_DIR" in result.stderr


def test_models_list_names_every_default(runner: CliRunner) -> None:
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    for model_id in (
        "opus-mt-tc-big-en-ko",
        "opus-mt-tc-big-en-zle",
        "opus-mt-tc-big-ko-en",
        "opus-mt-tc-big-zle-en",
    ):
        assert model_id in result.stdout
    assert ">>ukr<<" in result.stdout


def test_check_with_models_flags_a_negated_quote_only(
    runner: CliRunner, tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    # The seed's q1 with its meaning reversed (모두 … 군인이라고 → … 군인이 아니라고): names, numbers and marks
    # are unchanged, so only the model-based fidelity check can see it.
    negated = (
        (SEED / "nk-soldier.ko.txt")
        .read_text(encoding="utf-8")
        .replace("모두 한국 군인이라고", "한국 군인이 아니라고")
    )
    translation = tmp_path / "ko.txt"
    translation.write_text(negated, encoding="utf-8")
    base = ["check", str(SEED_EN), str(translation), "--lang", "ko", "-f", "json"]
    assert runner.invoke(app, base).exit_code == 0
    models = ["--model", f"ko={tiny_models['en-ko']}", "--back-model", f"ko={tiny_models['ko-en']}"]
    result = runner.invoke(app, [*base, *models])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [q["status"] for q in doc["quotes"]] == ["altered", "ok"]
    assert [f["check"] for f in doc["quotes"][0]["findings"]] == ["fidelity"]
    assert doc["fidelity"]["thresholds"] and "fidelity:" in doc["signature"]
    assert str(tiny_models["en-ko"]) in json.dumps(doc["fidelity"])


def test_back_model_without_model_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["check", str(SEED_EN), str(SEED / "nk-soldier.ko.txt"), "--lang", "ko", "--back-model", "ko=x"]
    )
    assert result.exit_code == 2
    assert "--back-model needs --model" in result.stderr
