"""Measure how the time and peak memory of ``aligner quotes``, ``check`` and ``translate`` grow
with the input (issue 13: linear cost, memory bounded by the largest paragraph).

Inputs, written to ``--work``: the seed article ``seeds/nk-soldier.en.txt`` and its Korean
translation repeated to 10 KB, 100 KB, 500 KB, 1 MB and 5 MB (one copy per paragraph block, so
the paragraph structure is kept), and four hostile inputs:

- ``line-1MB``: the seed joined into one line and repeated to 1 MB (both sides one line);
- ``marks-50k``: the seed repeated to 100 KB against a "translation" of 50,000 straight quotes;
- ``paras-10k``: 10,000 short paragraphs, each one quotation ("Yes," he said.);
- ``quotes-50k``: 50,000 quotations, ten per paragraph.

Each case runs ``python -m aligner`` in a fresh subprocess; its wall time and peak resident
memory (``ru_maxrss`` from ``os.wait4`` of that child) are recorded. ``translate`` runs the
tiny Korean model (``models/tiny/en-ko``, one process: ``--engine-workers 1``) on the sizes in
``--translate-sizes`` only (default: every size and ``paras-10k``; the units of a repeated
article are translated once, so past the model its cost is the pipeline's; the other hostile
inputs are left out: their few distinct units say nothing new).

Prints a table with seconds per MB and the two bars: the 5 MB / 500 KB time-per-MB ratio
(at most 12, 1 is linear) and ``check``'s peak memory at 5 MB (under 500 MB).

Run: ``.venv/bin/python bench/bench_scaling.py [--only check] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nk-soldier"
SIZES = {"10KB": 10_000, "100KB": 100_000, "500KB": 500_000, "1MB": 1_000_000, "5MB": 5_000_000}
HOSTILE = ("line-1MB", "marks-50k", "paras-10k", "quotes-50k")
COMMANDS = ("quotes", "check", "translate")
RATIO_BAR = 12.0
MEMORY_BAR_MB = 500.0


@dataclass
class Result:
    """One measured run."""

    command: str
    case: str
    mbytes: float  # size of the English input (the translation's for marks-50k), in MB
    seconds: float | None  # None: timed out
    peak_mb: float
    exit_code: int | None


def _repeat(text: str, size: int) -> tuple[str, int]:
    block = text.strip("\n")
    copies = max(1, size // len(block.encode("utf-8")))
    return "\n".join([block] * copies) + "\n", copies


def write_inputs(work: Path) -> dict[str, tuple[Path, Path]]:
    """Write every case's English article and Korean translation; return their paths by case."""
    work.mkdir(parents=True, exist_ok=True)
    en = (SEED.with_suffix(".en.txt")).read_text(encoding="utf-8")
    ko = (SEED.with_suffix(".ko.txt")).read_text(encoding="utf-8")
    texts: dict[str, tuple[str, str]] = {}
    for name, size in SIZES.items():
        source, copies = _repeat(en, size)
        texts[name] = (source, "\n".join([ko.strip("\n")] * copies) + "\n")
    one_en = " ".join(line.strip() for line in en.splitlines() if line.strip())
    one_ko = " ".join(line.strip() for line in ko.splitlines() if line.strip())
    copies = 1_000_000 // len(one_en.encode("utf-8"))
    texts["line-1MB"] = (" ".join([one_en] * copies) + "\n", " ".join([one_ko] * copies) + "\n")
    texts["marks-50k"] = (texts["100KB"][0], '" ' * 50_000 + "\n")
    texts["paras-10k"] = ('"Yes," he said.\n' * 10_000, "“네”라고 그는 말했다.\n" * 10_000)
    line_en, line_ko = " ".join(['"Yes," he said.'] * 10), " ".join(["“네”라고 그는 말했다."] * 10)
    texts["quotes-50k"] = ((line_en + "\n") * 5_000, (line_ko + "\n") * 5_000)
    paths = {}
    for name, (source, target) in texts.items():
        src, tgt = work / f"{name}.en.txt", work / f"{name}.ko.txt"
        src.write_text(source, encoding="utf-8")
        tgt.write_text(target, encoding="utf-8")
        paths[name] = (src, tgt)
    return paths


