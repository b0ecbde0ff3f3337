"""Shared fixtures: the seed article with its gold, and the tiny MarianMT models built from it.

Tests that need the Hugging Face hub carry ``@pytest.mark.network``; they are skipped unless
``ALIGNER_NETWORK=1`` is set, so the default run is offline.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
TINY = REPO / "models" / "tiny"
TINY_DIRECTIONS = ("en-ko", "en-uk", "ko-en", "uk-en")


@dataclass(frozen=True, slots=True)
class Seed:
    """The seed article in three languages (line-aligned files) and its gold quotations."""

    en: str
    ko: str
    uk: str
    gold: dict[str, Any]

    def text(self, lang: str) -> str:
        """The whole article in ``lang``."""
        return str(getattr(self, lang))

    def lines(self, lang: str) -> list[str]:
        """The article's lines in ``lang`` (line N is the same paragraph in every language)."""
        return self.text(lang).splitlines()


# Fixtures that load a model: a test that uses one, directly or through another fixture, is ``slow``
# (the full run has it; ``pytest -m "not slow"`` is the seconds-long tier).
MODEL_FIXTURES = frozenset({"tiny_models"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark model-loading tests ``slow``; skip ``network`` tests unless ``ALIGNER_NETWORK=1``."""
    skip = pytest.mark.skip(reason="needs the Hugging Face hub; set ALIGNER_NETWORK=1 to run")
    online = os.environ.get("ALIGNER_NETWORK") == "1"
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if "network" in item.keywords and not online:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def seed() -> Seed:
    """The seed article nk-soldier in en, ko and uk, plus nk-soldier.gold.json."""
    texts = {
        lang: (SEEDS / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8") for lang in ("en", "ko", "uk")
    }
    gold = json.loads((SEEDS / "nk-soldier.gold.json").read_text(encoding="utf-8"))
    return Seed(gold=gold, **texts)


@pytest.fixture(scope="session")
def tiny_models() -> dict[str, Path]:
    """Folders of the four tiny MarianMT models (models/tiny/{en-ko,en-uk,ko-en,uk-en})."""
    folders = {direction: TINY / direction for direction in TINY_DIRECTIONS}
    missing = [str(path) for path in folders.values() if not (path / "model.safetensors").is_file()]
    if missing:
        pytest.fail(f"tiny models missing ({', '.join(missing)}); run .venv/bin/python models/build_tiny.py")
    return folders
