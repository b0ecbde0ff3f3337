"""Translators: the ``Translator`` protocol and the identity and cache wrappers.

``MarianTranslator`` (``aligner.translate.engines.marian``) is the only real backend; model lookup and
loading live in ``aligner.translate.engines.hub``. ``IdentityTranslator`` returns its input
and exists for plumbing tests; ``CachedTranslator`` wraps any translator (after argos-translate's
``ITranslation`` / ``IdentityTranslation`` / ``CachedTranslation``).
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.protocols import Translator

__all__ = [
    "CachedTranslator",
    "IdentityTranslator",
    "Translator",
    "WrappingTranslator",
]


class IdentityTranslator:
    """Returns every text unchanged. For tests of the plumbing around a translator; it is not MarianMT."""

    model_id = "identity"
    revision = None

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return ``texts`` as a new list."""
        return list(texts)

    def signature(self) -> str:
        """Return ``model:identity|rev:none``."""
        return "model:identity|rev:none"


class WrappingTranslator:
    """Base of translators that wrap an engine (a cache, a meter): model id, revision and signature
    are the engine's. Its optional capabilities (``aligner.protocols``) are found on the engine under
    the wrappers (``unwrap``), so a wrapped engine cuts long sentences exactly as the bare engine does."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    @property
    def model_id(self) -> str:
        """The inner translator's model id."""
        return self.inner.model_id

    @property
    def revision(self) -> str | None:
        """The inner translator's revision."""
        return self.inner.revision

    def signature(self) -> str:
        """The inner signature (wrapping does not change output)."""
        return self.inner.signature()


class CachedTranslator(WrappingTranslator):
    """Wraps a translator and remembers every translation, keyed by the inner signature and the text.

    The signature names the model id, revision and every decoding setting, so two translators that
    could disagree never share an entry.
    """

    def __init__(self, inner: Translator) -> None:
        super().__init__(inner)
        self._cache: dict[tuple[str, str], str] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate the texts not seen before in one inner call; answer the rest from the cache."""
        sig = self.inner.signature()
        missing = list(dict.fromkeys(text for text in texts if (sig, text) not in self._cache))
        if missing:
            for text, output in zip(missing, self.inner.translate(missing), strict=True):
                self._cache[(sig, text)] = output
        return [self._cache[(sig, text)] for text in texts]
