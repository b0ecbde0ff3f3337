"""The CTranslate2 engine: Marian checkpoints converted once to int8 and decoded without torch.

``convert_marian`` turns a Marian directory (``save_pretrained`` output plus ``source.spm``,
``target.spm`` and ``vocab.json``) into a CTranslate2 model, cached by model id, revision and
quantisation; it needs torch and transformers, once. ``CT2Translator`` then tokenises with
``sentencepiece`` directly, the way ``MarianTokenizer`` does, and translates with
``ctranslate2.Translator``: torch and transformers are never imported on that path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.errors import DependencyMissingError, ModelUnavailableError, UsageError
from aligner.translate.engines.pool import balanced_batch, default_threads

if TYPE_CHECKING:
    from aligner.translate.registry import ModelEntry

INSTALL_CT2 = "pip install 'aligner[ct2]'"
MARKER = "aligner-ct2.json"  # written last into a finished conversion; its presence means "complete"
FORMAT = 2  # of our conversions (2: own Marian loader); a cached one of another format is converted again
COPIED_FILES = ("source.spm", "target.spm", "tokenizer_config.json", "generation_config.json")
QUANTIZATIONS = ("int8", "int8_float32", "float32")
# A leading target-language token, as MarianTokenizer.remove_language_code finds it: ">>ukr<< Hi" -> ">>ukr<<"
_LANGUAGE_CODE = re.compile(r"^>>.*?<<")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_USE_TORCH = "use the transformers engine (--engine transformers)"


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """Decoding knobs, named after ``MarianTranslator``'s and the ``generate`` arguments they mirror."""

    beams: int = 4
    batch_size: int = (
        32  # the largest; CT2Translator splits the texts evenly over its workers (balanced_batch)
    )
    max_new_tokens: int = 512  # the eos included, as in generate()
    min_new_tokens: int = 0  # benchmarks set min = max to make every engine decode the same number of steps
    # CTranslate2 ends a beam search once beams * patience hypotheses have finished; transformers goes on
    # while a running beam could still beat the finished ones. With 1, the tiny en-ko seed model dropped
    # the second sentence of two-sentence seed lines, which transformers kept; 2 matched every seed input.
    patience: float = 2.0

    def __post_init__(self) -> None:
        if self.beams < 1 or self.batch_size < 1 or self.max_new_tokens < 1 or self.patience < 1:
            raise ValueError(
                f"beams, batch_size, max_new_tokens and patience must each be at least 1: {self}"
            )
        if not 0 <= self.min_new_tokens <= self.max_new_tokens:
            raise ValueError(f"min_new_tokens must lie in [0, max_new_tokens]: {self}")

    def ct2_kwargs(self, forced_eos: bool) -> dict[str, Any]:
        """Return the matching ``ctranslate2.Translator.translate_batch`` keyword arguments.

        Args:
            forced_eos: The model has ``forced_eos_token_id`` (Marian does): transformers spends the last
                step of a cut-off output on a forced ``</s>``, so that output keeps one token less.
        """
        longest = max(self.max_new_tokens - int(forced_eos), 1)
        return {
            "beam_size": self.beams,
            "max_batch_size": self.batch_size,
            "batch_type": "examples",
            "max_decoding_length": longest,
            "min_decoding_length": min(self.min_new_tokens, longest),
            "max_input_length": 0,  # cut in MarianPieces.encode, which keeps the eos as MarianTokenizer does
            "patience": self.patience,
            # Normalise scores by the length with the eos, as transformers' beam search does; decode drops it.
            "return_end_token": True,
        }


def default_cache_dir() -> Path:
    """Return ``$ALIGNER_CACHE/ct2``, else ``$XDG_CACHE_HOME/aligner/ct2`` (``~/.cache/aligner/ct2`` when
    neither is set), read on every call so a changed environment takes effect."""
    if root := os.environ.get("ALIGNER_CACHE"):
        return Path(root).expanduser() / "ct2"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "aligner" / "ct2"


