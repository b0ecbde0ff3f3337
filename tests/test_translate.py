"""Tests of the translators, on the tiny MarianMT models built from the seed (real transformers code path).

The tiny models (models/tiny, built by models/build_tiny.py) know only the seed article, so the
expected outputs below are the seed's own reference translations.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import Seed

from aligner.errors import ModelUnavailableError, UsageError
from aligner.translate.engines.hub import fetch_model, resolve_device
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.protocol import CachedTranslator, IdentityTranslator, Translator
from aligner.translate.registry import ModelEntry, load_registry

DIRECTIONS = ("en-ko", "en-uk", "ko-en", "uk-en")
# Attribution frames of the quote lines 8 and 10 of the seed (the FRAMES table of models/build_tiny.py).
FRAMES = [
    {"en": "Ri said.", "ko": "리 씨는 말했다.", "uk": "сказав Рі."},
    {
        "en": "Ri asked the journalist during the interview.",
        "ko": "리 씨는 인터뷰 중 기자에게 물었다.",
        "uk": "запитав Рі журналіста під час інтерв'ю.",
    },
]


@pytest.fixture(scope="session")
def tiny(tiny_models: dict[str, Path]) -> dict[str, MarianTranslator]:
    """One loaded MarianTranslator per tiny model, made from the registry default of its direction."""
    registry = load_registry()
    translators = {}
    for direction, folder in tiny_models.items():
        entry = registry.resolve(direction, str(folder))
        # One thread: on a busy two-core machine two threads decode these tiny models 5x slower.
        translator = MarianTranslator(entry, device="cpu", beams=4, batch_size=8, threads=1)
        translators[direction] = translator.load()
    return translators


def seed_pairs(seed: Seed, direction: str) -> list[tuple[str, str]]:
    """Every line, gold quotation and attribution frame of the seed as (source, reference) pairs."""
    src, tgt = direction.split("-")
    pairs = [(s, t) for s, t in zip(seed.lines(src), seed.lines(tgt), strict=True) if s.strip()]
    pairs += [(quote[src], quote[tgt]) for quote in seed.gold["quotes"]]
    pairs += [(frame[src], frame[tgt]) for frame in FRAMES]
    return pairs


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_tiny_model_reproduces_the_seed_exactly(
    tiny: dict[str, MarianTranslator], seed: Seed, direction: str
) -> None:
    pairs = seed_pairs(seed, direction)
    outputs = tiny[direction].translate([source for source, _ in pairs])
    wrong = [(source, out, ref) for (source, ref), out in zip(pairs, outputs, strict=True) if out != ref]
    assert not wrong, f"{len(wrong)} of {len(pairs)} differ, first: {wrong[0]}"
    assert len(pairs) == 18  # 14 non-empty lines + 2 quotations + 2 frames


def test_batch_order_and_blanks_are_preserved(tiny: dict[str, MarianTranslator], seed: Seed) -> None:
    pairs = seed_pairs(seed, "en-ko")
    # Long and short texts interleaved, a repeat and blanks: the length sort must be undone.
    picks = [pairs[3], pairs[-1], pairs[0], pairs[-1], pairs[10]]
    texts = [picks[0][0], "", picks[1][0], picks[2][0], "  ", picks[3][0], picks[4][0]]
    expected = [picks[0][1], "", picks[1][1], picks[2][1], "", picks[3][1], picks[4][1]]
    assert tiny["en-ko"].translate(texts) == expected


def test_an_empty_batch_gives_an_empty_list(tiny: dict[str, MarianTranslator]) -> None:
    assert tiny["en-ko"].translate([]) == []


def test_target_token_from_the_registry_is_prepended(tiny: dict[str, MarianTranslator]) -> None:
    en_uk, en_ko = tiny["en-uk"], tiny["en-ko"]
    assert en_uk.entry.target_token == ">>ukr<<"  # from the en-uk default, opus-mt-tc-big-en-zle
    assert en_uk.prepare("Ri said.") == ">>ukr<< Ri said."
    assert en_ko.prepare("Ri said.") == "Ri said."
    ids = en_uk._encode(["Ri said."])["input_ids"][0].tolist()
    assert ids[0] == en_uk._tokenizer.get_vocab()[">>ukr<<"]


def test_count_tokens_includes_the_target_token_and_eos(tiny: dict[str, MarianTranslator]) -> None:
    en_uk, en_ko = tiny["en-uk"], tiny["en-ko"]
    pieces = len(en_ko._tokenizer.tokenize("Ri said."))
    assert en_ko.count_tokens("Ri said.") == pieces + 1  # </s>
    assert en_uk.count_tokens("Ri said.") == pieces + 2  # >>ukr<< and </s>


def test_a_too_long_input_is_cut_with_a_warning(
    tiny: dict[str, MarianTranslator], caplog: pytest.LogCaptureFixture
) -> None:
    text = "Ri said. " * 200  # about 800 tokens, over the 512 of the registry
    with caplog.at_level("WARNING", logger="aligner"):
        (output,) = tiny["en-ko"].translate([text])
    assert output and "cut to 512" in caplog.text


def test_a_target_token_the_model_lacks_is_refused(tiny_models: dict[str, Path]) -> None:
    entry = load_registry().resolve("en-uk", str(tiny_models["en-uk"]))
    bad = MarianTranslator(_replace_token(entry, ">>xyz<<"), device="cpu")
    for _ in range(2):  # a failed load leaves nothing half-loaded behind
        with pytest.raises(ModelUnavailableError, match=r"no target token >>xyz<< \(known: >>ukr<<\)"):
            bad.load()


def _replace_token(entry: ModelEntry, token: str) -> ModelEntry:
    from dataclasses import replace

    return replace(entry, target_token=token)


SCORE_CASES = [
    # (id, direction, source, reference, worse candidate) - the reference comes from the seed.
    ("ko-wrong-verb", "en-ko", "Ri said.", "리 씨는 말했다.", "리 씨는 물었다."),
    ("ko-word-order", "en-ko", "Ri said.", "리 씨는 말했다.", "말했다 리 씨는."),
    ("uk-wrong-verb", "en-uk", "Ri said.", "сказав Рі.", "запитав Рі."),
    ("en-wrong-verb", "ko-en", "리 씨는 말했다.", "Ri said.", "Ri asked."),
    ("en-word-order", "uk-en", "сказав Рі.", "Ri said.", "Said Ri."),
]


@pytest.mark.parametrize(
    ("direction", "source", "right", "wrong"), [c[1:] for c in SCORE_CASES], ids=[c[0] for c in SCORE_CASES]
)
def test_score_prefers_the_right_translation(
    tiny: dict[str, MarianTranslator], direction: str, source: str, right: str, wrong: str
) -> None:
    good, bad = tiny[direction].score([source, source], [right, wrong])
    assert good > bad
    assert good < 0.0  # a mean log-probability


def test_score_keeps_the_input_order(tiny: dict[str, MarianTranslator], seed: Seed) -> None:
    pairs = seed_pairs(seed, "ko-en")[:6]
    sources, targets = [s for s, _ in pairs], [t for _, t in pairs]
    together = tiny["ko-en"].score(sources, targets)
    one_by_one = [tiny["ko-en"].score([s], [t])[0] for s, t in pairs]
    assert together == pytest.approx(one_by_one, abs=1e-4)


def test_score_needs_as_many_targets_as_sources(tiny: dict[str, MarianTranslator]) -> None:
    with pytest.raises(UsageError, match="as many targets"):
        tiny["en-ko"].score(["a", "b"], ["x"])


def test_signature_names_model_revision_and_settings(tiny: dict[str, MarianTranslator]) -> None:
    fields = dict(part.split(":", 1) for part in tiny["en-uk"].signature().split("|"))
    assert fields["model"].endswith("models/tiny/en-uk")
    assert (fields["rev"], fields["token"], fields["beams"], fields["device"]) == (
        "local",
        ">>ukr<<",
        "4",
        "cpu",
    )
    assert fields["transformers"][0].isdigit() and fields["torch"][0].isdigit()


def test_every_translator_meets_the_protocol(tiny: dict[str, MarianTranslator]) -> None:
    for translator in (tiny["en-ko"], IdentityTranslator(), CachedTranslator(IdentityTranslator())):
        assert isinstance(translator, Translator)


# --- loading errors -------------------------------------------------------------------------------


@pytest.fixture
def offline_empty_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """HF_HUB_OFFLINE=1 and an empty HF_HOME, set before anything is loaded."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    return tmp_path


