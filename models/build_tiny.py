"""Train the tiny MarianMT models under models/tiny/ from the seed article (plumbing tests and demos only).

The four directions (en->ko, en->uk, ko->en, uk->en) share one SentencePiece model trained on the seed
article in all three languages. Each model is trained on the seed's line pairs (split into sentences where
the sentence counts agree), the inner text of every gold direct quotation, and the attribution frames a
quote-preserving pipeline asks for ("Ri said." -> "리 씨는 말했다."), until greedy and beam decoding both
reproduce every training target exactly. The models know nothing else: they prove the plumbing, not
translation quality.

Run from the repository root (about two minutes on two CPU cores; see models/README.md):

    .venv/bin/python models/build_tiny.py
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import shutil
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED_STEM = "nk-soldier"
LANGS = ("en", "ko", "uk")
DIRECTIONS = (("en", "ko"), ("en", "uk"), ("ko", "en"), ("uk", "en"))
# en->uk mirrors Helsinki-NLP/opus-mt-tc-big-en-zle, a multi-target model that needs a target token.
TARGET_TOKENS = {("en", "uk"): ">>ukr<<"}
SEED = 1234

# A sentence ends at . ? or ! followed by space: "arm. He commented" -> "arm." | "He commented".
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
# Any quotation mark used in the seed: "..." in en, “...” in ko, «...» in uk.
_QUOTE_MARK = re.compile('["“”«»]')

# Attribution frames of the two quote lines (seed lines 8 and 10, 1-based): the line minus the quotation,
# its marks, the Korean quotative particle (-고 / -라고) and the Ukrainian ", —" / " —" before the verb.
#   en  "<q1>" Ri said.                       -> Ri said.
#   ko  “<q1>”고 리 씨는 말했다.              -> 리 씨는 말했다.
#   uk  «<q1>», — сказав Рі.                  -> сказав Рі.
#   en  "<q2>" Ri asked the journalist ...    -> Ri asked the journalist during the interview.
#   ko  “<q2>”라고 리 씨는 인터뷰 중 ...      -> 리 씨는 인터뷰 중 기자에게 물었다.
#   uk  «<q2>» — запитав Рі журналіста ...   -> запитав Рі журналіста під час інтерв'ю.
FRAMES: tuple[dict[str, str], ...] = (
    {"en": "Ri said.", "ko": "리 씨는 말했다.", "uk": "сказав Рі."},
    {
        "en": "Ri asked the journalist during the interview.",
        "ko": "리 씨는 인터뷰 중 기자에게 물었다.",
        "uk": "запитав Рі журналіста під час інтерв'ю.",
    },
)
FRAME_LINES = (8, 10)  # 1-based seed lines each frame is cut from (checked at build time)


@dataclass(frozen=True, slots=True)
class Settings:
    """Model size and training knobs (one set for all four directions)."""

    d_model: int = 128
    layers: int = 2
    heads: int = 4
    ffn: int = 256
    vocab_size: int = 1000
    lr: float = 3e-3
    batch_size: int = 16
    max_steps: int = 4000
    check_every: int = 20
    beams: int = 4
    # One thread: on a busy two-core machine, two OpenMP threads ran these tiny matrices 5x slower.
    threads: int = 1


def split_sentences(text: str) -> list[str]:
    """Split ``text`` at sentence ends (see ``_SENTENCE_END``)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def read_seed(seeds: Path) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Return the seed lines per language (line-aligned) and the gold JSON."""
    lines = {
        lang: (seeds / f"{SEED_STEM}.{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS
    }
    counts = {len(value) for value in lines.values()}
    if len(counts) != 1:
        raise SystemExit(f"seed files are not line-aligned: {counts}")
    gold = json.loads((seeds / f"{SEED_STEM}.gold.json").read_text(encoding="utf-8"))
    return lines, gold


def aligned_segments(lines: dict[str, list[str]], gold: dict[str, Any]) -> list[dict[str, str]]:
    """Return every aligned segment (one text per language) the tiny models must know."""
    segments: list[dict[str, str]] = []
    for row in zip(*(lines[lang] for lang in LANGS), strict=True):
        texts = dict(zip(LANGS, row, strict=True))
        if not texts["en"].strip():
            continue
        segments.append(texts)
        if not _QUOTE_MARK.search(texts["en"]):
            segments.extend(_sentence_pairs(texts))
    for quote in gold["quotes"]:
        inner = {lang: quote[lang] for lang in LANGS}
        segments.append(inner)
        segments.append({**inner, "en": inner["en"].rstrip(",")})  # "soldiers," -> "soldiers"
        segments.extend(_sentence_pairs(inner))
    for frame, line_no in zip(FRAMES, FRAME_LINES, strict=True):
        for lang in LANGS:
            if frame[lang] not in lines[lang][line_no - 1]:
                raise SystemExit(f"frame {frame[lang]!r} is not in {lang} line {line_no}")
        segments.append(dict(frame))
    return segments


def _sentence_pairs(texts: dict[str, str]) -> list[dict[str, str]]:
    split = {lang: split_sentences(texts[lang]) for lang in LANGS}
    if len({len(parts) for parts in split.values()}) != 1 or len(split["en"]) < 2:
        return []
    return [dict(zip(LANGS, row, strict=True)) for row in zip(*(split[lang] for lang in LANGS), strict=True)]


def direction_pairs(segments: Iterable[dict[str, str]], src: str, tgt: str) -> list[tuple[str, str]]:
    """Return (source, target) pairs for one direction, first target wins for a repeated source."""
    pairs: dict[str, str] = {}
    token = TARGET_TOKENS.get((src, tgt))
    for segment in segments:
        source = f"{token} {segment[src]}" if token else segment[src]
        pairs.setdefault(source, segment[tgt])
    return list(pairs.items())


def train_spm(segments: Sequence[dict[str, str]], settings: Settings) -> bytes:
    """Train the shared SentencePiece model on all three languages; return the serialized model.

    Trained from an iterator into memory, so no temporary path ends up in the model (byte-identical rebuilds).
    """
    import sentencepiece as spm

    texts = sorted({segment[lang] for segment in segments for lang in LANGS})
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=model,
        vocab_size=settings.vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,  # every Hangul syllable in the seed gets a piece
        model_type="unigram",
        # Marian layout: </s> = 0, <unk> = 1, no BOS; <pad> is appended last in vocab.json.
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        num_threads=1,
        seed_sentencepiece_size=100000,
        minloglevel=2,
    )
    return model.getvalue()


def write_tokenizer_files(spm_model: bytes, out: Path, token: str | None) -> int:
    """Write source.spm, target.spm, vocab.json and tokenizer_config.json; return the vocabulary size.

    Only a direction with a target token gets it in its vocabulary, as only multi-target hub models have
    such tokens (the translator warns about a model with tokens when none is set).
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    if token:
        vocab[token] = len(vocab)
    vocab["<pad>"] = len(vocab)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes(spm_model)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    config = {
        "tokenizer_class": "MarianTokenizer",
        "unk_token": "<unk>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "model_max_length": 512,
        "separate_vocabs": False,
    }
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return len(vocab)


