"""Check reports rendered by ``--format``, and files written atomically inside an output folder.

What ``translate`` and ``batch`` write per article and language is decided by the per-article flow
(``aligner.batch.flow``); the translation record's shape by ``aligner.translate.record``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.check.checker import CheckReport
from aligner.report.export import check_html
from aligner.report.serialize import UnitSpans, check_dict, check_json, check_text, fidelity_dict, mark_units
from aligner.report.tmx import check_tmx
from aligner.report.xliff import check_xliff
from aligner.textio import inside, write_atomic

if TYPE_CHECKING:  # only ``--model`` runs make one: a model-free check never loads the fidelity scorer
    from aligner.check.fidelity import FidelityReport


@dataclass(frozen=True, slots=True)
class MachineOutput:
    """What a translation engine produced, for a report on machine output: the engine's own target
    of each source unit (before aligner composed the article) and the engine's signature."""

    raw: Mapping[str, str]
    signature: str


# Check-report renderers by --format.
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
    fidelity: FidelityReport | None = None,
    units: UnitSpans = (),
    machine: MachineOutput | None = None,
) -> str:
    """Render a check report; JSON gains a ``fidelity`` object when models scored the quotations.

    ``units`` (unit id and its span in the translation, when it came from a bilingual file) put a
    ``unit`` on JSON quotations and findings and on text-report lines; ``machine`` (what the engine
    produced) makes XLIFF targets machine suggestions with the engine's own output as ``<alt-trans>``.
    """
    if fmt == "json" and (fidelity is not None or units):
        doc = check_dict(report, source, target)
        if units:
            mark_units(doc, report, units)
        if fidelity is not None:
            doc["fidelity"] = fidelity_dict(fidelity)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "text" and units:
        return check_text(report, units)
    if fmt == "xliff" and machine is not None:
        return check_xliff(
            report, source, target, machine=True, alternatives=machine.raw, signature=machine.signature
        )
    return RENDERERS[fmt][1](report, source, target)


def write_files(out_dir: Path, files: Mapping[str, str]) -> tuple[Path, ...]:
    """Write each ``{name inside out_dir: content}`` atomically, in order; return the paths.

    Raises:
        InputError: a name would put a file outside ``out_dir``.
    """
    paths = tuple(inside(out_dir, name) for name in files)
    for path, content in zip(paths, files.values(), strict=True):
        write_atomic(path, content)
    return paths
