"""Set when a short quotation is cut (``LengthCuts``) from data, per language.

Records what ``aligner.check.boundary.length_evidence`` measures on two kinds of quotation of the
tuning half (``dev``, by a hash of the document id, as ``eval_check.py`` splits) of the shared
evaluation sets:

- faithful: every direct quotation of the wmt-dev references and the NTREX-dev quotations the
  human translator kept (``quotes.jsonl``), which must not be flagged;
- cut: the same translations with one quotation truncated (``perturb.py``: its last paragraph,
  sentence, clause or words), which must be.

Then, per language, it tries every combination of thresholds on a grid and keeps the one that
catches the most cut quotations while flagging at most a budget of the faithful ones through
these thresholds (among combinations that score the same, the one nearest the middle of their
range) (a paragraph dropped or left outside the marks, and an end on a particle, are
errors at any length and are not thresholds).

The budget is not the false-alarm rate the thresholds reach on new text: the search picks the
combination that just fits the tuning quotations, and on other documents it flags more. So the
budget is itself chosen by cross-validation within the tuning half: the documents are split into
``--folds`` groups by a hash of their id; for each candidate budget the thresholds are fitted on
all groups but one, and their false alarms and caught truncations counted on the group left out;
among the budgets whose cross-validated false-alarm rate stays within ``--target``, the one that
catches the most (ties: the fewest false alarms, then the middle budget) fits the thresholds on the
whole half. It writes the values, the budget, the cross-validated rates and the counts they came
from to ``aligner/data/length_cuts.json``, whose hash the report signature names.

Run: ``.venv/bin/python bench/calibrate_length.py [--shared DIR] [--target 0.015] [--dry-run] [--rows F]``
(``--rows`` keeps the measured quotations in F, so a second run only searches: about 5 s).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
from eval_check import Pair, _counted, ntrex_pairs, wmt_pairs
from perturb import Kind, perturbations

import aligner.check.boundary as boundary
from aligner.article import parse_article
from aligner.article.records import QuoteKind
from aligner.check.checker import check_translation
from aligner.check.records import LengthCuts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "aligner" / "data" / "length_cuts.json"
SIGNS = ("fewer", "clause", "question", "cut")
ALONE = [round(0.4 + 0.05 * i, 2) for i in range(9)]  # 0.40 … 0.80
WITH_SIGN = [round(0.5 + 0.05 * i, 2) for i in range(11)]  # 0.50 … 1.00
BUDGETS = [round(0.0025 * i, 4) for i in range(13)]  # 0 … 3% of the faithful quotations


def _record(shared: Path, half: str) -> list[dict[str, object]]:
    """Return one row per faithful or cut quotation: language, label and the measured evidence."""
    seen: list[tuple[str, boundary.LengthEvidence]] = []
    measure = boundary.length_evidence

    def recording(ctx, quotes, qa):  # type: ignore[no-untyped-def]
        evidence = measure(ctx, quotes, qa)
        seen.append((quotes[0].id, evidence))
        return evidence

    rows: list[dict[str, object]] = []
    pairs = [*wmt_pairs(shared / "eval" / "wmt-dev"), *ntrex_pairs(shared / "eval" / "ntrex-dev")]
    boundary.length_evidence = recording  # type: ignore[assignment]
    try:
        for pair in pairs:
            if pair.translator == "human" and pair.half == half:
                rows += _measure(pair, seen)
    finally:
        boundary.length_evidence = measure  # type: ignore[assignment]
    return rows


def _measure(pair: Pair, seen: list[tuple[str, boundary.LengthEvidence]]) -> list[dict[str, object]]:
    """Return the rows of one human translation: its faithful quotations and its cut variants."""
    rows: list[dict[str, object]] = []
    article = parse_article(pair.source.read_text(encoding="utf-8"))
    direct = {q.id for q in article.quotes if q.kind is QuoteKind.DIRECT}
    seen.clear()
    report = check_translation(article, pair.target.read_text(encoding="utf-8"), pair.lang)
    kept = {report.quotes[i].id for i in _counted(pair, report)}
    doc = f"{pair.corpus}/{pair.doc}"
    rows += [_row(pair.lang, "faithful", ev, doc) for qid, ev in seen if qid in kept and qid in direct]
    for variant in perturbations(report):
        if variant.kind is not Kind.TRUNCATED or variant.item not in direct:
            continue
        seen.clear()
        check_translation(article, variant.text, pair.lang)
        rows += [_row(pair.lang, "cut", ev, doc) for qid, ev in seen if qid == variant.item]
    return rows


def _row(lang: str, label: str, evidence: boundary.LengthEvidence, doc: str) -> dict[str, object]:
    return {"lang": lang, "label": label, "doc": doc, **asdict(evidence)}


def _fold(doc: str, folds: int) -> int:
    return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % folds


def _at_any_length(row: dict[str, object]) -> bool:
    """Return True for a row that is an error at any length: a paragraph dropped or left outside
    the marks, an end on a particle, a paragraph cut short."""
    return bool(row["dropped"] or row["unquoted"] or row["dangling"]) or (
        float(row["part"]) < boundary.PART_LOW_ERROR  # type: ignore[arg-type]
    )


def _by_threshold(row: dict[str, object], values: tuple[float, ...]) -> bool:
    """Return True when ``LengthCuts`` ``values`` (alone, then one per sign) make a row an error."""
    ratio = float(row["ratio"])  # type: ignore[arg-type]
    return ratio < values[0] or any(
        bool(row[sign]) and ratio < threshold for sign, threshold in zip(SIGNS, values[1:], strict=True)
    )


def flagged(row: dict[str, object], values: tuple[float, ...]) -> bool:
    """Return True when ``values`` make a row an error that no sign at any length does (what the
    budget counts)."""
    return _by_threshold(row, values) and not _at_any_length(row)


def caught(row: dict[str, object], values: tuple[float, ...]) -> bool:
    """Return True when a row is an error under ``values`` or at any length."""
    return _by_threshold(row, values) or _at_any_length(row)


def cross_validate(rows: list[dict[str, object]], budget: float, folds: int) -> tuple[float, float]:
    """Return (the share of faithful quotations flagged through the thresholds, the share of cut
    quotations caught) on documents left out of the fitting, over ``folds`` groups of documents,
    with thresholds fitted at ``budget`` on the others."""
    false_alarms = faithful = hits = cuts = 0
    for k in range(folds):
        train = [r for r in rows if _fold(str(r["doc"]), folds) != k]
        test = [r for r in rows if _fold(str(r["doc"]), folds) == k]
        if not test or not train:
            continue
        values = _values(calibrate(train, budget)[str(rows[0]["lang"])])
        kept = [r for r in test if r["label"] == "faithful"]
        cut = [r for r in test if r["label"] != "faithful"]
        false_alarms += sum(flagged(r, values) for r in kept)
        faithful += len(kept)
        hits += sum(caught(r, values) for r in cut)
        cuts += len(cut)
    return (false_alarms / faithful if faithful else 0.0, hits / cuts if cuts else 0.0)


def _values(result: dict[str, object]) -> tuple[float, ...]:
    return tuple(float(result[f.name]) for f in fields(LengthCuts))  # type: ignore[arg-type]


def choose(rows: list[dict[str, object]], target: float, folds: int) -> dict[str, dict[str, object]]:
    """Per language, fit the thresholds at the budget that catches the most cut quotations on
    left-out documents among those whose left-out false-alarm rate is within ``target`` (where
    several catch as many with as few false alarms, the middle one of them, as for the thresholds);
    record that budget and the rates behind the choice."""
    result: dict[str, dict[str, object]] = {}
    for lang in sorted({str(r["lang"]) for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        rates = {b: cross_validate(mine, b, folds) for b in BUDGETS}
        within = {b: r for b, r in rates.items() if r[0] <= target} or {0.0: rates[0.0]}
        best = max((catch, -fa) for fa, catch in within.values())
        tied = sorted(b for b, (fa, catch) in within.items() if (catch, -fa) == best)
        budget = tied[(len(tied) - 1) // 2]
        result[lang] = {
            **calibrate(mine, budget)[lang],
            "budget": budget,
            "cross_validated_false_alarm": round(rates[budget][0], 4),
            "cross_validated_caught": round(rates[budget][1], 4),
            "cross_validated_by_budget": {
                str(b): {"false_alarm": round(fa, 4), "caught": round(c, 4)} for b, (fa, c) in rates.items()
            },
        }
    return result


def calibrate(rows: list[dict[str, object]], budget: float) -> dict[str, dict[str, object]]:
    """Return per language the chosen ``LengthCuts`` values and the counts behind them."""
    result: dict[str, dict[str, object]] = {}
    for lang in sorted({str(r["lang"]) for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        faithful = _mask(r["label"] == "faithful" for r in mine)
        always = _mask(_at_any_length(r) for r in mine)
        ratio = [float(r["ratio"]) for r in mine]  # type: ignore[arg-type]
        alone = [_mask(x < v for x in ratio) for v in ALONE]
        signs = [
            [_mask(bool(r[s]) and x < v for r, x in zip(mine, ratio, strict=True)) for v in WITH_SIGN]
            for s in SIGNS
        ]
        n_faithful = faithful.bit_count()
        n_cut = len(mine) - n_faithful
        allowed = budget * n_faithful
        best_key, tied = _search(alone, signs, faithful, always, allowed)
        values = _middle([(ALONE[i], *(WITH_SIGN[j] for j in rest)) for i, *rest in tied])
        caught, minus_fa = best_key
        floor = (always & faithful).bit_count()
        result[lang] = {
            **dict(zip([f.name for f in fields(LengthCuts)], values, strict=True)),
            "faithful": n_faithful,
            "cut_quotations": n_cut,
            "faithful_flagged_by_thresholds": -minus_fa,
            "faithful_flagged_at_any_length": floor,
            "cut_caught": caught,
        }
    return result


def _mask(bits: Iterable[bool]) -> int:
    """Return the rows where ``bits`` holds as the bits of an int (OR and popcount are fast)."""
    return sum(1 << i for i, bit in enumerate(bits) if bit)


def _search(
    alone: list[int], signs: list[list[int]], faithful: int, always: int, allowed: float
) -> tuple[tuple[int, int], list[tuple[int, ...]]]:
    """Try every combination of thresholds (index into ``ALONE``, then one into ``WITH_SIGN`` per
    sign); return the best (truncations caught, -faithful quotations flagged through a threshold)
    within ``allowed`` false alarms, and every combination that scores it. Raising a threshold
    only flags more, so a branch over the budget is not searched further."""
    cut, counted = ~faithful, faithful & ~always
    best: tuple[int, int] = (-1, 0)
    tied: list[tuple[int, ...]] = []

    def walk(level: int, flagged: int, chosen: tuple[int, ...]) -> None:
        nonlocal best, tied
        if level == len(signs):
            key = ((flagged | always) & cut).bit_count(), -(flagged & counted).bit_count()
            if key > best:
                best, tied = key, [chosen]
            elif key == best:
                tied.append(chosen)
            return
        for j, mask in enumerate(signs[level]):
            both = flagged | mask
            if (both & counted).bit_count() > allowed:
                break
            walk(level + 1, both, (*chosen, j))

    for i, mask in enumerate(alone):
        if (mask & counted).bit_count() > allowed:
            break
        walk(0, mask, (i,))
    return best, tied


def _middle(tied: list[tuple[float, ...]]) -> tuple[float, ...]:
    """Return the tied combination nearest the per-threshold median of all of them: where the data
    cannot tell two thresholds apart (a sign no faithful quotation shows, say), the middle of the
    range that scores the same, not its lowest end."""
    medians = [float(np.median([v[i] for v in tied])) for i in range(len(tied[0]))]
    return min(tied, key=lambda v: (sum(abs(a - b) for a, b in zip(v, medians, strict=True)), v))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument(
        "--target", type=float, default=0.015, help="cross-validated share of faithful quotations flagged"
    )
    parser.add_argument("--folds", type=int, default=5, help="groups of documents for cross-validation")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the data file")
    parser.add_argument(
        "--rows", type=Path, help="read the measured rows from this file if it exists, else write them to it"
    )
    args = parser.parse_args(argv)
    if args.rows and args.rows.is_file():
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = _record(args.shared, "dev")
        if args.rows:
            args.rows.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    langs = choose(rows, args.target, args.folds)
    data = {
        "made_by": "bench/calibrate_length.py",
        "data": "dev half (corpus/doc hash) of eval/ntrex-dev (kept quotations) and eval/wmt-dev references; "
        "cut quotations from bench/perturb.py (quote-truncated)",
        "target_false_alarm": args.target,
        "budget_chosen_by": f"{args.folds}-fold cross-validation over documents of the dev half",
        "langs": langs,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    sys.stdout.write(text)
    if not args.dry_run:
        tmp = OUT.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
