"""Check reports for people: a side-by-side HTML page and an XLIFF 1.2 file for CAT tools.

Pure: a ``CheckReport`` in, a string out. ``check_html`` puts the English paragraphs beside the
translation's, rows grouped by the sentence alignment, every quotation pair in one colour with
linked ids (``en-q1`` / ``tr-q1``) and its findings beside it; every piece of article text is
escaped. ``check_xliff`` writes one ``trans-unit`` per source sentence with its aligned
translation, each finding as a ``<note>`` and as ITS 2.0 Localization Quality Issue markup
(W3C XLIFF 1.2 mapping: ``<mrk mtype="x-its">`` around the span when it lies in the unit's
target, otherwise a standoff ``its:locQualityIssues`` group that ``<target>`` refers to).

ITS severity: a finding has no score of its own (a quotation's score sums all its findings;
attributions and invented quotations have none), so ``locQualityIssueSeverity`` comes from the
finding's severity: error 90, warning 50, info 10. Note priority: error 1, warning 2, info 3.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from aligner import __version__
from aligner.check.checker import CheckReport, Finding, Severity, Status
from aligner.spans import Span

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
ITS_NS = "http://www.w3.org/2005/11/its"
ITSXLF_NS = "http://www.w3.org/ns/its-xliff/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# The closed list of ITS 2.0 Localization Quality Issue types (ITS 2.0 §8.15; XLIFF 2.1 its.xsd).
LQI_TYPES = frozenset(
    "terminology mistranslation omission untranslated addition duplication inconsistency grammar "
    "legal register locale-specific-content locale-violation style characters misspelling "
    "typographical formatting inconsistent-entities numbers markup pattern-problem whitespace "
    "internationalization length non-conformance uncategorized other".split()
)
LQI_SEVERITY = {Severity.ERROR: 90, Severity.WARNING: 50, Severity.INFO: 10}
NOTE_PRIORITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
COLOURS = 8  # quotation colour classes c1..c8, reused in turn
LANG_NAMES = {"en": "English", "ko": "한국어", "uk": "Українська"}
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F): "\x0b" -> "\ufffd".
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# ElementTree writes registered prefixes (its:, and XLIFF as the default namespace); an
# unregistered namespace would come out as ns0:.
ET.register_namespace("", XLIFF_NS)
ET.register_namespace("its", ITS_NS)


@dataclass(frozen=True, slots=True)
class _Item:
    """One checked thing with its findings: a quotation (q1), an attribution (a1) or a quotation
    of the translation that renders none of the source (t3). ``anchor`` is where it starts, in
    the source (``on_source``) or in the translation."""

    label: str
    findings: tuple[Finding, ...]
    anchor: int
    on_source: bool


def _items(report: CheckReport) -> list[_Item]:
    target_ids = {tq.span: tq.id for tq in report.alignment.target.quotes}
    return [
        *(_Item(q.id, q.findings, q.source_span.start, True) for q in report.quotes),
        *(_Item(a.id, a.findings, a.sentence_span.start, True) for a in report.attributions),
        *(
            _Item(target_ids.get(e.target_span, f"extra{k}"), e.findings, e.target_span.start, False)
            for k, e in enumerate(report.extra_quotes, 1)
        ),
    ]


def _worst(findings: Sequence[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=_RANK.__getitem__, default=None)


def _index(starts: Sequence[int], pos: int) -> int:
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


def _target_tags(report: CheckReport, items: Sequence[_Item]) -> list[Tag]:
    tags = _quote_tags(report, "tr")
    for e, item in zip(
        report.extra_quotes, items[len(report.quotes) + len(report.attributions) :], strict=True
    ):
        worst = _worst(e.findings)
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
        s = [_index(src, x.start) for x in pair.source]
        t = [_index(tgt, x.start) for x in pair.target]
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


def _item_card(item: _Item, kind: str, head: str) -> str:
    return (
        f'<div class="card {kind}" id="card-{_esc(item.label)}"><a href="#{"en" if item.on_source else "tr"}-'
        f'{_esc(item.label)}">{_esc(item.label)}</a> <span class="meta">{_esc(head)}</span>'
        f"{_finding_list(item.findings)}</div>"
    )


def _cards(
    report: CheckReport, items: Sequence[_Item], rows: Sequence[tuple[range, range]]
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
            src_row.get(_index(src, item.anchor), 0)
            if item.on_source
            else tgt_row.get(_index(tgt, item.anchor), 0)
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


def _header(report: CheckReport, source: str, translation: str, items: Sequence[_Item]) -> str:
    s = report.summary
    worst = _worst(report.findings())
    counts = [
        f"{s.quotes} quotations: {s.ok} ok, {s.altered} altered, {s.missing} missing",
        f"{s.extra_quotes} quotations with no source quotation",
        f"{s.attributions_ok}/{s.attributions} attributions ok",
        f"{s.errors} errors, {s.warnings} warnings, {s.infos} info",
    ]
    chips = "".join(
        f'<a class="c{n % COLOURS + 1} st-{q.status.value}" href="#card-{_esc(q.id)}">'
        f"{_esc(q.id)} {q.status.value}</a>"
        for n, q in enumerate(report.quotes)
    )
    chips += "".join(
        f'<a class="sev-{sev.value}" href="#card-{_esc(i.label)}">{_esc(i.label)}</a>'
        for i in items[len(report.quotes) :]
        if (sev := _worst(i.findings)) is not None
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
    items = _items(report)
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


# --- XLIFF 1.2 ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """One source sentence and the target text (pieces of the translation) it carries; a
    sentence that the translation renders together with an earlier one carries none and names
    that unit in ``merged_into``."""

    id: str
    source: Span
    pieces: tuple[Span, ...]
    merged_into: str | None
    resname: str


@dataclass(frozen=True, slots=True)
class _Placed:
    """A finding placed in a unit: ``local`` is its span in the unit's target text, or None when
    it has no span there (then it is reported by a standoff group on ``<target>``)."""

    label: str
    finding: Finding
    local: Span | None


def _pieces(text: str, spans: Sequence[Span]) -> tuple[Span, ...]:
    """Merge target sentences that follow each other on one line into one piece."""
    merged: list[Span] = []
    for span in sorted(set(spans)):
        if merged and not text[merged[-1].end : span.start].strip(" \t") and merged[-1].end <= span.start:
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return tuple(merged)


def _units(report: CheckReport) -> list[_Unit]:
    sentences = [s for p in report.article.paragraphs for s in p.sentences]
    ids = {s: f"s{k}" for k, s in enumerate(sentences, 1)}
    targets: dict[Span, list[Span]] = {s: [] for s in sentences}
    holder: dict[Span, Span] = {}
    last = sentences[0] if sentences else None
    for pair in report.alignment.sentences:
        src = [s for s in pair.source if s in targets]
        if src:
            last = src[0]
            holder.update((s, last) for s in src)
        if last is not None:
            targets[last].extend(pair.target)  # a 0:1 pair joins the unit before it
    units = []
    for s in sentences:
        head = holder.get(s, s)
        quotes = [q.id for q in report.quotes if any(p.overlaps(s) for p in q.source_parts)]
        merged = ids[head] if head != s else None
        units.append(_Unit(ids[s], s, _pieces(report.target_text, targets[s]), merged, " ".join(quotes)))
    return units


def _local(unit: _Unit, span: Span) -> Span | None:
    """Return ``span`` as offsets into the unit's target text, or None when no piece holds it."""
    offset = 0
    for piece in unit.pieces:
        if piece.contains(span) and len(span):
            return span.shift(offset - piece.start)
        offset += len(piece) + 1
    return None


