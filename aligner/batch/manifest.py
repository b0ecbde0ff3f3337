"""The record of a batch run: an SQLite manifest of finished units, and the views made from it
(``summary.jsonl`` and ``index.html``).

A unit is one article in one language. The invariant that makes a batch resumable:

    A unit's row is committed, in one transaction, only AFTER all of its files are in place
    (each written to a temporary file, fsynced and renamed over the old name).

So a row always means "its files are complete". A process killed at any moment leaves either a row
with its files, or no row and (perhaps) some of that unit's files from this or an earlier attempt,
which the next run replaces atomically when it redoes the unit. Nothing is lost, nothing is counted
twice, and no reader ever sees a half-written file. ``summary.jsonl`` and ``index.html`` are rewritten
atomically from the manifest at the end of every run, so they always agree with it.

The file is in WAL mode with ``synchronous=FULL`` and a busy timeout, so worker processes may record
units concurrently: SQLite serialises the writers.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aligner.textio import write_atomic
from aligner.translate.cache import connect

MANIFEST_NAME = "manifest.sqlite"
SUMMARY_NAME = "summary.jsonl"
INDEX_NAME = "index.html"
STATUSES = ("ok", "findings", "failed")
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
        self.path = path
        self._db = connect(path)
        for statement in _SCHEMA:
            self._db.execute(statement)

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

        Call this only after every file of the unit is in place (see the module docstring).
        """
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
            self._db.execute("ROLLBACK")
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


def summary_jsonl(units: Sequence[Unit]) -> str:
    """Return ``summary.jsonl``: one JSON object per unit, in input order."""
    return "".join(json.dumps(dict(u.row), ensure_ascii=False) + "\n" for u in units)


def worst_first(units: Sequence[Unit]) -> list[Unit]:
    """Order units failed first, then by most errors, most warnings, lowest score, then input order."""

    def key(unit: Unit) -> tuple[bool, int, int, float, int, str]:
        row = unit.row
        score = row.get("score")
        return (
            unit.status != "failed",
            -int(row.get("errors") or 0) - int(row.get("problems") or 0),
            -int(row.get("warnings") or 0),
            float(score) if score is not None else 1.0,
            unit.seq,
            unit.lang,
        )

    return sorted(units, key=key)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }}
tr.failed {{ background: #fdd; }} tr.findings {{ background: #ffe9c4; }}
td.num {{ text-align: right; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>{totals}</p>
<table>
<thead><tr><th>article</th><th>lang</th><th>status</th><th>quotes ok</th><th>errors</th>\
<th>warnings</th><th>problems</th><th>score</th><th>files</th><th>reason</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _links(outputs: Mapping[str, str]) -> str:
    return " ".join(
        f'<a href="{html.escape(quote(name))}">{html.escape(kind)}</a>' for kind, name in outputs.items()
    )


def _cell(value: Any, numeric: bool = False) -> str:
    text = "" if value is None else str(value)
    return f'<td class="num">{html.escape(text)}</td>' if numeric else f"<td>{html.escape(text)}</td>"


def _html_row(unit: Unit) -> str:
    row = unit.row
    quotes = "" if row.get("quotes") is None else f"{row.get('quotes_ok')}/{row.get('quotes')}"
    cells = [
        _cell(unit.article_id),
        _cell(unit.lang),
        _cell(unit.status),
        _cell(quotes, numeric=True),
        *(_cell(row.get(key), numeric=True) for key in ("errors", "warnings", "problems", "score")),
        f"<td>{_links(unit.outputs)}</td>",
        _cell(unit.reason),
    ]
    return f'<tr class="{html.escape(unit.status)}">' + "".join(cells) + "</tr>"


def index_html(units: Sequence[Unit], title: str) -> str:
    """Return ``index.html``: every unit, worst first, each linked to its files (relative links).

    All text is escaped: article ids and failure reasons come from the input.
    """
    counts = {status: sum(u.status == status for u in units) for status in STATUSES}
    totals = f"{len(units)} units: " + ", ".join(f"{n} {status}" for status, n in counts.items())
    rows = "\n".join(_html_row(unit) for unit in worst_first(units))
    return _PAGE.format(title=html.escape(title), totals=html.escape(totals), rows=rows)


def write_views(out_dir: Path, manifest: Manifest, title: str) -> tuple[Path, Path]:
    """Rewrite ``summary.jsonl`` and ``index.html`` atomically from the manifest; return their paths."""
    units = manifest.units()
    summary, index = out_dir / SUMMARY_NAME, out_dir / INDEX_NAME
    write_atomic(summary, summary_jsonl(units))
    write_atomic(index, index_html(units, title))
    return summary, index
