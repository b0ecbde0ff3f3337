"""Measure what the CAT formats cost ``aligner check`` on the seed: writing XLIFF and TMX beside the
JSON report, and reading the translation from an XLIFF, TMX or PO file instead of plain text.

In one process, the median of ``--repeat`` runs of each step, and each as a ratio to the plain
``check_translation`` of the same translation (ko and uk). Reading a bilingual file is parsing it with
translate-toolkit plus laying it out by the source (``report.bilingual``). The first import of
translate-toolkit's storage modules is timed in a fresh interpreter.

    .venv/bin/python bench/bench_cat.py            # 20 repeats
    .venv/bin/python bench/bench_cat.py --repeat 5

Not a test: timings depend on the machine and on whatever else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner.article.parse import parse_article  # noqa: E402
from aligner.check.checker import check_translation  # noqa: E402
from aligner.report.bilingual import kind_of, lay_out, read_bilingual  # noqa: E402
from aligner.report.serialize import check_json  # noqa: E402
from aligner.report.tmx import check_tmx  # noqa: E402
from aligner.report.xliff import check_xliff, segments, source_text  # noqa: E402


def _median(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _po(path: Path, lang: str, pairs: list[tuple[str, str, str]]) -> None:
    from translate.storage.po import pofile

    store = pofile()
    store.updateheader(add=True, Language=lang)
    for uid, source, target in pairs:
        unit = store.addsourceunit(source)
        unit.target = target
        unit.addlocation(uid)
    path.write_bytes(bytes(store))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    en = (REPO / "seeds" / "nk-soldier.en.txt").read_text(encoding="utf-8")
    article = parse_article(en)
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, {args.repeat} repeats")
    code = "import time; t = time.perf_counter(); import translate.storage.xliff, translate.storage.tmx, "
    code += "translate.storage.po; print(time.perf_counter() - t)"
    cold = float(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )
    print(f"first import of translate-toolkit's xliff+tmx+po storage: {cold * 1000:.0f} ms")
    for lang in ("ko", "uk"):
        target = (REPO / "seeds" / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")
        report = check_translation(article, target, lang)
        base = _median(lambda: check_translation(article, target, lang), args.repeat)  # noqa: B023
        rows = [
            ("check (plain text)", base),
            ("write JSON", _median(lambda: check_json(report), args.repeat)),  # noqa: B023
            ("write XLIFF", _median(lambda: check_xliff(report), args.repeat)),  # noqa: B023
            ("write TMX", _median(lambda: check_tmx(report), args.repeat)),  # noqa: B023
        ]
        units = [u for u in segments(report) if u.target is not None]
        pairs = [(u.id, source_text(report, u), u.target.of(target)) for u in units]
        with tempfile.TemporaryDirectory() as tmp:
            files = {"xliff": Path(tmp) / "r.xlf", "tmx": Path(tmp) / "r.tmx", "po": Path(tmp) / "r.po"}
            files["xliff"].write_text(check_xliff(report), encoding="utf-8")
            files["tmx"].write_text(check_tmx(report), encoding="utf-8")
            _po(files["po"], lang, pairs)
            for name, path in files.items():

                def read(path: Path = path) -> object:
                    return lay_out(read_bilingual(path, kind_of(path) or ""), article)

                rows.append((f"read {name.upper()} + lay out", _median(read, args.repeat)))
        print(f"\n{lang}: {len(units)} units")
        for label, seconds in rows:
            print(f"  {label:<24} {seconds * 1000:8.2f} ms   x{seconds / base:5.2f} of check")


if __name__ == "__main__":
    main()
