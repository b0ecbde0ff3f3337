"""Reading article files and writing outputs safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import ArticleFormatError, InputError
from aligner.textio import decode_text, inside, read_text, safe_name, write_atomic

DECODE_CASES = [
    ("plain", b"Hello.\n", "Hello.\n"),
    ("bom dropped", b"\xef\xbb\xbfHello.", "Hello."),
    ("crlf kept", b"A.\r\nB.\r\n", "A.\r\nB.\r\n"),
    ("curly quotes", "\u201cHi,\u201d he said.".encode(), "\u201cHi,\u201d he said."),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES])
def test_decode_text_keeps_text(raw: bytes, expected: str) -> None:
    assert decode_text(raw, "a.txt") == expected


BAD_CASES = [
    ("empty", b"", "empty"),
    ("only whitespace", b"  \n\t\n", "empty"),
    ("bom only", b"\xef\xbb\xbf", "empty"),
    ("latin-1", "café".encode("latin-1"), "not valid UTF-8"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid UTF-8"),
    ("nul bytes", b"abc\x00def", "binary"),
]


@pytest.mark.parametrize(("raw", "needle"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_decode_text_rejects_bad_input(raw: bytes, needle: str) -> None:
    with pytest.raises(ArticleFormatError) as info:
        decode_text(raw, "x.txt")
    assert needle in str(info.value)
    assert str(info.value).startswith("x.txt: ")
    assert "\n" not in str(info.value)


def test_read_text_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(ArticleFormatError, match="is a directory"):
        read_text(tmp_path)


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_write_atomic_failure_keeps_old_content(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 123)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


SAFE_NAME_CASES = [
    ("plain", "article-1", "article-1"),
    ("slashes", "AP/2024: Kim's speech", "AP_2024_Kim_s_speech"),
    ("dotdot", "../../etc/passwd", "etc_passwd"),
    ("empty", "///", "article"),
    ("hangul", "기사", "article"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:] for c in SAFE_NAME_CASES], ids=[c[0] for c in SAFE_NAME_CASES]
)
def test_safe_name(raw: str, expected: str) -> None:
    assert safe_name(raw) == expected


def test_inside_refuses_escape(tmp_path: Path) -> None:
    assert inside(tmp_path, "a/b.txt") == (tmp_path / "a" / "b.txt").resolve()
    with pytest.raises(InputError, match="outside the output directory"):
        inside(tmp_path, "../evil.txt")
    with pytest.raises(InputError):
        inside(tmp_path, "/etc/passwd")
