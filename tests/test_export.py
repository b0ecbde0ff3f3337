"""The HTML and XLIFF check reports (aligner/export.py), on the seed article and edited copies.

HTML is parsed with lxml.html. XLIFF is parsed with lxml and validated against a subset of the
OASIS XLIFF 1.2 strict schema (``xliff-core-1.2-strict.xsd``), transcribed by hand below for the
elements ``check_xliff`` writes, plus an ITS 2.0 LQI schema: no installed package ships the
full strict XSD, and tests run offline. The structural rules are also checked one by one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no stubs; sacrebleu depends on it
import lxml.html  # type: ignore[import-untyped]
import pytest
from conftest import SEEDS, Seed
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.check.checker import CheckReport, Finding, Severity, Status, check_translation
from aligner.cli.app import app
from aligner.report.export import Tag, check_html, check_xliff, highlight
from aligner.spans import Span

XLF = "urn:oasis:names:tc:xliff:document:1.2"
ITS = "http://www.w3.org/2005/11/its"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"x": XLF, "its": ITS}
# ITS 2.0 §8.15 "Localization Quality Issue", the closed list of locQualityIssueType values.
ITS_TYPES = {
    "terminology", "mistranslation", "omission", "untranslated", "addition", "duplication",
    "inconsistency", "grammar", "legal", "register", "locale-specific-content", "locale-violation",
    "style", "characters", "misspelling", "typographical", "formatting", "inconsistent-entities",
    "numbers", "markup", "pattern-problem", "whitespace", "internationalization", "length",
    "non-conformance", "uncategorized", "other",
}  # fmt: skip
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> &amp;'


@dataclass(frozen=True, slots=True)
class Variant:
    """A source, a translation and the check report of the pair."""

    en: str
    target: str
    lang: str
    report: CheckReport


def _edit_lines(text: str, edits: dict[int, str | None]) -> str:
    """Replace (or, for None, delete) lines of a seed text by 0-based index."""
    lines = text.split("\n")
    for index in sorted(edits, reverse=True):
        new = edits[index]
        if new is None:
            del lines[index]
        else:
            lines[index] = new
    return "\n".join(lines)


def _variants(seed: Seed) -> dict[str, tuple[str, str, str]]:
    uk, ko = seed.lines("uk"), seed.lines("ko")
    hostile_en = seed.en.replace(
        "North Korean casualties in Ukraine", f"North Korean casualties {HOSTILE} in Ukraine"
    ).replace("told us that the pilots", "told us <script>alert(1)</script> that the pilots")
    hostile_uk = _edit_lines(
        seed.uk,
        {
            # q1 told without marks, with markup in it
            7: "Рі сказав, що представники <script>alert(1)</script> Міністерства безпеки казали, що пілоти дронів — південнокорейські солдати.",
            # an invented quotation with markup inside the marks
            10: uk[10]
            + " «Ми <img src=x onerror=alert(2)> ніколи не здамося &amp; воюватимемо до кінця», — заявив один із солдатів.",
            13: 'Втрати <script>alert(1)</script> "><img src=x onerror=alert(2)> &amp; Кореї',
        },
    )
    return {
        "uk": (seed.en, seed.uk, "uk"),
        "ko": (seed.en, seed.ko, "ko"),
        "uk-number": (seed.en, seed.uk.replace("80%", "70%"), "uk"),
        "ko-number": (seed.en, seed.ko.replace("80%", "70%"), "ko"),
        # two paragraphs of the translation on one line: 13 target paragraphs for 14
        "uk-merged": (seed.en, _edit_lines(seed.uk, {8: f"{uk[8]} {uk[9]}", 9: None}), "uk"),
        "ko-merged": (seed.en, _edit_lines(seed.ko, {8: f"{ko[8]} {ko[9]}", 9: None}), "ko"),
        "uk-hostile": (hostile_en, hostile_uk, "uk"),
    }


@pytest.fixture(scope="module")
def variants(seed: Seed) -> dict[str, Variant]:
    built = {}
    for name, (en, target, lang) in _variants(seed).items():
        built[name] = Variant(en, target, lang, check_translation(parse_article(en), target, lang))
    return built


NAMES = ["uk", "ko", "uk-number", "ko-number", "uk-merged", "ko-merged", "uk-hostile"]


def _labelled(report: CheckReport) -> list[tuple[str, Finding]]:
    """Every finding with the label the exports give it (q1, a1, or the target quotation's id)."""
    ids = {tq.span: tq.id for tq in report.alignment.target.quotes}
    return [
        *((q.id, f) for q in report.quotes for f in q.findings),
        *((a.id, f) for a in report.attributions for f in a.findings),
        *((ids[e.target_span], f) for e in report.extra_quotes for f in e.findings),
    ]


# --- HTML ---------------------------------------------------------------------------------------


def _page(v: Variant, source: str = "en.txt", translation: str = "tr.txt") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(check_html(v.report, source, translation))


def _text(el: lxml.html.HtmlElement) -> str:
    return str(el.text_content())


@pytest.mark.parametrize("name", NAMES)
def test_html_is_self_contained(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    doc = check_html(v.report, "en.txt", "tr.txt")
    page = lxml.html.document_fromstring(doc)
    assert doc.startswith("<!DOCTYPE html>")
    assert page.get("lang") == "en"
    assert page.xpath("//meta[@charset='utf-8']")
    assert page.xpath("//style")
    assert not page.xpath("//script|//link|//img|//iframe|//*[@src]")
    assert all(href.startswith("#") for href in page.xpath("//@href"))
    assert {el.get("lang") for el in page.xpath("//div[@class='tgt']")} == {v.lang}
    assert {el.get("lang") for el in page.xpath("//div[@class='src']")} == {"en"}


@pytest.mark.parametrize("name", NAMES)
def test_html_paragraphs_round_trip_in_order(variants: dict[str, Variant], name: str) -> None:
    """Every paragraph of both texts is shown once, in order, with exactly its text (the quote
    labels come from CSS, not from the DOM)."""
    v = variants[name]
    page = _page(v)
    for side, text, paragraphs in (
        ("en", v.en, v.report.article.paragraphs),
        ("tr", v.target, v.report.alignment.target.paragraphs),
    ):
        shown = page.xpath(f"//p[starts-with(@id, '{side}-p')]")
        assert [p.get("id") for p in shown] == [f"{side}-p{para.line}" for para in paragraphs]
        assert [_text(p) for p in shown] == [para.span.of(text) for para in paragraphs]


def test_html_escapes_hostile_text_and_names(variants: dict[str, Variant]) -> None:
    v = variants["uk-hostile"]
    assert any("<img src=x" in f.message for _, f in _labelled(v.report))  # markup reaches messages
    source = 'en"><script>alert(3)</script>.txt'
    doc = check_html(v.report, source, "tr&amp;.txt")
    page = lxml.html.document_fromstring(doc)
    assert not page.xpath("//script|//img")
    assert "<script" not in doc and "<img" not in doc
    assert not [a for a in page.xpath("//@*") if "onerror" in a.attrname]
    assert [_text(c) for c in page.xpath("//p[@class='files']/code")] == [source, "tr&amp;.txt"]
    assert HOSTILE in _text(page.xpath("//p[@id='en-p14']")[0])
    assert "<script>alert(1)</script>" in _text(page.xpath("//p[@id='tr-p14']")[0])
    titles = " ".join(page.xpath("//@title"))
    assert "<img src=x onerror=alert(2)>" in titles  # attribute values round-trip too


@pytest.mark.parametrize("name", NAMES)
def test_html_quote_pairs_share_colour_and_ids(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    page = _page(v)
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for n, q in enumerate(v.report.quotes):
        src = page.xpath(f"//div[@class='src']//mark[@data-quote='{q.id}']")
        tgt = page.xpath(f"//div[@class='tgt']//mark[@data-quote='{q.id}']")
        assert src and src[0].get("id") == f"en-{q.id}"
        assert len(src) >= len(q.source_parts)
        assert f"c{n % 8 + 1}" in src[0].get("class").split()
        if q.target_parts:
            assert tgt[0].get("id") == f"tr-{q.id}"
            assert {m.get("class") for m in tgt} == {m.get("class") for m in src}
            assert "".join(_text(m) for m in tgt).replace(" ", "") == "".join(
                p.of(v.target) for p in q.target_parts
            ).replace(" ", "")
        else:
            assert not tgt
        badge = page.xpath(f"//div[@id='card-{q.id}']//span[contains(@class, 'badge')]")
        assert _text(badge[0]) == q.status.value


@pytest.mark.parametrize("name", NAMES)
def test_html_findings_beside_their_quote(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    page = _page(v)
    for label, finding in _labelled(v.report):
        card = page.xpath(f"//div[@id='card-{label}']")[0]
        items = card.xpath(f".//li[@class='sev-{finding.severity.value}']")
        assert any(finding.message in _text(li) for li in items), (label, finding.message)
        row = card.xpath("ancestor::section")[0]
        mark = page.xpath(f"//*[@id='en-{label}' or @id='tr-{label}']")
        if mark:
            assert mark[0].xpath("ancestor::section")[0] is row


@pytest.mark.parametrize("name", ["uk-number", "ko-number"])
def test_html_shows_a_changed_number(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    page = _page(v)
    card = page.xpath("//div[@id='card-q2']")[0]
    assert _text(card.xpath(".//span[contains(@class, 'badge')]")[0]) == "altered"
    errors = [_text(li) for li in card.xpath(".//li[@class='sev-error']")]
    assert any("80" in e and "70" in e for e in errors)
    assert page.xpath("//div[@class='tgt']//span[@class='issue sev-error']")
    score = _text(page.xpath("//div[contains(@class, 'score')]/b")[0])
    assert score == f"{v.report.summary.score:.2f}" and v.report.summary.score < 1
    assert page.xpath("//div[contains(@class, 'worst-error')]")
    assert v.report.signature in _text(page.xpath("//p[@class='signature']")[0])


def test_html_shows_missing_and_invented_quotations(variants: dict[str, Variant]) -> None:
    v = variants["uk-hostile"]
    page = _page(v)
    (q1,) = [q for q in v.report.quotes if q.id == "q1"]
    assert q1.status is Status.MISSING
    assert "st-missing" in page.xpath("//mark[@id='en-q1']")[0].get("class").split()
    assert page.xpath("//mark[@id='en-q1']")[0].get("data-label") == "q1 missing"
    extras = page.xpath("//div[@class='tgt']//mark[contains(@class, 'extra')]")
    invented = [m for m in extras if "sev-error" in m.get("class").split()]
    assert invented and "ніколи не здамося" in _text(invented[0])
    card = page.xpath(f"//div[@id='card-{invented[0].get('data-label')}']")[0]
    assert "invented speech" in _text(card)


def test_html_rows_follow_the_alignment_when_paragraph_counts_differ(variants: dict[str, Variant]) -> None:
    v = variants["uk-merged"]
    assert len(v.report.article.paragraphs) == len(v.report.alignment.target.paragraphs) + 1
    rows = [[p.get("id") for p in row.xpath(".//p[@id]")] for row in _page(v).xpath("//section")]
    # source lines 9 and 10 (two paragraphs) are translated on target line 9 (one paragraph)
    assert ["en-p9", "en-p10", "tr-p9"] in rows


HIGHLIGHT_CASES = [
    # (text, span, tags as (start, end, id, layer), expected)
    ("abcdef", (0, 6), [], "abcdef"),
    ("abcdef", (0, 6), [(0, 6, "a", 0), (2, 4, "b", 0)], '<m id="a">ab<m id="b">cd</m>ef</m>'),
    # overlap: b is closed with a and reopened without its id
    ("abcdef", (0, 6), [(0, 4, "a", 0), (2, 6, "b", 0)], '<m id="a">ab<m id="b">cd</m></m><m>ef</m>'),
    # same span: the lower layer outside
    ("abcdef", (0, 6), [(1, 3, "b", 1), (1, 3, "a", 0)], 'a<m id="a"><m id="b">bc</m></m>def'),
    # a tag crossing the paragraph's edges is clipped to it
    ("xxabcyy", (2, 5), [(0, 4, "a", 0)], '<m id="a">ab</m>c'),
    ("abc", (0, 3), [(1, 1, "e", 0), (5, 9, "far", 0)], "abc"),
    (
        "<b>&\"'",
        (0, 7),
        [(1, 2, "a", 0)],
        '&lt;<m id="a">b</m>&gt;&amp;&quot;&#x27;',
    ),
]


@pytest.mark.parametrize(
    ("text", "span", "tags", "expected"),
    HIGHLIGHT_CASES,
    ids=["none", "nested", "overlap", "same-span", "clipped", "empty-and-outside", "escaped"],
)
def test_highlight(
    text: str, span: tuple[int, int], tags: list[tuple[int, int, str, int]], expected: str
) -> None:
    made = [Tag(Span(s, e), "m", (("id", i),), (), layer) for s, e, i, layer in tags]
    out = highlight(text, Span(*span), made)
    assert out == expected
    parsed = lxml.etree.fromstring(f"<p>{out}</p>")  # well formed
    assert "".join(parsed.itertext()) == text[span[0] : span[1]]


def test_cli_writes_html_and_exits_1_on_an_error(variants: dict[str, Variant], tmp_path: Path) -> None:
    translation = tmp_path / "tr.uk.txt"
    translation.write_text(variants["uk-number"].target, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(SEEDS / "nk-soldier.en.txt"),
            str(translation),
            "--lang",
            "uk",
            "-f",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "numbers in the quotation differ" in out.read_text(encoding="utf-8")


# --- XLIFF --------------------------------------------------------------------------------------


def _xliff(v: Variant, source: str = "en.txt") -> lxml.etree._Element:
    doc = check_xliff(v.report, source, "tr.txt")
    assert doc.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return lxml.etree.fromstring(doc.encode("utf-8"))


def _local(el: lxml.etree._Element) -> str:
    return str(lxml.etree.QName(el).localname)


def _units(root: lxml.etree._Element) -> list[lxml.etree._Element]:
    return list(root.iterfind(".//x:trans-unit", NS))


def _target_text(unit: lxml.etree._Element) -> str:
    return "".join(unit.find("x:target", NS).itertext())


def _issues(root: lxml.etree._Element) -> list[dict[str, str]]:
    """Every LQI of the document: inline attributes (its: names) and standoff issues."""
    inline = [
        {k.split("}")[1]: v for k, v in el.attrib.items() if k.startswith(f"{{{ITS}}}locQualityIssue")}
        for el in root.iter()
        if el.get(f"{{{ITS}}}locQualityIssueType") is not None
    ]
    standoff = [dict(el.attrib) for el in root.iterfind(".//its:locQualityIssue", NS)]
    return inline + standoff


@pytest.mark.parametrize("name", NAMES)
def test_xliff_root_and_file(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    root = _xliff(v)
    assert root.tag == f"{{{XLF}}}xliff"
    assert root.get("version") == "1.2" and root.get(f"{{{ITS}}}version") == "2.0"
    assert root.nsmap == {None: XLF, "its": ITS, "itsxlf": "http://www.w3.org/ns/its-xliff/"}
    (file_el,) = root
    assert dict(file_el.attrib) == {
        "original": "en.txt",
        "source-language": "en",
        "target-language": v.lang,
        "datatype": "plaintext",
        "tool-id": "aligner",
    }
    assert v.report.signature in file_el.find("x:header/x:note", NS).text


@pytest.mark.parametrize("name", NAMES)
def test_xliff_one_unit_per_source_sentence(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    units = _units(_xliff(v))
    sentences = [s for p in v.report.article.paragraphs for s in p.sentences]
    assert [u.get("id") for u in units] == [f"s{k}" for k in range(1, len(sentences) + 1)]
    assert [u.find("x:source", NS).text for u in units] == [s.of(v.en) for s in sentences]
    for unit in units:
        order = " ".join(_local(c) for c in unit)
        assert re.fullmatch(r"source target( note)*( locQualityIssues)*", order), order


@pytest.mark.parametrize("name", NAMES)
def test_xliff_targets_hold_every_aligned_sentence_once(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    units = _units(_xliff(v))
    targets = [_target_text(u) for u in units]
    for pair in v.report.alignment.sentences:
        for sentence in pair.target:
            assert sum(sentence.of(v.target) in t for t in targets) == 1
    for unit, text in zip(units, targets, strict=True):
        state = unit.find("x:target", NS).get("state")
        findings = [n for n in unit.iterfind("x:note", NS) if n.get("annotates") == "target"]
        merged = [n for n in unit.iterfind("x:note", NS) if n.get("annotates") == "general"]
        if findings:
            assert state == "needs-review-translation"
        elif text:
            assert state == "translated"
        elif merged:  # rendered together with an earlier sentence, named in the note
            assert state == "translated"
            (into,) = re.findall(r"unit (s\d+)", merged[0].text)
            assert targets[int(into[1:]) - 1]
        else:
            assert state == "needs-translation"


@pytest.mark.parametrize("name", NAMES)
def test_xliff_notes_carry_every_finding(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    notes = [n for n in _xliff(v).iterfind(".//x:trans-unit/x:note", NS) if n.get("annotates") == "target"]
    priority = {Severity.ERROR: "1", Severity.WARNING: "2", Severity.INFO: "3"}
    expected = Counter(
        (f"{label} [{f.check}/{f.severity.value}] {f.message}", priority[f.severity])
        for label, f in _labelled(v.report)
    )
    assert Counter((n.text, n.get("priority")) for n in notes) == expected
    assert all(n.get("from") == "aligner" for n in notes)


@pytest.mark.parametrize("name", NAMES)
def test_xliff_its_quality_issues(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    root = _xliff(v)
    issues = _issues(root)
    assert len(issues) == len(_labelled(v.report))
    for issue in issues:
        assert issue["locQualityIssueType"] in ITS_TYPES
        assert 0 <= float(issue["locQualityIssueSeverity"]) <= 100
        assert issue["locQualityIssueComment"]
    xml_ids = [el.get(XML_ID) for el in root.iter() if el.get(XML_ID)]
    assert len(xml_ids) == len(set(xml_ids))
    for unit in _units(root):
        local_ids = {g.get(XML_ID) for g in unit.iterfind("its:locQualityIssues", NS)}
        refs = [el.get(f"{{{ITS}}}locQualityIssuesRef") for el in unit.iter()]
        assert {r[1:] for r in refs if r} == local_ids
    assert all(m.get("mtype") == "x-its" for m in root.iterfind(".//x:mrk", NS))


@pytest.mark.parametrize("name", ["uk-number", "ko-number"])
def test_xliff_marks_the_changed_number_in_its_unit(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    (q2,) = [q for q in v.report.quotes if q.id == "q2"]
    (finding,) = q2.findings
    assert finding.target_span is not None
    (mrk,) = _xliff(v).iterfind(".//x:mrk", NS)
    assert "".join(mrk.itertext()) == finding.target_span.of(v.target)
    assert mrk.get(f"{{{ITS}}}locQualityIssueType") == "numbers"
    assert mrk.get(f"{{{ITS}}}locQualityIssueSeverity") == "90"
    unit = mrk.xpath("ancestor::x:trans-unit", namespaces=NS)[0]
    assert "q2" in unit.get("resname").split()
    assert unit.find("x:target", NS).get("state") == "needs-review-translation"


def test_xliff_resname_names_the_quotations_of_a_unit(variants: dict[str, Variant]) -> None:
    v = variants["uk"]
    units = _units(_xliff(v))
    sentences = [s for p in v.report.article.paragraphs for s in p.sentences]
    for unit, sentence in zip(units, sentences, strict=True):
        expected = [q.id for q in v.report.quotes if any(p.overlaps(sentence) for p in q.source_parts)]
        assert (unit.get("resname") or "").split() == expected
    assert any(u.get("resname") == "q1" for u in units)


def test_xliff_places_overlapping_and_unplaced_findings_in_standoff(
    variants: dict[str, Variant], schema: lxml.etree.XMLSchema
) -> None:
    """Several findings on one span share a standoff group; one overlapping another, one with no
    span and an unknown type go to the group that ``<target>`` names."""
    v = variants["uk"]
    (q2,) = [q for q in v.report.quotes if q.id == "q2"]
    part = q2.target_parts[0]
    inner = Span(part.start + 5, part.start + 15)
    crossing = Span(part.start + 10, part.start + 25)
    findings = (
        Finding("numbers", Severity.ERROR, "same span one", "numbers", inner),
        Finding("names", Severity.WARNING, "same span two", "inconsistent-entities", inner),
        Finding("boundary", Severity.WARNING, "crossing", "omission", crossing),
        Finding("presence", Severity.INFO, "nowhere", "quote-drift", None),
    )
    report = replace(
        v.report, quotes=tuple(replace(q, findings=findings) if q is q2 else q for q in v.report.quotes)
    )
    root = lxml.etree.fromstring(check_xliff(report).encode("utf-8"))
    (mrk,) = root.iterfind(".//x:mrk", NS)
    assert "".join(mrk.itertext()) == inner.of(v.target)
    unit = mrk.xpath("ancestor::x:trans-unit", namespaces=NS)[0]
    groups = {g.get(XML_ID): [dict(i.attrib) for i in g] for g in unit.iterfind("its:locQualityIssues", NS)}
    on_mrk = groups[mrk.get(f"{{{ITS}}}locQualityIssuesRef")[1:]]
    on_target = groups[unit.find("x:target", NS).get(f"{{{ITS}}}locQualityIssuesRef")[1:]]
    assert [i["locQualityIssueComment"] for i in on_mrk] == ["q2: same span one", "q2: same span two"]
    assert [(i["locQualityIssueComment"], i["locQualityIssueType"]) for i in on_target] == [
        ("q2: crossing", "omission"),
        ("q2: nowhere", "other"),
    ]
    assert [i["locQualityIssueSeverity"] for i in on_mrk + on_target] == ["90", "50", "50", "10"]
    schema.assertValid(root)


def test_xliff_replaces_characters_xml_forbids(variants: dict[str, Variant]) -> None:
    v = variants["uk"]
    target = v.target.replace("Втрати", "Втрати\x0b\x01", 1)
    report = check_translation(v.report.article, target, "uk")
    doc = check_xliff(report, "a\x02.txt")
    root = lxml.etree.fromstring(doc.encode("utf-8"))
    assert "Втрати\ufffd\ufffd" in "".join(root.itertext())
    assert root[0].get("original") == "a\ufffd.txt"


def test_xliff_keeps_markup_as_text(variants: dict[str, Variant]) -> None:
    v = variants["uk-hostile"]
    root = _xliff(v)
    assert not root.xpath("//*[local-name()='script' or local-name()='img']")
    text = "".join(root.itertext())
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)> &amp;' in text


# A subset of xliff-core-1.2-strict.xsd (OASIS, 2008): the content models and attribute types of
# the elements check_xliff writes, transcribed by hand; extension points stay "strict", so every
# its: attribute and element must validate against ITS_XSD.
XLIFF_XSD = """<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xlf="urn:oasis:names:tc:xliff:document:1.2"
  targetNamespace="urn:oasis:names:tc:xliff:document:1.2" elementFormDefault="qualified">
  <xsd:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
  <xsd:import namespace="http://www.w3.org/2005/11/its" schemaLocation="its.xsd"/>
  <xsd:simpleType name="XTend"><xsd:restriction base="xsd:string"><xsd:pattern value="x-[^\\s]+"/></xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="state"><xsd:union memberTypes="xlf:XTend"><xsd:simpleType><xsd:restriction base="xsd:NMTOKEN">
    <xsd:enumeration value="final"/><xsd:enumeration value="needs-adaptation"/><xsd:enumeration value="needs-l10n"/>
    <xsd:enumeration value="needs-review-adaptation"/><xsd:enumeration value="needs-review-l10n"/>
    <xsd:enumeration value="needs-review-translation"/><xsd:enumeration value="needs-translation"/>
    <xsd:enumeration value="new"/><xsd:enumeration value="signed-off"/><xsd:enumeration value="translated"/>
  </xsd:restriction></xsd:simpleType></xsd:union></xsd:simpleType>
  <xsd:simpleType name="priority"><xsd:restriction base="xsd:positiveInteger"><xsd:maxInclusive value="10"/></xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="annotates"><xsd:restriction base="xsd:NMTOKEN">
    <xsd:enumeration value="source"/><xsd:enumeration value="target"/><xsd:enumeration value="general"/>
  </xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="datatype"><xsd:union memberTypes="xlf:XTend"><xsd:simpleType><xsd:restriction base="xsd:NMTOKEN">
    <xsd:enumeration value="plaintext"/></xsd:restriction></xsd:simpleType></xsd:union></xsd:simpleType>
  <xsd:simpleType name="mtype"><xsd:union memberTypes="xlf:XTend"><xsd:simpleType><xsd:restriction base="xsd:NMTOKEN">
    <xsd:enumeration value="protected"/><xsd:enumeration value="seg"/><xsd:enumeration value="term"/>
  </xsd:restriction></xsd:simpleType></xsd:union></xsd:simpleType>
  <xsd:element name="xliff"><xsd:complexType><xsd:sequence maxOccurs="unbounded">
      <xsd:any maxOccurs="unbounded" minOccurs="0" namespace="##other" processContents="strict"/>
      <xsd:element ref="xlf:file"/></xsd:sequence>
    <xsd:attribute name="version" use="required"><xsd:simpleType><xsd:restriction base="xsd:string">
      <xsd:enumeration value="1.2"/></xsd:restriction></xsd:simpleType></xsd:attribute>
    <xsd:attribute ref="xml:lang"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType></xsd:element>
  <xsd:element name="file"><xsd:complexType><xsd:sequence>
      <xsd:element minOccurs="0" ref="xlf:header"/><xsd:element ref="xlf:body"/></xsd:sequence>
    <xsd:attribute name="original" type="xsd:string" use="required"/>
    <xsd:attribute name="source-language" type="xsd:language" use="required"/>
    <xsd:attribute name="datatype" type="xlf:datatype" use="required"/>
    <xsd:attribute name="tool-id" type="xsd:string"/>
    <xsd:attribute name="target-language" type="xsd:language"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType>
    <xsd:key name="K_unit_id"><xsd:selector xpath=".//xlf:trans-unit"/><xsd:field xpath="@id"/></xsd:key>
    <xsd:key name="K_tool-id"><xsd:selector xpath="xlf:header/xlf:tool"/><xsd:field xpath="@tool-id"/></xsd:key>
    <xsd:keyref name="KR_file_tool-id" refer="xlf:K_tool-id"><xsd:selector xpath="."/><xsd:field xpath="@tool-id"/></xsd:keyref>
  </xsd:element>
  <xsd:element name="header"><xsd:complexType><xsd:sequence>
      <xsd:choice maxOccurs="unbounded" minOccurs="0"><xsd:element ref="xlf:note"/><xsd:element ref="xlf:tool"/></xsd:choice>
      <xsd:any maxOccurs="unbounded" minOccurs="0" namespace="##other" processContents="strict"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  <xsd:element name="tool"><xsd:complexType mixed="true"><xsd:sequence>
      <xsd:any namespace="##any" processContents="strict" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence>
    <xsd:attribute name="tool-id" type="xsd:string" use="required"/>
    <xsd:attribute name="tool-name" type="xsd:string" use="required"/>
    <xsd:attribute name="tool-version" type="xsd:string"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType></xsd:element>
  <xsd:element name="note"><xsd:complexType><xsd:simpleContent><xsd:extension base="xsd:string">
    <xsd:attribute ref="xml:lang"/>
    <xsd:attribute default="1" name="priority" type="xlf:priority"/>
    <xsd:attribute name="from" type="xsd:string"/>
    <xsd:attribute default="general" name="annotates" type="xlf:annotates"/>
  </xsd:extension></xsd:simpleContent></xsd:complexType></xsd:element>
  <xsd:element name="body"><xsd:complexType><xsd:choice maxOccurs="unbounded" minOccurs="0">
    <xsd:element maxOccurs="unbounded" minOccurs="0" ref="xlf:trans-unit"/></xsd:choice></xsd:complexType></xsd:element>
  <xsd:element name="trans-unit"><xsd:complexType><xsd:sequence>
      <xsd:element ref="xlf:source"/><xsd:element minOccurs="0" ref="xlf:target"/>
      <xsd:choice maxOccurs="unbounded" minOccurs="0"><xsd:element ref="xlf:note"/></xsd:choice>
      <xsd:any maxOccurs="unbounded" minOccurs="0" namespace="##other" processContents="strict"/></xsd:sequence>
    <xsd:attribute name="id" type="xsd:string" use="required"/>
    <xsd:attribute name="resname" type="xsd:string"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType></xsd:element>
  <xsd:complexType name="text" mixed="true">
    <xsd:choice maxOccurs="unbounded" minOccurs="0"><xsd:element ref="xlf:mrk"/></xsd:choice>
    <xsd:attribute ref="xml:lang"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType>
  <xsd:element name="source" type="xlf:text"/>
  <xsd:element name="target"><xsd:complexType mixed="true">
    <xsd:choice maxOccurs="unbounded" minOccurs="0"><xsd:element ref="xlf:mrk"/></xsd:choice>
    <xsd:attribute name="state" type="xlf:state"/>
    <xsd:attribute ref="xml:lang"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType></xsd:element>
  <xsd:element name="mrk"><xsd:complexType mixed="true">
    <xsd:choice maxOccurs="unbounded" minOccurs="0"><xsd:element ref="xlf:mrk"/></xsd:choice>
    <xsd:attribute name="mtype" type="xlf:mtype" use="required"/>
    <xsd:attribute name="comment" type="xsd:string"/>
    <xsd:anyAttribute namespace="##other" processContents="strict"/></xsd:complexType></xsd:element>
</xsd:schema>"""

# ITS 2.0 Localization Quality Issue: the local attributes (its: prefixed on XLIFF elements)
# and the standoff elements, with the closed type list and severity as a decimal 0-100.
ITS_XSD = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:its="{ITS}" targetNamespace="{ITS}"
  elementFormDefault="qualified">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
  <xs:simpleType name="type"><xs:restriction base="xs:string">
    {"".join(f'<xs:enumeration value="{t}"/>' for t in sorted(ITS_TYPES))}</xs:restriction></xs:simpleType>
  <xs:simpleType name="severity"><xs:restriction base="xs:decimal">
    <xs:minInclusive value="0"/><xs:maxInclusive value="100"/></xs:restriction></xs:simpleType>
  <xs:attribute name="version" type="xs:string" fixed="2.0"/>
  <xs:attribute name="locQualityIssueType" type="its:type"/>
  <xs:attribute name="locQualityIssueComment" type="xs:string"/>
  <xs:attribute name="locQualityIssueSeverity" type="its:severity"/>
  <xs:attribute name="locQualityIssuesRef" type="xs:anyURI"/>
  <xs:element name="locQualityIssues"><xs:complexType><xs:sequence>
    <xs:element ref="its:locQualityIssue" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute ref="xml:id" use="required"/></xs:complexType></xs:element>
  <xs:element name="locQualityIssue"><xs:complexType>
    <xs:attribute name="locQualityIssueType" type="its:type"/>
    <xs:attribute name="locQualityIssueComment" type="xs:string"/>
    <xs:attribute name="locQualityIssueSeverity" type="its:severity"/></xs:complexType></xs:element>
</xs:schema>"""

XML_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> lxml.etree.XMLSchema:
    folder = tmp_path_factory.mktemp("xsd")
    for name, text in (("xml.xsd", XML_XSD), ("its.xsd", ITS_XSD), ("xliff.xsd", XLIFF_XSD)):
        (folder / name).write_text(text, encoding="utf-8")
    return lxml.etree.XMLSchema(lxml.etree.parse(str(folder / "xliff.xsd")))


@pytest.mark.parametrize("name", NAMES)
def test_xliff_validates_against_the_schema_subset(
    variants: dict[str, Variant], schema: lxml.etree.XMLSchema, name: str
) -> None:
    schema.assertValid(_xliff(variants[name]))


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda u: u.append(u[0]), "source"),  # a second <source> after the notes
        (lambda u: u.find("x:target", NS).set("state", "done"), "state"),
        (
            lambda u: u.find("x:target", NS).set(f"{{{ITS}}}locQualityIssueType", "typo"),
            "locQualityIssueType",
        ),
    ],
    ids=["child-order", "state-value", "its-type"],
)
def test_schema_subset_rejects_broken_units(
    variants: dict[str, Variant], schema: lxml.etree.XMLSchema, edit: Callable[[Any], object], error: str
) -> None:
    root = _xliff(variants["uk"])
    edit(_units(root)[0])
    assert not schema.validate(root)
    assert error in str(schema.error_log)
