"""The model registry: which MarianMT model translates each direction, pinned, with its published facts.

The registry is a TOML file (``models/registry.toml`` in the repository; the installed package reads its
copy ``aligner/data/registry.toml``). This module parses it into frozen records and answers "which model for
en-ko?" and "which entry does ``--model uk=X`` mean?". It imports nothing heavy.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from aligner.errors import UsageError

REGISTRY_ENV = "ALIGNER_REGISTRY"
_PACKAGED = ("data", "registry.toml")
_REPO_COPY = Path(__file__).resolve().parent.parent / "models" / "registry.toml"
_REQUIRED = (
    "direction",
    "default",
    "model_id",
    "revision",
    "target_token",
    "max_input_tokens",
    "license",
    "safetensors",
    "size_mb",
    "params_m",
    "scores",
    "sources",
)


@dataclass(frozen=True, slots=True)
class PublishedScore:
    """One score from a model card: benchmark, language pair, BLEU and chrF (both on 0-100, as sacrebleu
    and the OPUS-MT model cards print them; the cards' ``benchmark_results.txt`` has chrF on 0-1)."""

    benchmark: str
    pair: str
    bleu: float
    chrf: float


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One translation model: where to get it, how to call it, and what its card says."""

    name: str
    direction: str
    default: bool
    model_id: str
    revision: str | None
    target_token: str | None
    max_input_tokens: int
    license: str
    safetensors: bool
    size_mb: float
    params_m: float
    scores: tuple[PublishedScore, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str = ""

    @property
    def source_lang(self) -> str:
        """The source language code, e.g. ``en`` for ``en-ko``."""
        return self.direction.split("-")[0]

    @property
    def target_lang(self) -> str:
        """The target language code, e.g. ``ko`` for ``en-ko``."""
        return self.direction.split("-")[1]

    @property
    def key(self) -> str:
        """The name users give this direction on the command line: ``ko`` for en-ko, ``ko-en`` otherwise."""
        return self.target_lang if self.source_lang == "en" else self.direction

    def with_model(self, model: str) -> ModelEntry:
        """Return this entry pointing at another hub id or local directory (revision unknown)."""
        return replace(self, name=model, model_id=model, revision=None, default=False)


@dataclass(frozen=True, slots=True)
class Registry:
    """All entries of a registry file, in file order."""

    entries: tuple[ModelEntry, ...]
    path: str

    def directions(self) -> tuple[str, ...]:
        """Every direction that has a default model, in file order."""
        return tuple(entry.direction for entry in self.entries if entry.default)

    def default(self, direction: str) -> ModelEntry:
        """Return the default entry for ``direction`` (e.g. ``en-ko``).

        Raises:
            UsageError: no default model for that direction.
        """
        for entry in self.entries:
            if entry.direction == direction and entry.default:
                return entry
        known = ", ".join(self.directions())
        raise UsageError(f"no model for direction {direction!r}; known directions: {known}")

    def get(self, name: str) -> ModelEntry:
        """Return the entry called ``name`` (the TOML table name).

        Raises:
            UsageError: no such entry.
        """
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise UsageError(f"no model called {name!r} in {self.path}")

    def resolve(self, direction: str, model: str | None = None) -> ModelEntry:
        """Return the entry to use for ``direction`` when the user named ``model`` (or nothing).

        A hub id or entry name that the registry knows for this direction gives that entry (so
        ``Helsinki-NLP/opus-mt-en-uk`` drops the ``>>ukr<<`` token of the default). Anything else (a local
        directory or an unknown hub id) keeps the default's settings, target token included, with the
        model replaced; the translator checks at load time that the token is in the model's vocabulary.
        """
        default = self.default(direction)
        if model is None:
            return default
        for entry in self.entries:
            if entry.direction == direction and model in (entry.model_id, entry.name):
                return entry
        return default.with_model(model)


def parse_model_options(values: Sequence[str]) -> dict[str, str]:
    """Turn ``["ko=PATH", "uk=ID"]`` into ``{"ko": "PATH", "uk": "ID"}``.

    Raises:
        UsageError: a value without ``LANG=``.
    """
    models = {}
    for value in values:
        lang, sep, model = value.partition("=")
        if not sep or not lang or not model:
            raise UsageError(
                f"--model {value!r}: write LANG=HUB_ID_OR_DIR, e.g. --model ko=models/tiny/en-ko"
            )
        models[lang.strip()] = model.strip()
    return models


def registry_path() -> Traversable:
    """Locate the registry: ``$ALIGNER_REGISTRY``, else the packaged copy, else the repository's file."""
    if env := os.environ.get(REGISTRY_ENV):
        return Path(env)
    packaged = resources.files("aligner").joinpath(*_PACKAGED)
    return packaged if packaged.is_file() else _REPO_COPY


def load_registry(path: Path | str | None = None) -> Registry:
    """Read and validate a registry file (default: see ``registry_path``).

    Raises:
        UsageError: the file is missing, is not TOML, or an entry lacks a required field.
    """
    source: Traversable = Path(path) if path is not None else registry_path()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the model registry {source}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"the model registry {source} is not valid TOML: {exc}") from None
    models = data.get("models")
    if not isinstance(models, Mapping) or not models:
        raise UsageError(f"the model registry {source} has no [models.NAME] tables")
    entries = tuple(_entry(name, fields, source) for name, fields in models.items())
    return Registry(entries=entries, path=str(source))


def _entry(name: str, fields: Mapping[str, Any], source: object) -> ModelEntry:
    missing = [key for key in _REQUIRED if key not in fields]
    if missing:
        raise UsageError(f"model registry {source}: [models.{name}] lacks {', '.join(missing)}")
    scores = tuple(
        PublishedScore(str(s["benchmark"]), str(s["pair"]), float(s["bleu"]), float(s["chrf"]))
        for s in fields["scores"]
    )
    for score in scores:
        if not 1.0 < score.chrf <= 100.0:  # a published chrF of at most 1 on 0-100 is a 0-1 value
            raise UsageError(
                f"model registry {source}: [models.{name}] chrf = {score.chrf:g} for {score.benchmark}: "
                "write chrF on 0-100 (multiply a 0-1 value by 100)"
            )
    return ModelEntry(
        name=name,
        direction=str(fields["direction"]),
        default=bool(fields["default"]),
        model_id=str(fields["model_id"]),
        revision=str(fields["revision"]) or None,
        target_token=str(fields["target_token"]) or None,
        max_input_tokens=int(fields["max_input_tokens"]),
        license=str(fields["license"]),
        safetensors=bool(fields["safetensors"]),
        size_mb=float(fields["size_mb"]),
        params_m=float(fields["params_m"]),
        scores=scores,
        sources=tuple(str(s) for s in fields["sources"]),
        notes=str(fields.get("notes", "")),
    )
