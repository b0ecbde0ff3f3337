"""Read what CAT tools write — XLIFF 1.2 and 2.x, TMX, PO — as a translation to check, and merge a
reviewed XLIFF back into the target document.

The formats are parsed by translate-toolkit's storage classes (``translate.storage``: the same
code as its converters, so a file that ``po2xliff`` or ``po2tmx`` writes reads back); nothing here
parses XML or PO by hand. The toolkit is the ``cat`` extra, imported only when such a file is read.

A bilingual file is turned into the plain translation ``check`` works on in one of two ways:

- aligner's own XLIFF (``report.xliff``) carries a skeleton: the reviewed targets go back into the
  document's lines and paragraphs exactly (``rebuild``), so the check sees the same text;
- any other file is laid out by the source article: each unit's source is looked up in SOURCE, in
  order, and the unit's target joins that paragraph (one space between units, the source's own
  breaks between paragraphs). Units whose source is not found stay in the paragraph before.

Either way every unit's target keeps its span in the text, so findings map back to unit ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.article.records import Article
from aligner.errors import DependencyMissingError, InputError
from aligner.report.xliff import SKELETON_FORM, XLIFF_NS, rebuild
from aligner.spans import Span

# Extensions of bilingual files; other files are read as plain text.
SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".tmx": "tmx", ".po": "po"}
INSTALL = "pip install 'aligner[cat]'  (or: pip install translate-toolkit)"
# The TMX property aligner's own TMX export puts on quotation pairs (they repeat sentence text).
KIND_PROP = "x-aligner-kind"
_XLIFF2 = re.compile(rb"<xliff\b[^>]*\sversion=[\"']2\.")


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation unit of a bilingual file: its id (what the CAT tool shows), source and target."""

    id: str
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A bilingual file as read: format, languages, units in file order, aligner's skeleton if any."""

    path: Path
    kind: str  # xliff | xliff2 | tmx | po
    target_lang: str | None
    units: tuple[Unit, ...]
    skeleton: str | None


@dataclass(frozen=True, slots=True)
class Laid:
    """The plain translation built from a bilingual file, where each unit landed in it, how many
    units' sources are not in SOURCE and how many SOURCE sentences no unit's source holds."""

    text: str
    units: tuple[tuple[str, Span], ...]
    unmatched: int
    uncovered: int


def base_lang(code: str | None) -> str | None:
    """Return the primary language subtag: "ko-KR" -> "ko", "uk_UA" -> "uk"; None stays None."""
    if not code:
        return None
    return re.split(r"[-_@.]", code.strip(), maxsplit=1)[0].lower() or None


def kind_of(path: Path) -> str | None:
    """Return the bilingual format of ``path`` by extension, then by content; None for plain text."""
    by_suffix = SUFFIXES.get(path.suffix.lower())
    try:
        with path.open("rb") as handle:
            head = handle.read(2000)
    except OSError:
        return by_suffix
    if by_suffix == "xliff" or (by_suffix is None and b"<xliff" in head):
        return "xliff2" if _XLIFF2.search(head) or b"xliff:document:2." in head else "xliff"
    if by_suffix is not None:
        return by_suffix
    if b"<tmx" in head:
        return "tmx"
    if re.search(rb'^msgid "', head, re.MULTILINE) and b"msgstr" in head:
        return "po"
    return None


def _storage(kind: str) -> Any:
    try:
        if kind == "xliff":
            from translate.storage.xliff import Xliff1File

            return Xliff1File
        if kind == "xliff2":
            from translate.storage.xliff2 import Xliff2File

            return Xliff2File
        if kind == "tmx":
            from translate.storage.tmx import tmxfile

            return tmxfile
        from translate.storage.po import pofile

        return pofile
    except ImportError:
        raise DependencyMissingError(f"reading a {kind.upper()} file", INSTALL) from None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _is_header(kind: str, unit: Any) -> bool:
    """A PO header or obsolete (``#~``) entry, or the header entry po2xliff turns into a unit."""
    if kind == "po":
        return bool(unit.isheader() or unit.isobsolete())
    return kind == "xliff" and unit.xmlelement.get("restype") == "x-gettext-domain-header"


def _tmx_is_quotation(unit: Any) -> bool:
    return any(
        p.get("type") == KIND_PROP and (p.text or "").strip() == "quotation"
        for p in unit.xmlelement.iterchildren(unit.namespaced("prop"))
    )


def _unit_id(kind: str, unit: Any, number: int) -> str:
    if kind in ("xliff", "xliff2"):
        return str(unit.getid()).rsplit("\x04", 1)[-1] or f"#{number}"
    if kind == "tmx":
        return str(unit.xmlelement.get("tuid") or f"tu {number}")
    locations = unit.getlocations()
    context = unit.getcontext()
    return str(locations[0] if locations else context or f"entry {number}")


def _target_lang(kind: str, store: Any, units: list[Any]) -> str | None:
    if kind == "tmx":
        from translate.misc.xml_helpers import getXMLlang

        source = base_lang(store.getsourcelanguage()) or "en"
        for unit in units:
            for node in unit.getlanguageNodes():
                lang = base_lang(str(getXMLlang(node) or ""))  # type: ignore[no-untyped-call]
                if lang and lang != source:
                    return lang
        return None
    return base_lang(store.gettargetlanguage())


def _skeleton(kind: str, store: Any) -> str | None:
    if kind != "xliff":
        return None
    for node in store.document.getroot().iter(f"{{{XLIFF_NS}}}internal-file"):
        if node.get("form") == SKELETON_FORM:
            return str(node.text or "")
    return None


