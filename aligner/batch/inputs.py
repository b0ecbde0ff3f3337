"""The inputs of ``aligner batch``: a folder of ``.txt``/``.md`` articles or a JSONL file of records.

Listing is cheap and reads no article: a folder's files are read when their chunk is processed, so a
resumed run never rereads finished articles. Every article gets an id (its relative path, or the
record's ``id``) and a safe, unique file stem. A JSONL line that is not a usable record (bad JSON,
JSON nested too deep to parse, no ``id`` or ``text``, not UTF-8, or a repeated id) is kept as a
source that fails with its line number, so it is reported like any other failed article and never
stops the batch. An article over the size limit (``--max-bytes``) fails the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aligner.errors import ArticleFormatError, UsageError
from aligner.textio import decode_text, read_text, too_large, unique_stems

SUFFIXES = (".txt", ".md")
# Deepest nesting a JSONL record may have: its other fields are written again into summary.jsonl and
# the manifest, and a record nested near Python's recursion limit would fail there, deep in the run.
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Source:
    """One input article: its id, where it came from, and its text or why it cannot be used."""

    id: str
    seq: int  # place in the input
    stem: str  # safe, unique output file stem
    origin: str  # a path, or ``FILE.jsonl:LINE``
    path: Path | None = None  # read when processed (a folder input)
    text: str | None = None  # a JSONL record's text
    error: str | None = None  # a bad JSONL line or a duplicate id
    fields: Mapping[str, Any] = field(default_factory=dict)  # other JSONL fields, carried through


def load_text(source: Source, max_bytes: int = 0) -> str:
    """Return the article text of ``source``, refusing more than ``max_bytes`` of UTF-8 (0: no limit).

    Raises:
        ArticleFormatError: unreadable, too large, empty, binary or not UTF-8, or a bad JSONL line.
    """
    if source.error is not None:
        raise ArticleFormatError(source.origin, source.error)
    if source.path is not None:
        return read_text(source.path, max_bytes)
    if not (source.text or "").strip():
        raise ArticleFormatError(source.origin, 'the "text" is empty', "give an article with text")
    # Same rules as a file; a lone surrogate from a JSON escape fails as "not valid UTF-8".
    data = (source.text or "").encode("utf-8", "surrogatepass")
    if max_bytes and len(data) > max_bytes:
        raise too_large(source.origin, len(data), max_bytes)
    return decode_text(data, source.origin)


def _folder_sources(folder: Path, out: Path) -> list[tuple[str, str, Path]]:
    outside = out.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.suffix not in SUFFIXES or any(part.startswith(".") for part in relative.parts):
            continue
        if path.resolve().is_relative_to(outside) or not path.is_file():
            continue  # never read our own outputs back as articles
        found.append((relative.as_posix(), relative.with_suffix("").as_posix(), path))
    return found


def _jsonl_record(line: str) -> tuple[str | None, str | None, dict[str, Any], str | None]:
    """Return ``(id, text, other fields, error)`` of one JSONL line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, None, {}, f"invalid JSON ({error.msg})"
    except RecursionError:  # e.g. [[[[…]]]] a thousand deep: the parser's stack, not the batch, gives up
        return None, None, {}, "invalid JSON (nested too deeply)"
    if not isinstance(record, dict):
        return None, None, {}, "not a JSON object"
    if _depth(record) > MAX_DEPTH:
        return None, None, {}, f"invalid JSON (nested deeper than {MAX_DEPTH} levels)"
    raw_id, text = record.pop("id", None), record.pop("text", None)
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or str(raw_id) == "":
        return None, None, record, 'no "id" (a string or number)'
    if not isinstance(text, str):
        return str(raw_id), None, record, 'no "text" string'
    return str(raw_id), text, record, None


def _depth(value: Any) -> int:
    """The nesting depth of a decoded JSON value (1 for a flat object), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend(
                    (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
                )
    return deepest


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """Yield ``(line number, text)`` per non-blank line; text is None for a line that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror})") from None
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if raw.strip():
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None


def _jsonl_sources(path: Path) -> list[Source]:
    sources: list[Source] = []
    first: dict[str, int] = {}
    for number, line in _jsonl_lines(path):
        raw_id, text, fields, error = (
            _jsonl_record(line) if line is not None else (None, None, {}, "not valid UTF-8")
        )
        article_id = raw_id if raw_id is not None else f"line:{number}"
        if error is None and article_id in first:
            error = f"duplicate id {article_id!r} (first on line {first[article_id]})"
        if article_id in first:
            article_id = f"{article_id}#line:{number}"
        first.setdefault(article_id, number)
        sources.append(Source(article_id, len(sources), "", f"{path}:{number}", None, text, error, fields))
    return sources


def _with_stems(sources: Sequence[Source], bases: Sequence[str]) -> list[Source]:
    """Give each source a safe, unique file stem (``textio.unique_stems``, as ``translate`` names its
    outputs) in input order."""
    return [replace(s, stem=stem) for s, stem in zip(sources, unique_stems(bases), strict=True)]


def read_sources(path: Path, out: Path) -> list[Source]:
    """List the articles of a folder (``.txt``/``.md``, recursively) or a JSONL file, in a stable order.

    Article ids are the relative paths (a folder) or the ``id`` fields (JSONL); a JSONL line that is
    not a usable record, or repeats an earlier id, becomes a source that fails with its line number.

    Raises:
        UsageError: the input does not exist, is of another kind, or holds no article.
    """
    if path.is_dir():
        found = _folder_sources(path, out)
        sources = [Source(i, n, "", str(p), path=p) for n, (i, _, p) in enumerate(found)]
        sources = _with_stems(sources, [base for _, base, _ in found])
    elif path.is_file() and path.suffix == ".jsonl":
        sources = _jsonl_sources(path)
        sources = _with_stems(sources, [s.id for s in sources])
    else:
        raise UsageError(f"{path}: give a folder of .txt/.md articles or a .jsonl file")
    if not sources:
        raise UsageError(f"{path}: no articles found (.txt or .md files, or JSONL lines)")
    return sources
