"""The XLIFF 1.2 file of a check or a translation: reviewable in a CAT tool, and mergeable back.

Pure: a ``CheckReport`` in, a string out (``check_xliff``); a skeleton and reviewed targets in, the
target document out (``rebuild``). Reading a reviewed file is ``report.bilingual``'s job.

Segments. The sentence alignment decides the units: each aligned pair with source sentences is one
``<trans-unit>`` whose ``<source>`` is those source sentences and whose ``<target>`` is the stretch of
the translation that renders them (target sentences with no source join the unit before). When the
translation renders several source sentences as one (a quotation, most often), their unit sits in a
``<group merged-trans="yes" restype="x-merged-sentences">`` and is named after the first and last
sentence (``s7-9``); no unit ever carries an empty target marked translated. A source sentence that
the translation leaves out gets a unit with no ``<target>``. Units are grouped by source paragraph
(``<group restype="x-paragraph">``).

Skeleton. ``<header><skl><internal-file form="application/x-aligner-skeleton+json">`` holds the
target document with a placeholder per unit (JSON: ``schema``, ``parts`` = strings and
``{"unit": id}``), so that the reviewed targets merge back into the document's lines and paragraphs:
the text between units (spaces, line breaks) is kept verbatim. Unchanged targets rebuild the
translation byte for byte.

States. Machine output (``translate``/``batch``): every target ``state="needs-review-translation"``
``state-qualifier="mt-suggestion"``, and an ``<alt-trans origin="mt-raw">`` with the engine's own
output where the composed target differs from it (names harmonised, quotation marks retyped). A
checked translation: ``needs-review-translation`` where there are findings, ``translated`` otherwise.

Findings: each as a ``<note>`` and as ITS 2.0 Localization Quality Issue markup (W3C XLIFF 1.2
mapping: ``<mrk mtype="x-its">`` around the span when it lies in the unit's target, otherwise a
standoff ``its:locQualityIssues`` group that ``<target>`` refers to). A finding has no score of its
own, so ``locQualityIssueSeverity`` comes from its severity: error 90, warning 50, info 10. Note
priority: error 1, warning 2, info 3. The file validates against the OASIS 1.2 strict schema with
the ITS namespace given a schema (``tests/data/schemas``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from aligner import __version__
from aligner.check.checker import CheckReport, Finding, Severity
from aligner.report.export import Item, check_items, index_at
from aligner.report.serialize import plural
from aligner.spans import Span, hull

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
ITS_NS = "http://www.w3.org/2005/11/its"
ITSXLF_NS = "http://www.w3.org/ns/its-xliff/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SKELETON_FORM = "application/x-aligner-skeleton+json"
SKELETON_SCHEMA = "aligner.skeleton/1"
# The closed list of ITS 2.0 Localization Quality Issue types (ITS 2.0 §8.15; XLIFF 2.1 its.xsd).
LQI_TYPES = frozenset(
    "terminology mistranslation omission untranslated addition duplication inconsistency grammar "
    "legal register locale-specific-content locale-violation style characters misspelling "
    "typographical formatting inconsistent-entities numbers markup pattern-problem whitespace "
    "internationalization length non-conformance uncategorized other".split()
)
LQI_SEVERITY = {Severity.ERROR: 90, Severity.WARNING: 50, Severity.INFO: 10}
NOTE_PRIORITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F): "\x0b" -> "\ufffd".
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# ElementTree writes registered prefixes (its:, and XLIFF as the default namespace); an
# unregistered namespace would come out as ns0:.
ET.register_namespace("", XLIFF_NS)
ET.register_namespace("its", ITS_NS)


def _x(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of the file: source sentences and the stretch of the translation rendering them
    (None when the translation leaves them out); ``paragraph`` is the first sentence's paragraph."""

    id: str
    sources: tuple[Span, ...]
    target: Span | None
    paragraph: int

    @property
    def merged(self) -> bool:
        """True when the translation renders several source sentences as one."""
        return len(self.sources) > 1