def read_bilingual(path: Path, kind: str) -> Bilingual:
    """Read a bilingual file of format ``kind`` (see ``kind_of``).

    Raises:
        InputError: unreadable, not of that format, or without a single translated unit.
        DependencyMissingError: translate-toolkit is not installed.
    """
    storage = _storage(kind)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check the path") from None
    try:
        store = storage(data)
    except Exception as exc:  # the toolkit raises lxml, ValueError or its own parse errors
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a valid {kind.upper()} file ({reason})", "export it again") from None
    raw = [u for u in store.units if not _is_header(kind, u)]
    if kind == "tmx":
        raw = [u for u in raw if not _tmx_is_quotation(u)]
    units = tuple(Unit(_unit_id(kind, u, n), _text(u.source), _text(u.target)) for n, u in enumerate(raw, 1))
    if not any(u.target.strip() for u in units):
        raise InputError(path, f"no {kind.upper()} unit has a translation", "give a translated file")
    return Bilingual(path, kind, _target_lang(kind, store, raw), units, _skeleton(kind, store))


def _find(text: str, needle: str, start: int) -> int:
    """Return where ``needle`` starts in ``text`` at or after ``start``, spaces compared loosely."""
    pos = text.find(needle, start)
    if pos >= 0 or not needle:
        return pos
    words = needle.split()
    if not words:
        return -1
    found = re.compile(r"\s+".join(map(re.escape, words))).search(text, start)
    return found.start() if found else -1


def _end_of(text: str, needle: str, pos: int) -> int:
    words = needle.split()
    found = re.compile(r"\s+".join(map(re.escape, words))).match(text, pos)
    return found.end() if found else pos + len(needle)


def _matches(bilingual: Bilingual, text: str) -> list[Span | None]:
    """Return where each unit's source is in SOURCE (in file order, never going back), or None."""
    found: list[Span | None] = []
    cursor = 0
    for unit in bilingual.units:
        needle = unit.source.strip()
        pos = _find(text, needle, cursor) if needle else -1
        if pos < 0:
            found.append(None)
            continue
        cursor = _end_of(text, needle, pos)
        found.append(Span(pos, cursor))
    return found


def lay_out(bilingual: Bilingual, article: Article) -> Laid:
    """Return the plain translation of a bilingual file (see the module note).

    Raises:
        InputError: aligner's skeleton names a unit the file lacks.
    """
    text = article.text
    starts = [p.span.start for p in article.paragraphs]
    matches = _matches(bilingual, text)
    unmatched = sum(m is None for m in matches)
    sentences = [s for p in article.paragraphs for s in p.sentences]
    uncovered = sum(not any(m is not None and m.overlaps(s) for m in matches) for s in sentences)
    if bilingual.skeleton is not None:
        targets = {u.id: u.target for u in bilingual.units}
        try:
            built, where = rebuild(bilingual.skeleton, targets)
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(bilingual.path, f"its aligner skeleton does not fit ({exc})", "") from None
        return Laid(built, tuple(where.items()), unmatched, uncovered)
    by_para: list[list[Unit]] = [[] for _ in article.paragraphs]
    para = 0
    for unit, match in zip(bilingual.units, matches, strict=True):
        if match is not None:
            para = max(para, sum(1 for s in starts if s <= match.start) - 1)
        if unit.target.strip() and by_para:
            by_para[para].append(unit)
    out: list[str] = [text[: starts[0]] if starts else ""]
    spans: list[tuple[str, Span]] = []
    size = len(out[0])
    for k, (paragraph, units) in enumerate(zip(article.paragraphs, by_para, strict=True)):
        for n, unit in enumerate(units):
            piece = ("" if n == 0 else " ") + unit.target.strip()
            spans.append((unit.id, Span(size + len(piece) - len(unit.target.strip()), size + len(piece))))
            out.append(piece)
            size += len(piece)
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        gap = text[paragraph.span.end : end]
        if units or k + 1 == len(starts):
            out.append(gap)
            size += len(gap)
    return Laid("".join(out), tuple(spans), unmatched, uncovered)


def source_mismatch(bilingual: Bilingual, laid: Laid, source: Path) -> str | None:
    """Return the one-line warning to give when the file's source text is not SOURCE's, or None."""
    if not laid.unmatched and not laid.uncovered:
        return None
    what = []
    if laid.unmatched:
        what.append(
            f"the source text of {laid.unmatched} of its {len(bilingual.units)} units is not in {source}"
        )
    if laid.uncovered:
        what.append(f"{laid.uncovered} sentences of {source} are in none of its units")
    return f"{bilingual.path}: {' and '.join(what)}; checking against {source}"


def merge_target(path: Path) -> str:
    """Return the target document of a reviewed aligner XLIFF: its skeleton with every unit's
    target put back.

    Raises:
        InputError: not an XLIFF 1.2 file aligner wrote (no skeleton), or a unit is missing.
        DependencyMissingError: translate-toolkit is not installed.
    """
    kind = kind_of(path)
    if kind != "xliff":
        raise InputError(path, "is not an XLIFF 1.2 file", "give the .xlf that aligner check/translate wrote")
    bilingual = read_bilingual(path, kind)
    if bilingual.skeleton is None:
        raise InputError(
            path, "has no aligner skeleton", "merge works on the .xlf that aligner check/translate wrote"
        )
    try:
        text, _ = rebuild(bilingual.skeleton, {u.id: u.target for u in bilingual.units})
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"its aligner skeleton does not fit ({exc})", "") from None
    return text
