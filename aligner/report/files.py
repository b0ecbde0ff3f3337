"""Check reports rendered by ``--format``, and files written atomically inside an output folder.

What ``translate`` and ``batch`` write per article and language is decided by the per-article flow
(``aligner.batch.flow``); the translation record's shape by ``aligner.translate.record``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.check.checker import CheckReport
from aligner.report.export import check_html, check_xliff
from aligner.report.serialize import check_dict, check_json, check_text, fidelity_dict
from aligner.textio import inside, write_atomic

if TYPE_CHECKING:  # only ``--model`` runs make one: a model-free check never loads the fidelity scorer
    from aligner.check.fidelity import FidelityReport

# Check-report renderers by --format; html and xliff join when their module is present.
RENDERERS: dict[str, tuple[str, Callable[[CheckReport, str, str], str]]] = {
    "json": ("json", check_json),
    "text": ("txt", lambda report, source, target: check_text(report)),
    "html": ("html", check_html),
    "xliff": ("xlf", check_xliff),
}


def render_check(
    report: CheckReport, fmt: str, source: str, target: str, fidelity: FidelityReport | None = None
) -> str:
    """Render a check report; JSON gains a ``fidelity`` object when models scored the quotations."""
    if fmt == "json" and fidelity is not None:
        doc = check_dict(report, source, target)
        doc["fidelity"] = fidelity_dict(fidelity)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
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
