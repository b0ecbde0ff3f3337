"""Property tests of the readers of untrusted files: the glossary, the batch's JSONL input and the
bilingual XLIFF/TMX/PO reader. Whatever the bytes, each either returns its records or raises the
project's own one-line error (an ``AlignerError``, exit 2): never another exception, never a hang.

The example count follows ``tests/test_properties.py``'s profiles (``HYPOTHESIS_PROFILE``: dev 200,
ci 1,000, long 20,000 examples per test); the long run is documented in ``bench/README.md``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aligner.article.parse import parse_article
from aligner.batch.inputs import load_text, read_sources
from aligner.check.checker import check_translation
from aligner.errors import AlignerError
from aligner.lang.names import load_glossary
from aligner.report.bilingual import kind_of, lay_out, read_bilingual
from aligner.report.xliff import check_xliff

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
settings.register_profile("dev", max_examples=200, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("ci", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=20000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@contextmanager
def _scratch(name: str, data: bytes) -> Iterator[Path]:
    """A fresh file holding ``data``, removed afterwards (Hypothesis reruns a test many times)."""
    with tempfile.TemporaryDirectory(prefix="aligner-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(_CELL, max_size=5).map("\t".join), max_size=8).map("\n".join).map(str.encode),
    )
)
@example(b"en\tko\tuk\nRi\t\xeb\xa6\xac|\xec\x9d\xb4\t\xd0\xa0\xd1\x96\n")
@example(b"\xff\xfe\x00")
@example(b"Ri\n\t\t\t\t\n#\n")
def test_the_glossary_reader_returns_a_glossary_or_its_error(data: bytes) -> None:
    with _scratch("names.tsv", data) as path:
        try:
            load_glossary(path)
        except AlignerError as error:
            assert str(path) in str(error) and "\n" not in str(error)


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _CELL,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_CELL, inner, max_size=3),
    max_leaves=20,
)
_RECORD = st.fixed_dictionaries({}, optional={"id": _JSON_VALUE, "text": _JSON_VALUE, "x": _JSON_VALUE})
_LINE = st.one_of(
    _RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)),
    st.integers(1, 3000).map(lambda depth: '{"id": 1, "text": "a", "x": ' + "[" * depth + "]" * depth + "}"),
    st.text(max_size=60),
)


@given(st.lists(_LINE, max_size=12))
@example(['{"id": 1, "text": "a", "x": ' + "[" * 1000 + "]" * 1000 + "}", '{"id": 2, "text": "b"}'])
@example(['{"id": 1, "text": "\\ud800"}', '{"id": 1, "text": "again"}', "not json", "[]"])
def test_a_bad_jsonl_line_fails_alone(lines: list[str]) -> None:
    with _scratch("articles.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")) as path:
        try:
            sources = read_sources(path, path.parent / "out")
        except AlignerError as error:  # no usable line at all: one usage error for the file
            assert "\n" not in str(error)
            return
    assert [s.seq for s in sources] == list(range(len(sources)))
    for source in sources:
        try:
            load_text(source)
        except AlignerError as error:  # this article fails with its reason; the others go on
            assert "\n" not in str(error)


def _own_xliff(lang: str) -> bytes:
    article = parse_article((SEEDS / "nk-soldier.en.txt").read_text(encoding="utf-8"))
    target = (SEEDS / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")
    report = check_translation(article, target, lang)
    return check_xliff(report, "nk-soldier.en.txt", f"nk-soldier.{lang}.txt").encode("utf-8")


_XLIFF = {lang: _own_xliff(lang) for lang in ("ko", "uk")}
_ARTICLE = parse_article((SEEDS / "nk-soldier.en.txt").read_text(encoding="utf-8"))


@st.composite
def _mutated_xliff(draw: st.DrawFn) -> bytes:
    """The project's own XLIFF of the seed with a few byte ranges deleted, duplicated or replaced."""
    data = bytearray(_XLIFF[draw(st.sampled_from(("ko", "uk")))])
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data) - 1))
        end = min(len(data), start + draw(st.integers(0, 200)))
        action = draw(st.sampled_from(("delete", "duplicate", "replace")))
        if action == "delete":
            del data[start:end]
        elif action == "duplicate":
            data[start:start] = data[start:end]
        else:
            data[start:end] = draw(st.binary(max_size=20))
    return bytes(data)


@settings(max_examples=max(20, settings().max_examples // 4))  # each example parses a whole XLIFF file
@given(
    st.one_of(_mutated_xliff(), st.binary(max_size=300)),
    st.sampled_from(("review.xlf", "memory.tmx", "strings.po", "plain.txt")),
)
def test_the_bilingual_reader_reads_or_refuses_with_one_line(data: bytes, name: str) -> None:
    with _scratch(name, data) as path:
        kind = kind_of(path)
        if kind is None:
            return  # plain text: read as an article translation, fuzzed in test_properties
        try:
            lay_out(read_bilingual(path, kind), _ARTICLE)
        except AlignerError as error:
            assert "\n" not in str(error)