def _home(units: Sequence[_Unit], item: _Item) -> _Unit:
    """Return the unit that answers for an item: the one holding the translation of the source
    sentence it starts in, or the one whose target holds the start of a target-side item."""
    if not item.on_source:
        point = Span(item.anchor, item.anchor + 1)
        return next((u for u in units if _local(u, point) is not None), units[-1])
    unit = units[_index([u.source.start for u in units], item.anchor)]
    return next((u for u in units if u.id == unit.merged_into), unit)


def _placements(report: CheckReport, units: Sequence[_Unit]) -> dict[str, list[_Placed]]:
    placed: dict[str, list[_Placed]] = {u.id: [] for u in units}
    for item in _items(report):
        for f in item.findings:
            spot = None
            if f.target_span is not None:
                spot = next(((u, loc) for u in units if (loc := _local(u, f.target_span)) is not None), None)
            unit, local = spot if spot is not None else (_home(units, item), None)
            placed[unit.id].append(_Placed(item.label, f, local))
    return placed


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _note_text(p: _Placed) -> str:
    return f"{p.label} [{p.finding.check}/{p.finding.severity.value}] {p.finding.message}"


def _lqi(p: _Placed) -> dict[str, str]:
    """Return the ITS LQI attributes (local names) of one placed finding."""
    kind = p.finding.lqi_type if p.finding.lqi_type in LQI_TYPES else "other"
    return {
        "locQualityIssueType": kind,
        "locQualityIssueComment": _clean(f"{p.label}: {p.finding.message}"),
        "locQualityIssueSeverity": str(LQI_SEVERITY[p.finding.severity]),
    }


