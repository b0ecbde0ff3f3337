"""Learn the word translations ``aligner.lang.lexicon`` ships, from parallel lines of the tuning half.

Reads every line-aligned English-Ukrainian text of the tuning half (``dev``, by a
hash of the document id, as ``eval_check.py`` splits) of the shared evaluation sets: the NTREX-dev
human translations and the wmt-dev references and system outputs. Each line pair is reduced to the
English content words and the Ukrainian lemmas (``lexicon.source_words``, ``lexicon.target_lemmas``,
pymorphy3's likeliest lemma), then IBM Model 1 (Brown et al. 1993) is fitted
by EM with an empty word on the English side. Per English word, the target lemmas with a
translation probability of at least ``--min-p`` (at most ``--top`` of them) are written to
``aligner/data/lexicon/en-uk.tsv.gz`` (gzip with no time stamp, so a rebuild from the same data
is byte-identical), with a header saying how it was made; the report signature names its hash.

``--exclude-fold K --folds N`` leaves out the documents of one fold (``calibrate_length.py``'s
split), for thresholds calibrated on documents the lexicon has not seen.

Run: ``.venv/bin/python bench/build_lexicon.py [--shared DIR] [--out DIR] [--exclude-fold K]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

from eval_check import Pair, ntrex_pairs, wmt_pairs

from aligner.lang.lexicon import LANGS, source_words, target_lemmas

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "aligner" / "data" / "lexicon"
ITERATIONS = 6
MAX_WORDS = (80, 120)  # longer lines (a garbled or merged segment) teach little and cost most


def fold_of(doc: str, folds: int) -> int:
    """Return a document's fold, as ``calibrate_length.py`` assigns it."""
    return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % folds


def _pairs(shared: Path) -> list[Pair]:
    return [*wmt_pairs(shared / "eval" / "wmt-dev"), *ntrex_pairs(shared / "eval" / "ntrex-dev")]


def lines(pairs: list[Pair], lang: str) -> list[tuple[list[str], list[str]]]:
    """Return the (English words, target lemmas) of every line pair of ``pairs`` in ``lang``."""
    out = []
    for pair in pairs:
        if pair.lang != lang:
            continue
        english = pair.source.read_text(encoding="utf-8").splitlines()
        target = pair.target.read_text(encoding="utf-8").splitlines()
        if len(english) != len(target):
            continue
        for en, tg in zip(english, target, strict=True):
            words = [w for w, _ in source_words(en)]
            lemmas = [forms[0] for forms in target_lemmas(tg)]
            if words and lemmas and len(words) < MAX_WORDS[0] and len(lemmas) < MAX_WORDS[1]:
                out.append((words, lemmas))
    return out


def ibm1(data: list[tuple[list[str], list[str]]], iterations: int) -> dict[tuple[str, str], float]:
    """Fit IBM Model 1's p(target lemma | English word) by EM, from uniform, with a NULL word."""
    t: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(iterations):
        count: dict[tuple[str, str], float] = defaultdict(float)
        total: dict[str, float] = defaultdict(float)
        for words, lemmas in data:
            english = [*words, "<null>"]
            for lemma in lemmas:
                z = sum(t[(e, lemma)] for e in english)
                for e in english:
                    c = t[(e, lemma)] / z
                    count[(e, lemma)] += c
                    total[e] += c
        t = defaultdict(float, {k: v / total[k[0]] for k, v in count.items()})
    return dict(t)


def table(t: dict[tuple[str, str], float], min_p: float, top: int) -> list[tuple[str, str, float]]:
    """Return (English word, lemma, probability) rows: per word its likeliest lemmas."""
    by_word: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (word, lemma), p in t.items():
        if p >= min_p and word != "<null>":
            by_word[word].append((p, lemma))
    return [
        (word, lemma, p)
        for word in sorted(by_word)
        for p, lemma in sorted(by_word[word], key=lambda x: (-x[0], x[1]))[:top]
    ]


def write(path: Path, header: list[str], rows: list[tuple[str, str, float]]) -> None:
    text = "".join(f"# {h}\n" for h in header) + "".join(f"{w}\t{lemma}\t{p:.3f}\n" for w, lemma, p in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--exclude-fold", type=int, help="leave out the documents of this fold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-p", type=float, default=0.05)
    parser.add_argument("--top", type=int, default=6)
    args = parser.parse_args(argv)
    pairs = [p for p in _pairs(args.shared) if p.half == "dev"]
    if args.exclude_fold is not None:
        pairs = [p for p in pairs if fold_of(f"{p.corpus}/{p.doc}", args.folds) != args.exclude_fold]
    for lang in LANGS:
        data = lines(pairs, lang)
        rows = table(ibm1(data, ITERATIONS), args.min_p, args.top)
        left_out = ""
        if args.exclude_fold is not None:
            left_out = f", fold {args.exclude_fold} of {args.folds} left out"
        header = [
            "made_by: bench/build_lexicon.py (IBM Model 1, "
            f"{ITERATIONS} EM iterations, p >= {args.min_p}, top {args.top})",
            "data: dev half (corpus/doc hash) of eval/ntrex-dev and eval/wmt-dev (references and system "
            f"outputs), line-aligned{left_out}: {len(data)} line pairs",
            "columns: English word, target lemma, p(lemma | word)",
        ]
        write(args.out / f"en-{lang}.tsv.gz", header, rows)
        words = len({w for w, _, _ in rows})
        summary = f"{len(data)} line pairs, {words} English words, {len(rows)} entries"
        print(f"en-{lang}: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
