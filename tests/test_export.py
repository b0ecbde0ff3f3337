"""The HTML check report (aligner/report/export.py), on the seed article and edited copies; the
variants here are shared with tests/test_xliff.py and tests/test_tmx.py.

HTML is parsed with lxml.html.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no stubs; sacrebleu depends on it
import lxml.html  # type: ignore[import-untyped]
import pytest
from conftest import SEEDS, Seed
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.check.checker import CheckReport, Finding, Status, check_translation
from aligner.cli.app import app
from aligner.report.export import Tag, check_html, highlight
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