def new_model(vocab_size: int, pad_id: int, eos_id: int, settings: Settings) -> Any:
    """Build an untrained MarianMTModel of the tiny size."""
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=settings.d_model,
        encoder_layers=settings.layers,
        decoder_layers=settings.layers,
        encoder_attention_heads=settings.heads,
        decoder_attention_heads=settings.heads,
        encoder_ffn_dim=settings.ffn,
        decoder_ffn_dim=settings.ffn,
        max_position_embeddings=512,
        dropout=0.0,
        activation_function="swish",
        scale_embedding=True,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
    )
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad_id,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
        forced_eos_token_id=eos_id,
        bad_words_ids=[[pad_id]],
        num_beams=settings.beams,
        max_length=512,
    )
    return model


def decode_all(model: Any, tokenizer: Any, sources: Sequence[str], beams: int) -> list[str]:
    """Translate ``sources`` with the model being trained (greedy for beams=1)."""
    import torch

    model.eval()
    with torch.inference_mode():
        batch = tokenizer(list(sources), return_tensors="pt", padding=True)
        output = model.generate(**batch, num_beams=beams, max_length=257, do_sample=False)
    model.train()
    return [text.strip() for text in tokenizer.batch_decode(output, skip_special_tokens=True)]


def exact_rate(model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]], beams: int) -> float:
    """Share of pairs whose decoded source equals the target exactly."""
    outputs = decode_all(model, tokenizer, [src for src, _ in pairs], beams)
    return sum(out == tgt for out, (_, tgt) in zip(outputs, pairs, strict=True)) / len(pairs)


