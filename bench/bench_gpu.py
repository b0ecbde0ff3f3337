"""Check and time the transformers engine on a CUDA GPU (run on a GPU machine; no test needs one).

Three parts, each printed and written to ``--json``:

1. Same output: the project's tiny en-ko and en-uk Marian models translate the seed article's
   sentences with ``MarianTranslator`` on the CPU and on CUDA; the script counts identical outputs.
2. The CLI on CUDA: ``aligner translate --device cuda`` on the seed article with the tiny models,
   then ``aligner check`` of what it wrote; their exit codes and the quotation statuses.
3. Speed: a random-weight Marian model with the OPUS-MT base (or big) shape, beam 4, every sentence
   forced to decode ``--tokens`` tokens (no eos, as ``bench_engines.py --force no-eos``): (a) the
   naive baseline, one sentence at a time; (b) ``MarianTranslator`` with batches of 16 and 64. One
   process, interleaved rounds, medians; the naive row runs on the GPU too, so the ratios compare
   like with like.

Needs ``--work`` holding ``news.spm`` (the SentencePiece model ``bench_engines.py`` trains; the base
model is built from it) and ``--sentences``, a file of English lines (``bench_engines.py`` draws them
from NTREX-dev, which a GPU machine may not have).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engines import SHAPES, build_model, fixed_length, without_eos  # noqa: E402

from aligner.article.records import parse_article  # noqa: E402
from aligner.translate.registry import load_registry  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO / "seeds" / "nk-soldier.en.txt"


def _seed_sentences() -> list[str]:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    article = parse_article(text)
    return [s.of(text) for p in article.paragraphs for s in p.sentences]


def same_output(device: str) -> dict[str, Any]:
    """Translate the seed sentences on the CPU and on ``device`` with the tiny models."""
    from aligner.translate.engines.marian import MarianTranslator

    sentences = _seed_sentences()
    found: dict[str, Any] = {}
    for lang in ("ko", "uk"):
        entry = load_registry().default(f"en-{lang}").with_model(str(REPO / "models" / "tiny" / f"en-{lang}"))
        cpu = MarianTranslator(entry, device="cpu").load().translate(sentences)
        gpu = MarianTranslator(entry, device=device).load().translate(sentences)
        same = sum(a == b for a, b in zip(cpu, gpu, strict=True))
        found[lang] = {"sentences": len(sentences), "identical": same}
        print(f"same output {lang}: {same}/{len(sentences)} sentences identical on cpu and {device}")
    return found


def cli_on_device(device: str) -> dict[str, Any]:
    """Run ``aligner translate`` and ``aligner check`` with the tiny models on ``device``."""
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        models = [a for lang in ("ko", "uk") for a in ("--model", f"{lang}=models/tiny/en-{lang}")]
        cmd = [sys.executable, "-m", "aligner", "translate", str(SEED_ARTICLE), "--to", "ko", "--to", "uk"]
        done = subprocess.run(
            [*cmd, *models, "--device", device, "--out", str(out)], cwd=REPO, capture_output=True, text=True
        )
        found["translate_rc"] = done.returncode
        found["translate_stderr_tail"] = done.stderr[-400:]
        print(f"aligner translate --device {device}: exit {done.returncode}")
        for lang in ("ko", "uk"):
            written = sorted(out.rglob(f"*.{lang}.txt"))
            if not written:
                found[f"check_{lang}"] = "no translation written"
                continue
            check = subprocess.run(
                [sys.executable, "-m", "aligner", "check", str(SEED_ARTICLE), str(written[0]), "--lang", lang]
                + ["--format", "json", "--fail-on", "never"],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            report = json.loads(check.stdout) if check.returncode == 0 else {}
            statuses = [q["status"] for q in report.get("quotes", [])]
            found[f"check_{lang}"] = {"rc": check.returncode, "quote_statuses": statuses}
            print(f"aligner check {lang}: exit {check.returncode}, quotations {statuses}")
    return found


def _naive(model_dir: Path, device: str, tokens: int) -> Callable[[Sequence[str]], int]:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    model = MarianMTModel.from_pretrained(str(model_dir)).to(device).eval()
    fixed = fixed_length(model, tokens, "no-eos")

    def run(texts: Sequence[str]) -> int:
        decoded = 0
        with torch.inference_mode():
            for text in texts:
                batch = tokenizer([text], return_tensors="pt").to(device)
                ids = model.generate(**batch, num_beams=4, **fixed)
                decoded += ids.shape[1] - 1
        return decoded

    return run


def _ours(model_dir: Path, device: str, tokens: int, batch: int) -> Callable[[Sequence[str]], int]:
    """``MarianTranslator`` on ``device`` over the model folder without eos (``bench_engines.without_eos``),
    so every sentence decodes ``max_new_tokens``; it counts what it decoded itself."""
    from aligner.translate.engines.marian import MarianTranslator

    entry = load_registry().default("en-ko").with_model(str(without_eos(model_dir)))
    translator = MarianTranslator(
        entry, device=device, beams=4, batch_size=batch, max_new_tokens=tokens
    ).load()

    def run(texts: Sequence[str]) -> int:
        before = translator.decoded_tokens
        translator.translate(texts)
        return translator.decoded_tokens - before

    return run


def speed(
    shape_name: str, work: Path, sentences: list[str], device: str, tokens: int, rounds: int
) -> list[dict[str, Any]]:
    """Time the naive baseline and our engine on ``device``; medians of interleaved rounds."""
    import torch

    model_dir = build_model(SHAPES[shape_name], work)
    configs = {
        "(a) naive transformers, 1 sentence at a time": _naive(model_dir, device, tokens),
        "(b) MarianTranslator, batches of 16": _ours(model_dir, device, tokens, 16),
        "(b) MarianTranslator, batches of 64": _ours(model_dir, device, tokens, 64),
    }
    for run in configs.values():
        run(sentences[:2])  # warm-up: CUDA context, kernels, allocator
    times: dict[str, list[float]] = {name: [] for name in configs}
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    for _ in range(rounds):
        for name, run in configs.items():
            sync()
            start = time.perf_counter()
            decoded = run(sentences)
            sync()
            times[name].append(time.perf_counter() - start)
            if decoded != tokens * len(sentences):
                raise SystemExit(f"{name} decoded {decoded} tokens, expected {tokens * len(sentences)}")
    rows = []
    base = None
    for name, spent in times.items():
        tok_s = tokens * len(sentences) / statistics.median(spent)
        base = base or tok_s
        rows.append(
            {
                "config": name,
                "target_tok_s": round(tok_s, 1),
                "ratio": round(tok_s / base, 2),
                "rounds_s": [round(t, 2) for t in spent],
            }
        )
        print(f"{shape_name} {name}: {tok_s:.0f} target tok/s, x{tok_s / base:.1f} (rounds {spent})")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--work", type=Path, required=True, help="folder with news.spm; models are built here"
    )
    parser.add_argument("--sentences", type=Path, required=True, help="English lines to translate")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import torch

    figures: dict[str, Any] = {
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "cpu_threads": os.cpu_count(),
    }
    print(f"torch {figures['torch']}, GPU {figures['gpu']}")
    figures["same_output"] = same_output(args.device)
    figures["cli"] = cli_on_device(args.device)
    sentences = [s for s in args.sentences.read_text(encoding="utf-8").splitlines() if s.strip()]
    for shape in args.shape or ["base"]:
        figures[f"speed_{shape}"] = speed(shape, args.work, sentences, args.device, args.tokens, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
