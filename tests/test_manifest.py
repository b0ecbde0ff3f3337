"""The batch manifest (SQLite) and the views made from it: summary.jsonl and index.html."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aligner.batch.manifest import (
    INDEX_NAME,
    SUMMARY_NAME,
    Manifest,
    Unit,
    write_views,
)
from aligner.report.batch_index import index_html, summary_jsonl, worst_first
from aligner.translate.cache import connect


def unit(article_id: str, lang: str = "ko", status: str = "ok", seq: int = 0, **row: Any) -> Unit:
    outputs = {} if status == "failed" else {"translation": f"{article_id}.{lang}.txt"}
    reason = "bad bytes" if status == "failed" else None
    return Unit(article_id, lang, seq, status, reason, outputs, {"id": article_id, "lang": lang, **row})


@pytest.fixture
def manifest(tmp_path: Path) -> Iterator[Manifest]:
    opened = Manifest(tmp_path / "manifest.sqlite")
    yield opened
    opened.close()


def test_units_come_back_in_input_order_with_their_run(manifest: Manifest) -> None:
    run = manifest.begin_run({"engine": "ct2"})
    manifest.record(unit("b", seq=1), run)
    manifest.record(unit("a", "uk", seq=0), run)
    manifest.record(unit("a", "ko", seq=0), run)
    assert [(u.article_id, u.lang, u.run) for u in manifest.units()] == [
        ("a", "ko", 1),
        ("a", "uk", 1),
        ("b", "ko", 1),
    ]
    assert manifest.finished() == {("a", "ko"): "ok", ("a", "uk"): "ok", ("b", "ko"): "ok"}


def test_a_unit_recorded_again_replaces_its_row(manifest: Manifest) -> None:
    first = manifest.begin_run({})
    manifest.record(unit("a", status="failed"), first)
    second = manifest.begin_run({})
    manifest.record(unit("a", status="findings"), second)
    (only,) = manifest.units()
    assert (only.status, only.reason, only.run) == ("findings", None, 2)
    assert manifest.units(run=first) == []


def test_settings_are_those_of_the_first_run(manifest: Manifest) -> None:
    assert manifest.settings() is None
    assert manifest.begin_run({"beams": 4}) == 1
    assert manifest.begin_run({"beams": 1}) == 2
    assert manifest.settings() == {"beams": 4}


def test_the_file_is_in_wal_mode_with_a_unique_key(manifest: Manifest) -> None:
    db = connect(manifest.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'units'").fetchone()[0]
    assert "PRIMARY KEY (article_id, lang)" in schema
    db.close()


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="status"):
        unit("a", status="done")


ORDER = [
    # (id, status, errors, warnings, score) in the expected order: failed first, most errors, lowest score
    ("broken", "failed", None, None, None),
    ("three-errors", "findings", 3, 0, 0.9),
    ("one-error-low", "findings", 1, 0, 0.2),
    ("one-error-high", "findings", 1, 0, 0.7),
    ("warnings", "findings", 0, 2, 0.95),
    ("clean", "ok", 0, 0, 1.0),
]


def test_worst_first() -> None:
    units = [
        unit(i, status=s, seq=n, errors=e, warnings=w, score=sc)
        for n, (i, s, e, w, sc) in enumerate(reversed(ORDER))
    ]
    assert [u.article_id for u in worst_first(units)] == [row[0] for row in ORDER]


def test_index_escapes_text_and_links_reports_relatively() -> None:
    hostile = Unit(
        '<script>alert("x")</script>',
        "uk",
        0,
        "failed",
        "line 3: <b>bad</b> & worse",
        {},
        {"id": "x"},
    )
    linked = Unit("a b", "ko", 1, "ok", None, {"check": 'a b".ko.check.json'}, {"score": 1.0})
    page = index_html([linked, hostile], "batch <in>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;bad&lt;/b&gt; &amp; worse" in page
    assert "<title>batch &lt;in&gt;</title>" in page
    assert re.findall(r'href="([^"]*)"', page) == ["a%20b%22.ko.check.json"]
    assert page.index("failed</td>") < page.index("ok</td>")  # worst first


def test_views_are_rewritten_from_the_manifest(manifest: Manifest, tmp_path: Path) -> None:
    run = manifest.begin_run({})
    manifest.record(unit("a", seq=0, score=1.0, fields={"url": "u"}), run)
    manifest.record(unit("b", status="failed", seq=1), run)
    summary, index = write_views(tmp_path, manifest, "t")
    assert (summary.name, index.name) == (SUMMARY_NAME, INDEX_NAME)
    rows = [json.loads(line) for line in summary.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r.get("fields")) for r in rows] == [("a", {"url": "u"}), ("b", None)]
    assert summary.read_text(encoding="utf-8") == summary_jsonl(manifest.units())
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
