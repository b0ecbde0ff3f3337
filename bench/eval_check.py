"""Measure ``aligner check`` on held-out real translations: false alarms and catch rates.

Reads two evaluation sets under a ``--shared`` root (default ``../shared`` next to the repo):

- ``eval/wmt-dev``: WMT general-task documents, en→uk (three years of professional references and
  system outputs) and en→ko (system outputs); news, literary (fiction dialogue) and other domains;
- ``eval/ntrex-dev``: NTREX-128 news with professional Korean and Ukrainian translations.

Every document goes to one of two halves by a hash of its id (``dev``: tune here; ``held-out``:
report only). Per half, translator (``human``: references and NTREX; ``system``: WMT outputs),
language and domain (news, literary, other) it prints: documents, direct quotations, aligned
(a target quotation found), flagged as error (on NTREX only the quotations the human kept, which
``quotes.jsonl`` tells, so every error is a false alarm; on WMT references nearly all are), and
the errors counted by check and cause (on NTREX also how many quotations whose marks the
translator dropped, a line with no quotation left, get an error), and the translation's
quotations reported as invented (an error on a quotation that renders no source quotation).
Then, per half and language, the
perturbation catch rate per kind on the human translations (``perturb.py``, as
``eval_check_ntrex.py`` does).

Run: ``.venv/bin/python bench/eval_check.py [--shared DIR] [--json FILE] [--flags FILE]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eval_check_ntrex import _docs, _first_lines, _kept, _line_starts, _truth, evaluate_perturbations

from aligner.article.parse import parse_article
from aligner.article.records import QuoteKind
from aligner.check.checker import CheckReport, Severity, check_translation

ROOT = Path(__file__).resolve().parent.parent
HALVES = ("dev", "held-out")
DOMAINS = ("news", "literary", "other")
# A WMT22 news document id is its outlet and number: guardian.44758, standard.co.uk.46814.
_NEWS_ID = re.compile(r"^[a-z][\w.-]*\.\d+$")


@dataclass(frozen=True, slots=True)
class Pair:
    """One translation of one English document."""

    corpus: str  # ntrex, wmt22-uk, …
    doc: str
    lang: str
    translator: str  # human or system
    system: str
    domain: str
    source: Path
    target: Path
    faithful: bool  # NTREX: count only the quotations the human kept (quotes.jsonl)

    @property
    def half(self) -> str:
        return half_of(f"{self.corpus}/{self.doc}")


def half_of(doc_id: str) -> str:
    """Return the half a document belongs to: a stable hash of its id, never a random draw."""
    return HALVES[hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2]


def _domain(row: dict[str, object]) -> str:
    doc = str(row["doc"])
    domain = str(row.get("domain") or "")
    if domain == "literary" or "literary" in doc:
        return "literary"
    if domain == "news" or doc.startswith(("news", "test-en-news")) or _NEWS_ID.match(doc):
        return "news"
    return "other"


def wmt_pairs(wmt: Path) -> Iterator[Pair]:
    """Yield every reference and system output of wmt-dev."""
    for folder in sorted(p for p in wmt.iterdir() if p.is_dir()):
        year, lang = folder.name.split("-")[0], folder.name.split("-")[-1]
        corpus = f"wmt{year[2:]}-{lang}"
        for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            doc, domain = row["doc"], _domain(row)
            source = folder / f"{doc}.en.txt"
            versions = (["ref"] if row.get("ref") else []) + list(row.get("systems", []))
            for system in versions:
                target = folder / f"{doc}.{system}.{lang}.txt"
                if target.is_file():
                    translator = "human" if system == "ref" else "system"
                    yield Pair(corpus, doc, lang, translator, system, domain, source, target, False)


def ntrex_pairs(ntrex: Path) -> Iterator[Pair]:
    """Yield the Korean and Ukrainian human translation of every NTREX-dev document."""
    for doc in _docs(ntrex):
        for lang in ("ko", "uk"):
            target = ntrex / f"{doc}.{lang}.txt"
            yield Pair("ntrex", doc, lang, "human", "ref", "news", ntrex / f"{doc}.en.txt", target, True)


def _counted(pair: Pair, report: CheckReport) -> list[int]:
    """Return the indexes of the direct quotations to count (NTREX: those the human kept)."""
    article = report.article
    direct = [i for i, q in enumerate(article.quotes) if q.kind is QuoteKind.DIRECT]
    if not pair.faithful:
        return direct
    en, tgt = article.text, report.target_text
    kept = [e for e, _ in _kept(pair.source.parent, pair.doc, pair.lang, en, tgt)]
    return [i for i in direct if any(p.overlaps(e) for p in article.quotes[i].parts for e in kept)]


def _dropped(pair: Pair, report: CheckReport) -> list[int]:
    """Return the indexes of the direct quotations on NTREX lines where the human translation has
    no quotation at all (``quotes.jsonl``): the translator dropped the marks, a check should say so."""
    if not pair.faithful:
        return []
    data, article = pair.source.parent, report.article
    first, starts = _first_lines(data)[pair.doc], _line_starts(article.text)
    lines = [
        int(row["id"]) - first  # type: ignore[call-overload]
        for row in _truth(data).get(pair.doc, [])
        if row[f"{pair.lang}_quotes"] == [] and row["en_quotes"]
    ]
    spans = [(starts[i], starts[i + 1] if i + 1 < len(starts) else len(article.text)) for i in lines]
    return [
        i
        for i, q in enumerate(article.quotes)
        if q.kind is QuoteKind.DIRECT and any(a <= q.span.start < b for a, b in spans)
    ]


def _cause(message: str) -> str:
    """Return a finding's message with its numbers and quoted text left out (the rule that fired)."""
    message = re.sub(r"[“(«\"'].*?[”)»\"']", "…", message)
    return re.sub(r"\d+%?", "N", message)[:90]


