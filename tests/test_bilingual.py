"""``aligner check SOURCE FILE`` where FILE is what a CAT tool writes (aligner/report/bilingual.py):
XLIFF 1.2 and 2.0, TMX and PO, made by aligner's own export, by translate-toolkit's converters
(``xliff2po``, ``po2xliff``, ``po2tmx``) and its storage API, and one real-world file (Symfony's
Ukrainian security messages, tests/data/README.md). The findings must be those of the same
translation as plain text, and point at the file's unit ids.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS, Seed
from translate.storage.po import pofile
from translate.storage.xliff2 import Xliff2File
from typer.testing import CliRunner

from aligner.article.parse import parse_article
from aligner.check.checker import check_translation
from aligner.cli.app import app
from aligner.report.bilingual import base_lang, kind_of
from aligner.report.tmx import check_tmx
from aligner.report.xliff import check_xliff, segments, source_text

DATA = Path(__file__).parent / "data"
SYMFONY = DATA / "symfony-security.uk.xlf"
TOOLS = Path(sys.executable).parent  # translate-toolkit's converters sit beside the interpreter
# The translations checked: the seed and copies whose q2 number was changed (findings to compare).
CASES = {
    "ko": lambda seed: seed.ko,
    "uk": lambda seed: seed.uk,
    "ko-number": lambda seed: seed.ko.replace("80%", "70%"),
    "uk-number": lambda seed: seed.uk.replace("80%", "70%"),
}


def _lang(case: str) -> str:
    return case[:2]


def _pairs(seed: Seed, case: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The translation and its aligned (unit id, source, target) pairs."""
    target = CASES[case](seed)
    report = check_translation(parse_article(seed.en), target, _lang(case))
    units = [u for u in segments(report) if u.target is not None]
    return target, [(u.id, source_text(report, u), u.target.of(target)) for u in units]


def _own_xliff(seed: Seed, case: str, folder: Path) -> Path:
    target = CASES[case](seed)
    path = folder / "review.xlf"
    path.write_text(
        check_xliff(check_translation(parse_article(seed.en), target, _lang(case))), encoding="utf-8"
    )
    return path


def _own_tmx(seed: Seed, case: str, folder: Path) -> Path:
    target = CASES[case](seed)
    path = folder / "tm.tmx"
    path.write_text(
        check_tmx(check_translation(parse_article(seed.en), target, _lang(case))), encoding="utf-8"
    )
    return path


def _po(seed: Seed, case: str, folder: Path) -> Path:
    """A PO file built with translate-toolkit's storage API: one entry per aligned pair."""
    _, pairs = _pairs(seed, case)
    store = pofile()
    store.updateheader(add=True, Language=_lang(case))
    for uid, source, target in pairs:
        unit = store.addsourceunit(source)
        unit.target = target
        unit.addlocation(uid)
    path = folder / "review.po"
    path.write_bytes(bytes(store))
    return path


def _xliff2po(seed: Seed, case: str, folder: Path) -> Path:
    """aligner's XLIFF converted to PO by translate-toolkit's xliff2po (no ids, no language)."""
    xlf = _own_xliff(seed, case, folder)
    out = folder / "converted.po"
    subprocess.run([str(TOOLS / "xliff2po"), str(xlf), str(out)], check=True, capture_output=True)
    return out


def _po2xliff(seed: Seed, case: str, folder: Path) -> Path:
    """That PO converted to XLIFF by translate-toolkit's po2xliff: an XLIFF with no skeleton."""
    out = folder / "converted.xlf"
    subprocess.run(
        [str(TOOLS / "po2xliff"), str(_po(seed, case, folder)), str(out)], check=True, capture_output=True
    )
    return out


def _po2tmx(seed: Seed, case: str, folder: Path) -> Path:
    out = folder / "converted.tmx"
    po = _po(seed, case, folder)
    subprocess.run(
        [str(TOOLS / "po2tmx"), "-l", _lang(case), str(po), str(out)], check=True, capture_output=True
    )
    return out


def _xliff2(seed: Seed, case: str, folder: Path) -> Path:
    """An XLIFF 2.0 file built with translate-toolkit's storage API."""
    _, pairs = _pairs(seed, case)
    store = Xliff2File(sourcelanguage="en", targetlanguage=_lang(case))
    for uid, source, target in pairs:
        unit = store.addsourceunit(source)
        unit.target = target
        unit.setid(uid)
    path = folder / "review.xlf"
    path.write_bytes(bytes(store))
    return path