def fingerprint(model_dir: Path) -> str:
    """Return a revision for an unversioned model directory: a hash of its files' names, sizes and mtimes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in model_dir.iterdir() if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return "local-" + digest.hexdigest()[:12]


def cache_key(model_id: str, revision: str, quantization: str) -> str:
    """Return the cache folder name for one conversion: ``<model id>@<revision>-<quantization>``."""
    slug = _UNSAFE.sub("-", model_id.replace("/", "--"))
    return f"{slug}@{_UNSAFE.sub('-', revision)}-{quantization}"


def _import_ctranslate2() -> Any:
    try:
        import ctranslate2
    except ImportError as error:
        raise DependencyMissingError("the CTranslate2 engine (--engine ct2)", INSTALL_CT2) from error
    return ctranslate2


def _check_vocab(model_dir: Path, model_id: str) -> None:
    """Refuse vocabularies with gaps in their ids or ``<pad>`` anywhere but last (the converter drops it)."""
    config = _tokenizer_config(model_dir)
    pad = str(config.get("pad_token", "<pad>"))
    names = ["vocab.json"]
    if config.get("separate_vocabs"):
        names.append(str(config.get("target_vocab_file") or "target_vocab.json"))
    for name in names:
        path = model_dir / name
        if not path.is_file():
            raise ModelUnavailableError(model_id, f"{model_dir} lacks {name}", "check the model path")
        vocab: dict[str, int] = json.loads(path.read_text(encoding="utf-8"))
        ids = sorted(vocab.values())
        if ids != list(range(len(ids))) or vocab.get(pad) != len(ids) - 1:
            raise ModelUnavailableError(model_id, f"{name} ids are not 0..n-1 with {pad} last", _USE_TORCH)


def _tokenizer_config(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "tokenizer_config.json"
    if not path.is_file():
        return {}
    config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return config


def convert_marian(
    model_dir: Path | str,
    cache_dir: Path | str | None = None,
    *,
    model_id: str | None = None,
    revision: str | None = None,
    quantization: str = "int8",
    allow_pickle: bool = False,
) -> Path:
    """Convert a Marian checkpoint to CTranslate2 once and return the cached model folder.

    The conversion runs into a temporary folder next to the cache entry and is renamed into place,
    so an interrupted run leaves nothing that looks complete. This step imports torch and transformers.

    Args:
        model_dir: A Marian folder: ``save_pretrained`` output plus the spm files and ``vocab.json``.
        cache_dir: Where conversions live; ``default_cache_dir()`` when None.
        model_id: Name used in the cache key; the folder name when None.
        revision: Revision used in the cache key; ``fingerprint(model_dir)`` when None.
        quantization: One of ``QUANTIZATIONS``; weights are stored in that type.
        allow_pickle: Convert from ``pytorch_model.bin`` (torch's weights_only loader) when the folder
            has no ``model.safetensors``; refused otherwise.

    Returns:
        The folder holding ``model.bin``, the vocabulary and the tokenizer files.

    Raises:
        ModelUnavailableError: The folder is missing files or has a vocabulary layout CTranslate2 cannot take.
        DependencyMissingError: ctranslate2 is not installed.
    """
    model_dir = Path(model_dir)
    model_id = model_id or model_dir.name
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {QUANTIZATIONS}, not {quantization!r}")
    if not (model_dir / "config.json").is_file() or not (model_dir / "vocab.json").is_file():
        raise ModelUnavailableError(model_id, f"no Marian checkpoint in {model_dir}", "check the model path")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache / cache_key(model_id, revision or fingerprint(model_dir), quantization)
    if _is_current(target):
        return target
    _check_vocab(model_dir, model_id)
    from aligner.translate.engines.hub import require_safetensors

    require_safetensors(model_dir, model_id, allow_pickle)
    ctranslate2 = _import_ctranslate2()
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache))
    try:
        start = _run_converter(ctranslate2, model_dir, work / "model", quantization)
        marker = {
            "format": FORMAT,
            "model_id": model_id,
            "revision": revision,
            "quantization": quantization,
            "decoder_start": start,
            "source": str(model_dir.resolve()),
            "ctranslate2": ctranslate2.__version__,
        }
        (work / "model" / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        _publish(work / "model", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _run_converter(ctranslate2: Any, model_dir: Path, out: Path, quantization: str) -> str:
    """Convert with ``_marian_loader`` in place of CTranslate2's own; return the decoder start (see there).

    Raises:
        DependencyMissingError: converting reads the checkpoint with transformers and torch (decoding the
            converted model later needs neither).
    """
    from aligner.translate.engines.hub import require_marian

    require_marian("converting a Marian checkpoint for --engine ct2 (done once, then cached)")
    from ctranslate2.converters import transformers as loaders

    copy = [name for name in COPIED_FILES if (model_dir / name).is_file()]
    loader = _marian_loader(loaders)
    registered = loaders._MODEL_LOADERS["MarianConfig"]
    loaders._MODEL_LOADERS["MarianConfig"] = loader
    from aligner.translate.engines.hub import quiet_progress

    quiet_progress()  # the converter loads the checkpoint through transformers: no bars off a terminal
    try:
        with warnings.catch_warnings():
            # MarianTokenizer asks for sacremoses, which only its unused punctuation normaliser needs.
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter = ctranslate2.converters.TransformersConverter(str(model_dir), copy_files=copy)
            converter.convert(str(out), quantization=None if quantization == "float32" else quantization)
    finally:
        loaders._MODEL_LOADERS["MarianConfig"] = registered
    return "<pad>" if loader.pad_start else "zero"


def _marian_loader(loaders: Any) -> Any:
    """Return CTranslate2's Marian loader, made exact for more checkpoints than OPUS-MT's releases.

    CTranslate2 starts Marian's decoder from a zero embedding and drops the last (``<pad>``) row, which
    is right for OPUS-MT releases (converted from Marian with a zero ``<pad>`` row). transformers starts
    from ``<pad>``'s embedding, and with tied embeddings training moves that row off zero (the tiny
    seed models: norm 0.69); such a checkpoint keeps ``<pad>`` and starts from it, as transformers does.
    CTranslate2 also gives both sides the source vocabulary; separate vocabularies (OPUS-MT tc-big
    ``sepvoc`` models, ``target_vocab.json``) get their own target side here.
    """

    class Loader(loaders.MarianMTLoader):  # type: ignore[misc]
        pad_start = False

        def get_model_spec(self, model: Any) -> Any:
            start = model.config.decoder_start_token_id
            self.pad_start = bool(model.get_decoder().embed_tokens.weight[start].abs().sum() > 0)
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            spec = loaders.BartLoader.get_model_spec(self, model)
            if not self.pad_start:
                sides = ((spec.encoder.embeddings[0], model.config.vocab_size),
                         (spec.decoder.embeddings, model.config.decoder_vocab_size),
                         (spec.decoder.projection, model.config.decoder_vocab_size))  # fmt: skip
                for weights, rows in sides:
                    _drop_last_row(weights, rows)
            return spec

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            super().set_config(config, model, tokenizer)
            if self.pad_start:
                config.decoder_start_token = tokenizer.pad_token

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            super().set_decoder(spec, decoder)
            spec.start_from_zero_embedding = not self.pad_start

        def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
            target = tokenizer.target_encoder if tokenizer.separate_vocabs else tokenizer.encoder
            sides = ((tokenizer.encoder, model.config.vocab_size), (target, model.config.decoder_vocab_size))
            cut = 0 if self.pad_start else 1
            return [sorted(vocab, key=vocab.__getitem__)[: rows - cut] for vocab, rows in sides]

        def set_vocabulary(self, spec: Any, tokens: Any) -> None:
            spec.register_source_vocabulary(tokens[0])
            spec.register_target_vocabulary(tokens[1])

    return Loader()


def _drop_last_row(weights: Any, rows: int) -> None:
    """Drop the ``<pad>`` row of an embedding or projection (tied weights are visited twice: cut once)."""
    if weights.weight.shape[0] == rows:
        weights.weight = weights.weight[:-1]
    if getattr(weights, "has_bias", lambda: False)() and weights.bias.shape[0] == rows:
        weights.bias = weights.bias[:-1]


def _is_current(folder: Path) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("format") == FORMAT


def _publish(built: Path, target: Path) -> None:
    """Move a finished conversion into place; a concurrent winner's copy is kept, an outdated one replaced."""
    try:
        built.rename(target)
    except OSError:
        if _is_current(target):
            return
        shutil.rmtree(target, ignore_errors=True)
        built.rename(target)


