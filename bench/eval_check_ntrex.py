"""Measure ``aligner check`` on real human translations and on perturbed ones.

Three measurements, each for Korean and Ukrainian:

1. Alignment: on ntrex-dev, the share of English quotations aligned to the right span of the
   human translation, where the human kept the quotation. The truth is quotes.jsonl: on a line
   whose quotation count matches English, the k-th English quotation is the k-th target one.
   A quotation counts as right when a span the aligner gives it (per line: the hull of the
   target parts and dash inserts on that line) overlaps the truth with IoU >= 0.8.
2. Flags on faithful human work: of the quotations on those same lines, the share with an
   error finding (and with a warning), and the flags themselves for a hand check (--flags).
3. Perturbations: every variant of ``perturb`` on the seed article and on ntrex-dev;
   per kind, the catch rate (the altered item gets a new error) or the false-alarm rate (a
   benign variant gets any new error).

Reads ../shared/eval/ntrex-dev beside the checkout (or --data) and seeds/; prints a table (or --json FILE).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from perturb import BENIGN, Kind, Perturbation, perturbations

from aligner.article.parse import parse_article
from aligner.article.records import Article, QuoteKind
from aligner.check.checker import CheckReport, Severity, check_translation
from aligner.spans import Span, hull

LANGS = ("ko", "uk")
IOU = 0.8
ROOT = Path(__file__).resolve().parent.parent


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _iou(a: Span, b: Span) -> float:
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 0.0


def _docs(data: Path) -> list[str]:
    return sorted({p.name.rsplit(".", 2)[0] for p in data.glob("*.en.txt")})


def _truth(data: Path) -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in (data / "quotes.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[row["doc_id"]].append(row)
    return rows


def _first_lines(data: Path) -> dict[str, int]:
    rows = [json.loads(line) for line in (data / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["doc"]: r["first_line"] for r in rows}


def _kept(data: Path, doc: str, lang: str, en: str, tgt: str) -> Iterator[tuple[Span, Span]]:
    """Yield (English inner span, target inner span) for every quotation the human kept."""
    first = _first_lines(data)[doc]
    en_lines, tgt_lines = _line_starts(en), _line_starts(tgt)
    for row in _truth(data).get(doc, []):
        if not row[f"{lang}_count_match"]:
            continue
        index = int(row["id"]) - first  # type: ignore[call-overload]
        en_quotes = [q for q in row["en_quotes"] if q["depth"] == 0]  # type: ignore[attr-defined]
        tgt_quotes = [q for q in row[f"{lang}_quotes"] if q["depth"] == 0]  # type: ignore[attr-defined]
        if len(en_quotes) != len(tgt_quotes):
            continue
        for e, t in zip(en_quotes, tgt_quotes, strict=True):
            yield (
                Span(en_lines[index] + e["inner_start"], en_lines[index] + e["inner_end"]),
                Span(tgt_lines[index] + t["inner_start"], tgt_lines[index] + t["inner_end"]),
            )


def _predicted(report: CheckReport, quote_index: int) -> list[Span]:
    """Return the target spans the aligner gives a quotation: per line, the hull of its target
    parts and dash inserts, and each part."""
    qa = report.alignment.quotes[quote_index]
    text = report.target_text
    by_id = {q.id: q for q in report.alignment.target.quotes}
    pieces = [p for t in qa.target_quotes for p in (*by_id[t].parts, *by_id[t].inserts)]
    lines: dict[int, list[Span]] = defaultdict(list)
    for piece in pieces:
        lines[text.count("\n", 0, piece.start)].append(piece)
    return [hull(v) for v in lines.values()] + list(qa.target_parts)


def evaluate_real(data: Path, flags: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Return alignment accuracy and flag rates on the human translations; collect the flags."""
    results: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        aligned = total = quotes = flagged = warned = 0
        for doc in _docs(data):
            en = (data / f"{doc}.en.txt").read_text(encoding="utf-8")
            tgt = (data / f"{doc}.{lang}.txt").read_text(encoding="utf-8")
            article = parse_article(en)
            report = check_translation(article, tgt, lang)
            faithful: set[int] = set()
            for en_span, tgt_span in _kept(data, doc, lang, en, tgt):
                hits = [i for i, q in enumerate(article.quotes) if any(p.overlaps(en_span) for p in q.parts)]
                total += 1
                faithful.update(hits)
                aligned += any(_iou(p, tgt_span) >= IOU for i in hits for p in _predicted(report, i))
            for i in sorted(faithful):
                result = report.quotes[i]
                severities = {f.severity for f in result.findings}
                quotes += 1
                warned += Severity.WARNING in severities
                if Severity.ERROR in severities:
                    flagged += 1
                    flags.append(_flag(doc, lang, article, report, i))
        results[lang] = {
            "aligned": aligned,
            "kept_quotes": total,
            "alignment_accuracy": aligned / total if total else 0.0,
            "faithful_quotes": quotes,
            "flagged": flagged,
            "flag_rate": flagged / quotes if quotes else 0.0,
            "warning_rate": warned / quotes if quotes else 0.0,
        }
    return results


def _flag(doc: str, lang: str, article: Article, report: CheckReport, index: int) -> dict[str, object]:
    result = report.quotes[index]
    return {
        "doc": doc,
        "lang": lang,
        "quote": result.id,
        "en": article.of(result.source_span),
        "target": " … ".join(p.of(report.target_text) for p in result.target_parts),
        "findings": [f"{f.severity.value} {f.check}: {f.message}" for f in result.findings],
    }


