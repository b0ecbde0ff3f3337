"""``aligner batch`` end to end on the tiny seed models: inputs, outputs, failures, the translation cache,
workers, the CTranslate2 path, and a real SIGKILL followed by --resume.

The tiny models only know the seed article, so every input is the seed or the seed with lines dropped
(its units are then a subset of the seed's). Decoding is greedy on one thread: the tiny models reproduce
their training pairs under greedy search, transformers and CTranslate2 agree on every seed unit, and one
thread avoids oversubscribing a busy test machine.
"""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.batch.inputs import load_text, read_sources
from aligner.batch.manifest import MANIFEST_NAME, Manifest, Unit
from aligner.batch.run import BatchOptions, check_folder, exit_code, run_batch
from aligner.batch.work import Progress, Tally
from aligner.cli.app import app
from aligner.errors import ArticleFormatError, UsageError
from aligner.translate.protocol import Translator
from aligner.translate.quoting import plan_article

REPO = Path(__file__).resolve().parent.parent
SEED_EN = REPO / "seeds" / "nk-soldier.en.txt"
TINY = REPO / "models" / "tiny"
MODELS = (f"ko={TINY / 'en-ko'}", f"uk={TINY / 'en-uk'}")


def seed_lines() -> list[str]:
    return SEED_EN.read_text(encoding="utf-8").splitlines()


def variant(drop: int) -> str:
    """The seed without its line ``drop`` (1-based; 0 keeps every line)."""
    return "\n".join(line for n, line in enumerate(seed_lines(), start=1) if n != drop) + "\n"


def head(lines: int) -> str:
    """The seed's first ``lines`` lines: a short article that costs little to translate."""
    return "\n".join(seed_lines()[:lines]) + "\n"


def options(source: Path, out: Path, cache: Path, **changes: Any) -> BatchOptions:
    settings: dict[str, Any] = {"langs": ("ko", "uk"), "models": MODELS, "beams": 1, "threads": 1}
    return BatchOptions(input=source, out=out, cache=cache, **(settings | changes))


