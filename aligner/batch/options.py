"""What ``aligner batch`` was asked to do: the options record and the engine and backend names.

``Engine`` and ``Backend`` are the choices of ``--engine`` and ``--engine-backend``; the modules
that implement them are found through name -> implementation tables (``aligner.batch.work.BUILDERS``,
``aligner.batch.BACKENDS``), as sacrebleu finds its tokenizers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from aligner.translate.registry import parse_model_options
from aligner.version import __version__

__all__ = ["CHUNK", "Backend", "BatchOptions", "Engine"]

# Articles per engine call: the sentences of this many articles are deduplicated and sorted together.
CHUNK = 16


class Engine(StrEnum):
    """The decoding engine of a batch (``--engine``)."""

    TRANSFORMERS = "transformers"  # MarianMT through transformers and torch (optionally int8)
    CT2 = "ct2"  # the same checkpoint converted once to CTranslate2 (int8 on the CPU)


class Backend(StrEnum):
    """Where the pending units of a batch run (``--engine-backend``)."""

    LOCAL = "local"  # this machine: one process, or --workers processes
    RAY = "ray"  # a Ray cluster (``pip install 'aligner[ray]'``)


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """Everything ``aligner batch`` was asked to do."""

    input: Path
    langs: tuple[str, ...]
    out: Path
    engine: Engine = Engine.TRANSFORMERS
    workers: int = 1
    resume: bool = False
    models: tuple[str, ...] = ()  # LANG=HUB_ID_OR_DIR
    back_models: tuple[str, ...] = ()  # LANG=HUB_ID_OR_DIR of xx→en models: fidelity of the output
    thresholds: Path | None = None  # fidelity thresholds; the built-in ones when None
    glossary: Path | None = None
    fmt: str = "json"
    fail_on: str = "error"
    device: str = "auto"
    beams: int = 4
    batch_size: int = 16
    int8: bool = False
    threads: int | None = None  # per worker; cores // workers when None
    cache: Path | None = None  # the translation cache; default_cache_path(out) when None
    chunk: int = CHUNK
    engine_workers: int | None = None  # transformers engine processes per worker; see choose_workers
    max_bytes: int = 0  # an article larger than this fails (0: no limit)
    allow_pickle: bool = False  # load pytorch_model.bin (weights_only) when a folder has no safetensors

    def settings(self) -> dict[str, Any]:
        """The settings a resumed run must share with the first run of the folder."""
        return {
            "input": str(self.input.resolve()),
            "engine": str(self.engine),
            "models": dict(parse_model_options(self.models)),
            "glossary": str(self.glossary.resolve()) if self.glossary else None,
            "format": self.fmt,
            "beams": self.beams,
            "int8": self.int8,
            "aligner": __version__,
        } | ({"back_models": dict(parse_model_options(self.back_models))} if self.back_models else {})
