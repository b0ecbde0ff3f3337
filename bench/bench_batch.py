"""Measure ``aligner batch`` end to end on 50 seed-sized articles with the ct2 engine: the share of the
time spent outside model decoding (reading, parsing, planning, alignment, checks, writing, manifest).

Articles: the seed and the first 49 NTREX-dev English documents (about 2,000 characters each, like the
seed). Two models, each run with a fresh output folder and a fresh translation cache:

- ``tiny``: the tiny seed models (``models/tiny``) through ``--engine ct2``, exactly as a user runs it.
  Their decoding is far cheaper than a real model's, so this share is an upper bound.
- ``base``: a random-weight Marian with the OPUS-MT base shape (``bench/bench_engines.py`` builds it),
  converted to CTranslate2 int8. Random weights never choose when to stop, so each batch of 16
  length-sorted sentences decodes exactly as many target tokens as its sources have pieces on average
  (``--ratio`` 1.0): the decoding work of a real model on these sentences, and the realistic share.

``decode`` is the time inside the engines (``MeteredTranslator``); ``outside`` is the rest of the run
after the models are loaded. The target is outside / (outside + decode) < 10%.

    .venv/bin/python bench/bench_batch.py                 # both models, ko and uk, 50 articles
    .venv/bin/python bench/bench_batch.py --model tiny --articles 10   # quick look

Not a test: timings depend on the machine and on whatever else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner.batch.run import BatchOptions, BatchReport, run_batch  # noqa: E402
from aligner.translate.protocol import Translator  # noqa: E402

NTREX = REPO.parent / "shared" / "eval" / "ntrex-dev"  # the shared data beside the checkout
SEED = REPO / "seeds" / "nk-soldier.en.txt"
TINY = REPO / "models" / "tiny"


def build_articles(folder: Path, count: int) -> list[Path]:
    """Write the seed and ``count - 1`` NTREX-dev English documents into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [SEED, *sorted(NTREX.glob("*.en.txt"))[: count - 1]]
    if len(sources) < count:
        raise SystemExit(f"only {len(sources)} articles available under {NTREX}")
    written = []
    for n, path in enumerate(sources):
        target = folder / f"{n:02d}-{path.name}"
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    return written


class LengthMatched:
    """A CTranslate2 Marian that decodes, per batch of length-sorted sentences, as many target tokens as
    the batch's sources have pieces on average (times ``ratio``): the work of a real model that stops
    where a translation would, for a random-weight model that never stops by itself.

    Reads ``CT2Translator``'s internals (pieces, the ctranslate2 translator, its decoding arguments)
    as ``bench_engines.py`` does; only for this benchmark.
    """

    def __init__(self, inner: Any, lang: str, ratio: float) -> None:
        self.inner = inner
        self.lang = lang
        self.ratio = ratio
        self.model_id = inner.model_id
        self.revision = inner.revision
        self.target_tokens = 0

    def signature(self) -> str:
        return f"{self.inner.signature()}|lang:{self.lang}|length-matched:{self.ratio}"

    def translate(self, texts: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(text for text in texts if text.strip()))
        pieces = [self.inner._pieces.encode(text, self.inner.max_input_tokens) for text in unique]
        order = sorted(range(len(unique)), key=lambda i: len(pieces[i]))
        size = self.inner.options.batch_size
        done: dict[str, str] = {}
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            length = max(1, round(self.ratio * statistics.mean(len(pieces[i]) for i in batch)))
            kwargs = dict(self.inner._decode_kwargs, max_decoding_length=length, min_decoding_length=length)
            results = self.inner._translator.translate_batch([pieces[i] for i in batch], **kwargs)
            for i, result in zip(batch, results, strict=True):
                self.target_tokens += len(result.hypotheses[0])
                done[unique[i]] = self.inner._pieces.decode(result.hypotheses[0])
        return [done.get(text, "") for text in texts]


