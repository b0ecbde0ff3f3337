"""The aligned pairs of a check as a TMX 1.4b translation memory.

Pure: a ``CheckReport`` in, a string out. One ``<tu>`` per aligned sentence unit (the units of
``report.xliff``: a translation that merges sentences gives one pair of several sentences) and one
per quotation the translation renders (its source and target parts, joined by a space), each with
``<prop type="x-aligner-kind">`` (sentence | quotation), ``<prop type="x-aligner-status">``
(sentences: ok or the worst finding's severity; quotations: ok, altered) and the unit or quotation
id as ``tuid``. Sentences the translation leaves out and missing quotations have no pair and are
left out. Built as an element tree (the standard library's, as the XLIFF writer: no third-party
package is needed to write it) and serialised in one go.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from aligner import __version__
from aligner.check.checker import CheckReport
from aligner.report.export import worst_of
from aligner.report.xliff import XML_NS, placements, segments, source_text

TMX_VERSION = "1.4"
_NOT_XML = str.maketrans(dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF], "\ufffd"))


def _tu(
    body: ET.Element, tuid: str, props: dict[str, str], pair: tuple[str, str], langs: tuple[str, str]
) -> None:
    tu = ET.SubElement(body, "tu", {"tuid": tuid})
    for kind, value in props.items():
        ET.SubElement(tu, "prop", {"type": kind}).text = value
    for lang, text in zip(langs, pair, strict=True):
        tuv = ET.SubElement(tu, "tuv", {f"{{{XML_NS}}}lang": lang})
        ET.SubElement(tuv, "seg").text = text.translate(_NOT_XML)


def check_tmx(report: CheckReport, source: str = "", translation: str = "") -> str:
    """Return a TMX 1.4b document of the sentence and quotation pairs of a check.

    Args:
        report: The check report.
        source: The source file's name (a header note).
        translation: The translation file's name (a header note).
    """
    root = ET.Element("tmx", {"version": TMX_VERSION})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
        },
    )
    ET.SubElement(header, "note").text = f"source: {source or '-'}; translation: {translation or '-'}"
    ET.SubElement(header, "prop", {"type": "x-aligner-signature"}).text = report.signature
    body = ET.SubElement(root, "body")
    langs = ("en", report.lang)
    units = segments(report)
    placed = placements(report, units) if units else {}
    for unit in units:
        if unit.target is None:
            continue
        worst = worst_of([p.finding for p in placed[unit.id]])
        status = worst.value if worst else "ok"
        pair = (source_text(report, unit), unit.target.of(report.target_text))
        _tu(body, unit.id, {"x-aligner-kind": "sentence", "x-aligner-status": status}, pair, langs)
    for q in report.quotes:
        if not q.target_parts:
            continue
        pair = (
            " ".join(p.of(report.article.text) for p in q.source_parts),
            " ".join(p.of(report.target_text) for p in q.target_parts),
        )
        _tu(body, q.id, {"x-aligner-kind": "quotation", "x-aligner-status": q.status.value}, pair, langs)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n{xml}\n'
