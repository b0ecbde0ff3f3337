"""What ``translate`` and ``batch`` write per article and language, and the translation record's
JSON shape (``aligner.translation/1``). Every file is written atomically, inside the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner import __version__
from aligner.check.checker import CheckReport
from aligner.report.export import check_html
from aligner.report.serialize import UnitSpans, check_dict, check_json, check_text, mark_units
from aligner.report.tmx import check_tmx
from aligner.report.xliff import check_xliff
from aligner.textio import inside, write_atomic
from aligner.translate.pipeline import ArticleTranslation

TRANSLATION_SCHEMA = "aligner.translation/1"


def translation_dict(result: ArticleTranslation, source: str, check: CheckReport | None) -> dict[str, Any]:
    """Return the JSON record of one translated article: units, quotation spans (exact by
    construction), model and decoding signature, timings, and what could not be kept."""
    article = result.article
    return {
        "schema": TRANSLATION_SCHEMA,
        "signature": f"{result.signature}|aligner:{__version__}",
        "source": source,
        "lang": result.lang,
        "units": [
            {
                "source": unit.source,
                "target": unit.target,
                "pieces": unit.pieces,
                "attempts": unit.attempts,
                "issues": [{"code": i.code, "message": i.message} for i in unit.issues],
            }
            for unit in result.units
        ],
        "quotes": [
            {
                "id": quote.id,
                "kind": quote.kind.value,
                "source_span": quote.span.to_list(),
                "source_parts": [p.to_list() for p in quote.parts],
                "target_parts": [s.to_list() for s in result.quote_spans.get(quote.id, ())],
                "method": "construction" if quote.id in result.quote_spans else None,
            }
            for quote in article.quotes
        ],
        "problems": list(result.problems),
        "check": None
        if check is None
        else {"status": _status(check), "score": check.summary.score, "signature": check.signature},
        "timings": {"seconds_per_article": round(result.seconds, 4)},
    }


def _status(check: CheckReport) -> str:
    return "ok" if not check.findings() else "findings"


# Check-report renderers by --format; html and xliff join when their module is present.
RENDERERS: dict[str, tuple[str, Callable[[CheckReport, str, str], str]]] = {
    "json": ("json", check_json),
    "text": ("txt", lambda report, source, target: check_text(report)),
    "html": ("html", check_html),
    "xliff": ("xlf", check_xliff),
    "tmx": ("tmx", check_tmx),
}


def render_check(
    report: CheckReport,
    fmt: str,
    source: str,
    target: str,
    fidelity: object = None,
    units: UnitSpans = (),
    machine: ArticleTranslation | None = None,
) -> str:
    """Render a check report; JSON gains a ``fidelity`` object when models scored the quotations.

    ``units`` (unit id and its span in the translation, when it came from a bilingual file) put a
    ``unit`` on JSON quotations and findings and on text-report lines; ``machine`` (the translation
    the engine produced) makes XLIFF targets machine suggestions with the engine's own output as
    ``<alt-trans>``.
    """
    from aligner.check.fidelity import FidelityReport, fidelity_dict

    if fmt == "json" and (isinstance(fidelity, FidelityReport) or units):
        doc = check_dict(report, source, target)
        if units:
            mark_units(doc, report, units)
        if isinstance(fidelity, FidelityReport):
            doc["fidelity"] = fidelity_dict(fidelity)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "text" and units:
        return check_text(report, units)
    if fmt == "xliff" and machine is not None:
        raw = {u.source.strip(): u.target for u in machine.units}
        return check_xliff(
            report, source, target, machine=True, alternatives=raw, signature=machine.signature
        )
    return RENDERERS[fmt][1](report, source, target)


@dataclass(frozen=True, slots=True)
class Written:
    """The files written for one article and language."""

    translation: Path
    record: Path
    check: Path | None


def write_outputs(
    out_dir: Path,
    stem: str,
    result: ArticleTranslation,
    check: CheckReport | None,
    fmt: str,
    source: str,
    fidelity: object = None,
) -> Written:
    """Write ``STEM.LANG.txt``, ``STEM.LANG.json`` and ``STEM.LANG.check.EXT`` under ``out_dir``.

    Raises:
        InputError: If ``stem`` would put a file outside ``out_dir``.
    """
    lang = result.lang
    text_path = inside(out_dir, f"{stem}.{lang}.txt")
    record_path = inside(out_dir, f"{stem}.{lang}.json")
    check_path = None
    if check is not None:
        check_path = inside(out_dir, f"{stem}.{lang}.check.{RENDERERS[fmt][0]}")
        write_atomic(check_path, render_check(check, fmt, source, str(text_path), fidelity, machine=result))
    record = json.dumps(translation_dict(result, source, check), ensure_ascii=False, indent=2) + "\n"
    write_atomic(record_path, record)
    write_atomic(text_path, result.text)
    return Written(translation=text_path, record=record_path, check=check_path)
