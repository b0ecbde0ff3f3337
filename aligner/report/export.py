"""Check reports for people: a side-by-side HTML page (the XLIFF file for CAT tools is in
``report.xliff``).

Pure: a ``CheckReport`` in, a string out. ``check_html`` puts the English paragraphs beside the
translation's, rows grouped by the sentence alignment, every quotation pair in one colour with
linked ids (``en-q1`` / ``tr-q1``) and its findings beside it; every piece of article text is
escaped. ``check_items`` and ``index_at`` are shared with the XLIFF writer.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.check.checker import CheckReport, Finding, Severity, Status
from aligner.report.serialize import plural
from aligner.spans import Span

COLOURS = 8  # quotation colour classes c1..c8, reused in turn
LANG_NAMES = {"en": "English", "ko": "한국어", "uk": "Українська"}
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Item:
    """One checked thing with its findings: a quotation (q1), an attribution (a1) or a quotation
    of the translation that renders none of the source (t3). ``anchor`` is where it starts, in
    the source (``on_source``) or in the translation."""

    label: str
    findings: tuple[Finding, ...]
    anchor: int
    on_source: bool


def check_items(report: CheckReport) -> list[Item]:
    """Return every quotation, attribution and invented quotation of ``report`` with its findings."""
    target_ids = {tq.span: tq.id for tq in report.alignment.target.quotes}
    return [
        *(Item(q.id, q.findings, q.source_span.start, True) for q in report.quotes),
        *(Item(a.id, a.findings, a.sentence_span.start, True) for a in report.attributions),
        *(
            Item(target_ids.get(e.target_span, f"extra{k}"), e.findings, e.target_span.start, False)
            for k, e in enumerate(report.extra_quotes, 1)
        ),
    ]


def worst_of(findings: Sequence[Finding]) -> Severity | None:
    """Return the most severe finding's severity, or None when there are none."""
    return max((f.severity for f in findings), key=_RANK.__getitem__, default=None)


