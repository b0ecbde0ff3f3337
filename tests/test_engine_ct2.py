"""Tests of the CTranslate2 engine on the tiny seed models: same output as the transformers engine, cached
conversion, no torch on the translation path, and helpful failures. Also the int8 quantiser of the
transformers engine (aligner/quantize.py).

Conversions go to a per-session temporary cache, one per model and weight type.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Seed

from aligner.errors import ModelUnavailableError
from aligner.translate.engines.ct2 import (
    FORMAT,
    MARKER,
    CT2Translator,
    DecodeOptions,
    MarianPieces,
    balanced_batch,
    cache_key,
    convert_marian,
    fingerprint,
    marian_folder,
)
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.registry import ModelEntry, load_registry

# Every test here loads a model or starts engine processes.
pytestmark = pytest.mark.slow

DIRECTIONS = ("en-ko", "en-uk")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+")  # as models/build_tiny.py splits seed lines into sentences


def seed_inputs(seed: Seed) -> list[str]:
    """Every English seed line, its sentences and the gold quotations (what the tiny models were trained on)."""
    lines = [line for line in seed.lines("en") if line.strip()]
    sentences = [part for line in lines for part in SENTENCE_END.split(line)]
    quotes = [quote["en"] for quote in seed.gold["quotes"]]
    return list(dict.fromkeys(lines + sentences + quotes))


@pytest.fixture(scope="session")
def entries(tiny_models: dict[str, Path]) -> dict[str, ModelEntry]:
    """The registry default of each direction, pointed at its tiny model (en-uk keeps >>ukr<<)."""
    registry = load_registry()
    return {direction: registry.resolve(direction, str(tiny_models[direction])) for direction in DIRECTIONS}


@pytest.fixture(scope="session")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory, entries: dict[str, ModelEntry]) -> Path:
    """A conversion cache holding every tiny model in float32 and int8 (converted once per session)."""
    cache = tmp_path_factory.mktemp("ct2")
    for entry in entries.values():
        for quantization in ("float32", "int8"):
            convert_marian(entry.model_id, cache, model_id=entry.model_id, quantization=quantization)
    return cache


@pytest.fixture(scope="session")
def reference(entries: dict[str, ModelEntry], seed: Seed) -> dict[tuple[str, int], list[str]]:
    """The transformers engine's output on the seed inputs, per (direction, beams)."""
    outputs = {}
    for direction, entry in entries.items():
        for beams in (1, 4):
            translator = MarianTranslator(entry, device="cpu", beams=beams, batch_size=8, threads=1)
            outputs[(direction, beams)] = translator.translate(seed_inputs(seed))
    return outputs


def ct2(entry: ModelEntry, cache: Path, compute_type: str, beams: int = 4) -> CT2Translator:
    return CT2Translator.from_entry(
        entry, options=DecodeOptions(beams=beams), compute_type=compute_type, threads=1, cache_dir=cache
    )