@dataclass(frozen=True, slots=True)
class MarianPieces:
    """MarianTokenizer's text <-> pieces rules, reimplemented on ``sentencepiece`` alone."""

    source: Any  # sentencepiece.SentencePieceProcessor
    target: Any
    eos: str
    specials: frozenset[str]  # dropped from outputs, as skip_special_tokens=True does
    special_split: re.Pattern[str] | None  # literal special tokens in the input stay single pieces

    @classmethod
    def load(cls, folder: Path) -> MarianPieces:
        """Read ``source.spm``, ``target.spm`` and ``tokenizer_config.json`` from ``folder``."""
        import sentencepiece

        config = _tokenizer_config(folder)
        specials = {
            str(config.get(key, default))
            for key, default in (("eos_token", "</s>"), ("unk_token", "<unk>"), ("pad_token", "<pad>"))
        }
        specials |= {str(tok) for tok in config.get("additional_special_tokens", [])}
        specials |= {
            str(tok["content"])
            for tok in config.get("added_tokens_decoder", {}).values()
            if tok.get("special")
        }
        pattern = "(" + "|".join(re.escape(tok) for tok in sorted(specials, key=len, reverse=True)) + ")"
        return cls(
            source=sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm")),
            target=sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm")),
            eos=str(config.get("eos_token", "</s>")),
            specials=frozenset(specials),
            special_split=re.compile(pattern) if specials else None,
        )

    def encode(self, text: str, max_tokens: int, *, target: bool = False) -> list[str]:
        """Return the source (or target) pieces of ``text`` and eos, cut to ``max_tokens`` (eos kept)."""
        processor = self.target if target else self.source
        pieces: list[str] = []
        chunks = self.special_split.split(text) if self.special_split else [text]
        for chunk in chunks:
            if chunk in self.specials:
                pieces.append(chunk)
            elif chunk:
                code = _LANGUAGE_CODE.match(chunk)
                if code:
                    pieces.append(code.group())
                    chunk = chunk[code.end() :]
                pieces.extend(processor.encode(chunk, out_type=str))
        return pieces[: max_tokens - 1] + [self.eos]

    def decode(self, pieces: Sequence[str]) -> str:
        """Return the text of target ``pieces`` without special tokens (``batch_decode`` semantics)."""
        kept = [piece for piece in pieces if piece not in self.specials]
        text: str = self.target.decode_pieces(kept)
        return text.replace("\u2581", " ").strip()


