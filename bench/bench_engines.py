"""Benchmark the translation engines on random-weight Marian models with the real OPUS-MT shapes.

Every configuration decodes exactly ``--tokens`` target tokens per sentence (eos is suppressed until
then and decoding stops there), so all of them do the same work; each run is a fresh subprocess, and
the runs of all configurations are interleaved so that machine noise spreads evenly. Our transformers
engine runs as the CLI makes it (one worker process per thread) and, for comparison, in one process.
Printed: target tokens/s, sentences/s, ratio to the naive baseline, peak RSS (the engine's worker
processes included), load time (imports + model load + the first translation), and the share of the
machine's int8 matmul peak that the throughput implies.

    .venv/bin/python bench/bench_engines.py --shape base          # the table in bench/README.md
    .venv/bin/python bench/bench_engines.py --shape both --quick  # smoke run, about two minutes

Models, the SentencePiece model and CTranslate2 conversions are cached under ``--work``.
Not a test: timings depend on the machine and on whatever else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NTREX = REPO.parent / "shared" / "eval" / "ntrex-dev"  # the shared data beside the checkout
SEED = 20261126
SPM_VOCAB = 8000  # pieces the spm knows; vocab.json is padded with unused pieces up to the model's vocabulary


@dataclass(frozen=True)
class Shape:
    """Transformer sizes of an OPUS-MT model."""

    name: str
    d_model: int
    layers: int  # encoder and decoder each
    heads: int
    ffn: int
    vocab: int

    def macs_per_target_token(self, beams: int, source_per_target: float) -> float:
        """Multiply-accumulates of the matmuls per target token (see bench/README.md for the formula)."""
        d, f, n = self.d_model, self.ffn, self.layers
        step = n * (4 * d * d + 2 * d * d + 2 * d * f) + d * self.vocab  # one hypothesis, one step
        source = (
            n * (4 * d * d + 2 * d * f) + n * 2 * d * d
        )  # encoder + cross-attention K/V, per source token
        return beams * step + source_per_target * source


SHAPES = {
    # Helsinki-NLP/opus-mt-en-uk (transformer-align): 512, 6+6 layers, 8 heads, ffn 2048, vocab 65001.
    "base": Shape("base", 512, 6, 8, 2048, 65001),
    # opus-mt-tc-big-*: 1024, 6+6 layers, 16 heads, ffn 4096 (vocab kept at 65001 for comparability).
    "big": Shape("big", 1024, 6, 16, 4096, 65001),
}


@dataclass(frozen=True)
class Config:
    """One benchmarked configuration."""

    name: str
    engine: str  # naive | torch | torch-int8 | ct2
    beams: int
    workers: int = 0  # transformers engine processes; 0: as the CLI chooses (one per thread)


CONFIGS = (
    Config("(a) naive transformers, 1 sentence at a time", "naive", 4),
    Config("(b) our transformers engine, fp32, 1 process", "torch", 4, 1),
    Config("(b) our transformers engine, fp32", "torch", 4),
    Config("(b) our transformers engine, int8, 1 process", "torch-int8", 4, 1),
    Config("(b) our transformers engine, int8", "torch-int8", 4),
    Config("(c) our ct2 engine, int8", "ct2", 4),
    Config("(b) our transformers engine, int8, greedy", "torch-int8", 1),
    Config("(c) our ct2 engine, int8, greedy", "ct2", 1),
)


def news_sentences(count: int, seed: int = SEED) -> list[str]:
    """Draw ``count`` English news lines (three words or more) from NTREX-dev with a fixed seed."""
    lines = sorted(
        {
            line.strip()
            for path in sorted(NTREX.glob("*.en.txt"))
            for line in path.read_text("utf-8").splitlines()
        }
    )
    return random.Random(seed).sample([line for line in lines if len(line.split()) >= 3], count)


def build_spm(work: Path) -> Path:
    """Train (once) a unigram spm on the NTREX-dev English text, Marian layout: </s>=0, <unk>=1."""
    model = work / "news.spm"
    if model.is_file():
        return model
    import sentencepiece as spm

    work.mkdir(parents=True, exist_ok=True)
    corpus = [
        line for path in sorted(NTREX.glob("*.en.txt")) for line in path.read_text("utf-8").splitlines()
    ]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_prefix=str(work / "news"),
        vocab_size=SPM_VOCAB,
        hard_vocab_limit=False,
        character_coverage=1.0,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        num_threads=2,
        minloglevel=2,
    )
    (work / "news.model").rename(model)
    return model


def build_model(shape: Shape, work: Path) -> Path:
    """Save (once) a random-weight MarianMTModel of ``shape`` with tokenizer files; return its folder."""
    out = work / f"marian-{shape.name}"
    if (out / "model.safetensors").is_file():
        return out
    import shutil

    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    spm_model = build_spm(work)
    processor = spm.SentencePieceProcessor(model_file=str(spm_model))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    pad = shape.vocab - 1  # OPUS-MT layout: <pad> is the last id (65000)
    vocab = {piece: i for i, piece in enumerate(pieces)}
    vocab |= {f"\u2581unused{i}": i for i in range(len(vocab), pad)} | {"<pad>": pad}
    tmp = work / f".marian-{shape.name}.tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    for name in ("source.spm", "target.spm"):
        shutil.copyfile(spm_model, tmp / name)
    tokenizer_config = {
        "tokenizer_class": "MarianTokenizer",
        "model_max_length": 512,
        "separate_vocabs": False,
    }
    (tmp / "tokenizer_config.json").write_text(json.dumps(tokenizer_config), "utf-8")
    config = MarianConfig(
        vocab_size=shape.vocab,
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config)
    # OPUS-MT's generation config minus forced_eos_token_id, which would spend the last step on a forced eos.
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad,
        eos_token_id=0,
        pad_token_id=pad,
        bad_words_ids=[[pad]],
        num_beams=4,
        max_length=512,
    )
    model.save_pretrained(str(tmp))
    tmp.rename(out)
    return out


def without_eos(model_dir: Path) -> Path:
    """Return (once) a copy of ``model_dir`` whose generation config has no eos: every hypothesis runs
    to ``max_new_tokens``. The weights are symlinked; any process that loads the folder decodes the
    same way, the transformers engine's worker processes included."""
    out = model_dir.with_name(model_dir.name + "-no-eos")
    config = json.loads((model_dir / "generation_config.json").read_text("utf-8"))
    config.pop("eos_token_id", None)
    out.mkdir(exist_ok=True)
    for path in model_dir.iterdir():
        link = out / path.name
        if path.name != "generation_config.json" and not link.exists():
            link.symlink_to(path.resolve())
    (out / "generation_config.json").write_text(json.dumps(config, indent=1), "utf-8")
    return out