def segments(report: CheckReport) -> tuple[Segment, ...]:
    """Cut the check's sentence alignment into units (see the module note), in source order."""
    paragraphs = report.article.paragraphs
    sentences = [s for p in paragraphs for s in p.sentences]
    number = {s: k for k, s in enumerate(sentences, 1)}
    para_of = {s: i for i, p in enumerate(paragraphs) for s in p.sentences}
    groups: list[tuple[list[Span], list[Span]]] = []
    pending: list[Span] = []
    for pair in report.alignment.sentences:
        src = sorted(s for s in pair.source if s in number)
        if src:
            groups.append((src, [*pending, *pair.target]))
            pending = []
        elif groups:
            groups[-1][1].extend(pair.target)
        else:
            pending.extend(pair.target)
    if pending and groups:
        groups[-1][1].extend(pending)
    seen = {s for src, _ in groups for s in src}
    groups += [([s], []) for s in sentences if s not in seen]
    groups.sort(key=lambda g: g[0][0].start)
    # The alignment is monotonic; should targets still cross, the units involved become one, so
    # that no two units share a stretch of the translation (the skeleton needs them disjoint).
    merged: list[tuple[list[Span], list[Span]]] = []
    for src, tgt in groups:
        cur = (list(src), list(tgt))
        while merged and cur[1] and min(t.start for t in cur[1]) < _last_end(merged):
            prev = merged.pop()
            cur = (prev[0] + cur[0], prev[1] + cur[1])
        merged.append(cur)
    out = []
    for src, tgt in merged:
        first, last = number[src[0]], number[src[-1]]
        out.append(
            Segment(
                id=f"s{first}" if first == last else f"s{first}-{last}",
                sources=tuple(src),
                target=hull(tgt) if tgt else None,
                paragraph=para_of[src[0]],
            )
        )
    return tuple(out)


def _last_end(groups: Sequence[tuple[list[Span], list[Span]]]) -> int:
    return max((t.end for _, targets in groups for t in targets), default=-1)


def source_text(report: CheckReport, segment: Segment) -> str:
    """Return the unit's source: its sentences as they stand in the article (with what is between)."""
    return hull(segment.sources).of(report.article.text)


def skeleton(target_text: str, units: Sequence[Segment]) -> list[str | dict[str, str]]:
    """Return the target document as text and unit placeholders; a unit with no target stands
    right after the unit before it (``"insert": "yes"``: its reviewed target goes in after a space)."""
    placed: list[tuple[int, int, int, Segment]] = []
    cursor = 0
    for order, unit in enumerate(units):
        if unit.target is not None:
            placed.append((unit.target.start, unit.target.end, order, unit))
            cursor = unit.target.end
        else:
            placed.append((cursor, cursor, order, unit))
    placed.sort(key=lambda p: (p[0], p[2]))
    parts: list[str | dict[str, str]] = []
    at = 0
    for start, end, _, unit in placed:
        if start > at:
            parts.append(target_text[at:start])
        parts.append({"unit": unit.id} if unit.target is not None else {"unit": unit.id, "insert": "yes"})
        at = max(at, end)
    if at < len(target_text):
        parts.append(target_text[at:])
    return parts


def rebuild(skeleton_json: str, targets: Mapping[str, str]) -> tuple[str, dict[str, Span]]:
    """Return the target document from a skeleton and each unit's (reviewed) target, and where each
    unit's target landed in it.

    Raises:
        ValueError: the skeleton is not aligner's, or a unit it names has no target (say which).
    """
    doc = json.loads(skeleton_json)
    if not isinstance(doc, dict) or doc.get("schema") != SKELETON_SCHEMA:
        raise ValueError(f"the skeleton is not {SKELETON_SCHEMA}")
    out: list[str] = []
    size = 0
    spans: dict[str, Span] = {}
    for part in doc["parts"]:
        if isinstance(part, str):
            out.append(part)
            size += len(part)
            continue
        unit = str(part["unit"])
        text = targets.get(unit)
        if text is None:
            if part.get("insert"):
                continue
            raise ValueError(f"unit {unit} of the skeleton is missing from the file")
        if part.get("insert") and text:
            if out and out[-1] and not out[-1][-1].isspace():
                out.append(" ")
                size += 1
        spans[unit] = Span(size, size + len(text))
        out.append(text)
        size += len(text)
    return "".join(out), spans


