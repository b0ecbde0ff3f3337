"""Tests of the model registry: the shipped file, its packaged copy, lookups and malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.errors import UsageError
from aligner.translate.registry import REGISTRY_ENV, ModelEntry, load_registry, registry_path

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "models" / "registry.toml"
PACKAGED = REPO / "aligner" / "data" / "registry.toml"
DIRECTIONS = ("en-ko", "en-uk", "ko-en", "uk-en")
_REVISION = re.compile(r"[0-9a-f]{40}|main")

# The defaults the issue asked for (issue #4), with the target token of the multi-target en-zle model.
DEFAULTS = [
    ("en-ko", "Helsinki-NLP/opus-mt-tc-big-en-ko", None),
    ("en-uk", "Helsinki-NLP/opus-mt-tc-big-en-zle", ">>ukr<<"),
    ("ko-en", "Helsinki-NLP/opus-mt-tc-big-ko-en", None),
    ("uk-en", "Helsinki-NLP/opus-mt-tc-big-zle-en", None),
]


@pytest.fixture(scope="module")
def registry_entries() -> tuple[ModelEntry, ...]:
    return load_registry(SHIPPED).entries


def test_packaged_copy_matches_the_repository_file() -> None:
    assert PACKAGED.read_bytes() == SHIPPED.read_bytes(), "cp models/registry.toml aligner/data/registry.toml"


def test_the_default_location_is_the_packaged_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    assert Path(str(registry_path())).resolve() == PACKAGED.resolve()


def test_the_environment_variable_overrides_the_location(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        SHIPPED.read_text(encoding="utf-8").replace('direction = "ko-en"', 'direction = "ko-xx"')
    )
    monkeypatch.setenv(REGISTRY_ENV, str(other))
    assert "ko-xx" in load_registry().directions()


@pytest.mark.parametrize(("direction", "model_id", "token"), DEFAULTS, ids=[row[0] for row in DEFAULTS])
def test_each_direction_has_the_expected_default(direction: str, model_id: str, token: str | None) -> None:
    entry = load_registry(SHIPPED).default(direction)
    assert (entry.model_id, entry.target_token) == (model_id, token)


def test_exactly_one_default_per_direction(registry_entries: tuple[ModelEntry, ...]) -> None:
    defaults = [entry.direction for entry in registry_entries if entry.default]
    assert sorted(defaults) == sorted(DIRECTIONS)


def test_every_entry_has_the_required_facts(registry_entries: tuple[ModelEntry, ...]) -> None:
    for entry in registry_entries:
        assert entry.direction in DIRECTIONS, entry.name
        assert entry.model_id.startswith("Helsinki-NLP/opus-mt-"), entry.name
        assert entry.revision is not None and _REVISION.fullmatch(entry.revision), entry.name
        assert entry.max_input_tokens == 512, entry.name  # Marian tokenizer_config.json model_max_length
        assert entry.license in {"CC-BY-4.0", "Apache-2.0"}, entry.name
        assert entry.size_mb > 100 and entry.params_m > 50, entry.name
        assert entry.scores and all(1 < s.chrf < 100 and 0 < s.bleu < 100 for s in entry.scores), entry.name
        assert entry.sources and all(s.startswith("https://") for s in entry.sources), entry.name


def test_tc_big_models_are_cc_by_and_safetensors(registry_entries: tuple[ModelEntry, ...]) -> None:
    tc_big = [entry for entry in registry_entries if "-tc-big-" in entry.model_id]
    assert len(tc_big) == 4
    assert all(entry.license == "CC-BY-4.0" and entry.safetensors for entry in tc_big)


RESOLVE_CASES = [
    # (direction, --model value, expected model id, expected token, expected revision pinned?)
    ("en-uk", None, "Helsinki-NLP/opus-mt-tc-big-en-zle", ">>ukr<<", True),
    ("en-uk", "Helsinki-NLP/opus-mt-en-uk", "Helsinki-NLP/opus-mt-en-uk", None, True),
    ("en-uk", "opus-mt-en-uk", "Helsinki-NLP/opus-mt-en-uk", None, True),
    ("en-uk", "/data/models/en-zle", "/data/models/en-zle", ">>ukr<<", False),
    ("en-ko", "someone/opus-mt-en-ko-finetuned", "someone/opus-mt-en-ko-finetuned", None, False),
]


@pytest.mark.parametrize(
    ("direction", "model", "model_id", "token", "pinned"),
    RESOLVE_CASES,
    ids=[str(c[1]) for c in RESOLVE_CASES],
)
def test_resolve_picks_the_entry_for_a_model_override(
    direction: str, model: str | None, model_id: str, token: str | None, pinned: bool
) -> None:
    entry = load_registry(SHIPPED).resolve(direction, model)
    assert (entry.model_id, entry.target_token, entry.revision is not None) == (model_id, token, pinned)


@pytest.mark.parametrize(("direction", "key"), [("en-ko", "ko"), ("en-uk", "uk"), ("ko-en", "ko-en")])
def test_key_is_the_command_line_name_of_a_direction(direction: str, key: str) -> None:
    assert load_registry(SHIPPED).default(direction).key == key


def test_unknown_direction_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match="en-ko, en-uk"):
        load_registry(SHIPPED).default("en-fr")


BAD_FILES = [
    ("not-toml", "models = [", "not valid TOML"),
    ("no-models", "schema = 1\n", "no \\[models.NAME\\] tables"),
    ("missing-field", '[models.x]\ndirection = "en-ko"\n', "lacks default, model_id"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_malformed_registry_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_registry(path)


def test_a_missing_registry_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the model registry"):
        load_registry(tmp_path / "absent.toml")