def base_engines(langs: Sequence[str], args: argparse.Namespace) -> tuple[dict[str, Translator], float]:
    """Build (once, cached) the OPUS-base-shaped random Marian and load it per language."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from bench_engines import SHAPES, build_model
    except ImportError as error:
        raise SystemExit(
            f"bench/bench_engines.py (build_model) is needed for --model base: {error}"
        ) from None
    from aligner.translate.engines.ct2 import CT2Translator, DecodeOptions

    model_dir = build_model(SHAPES["base"], args.work)
    started = time.perf_counter()
    engines: dict[str, Translator] = {}
    for lang in langs:
        inner = CT2Translator(
            model_dir,
            options=DecodeOptions(beams=args.beams),
            threads=args.threads,
            cache_dir=args.work / "ct2",
        )
        engines[lang] = LengthMatched(inner, lang, args.ratio)
    return engines, time.perf_counter() - started


def timings(out: Path) -> dict[str, float]:
    """Sum the per-unit timings of ``summary.jsonl`` (parse is per article, counted once)."""
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    finished = [row for row in rows if "timings" in row]
    parse = {row["id"]: row["timings"]["parse_s"] for row in finished}
    return {
        "parse": sum(parse.values()),
        "check": sum(row["timings"]["check_s"] for row in finished),
        "write": sum(row["timings"]["write_s"] for row in finished),
        "units": float(len(rows)),
        "failed": float(sum(row["status"] == "failed" for row in rows)),
        "sentences": float(sum(row.get("sentences", 0) for row in finished)),
    }


def measure(name: str, folder: Path, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run one batch into a fresh folder with a fresh cache; return its timings."""
    langs = tuple(args.langs.split(","))
    engines: dict[str, Translator] | None = None
    load = 0.0
    models: tuple[str, ...] = tuple(f"{lang}={TINY / f'en-{lang}'}" for lang in langs)
    if name == "base":
        engines, load = base_engines(langs, args)
        models = ()
    options = BatchOptions(
        input=folder,
        langs=langs,
        out=work / f"out-{name}",
        engine="ct2",
        models=models,
        beams=args.beams,
        threads=args.threads,
        cache=work / f"cache-{name}.sqlite",
    )
    report: BatchReport = run_batch(options, engines=engines, stderr=io.StringIO())
    load += report.load_seconds or 0.0
    decode = report.decode_seconds or 0.0
    outside = report.seconds - (report.load_seconds or 0.0) - decode
    parts = timings(options.out)
    tokens = sum(getattr(e, "target_tokens", 0) for e in (engines or {}).values())
    return {"model": name, "load": load, "decode": decode, "outside": outside, "total": report.seconds,
            "share": outside / (outside + decode), "target_tokens": tokens, **parts}  # fmt: skip


def render(results: Sequence[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        f"aligner batch, {args.articles} articles, langs {args.langs}, ct2 int8, beams {args.beams}, "
        f"{args.threads} threads; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        "",
        "| model | units | sentences | decode s | outside s | of which parse / check / write s "
        "| outside share | model load s |",
        "|---|--:|--:|--:|--:|---|--:|--:|",
    ]
    for r in results:
        lines.append(
            f"| {r['model']} | {r['units']:.0f} ({r['failed']:.0f} failed) | {r['sentences']:.0f} "
            f"| {r['decode']:.2f} | {r['outside']:.2f} "
            f"| {r['parse']:.2f} / {r['check']:.2f} / {r['write']:.2f} "
            f"| {r['share']:.1%} | {r['load']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--model", choices=("tiny", "base", "both"), default="both")
    parser.add_argument("--langs", default="ko,uk")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=min(len(os.sched_getaffinity(0)), 4))
    parser.add_argument("--ratio", type=float, default=1.0, help="target tokens per source piece (base)")
    default_work = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aligner" / "bench"
    parser.add_argument("--work", type=Path, default=default_work, help="bench_engines.py's model cache")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        folder = work / "articles"
        build_articles(folder, args.articles)
        for name in ("tiny", "base") if args.model == "both" else (args.model,):
            print(f"running {name} ...", file=sys.stderr, flush=True)
            results.append(measure(name, folder, args, work))
    print(render(results, args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
