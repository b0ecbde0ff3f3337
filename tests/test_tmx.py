"""The TMX 1.4b export of a check's aligned pairs (aligner/report/tmx.py), read back with
translate-toolkit's TMX storage (what ``tmx2po`` and CAT-tool imports use) and lxml."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no stubs
import pytest
from conftest import SEEDS, Seed
from test_export import NAMES, Variant, _variants
from translate.storage.tmx import tmxfile
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.batch.flow import Engines, Job, Outcome, Settings, run_chunk, write_unit
from aligner.check.checker import check_translation
from aligner.cli.app import app
from aligner.lang.names import default_glossary
from aligner.report.tmx import check_tmx
from aligner.report.xliff import segments, source_text
from aligner.translate.protocol import IdentityTranslator

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADER = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"}


@pytest.fixture(scope="module")
def variants(seed: Seed) -> dict[str, Variant]:
    return {
        name: Variant(en, target, lang, check_translation(parse_article(en), target, lang))
        for name, (en, target, lang) in _variants(seed).items()
    }


def _props(tu: lxml.etree._Element) -> dict[str, str]:
    return {p.get("type"): p.text for p in tu.iterfind("prop")}


@pytest.mark.parametrize("name", NAMES)
def test_tmx_holds_every_aligned_unit_and_rendered_quotation(variants: dict[str, Variant], name: str) -> None:
    v = variants[name]
    root = lxml.etree.fromstring(check_tmx(v.report, "en.txt", "tr.txt").encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert HEADER <= set(root.find("header").attrib)
    tus = root.findall("body/tu")
    units = [u for u in segments(v.report) if u.target is not None]
    rendered = [q for q in v.report.quotes if q.target_parts]
    assert [tu.get("tuid") for tu in tus] == [u.id for u in units] + [q.id for q in rendered]
    for tu in tus:
        assert [t.get(XML_LANG) for t in tu.iterfind("tuv")] == ["en", v.lang]
        assert all(seg.text and seg.text.strip() for seg in tu.iterfind("tuv/seg"))
        # TMX 1.4b content model of <tu>: (note | prop)*, tuv+
        names = [child.tag for child in tu]
        assert names == sorted(names, key=lambda n: n == "tuv")
    for tu, unit in zip(tus, units, strict=False):
        segs = [s.text for s in tu.iterfind("tuv/seg")]
        assert segs == [source_text(v.report, unit), unit.target.of(v.target)]
        assert _props(tu)["x-aligner-kind"] == "sentence"
    for tu, q in zip(tus[len(units) :], rendered, strict=True):
        assert _props(tu) == {"x-aligner-kind": "quotation", "x-aligner-status": q.status.value}


@pytest.mark.parametrize(
    ("name", "quote", "status", "unit", "unit_status"),
    [
        ("uk", "q2", "ok", "s11-13", "ok"),
        ("uk-number", "q2", "altered", "s11-13", "error"),
        ("ko-number", "q2", "altered", "s11-13", "error"),
    ],
    ids=["clean", "uk-number", "ko-number"],
)
def test_tmx_status_props_follow_the_check(
    variants: dict[str, Variant], name: str, quote: str, status: str, unit: str, unit_status: str
) -> None:
    root = lxml.etree.fromstring(check_tmx(variants[name].report).encode("utf-8"))
    by_id = {tu.get("tuid"): _props(tu) for tu in root.iterfind("body/tu")}
    assert by_id[quote]["x-aligner-status"] == status
    assert by_id[unit]["x-aligner-status"] == unit_status


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_translate_toolkit_reads_the_pairs(variants: dict[str, Variant], lang: str) -> None:
    v = variants[lang]
    store = tmxfile(check_tmx(v.report).encode("utf-8"))
    pairs = [(str(u.source), str(u.target)) for u in store.units]
    units = [u for u in segments(v.report) if u.target is not None]
    assert pairs[: len(units)] == [(source_text(v.report, u), u.target.of(v.target)) for u in units]
    assert all(s and t for s, t in pairs)


def test_check_writes_tmx_with_format_tmx(tmp_path: Path) -> None:
    out = tmp_path / "tm.tmx"
    args = ["check", str(SEEDS / "nk-soldier.en.txt"), str(SEEDS / "nk-soldier.uk.txt"), "--lang", "uk"]
    result = CliRunner().invoke(app, [*args, "--format", "tmx", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert tmxfile(out.read_bytes()).units


def test_translate_outputs_include_the_tmx(seed: Seed, tmp_path: Path) -> None:
    """``translate``/``batch`` with ``--format tmx`` write NAME.LANG.check.tmx (the identity engine
    stands in for MarianMT: the files are what is tested)."""
    settings = Settings(out_dir=tmp_path, fmt="tmx", glossary=default_glossary())
    (outcome,) = run_chunk(
        [Job("nk", "nk.en.txt", parse_article(seed.en))],
        "uk",
        Engines(forward=IdentityTranslator()),
        settings,
    )
    assert isinstance(outcome, Outcome)
    result = outcome.result
    written = write_unit(outcome, tmp_path)
    assert written["check"] == tmp_path / "nk.uk.check.tmx"
    root = lxml.etree.parse(str(written["check"])).getroot()
    sentences = [tu for tu in root.iterfind("body/tu") if _props(tu)["x-aligner-kind"] == "sentence"]
    assert sentences and all(tu.findall("tuv/seg")[1].text in result.text for tu in sentences)
    assert json.loads(written["record"].read_text(encoding="utf-8"))["lang"] == "uk"
