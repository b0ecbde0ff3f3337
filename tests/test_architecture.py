"""The layout's promises: no import circle, every module importable alone (as pip-tools'
``tests/test_circular_imports.py`` checks), a model-free ``aligner check`` that loads no engine, and
one per-article flow behind ``translate`` and ``batch``. The layer contracts themselves are
import-linter's (``[tool.importlinter]`` in pyproject.toml, run by the README's test command)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import aligner

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds"
MODULES = sorted(
    ["aligner", *(m.name for m in pkgutil.walk_packages(aligner.__path__, "aligner."))],
)
RUNS_ON_IMPORT = {"aligner.__main__"}  # ``python -m aligner``: importing it runs the CLI
HEAVY = ("torch", "transformers", "sentencepiece", "ctranslate2", "ray")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), imports inside functions too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_anywhere() -> None:
    assert _cycles(grimp.build_graph("aligner")) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


@pytest.mark.slow
def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    # All at once (2 cores): each is its own interpreter, so no module leans on another's import order.
    runs = {
        module: subprocess.Popen(
            [sys.executable, "-c", f"import {module}"], stderr=subprocess.PIPE, text=True, cwd=REPO
        )
        for module in MODULES
        if module not in RUNS_ON_IMPORT
    }
    failed = {module: run.communicate()[1].strip().splitlines()[-1:] for module, run in runs.items()}
    assert {m: e for m, e in failed.items() if runs[m].returncode != 0} == {}


def test_the_package_has_the_documented_subpackages() -> None:
    packages = {m.name for m in pkgutil.iter_modules(aligner.__path__) if m.ispkg}
    assert packages == {"lang", "article", "align", "check", "translate", "batch", "report", "cli"}


_LOADED = """
import json, sys
from aligner.cli.app import main
sys.argv = ["aligner", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
mods = sorted(m for m in sys.modules if m == "aligner" or m.startswith("aligner."))
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"aligner": mods, "heavy": heavy}}), file=sys.stderr)
"""


def _loaded(*argv: str) -> dict[str, list[str]]:
    code = _LOADED.format(heavy=HEAVY)
    run = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False, cwd=REPO
    )
    loaded: dict[str, list[str]] = json.loads(run.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["check", str(SEED / "nk-soldier.en.txt"), str(SEED / "nk-soldier.ko.txt"), "--lang", "ko"],
        ["quotes", str(SEED / "nk-soldier.en.txt")],
        ["--help"],
    ],
    ids=["check", "quotes", "help"],
)
def test_a_model_free_command_loads_no_engine_batch_or_fidelity_module(argv: list[str]) -> None:
    loaded = _loaded(*argv)
    engines = [m for m in loaded["aligner"] if m.startswith(("aligner.translate.engines", "aligner.batch."))]
    assert engines == ["aligner.batch.options"]  # the --engine/--engine-backend choices, no engine
    assert "aligner.check.fidelity" not in loaded["aligner"]
    assert loaded["heavy"] == []


_WITHOUT_ENGINES = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None  # as if not installed: import fails, find_spec gives None
from aligner.cli.app import main
sys.argv = ["aligner", *sys.argv[1:]]
main()
"""


def _without_engines(*argv: str) -> subprocess.CompletedProcess[str]:
    code = _WITHOUT_ENGINES.format(blocked=HEAVY)
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False, cwd=REPO
    )


def test_check_and_quotes_work_on_the_core_install_without_any_engine_library(tmp_path: Path) -> None:
    check = _without_engines(
        "check", str(SEED / "nk-soldier.en.txt"), str(SEED / "nk-soldier.uk.txt"), "--lang", "uk"
    )
    assert check.returncode == 0, check.stderr
    assert "q1" in check.stdout
    quotes = _without_engines("quotes", str(SEED / "nk-soldier.en.txt"))
    assert quotes.returncode == 0, quotes.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["translate", str(SEED / "nk-soldier.en.txt"), "--to", "ko", "--model", "ko=models/tiny/en-ko"],
        ["check", str(SEED / "nk-soldier.en.txt"), str(SEED / "nk-soldier.ko.txt"), "--lang", "ko",
         "--model", "ko=models/tiny/en-ko"],
    ],
    ids=["translate", "check-model"],
)  # fmt: skip
def test_engine_commands_without_the_engine_extra_name_it_and_exit_2(tmp_path: Path, argv: list[str]) -> None:
    run = _without_engines(*argv, *(["--out", str(tmp_path / "out")] if argv[0] == "translate" else []))
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "pip install 'aligner[marian]'" in run.stderr
    assert not (tmp_path / "out").exists()