def _laminar(spans: Sequence[Span]) -> tuple[list[Span], list[Span]]:
    """Split spans into those that nest or stand apart (XLIFF 1.2 ``<mrk>`` cannot overlap) and
    the rest, earlier and longer spans first."""
    kept: list[Span] = []
    dropped: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end)):
        fits = all(not k.overlaps(span) or k.contains(span) or span.contains(k) for k in kept)
        (kept if fits else dropped).append(span)
    return kept, dropped


def _issues_group(parent: ET.Element, gid: str, group: Sequence[_Placed]) -> None:
    issues = ET.SubElement(parent, f"{{{ITS_NS}}}locQualityIssues", {f"{{{XML_NS}}}id": gid})
    for p in group:
        ET.SubElement(issues, f"{{{ITS_NS}}}locQualityIssue", _lqi(p))


def _mrk_attrs(group: Sequence[_Placed], gid: str) -> dict[str, str]:
    if len(group) == 1:
        return {"mtype": "x-its", **{f"{{{ITS_NS}}}{k}": v for k, v in _lqi(group[0]).items()}}
    return {"mtype": "x-its", f"{{{ITS_NS}}}locQualityIssuesRef": f"#{gid}"}


def _fill(
    parent: ET.Element, text: str, lo: int, hi: int, marks: Sequence[tuple[Span, dict[str, str]]]
) -> None:
    """Write ``text[lo:hi]`` into ``parent`` with an ``<mrk>`` around each span (nested spans
    nest); ``marks`` are sorted outer first."""
    cursor, last = lo, None
    rest = [m for m in marks if lo <= m[0].start and m[0].end <= hi]
    while rest:
        span, attrs = rest[0]
        inner = [m for m in rest[1:] if span.contains(m[0])]
        rest = [m for m in rest[1:] if not span.contains(m[0])]
        if last is None:
            parent.text = (parent.text or "") + text[cursor : span.start]
        else:
            last.tail = text[cursor : span.start]
        last = ET.SubElement(parent, f"{{{XLIFF_NS}}}mrk", attrs)
        _fill(last, text, span.start, span.end, inner)
        cursor = span.end
    if last is None:
        parent.text = (parent.text or "") + text[cursor:hi]
    else:
        last.tail = text[cursor:hi]


def _target(
    unit_el: ET.Element, unit: _Unit, text: str, placed: Sequence[_Placed], lang: str
) -> list[tuple[str, list[_Placed]]]:
    """Add ``<target>`` with its ``<mrk>``s; return the standoff groups it refers to."""
    content = _clean(" ".join(p.of(text) for p in unit.pieces))
    state = (
        "needs-review-translation"
        if placed
        else "translated"
        if unit.pieces or unit.merged_into
        else "needs-translation"
    )
    target = ET.SubElement(unit_el, f"{{{XLIFF_NS}}}target", {"state": state, f"{{{XML_NS}}}lang": lang})
    by_span: dict[Span, list[_Placed]] = {}
    for p in placed:
        if p.local is not None:
            by_span.setdefault(p.local, []).append(p)
    kept, dropped = _laminar(list(by_span))
    groups: list[tuple[str, list[_Placed]]] = []
    marks = []
    for span in kept:
        gid = f"lqi-{unit.id}-{len(groups) + 1}"
        if len(by_span[span]) > 1:
            groups.append((gid, by_span[span]))
        marks.append((span, _mrk_attrs(by_span[span], gid)))
    _fill(target, content, 0, len(content), marks)
    loose = [p for p in placed if p.local is None or p.local in dropped]
    if loose:
        gid = f"lqi-{unit.id}-{len(groups) + 1}"
        groups.append((gid, loose))
        target.set(f"{{{ITS_NS}}}locQualityIssuesRef", f"#{gid}")
    return groups