def _forced_eos(folder: Path) -> bool:
    for name in ("generation_config.json", "config.json"):
        path = folder / name
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8")).get("forced_eos_token_id") is not None
    return False


def _decode_kwargs(folder: Path, options: DecodeOptions) -> dict[str, Any]:
    kwargs = options.ct2_kwargs(_forced_eos(folder))
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    if marker.get("decoder_start") == "<pad>":  # this vocabulary keeps <pad>: ban it, as bad_words_ids does
        kwargs["suppress_sequences"] = [[str(_tokenizer_config(folder).get("pad_token", "<pad>"))]]
    return kwargs


def marian_folder(entry: ModelEntry) -> Path:
    """Return the local folder of a registry entry: the path itself, or its snapshot in the hub cache.

    Raises:
        ModelUnavailableError: the model is not on this machine.
    """
    local = Path(entry.model_id).expanduser()
    if local.is_dir():
        return local
    from huggingface_hub import snapshot_download

    from aligner.translate.engines.hub import fetch_hint, hub_cache_dir

    try:
        folder = snapshot_download(
            entry.model_id, revision=entry.revision, cache_dir=str(hub_cache_dir()), local_files_only=True
        )
    except Exception as exc:  # huggingface_hub raises several unrelated types for "not cached"
        raise ModelUnavailableError(
            entry.model_id, "not in the Hugging Face cache", fetch_hint(entry)
        ) from exc
    return Path(folder)