# ---------------------------------------------------------------- workers (one subprocess per run)


def fixed_length(model: Any, tokens: int, force: str) -> dict[str, Any]:
    """Make ``generate`` decode exactly ``tokens`` tokens; return the keyword arguments that do it.

    ``no-eos`` removes the eos from the model's generation config, so no hypothesis can finish early;
    ``min-new`` keeps it and adds ``min_new_tokens``, whose logits processor rewrites the whole
    vocabulary row of every hypothesis at every step (20-30 % of the batched int8 engine's time here),
    work that no real run does.
    """
    if force == "no-eos":
        model.generation_config.eos_token_id = None
        return {"max_new_tokens": tokens}
    return {"min_new_tokens": tokens, "max_new_tokens": tokens}


def _naive(model_dir: Path, beams: int, tokens: int, threads: int, force: str) -> Engine:
    """What a user writes from the model card: tokenizer + generate, one sentence at a time."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    model = MarianMTModel.from_pretrained(str(model_dir))
    lengths: list[int] = []
    fixed = fixed_length(model, tokens, force)

    def translate(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            batch = tokenizer([text], return_tensors="pt")
            ids = model.generate(**batch, num_beams=beams, **fixed)
            lengths.append(ids.shape[1] - 1)  # minus the decoder start token
            out.append(tokenizer.decode(ids[0], skip_special_tokens=True))
        return out

    return Engine(translate, lambda: sum(lengths))


def _ours_torch(args: argparse.Namespace, int8: bool) -> Engine:
    """``MarianTranslator`` as the CLI makes it: int8 through its switch, and unless ``--workers 1``
    one worker process per thread. The length is forced by the model folder (``--force no-eos``: see
    ``without_eos``) or by ``min_new_tokens``, so that every worker process decodes the same way, and
    the engine counts the tokens its workers decoded."""
    from aligner.translate.engines.marian import MarianTranslator
    from aligner.translate.engines.pool import choose_workers
    from aligner.translate.registry import load_registry

    folder = without_eos(args.model_dir) if args.force == "no-eos" else args.model_dir
    entry = load_registry().default("en-ko").with_model(str(folder))
    workers = choose_workers(args.workers or None, device="cpu", threads=args.threads)
    translator = MarianTranslator(
        entry, device="cpu", beams=args.beams, batch_size=16, max_new_tokens=args.tokens,
        min_new_tokens=args.tokens if args.force == "min-new" else 0, threads=args.threads, int8=int8,
        workers=workers,
    ).load()  # fmt: skip
    return Engine(
        translator.translate,
        lambda: translator.decoded_tokens,
        lambda: translator.worker_pids,
        translator.close,
        f"{workers}×{max(1, args.threads // workers)}",
    )


def _ours_ct2(model_dir: Path, beams: int, tokens: int, threads: int, work: Path, batch: int) -> Engine:
    from aligner.translate.engines.ct2 import CT2Translator, DecodeOptions

    options = DecodeOptions(
        beams=beams,
        batch_size=batch,
        max_new_tokens=tokens,
        min_new_tokens=tokens,
    )
    translator = CT2Translator(model_dir, options=options, threads=threads, cache_dir=work / "ct2")
    lengths: list[int] = []
    ct2_translate = translator._translator.translate_batch

    def counted(*args: Any, **kwargs: Any) -> Any:
        results = ct2_translate(*args, **kwargs)
        lengths.extend(len(result.hypotheses[0]) for result in results)
        return results

    translator._translator = _Proxy(translator._translator, translate_batch=counted)
    return Engine(translator.translate, lambda: sum(lengths), procs=f"{threads}×1")


@dataclass(frozen=True)
class Engine:
    """A loaded engine as a worker measures it."""

    translate: Callable[[Sequence[str]], list[str]]
    tokens: Callable[[], int]  # target tokens decoded so far, in every process of the engine
    pids: Callable[[], list[int]] = list  # the engine's worker processes
    close: Callable[[], None] = lambda: None
    procs: str = "1×threads"  # processes × threads each


class _Proxy:
    """Forward attribute reads to ``inner`` except the overridden ones (ctranslate2 objects are read-only)."""

    def __init__(self, inner: Any, **overrides: Any) -> None:
        self._inner = inner
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory of process ``pid`` (this one by default) in MB.

    VmHWM, not ``getrusage``'s ru_maxrss: Linux carries ru_maxrss across fork and exec, so a worker
    would report its parent's peak (the parent builds the models).
    """
    status = Path(f"/proc/{pid}/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> dict[str, Any]:
    """Load one engine, translate one sentence per thread (load time), then all of them (throughput)."""
    sentences = news_sentences(args.sentences)
    started = time.perf_counter()
    if args.engine == "naive":
        engine = _naive(args.model_dir, args.beams, args.tokens, args.threads, args.force)
    elif args.engine == "ct2":
        engine = _ours_ct2(args.model_dir, args.beams, args.tokens, args.threads, args.work, args.ct2_batch)
    else:
        engine = _ours_torch(args, int8=args.engine == "torch-int8")
    engine.translate(sentences[: args.threads])  # one batch per engine process: each is warm
    loaded = time.perf_counter()
    before = engine.tokens()
    outputs = engine.translate(sentences)
    seconds = time.perf_counter() - loaded
    workers_rss = [peak_rss_mb(pid) for pid in engine.pids()]
    engine.close()
    return {
        "load_s": loaded - started,
        "seconds": seconds,
        "sentences": len(outputs),
        "target_tokens": engine.tokens() - before,
        "procs": engine.procs.replace("threads", str(args.threads)),
        "peak_rss_mb": peak_rss_mb() + sum(workers_rss),
        "workers_rss_mb": workers_rss,
        "torch_imported": "torch" in sys.modules,
    }


# ---------------------------------------------------------------- orchestration


def int8_peak_gops(threads: int) -> float:
    """Best int8 GEMM rate (GOP/s) on ``threads`` threads: fbgemm dynamic Linear, 1024x2048 by 2048x2048."""
    import warnings

    import torch

    from aligner.translate.engines.quantize import quantize_dynamic_int8

    torch.set_num_threads(threads)
    rows, size = 1024, 2048
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = quantize_dynamic_int8(torch.nn.Sequential(torch.nn.Linear(size, size)).eval())
        x = torch.randn(rows, size)
        best = float("inf")
        with torch.inference_mode():
            for _ in range(20):
                start = time.perf_counter()
                layer(x)
                best = min(best, time.perf_counter() - start)
    return 2 * rows * size * size / best / 1e9


def run_worker(config: Config, model_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter and return its measurements."""
    options = {
        "--worker": config.engine, "--beams": config.beams, "--model-dir": model_dir, "--tokens": args.tokens,
        "--sentences": args.sentences, "--threads": args.threads, "--work": args.work,
        "--ct2-batch": args.ct2_batch, "--force": args.force, "--workers": config.workers,
    }  # fmt: skip
    command = [sys.executable, str(Path(__file__).resolve())]
    command += [item for option, value in options.items() for item in (option, str(value))]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), PYTHONPATH=str(REPO))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {config.name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    expected = args.tokens * args.sentences
    if result["target_tokens"] != expected:
        raise SystemExit(
            f"{config.name}: decoded {result['target_tokens']} tokens, not {expected}: unequal work"
        )
    return result


def measure(shape: Shape, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Interleave ``args.runs`` rounds of every configuration; return one row of medians per configuration."""
    from aligner.translate.engines.ct2 import convert_marian

    model_dir = build_model(shape, args.work)
    convert_marian(model_dir, args.work / "ct2", quantization="int8")  # once, outside the timed workers
    runs: dict[str, list[dict[str, Any]]] = {config.name: [] for config in CONFIGS}
    for round_no in range(args.runs):
        for config in CONFIGS:
            runs[config.name].append(run_worker(config, model_dir, args))
            last = runs[config.name][-1]
            print(
                f"  {shape.name} run {round_no + 1}/{args.runs} {config.name}: "
                f"{last['target_tokens'] / last['seconds']:.1f} tok/s",
                file=sys.stderr,
                flush=True,
            )
    rows = []
    for config in CONFIGS:
        results = runs[config.name]
        seconds = statistics.median(r["seconds"] for r in results)
        rows.append(
            {
                "config": asdict(config),
                "shape": shape.name,
                "seconds": seconds,
                "tok_s": args.tokens * args.sentences / seconds,
                "sent_s": args.sentences / seconds,
                "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in results),
                "load_s": statistics.median(r["load_s"] for r in results),
                "procs": results[0]["procs"],
                "torch_imported": any(r["torch_imported"] for r in results),
                "runs": results,
            }
        )
    return rows


def source_per_target(count: int, tokens: int) -> float:
    """Mean source pieces (eos included) per decoded target token for the benchmark sentences."""
    from aligner.translate.engines.ct2 import MarianPieces

    pieces = MarianPieces.load(build_model(SHAPES["base"], Path(os.environ["BENCH_WORK"])))
    return statistics.mean(len(pieces.encode(text, 512)) for text in news_sentences(count)) / tokens


def table(shape: Shape, rows: list[dict[str, Any]], ratio: float, peak: float) -> str:
    """Render the rows of one shape as a Markdown table."""
    base = rows[0]["tok_s"]
    lines = [
        f"shape {shape.name}: d_model {shape.d_model}, {shape.layers}+{shape.layers} layers, "
        f"{shape.heads} heads, ffn {shape.ffn}, vocab {shape.vocab}; int8 limit {peak:.0f} GOP/s",
        "",
        "| config | beams | procs × threads | target tok/s | sentences/s | × (a) | MOP/tok | GOP/s "
        "| of int8 limit | peak RSS MB | load s | torch imported |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        config = row["config"]
        mop = 2 * shape.macs_per_target_token(config["beams"], ratio) / 1e6
        gops = row["tok_s"] * mop / 1e3
        lines.append(
            f"| {config['name']} | {config['beams']} | {row['procs']} | {row['tok_s']:.1f} "
            f"| {row['sent_s']:.2f} | ×{row['tok_s'] / base:.1f} | {mop:.0f} | {gops:.1f} "
            f"| {gops / peak:.1%} | {row['peak_rss_mb']:.0f} | {row['load_s']:.1f} "
            f"| {'yes' if row['torch_imported'] else 'no'} |"
        )
    return "\n".join(lines)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line (``--worker`` is internal: one measured run)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", choices=("base", "big", "both"), default="base")
    parser.add_argument("--quick", action="store_true", help="smoke run: 6 sentences, 8 tokens, 1 run")
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=32, help="target tokens decoded per sentence")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs per configuration (median)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--force",
        choices=("no-eos", "min-new"),
        default="no-eos",
        help="how transformers is made to decode N tokens",
    )
    parser.add_argument("--ct2-batch", type=int, default=32, help="largest batch of the ct2 engine")
    parser.add_argument("--peak", type=float, default=0.0, help="int8 GOP/s limit (default: measured)")
    default_work = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aligner" / "bench"
    parser.add_argument("--work", type=Path, default=default_work, help="cache of models and conversions")
    parser.add_argument("--json", type=Path, help="also write all measurements here")
    parser.add_argument("--worker", choices=("naive", "torch", "torch-int8", "ct2"), help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--beams", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sentences, args.tokens, args.runs = 6, 8, 1
    args.engine = args.worker
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with ``--worker``, one measured run that prints JSON)."""
    args = parse(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    os.environ["BENCH_WORK"] = str(args.work)
    load = os.getloadavg()
    measured = int8_peak_gops(args.threads)
    peak = args.peak or measured
    ratio = source_per_target(args.sentences, args.tokens)
    shapes = ("base", "big") if args.shape == "both" else (args.shape,)
    report: dict[str, Any] = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "peak_gops": peak,
        "measured_peak_gops": measured,
        "rows": [],
    }
    tables = []
    for name in shapes:
        rows = measure(SHAPES[name], args)
        report["rows"] += rows
        tables.append(table(SHAPES[name], rows, ratio, peak))
    load_after = os.getloadavg()
    print(
        f"{args.sentences} NTREX-dev sentences × {args.tokens} target tokens (transformers: {args.force}), "
        f"{args.threads} threads, "
        f"median of {args.runs} interleaved runs; source/target tokens {ratio:.2f}; "
        f"load average (1/5/15 min) before {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, "
        f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; int8 GEMM measured "
        f"{measured:.0f} GOP/s (fbgemm, 1024x2048 by 2048x2048), limit used {peak:.0f} GOP/s\n"
    )
    print("\n\n".join(tables))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