def _unit_element(body: ET.Element, unit: _Unit, report: CheckReport, placed: Sequence[_Placed]) -> None:
    attrs = {"id": unit.id, **({"resname": unit.resname} if unit.resname else {})}
    el = ET.SubElement(body, f"{{{XLIFF_NS}}}trans-unit", attrs)
    source = ET.SubElement(el, f"{{{XLIFF_NS}}}source", {f"{{{XML_NS}}}lang": "en"})
    source.text = _clean(unit.source.of(report.article.text))
    groups = _target(el, unit, report.target_text, placed, report.lang)
    if unit.merged_into:
        note = ET.SubElement(
            el, f"{{{XLIFF_NS}}}note", {"from": "aligner", "priority": "5", "annotates": "general"}
        )
        note.text = f"the translation renders this sentence together with unit {unit.merged_into}"
    for p in placed:
        attrs = {"from": "aligner", "priority": str(NOTE_PRIORITY[p.finding.severity]), "annotates": "target"}
        ET.SubElement(el, f"{{{XLIFF_NS}}}note", attrs).text = _clean(_note_text(p))
    for gid, group in groups:
        _issues_group(el, gid, group)


def _indent(el: ET.Element, level: int = 0) -> None:
    """Indent the structural elements only: whitespace inside ``<source>``, ``<target>`` or
    ``<note>`` would change the text."""
    if el.tag.split("}")[-1] not in ("xliff", "file", "header", "body", "trans-unit", "locQualityIssues"):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        _indent(child, level + 1)
    if len(el):
        el[-1].tail = pad[:-2]


def check_xliff(report: CheckReport, source: str = "", translation: str = "") -> str:
    """Return an XLIFF 1.2 document: one ``trans-unit`` per source sentence with its aligned
    translation, each finding as a ``<note>`` and as ITS 2.0 quality-issue markup.

    Args:
        report: The check report.
        source: The source file's name (``<file original>``).
        translation: The translation file's name (in the header note).
    """
    # ElementTree declares only the namespaces it uses; itsxlf is declared for tools that expect
    # the W3C mapping's prefix set, so it goes in as a plain attribute.
    root = ET.Element(
        f"{{{XLIFF_NS}}}xliff", {"version": "1.2", f"{{{ITS_NS}}}version": "2.0", "xmlns:itsxlf": ITSXLF_NS}
    )
    file_attrs = {
        "original": _clean(source or "article"),
        "source-language": "en",
        "target-language": report.lang,
        "datatype": "plaintext",
        "tool-id": "aligner",
    }
    file_el = ET.SubElement(root, f"{{{XLIFF_NS}}}file", file_attrs)
    header = ET.SubElement(file_el, f"{{{XLIFF_NS}}}header")
    ET.SubElement(
        header,
        f"{{{XLIFF_NS}}}tool",
        {"tool-id": "aligner", "tool-name": "aligner", "tool-version": __version__},
    )
    s = report.summary
    summary = (
        f"translation: {translation or '-'}; {s.quotes} quotations ({s.ok} ok, {s.altered} altered, "
        f"{s.missing} missing), {s.extra_quotes} extra, {s.errors} errors, {s.warnings} warnings, "
        f"score {s.score:.2f}; signature: {report.signature}"
    )
    ET.SubElement(header, f"{{{XLIFF_NS}}}note", {"from": "aligner", "annotates": "general"}).text = _clean(
        summary
    )
    body = ET.SubElement(file_el, f"{{{XLIFF_NS}}}body")
    units = _units(report)
    placed = _placements(report, units) if units else {}
    for unit in units:
        _unit_element(body, unit, report, placed[unit.id])
    _indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