def evaluate(pairs: list[Pair], flags: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Return per (half, translator, lang, domain) the counts and the causes of the errors."""
    rows: dict[str, dict[str, object]] = {}
    for pair in pairs:
        key = f"{pair.half}|{pair.translator}|{pair.lang}|{pair.domain}"
        row = rows.setdefault(
            key,
            {
                "documents": set(),
                "quotations": 0,
                "aligned": 0,
                "flagged": 0,
                "invented": 0,
                "marks_dropped": 0,
                "dropped_flagged": 0,
                "causes": Counter(),
            },
        )
        en = pair.source.read_text(encoding="utf-8")
        report = check_translation(parse_article(en), pair.target.read_text(encoding="utf-8"), pair.lang)
        row["documents"].add(f"{pair.corpus}/{pair.doc}")  # type: ignore[attr-defined]
        row["invented"] += sum(  # type: ignore[operator]
            any(f.severity is Severity.ERROR for f in e.findings) for e in report.extra_quotes
        )
        for i in _dropped(pair, report):
            errors = any(f.severity is Severity.ERROR for f in report.quotes[i].findings)
            row["marks_dropped"] += 1  # type: ignore[operator]
            row["dropped_flagged"] += errors  # type: ignore[operator]
        for i in _counted(pair, report):
            result = report.quotes[i]
            errors = [f for f in result.findings if f.severity is Severity.ERROR]
            row["quotations"] += 1  # type: ignore[operator]
            row["aligned"] += bool(report.alignment.quotes[i].target_quotes)  # type: ignore[operator]
            if errors:
                row["flagged"] += 1  # type: ignore[operator]
                row["causes"].update(f"{e.check}: {_cause(e.message)}" for e in errors)  # type: ignore[attr-defined]
                flags.append(_flag(pair, report, i))
    for row in rows.values():
        row["documents"] = len(row["documents"])  # type: ignore[arg-type]
    return rows


def _flag(pair: Pair, report: CheckReport, index: int) -> dict[str, object]:
    result = report.quotes[index]
    return {
        "half": pair.half,
        "corpus": pair.corpus,
        "doc": pair.doc,
        "system": pair.system,
        "lang": pair.lang,
        "domain": pair.domain,
        "quote": result.id,
        "en": report.article.of(result.source_span),
        "target": " … ".join(p.of(report.target_text) for p in result.target_parts),
        "findings": [f"{f.severity.value} {f.check}: {f.message}" for f in result.findings],
    }


def perturb(pairs: list[Pair], misses: list[dict[str, object]]) -> dict[str, dict[str, dict[str, float]]]:
    """Return per half and language the perturbation table on the human translations."""
    tables: dict[str, dict[str, dict[str, float]]] = {}
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for pair in pairs:
        if pair.translator == "human":
            texts = (pair.source.read_text(encoding="utf-8"), pair.target.read_text(encoding="utf-8"))
            groups[(pair.half, pair.lang)].append((f"{pair.corpus}/{pair.doc}", *texts))
    for (half, lang), corpus in sorted(groups.items()):
        tables[f"{half}|{lang}"] = evaluate_perturbations(corpus, lang, misses)
    return tables


def _print_rows(rows: dict[str, dict[str, object]], causes: int) -> None:
    head = f"{'half':<9} {'translator':<10} {'lang':<4} {'domain':<9} {'docs':>5} {'quotes':>6}"
    print(f"{head} {'aligned':>7} {'flagged':>7} {'rate':>6} {'invented':>8}")
    for key in sorted(rows):
        half, translator, lang, domain = key.split("|")
        row = rows[key]
        n, k = int(row["quotations"]), int(row["flagged"])  # type: ignore[call-overload]
        rate = k / n if n else 0.0
        print(
            f"{half:<9} {translator:<10} {lang:<4} {domain:<9} {row['documents']:>5} {n:>6} "
            f"{row['aligned']:>7} {k:>7} {rate:>6.1%} {row['invented']:>8}"
        )
        for cause, count in Counter(row["causes"]).most_common(causes):  # type: ignore[arg-type]
            print(f"{'':>12}{count:>4}  {cause}")
        if row["marks_dropped"]:
            dropped = f"{row['dropped_flagged']}/{row['marks_dropped']}"
            print(f"{'':>12}quotations whose marks the translator dropped: {dropped} with an error")


def _print_perturb(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    for key, table in tables.items():
        half, lang = key.split("|")
        cells = []
        for benign in (False, True):
            rows = [r for r in table.values() if bool(r["benign"]) == benign]
            n, k = sum(int(r["variants"]) for r in rows), sum(int(r["flagged"]) for r in rows)
            cells.append(f"{k}/{n} = {(k / n if n else 0.0):.1%}")
        kinds = ", ".join(
            f"{kind} {int(r['flagged'])}/{int(r['variants'])}" for kind, r in table.items() if not r["benign"]
        )
        print(f"{half:<9} {lang}: caught {cells[0]}; benign flagged {cells[1]}  ({kinds})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data root")
    parser.add_argument("--wmt", type=Path, help="wmt-dev folder (default SHARED/eval/wmt-dev)")
    parser.add_argument("--ntrex", type=Path, help="ntrex-dev folder (default SHARED/eval/ntrex-dev)")
    parser.add_argument("--json", type=Path, help="write every figure as JSON")
    parser.add_argument("--flags", type=Path, help="write every error on a counted quotation (JSONL)")
    parser.add_argument("--misses", type=Path, help="write missed alterations and false alarms (JSONL)")
    parser.add_argument("--causes", type=int, default=4, help="causes of errors to print per row")
    parser.add_argument("--skip-perturbations", action="store_true")
    parser.add_argument("--half", choices=HALVES, help="only this half (tune on dev; default: both)")
    parser.add_argument("--langs", default="ko,uk", help="comma-separated target languages")
    args = parser.parse_args(argv)
    wmt = args.wmt or args.shared / "eval" / "wmt-dev"
    ntrex = args.ntrex or args.shared / "eval" / "ntrex-dev"
    for folder in (wmt, ntrex):
        if not folder.is_dir():
            print(f"{folder}: no such folder; pass --shared or --wmt/--ntrex", file=sys.stderr)
            return 2
    langs = set(args.langs.split(","))
    pairs = [
        p
        for p in (*ntrex_pairs(ntrex), *wmt_pairs(wmt))
        if p.lang in langs and (args.half is None or p.half == args.half)
    ]
    flags: list[dict[str, object]] = []
    misses: list[dict[str, object]] = []
    rows = evaluate(pairs, flags)
    _print_rows(rows, args.causes)
    figures: dict[str, object] = {"rows": {k: {**v, "causes": dict(v["causes"])} for k, v in rows.items()}}  # type: ignore[call-overload]
    if not args.skip_perturbations:
        print("\nperturbations on the human translations")
        tables = perturb(pairs, misses)
        _print_perturb(tables)
        figures["perturbations"] = tables
    for path, found in ((args.flags, flags), (args.misses, misses)):
        if path:
            path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found), encoding="utf-8"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
