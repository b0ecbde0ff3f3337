"""The translation engine interface and its optional capabilities, as small Protocols.

They live on the ground floor so that both sides can name them without importing each other:
``aligner.translate`` implements them (the MarianMT and CTranslate2 engines, the cache and meter
wrappers) and ``aligner.check.fidelity`` consumes them (it scores with whatever engine it is handed,
and never imports the translation layer). A capability is tested with ``isinstance`` on the engine
under its wrappers (``unwrap``), never with ``getattr``/``hasattr``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

__all__ = ["Closeable", "Scorer", "TokenCounter", "Translator", "Variable", "Wrapper", "unwrap"]


@runtime_checkable
class Translator(Protocol):
    """Anything that translates a batch of texts and can say which settings made the output."""

    @property
    def model_id(self) -> str:
        """Hub id, local path or a name such as ``identity``."""
        ...

    @property
    def revision(self) -> str | None:
        """Pinned revision of the model, or None when unknown (a local directory)."""
        ...

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate every text; the result has the same length and order."""
        ...

    def signature(self) -> str:
        """A ``key:value|...`` string naming everything that changes the output."""
        ...


@runtime_checkable
class Scorer(Translator, Protocol):
    """An engine that can also score given targets by forced decoding (fidelity's forward model)."""

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Return the mean log-probability per target token of each target given its source."""
        ...


@runtime_checkable
class TokenCounter(Protocol):
    """An engine that knows its input length limit and counts a text's input tokens: the pipeline cuts
    long sentences with it instead of estimating from characters."""

    @property
    def max_input_tokens(self) -> int:
        """The longest input the model takes, in tokens."""
        ...

    def count_tokens(self, text: str) -> int:
        """The input tokens of ``text``, target token and ``</s>`` included."""
        ...


@runtime_checkable
class Variable(Protocol):
    """An engine that can make a sibling with other decoding settings sharing its loaded model: the
    retry engine for outputs the guard rejects."""

    def variant(self, *, beams: int, no_repeat_ngram: int) -> Translator:
        """A translator with these decoding settings, sharing this one's model."""
        ...


@runtime_checkable
class Closeable(Protocol):
    """An engine that holds processes or files to release when the run ends."""

    def close(self) -> None:
        """Release them; a later call may start them again."""
        ...


@runtime_checkable
class Wrapper(Protocol):
    """A translator that wraps an engine (a cache, a meter) and adds no capability of its own."""

    @property
    def inner(self) -> Translator:
        """The wrapped translator."""
        ...


def unwrap(translator: Translator) -> Translator:
    """Return the engine under every wrapper: where its optional capabilities are looked up."""
    while isinstance(translator, Wrapper):
        translator = translator.inner
    return translator
