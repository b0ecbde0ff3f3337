"""What durable, mode-correct output writing costs: ``textio.write_atomic`` (fchmod, fsync of the file,
rename, fsync of the folder) against the previous version (fsync of the file and rename only), on
files shaped like one ``translate`` unit's outputs (a translation, its JSON record and check report).

    python bench/bench_write.py [--dir DIR] [--units 100] [--rounds 5]

The two writers alternate round by round in the same folder so a busy machine slows both alike; the
median seconds per unit of each and their ratio are printed. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aligner.textio import write_atomic

SHAPES = (("txt", 6_000), ("json", 40_000), ("check.json", 25_000))  # bytes, as the seed's outputs


def write_previous(path: Path, data: str | bytes) -> None:
    """``write_atomic`` before issue 13: mkstemp (mode 0600), fsync of the file, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def one_round(writer: Callable[[Path, str], None], folder: Path, units: int) -> float:
    started = time.perf_counter()
    for unit in range(units):
        for ext, size in SHAPES:
            writer(folder / f"a{unit}.ko.{ext}", "x" * size)
    return (time.perf_counter() - started) / units


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to write (a temporary folder)")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        times: dict[str, list[float]] = {"previous": [], "durable": []}
        for _ in range(args.rounds):
            times["previous"].append(one_round(write_previous, Path(tmp) / "p", args.units))
            times["durable"].append(one_round(write_atomic, Path(tmp) / "d", args.units))
    previous, durable = (statistics.median(times[k]) for k in ("previous", "durable"))
    print(f"units {args.units} x {len(SHAPES)} files, {args.rounds} rounds, median per unit:")
    print(f"  previous (fsync file)          {previous * 1e3:8.2f} ms")
    print(f"  durable (fchmod, fsync folder) {durable * 1e3:8.2f} ms   x{durable / previous:.2f}")


if __name__ == "__main__":
    main()