def _argv(command: str, source: Path, target: Path, out: Path) -> list[str]:
    base = [sys.executable, "-m", "aligner", command]
    if command == "quotes":
        return [*base, str(source)]
    if command == "check":
        return [*base, str(source), str(target), "--lang", "ko", "--fail-on", "never"]
    model = str(ROOT / "models" / "tiny" / "en-ko")
    return [
        *base,
        str(source),
        "--to",
        "ko",
        "--model",
        f"ko={model}",
        "--out",
        str(out),
        "--engine-workers",
        "1",
    ]


def measure(
    command: str, case: str, source: Path, target: Path, work: Path, timeout: float, limit_mb: int = 0
) -> Result:
    """Run one case in a fresh subprocess; return its wall time and the child's peak memory."""
    argv = _argv(command, source, target, work / "out")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()

    def cap() -> None:  # address-space limit, so that a quadratic version cannot take the machine
        if limit_mb and command != "translate":  # torch reserves far more address space than it uses
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, preexec_fn=cap
    )
    seconds: float | None = None
    while True:  # reap the child with wait4, which returns its own resource usage
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            seconds = time.perf_counter() - started
            break
        if time.perf_counter() - started > timeout:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.02)
    child.returncode = code = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
    peak = usage.ru_maxrss / 1024.0  # KiB on Linux
    mbytes = (target if case == "marks-50k" else source).stat().st_size / 1e6
    return Result(
        command, case, round(mbytes, 3), seconds, round(peak, 1), code if seconds is not None else None
    )


def _row(r: Result) -> str:
    secs = "timeout" if r.seconds is None else f"{r.seconds:8.2f}"
    per_mb = "" if r.seconds is None else f"{r.seconds / r.mbytes:9.2f}"
    return (
        f"{r.command:9} {r.case:11} {r.mbytes:7.3f} {secs:>8} {per_mb:>9} {r.peak_mb:8.1f} {r.exit_code!s:>4}"
    )


def bars(results: list[Result]) -> list[str]:
    """Return the bar lines: time-per-MB ratio 5 MB / 500 KB per command, check's memory at 5 MB."""
    lines = []
    by = {(r.command, r.case): r for r in results}
    for command in COMMANDS:
        big, small = by.get((command, "5MB")), by.get((command, "500KB"))
        if big and small and big.seconds and small.seconds:
            ratio = (big.seconds / big.mbytes) / (small.seconds / small.mbytes)
            verdict = "ok" if ratio <= RATIO_BAR else "OVER"
            lines.append(f"{command}: time per MB 5MB / 500KB = {ratio:.2f} (bar {RATIO_BAR:g}: {verdict})")
    check = by.get(("check", "5MB"))
    if check is not None:
        verdict = "ok" if check.peak_mb < MEMORY_BAR_MB and check.seconds is not None else "OVER"
        killed = " when killed" if check.seconds is None else ""
        lines.append(
            f"check: peak memory at 5MB {check.peak_mb:.0f} MB{killed} (bar {MEMORY_BAR_MB:g} MB: {verdict})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=COMMANDS, action="append", help="commands to run (default all)")
    parser.add_argument("--cases", nargs="*", help="cases to run (default: every size and hostile input)")
    parser.add_argument(
        "--translate-sizes",
        nargs="*",
        default=[*SIZES, "paras-10k"],
        help="cases that translate runs (default: every size and paras-10k)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per case (default 900)")
    parser.add_argument(
        "--memory-limit", type=int, default=4096, help="address-space cap of quotes/check, MB (0: none)"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/aligner-bench-scaling"), help="input folder")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    paths = write_inputs(args.work)
    cases = args.cases or [*SIZES, *HOSTILE]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.node()} {platform.python_version()} load {load:.1f}", flush=True)
    print(
        f"{'command':9} {'case':11} {'MB':>7} {'seconds':>8} {'s/MB':>9} {'peak MB':>8} {'exit':>4}",
        flush=True,
    )
    results = []
    for command in args.only or COMMANDS:
        for case in cases:
            if command == "translate" and case not in args.translate_sizes:
                continue
            source, target = paths[case]
            result = measure(command, case, source, target, args.work, args.timeout, args.memory_limit)
            results.append(result)
            print(_row(result), flush=True)
    for line in bars(results):
        print(line)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
