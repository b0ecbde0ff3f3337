"""Read input text safely and write output atomically, never outside the chosen directory."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import ArticleFormatError, InputError

_BOM = "\ufeff"
# Control characters that never occur in an article: NUL and the C0 range bar tab, LF, CR, FF.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
# An id made safe for a file name: "AP/2024: Kim's speech" -> "AP_2024_Kim_s_speech".
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode article bytes as UTF-8, drop a BOM, keep line endings.

    Raises:
        ArticleFormatError: empty, binary or not UTF-8.
    """
    if not data.strip():
        raise ArticleFormatError(path, "the file is empty", "give an article with text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(
            path,
            f"not valid UTF-8 (byte {exc.start})",
            "convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from None
    if _BINARY.search(text):
        raise ArticleFormatError(path, "looks like binary data, not text", "give a .txt article")
    text = text.removeprefix(_BOM)
    if not text.strip():
        raise ArticleFormatError(path, "the file is empty", "give an article with text")
    return text


def read_text(path: Path) -> str:
    """Read an article file as text (see ``decode_text``).

    Raises:
        ArticleFormatError: missing, a directory, unreadable, empty, binary or not UTF-8.
    """
    if path.is_dir():
        raise ArticleFormatError(path, "is a directory", "give a text file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleFormatError(path, "no such file", "check the path") from None
    except OSError as exc:
        raise ArticleFormatError(path, f"cannot be read ({exc.strerror})", "check permissions") from None
    return decode_text(data, path)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename,
    so that a reader or a crash never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def safe_name(name: str, default: str = "article") -> str:
    """Return ``name`` reduced to a safe file-name stem (no separators, no dot-dot)."""
    stem = _UNSAFE_NAME.sub("_", name).strip("._")
    return stem[:120] or default


# A trailing source-language tag on an input name: "nk-soldier.en" -> "nk-soldier", so that
# "nk-soldier.en.txt" gives "nk-soldier.ko.txt" wherever it is translated.
SOURCE_TAG = ".en"


def unique_stems(bases: Sequence[str]) -> list[str]:
    """Return a safe, unique output stem per input name, in order: the source-language tag dropped,
    unsafe characters replaced, and "a", "a-2", ... where two names meet (ignoring case)."""
    taken: set[str] = set()
    out = []
    for base in bases:
        first = safe_name(base.removesuffix(SOURCE_TAG))
        stem, n = first, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{first}-{n}"
        taken.add(stem.lower())
        out.append(stem)
    return out


def inside(root: Path, relative: str) -> Path:
    """Return ``root / relative``, refusing any path that would land outside ``root``.

    Raises:
        InputError: the resolved path escapes ``root``.
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise InputError(relative, "would be written outside the output directory", "rename it")
    return target