# --- findings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Placed:
    """A finding placed in a unit: ``local`` is its span in the unit's target text, or None when
    it has no span there (then it is reported by a standoff group on ``<target>``)."""

    label: str
    finding: Finding
    local: Span | None


def _local(unit: Segment, span: Span) -> Span | None:
    if unit.target is not None and unit.target.contains(span) and len(span):
        return span.shift(-unit.target.start)
    return None


def _home(units: Sequence[Segment], item: Item) -> Segment:
    """Return the unit that answers for an item: the one holding the source sentence it starts
    in, or the one whose target holds the start of a target-side item."""
    if not item.on_source:
        point = Span(item.anchor, item.anchor + 1)
        return next((u for u in units if _local(u, point) is not None), units[-1])
    return units[index_at([u.sources[0].start for u in units], item.anchor)]


def placements(report: CheckReport, units: Sequence[Segment]) -> dict[str, list[_Placed]]:
    """Return the findings of ``report`` by the id of the unit that carries them."""
    placed: dict[str, list[_Placed]] = {u.id: [] for u in units}
    for item in check_items(report):
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
        last = ET.SubElement(parent, _x("mrk"), attrs)
        _fill(last, text, span.start, span.end, inner)
        cursor = span.end
    if last is None:
        parent.text = (parent.text or "") + text[cursor:hi]
    else:
        last.tail = text[cursor:hi]


@dataclass(frozen=True, slots=True)
class _Context:
    report: CheckReport
    machine: bool
    alternatives: Mapping[str, str]
    signature: str


def _target(
    unit_el: ET.Element, unit: Segment, span: Span, ctx: _Context, placed: Sequence[_Placed]
) -> list[tuple[str, list[_Placed]]]:
    """Add ``<target>`` (the translation's ``span``) with its ``<mrk>``s; return the standoff
    groups it refers to."""
    content = _clean(span.of(ctx.report.target_text))
    attrs = {f"{{{XML_NS}}}lang": ctx.report.lang}
    if ctx.machine:
        attrs |= {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}
    else:
        attrs["state"] = "needs-review-translation" if placed else "translated"
    target = ET.SubElement(unit_el, _x("target"), attrs)
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


def _note(parent: ET.Element, text: str, priority: int, annotates: str) -> None:
    attrs = {"from": "aligner", "priority": str(priority), "annotates": annotates}
    ET.SubElement(parent, _x("note"), attrs).text = _clean(text)


def _unit_element(parent: ET.Element, unit: Segment, ctx: _Context, placed: Sequence[_Placed]) -> None:
    report = ctx.report
    quotes = [q.id for q in report.quotes if any(p.overlaps(s) for p in q.source_parts for s in unit.sources)]
    attrs = {"id": unit.id, f"{{{XML_NS}}}space": "preserve"}
    if quotes:
        attrs["resname"] = " ".join(quotes)
    el = ET.SubElement(parent, _x("trans-unit"), attrs)
    source = ET.SubElement(el, _x("source"), {f"{{{XML_NS}}}lang": "en"})
    source.text = _clean(source_text(report, unit))
    groups = _target(el, unit, unit.target, ctx, placed) if unit.target is not None else []
    if unit.merged:
        count = len(unit.sources)
        _note(el, f"the translation renders these {count} source sentences as one", 5, "general")
    if unit.target is None:
        _note(el, "the translation leaves this sentence out", 1, "general")
    for p in placed:
        _note(el, _note_text(p), NOTE_PRIORITY[p.finding.severity], "target")
    raw = ctx.alternatives.get(source.text.strip())
    if raw is not None and unit.target is not None and raw != unit.target.of(report.target_text):
        alt = ET.SubElement(el, _x("alt-trans"), {"origin": "mt-raw", "tool-id": "aligner"})
        ET.SubElement(alt, _x("target"), {f"{{{XML_NS}}}lang": report.lang}).text = _clean(raw)
        _note(alt, f"the engine's own output ({ctx.signature}), before aligner composed it", 3, "general")
    for gid, group in groups:
        _issues_group(el, gid, group)