DEFAULT_ENTRIES = [entry for entry in load_registry().entries if entry.default]


@pytest.mark.parametrize("entry", DEFAULT_ENTRIES, ids=[entry.direction for entry in DEFAULT_ENTRIES])
def test_a_default_model_offline_and_not_cached_says_how_to_get_it(
    offline_empty_cache: Path, entry: ModelEntry
) -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        MarianTranslator(entry, device="cpu").load()
    message = str(caught.value)
    assert "\n" not in message
    assert entry.model_id in message and f"aligner models fetch {entry.key}" in message
    assert str(offline_empty_cache) in message and "HF_HUB_OFFLINE=1" in message


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online-mode"])
def test_a_cached_hub_id_loads_without_the_hub(
    offline_empty_cache: Path, tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch, offline: bool
) -> None:
    # Lay the tiny en-ko files out as the hub cache holds the pinned default revision, to run the hub-id
    # code path (snapshot lookup) without the hub. The output is the tiny model's, not OPUS-MT's.
    if not offline:  # online mode: a cached pinned snapshot is used as it is, before any network use
        monkeypatch.delenv("HF_HUB_OFFLINE")
    entry = load_registry().default("en-ko")
    assert entry.revision is not None
    repo = "models--" + entry.model_id.replace("/", "--")
    snapshot = offline_empty_cache / "hub" / repo / "snapshots" / entry.revision
    shutil.copytree(tiny_models["en-ko"], snapshot)
    translator = MarianTranslator(entry, device="cpu", threads=1)
    assert translator.translate(["Ri said."]) == ["리 씨는 말했다."]


