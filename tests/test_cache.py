"""The persistent translation cache: keys, persistence across connections, and the wrapper's engine calls."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from aligner.protocols import TokenCounter, unwrap
from aligner.translate.cache import PersistentCachedTranslator, TranslationCache, connect, default_cache_path
from aligner.translate.protocol import IdentityTranslator


class Counting:
    """A real translator (upper-casing, with a settable signature) that records every batch it is given."""

    model_id = "upper"
    revision = None

    def __init__(self, signature: str = "model:upper|rev:none") -> None:
        self._signature = signature
        self.batches: list[list[str]] = []

    def signature(self) -> str:
        return self._signature

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.batches.append(list(texts))
        return [text.upper() for text in texts]


KEYS = [
    # (stored under, asked under, found)
    ("model:a|beams:4", "model:a|beams:4", True),
    ("model:a|beams:4", "model:a|beams:1", False),  # decoding settings are part of the key
    ("model:a|rev:1", "model:a|rev:2", False),  # so is the revision
    ("model:a|beams:4", "model:b|beams:4", False),  # and the model
]


@pytest.mark.parametrize(("stored", "asked", "found"), KEYS, ids=["same", "beams", "revision", "model"])
def test_entries_are_keyed_by_signature_and_text(
    tmp_path: Path, stored: str, asked: str, found: bool
) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    cache.put(stored, [("Hello.", "Привіт.")])
    assert cache.get(asked, ["Hello.", "Other."]) == ({"Hello.": "Привіт."} if found else {})
    cache.close()


def test_entries_survive_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite"
    first = TranslationCache(path)
    first.put("sig", [("a", "A"), ("b", "B")])
    first.close()
    second = TranslationCache(path)
    assert second.get("sig", ["a", "b", "c"]) == {"a": "A", "b": "B"}
    assert len(second) == 2
    second.close()


def test_wal_mode_and_a_second_writer_keeps_the_first_entry(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    one, two = TranslationCache(path), TranslationCache(path)
    one.put("sig", [("a", "first")])
    two.put("sig", [("a", "second"), ("b", "B")])  # an entry already there is kept, no error
    assert one.get("sig", ["a", "b"]) == {"a": "first", "b": "B"}
    db = connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    one.close()
    two.close()


def test_more_texts_than_sqlite_parameters(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    texts = [f"sentence {i}" for i in range(2500)]
    cache.put("sig", [(t, t.upper()) for t in texts])
    assert cache.get("sig", texts) == {t: t.upper() for t in texts}
    cache.close()


def test_wrapper_sends_each_unknown_text_once_and_nothing_the_second_time(tmp_path: Path) -> None:
    inner = Counting()
    cache = TranslationCache(tmp_path / "c.sqlite")
    cached = PersistentCachedTranslator(inner, cache)
    assert cached.translate(["a", "b", "a", ""]) == ["A", "B", "A", ""]
    assert inner.batches == [["a", "b", ""]]
    assert cached.translate(["b", "a", "c"]) == ["B", "A", "C"]
    assert inner.batches[1:] == [["c"]]
    assert (cached.hits, cached.misses) == (2, 4)
    cache.close()
    # A fresh wrapper over the same file: nothing reaches the engine.
    again = Counting()
    reopened = TranslationCache(tmp_path / "c.sqlite")
    assert PersistentCachedTranslator(again, reopened).translate(["c", "a"]) == ["C", "A"]
    assert again.batches == []
    reopened.close()


def test_other_settings_miss(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    PersistentCachedTranslator(Counting("model:upper|beams:4"), cache).translate(["a"])
    greedy = Counting("model:upper|beams:1")
    PersistentCachedTranslator(greedy, cache).translate(["a"])
    assert greedy.batches == [["a"]]
    cache.close()


def test_wrapper_keeps_identity_and_its_engine_capabilities_stay_reachable(tmp_path: Path) -> None:
    class WithHooks(IdentityTranslator):
        max_input_tokens = 16

        def count_tokens(self, text: str) -> int:
            return len(text.split()) + 1

    cache = TranslationCache(tmp_path / "c.sqlite")
    cached = PersistentCachedTranslator(WithHooks(), cache)
    assert (cached.model_id, cached.revision, cached.signature()) == (
        "identity",
        None,
        "model:identity|rev:none",
    )
    engine = unwrap(cached)  # the pipeline cuts long sentences with the engine's own counter
    assert isinstance(engine, TokenCounter) and engine.count_tokens("two words") == 3
    assert not isinstance(unwrap(PersistentCachedTranslator(IdentityTranslator(), cache)), TokenCounter)
    assert not isinstance(cached, TokenCounter)  # a wrapper adds no capability of its own
    cache.close()


def test_a_rolled_back_put_leaves_no_entry(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.Error):
        cache.put("sig", [("a", "A"), ("b", object())])  # type: ignore[list-item]  # cannot be bound: fails mid-way
    assert cache.get("sig", ["a", "b"]) == {}
    cache.close()


def test_default_path_stays_inside_the_output_folder(tmp_path: Path) -> None:
    assert default_cache_path(tmp_path) == tmp_path / "translations.sqlite"