MAKERS: dict[str, Callable[[Seed, str, Path], Path]] = {
    "own-xliff": _own_xliff,
    "own-tmx": _own_tmx,
    "po-storage": _po,
    "xliff2po": _xliff2po,
    "po2xliff": _po2xliff,
    "po2tmx": _po2tmx,
    "xliff2-storage": _xliff2,
}


def _check(args: list[str]) -> tuple[int, dict[str, Any] | None, str]:
    result = CliRunner().invoke(app, ["check", *args, "--format", "json"])
    doc = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, doc, result.stderr


def _findings(doc: dict[str, Any]) -> list[Any]:
    """What a reviewer acts on: each item's status and findings (check, severity, message)."""

    def found(item: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(f["check"], f["severity"], f["message"]) for f in item["findings"]]

    summary = {
        k: doc["summary"][k]
        for k in ("quotes", "ok", "altered", "missing", "extra_quotes", "errors", "warnings")
    }
    return [
        [(q["id"], q["status"], found(q)) for q in doc["quotes"]],
        [found(e) for e in doc["extra_quotes"]],
        [(a["id"], a["status"], found(a)) for a in doc["attributions"]],
        summary,
    ]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("maker", list(MAKERS))
def test_a_bilingual_file_gives_the_findings_of_the_plain_translation(
    seed: Seed, tmp_path: Path, maker: str, case: str
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(CASES[case](seed), encoding="utf-8")
    source = str(SEEDS / "nk-soldier.en.txt")
    code, expected, _ = _check([source, str(plain), "--lang", _lang(case)])
    path = MAKERS[maker](seed, case, tmp_path)
    lang = [] if maker != "xliff2po" else ["--lang", _lang(case)]  # xliff2po drops the language
    got_code, got, stderr = _check([source, str(path), *lang])
    assert got_code == code, stderr
    assert expected is not None and got is not None
    assert _findings(got) == _findings(expected)
    assert got["lang"] == _lang(case)
    assert "warning" not in stderr


@pytest.mark.parametrize(
    ("maker", "unit"),
    [
        ("own-xliff", "s11-13"),
        ("own-tmx", "s11-13"),
        ("po-storage", "s11-13"),
        ("xliff2-storage", "s11-13"),
        ("xliff2po", "entry 11"),
    ],
    ids=["own-xliff", "own-tmx", "po-storage", "xliff2-storage", "xliff2po"],
)
def test_findings_name_the_unit_to_fix(seed: Seed, tmp_path: Path, maker: str, unit: str) -> None:
    path = MAKERS[maker](seed, "uk-number", tmp_path)
    source = str(SEEDS / "nk-soldier.en.txt")
    code, doc, _ = _check([source, str(path), "--lang", "uk"])
    assert code == 1 and doc is not None
    (q2,) = [q for q in doc["quotes"] if q["id"] == "q2"]
    assert q2["unit"] == unit
    assert [f["unit"] for f in q2["findings"]] == [unit]
    assert all(q["unit"] for q in doc["quotes"])
    text = CliRunner().invoke(app, ["check", source, str(path), "--lang", "uk"]).stdout
    (line,) = [line for line in text.splitlines() if line.startswith("q2 ")]
    assert line.endswith(f"[unit {unit}]")


def test_plain_text_reports_carry_no_unit(seed: Seed) -> None:
    code, doc, _ = _check(
        [str(SEEDS / "nk-soldier.en.txt"), str(SEEDS / "nk-soldier.uk.txt"), "--lang", "uk"]
    )
    assert code == 0 and doc is not None and "unit" not in doc["quotes"][0]


@pytest.mark.parametrize(
    ("maker", "lang", "message"),
    [
        ("own-xliff", "uk", "its target language is ko, not uk"),
        ("po-storage", "uk", "its target language is ko, not uk"),
        ("own-tmx", "uk", "its target language is ko, not uk"),
        ("xliff2po", None, "give --lang ko|uk"),
    ],
    ids=["xliff-mismatch", "po-mismatch", "tmx-mismatch", "no-language"],
)
def test_the_language_comes_from_the_file_and_a_mismatch_is_exit_2(
    seed: Seed, tmp_path: Path, maker: str, lang: str | None, message: str
) -> None:
    path = MAKERS[maker](seed, "ko", tmp_path)
    out = tmp_path / "report.json"
    args = ["check", str(SEEDS / "nk-soldier.en.txt"), str(path), "--output", str(out)]
    result = CliRunner().invoke(app, [*args, *(["--lang", lang] if lang else [])])
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_different_source_gives_one_warning_line(seed: Seed, tmp_path: Path) -> None:
    path = _own_xliff(seed, "uk", tmp_path)
    source = tmp_path / "en.txt"
    source.write_text(
        seed.en.replace("Ukrainian authorities released a video", "Kyiv released a film"), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", str(source), str(path)])
    assert result.exit_code == 0, result.stderr
    (warning,) = result.stderr.strip().splitlines()
    assert "warning" in warning and "1 of its" in warning and str(source) in warning


def test_a_real_world_xliff_from_symfony(tmp_path: Path) -> None:
    """Symfony's Ukrainian security messages (19 units, ids 1-20 with 8 missing): the language
    comes from the file, every unit lands on its source's line, the text report works."""
    source = tmp_path / "security.en.txt"
    sources = [
        line.split("<source>")[1].split("</source>")[0]
        for line in SYMFONY.read_text().splitlines()
        if "<source>" in line
    ]
    source.write_text("\n".join(sources) + "\n", encoding="utf-8")
    code, doc, stderr = _check([str(source), str(SYMFONY)])
    assert code == 0, stderr
    assert doc is not None and doc["lang"] == "uk" and stderr == ""
    paragraphs = doc["alignment"]["target_paragraphs"]
    assert len(paragraphs) == len(sources) == 19
    bad = CliRunner().invoke(app, ["check", str(source), str(SYMFONY), "--lang", "ko"])
    assert bad.exit_code == 2 and "its target language is uk, not ko" in bad.stderr


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        (
            "a.xlf",
            '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>',
            "xliff",
        ),
        (
            "a.xlf",
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"/>',
            "xliff2",
        ),
        ("a.xml", '<?xml version="1.0"?>\n<xliff its:version="2.0" version="1.2">', "xliff"),
        ("a.txt", '<?xml version="1.0"?>\n<tmx version="1.4"><header/></tmx>', "tmx"),
        ("a.dat", 'msgid ""\nmsgstr ""\n"Language: ko\\n"\n', "po"),
        ("a.tmx", "anything", "tmx"),
        ("a.txt", "“제 미래에 대해서는 80% 확신합니다.”", None),
    ],
    ids=["xliff-ext", "xliff2", "xliff-content", "tmx-content", "po-content", "tmx-ext", "plain"],
)
def test_kind_of_detects_by_extension_then_content(
    tmp_path: Path, name: str, content: str, kind: str | None
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert kind_of(path) == kind


@pytest.mark.parametrize(
    ("code", "base"),
    [("ko", "ko"), ("ko-KR", "ko"), ("uk_UA", "uk"), ("UK", "uk"), ("", None), (None, None)],
    ids=["plain", "bcp47", "posix", "upper", "empty", "none"],
)
def test_base_lang(code: str | None, base: str | None) -> None:
    assert base_lang(code) == base


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.xlf", "<xliff version='1.2'><file", "not a valid XLIFF file"),
        (
            "empty.po",
            'msgid ""\nmsgstr ""\n"Language: uk\\n"\n\nmsgid "Hello."\nmsgstr ""\n',
            "no PO unit has a translation",
        ),
    ],
    ids=["broken-xml", "untranslated-po"],
)
def test_a_bad_bilingual_file_is_exit_2(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(SEEDS / "nk-soldier.en.txt"), str(path), "--lang", "uk"])
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_missing_source_sentences_gives_one_warning_line(seed: Seed, tmp_path: Path) -> None:
    _, pairs = _pairs(seed, "uk")
    store = pofile()
    store.updateheader(add=True, Language="uk")
    for uid, source, target in pairs[:-2]:  # the last two units were never exported
        unit = store.addsourceunit(source)
        unit.target = target
        unit.addlocation(uid)
    path = tmp_path / "partial.po"
    path.write_bytes(bytes(store))
    result = CliRunner().invoke(app, ["check", str(SEEDS / "nk-soldier.en.txt"), str(path)])
    (warning,) = result.stderr.strip().splitlines()
    assert "2 sentences of" in warning and "are in none of its units" in warning