def rows(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    lines = (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    return {(r["id"], r["lang"]): r for r in map(json.loads, lines)}


class Counting:
    """Wraps a real translator and counts the calls and texts that reach it."""

    def __init__(self, inner: Translator, poison: str | None = None) -> None:
        self.inner = inner
        self.poison = poison
        self.calls = 0
        self.texts: list[str] = []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def revision(self) -> str | None:
        return self.inner.revision

    def signature(self) -> str:
        return self.inner.signature()

    def count_tokens(self, text: str) -> int:
        return int(self.inner.count_tokens(text))  # type: ignore[attr-defined]

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls += 1
        self.texts += texts
        if self.poison is not None and any(self.poison in text for text in texts):
            raise RuntimeError(f"engine failed on {self.poison}")
        return self.inner.translate(texts)


@pytest.fixture(scope="session")
def engines(tiny_models: dict[str, Path]) -> dict[str, Translator]:
    """The tiny en-ko and en-uk models, loaded once, greedy, one thread."""
    from aligner.translate.engines.marian import MarianTranslator
    from aligner.translate.registry import load_registry

    registry = load_registry()
    return {
        lang: MarianTranslator(
            registry.resolve(f"en-{lang}", str(tiny_models[f"en-{lang}"])), device="cpu", beams=1, threads=1
        ).load()
        for lang in ("ko", "uk")
    }


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A translation cache shared by the tests that do not count engine calls (seed units decoded once)."""
    return tmp_path_factory.mktemp("cache") / "translations.sqlite"


@pytest.fixture(scope="session")
def ct2_home(tmp_path_factory: pytest.TempPathFactory, tiny_models: dict[str, Path]) -> Path:
    """An XDG cache home holding the CTranslate2 conversions of the tiny models (converted here, once)."""
    from aligner.translate.engines.ct2 import CT2Translator
    from aligner.translate.registry import load_registry

    home = tmp_path_factory.mktemp("xdg")
    for lang in ("ko", "uk"):
        entry = load_registry().resolve(f"en-{lang}", str(tiny_models[f"en-{lang}"]))
        CT2Translator.from_entry(entry, cache_dir=home / "aligner" / "ct2")
    return home


def write_inputs(folder: Path, articles: Mapping[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in articles.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


# ---------------------------------------------------------------- inputs (no model)


def test_folder_sources_ids_stems_and_what_is_skipped(tmp_path: Path) -> None:
    source = write_inputs(
        tmp_path / "in",
        {"b.txt": "x", "a.md": "x", "a.txt": "x", "sub/c d.txt": "x", "notes.csv": "x", ".hidden.txt": "x"},
    )
    write_inputs(source / "out", {"a.ko.txt": "an output of an earlier run"})
    found = read_sources(source, source / "out")
    assert [(s.id, s.stem, s.seq) for s in found] == [
        ("a.md", "a", 0),
        ("a.txt", "a-2", 1),
        ("b.txt", "b", 2),
        ("sub/c d.txt", "sub_c_d", 3),
    ]


JSONL_LINES = [
    # (line, id, error or None)
    ('{"id": "k1", "text": "Hello.", "url": "u"}', "k1", None),
    ("{oops", "line:2", "invalid JSON"),
    ('["id", "text"]', "line:3", "not a JSON object"),
    ('{"text": "no id"}', "line:4", 'no "id"'),
    ('{"id": 5}', "5", 'no "text" string'),
    ('{"id": "k1", "text": "again"}', "k1#line:6", "duplicate id 'k1' (first on line 1)"),
    ('{"id": true, "text": "x"}', "line:7", 'no "id"'),
]


def test_jsonl_sources_turn_bad_lines_into_failing_sources(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    body = "\n".join(line for line, _, _ in JSONL_LINES) + "\n\n"
    path.write_bytes(body.encode("utf-8") + b'{"id": "latin", "text": "caf\xe9"}\n')
    found = read_sources(path, tmp_path / "out")
    expected = [(i, e) for _, i, e in JSONL_LINES] + [("line:9", "not valid UTF-8")]
    assert [s.id for s in found] == [i for i, _ in expected]
    for source, (_, error) in zip(found, expected, strict=True):
        assert (source.error is None) if error is None else (error in str(source.error)), source
    assert found[0].fields == {"url": "u"} and found[0].origin == f"{path}:1"
    assert len({s.stem for s in found}) == len(found)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", 'the "text" is empty'),
        ("  \n", 'the "text" is empty'),
        ("bad \ud800 surrogate", "not valid UTF-8"),
    ],
    ids=["empty", "blank", "lone-surrogate"],
)
def test_jsonl_text_follows_the_file_rules(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    (source,) = read_sources(path, tmp_path / "out")
    with pytest.raises(ArticleFormatError, match=needle):
        load_text(source)


UNITS_FOR_EXIT = [
    # (statuses and counts per unit, --fail-on, exit code)
    ([("ok", 0, 0, 0)], "error", 0),
    ([("ok", 0, 0, 0), ("failed", 0, 0, 0)], "never", 1),
    ([("findings", 0, 2, 0)], "error", 0),
    ([("findings", 0, 2, 0)], "warning", 1),
    ([("findings", 1, 0, 0)], "error", 1),
    ([("findings", 1, 0, 0)], "never", 0),
    ([("findings", 0, 0, 1)], "error", 1),  # a pipeline problem counts as an error
]


@pytest.mark.parametrize(("units", "fail_on", "code"), UNITS_FOR_EXIT, ids=[str(i) for i in range(7)])
def test_exit_code(units: list[tuple[str, int, int, int]], fail_on: str, code: int) -> None:
    made = [
        Unit(f"a{n}", "ko", n, status, None, {}, {"errors": e, "warnings": w, "problems": p})
        for n, (status, e, w, p) in enumerate(units)
    ]
    assert exit_code(made, fail_on) == code


# ---------------------------------------------------------------- usage errors (exit 2, nothing loaded)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _manifest_folder(out: Path) -> None:
    out.mkdir()
    Manifest(out / MANIFEST_NAME).close()


USAGE = [
    # (name, extra args, prepare out, message)
    ("engine", ["--engine", "onnx"], None, "--engine: 'onnx' is not one of 'transformers', 'ct2'"),
    ("int8-ct2", ["--engine", "ct2", "--int8"], None, "--int8 is for --engine transformers"),
    (
        "engine-workers-ct2",
        ["--engine", "ct2", "--engine-workers", "2"],
        None,
        "--engine-workers is for --engine transformers",
    ),
    ("model-lang", ["--model", "uk=x"], None, "--model names uk but --to does not"),
    ("not-empty", [], lambda out: write_inputs(out, {"keep.txt": "mine"}), "is not empty"),
    ("manifest", [], _manifest_folder, "pass --resume to finish it"),
    ("out-is-file", [], lambda out: out.write_text("x"), "is a file"),
]


@pytest.mark.parametrize(("extra", "prepare", "needle"), [u[1:] for u in USAGE], ids=[u[0] for u in USAGE])
def test_bad_usage_exits_2_with_one_line(
    runner: CliRunner, tmp_path: Path, extra: list[str], prepare: Any, needle: str
) -> None:
    source = write_inputs(tmp_path / "in", {"a.txt": head(3)})
    out = tmp_path / "out"
    if prepare is not None:
        prepare(out)
    result = runner.invoke(app, ["batch", str(source), "--to", "ko", "--out", str(out), *extra])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and needle in result.stderr


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda tmp: tmp / "missing", "give a folder of .txt/.md articles or a .jsonl file"),
        (lambda tmp: write_inputs(tmp / "empty", {"x.csv": "a"}), "no articles found"),
    ],
    ids=["missing", "no-articles"],
)
def test_bad_input_is_usage(tmp_path: Path, make: Any, needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        run_batch(options(make(tmp_path), tmp_path / "out", tmp_path / "c.sqlite"))
    assert not (tmp_path / "out").exists()


def test_resume_refuses_other_settings(tmp_path: Path) -> None:
    source = write_inputs(tmp_path / "in", {"a.txt": head(3)})
    first = options(source, tmp_path / "out", tmp_path / "c.sqlite")
    (tmp_path / "out").mkdir()
    manifest = Manifest(tmp_path / "out" / MANIFEST_NAME)
    manifest.begin_run(first.settings())
    manifest.close()
    changed = options(source, tmp_path / "out", tmp_path / "c.sqlite", beams=4, resume=True)
    with pytest.raises(UsageError, match=r"other settings \(beams\)"):
        run_batch(changed)


def test_a_folder_in_use_is_refused(tmp_path: Path) -> None:
    source = write_inputs(tmp_path / "in", {"a.txt": head(3)})
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".batch.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_SH)  # as a live worker holds it
    try:
        with pytest.raises(UsageError, match="in use by another aligner batch"):
            run_batch(options(source, out, tmp_path / "c.sqlite", resume=True))
    finally:
        os.close(fd)


def test_check_folder_ignores_a_lock_and_scratch_files(tmp_path: Path) -> None:
    write_inputs(tmp_path, {".batch.lock": "", ".a.ko.txt.x1y2.tmp": "half"})
    check_folder(tmp_path, resume=False)


# ---------------------------------------------------------------- progress


def test_progress_logs_parseable_lines_when_not_a_terminal(caplog: pytest.LogCaptureFixture) -> None:
    stream = io.StringIO()
    caplog.set_level(logging.INFO, logger="aligner")
    with Progress(2, stream) as progress:
        tally = Tally(units=2, ids={"a"}, sentences=30, chars=1200)
        progress.update(tally)
    assert stream.getvalue() == ""
    (message,) = [r.getMessage() for r in caplog.records]
    fields = dict(item.split("=") for item in message.removeprefix("batch: ").split())
    assert fields["units"] == "2/2" and fields["articles"] == "1" and fields["sentences"] == "30"
    assert fields["eta_s"] == "0" and int(fields["tok_s"]) > 0


def test_progress_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with Progress(4, stream) as progress:
        progress.update(Tally(units=1, ids={"a"}, sentences=10, chars=400))
    assert "1/4" in stream.getvalue()


# ---------------------------------------------------------------- batches on the tiny models


def test_folder_batch_outputs_summary_index_and_failures(
    tmp_path: Path, engines: dict[str, Translator], warm_cache: Path
) -> None:
    source = write_inputs(
        tmp_path / "in",
        {
            "seed.txt": variant(0),
            "short.md": variant(8),
            "bad.txt": b"caf\xe9 \x93x\x94\n",
            "empty.txt": "\n \n",
        },
    )
    out = tmp_path / "out"
    report = run_batch(options(source, out, warm_cache), engines=engines, stderr=io.StringIO())
    assert report.code == 1  # two articles failed
    got = rows(out)
    assert set(got) == {
        (a, lang) for a in ("bad.txt", "empty.txt", "seed.txt", "short.md") for lang in ("ko", "uk")
    }
    for lang in ("ko", "uk"):
        assert "not valid UTF-8" in got[("bad.txt", lang)]["reason"]
        assert "empty" in got[("empty.txt", lang)]["reason"]
        seed = got[("seed.txt", lang)]
        # The tiny models reproduce the seed's reference translation; the gold has two direct quotations.
        reference = (REPO / "seeds" / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")
        assert (out / seed["outputs"]["translation"]).read_text(encoding="utf-8") == reference
        check = json.loads((out / seed["outputs"]["check"]).read_text(encoding="utf-8"))
        assert seed["quotes"] == len(check["quotes"]) == 2
        assert seed["quotes_ok"] == sum(q["status"] == "ok" for q in check["quotes"])
    linked = set()
    for row in got.values():
        for name in row.get("outputs", {}).values():
            assert (out / name).is_file()
            if name.endswith(".json"):
                json.loads((out / name).read_text(encoding="utf-8"))
            linked.add(name)
    assert len(linked) == 12  # 2 articles x 2 languages x (translation, record, check)
    assert report.counts["failed"] == 4 and sum(report.counts.values()) == 8
    page = (out / "index.html").read_text(encoding="utf-8")
    assert {name for name in linked if f'href="{name}"' in page} == linked
    assert page.index("bad.txt") < page.index("seed.txt")  # failed first

    # Resuming: finished units stay, failed ones are retried, a killed run's scratch file goes.
    (out / ".seed.ko.txt.abcd1234.tmp").write_text("half a file")
    before = {(u.article_id, u.lang): u.run for u in _units(out)}
    again = run_batch(options(source, out, warm_cache, resume=True), engines=engines, stderr=io.StringIO())
    assert again.done_now == 4 and again.code == 1
    after = {(u.article_id, u.lang): u.run for u in _units(out)}
    assert {k: r for k, r in after.items() if r == 1} == {
        k: r for k, r in before.items() if k[0] in ("seed.txt", "short.md")
    }
    assert not list(out.glob("*.tmp"))


def _units(out: Path) -> list[Unit]:
    manifest = Manifest(out / MANIFEST_NAME)
    try:
        return manifest.units()
    finally:
        manifest.close()


def test_a_unit_whose_row_was_never_committed_is_redone(
    tmp_path: Path, engines: dict[str, Translator], warm_cache: Path
) -> None:
    source = write_inputs(tmp_path / "in", {"a.txt": variant(0), "b.txt": variant(5)})
    out = tmp_path / "out"
    run_batch(options(source, out, warm_cache), engines=engines, stderr=io.StringIO())
    written = (out / "b.uk.txt").read_text(encoding="utf-8")
    # As if killed after b/uk's files were replaced but before its row was committed.
    db = sqlite3.connect(out / MANIFEST_NAME)
    db.execute("DELETE FROM units WHERE article_id = 'b.txt' AND lang = 'uk'")
    db.commit()
    db.close()
    (out / "b.uk.txt").write_text("a stale file of a killed attempt", encoding="utf-8")
    report = run_batch(options(source, out, warm_cache, resume=True), engines=engines, stderr=io.StringIO())
    assert report.done_now == 1 and sum(report.counts.values()) == 4
    assert (out / "b.uk.txt").read_text(encoding="utf-8") == written
    assert sorted((u.article_id, u.lang, u.run) for u in _units(out)) == [
        ("a.txt", "ko", 1),
        ("a.txt", "uk", 1),
        ("b.txt", "ko", 1),
        ("b.txt", "uk", 2),
    ]
    assert len(rows(out)) == 4


def test_jsonl_batch_carries_fields_and_keeps_every_file_inside_out(
    tmp_path: Path, engines: dict[str, Translator], warm_cache: Path
) -> None:
    records = [
        {"id": "../../etc/x", "text": variant(0), "desk": "world", "tags": ["nk"]},
        {"id": "/abs/path", "text": variant(10)},
        {"id": "abs_path", "text": variant(13), "n": 3},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    report = run_batch(
        options(path, out, warm_cache, langs=("uk",), models=MODELS[1:]),
        engines=engines,
        stderr=io.StringIO(),
    )
    got = rows(out)
    assert got[("../../etc/x", "uk")]["fields"] == {"desk": "world", "tags": ["nk"]}
    assert got[("abs_path", "uk")]["fields"] == {"n": 3}
    assert got[("line:4", "uk")]["status"] == "failed" and got[("line:4", "uk")]["source"] == f"{path}:4"
    assert [got[(i, "uk")]["stem"] for i in ("../../etc/x", "/abs/path", "abs_path")] == [
        "etc_x",
        "abs_path",
        "abs_path-2",
    ]
    assert report.code == 1
    assert all(p.parent == out for p in out.rglob("*"))
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents) == ["in.jsonl"]


def test_second_run_with_the_same_cache_translates_nothing(
    tmp_path: Path, engines: dict[str, Translator]
) -> None:
    texts = {"a.txt": head(4), "b.txt": head(3), "c.txt": head(4)}  # b and c repeat a's units
    source = write_inputs(tmp_path / "in", texts)
    cache = tmp_path / "shared-cache.sqlite"
    first = {lang: Counting(engine) for lang, engine in engines.items()}
    run_batch(options(source, tmp_path / "one", cache), engines=first, stderr=io.StringIO())
    distinct = {u for text in texts.values() for u in plan_article(parse_article(text)).units() if u.strip()}
    for counting in first.values():
        assert sorted(t for t in counting.texts if t.strip()) == sorted(distinct)  # each unit once
    second = {lang: Counting(engine) for lang, engine in engines.items()}
    run_batch(options(source, tmp_path / "two", cache), engines=second, stderr=io.StringIO())
    assert [c.calls for c in second.values()] == [0, 0]
    for name in ("a.ko.txt", "b.uk.txt", "c.uk.txt"):
        assert (tmp_path / "one" / name).read_text(encoding="utf-8") == (tmp_path / "two" / name).read_text(
            encoding="utf-8"
        )


def test_an_engine_error_fails_only_its_article(
    tmp_path: Path, engines: dict[str, Translator], warm_cache: Path
) -> None:
    poison = "POISON-7f3a: this line breaks the engine."
    source = write_inputs(
        tmp_path / "in", {"a.txt": variant(0), "b.txt": head(5) + poison + "\n", "c.txt": variant(9)}
    )
    counting = {lang: Counting(engine, poison="POISON-7f3a") for lang, engine in engines.items()}
    report = run_batch(options(source, tmp_path / "out", warm_cache), engines=counting, stderr=io.StringIO())
    got = rows(tmp_path / "out")
    assert {k: r["status"] for k, r in got.items() if r["status"] == "failed"} == {
        ("b.txt", "ko"): "failed",
        ("b.txt", "uk"): "failed",
    }
    assert got[("b.txt", "ko")]["reason"] == "RuntimeError: engine failed on POISON-7f3a"
    assert report.code == 1 and report.counts["failed"] == 2


# ---------------------------------------------------------------- CTranslate2 and workers


def test_int8_transformers_engine_has_its_own_signature(tiny_models: dict[str, Path]) -> None:
    from aligner.batch.work import build_engine

    plain = build_engine("ko", str(tiny_models["en-ko"]), options(Path("."), Path("o"), Path("c")), threads=1)
    int8 = build_engine(
        "ko", str(tiny_models["en-ko"]), options(Path("."), Path("o"), Path("c"), int8=True), threads=1
    )
    assert int8.signature() == plain.signature().replace("|transformers:", "|int8:dynamic|transformers:")
    assert int8.signature() != plain.signature()  # never shares cache entries
    title = seed_lines()[1]
    (output,) = int8.translate([title])
    assert output and any("\uac00" <= ch <= "\ud7a3" for ch in output)  # Hangul
    assert int8.sentences == 1 and int8.seconds > 0


ENGINE_WORKERS = [
    # (id, batch options, engine processes): one per thread (2 here) unless the cores are shared out
    ("one-per-thread", {}, 2),
    ("batch-workers-share-the-cores", {"workers": 2}, 1),
    ("asked-for", {"engine_workers": 1}, 1),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [e[1:] for e in ENGINE_WORKERS], ids=[e[0] for e in ENGINE_WORKERS]
)
def test_transformers_engine_processes_follow_the_threads(
    tiny_models: dict[str, Path], changes: dict[str, int], expected: int
) -> None:
    from aligner.batch.work import build_engine

    engine = build_engine(
        "ko", str(tiny_models["en-ko"]), options(Path("."), Path("o"), Path("c"), **changes), threads=2
    )
    try:
        assert (engine.inner.workers, len(engine.inner.worker_pids)) == (
            expected,
            expected if expected > 1 else 0,
        )
        assert engine.translate(["Ri said."]) == ["리 씨는 말했다."]
    finally:
        engine.inner.close()


def test_ct2_with_two_workers_matches_transformers_quote_handling(
    tmp_path: Path,
    engines: dict[str, Translator],
    warm_cache: Path,
    ct2_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(ct2_home))  # the spawned workers inherit it
    source = write_inputs(tmp_path / "in", {"a.txt": variant(0), "b.txt": variant(8), "c.txt": variant(15)})
    ct2 = options(source, tmp_path / "ct2", tmp_path / "ct2-cache.sqlite", engine="ct2", workers=2)
    report = run_batch(ct2, stderr=io.StringIO())
    assert report.done_now == 6 and report.counts["failed"] == 0
    units = _units(tmp_path / "ct2")
    assert sorted((u.article_id, u.lang) for u in units) == sorted({(u.article_id, u.lang) for u in units})
    torch = run_batch(options(source, tmp_path / "torch", warm_cache), engines=engines, stderr=io.StringIO())
    assert torch.code == report.code
    fields = ("status", "quotes", "quotes_ok", "altered", "missing", "errors", "warnings", "score")
    ct2_rows, torch_rows = rows(tmp_path / "ct2"), rows(tmp_path / "torch")
    assert {k: [r[f] for f in fields] for k, r in ct2_rows.items()} == {
        k: [r[f] for f in fields] for k, r in torch_rows.items()
    }
    assert all(r["signature"].startswith("engine:ct2|") for r in ct2_rows.values())


def test_ct2_path_does_not_import_torch(tmp_path: Path, ct2_home: Path) -> None:
    source = write_inputs(tmp_path / "in", {"a.txt": head(4)})
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from aligner.batch.run import BatchOptions, run_batch\n"
        f"o = BatchOptions(input=Path({str(source)!r}), langs=('ko', 'uk'), out=Path({str(tmp_path / 'out')!r}),\n"
        "    engine='ct2',\n"
        f"    models={MODELS!r}, beams=1, threads=1, cache=Path({str(tmp_path / 'c.sqlite')!r}))\n"
        "r = run_batch(o)\n"
        "heavy = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "print(json.dumps({'heavy': heavy, 'done': r.done_now}))\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(ct2_home))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"heavy": [], "done": 2}


# ---------------------------------------------------------------- SIGKILL, then --resume


def _finished_rows(manifest: Path) -> dict[tuple[str, str], tuple[int, str]]:
    if not manifest.is_file():
        return {}
    try:
        db = sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=5)
        try:
            found = db.execute("SELECT article_id, lang, run, finished_at FROM units").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:  # created but no table yet
        return {}
    return {(a, lang): (run, at) for a, lang, run, at in found}


def _normalised(out: Path) -> Iterator[tuple[str, Any]]:
    for path in sorted(out.iterdir()):
        if path.name.endswith((".txt", ".check.json")):
            yield path.name, path.read_text(encoding="utf-8").replace(str(out.resolve()), "OUT")
        elif path.name.endswith(".json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            record.pop("timings")
            yield path.name, record


def test_sigkill_mid_run_then_resume_finishes_every_unit_exactly_once(tmp_path: Path, ct2_home: Path) -> None:
    # The ct2 engine starts in a second or two (no torch import), which keeps two process starts cheap.
    source = write_inputs(tmp_path / "in", {f"art{n:02d}.txt": variant(n + 2) for n in range(10)})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "aligner", "batch", str(source), "--out", str(out)]
    command += [
        *"--to ko --to uk --engine ct2 --beams 1 --threads 1".split(),
        "--cache",
        str(tmp_path / "c.db"),
    ]
    command += ["--model", MODELS[0], "--model", MODELS[1]]
    env = dict(os.environ, XDG_CACHE_HOME=str(ct2_home))
    log = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if _finished_rows(out / MANIFEST_NAME):
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=30)
    log.close()
    assert process.returncode == -signal.SIGKILL, (tmp_path / "stderr.txt").read_text()
    killed = _finished_rows(out / MANIFEST_NAME)
    assert 1 <= len(killed) < 20

    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=env, check=False)
    assert resumed.returncode in (0, 1), resumed.stderr
    final = _finished_rows(out / MANIFEST_NAME)
    assert len(final) == 20
    assert {k: final[k] for k in killed} == killed  # finished units were not redone
    assert {run for run, _ in final.values()} == {1, 2}
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    summary = rows(out)
    assert set(summary) == set(final) and all(r["status"] != "failed" for r in summary.values())

    clean = tmp_path / "clean"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(ct2_home))
        run_batch(options(source, clean, tmp_path / "clean-cache.sqlite", engine="ct2"), stderr=io.StringIO())
    assert dict(_normalised(out)) == dict(_normalised(clean))