@pytest.mark.parametrize("beams", [1, 4], ids=["greedy", "beam4"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_float32_matches_the_transformers_engine(
    direction: str,
    beams: int,
    entries: dict[str, ModelEntry],
    ct2_cache: Path,
    reference: dict[tuple[str, int], list[str]],
    seed: Seed,
) -> None:
    outputs = ct2(entries[direction], ct2_cache, "float32", beams).translate(seed_inputs(seed))
    assert outputs == reference[(direction, beams)]


# Measured on the tiny models: int8 equals float32 on 28/28 inputs except en-ko greedy (27/28).
@pytest.mark.parametrize("beams", [1, 4], ids=["greedy", "beam4"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_int8_stays_close_to_the_transformers_engine(
    direction: str,
    beams: int,
    entries: dict[str, ModelEntry],
    ct2_cache: Path,
    reference: dict[tuple[str, int], list[str]],
    seed: Seed,
) -> None:
    outputs = ct2(entries[direction], ct2_cache, "int8", beams).translate(seed_inputs(seed))
    same = sum(a == b for a, b in zip(outputs, reference[(direction, beams)], strict=True))
    assert same >= 0.9 * len(outputs)


def test_blank_and_repeated_texts_keep_their_places(entries: dict[str, ModelEntry], ct2_cache: Path) -> None:
    translator = ct2(entries["en-ko"], ct2_cache, "float32")
    texts = ["Ri said.", "", "  ", "Ri said."]
    assert translator.translate(texts) == ["리 씨는 말했다.", "", "", "리 씨는 말했다."]
    assert translator.translate([]) == []


def test_signature_names_engine_model_and_decoding(entries: dict[str, ModelEntry], ct2_cache: Path) -> None:
    signature = ct2(entries["en-uk"], ct2_cache, "int8").signature()
    assert signature.startswith(
        f"engine:ct2|model:{entries['en-uk'].model_id}|rev:local|token:>>ukr<<|beams:4|"
    )
    assert "|compute:int8|ctranslate2:" in signature
    assert "|punct:moses|" in signature  # sources Moses-normalised, as by the transformers engine


def test_second_conversion_is_a_cache_hit(entries: dict[str, ModelEntry], ct2_cache: Path) -> None:
    model_id = entries["en-ko"].model_id
    path = convert_marian(model_id, ct2_cache, model_id=model_id, quantization="int8")
    before = (path / MARKER).stat().st_mtime_ns, (path / "model.bin").stat().st_mtime_ns
    assert convert_marian(model_id, ct2_cache, model_id=model_id, quantization="int8") == path
    assert ((path / MARKER).stat().st_mtime_ns, (path / "model.bin").stat().st_mtime_ns) == before
    assert path.name == cache_key(model_id, fingerprint(Path(model_id)), "int8")
    assert not [p.name for p in ct2_cache.iterdir() if p.name.startswith(".")]  # no leftover temp folders


def test_an_outdated_conversion_is_converted_again(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    path = convert_marian(tiny_models["en-ko"], tmp_path, quantization="float32")
    marker = json.loads((path / MARKER).read_text(encoding="utf-8"))
    (path / MARKER).write_text(json.dumps({**marker, "format": FORMAT - 1}), encoding="utf-8")
    assert convert_marian(tiny_models["en-ko"], tmp_path, quantization="float32") == path
    assert json.loads((path / MARKER).read_text(encoding="utf-8"))["format"] == FORMAT


def test_cache_key_separates_models_revisions_and_types() -> None:
    keys = {
        cache_key("Helsinki-NLP/opus-mt-en-uk", "main", "int8"),
        cache_key("Helsinki-NLP/opus-mt-en-uk", "f5c7a5d", "int8"),
        cache_key("Helsinki-NLP/opus-mt-en-uk", "main", "float32"),
        cache_key("Helsinki-NLP/opus-mt-en-ko", "main", "int8"),
    }
    assert len(keys) == 4
    assert cache_key("Helsinki-NLP/opus-mt-en-uk", "main", "int8") == "Helsinki-NLP--opus-mt-en-uk@main-int8"


def test_translating_a_converted_model_never_imports_torch(
    tiny_models: dict[str, Path], ct2_cache: Path
) -> None:
    folder = tiny_models["en-ko"]
    convert_marian(folder, ct2_cache)  # the defaults CT2Translator uses: folder name, fingerprint, int8
    script = (
        "import sys\n"
        "from aligner.translate.engines.ct2 import CT2Translator\n"
        f"translator = CT2Translator({str(folder)!r}, cache_dir={str(ct2_cache)!r}, threads=1)\n"
        "print(translator.translate(['Ri said.'])[0])\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.splitlines() == ["리 씨는 말했다.", "[]"]


def test_missing_ctranslate2_names_the_install_command(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    # sys.modules[name] = None makes `import name` raise ImportError, as in an environment without it.
    script = (
        "import sys\n"
        "sys.modules['ctranslate2'] = None\n"
        "from aligner.translate.engines.ct2 import convert_marian\n"
        "from aligner.errors import DependencyMissingError\n"
        "try:\n"
        f"    convert_marian({str(tiny_models['en-ko'])!r}, {str(tmp_path)!r})\n"
        "except DependencyMissingError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert "install it with: pip install 'aligner[ct2]'" in done.stdout


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("pad-first", "vocab.json ids are not 0..n-1 with <pad> last"),
        ("separate", "lacks target_vocab.json"),
        ("no-config", "no Marian checkpoint"),
    ],
    ids=["pad-not-last", "separate-without-target-vocab", "not-a-checkpoint"],
)
def test_unconvertible_folders_are_refused(
    change: str, reason: str, tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(tiny_models["en-ko"], folder)
    if change == "pad-first":
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        first = next(token for token, index in vocab.items() if index == 0)
        vocab[first], vocab["<pad>"] = vocab["<pad>"], 0
        (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    elif change == "separate":
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        (folder / "tokenizer_config.json").write_text(
            json.dumps({**config, "separate_vocabs": True}), "utf-8"
        )
    else:
        (folder / "config.json").unlink()
    with pytest.raises(ModelUnavailableError, match=re.escape(reason)):
        convert_marian(folder, tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_hub_model_not_in_the_cache_says_how_to_fetch_it(
    entries: dict[str, ModelEntry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    entry = load_registry().default("en-ko")
    with pytest.raises(ModelUnavailableError, match=r"aligner models fetch ko"):
        marian_folder(entry)


@pytest.mark.parametrize(
    "text",
    [
        "Ri said.",
        ">>ukr<< Ri said.",
        "  spaces   inside  and around ",
        "a literal </s> and <unk> in the text",
        "“Curly” quotes, «guillemets» and 'straight' ones",
        "word " * 600,
    ],
    ids=["plain", "target-token", "spaces", "special-tokens", "quote-marks", "over-long"],
)
def test_pieces_match_the_marian_tokenizer(text: str, tiny_models: dict[str, Path]) -> None:
    import warnings

    from transformers import MarianTokenizer

    folder = tiny_models["en-uk"]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer.from_pretrained(str(folder))
    ids = tokenizer(text, truncation=True, max_length=512)["input_ids"]
    assert MarianPieces.load(folder).encode(text, 512) == tokenizer.convert_ids_to_tokens(ids)


@pytest.mark.parametrize(
    "options",
    [{"beams": 0}, {"batch_size": 0}, {"max_new_tokens": 0}, {"min_new_tokens": 9, "max_new_tokens": 8},
     {"patience": 0.5}],
    ids=["beams", "batch", "max-new", "min-over-max", "patience"],
)  # fmt: skip
def test_decode_options_reject_impossible_values(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        DecodeOptions(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "forced_eos", "longest"),
    [
        (DecodeOptions(max_new_tokens=512), True, 511),
        (DecodeOptions(max_new_tokens=8, min_new_tokens=8), False, 8),
    ],
    ids=["forced-eos", "fixed-length"],
)
def test_length_limits_follow_transformers(options: DecodeOptions, forced_eos: bool, longest: int) -> None:
    # transformers spends the last of max_new_tokens on the forced </s> (generation_config forced_eos_token_id).
    kwargs = options.ct2_kwargs(forced_eos)
    assert kwargs["max_decoding_length"] == longest
    assert kwargs["min_decoding_length"] == min(options.min_new_tokens, longest)


def test_int8_quantisation_keeps_the_seed_translations(
    entries: dict[str, ModelEntry], reference: dict[tuple[str, int], list[str]], seed: Seed
) -> None:
    import torch

    from aligner.translate.engines.quantize import quantize_dynamic_int8

    translator = MarianTranslator(entries["en-ko"], device="cpu", beams=4, batch_size=8, threads=1).load()
    translator._model = quantize_dynamic_int8(translator._model)
    linear = [m for m in translator._model.modules() if type(m) is torch.nn.Linear]
    assert linear == []  # every Linear, the tied output projection included, is now int8
    after = translator.translate(seed_inputs(seed))
    assert sum(a == b for a, b in zip(reference[("en-ko", 4)], after, strict=True)) >= 0.9 * len(after)


def test_quantisation_refuses_a_model_off_the_cpu() -> None:
    import torch

    from aligner.errors import UsageError
    from aligner.translate.engines.quantize import quantize_dynamic_int8

    model = torch.nn.Linear(2, 2, device="meta")
    with pytest.raises(UsageError, match="CPU only"):
        quantize_dynamic_int8(model)


def build_separate_vocab_marian(folder: Path, seed: Seed) -> Path:
    """Save a random-weight Marian with separate source/target vocabularies, as OPUS-MT tc-big sepvoc models."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    folder.mkdir()
    pieces = {}
    for side, lang in (("source", "en"), ("target", "ko")):
        model = folder / f"{side}.spm"
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(seed.lines(lang)), model_prefix=str(folder / side), vocab_size=300,
            hard_vocab_limit=False, character_coverage=1.0, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1,
            minloglevel=2,
        )  # fmt: skip
        (folder / f"{side}.model").rename(model)
        processor = spm.SentencePieceProcessor(model_file=str(model))
        pieces[side] = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    size = max(len(side) for side in pieces.values()) + 1  # one id space per side, <pad> last in both
    for side, name in (("source", "vocab.json"), ("target", "target_vocab.json")):
        tokens = pieces[side] + [f"\u2581unused{i}" for i in range(size - 1 - len(pieces[side]))] + ["<pad>"]
        (folder / name).write_text(json.dumps({token: i for i, token in enumerate(tokens)}), "utf-8")
    tokenizer = {"separate_vocabs": True, "target_vocab_file": "target_vocab.json", "model_max_length": 512}
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer), "utf-8")
    torch.manual_seed(0)
    config = MarianConfig(
        vocab_size=size, decoder_vocab_size=size, share_encoder_decoder_embeddings=False, d_model=32,
        encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, pad_token_id=size - 1, eos_token_id=0,
        decoder_start_token_id=size - 1, forced_eos_token_id=0,
    )  # fmt: skip
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=size - 1, eos_token_id=0, pad_token_id=size - 1, forced_eos_token_id=0,
        bad_words_ids=[[size - 1]], num_beams=4, max_length=512,
    )  # fmt: skip
    model.save_pretrained(str(folder))
    return folder


@pytest.mark.parametrize("beams", [1, 4], ids=["greedy", "beam4"])
def test_separate_vocabularies_match_the_transformers_engine(beams: int, seed: Seed, tmp_path: Path) -> None:
    folder = build_separate_vocab_marian(tmp_path / "sepvoc", seed)
    entry = load_registry().resolve("en-ko", str(folder))
    inputs = [line for line in seed.lines("en") if line.strip()][:4]
    expected = MarianTranslator(entry, device="cpu", beams=beams, max_new_tokens=12, threads=1).translate(
        inputs
    )
    options = DecodeOptions(beams=beams, max_new_tokens=12)
    translator = CT2Translator(folder, options=options, compute_type="float32", threads=1, cache_dir=tmp_path)
    assert translator.translate(inputs) == expected
    assert any("\uac00" <= char <= "\ud7a3" for char in "".join(expected))  # target pieces are Korean


@pytest.mark.parametrize(
    ("count", "workers", "largest", "expected"),
    [(40, 2, 32, 20), (100, 2, 32, 25), (3, 2, 32, 2), (1, 4, 32, 1), (64, 1, 32, 32), (65, 1, 32, 22)],
    ids=["two-even", "four-even", "fewer-than-workers", "one-text", "one-worker", "one-worker-spill"],
)
def test_batches_are_even_and_fill_every_worker(
    count: int, workers: int, largest: int, expected: int
) -> None:
    assert balanced_batch(count, workers, largest) == expected


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_scores_and_token_counts_match_the_transformers_engine(
    direction: str, entries: dict[str, ModelEntry], ct2_cache: Path, seed: Seed
) -> None:
    tgt = direction.split("-")[1]
    pairs = [(s, t) for s, t in zip(seed.lines("en"), seed.lines(tgt), strict=True) if s.strip()]
    sources, targets = [s for s, _ in pairs], [t for _, t in pairs]
    marian = MarianTranslator(entries[direction], device="cpu", batch_size=8, threads=1)
    translator = ct2(entries[direction], ct2_cache, "float32")
    assert translator.score(sources, targets) == pytest.approx(marian.score(sources, targets), abs=1e-3)
    assert [translator.count_tokens(s) for s in sources] == [marian.count_tokens(s) for s in sources]
    assert translator.entry is entries[direction]
