"""Soak ``aligner batch`` with kills: SIGKILL (or SIGINT) a small batch at random moments, resume it,
and count the units lost and doubled; compare every output with an uninterrupted run.

Articles: variants of the seed (``seeds/nk-soldier.en.txt`` with one line dropped) and a few made-up
news items, 10 in all, translated into ko and uk by the tiny seed models through ``--engine ct2`` (they
start in a fraction of a second, so the kills spread over start-up, decoding, writing and recording).
Each trial:

1. starts ``python -m aligner batch IN --out OUT ...`` in a fresh folder (translation cache inside it, so
   the cache is killed too) and sends the signal at a random moment: one trial in five at a delay drawn
   uniformly from the start-up (process start to the first recorded unit of the uninterrupted run),
   the others once k units are recorded (k drawn uniformly from 0..19) plus a delay drawn uniformly
   from [0, the mean time per unit], so that the kills spread over decoding, writing and recording;
2. runs the same command with ``--resume`` (or without it, when the kill came before the manifest
   existed: ``--resume`` refuses a folder with no batch in it, and says so);
3. counts, over the 20 units: **lost** (not in the manifest, not in ``summary.jsonl`` or missing a file),
   **doubled** (recorded before the kill and redone by the resume, or twice in ``summary.jsonl``),
   **differ** (unit files that differ from the uninterrupted run's, timings and the folder's path
   aside), and the temporary files left behind.

    .venv/bin/python bench/soak_batch.py                     # 20 SIGKILL trials, about a minute
    .venv/bin/python bench/soak_batch.py --trials 50 --signal int --seed 7

Exits 1 when any trial lost, doubled or changed a unit. Not a test: the kill moments are random.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "nk-soldier.en.txt"
TINY = REPO / "models" / "tiny"
LANGS = ("ko", "uk")

MADE_UP = {
    "harbour.txt": (
        "BUSAN, South Korea (AP) — Dock workers ended a two-day strike on Friday.\n\n"
        '"We have an agreement that protects our jobs," said union leader Park Ji-hoon.\n\n'
        "The port authority said ships would be unloaded by Sunday.\n"
    ),
    "grain.txt": (
        "KYIV, Ukraine (AP) — Grain exports rose in March, the ministry said.\n\n"
        'Deputy minister Olha Kovalenko said: "The corridor is working, but insurance is still '
        'expensive."\n\n'
        '"Farmers need certainty," she added.\n'
    ),
    "rain.txt": (
        "SEOUL, South Korea (AP) — Heavy rain flooded roads in the capital on Monday.\n\n"
        '"Stay away from rivers and underpasses," the mayor told residents.\n'
    ),
}


def write_articles(folder: Path) -> None:
    """Seven seed variants and three made-up articles."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for n in range(7):
        kept = [line for i, line in enumerate(lines, start=1) if i != n + 2]
        (folder / f"seed-{n}.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for name, text in MADE_UP.items():
        (folder / name).write_text(text, encoding="utf-8")


def convert_models(home: Path) -> None:
    """The CTranslate2 conversions of the tiny models, under ``home`` as XDG_CACHE_HOME."""
    sys.path.insert(0, str(REPO))
    from aligner.translate.engines.ct2 import CT2Translator
    from aligner.translate.registry import load_registry

    for lang in LANGS:
        entry = load_registry().resolve(f"en-{lang}", str(TINY / f"en-{lang}"))
        CT2Translator.from_entry(entry, cache_dir=home / "aligner" / "ct2")


def command(source: Path, out: Path, *extra: str) -> list[str]:
    args = [sys.executable, "-m", "aligner", "batch", str(source), "--out", str(out), "--engine", "ct2"]
    args += ["--beams", "1", "--threads", "1"]
    for lang in LANGS:
        args += ["--to", lang, "--model", f"{lang}={TINY / f'en-{lang}'}"]
    return [*args, *extra]


def rows(out: Path) -> dict[tuple[str, str], tuple[int, str, str]]:
    """The manifest's ``(article, lang) -> (run, finished_at, status)``, read-only."""
    path = out / "manifest.sqlite"
    if not path.is_file():
        return {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            found = db.execute("SELECT article_id, lang, run, finished_at, status FROM units").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return {}
    return {(a, lang): (run, at, status) for a, lang, run, at, status in found}


def unit_files(out: Path) -> dict[str, Any]:
    """Every unit file, the folder's path and the timings taken out."""
    found: dict[str, Any] = {}
    for path in sorted(out.iterdir()):
        if path.name.endswith((".txt", ".check.json")):
            found[path.name] = path.read_text(encoding="utf-8").replace(str(out.resolve()), "OUT")
        elif path.name.endswith(".json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            record.pop("timings", None)
            found[path.name] = record
    return found


def summary_rows(out: Path) -> list[dict[str, Any]]:
    path = out / "summary.jsonl"
    if not path.is_file():
        return []
    found = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in found:
        row.pop("timings", None)
    return found


@dataclass
class Trial:
    delay: float
    at_kill: int
    killed: bool  # False: the run ended before the signal
    first_code: int | None
    resume: str  # "--resume", "fresh" (no manifest yet) or "-" (nothing to do)
    code: int
    lost: int
    doubled: int
    differ: int
    leftovers: int


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for(out: Path, process: subprocess.Popen[bytes], count: int) -> None:
    """Return once ``count`` units are recorded in ``out`` (or the process has ended)."""
    while process.poll() is None and len(rows(out)) < count:
        time.sleep(0.002)


def run_trial(
    source: Path, out: Path, env: dict[str, str], moment: tuple[int, float], sig: int, clean: Path
) -> Trial:
    after_units, delay = moment
    process = start(command(source, out), env)
    started = time.perf_counter()
    wait_for(out, process, after_units)
    time.sleep(delay)
    delay = time.perf_counter() - started
    killed = process.poll() is None
    if killed:
        process.send_signal(sig)
    process.wait()
    before = rows(out)
    if not out.exists() or not (out / "manifest.sqlite").exists():
        how, args = "fresh", command(source, out)
    else:
        how, args = "--resume", command(source, out, "--resume")
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    after = rows(out)
    wanted = set(rows(clean))
    expected, got = unit_files(clean), unit_files(out) if out.exists() else {}
    names = {(r["id"], r["lang"]) for r in summary_rows(out)}
    summary = summary_rows(out)
    missing_files = {name for name in expected if name not in got}
    lost = len(wanted - set(after)) + len(wanted - names)
    lost += len(missing_files)
    redone = sum(1 for key, value in before.items() if key in after and after[key][:2] != value[:2])
    doubled = redone + (len(summary) - len(names))
    differ = sum(1 for name, value in expected.items() if name in got and got[name] != value)
    leftovers = (
        sum(1 for p in out.iterdir() if p.name.endswith((".tmp", ".tmp-journal"))) if out.exists() else 0
    )
    return Trial(
        delay=delay,
        at_kill=len(before),
        killed=killed,
        first_code=process.returncode,
        resume=how,
        code=done.returncode,
        lost=lost,
        doubled=doubled,
        differ=differ,
        leftovers=leftovers,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--signal", choices=("kill", "int"), default="kill")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=None, help="keep the folders here (default: a temp dir)")
    args = parser.parse_args(argv)
    sig = signal.SIGKILL if args.signal == "kill" else signal.SIGINT
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="soak-batch-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        source, home = work / "in", work / "xdg"
        write_articles(source)
        convert_models(home)
        env = dict(os.environ, XDG_CACHE_HOME=str(home), PYTHONPATH=str(REPO))
        clean = work / "clean"
        started = time.perf_counter()
        process = start(command(source, clean), env)
        wait_for(clean, process, 1)
        first = time.perf_counter() - started
        process.wait()
        span = time.perf_counter() - started
        units = len(rows(clean))
        per_unit = (span - first) / max(units - 1, 1)
        load = os.getloadavg()[0]
        print(
            f"uninterrupted run: {units} units in {span:.2f} s, the first after {first:.2f} s "
            f"(load average {load:.2f}); signal SIG{args.signal.upper()}"
        )
        print(f"{'trial':>5} {'delay_s':>7} {'killed':>6} {'exit1':>5} {'at_kill':>7} {'then':>8} "
              f"{'exit':>4} {'lost':>4} {'doubled':>7} {'differ':>6} {'tmp':>3}")  # fmt: skip
        trials = []
        for n in range(args.trials):
            early = rng.random() < 0.2
            moment = (0, rng.uniform(0, first)) if early else (rng.randrange(units), rng.uniform(0, per_unit))
            trial = run_trial(source, work / f"out-{n:03d}", env, moment, sig, clean)
            trials.append(trial)
            mark = "yes" if trial.killed else "no"
            print(
                f"{n + 1:>5} {trial.delay:>7.2f} {mark:>6} {trial.first_code!s:>5} "
                f"{trial.at_kill:>4}/{units:<2} {trial.resume:>8} {trial.code:>4} {trial.lost:>4} "
                f"{trial.doubled:>7} {trial.differ:>6} {trial.leftovers:>3}"
            )
        bad = [t for t in trials if t.lost or t.doubled or t.differ or t.leftovers or t.code not in (0, 1)]
        killed = [t for t in trials if t.killed]
        mid = sum(0 < t.at_kill < units for t in killed)
        print(
            f"{len(trials)} trials, {len(killed)} signalled ({mid} with some units recorded, "
            f"{sum(t.at_kill == 0 for t in killed)} before the first); "
            f"lost {sum(t.lost for t in trials)}, doubled {sum(t.doubled for t in trials)}, "
            f"differing files {sum(t.differ for t in trials)}, leftover temp files "
            f"{sum(t.leftovers for t in trials)}; {len(bad)} bad trial(s)"
        )
        return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
