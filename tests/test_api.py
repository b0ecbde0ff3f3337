"""The public Python API: ``aligner.__all__`` is what the README documents, and it works offline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import aligner

ROOT = Path(__file__).resolve().parent.parent


def test_readme_documents_every_public_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Python API")[2].partition("\n## ")[0]
    documented = set(re.findall(r"`(\w+)`", section)) | {"__version__"}
    assert set(aligner.__all__) <= documented, set(aligner.__all__) - documented
    assert all(hasattr(aligner, name) for name in aligner.__all__)


def test_readme_example_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.partition("## Python API")[2].partition("```python\n")[2].partition("```")[0]
    (tmp_path / "names.tsv").write_text("Ri\t리\tРі\n", encoding="utf-8")
    code = code.replace('"seeds/', f'"{ROOT}/seeds/').replace('"names.tsv"', f'"{tmp_path}/names.tsv"')
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code + "\nimport sys\nprint(sorted(m for m in ('torch', 'transformers') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert "q1 ok []" in done.stdout and "glossary:" in done.stdout
    assert done.stdout.rstrip().endswith("[]")  # no model library loaded