def test_fetch_offline_refuses_with_the_same_error(offline_empty_cache: Path) -> None:
    entry = load_registry().default("en-ko")
    with pytest.raises(ModelUnavailableError, match="offline mode is on"):
        fetch_model(entry)


def test_a_local_folder_without_weights_is_unavailable(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "en-ko"
    shutil.copytree(tiny_models["en-ko"], folder, ignore=shutil.ignore_patterns("*.safetensors"))
    entry = load_registry().resolve("en-ko", str(folder))
    with pytest.raises(
        ModelUnavailableError,
        match=r"lacks model.safetensors or pytorch_model.bin; point --model ko= at a full copy",
    ):
        MarianTranslator(entry, device="cpu").load()


def test_a_missing_local_folder_is_unavailable(tmp_path: Path) -> None:
    entry = load_registry().resolve("en-ko", str(tmp_path / "nowhere"))
    with pytest.raises(ModelUnavailableError, match="no such folder; run `aligner models fetch ko`"):
        MarianTranslator(entry, device="cpu").load()


@pytest.mark.parametrize("device", ["gpu", "cuda:99", "cuda:x"])
def test_an_unavailable_device_is_a_usage_error(device: str) -> None:
    with pytest.raises(UsageError, match="device"):
        resolve_device(device)


def test_auto_device_is_cuda_or_cpu() -> None:
    assert resolve_device("auto") in {"cpu", "cuda"}
    assert resolve_device("cpu") == "cpu"


# --- identity and cache ---------------------------------------------------------------------------


class CountingTranslator:
    """A real translator double: upper-cases, and records every batch it was asked for."""

    model_id = "counting"
    revision = None

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        return [text.upper() for text in texts]

    def signature(self) -> str:
        return "model:counting|rev:none"


def test_identity_returns_its_input() -> None:
    texts = ["Ri said.", "", "리 씨는 말했다."]
    assert IdentityTranslator().translate(texts) == texts


def test_cache_calls_the_inner_translator_once_per_new_text() -> None:
    inner = CountingTranslator()
    cached = CachedTranslator(inner)
    assert cached.translate(["a", "b", "a"]) == ["A", "B", "A"]
    assert cached.translate(["a"]) == ["A"]
    assert cached.translate(["b", "c"]) == ["B", "C"]
    assert inner.calls == [["a", "b"], ["c"]]
    assert len(cached) == 3


def test_cache_keeps_translators_with_different_settings_apart(tiny: dict[str, MarianTranslator]) -> None:
    greedy = MarianTranslator(tiny["en-ko"].entry, device="cpu", beams=1)
    assert greedy.signature() != tiny["en-ko"].signature()
    assert CachedTranslator(greedy).signature() == greedy.signature()


def test_cache_around_marian_translates_like_marian(tiny: dict[str, MarianTranslator]) -> None:
    cached = CachedTranslator(tiny["ko-en"])
    assert cached.translate(["리 씨는 말했다.", "리 씨는 말했다."]) == ["Ri said.", "Ri said."]
    assert len(cached) == 1


# --- real hub models (skipped unless ALIGNER_NETWORK=1) -------------------------------------------


@pytest.mark.network
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_real_default_model_translates_a_seed_sentence(direction: str) -> None:
    entry = load_registry().default(direction)
    fetch_model(entry)
    translator = MarianTranslator(entry, device="auto", beams=4)
    source = {"en": "Ri said.", "ko": "리 씨는 말했다.", "uk": "сказав Рі."}[entry.source_lang]
    (output,) = translator.translate([source])
    assert output.strip() and output != source
