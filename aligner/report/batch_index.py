"""The views of a batch run: ``summary.jsonl`` (one JSON row per unit, input order) and
``index.html`` (every unit, worst first, linked to its files). Pure rendering over the manifest's
units, which ``aligner.batch.manifest`` records and writes these views from.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import quote

__all__ = ["STATUSES", "UnitView", "index_html", "summary_jsonl", "worst_first"]

STATUSES = ("ok", "findings", "failed")


class UnitView(Protocol):
    """What a view reads of a recorded unit (``aligner.batch.manifest.Unit``)."""

    @property
    def article_id(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def outputs(self) -> Mapping[str, str]: ...
    @property
    def row(self) -> Mapping[str, Any]: ...


def summary_jsonl(units: Sequence[UnitView]) -> str:
    """Return ``summary.jsonl``: one JSON object per unit, in input order."""
    return "".join(json.dumps(dict(u.row), ensure_ascii=False) + "\n" for u in units)


def worst_first(units: Sequence[UnitView]) -> list[UnitView]:
    """Order units failed first, then by most errors, most warnings, lowest score, then input order."""

    def key(unit: UnitView) -> tuple[bool, int, int, float, int, str]:
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


def _html_row(unit: UnitView) -> str:
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


def index_html(units: Sequence[UnitView], title: str, statuses: Sequence[str] = STATUSES) -> str:
    """Return ``index.html``: every unit, worst first, each linked to its files (relative links).

    All text is escaped: article ids and failure reasons come from the input.
    """
    counts = {status: sum(u.status == status for u in units) for status in statuses}
    totals = f"{len(units)} unit{'' if len(units) == 1 else 's'}: " + ", ".join(
        f"{n} {status}" for status, n in counts.items()
    )
    rows = "\n".join(_html_row(unit) for unit in worst_first(units))
    return _PAGE.format(title=html.escape(title), totals=html.escape(totals), rows=rows)
