"""The per-article flow (aligner/batch/flow.py): one path behind ``translate`` and ``batch``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.article import parse_article
from aligner.batch.flow import Engines, Job, Outcome, Settings, output_names, run_chunk, write_unit
from aligner.cli.app import app
from aligner.lang.names import default_glossary
from aligner.translate.protocol import IdentityTranslator

SEED = Path(__file__).resolve().parent.parent / "seeds"


class FailsOn(IdentityTranslator):
    """Plumbing double: returns its input, but raises on any batch holding ``poison``."""

    def __init__(self, poison: str) -> None:
        self.poison = poison

    def translate(self, texts: Sequence[str]) -> list[str]:
        if any(self.poison in text for text in texts):
            raise RuntimeError(f"engine choked on {self.poison!r}")
        return list(texts)


def test_one_failing_article_fails_alone_and_the_rest_of_the_chunk_finishes(tmp_path: Path) -> None:
    jobs = [
        Job("a", "a.txt", parse_article('"We will win," Kim said.\n')),
        Job("b", "b.txt", parse_article("The poison pill was here.\n")),
        Job("c", "c.txt", parse_article("Nothing to see.\n")),
    ]
    settings = Settings(out_dir=tmp_path, glossary=default_glossary())
    outcomes = run_chunk(jobs, "ko", Engines(forward=FailsOn("poison")), settings)
    assert [type(o).__name__ for o in outcomes] == ["Outcome", "RuntimeError", "Outcome"]
    first = outcomes[0]
    assert isinstance(first, Outcome)
    assert list(first.files) == list(output_names("a", "ko", "json"))
    written = write_unit(first, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ko.check.json", "a.ko.json", "a.ko.txt"]
    assert written["translation"].read_text(encoding="utf-8") == first.result.text


@pytest.mark.parametrize(
    ("fmt", "names"),
    [("json", ("s.uk.txt", "s.uk.json", "s.uk.check.json")), ("xliff", ("s.uk.txt", "s.uk.json", "s.uk.check.xlf"))],
    ids=["json", "xliff"],
)  # fmt: skip
def test_output_names_are_the_same_for_every_command(fmt: str, names: tuple[str, ...]) -> None:
    assert output_names("s", "uk", fmt) == names


def _normalised(path: Path) -> object:
    """A file's content with what legitimately differs between two runs taken out: the output
    folder named in a check report, and the timings of a translation record."""
    text = path.read_text(encoding="utf-8")
    if not path.name.endswith(".json"):
        return text
    doc = json.loads(text)
    doc.pop("timings", None)
    if "translation" in doc:  # a check report names the translation's path in its output folder
        doc["translation"] = Path(doc["translation"]).name
    return doc


@pytest.mark.slow
def test_translate_and_batch_write_the_same_files_for_the_same_article(
    tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    source = tmp_path / "in" / "nk-soldier.en.txt"
    source.parent.mkdir()
    source.write_text((SEED / "nk-soldier.en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    models = ["--model", f"uk={tiny_models['en-uk']}", "--back-model", f"uk={tiny_models['uk-en']}"]
    runner = CliRunner()
    one = runner.invoke(app, ["translate", str(source), "--to", "uk", "--out", str(tmp_path / "t"), *models])
    assert one.exit_code == 0, one.stderr
    many = runner.invoke(
        app, ["batch", str(source.parent), "--to", "uk", "--out", str(tmp_path / "b"), *models]
    )
    assert many.exit_code == 0, many.stderr
    translated = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert translated == ["nk-soldier.uk.check.json", "nk-soldier.uk.json", "nk-soldier.uk.txt"]
    for name in translated:
        assert _normalised(tmp_path / "t" / name) == _normalised(tmp_path / "b" / name), name
    report = json.loads((tmp_path / "b" / "nk-soldier.uk.check.json").read_text(encoding="utf-8"))
    assert report["fidelity"]["back_model"] is not None  # batch scores fidelity as translate does
