"""Evaluate the English article parser on ntrex-dev (87 real news documents).

Prints how many quotations (by kind) and attributions the parser finds, compares the inner
spans of direct and partial quotations with the spans found by their own marks in
``quotes.jsonl`` (per line, line offsets turned into file offsets), times the parser, and
prints a seeded random sample of quotations for a hand check.

Run: ``.venv/bin/python bench/eval_quotes_ntrex.py [--data DIR] [--sample 20] [--seed 7]``.
The reference is mark-based, not gold: nested straight double quotes and apostrophes typed as
double marks make some of its spans wrong, so neither figure can reach 100%.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from aligner.article.parse import parse_article
from aligner.article.records import Article, QuoteKind
from aligner.spans import Span, strip_span
from aligner.textio import read_text

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "ntrex-dev"


def line_starts(text: str) -> list[int]:
    """Return the offset where each line (0-based) starts."""
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    return starts


def reference_pieces(text: str, rows: list[dict[str, object]], first_line: int) -> set[Span]:
    """Return the reference inner spans of one document as file offsets.

    Lines between an opening mark left open and its closing mark carry no row of their own;
    they are whole pieces of the quotation when a later row closes it, so they are added here.
    """
    starts = line_starts(text)
    by_line = {int(str(r["id"])) - first_line: r for r in rows}
    pieces: set[Span] = set()
    pending: list[Span] | None = None  # bare lines inside a quotation left open
    for line, start in enumerate(starts):
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
        row = by_line.get(line)
        if row is None:
            bare = '"' not in text[start:end] and text[start:end].strip()
            if pending is not None and bare:
                pending.append(strip_span(text, Span(start, end)))
            elif pending is not None:
                pending = None  # a line with marks but no row: unknown, stop inferring
            continue
        quotes = row["en_quotes"]
        assert isinstance(quotes, list)
        if pending and quotes and not quotes[0]["opened"]:
            pieces.update(pending)
        for quote in quotes:
            piece = strip_span(text, Span(start + quote["inner_start"], start + quote["inner_end"]))
            if piece.end > piece.start:
                pieces.add(piece)
        pending = [] if quotes and not quotes[-1]["closed"] else None
    return pieces


def load(data: Path) -> tuple[dict[str, str], dict[str, list[dict[str, object]]], dict[str, int]]:
    texts = {p.name.removesuffix(".en.txt"): read_text(p) for p in sorted(data.glob("*.en.txt"))}
    rows: dict[str, list[dict[str, object]]] = {}
    for line in (data / "quotes.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["doc_id"], []).append(row)
    index = [json.loads(line) for line in (data / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    first = {row["doc"]: int(row["first_line"]) for row in index}
    return texts, rows, first


def _seed_ms(rounds: int = 50) -> float:
    """CPU milliseconds to parse the seed article (best of ``rounds`` batches of 10)."""
    text = read_text(Path(__file__).resolve().parent.parent / "seeds" / "nk-soldier.en.txt")
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(10):
            parse_article(text)
        best = min(best, (time.process_time() - started) / 10)
    return best * 1000


def describe(doc: str, article: Article, quote_index: int) -> str:
    quote = article.quotes[quote_index]
    line = article.paragraphs[quote.paragraph].line
    who = "-"
    if quote.speaker is not None:
        who = f"{article.of(quote.speaker.span)!r} -> {quote.speaker.person}"
        who += " (inherited)" if quote.speaker.inherited else ""
    verb = (
        f"{article.of(quote.verb.span)!r} {quote.verb.lemma}/{quote.verb.verb_class.value}"
        if quote.verb
        else "-"
    )
    text = " / ".join(article.of(p) for p in quote.parts)
    context = article.of(article.paragraphs[quote.paragraph].span)
    return (
        f"{doc}:{line} {quote.id} {quote.kind.value}\n"
        f"   quote:   {text[:160]!r}\n   speaker: {who}\n   verb:    {verb}\n   line:    {context[:220]!r}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    texts, rows, first = load(args.data)

    articles = {doc: parse_article(text) for doc, text in texts.items()}  # warm-up
    started = time.process_time()
    for doc, text in texts.items():
        articles[doc] = parse_article(text)
    elapsed = time.process_time() - started
    seed_ms = _seed_ms()

    kinds: Counter[str] = Counter()
    attributions: Counter[str] = Counter()
    warnings = speakers = resolved = 0
    hits_mine = hits_any = found_mine = found_any = refs = 0
    for doc, article in articles.items():
        kinds.update(q.kind.value for q in article.quotes)
        attributions.update(a.kind for a in article.attributions)
        warnings += len(article.warnings)
        direct = [q for q in article.quotes if q.kind is QuoteKind.DIRECT]
        speakers += sum(q.speaker is not None for q in direct)
        resolved += sum(q.speaker is not None and q.speaker.person is not None for q in direct)
        reference = reference_pieces(texts[doc], rows.get(doc, []), first[doc])
        mine = {p for q in article.quotes if q.kind is not QuoteKind.TERM for p in q.parts}
        every = {p for q in article.quotes for p in q.parts}
        refs += len(reference)
        found_mine, found_any = found_mine + len(mine), found_any + len(every)
        hits_mine += len(mine & reference)
        hits_any += len(every & reference)

    print(
        f"documents: {len(articles)}; parse CPU time {elapsed * 1000:.1f} ms in all, "
        f"{elapsed * 1000 / len(articles):.2f} ms per document; seed article {seed_ms:.2f} ms"
    )
    print(f"quotations: {sum(kinds.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    by_kind = ", ".join(f"{k} {v}" for k, v in sorted(attributions.items()))
    print(f"attributions: {sum(attributions.values())} ({by_kind})")
    print(f"direct quotations with a speaker: {speakers}/{kinds['direct']}, resolved to a person: {resolved}")
    print(f"warnings: {warnings}")
    print(f"reference pieces (per line, inner spans): {refs}")
    print(
        f"direct+partial pieces: {found_mine}; exact matches {hits_mine}: "
        f"precision {hits_mine / max(found_mine, 1):.3f}, recall {hits_mine / max(refs, 1):.3f}"
    )
    print(
        f"all pieces (terms too): {found_any}; exact matches {hits_any}: "
        f"precision {hits_any / max(found_any, 1):.3f}, recall {hits_any / max(refs, 1):.3f}"
    )

    population = [(doc, i) for doc, article in articles.items() for i in range(len(article.quotes))]
    sample = random.Random(args.seed).sample(population, min(args.sample, len(population)))
    print(f"\nrandom sample of {len(sample)} quotations (seed {args.seed}):")
    for number, (doc, i) in enumerate(sample, 1):
        print(f"[{number}] {describe(doc, articles[doc], i)}")


if __name__ == "__main__":
    main()