class CT2Translator:
    """Translate with a CTranslate2 model converted from a Marian checkpoint (int8 on CPU by default).

    Blank texts give empty strings; the rest are deduplicated, sorted by token count and decoded in
    even batches of at most ``options.batch_size`` (see ``balanced_batch``), one per worker at a time,
    and come back in input order. Once the conversion is cached, nothing on this path imports torch
    or transformers.
    """

    def __init__(
        self,
        model_dir: Path | str,
        *,
        model_id: str | None = None,
        revision: str | None = None,
        target_token: str | None = None,
        max_input_tokens: int = 512,
        options: DecodeOptions | None = None,
        compute_type: str = "int8",
        threads: int | None = None,
        cache_dir: Path | str | None = None,
        allow_pickle: bool = False,
        source_lang: str = "en",
    ) -> None:
        """Convert (once, cached) and load the model.

        Args:
            model_dir: The Marian folder (see ``convert_marian``).
            model_id: Registry id for the cache key and the signature; the folder path when None.
            revision: The model's pinned revision; None for a local folder (then fingerprinted for the cache).
            target_token: Prefix such as ``">>ukr<<"`` for multi-target models.
            max_input_tokens: Longest source in pieces, eos included; longer ones are cut.
            options: Decoding knobs; ``MarianTranslator``'s defaults when None.
            compute_type: ``int8`` (default), ``int8_float32`` or ``float32``; also the stored weight type.
            threads: CPU cores to use, one decoding worker each; ``min(cores, 4)`` when None.
            cache_dir: Where conversions are cached; ``default_cache_dir()`` when None.
            allow_pickle: Convert a folder that has only ``pytorch_model.bin`` (see ``convert_marian``).
            source_lang: The source language, for Moses punctuation normalisation (as the transformers
                engine does it; none without sacremoses).

        Raises:
            ModelUnavailableError: The model cannot be converted or loaded.
            DependencyMissingError: ctranslate2 is not installed.
        """
        model_dir = Path(model_dir)
        self.entry: ModelEntry | None = None  # set by from_entry
        self.model_id = model_id or str(model_dir)
        self.revision = revision
        self.target_token = target_token
        self.max_input_tokens = max_input_tokens
        self.options = options or DecodeOptions()
        self.compute_type = compute_type
        self.threads = threads or default_threads()
        from aligner.translate.engines.hub import punct_normalizer

        self.normalize = punct_normalizer(source_lang)
        self.path = convert_marian(
            model_dir,
            cache_dir,
            model_id=model_id,
            revision=revision,
            quantization=compute_type,
            allow_pickle=allow_pickle,
        )
        self._pieces = MarianPieces.load(self.path)
        self._decode_kwargs = _decode_kwargs(self.path, self.options)
        self._translator = self._load()

    @classmethod
    def from_entry(cls, entry: ModelEntry, **kwargs: Any) -> CT2Translator:
        """Build the translator for a registry entry (a local folder or a model in the hub cache).

        Args:
            entry: The registry entry; its id, revision, target token and input limit are used.
            **kwargs: ``options``, ``compute_type``, ``threads`` or ``cache_dir``.
        """
        translator = cls(
            marian_folder(entry),
            model_id=entry.model_id,
            revision=entry.revision,
            target_token=entry.target_token,
            max_input_tokens=entry.max_input_tokens,
            source_lang=entry.direction.partition("-")[0] or "en",
            **kwargs,
        )
        translator.entry = entry
        return translator

    def _load(self) -> Any:
        ctranslate2 = _import_ctranslate2()
        try:
            return ctranslate2.Translator(
                str(self.path),
                device="cpu",
                compute_type=self.compute_type,
                # One single-threaded worker per core, each decoding its own batch: beam bookkeeping,
                # softmax and top-k run on one thread, so intra-op threads would idle the other cores
                # (base, beam 4, 2 cores: 343 target tokens/s against 223 with 1 worker x 2 threads).
                inter_threads=self.threads,
                intra_threads=1,
            )
        except (RuntimeError, ValueError) as error:
            raise ModelUnavailableError(
                self.model_id,
                f"CTranslate2 cannot load {self.path} ({error})",
                f"delete {self.path} and retry",
            ) from error

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate every text; the result has the same length and order, blank texts give ``""``.

        Args:
            texts: Source strings, one unit each; all of them are sorted together by length.

        Returns:
            One translation per input.
        """
        unique = list(dict.fromkeys(text for text in texts if text.strip()))
        if not unique:
            return ["" for _ in texts]
        sources = [self._pieces.encode(self.prepare(text), self.max_input_tokens) for text in unique]
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        batch = balanced_batch(len(sources), self.threads, self.options.batch_size)
        results = self._translator.translate_batch(
            [sources[i] for i in order], **{**self._decode_kwargs, "max_batch_size": batch}
        )
        done = {
            unique[i]: self._pieces.decode(res.hypotheses[0]) for i, res in zip(order, results, strict=True)
        }
        return [done.get(text, "") for text in texts]

    def prepare(self, text: str) -> str:
        """Return the model input for ``text``: the target token and a space, then the text, its
        punctuation Moses-normalised."""
        text = self.normalize(text) if self.normalize else text
        return f"{self.target_token} {text}" if self.target_token else text

    def count_tokens(self, text: str) -> int:
        """Return the input pieces of ``text``, target token and ``</s>`` included (no cut)."""
        return len(self._pieces.encode(self.prepare(text), 1 << 30))

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Return each target's mean log-probability per token (``</s>`` included) given its source.

        The forced-decoding score of ``MarianTranslator.score``; higher (closer to 0) is likelier.

        Raises:
            UsageError: ``sources`` and ``targets`` differ in length.
        """
        if len(sources) != len(targets):
            raise UsageError(f"score needs as many targets as sources ({len(targets)} != {len(sources)})")
        if not sources:
            return []
        limit = self.max_input_tokens
        source = [self._pieces.encode(self.prepare(text), limit) for text in sources]
        target = [self._pieces.encode(text, limit, target=True)[:-1] for text in targets]  # ct2 adds </s>
        batch = balanced_batch(len(sources), self.threads, self.options.batch_size)
        results = self._translator.score_batch(source, target, max_batch_size=batch, max_input_length=0)
        return [sum(result.log_probs) / max(len(result.log_probs), 1) for result in results]

    def signature(self) -> str:
        """``engine:ct2|model:...|rev:...|token:...|beams:4|max_new:512|compute:int8|ctranslate2:4.x``."""
        ctranslate2 = _import_ctranslate2()
        opts = self.options
        parts = [
            "engine:ct2",
            f"model:{self.model_id}",
            f"rev:{self.revision or 'local'}",
            f"token:{self.target_token or 'none'}",
            f"beams:{opts.beams}",
            f"max_new:{opts.max_new_tokens}",
            *([f"min_new:{opts.min_new_tokens}"] if opts.min_new_tokens else []),
            *(["punct:moses"] if self.normalize else []),
            f"compute:{self.compute_type}",
            f"ctranslate2:{ctranslate2.__version__}",
        ]
        return "|".join(parts)