# --- perturbations ---------------------------------------------------------------------------------


def _errors(report: CheckReport) -> Counter[tuple[str, str]]:
    """Return the error findings of a report keyed by (item, check)."""
    found: Counter[tuple[str, str]] = Counter()
    for q in report.quotes:
        found.update((q.id, f.check) for f in q.findings if f.severity is Severity.ERROR)
    for a in report.attributions:
        found.update((a.id, f.check) for f in a.findings if f.severity is Severity.ERROR)
    for e in report.extra_quotes:
        found.update(("extra", f.check) for f in e.findings if f.severity is Severity.ERROR)
    return found


def _caught(base: Counter[tuple[str, str]], after: Counter[tuple[str, str]], variant: Perturbation) -> bool:
    new = after - base
    if variant.kind is Kind.INVENTED:
        return any(item == "extra" for item, _ in new)
    return any(item == variant.item for item, _ in new)


def _direct(article: Article, variant: Perturbation) -> bool:
    """Alterations are counted on direct quotations and attributions (partial quotations and
    terms are fragments: cutting or moving their marks is no test)."""
    if variant.benign or variant.item is None or variant.item.startswith("a"):
        return True
    return any(q.id == variant.item and q.kind is QuoteKind.DIRECT for q in article.quotes)


def evaluate_perturbations(
    corpus: list[tuple[str, str, str]],
    lang: str,
    misses: list[dict[str, object]],
    kinds: set[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Return per kind: variants, flagged, and the rate (catch rate or false-alarm rate)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, en, tgt in corpus:
        article = parse_article(en)
        base = check_translation(article, tgt, lang)
        base_errors = _errors(base)
        for variant in perturbations(base):
            if not _direct(article, variant) or (kinds and variant.kind.value not in kinds):
                continue
            after = check_translation(article, variant.text, lang)
            after_errors = _errors(after)
            hit = (
                bool(after_errors - base_errors)
                if variant.benign
                else _caught(base_errors, after_errors, variant)
            )
            counts[variant.kind.value][0] += 1
            counts[variant.kind.value][1] += hit
            if hit == variant.benign:
                misses.append(
                    {
                        "doc": doc,
                        "lang": lang,
                        "kind": variant.kind.value,
                        "item": variant.item,
                        "note": variant.note,
                    }
                )
    return {
        kind: {"variants": n, "flagged": k, "rate": k / n if n else 0.0, "benign": Kind(kind) in BENIGN}
        for kind, (n, k) in sorted(counts.items(), key=lambda kv: list(Kind).index(Kind(kv[0])))
    }


def _corpus(data: Path, lang: str) -> list[tuple[str, str, str]]:
    return [
        (
            doc,
            (data / f"{doc}.en.txt").read_text(encoding="utf-8"),
            (data / f"{doc}.{lang}.txt").read_text(encoding="utf-8"),
        )
        for doc in _docs(data)
    ]


def _print_perturbations(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<20} {'variants':>8} {'flagged':>8} {'rate':>7}")
    for kind, row in table.items():
        label = "false alarms" if row["benign"] else "caught"
        print(f"  {kind:<20} {int(row['variants']):>8} {int(row['flagged']):>8} {row['rate']:>7.1%}  {label}")
    for benign in (False, True):
        rows = [r for r in table.values() if bool(r["benign"]) == benign]
        n, k = sum(int(r["variants"]) for r in rows), sum(int(r["flagged"]) for r in rows)
        label = "benign, false alarms" if benign else "alterations, caught"
        print(f"  {label:<29} {n:>8} {k:>8} {(k / n if n else 0.0):>7.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "ntrex-dev")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--flags", type=Path, help="write the flags on faithful human quotations (JSONL)")
    parser.add_argument("--misses", type=Path, help="write missed alterations and false alarms (JSONL)")
    parser.add_argument("--json", type=Path, help="write every figure as JSON")
    parser.add_argument("--skip-perturbations", action="store_true")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--kinds", help="comma-separated perturbation kinds to run (default: all)")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated target languages")
    args = parser.parse_args(argv)
    flags: list[dict[str, object]] = []
    misses: list[dict[str, object]] = []
    kinds = set(args.kinds.split(",")) if args.kinds else None
    langs = args.langs.split(",")
    figures: dict[str, object] = {"real": {} if args.skip_real else evaluate_real(args.data, flags)}
    for lang, row in figures["real"].items():  # type: ignore[attr-defined]
        print(
            f"{lang}: alignment {row['aligned']}/{row['kept_quotes']} = {row['alignment_accuracy']:.1%}; "
            f"faithful quotations flagged {row['flagged']}/{row['faithful_quotes']} = {row['flag_rate']:.1%} "
            f"(with a warning {row['warning_rate']:.1%})"
        )
    if not args.skip_perturbations:
        for lang in langs:
            seed = [
                (
                    "nk-soldier",
                    (args.seeds / "nk-soldier.en.txt").read_text(encoding="utf-8"),
                    (args.seeds / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8"),
                )
            ]
            for name, corpus in (("seed", seed), ("ntrex", _corpus(args.data, lang))):
                table = evaluate_perturbations(corpus, lang, misses, kinds)
                figures[f"perturb-{name}-{lang}"] = table
                _print_perturbations(f"perturbations {name} {lang}", table)
    for path, rows in ((args.flags, flags), (args.misses, misses)):
        if path:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
