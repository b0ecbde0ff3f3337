"""Measure how many article pairs ``aligner check`` handles per second on one core.

Times parse_article + alignment + checks (no file I/O, no rendering) on the seed article with its
Korean and Ukrainian translations, alternating, after a warm-up; reports the best round (as
timeit does: load from other processes only slows a round) and the median. The bar is 100
pairs/s (10 ms a pair). Run: ``.venv/bin/python bench/bench_check.py [--pairs N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from aligner import __version__
from aligner.article.parse import parse_article
from aligner.check.checker import check_translation

ROOT = Path(__file__).resolve().parent.parent


def _pin_one_core() -> str:
    """Keep the process on one CPU where the OS allows it; return what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to cpu {cpu}"
    return "not pinned"


def run(pairs: int, rounds: int) -> list[float]:
    """Return pairs per second for each round."""
    en = (ROOT / "seeds" / "nk-soldier.en.txt").read_text(encoding="utf-8")
    targets = [
        (lang, (ROOT / "seeds" / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8"))
        for lang in ("ko", "uk")
    ]
    for lang, text in targets:  # warm-up: compile patterns, load the glossary
        check_translation(parse_article(en), text, lang)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(pairs):
            lang, text = targets[i % 2]
            check_translation(parse_article(en), text, lang)
        rates.append(pairs / (time.perf_counter() - start))
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=200, help="pairs per round (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median is reported (default 5)")
    args = parser.parse_args(argv)
    pinned = _pin_one_core()
    rates = run(args.pairs, args.rounds)
    median = statistics.median(rates)
    print(
        f"aligner {__version__} check, seed en->ko/uk, {args.pairs} pairs x {args.rounds} rounds, "
        f"Python {platform.python_version()}, {pinned}"
    )
    best = max(rates)
    # the best round is the figure timeit reports: other processes only ever slow a round down
    print(
        f"pairs/s: best round {best:.1f} ({1000 / best:.2f} ms a pair); "
        f"median {median:.1f}, worst {min(rates):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