def index_at(starts: Sequence[int], pos: int) -> int:
    """Return the index of the last span starting at or before ``pos`` (0 when none does)."""
    return max(0, bisect_right(starts, pos) - 1)


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
:root{--err:#b91c1c;--err-bg:#fee2e2;--warn:#a16207;--warn-bg:#fef3c7;--info:#1d4ed8;--info-bg:#dbeafe;
--ok:#15803d;--ok-bg:#dcfce7;--line:#e5e7eb;--muted:#6b7280}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans","Segoe UI",system-ui,sans-serif;color:#111827;background:#f9fafb}
:lang(ko){font-family:"Noto Sans CJK KR","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;
word-break:keep-all}
header{padding:16px 24px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 6px}
.files,.signature{margin:4px 0;color:var(--muted);font-size:13px}
code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;color:#374151;overflow-wrap:anywhere}
.summary{display:flex;gap:20px;align-items:center;margin:10px 0}
.score{border-radius:8px;padding:6px 14px;text-align:center;font-size:12px;color:var(--muted)}
.score b{display:block;font-size:26px;line-height:1.1;color:#111827}
.worst-error{background:var(--err-bg)}.worst-warning{background:var(--warn-bg)}.worst-none,.worst-info{background:var(--ok-bg)}
.counts{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:14px}
.index{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.index a{text-decoration:none;color:#111827;border-radius:4px;padding:0 6px;font-size:13px;
border:1px solid var(--line)}
.index a.sev-error{background:var(--err-bg)}.index a.sev-warning{background:var(--warn-bg)}
.index a.sev-info{background:var(--info-bg)}
.index a.st-missing,.index a.st-altered{outline:2px solid var(--err)}
.row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr) minmax(15rem,.8fr);gap:20px;
padding:10px 24px;border-bottom:1px solid var(--line);background:#fff}
.row.head{position:sticky;top:0;z-index:2;font-weight:600;color:var(--muted);font-size:13px;background:#f3f4f6}
.row p{margin:0 0 8px}.row .empty{color:var(--muted);font-style:italic}
mark{color:inherit;border-radius:3px;padding:1px 0}
mark[data-label]::before{content:attr(data-label);font:600 10px/1 ui-monospace,monospace;color:#fff;
background:#374151;border-radius:3px;padding:1px 3px;margin-right:3px;vertical-align:2px}
.c1{background:#fde68a}.c2{background:#bfdbfe}.c3{background:#bbf7d0}.c4{background:#fbcfe8}
.c5{background:#ddd6fe}.c6{background:#fed7aa}.c7{background:#a5f3fc}.c8{background:#d9f99d}
mark.st-missing{outline:2px dashed var(--err)}mark.st-missing::before{background:var(--err)}
mark.extra{background:var(--err-bg);outline:2px dashed var(--err)}mark.extra::before{background:var(--err)}
.who{border-bottom:2px solid #4b5563}.attr{border-bottom:1px dotted #4b5563}
.issue{text-decoration:underline wavy;text-underline-offset:4px;text-decoration-skip-ink:none}
.issue.sev-error{text-decoration-color:var(--err)}.issue.sev-warning{text-decoration-color:var(--warn)}
.issue.sev-info{text-decoration-color:var(--info)}
.card{border-left:6px solid #9ca3af;background:#fff;border:1px solid var(--line);border-left-width:6px;
border-radius:6px;padding:6px 10px;margin:0 0 8px;font-size:13px}
.card.c1{border-left-color:#f59e0b}.card.c2{border-left-color:#3b82f6}.card.c3{border-left-color:#22c55e}
.card.c4{border-left-color:#ec4899}.card.c5{border-left-color:#8b5cf6}.card.c6{border-left-color:#f97316}
.card.c7{border-left-color:#06b6d4}.card.c8{border-left-color:#84cc16}.card.extra,.card.attribution{border-left-color:#6b7280}
.card.c1,.card.c2,.card.c3,.card.c4,.card.c5,.card.c6,.card.c7,.card.c8{background:#fff}
.card a{font-weight:700;color:#111827}.meta{color:var(--muted)}
.badge{border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.badge.st-ok{background:var(--ok-bg);color:var(--ok)}.badge.st-altered{background:var(--err-bg);color:var(--err)}
.badge.st-missing{background:var(--err);color:#fff}
.findings{margin:4px 0 0;padding:0;list-style:none}
.findings li{padding:3px 6px;border-radius:4px;margin-top:3px}
li.sev-error{background:var(--err-bg)}li.sev-warning{background:var(--warn-bg)}li.sev-info{background:var(--info-bg)}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;margin-right:4px}
.sev-error .sev{color:var(--err)}.sev-warning .sev{color:var(--warn)}.sev-info .sev{color:var(--info)}
.check{font-family:ui-monospace,monospace;font-size:12px;color:#374151;margin-right:4px}
@media (max-width:900px){.row{grid-template-columns:1fr}}
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class Tag:
    """An element to wrap around a span of article text: ``attrs`` go on its first piece,
    ``again`` on the pieces after a split (no id, no label). Lower ``layer`` nests outside."""

    span: Span
    name: str
    attrs: tuple[tuple[str, str], ...]
    again: tuple[tuple[str, str], ...]
    layer: int


def _open(tag: Tag, first: bool) -> str:
    attrs = "".join(f' {k}="{_esc(v)}"' for k, v in (tag.attrs if first else tag.again))
    return f"<{tag.name}{attrs}>"


def highlight(text: str, span: Span, tags: Sequence[Tag]) -> str:
    """Return ``text[span]`` escaped, with each tag's element around its part of the span.

    Tags may nest or overlap: at every boundary the open elements that end or no longer nest
    are closed and the rest reopened, so the markup stays well formed.
    """
    inside = [t for t in tags if t.span.start < span.end and span.start < t.span.end]
    cuts = sorted(
        {
            span.start,
            span.end,
            *(max(span.start, min(span.end, p)) for t in inside for p in (t.span.start, t.span.end)),
        }
    )
    out: list[str] = []
    stack: list[int] = []
    started: set[int] = set()
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        active = sorted(
            (i for i, t in enumerate(inside) if t.span.start <= lo and hi <= t.span.end),
            key=lambda i: (inside[i].layer, inside[i].span.start, -inside[i].span.end, i),
        )
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] == active[keep]:
            keep += 1
        out += [f"</{inside[i].name}>" for i in reversed(stack[keep:])]
        for i in active[keep:]:
            out.append(_open(inside[i], i not in started))
            started.add(i)
        stack = active
        out.append(_esc(text[lo:hi]))
    out += [f"</{inside[i].name}>" for i in reversed(stack)]
    return "".join(out)


def _quote_tags(report: CheckReport, side: str) -> list[Tag]:
    tags = []
    for n, q in enumerate(report.quotes):
        parts = q.source_parts if side == "en" else q.target_parts
        cls = f"q c{n % COLOURS + 1} st-{q.status.value}"
        title = f"{q.id}: {q.status.value}, score {q.score:.2f}"
        base = (("class", cls), ("data-quote", q.id), ("title", title))
        label = f"{q.id} missing" if q.status is Status.MISSING and side == "en" else q.id
        for k, part in enumerate(parts):
            first = (("id", f"{side}-{q.id}"), ("data-label", label)) if k == 0 else ()
            tags.append(Tag(part, "mark", (*first, *base), base, 0))
        who = q.speaker if side == "en" else q.target_speaker
        if who is not None:
            tags.append(Tag(who, "span", (("class", "who"), ("title", f"speaker of {q.id}")), (), 1))
    return tags


def _source_tags(report: CheckReport) -> list[Tag]:
    tags = _quote_tags(report, "en")
    for a in report.attributions:
        attrs = (("class", "attr"), ("title", f"{a.id}: {a.kind}, {a.status.value}"))
        tags.append(Tag(a.source_span, "span", attrs, attrs, 1))
    return tags


def _target_tags(report: CheckReport, items: Sequence[Item]) -> list[Tag]:
    tags = _quote_tags(report, "tr")
    for e, item in zip(
        report.extra_quotes, items[len(report.quotes) + len(report.attributions) :], strict=True
    ):
        worst = worst_of(e.findings)
        base = (
            ("class", f"extra sev-{worst.value if worst else 'none'}"),
            ("title", f"{item.label}: no source quotation"),
        )
        for k, part in enumerate(e.target_parts):
            first = (("id", f"tr-{item.label}"), ("data-label", item.label)) if k == 0 else ()
            tags.append(Tag(part, "mark", (*first, *base), base, 0))
    for a in report.attributions:
        if a.target_span is not None:
            attrs = (("class", "attr"), ("title", f"{a.id} in the translation"))
            tags.append(Tag(a.target_span, "span", attrs, attrs, 1))
    for item in items:
        for f in item.findings:
            if f.target_span is not None and len(f.target_span):
                attrs = (("class", f"issue sev-{f.severity.value}"), ("title", f"{item.label}: {f.message}"))
                tags.append(Tag(f.target_span, "span", attrs, attrs, 2))
    return tags


def _rows(report: CheckReport) -> list[tuple[range, range]]:
    """Group paragraphs into rows: a row closes where no sentence pair links its paragraphs to
    the next ones, so the source and translation may differ in paragraph count."""
    src = [p.span.start for p in report.article.paragraphs]
    tgt = [p.span.start for p in report.alignment.target.paragraphs]
    bounds: list[list[int]] = []  # [source last, target last] per row
    for pair in report.alignment.sentences:
        s = [index_at(src, x.start) for x in pair.source]
        t = [index_at(tgt, x.start) for x in pair.target]
        if not s and not t:
            continue
        last = bounds[-1] if bounds else [-1, -1]
        joined = bounds and ((s and min(s) <= last[0]) or (t and min(t) <= last[1]))
        row = last if joined else [last[0], last[1]]
        row[0], row[1] = max([row[0], *s]), max([row[1], *t])
        if not joined:
            bounds.append(row)
    if not bounds:
        n = max(len(src), len(tgt))
        return [(range(i, min(i + 1, len(src))), range(i, min(i + 1, len(tgt)))) for i in range(n)]
    bounds[-1] = [len(src) - 1, len(tgt) - 1]
    starts = [[-1, -1], *bounds[:-1]]
    return [
        (range(a[0] + 1, b[0] + 1), range(a[1] + 1, b[1] + 1)) for a, b in zip(starts, bounds, strict=True)
    ]


def _finding_list(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    lines = (
        f'<li class="sev-{f.severity.value}"><span class="sev">{f.severity.value}</span>'
        f'<span class="check">{_esc(f.check)}</span>{_esc(f.message)}</li>'
        for f in findings
    )
    return f'<ul class="findings">{"".join(lines)}</ul>'


def _quote_card(report: CheckReport, n: int) -> str:
    q, text, target = report.quotes[n], report.article.text, report.target_text
    who = q.speaker.of(text) if q.speaker else "—"
    rendered = q.target_speaker.of(target) if q.target_speaker else "—"
    meta = f"{q.kind.value} · score {q.score:.2f} · confidence {q.confidence:.2f} · {q.method}"
    meta += f" · chrF {q.chrf:.1f}" if q.chrf is not None else ""
    return (
        f'<div class="card c{n % COLOURS + 1}" id="card-{_esc(q.id)}">'
        f'<a href="#en-{_esc(q.id)}">{_esc(q.id)}</a> '
        f'<span class="badge st-{q.status.value}">{q.status.value}</span> '
        f'<span class="meta">{_esc(meta)}</span>'
        f'<div class="meta">speaker <span lang="en">{_esc(who)}</span> → '
        f'<span lang="{_esc(report.lang)}">{_esc(rendered)}</span></div>{_finding_list(q.findings)}</div>'
    )


def _item_card(item: Item, kind: str, head: str) -> str:
    return (
        f'<div class="card {kind}" id="card-{_esc(item.label)}"><a href="#{"en" if item.on_source else "tr"}-'
        f'{_esc(item.label)}">{_esc(item.label)}</a> <span class="meta">{_esc(head)}</span>'
        f"{_finding_list(item.findings)}</div>"
    )


def _cards(
    report: CheckReport, items: Sequence[Item], rows: Sequence[tuple[range, range]]
) -> list[list[str]]:
    """Return the cards of each row: quotations and attributions by source paragraph, invented
    quotations by target paragraph. Attributions without findings get no card."""
    src_row = {p: r for r, (s, _) in enumerate(rows) for p in s}
    tgt_row = {p: r for r, (_, t) in enumerate(rows) for p in t}
    src = [p.span.start for p in report.article.paragraphs]
    tgt = [p.span.start for p in report.alignment.target.paragraphs]
    cards: list[list[str]] = [[] for _ in rows]
    nq, na = len(report.quotes), len(report.attributions)
    for k, item in enumerate(items):
        where = (
            src_row.get(index_at(src, item.anchor), 0)
            if item.on_source
            else tgt_row.get(index_at(tgt, item.anchor), 0)
        )
        if k < nq:
            cards[where].append(_quote_card(report, k))
        elif k < nq + na and item.findings:
            a = report.attributions[k - nq]
            cards[where].append(_item_card(item, "attribution", f"attribution ({a.kind}) · {a.status.value}"))
        elif k >= nq + na:
            cards[where].append(_item_card(item, "extra", "quotation with no source quotation"))
    return cards


def _column(text: str, spans: Sequence[Span], lines: Sequence[int], tags: Sequence[Tag], side: str) -> str:
    if not spans:
        return '<p class="empty">(no aligned paragraph)</p>'
    return "".join(
        f'<p id="{side}-p{line}">{highlight(text, span, tags)}</p>'
        for span, line in zip(spans, lines, strict=True)
    )


def _header(report: CheckReport, source: str, translation: str, items: Sequence[Item]) -> str:
    s = report.summary
    worst = worst_of(report.findings())
    counts = [
        f"{plural(s.quotes, 'quotation')}: {s.ok} ok, {s.altered} altered, {s.missing} missing",
        f"{plural(s.extra_quotes, 'quotation')} with no source quotation",
        f"{s.attributions_ok}/{plural(s.attributions, 'attribution')} ok",
        f"{plural(s.errors, 'error')}, {plural(s.warnings, 'warning')}, {s.infos} info",
    ]
    chips = "".join(
        f'<a class="c{n % COLOURS + 1} st-{q.status.value}" href="#card-{_esc(q.id)}">'
        f"{_esc(q.id)} {q.status.value}</a>"
        for n, q in enumerate(report.quotes)
    )
    chips += "".join(
        f'<a class="sev-{sev.value}" href="#card-{_esc(i.label)}">{_esc(i.label)}</a>'
        for i in items[len(report.quotes) :]
        if (sev := worst_of(i.findings)) is not None
    )
    return (
        f"<header><h1>Quotation check: English → {_esc(LANG_NAMES.get(report.lang, report.lang))}</h1>"
        f'<p class="files">source <code>{_esc(source or "-")}</code> · translation '
        f"<code>{_esc(translation or '-')}</code></p>"
        f'<div class="summary"><div class="score worst-{worst.value if worst else "none"}">'
        f"<b>{s.score:.2f}</b>"
        f'overall score</div><ul class="counts">{"".join(f"<li>{_esc(c)}</li>" for c in counts)}</ul></div>'
        f'<p class="signature">signature <code>{_esc(report.signature)}</code></p>'
        f'<nav class="index">{chips}</nav></header>'
    )


def check_html(report: CheckReport, source: str = "", translation: str = "") -> str:
    """Return a self-contained HTML page: summary, then source and translation side by side with
    every quotation pair highlighted in one colour and its findings beside it.

    Args:
        report: The check report.
        source: The source file's name, shown in the header.
        translation: The translation file's name, shown in the header.
    """
    items = check_items(report)
    rows = _rows(report)
    cards = _cards(report, items, rows)
    src_tags, tgt_tags = _source_tags(report), _target_tags(report, items)
    paras, tparas = report.article.paragraphs, report.alignment.target.paragraphs
    lang = _esc(report.lang)
    body = []
    for (s, t), row_cards in zip(rows, cards, strict=True):
        left = _column(
            report.article.text, [paras[i].span for i in s], [paras[i].line for i in s], src_tags, "en"
        )
        right = _column(
            report.target_text, [tparas[i].span for i in t], [tparas[i].line for i in t], tgt_tags, "tr"
        )
        body.append(
            f'<section class="row"><div class="src" lang="en">{left}</div>'
            f'<div class="tgt" lang="{lang}">{right}</div>'
            f'<aside class="notes">{"".join(row_cards)}</aside></section>'
        )
    target_name = _esc(LANG_NAMES.get(report.lang, report.lang))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>aligner check: {_esc(source or 'article')} ({lang})</title><style>{_CSS}</style></head>"
        f"<body>{_header(report, source, translation, items)}<main>"
        f'<div class="row head"><div>English</div><div lang="{lang}">{target_name}</div>'
        "<div>Findings</div></div>"
        f"{''.join(body)}</main></body></html>\n"
    )