def _indent(el: ET.Element, level: int = 0) -> None:
    """Indent the structural elements only: whitespace inside ``<source>``, ``<target>``,
    ``<note>`` or the skeleton would change the text."""
    structural = ("xliff", "file", "header", "body", "group", "trans-unit", "alt-trans", "locQualityIssues")
    if el.tag.split("}")[-1] not in structural:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        _indent(child, level + 1)
    if len(el):
        el[-1].tail = pad[:-2]


def check_xliff(
    report: CheckReport,
    source: str = "",
    translation: str = "",
    *,
    machine: bool = False,
    alternatives: Mapping[str, str] | None = None,
    signature: str = "",
) -> str:
    """Return an XLIFF 1.2 document of a check (see the module note).

    Args:
        report: The check report.
        source: The source file's name (``<file original>``).
        translation: The translation file's name (in the header note).
        machine: The translation is machine output to review (``translate``/``batch``).
        alternatives: The engine's own output by source string, for ``<alt-trans>``.
        signature: The engine's signature, named in the ``<alt-trans>`` notes.
    """
    ctx = _Context(report, machine, alternatives or {}, signature)
    # ElementTree declares only the namespaces it uses; itsxlf is declared for tools that expect
    # the W3C mapping's prefix set, so it goes in as a plain attribute.
    root = ET.Element(
        _x("xliff"), {"version": "1.2", f"{{{ITS_NS}}}version": "2.0", "xmlns:itsxlf": ITSXLF_NS}
    )
    file_attrs = {
        "original": _clean(source or "article"),
        "source-language": "en",
        "target-language": report.lang,
        "datatype": "plaintext",
        "tool-id": "aligner",
    }
    file_el = ET.SubElement(root, _x("file"), file_attrs)
    header = ET.SubElement(file_el, _x("header"))
    units = segments(report)
    skl = {"schema": SKELETON_SCHEMA, "parts": skeleton(report.target_text, units)}
    ET.SubElement(
        ET.SubElement(header, _x("skl")), _x("internal-file"), {"form": SKELETON_FORM}
    ).text = _clean(json.dumps(skl, ensure_ascii=False))
    ET.SubElement(
        header, _x("tool"), {"tool-id": "aligner", "tool-name": "aligner", "tool-version": __version__}
    )
    s = report.summary
    summary = (
        f"translation: {translation or '-'}; {plural(s.quotes, 'quotation')} "
        f"({s.ok} ok, {s.altered} altered, {s.missing} missing), {s.extra_quotes} extra, "
        f"{plural(s.errors, 'error')}, {plural(s.warnings, 'warning')}, "
        f"score {s.score:.2f}; signature: {report.signature}"
    )
    ET.SubElement(header, _x("note"), {"from": "aligner", "annotates": "general"}).text = _clean(summary)
    body = ET.SubElement(file_el, _x("body"))
    placed = placements(report, units) if units else {}
    para: ET.Element | None = None
    para_index = -1
    for unit in units:
        if para is None or unit.paragraph != para_index:
            para_index = unit.paragraph
            line = report.article.paragraphs[para_index].line
            para = ET.SubElement(
                body,
                _x("group"),
                {"id": f"p{para_index + 1}", "restype": "x-paragraph", "resname": f"line {line}"},
            )
        parent = para
        if unit.merged:
            parent = ET.SubElement(
                para,
                _x("group"),
                {"id": f"g-{unit.id}", "restype": "x-merged-sentences", "merged-trans": "yes"},
            )
        _unit_element(parent, unit, ctx, placed[unit.id])
    _indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
