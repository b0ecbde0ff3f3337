"""The XLIFF 1.2 file of a check or a translation (aligner/report/xliff.py) and ``aligner merge``.

Every file is validated with lxml against the OASIS XLIFF 1.2 strict schema with the ITS 2.0
namespace given a schema (tests/data/schemas, see the README there), read back with
translate-toolkit (what CAT-tool pipelines and ``xliff2po`` use), and merged back into the target.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no stubs
import pytest
from conftest import SEEDS, Seed
from test_export import ITS, ITS_TYPES, NAMES, NS, XLF, Variant, _labelled, _variants
from translate.storage.xliff import Xliff1File
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.batch.flow import machine_output
from aligner.check.checker import Finding, Severity, check_translation
from aligner.cli.app import app
from aligner.report.files import render_check
from aligner.report.xliff import check_xliff, rebuild, segments, source_text
from aligner.spans import Span
from aligner.translate.pipeline import translate_article
from aligner.translate.protocol import IdentityTranslator

SCHEMAS = Path(__file__).parent / "data" / "schemas"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SKELETON = f"{{{XLF}}}internal-file"


@pytest.fixture(scope="module")
def variants(seed: Seed) -> dict[str, Variant]:
    return {
        name: Variant(en, target, lang, check_translation(parse_article(en), target, lang))
        for name, (en, target, lang) in _variants(seed).items()
    }


@pytest.fixture(scope="module")
def schema() -> lxml.etree.XMLSchema:
    """OASIS xliff-core-1.2-strict.xsd + the ITS 2.0 LQI schema (tests/data/schemas)."""
    return lxml.etree.XMLSchema(lxml.etree.parse(str(SCHEMAS / "xliff-its.xsd")))


def _doc(v: Variant, **kwargs: Any) -> str:
    doc = check_xliff(v.report, "en.txt", "tr.txt", **kwargs)
    assert doc.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return doc


def _xliff(v: Variant, **kwargs: Any) -> lxml.etree._Element:
    return lxml.etree.fromstring(_doc(v, **kwargs).encode("utf-8"))


def _units(root: lxml.etree._Element) -> list[lxml.etree._Element]:
    return list(root.iterfind(".//x:trans-unit", NS))


def _target_text(unit: lxml.etree._Element) -> str:
    target = unit.find("x:target", NS)
    return "" if target is None else "".join(target.itertext())


def _machine(seed: Seed, lang: str) -> str:
    """The machine-translation XLIFF of the seed, through the pipeline with the identity engine."""
    article = parse_article(seed.en)
    result = translate_article(article, lang, IdentityTranslator())
    report = check_translation(article, result.text, lang)
    return render_check(report, "xliff", "en.txt", "tr.txt", machine=machine_output(result))


# --- validity -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_check_xliff_validates_against_the_oasis_strict_schema(
    variants: dict[str, Variant], schema: lxml.etree.XMLSchema, name: str
) -> None:
    schema.assertValid(_xliff(variants[name]))


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_translate_xliff_validates_and_marks_machine_suggestions(
    seed: Seed, schema: lxml.etree.XMLSchema, lang: str
) -> None:
    root = lxml.etree.fromstring(_machine(seed, lang).encode("utf-8"))
    schema.assertValid(root)
    targets = root.findall(".//x:trans-unit/x:target", NS)
    assert targets and {(t.get("state"), t.get("state-qualifier")) for t in targets} == {
        ("needs-review-translation", "mt-suggestion")
    }
    for alt in root.findall(".//x:trans-unit/x:alt-trans", NS):  # only where it differs
        assert "".join(alt.find("x:target", NS).itertext()) != _target_text(alt.getparent())


def test_alt_trans_offers_the_engines_own_output_where_it_differs(variants: dict[str, Variant]) -> None:
    v = variants["uk"]
    units = segments(v.report)
    raw = {source_text(v.report, units[1]): "сирий вихід", source_text(v.report, units[2]): None}
    raw[source_text(v.report, units[2])] = units[2].target.of(v.target) if units[2].target else ""
    root = _xliff(v, machine=True, alternatives=raw, signature="model:x|rev:1")
    alts = {a.getparent().get("id"): a for a in root.iterfind(".//x:alt-trans", NS)}
    assert list(alts) == [units[1].id]  # the same text as the target is not offered again
    alt = alts[units[1].id]
    assert alt.get("origin") == "mt-raw" and alt.find("x:target", NS).text == "сирий вихід"
    assert "model:x|rev:1" in alt.find("x:note", NS).text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_translate_command_writes_valid_xliff_with_tiny_marian(
    tmp_path: Path, tiny_models: dict[str, Path], schema: lxml.etree.XMLSchema, lang: str
) -> None:
    out = tmp_path / "out"
    args = ["translate", str(SEEDS / "nk-soldier.en.txt"), "--to", lang, "--out", str(out)]
    args += ["--model", f"{lang}={tiny_models[f'en-{lang}']}", "--format", "xliff", "--engine-workers", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    root = lxml.etree.parse(str(out / f"nk-soldier.{lang}.check.xlf"))
    schema.assertValid(root)
    assert {t.get("state-qualifier") for t in root.iterfind(".//x:target", NS)} == {"mt-suggestion"}
    merged = tmp_path / "merged.txt"
    assert (
        CliRunner()
        .invoke(app, ["merge", str(out / f"nk-soldier.{lang}.check.xlf"), "-o", str(merged)])
        .exit_code
        == 0
    )
    assert merged.read_text(encoding="utf-8") == (out / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda u: u.append(u[0]), "source"),  # a second <source> after the target
        (lambda u: u.find("x:target", NS).set("state", "done"), "state"),
        (
            lambda u: u.find("x:target", NS).set(f"{{{ITS}}}locQualityIssueType", "typo"),
            "locQualityIssueType",
        ),
        (lambda u: u.find("x:target", NS).set(f"{{{ITS}}}unknownThing", "1"), "unknownThing"),
    ],
    ids=["child-order", "state-value", "its-type", "undeclared-its-attribute"],
)
def test_schema_rejects_broken_units(
    variants: dict[str, Variant], schema: lxml.etree.XMLSchema, edit: Callable[[Any], object], error: str
) -> None:
    root = _xliff(variants["uk"])
    edit(_units(root)[0])
    assert not schema.validate(root)
    assert error in str(schema.error_log)


# --- structure --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_source_sentence_is_in_exactly_one_unit_in_order(
    variants: dict[str, Variant], name: str
) -> None:
    v = variants[name]
    units = _units(_xliff(v))
    sentences = [s.of(v.en) for p in v.report.article.paragraphs for s in p.sentences]
    sources = [u.find("x:source", NS).text for u in units]
    cursor = 0
    for sentence in sentences:
        holders = [k for k, s in enumerate(sources) if sentence in s]
        assert holders, sentence
        assert holders[0] >= cursor
        cursor = holders[0]
    assert len({u.get("id") for u in units}) == len(units)


@pytest.mark.parametrize("name", NAMES)
def test_no_empty_target_is_marked_translated(variants: dict[str, Variant], name: str) -> None:
    for unit in _units(_xliff(variants[name])):
        target = unit.find("x:target", NS)
        if target is not None:
            assert _target_text(unit).strip(), unit.get("id")
            assert target.get("state") in ("translated", "needs-review-translation")


@pytest.mark.parametrize("name", NAMES)
def test_units_sit_in_paragraph_groups_and_merges_in_merged_trans_groups(
    variants: dict[str, Variant], name: str
) -> None:
    v = variants[name]
    root = _xliff(v)
    body = root.find(".//x:body", NS)
    assert all(g.get("restype") == "x-paragraph" for g in body)
    assert [g.get("id") for g in body] == sorted(
        {f"p{u.paragraph + 1}" for u in segments(v.report)}, key=lambda s: int(s[1:])
    )
    for unit in _units(root):
        parent = unit.getparent()
        if parent.get("restype") == "x-merged-sentences":
            assert parent.get("merged-trans") == "yes"
            assert re.fullmatch(r"s\d+-\d+", unit.get("id"))
            assert parent.getparent().get("restype") == "x-paragraph"
        else:
            assert parent.get("restype") == "x-paragraph"
            assert re.fullmatch(r"s\d+", unit.get("id"))


def test_a_three_sentence_quotation_is_one_unit_with_its_whole_translation(
    variants: dict[str, Variant],
) -> None:
    """The issue's case: q2 is three English sentences the translation renders as one; the unit
    holds all three sources and the whole rendering, and no unit is left with an empty target."""
    v = variants["uk"]
    root = _xliff(v)
    (group,) = root.iterfind(".//x:group[@restype='x-merged-sentences']", NS)
    (unit,) = group
    assert unit.get("resname") == "q2"
    source = unit.find("x:source", NS).text
    assert source.startswith("\"I'm 80% sure") and source.count(".") + source.count("?") >= 3
    (q2,) = [q for q in v.report.quotes if q.id == "q2"]
    assert all(p.of(v.target) in _target_text(unit) for p in q2.target_parts)


@pytest.mark.parametrize("name", NAMES)
def test_translate_toolkit_reads_one_source_segment_per_target(
    variants: dict[str, Variant], name: str
) -> None:
    v = variants[name]
    store = Xliff1File(_doc(v).encode("utf-8"))
    units = segments(v.report)
    assert [u.getid().split("\x04")[-1] for u in store.units] == [u.id for u in units]
    for tk, unit in zip(store.units, units, strict=True):
        assert str(tk.source) == source_text(v.report, unit)
        if unit.target is not None:
            assert str(tk.target) == unit.target.of(v.target)
        else:
            assert not tk.target and not tk.istranslated()


# --- round trip -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_unchanged_targets_rebuild_the_translation_byte_for_byte(
    variants: dict[str, Variant], name: str
) -> None:
    v = variants[name]
    root = _xliff(v)
    targets = {u.get("id"): _target_text(u) for u in _units(root) if u.find("x:target", NS) is not None}
    text, spans = rebuild(root.find(f".//{SKELETON}").text, targets)
    assert text == v.target
    assert all(span.of(text) == targets[uid] for uid, span in spans.items())


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [("uk", "s11-13"), ("ko", "s2"), ("ko-merged", "s14")],
    ids=["uk-quote", "ko-title", "ko-merged"],
)
def test_a_target_edited_with_translate_toolkit_merges_back(
    variants: dict[str, Variant], tmp_path: Path, name: str, unit_id: str
) -> None:
    v = variants[name]
    review = tmp_path / "review.xlf"
    store = Xliff1File(_doc(v).encode("utf-8"))
    (unit,) = [u for u in store.units if u.getid().endswith(f"\x04{unit_id}")]
    old = str(unit.target)
    unit.target = "ВИПРАВЛЕНО: reviewed."
    review.write_bytes(bytes(store))
    out = tmp_path / "target.txt"
    result = CliRunner().invoke(app, ["merge", str(review), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == v.target.replace(old, "ВИПРАВЛЕНО: reviewed.", 1)
    assert v.target.count(old) >= 1


def test_a_translation_added_to_an_empty_unit_goes_after_the_unit_before(
    variants: dict[str, Variant],
) -> None:
    v = variants["uk"]
    lines = v.target.split("\n")
    dropped = next(k for k, line in enumerate(lines) if line.startswith("Тим часом"))
    target = "\n".join(lines[:dropped] + lines[dropped + 1 :])
    report = check_translation(v.report.article, target, "uk")
    root = lxml.etree.fromstring(check_xliff(report).encode("utf-8"))
    empty = [u for u in _units(root) if u.find("x:target", NS) is None]
    assert empty, "the dropped line leaves a unit with no target"
    targets = {u.get("id"): _target_text(u) for u in _units(root) if u.find("x:target", NS) is not None}
    skeleton = root.find(f".//{SKELETON}").text
    assert rebuild(skeleton, targets)[0] == target
    targets[empty[0].get("id")] = "ДОДАНО."
    rebuilt, spans = rebuild(skeleton, targets)
    assert "ДОДАНО." in rebuilt and spans[empty[0].get("id")].of(rebuilt) == "ДОДАНО."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Plain text, not XLIFF.\n", "is not an XLIFF 1.2 file"),
        (
            (Path(__file__).parent / "data" / "symfony-security.uk.xlf").read_text(encoding="utf-8"),
            "has no aligner skeleton",
        ),
    ],
    ids=["plain-text", "foreign-xliff"],
)
def test_merge_refuses_what_it_cannot_rebuild(tmp_path: Path, content: str, message: str) -> None:
    review = tmp_path / "review.xlf" if "xliff" in content else tmp_path / "review.txt"
    review.write_text(content, encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(app, ["merge", str(review), "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr and str(review) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


# --- findings ---------------------------------------------------------------------------------------------


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
def test_notes_carry_every_finding(variants: dict[str, Variant], name: str) -> None:
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
def test_its_quality_issues(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    root = _xliff(v)
    issues = _issues(root)
    assert len(issues) == len(_labelled(v.report))
    for issue in issues:
        assert issue["locQualityIssueType"] in ITS_TYPES
        assert 0 <= float(issue["locQualityIssueSeverity"]) <= 100
    xml_ids = [el.get(XML_ID) for el in root.iter() if el.get(XML_ID)]
    assert len(xml_ids) == len(set(xml_ids))
    for unit in _units(root):
        local_ids = {g.get(XML_ID) for g in unit.iterfind("its:locQualityIssues", NS)}
        refs = [el.get(f"{{{ITS}}}locQualityIssuesRef") for el in unit.iter()]
        assert {r[1:] for r in refs if r} == local_ids
        if unit.find("x:note[@annotates='target']", NS) is not None:
            assert unit.find("x:target", NS).get("state") == "needs-review-translation"


@pytest.mark.parametrize("name", ["uk-number", "ko-number"])
def test_the_changed_number_is_marked_in_the_quotations_unit(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    (q2,) = [q for q in v.report.quotes if q.id == "q2"]
    (finding,) = q2.findings
    assert finding.target_span is not None
    (mrk,) = _xliff(v).iterfind(".//x:mrk", NS)
    assert "".join(mrk.itertext()) == finding.target_span.of(v.target)
    assert mrk.get(f"{{{ITS}}}locQualityIssueType") == "numbers"
    assert mrk.get(f"{{{ITS}}}locQualityIssueSeverity") == "90"
    unit = mrk.xpath("ancestor::x:trans-unit", namespaces=NS)[0]
    assert unit.get("resname") == "q2" and unit.get("id") == "s11-13"


def test_overlapping_and_unplaced_findings_go_to_standoff(
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
    schema.assertValid(root)


def test_characters_xml_forbids_are_replaced(variants: dict[str, Variant]) -> None:
    v = variants["uk"]
    target = v.target.replace("Втрати", "Втрати\x0b\x01", 1)
    report = check_translation(v.report.article, target, "uk")
    root = lxml.etree.fromstring(check_xliff(report, "a\x02.txt").encode("utf-8"))
    assert "Втрати\ufffd\ufffd" in "".join(root.itertext())
    assert root[0].get("original") == "a\ufffd.txt"


def test_markup_in_the_text_stays_text(variants: dict[str, Variant]) -> None:
    root = _xliff(variants["uk-hostile"])
    assert not root.xpath("//*[local-name()='script' or local-name()='img']")
    text = "".join(root.itertext())
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)> &amp;' in text


def test_the_per_article_flow_writes_machine_xliff(seed: Seed, tmp_path: Path) -> None:
    """``translate``, local and Ray batch render through one flow (``aligner.batch.flow``): the XLIFF
    of a translation marks machine suggestions, with the engine's output as alt-trans."""
    from aligner.batch.flow import Engines, Job, Outcome, Settings, run_chunk, write_unit
    from aligner.lang.names import default_glossary

    settings = Settings(out_dir=tmp_path, fmt="xliff", glossary=default_glossary())
    (outcome,) = run_chunk(
        [Job("nk", "nk.en.txt", parse_article(seed.en))],
        "ko",
        Engines(forward=IdentityTranslator()),
        settings,
    )
    assert isinstance(outcome, Outcome)
    written = write_unit(outcome, tmp_path)
    assert written["check"].name == "nk.ko.check.xlf"
    assert 'state-qualifier="mt-suggestion"' in written["check"].read_text(encoding="utf-8")


def test_crossing_targets_become_one_unit_and_still_rebuild(variants: dict[str, Variant]) -> None:
    """Should the sentence alignment ever cross (it is monotonic by construction), the units whose
    targets cross merge, so that every stretch of the translation belongs to one unit."""
    v = variants["uk"]
    pairs = list(v.report.alignment.sentences)
    pairs[3], pairs[4] = replace(pairs[3], target=pairs[4].target), replace(pairs[4], target=pairs[3].target)
    report = replace(v.report, alignment=replace(v.report.alignment, sentences=tuple(pairs)))
    units = [u for u in segments(report) if u.target is not None]
    assert len(units) == len([u for u in segments(v.report) if u.target is not None]) - 1
    assert all(a.target.end <= b.target.start for a, b in zip(units, units[1:], strict=False))
    root = lxml.etree.fromstring(check_xliff(report).encode("utf-8"))
    targets = {u.get("id"): _target_text(u) for u in _units(root) if u.find("x:target", NS) is not None}
    assert rebuild(root.find(f".//{SKELETON}").text, targets)[0] == v.target