def encode(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """Tokenize pairs for training; padded label positions are -100 (ignored by the loss)."""
    enc = tokenizer(
        [s for s, _ in pairs], text_target=[t for _, t in pairs], return_tensors="pt", padding=True
    )
    enc["labels"][enc["labels"] == tokenizer.pad_token_id] = -100
    return enc


def forced_argmax_exact(model: Any, everything: Any) -> bool:
    """True when every target token is the argmax under teacher forcing, i.e. greedy decoding is exact."""
    import torch

    model.eval()
    with torch.inference_mode():
        logits = model(**everything).logits
    model.train()
    labels = everything["labels"]
    return bool(((logits.argmax(-1) == labels) | (labels == -100)).all())


def train_direction(
    pairs: Sequence[tuple[str, str]], tokenizer: Any, settings: Settings
) -> tuple[Any, int, float, float]:
    """Train one direction until greedy and beam decoding are exact; return model, steps, greedy, beam."""
    import torch

    torch.manual_seed(SEED)
    order = random.Random(SEED)
    model = new_model(len(tokenizer.get_vocab()), tokenizer.pad_token_id, tokenizer.eos_token_id, settings)
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=0.0)
    everything = encode(tokenizer, pairs)
    model.train()
    step = 0
    while step < settings.max_steps:
        step += 1
        batch = encode(tokenizer, order.sample(list(pairs), min(settings.batch_size, len(pairs))))
        loss = model(**batch).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        # Teacher-forced argmax is cheap; the real decodes run only once it says greedy is exact.
        if step % settings.check_every == 0 and forced_argmax_exact(model, everything):
            greedy = exact_rate(model, tokenizer, pairs, beams=1)
            beam = exact_rate(model, tokenizer, pairs, beams=settings.beams)
            if greedy == beam == 1.0:
                return model, step, greedy, beam
    return (
        model,
        step,
        exact_rate(model, tokenizer, pairs, 1),
        exact_rate(model, tokenizer, pairs, settings.beams),
    )


def dir_size(path: Path) -> int:
    """Total bytes of the files in ``path``."""
    return sum(item.stat().st_size for item in path.iterdir() if item.is_file())


def build(out: Path, seeds: Path, settings: Settings) -> list[dict[str, Any]]:
    """Build all four models into ``out``/{src}-{tgt}; return one report row per direction."""
    import torch
    from transformers import MarianTokenizer

    torch.set_num_threads(settings.threads)
    lines, gold = read_seed(seeds)
    segments = aligned_segments(lines, gold)
    rows = []
    spm_model = train_spm(segments, settings)
    for src, tgt in DIRECTIONS:
        target = out / f"{src}-{tgt}"
        if target.exists():
            shutil.rmtree(target)
        write_tokenizer_files(spm_model, target, TARGET_TOKENS.get((src, tgt)))
        with warnings.catch_warnings():  # without sacremoses: no Moses normalisation (see tiny/README.md)
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            tokenizer = MarianTokenizer.from_pretrained(str(target))
        pairs = direction_pairs(segments, src, tgt)
        started = time.perf_counter()
        model, steps, greedy, beam = train_direction(pairs, tokenizer, settings)
        seconds = time.perf_counter() - started
        model.save_pretrained(str(target), safe_serialization=True)
        tokenizer.save_pretrained(str(target))
        params = sum(p.numel() for p in model.parameters())
        rows.append(_row(src, tgt, pairs, params, steps, seconds, greedy, beam, dir_size(target)))
        print(_format(rows[-1]), flush=True)
    return rows


def _row(
    src: str,
    tgt: str,
    pairs: Sequence[tuple[str, str]],
    params: int,
    steps: int,
    seconds: float,
    greedy: float,
    beam: float,
    size: int,
) -> dict[str, Any]:
    return {
        "direction": f"{src}-{tgt}",
        "pairs": len(pairs),
        "params": params,
        "steps": steps,
        "seconds": round(seconds, 1),
        "exact_greedy": greedy,
        "exact_beam": beam,
        "bytes": size,
    }


def _format(row: dict[str, Any]) -> str:
    return (
        f"{row['direction']}: params {row['params']:,}, pairs {row['pairs']}, steps {row['steps']}, "
        f"training {row['seconds']} s, exact match greedy {row['exact_greedy']:.0%} / "
        f"beam {row['exact_beam']:.0%}, size on disk {row['bytes'] / 1e6:.2f} MB"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, build the models, and fail (exit 1) unless every direction is exact."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "models" / "tiny", help="output folder")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds", help="folder with the seed article")
    args = parser.parse_args(argv)
    rows = build(args.out, args.seeds, Settings())
    (args.out / "build_report.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0 if all(row["exact_greedy"] == row["exact_beam"] == 1.0 for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
