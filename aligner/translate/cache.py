"""A persistent translation cache: SQLite, keyed by the translator's signature and the source text.

The signature names the model id, revision and every decoding setting (see ``Translator.signature``),
so two engines or settings that could disagree never share an entry. ``PersistentCachedTranslator``
wraps any translator like ``aligner.translate.protocol.CachedTranslator`` does, but keeps what it learns in a
file: a second run over the same boilerplate costs no decoding. New entries are committed once per
engine call, in one transaction, so a killed process loses at most the call in flight and never
leaves half an entry. The file is in WAL mode with a busy timeout, so several worker processes can
share it (SQLite serialises their writes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from aligner.translate.protocol import Translator, WrappingTranslator

# Host parameters per SELECT ... IN (...): below SQLite's historic limit of 999, one is the signature.
_CHUNK = 900
BUSY_TIMEOUT_S = 60.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    signature TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (signature, source)
) WITHOUT ROWID
"""


CACHE_NAME = "translations.sqlite"


def default_cache_path(out: Path) -> Path:
    """Return ``OUT/translations.sqlite``: by default the cache stays inside the output folder, like
    everything a batch writes; ``--cache FILE`` shares one cache between runs."""
    return out / CACHE_NAME


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating when needed) an SQLite file in WAL mode, for several processes at once.

    ``synchronous=FULL`` so that a committed transaction survives a killed process or a power cut.
    Transactions are explicit (``BEGIN IMMEDIATE`` ... ``COMMIT``): autocommit mode otherwise.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class TranslationCache:
    """The SQLite store behind ``PersistentCachedTranslator``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = connect(path)
        self._db.execute(_SCHEMA)

    def get(self, signature: str, sources: Sequence[str]) -> dict[str, str]:
        """Return the cached target of every source that has one under ``signature``."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for chunk in _chunks(unique):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target FROM translations WHERE signature = ? AND source IN ({marks})",
                (signature, *chunk),
            )
            found.update(rows.fetchall())
        return found

    def put(self, signature: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Store ``(source, target)`` pairs in one transaction (an entry already there is kept)."""
        if not pairs:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT OR IGNORE INTO translations (signature, source, target) VALUES (?, ?, ?)",
                [(signature, source, target) for source, target in pairs],
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def __len__(self) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM translations").fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the file."""
        self._db.close()


class PersistentCachedTranslator(WrappingTranslator):
    """Wraps a translator: answers known texts from a ``TranslationCache``, sends the rest in one call.

    Engine hooks are forwarded (``WrappingTranslator``), so a cached engine cuts long sentences
    exactly as the bare engine does and gives the same output.
    """

    def __init__(self, inner: Translator, cache: TranslationCache) -> None:
        super().__init__(inner)
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate the texts the cache lacks in one inner call, store them, answer the rest."""
        signature = self.inner.signature()
        known = self.cache.get(signature, texts)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        self.hits += sum(text in known for text in texts)
        self.misses += len(missing)
        if missing:
            fresh = list(zip(missing, self.inner.translate(missing), strict=True))
            self.cache.put(signature, fresh)
            known.update(fresh)
        return [known[text] for text in texts]
