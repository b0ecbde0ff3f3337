"""Where MarianMT models come from and how they load: devices, the Hugging Face cache, downloads.

A model is a hub id (looked up in the Hugging Face cache, downloaded only when the hub is reachable
and ``HF_HUB_OFFLINE`` is not set) or a local folder. Weights load from safetensors only: a folder
with only ``pytorch_model.bin`` (a pickle) is refused with the command that converts it, unless the
caller allows pickles (``--allow-pickle``); then transformers loads it through torch's
``weights_only`` unpickler. Remote code never runs. Every failure is a ``ModelUnavailableError`` that
says how to get the model; a corrupt file (config, vocabulary, sentencepiece model, weights) is
named. torch, transformers, sentencepiece and safetensors are imported inside the functions.

Without network a download fails at once: ``probe_hub`` tries one TCP connection to the hub (2 s)
before huggingface_hub is asked, instead of its retries and doubled warnings. Third-party progress bars
(transformers, huggingface_hub) are shown only when stderr is a terminal (``quiet_progress``).

Sources are Moses-punctuation-normalised before sentencepiece (``punct_normalizer``), as OPUS-MT's
training data was (``normalize-punctuation.perl`` in its preprocessing): transformers' MarianTokenizer
builds the same normaliser when sacremoses is installed but never calls it while encoding, so the
engines call it themselves.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from aligner.errors import DependencyMissingError, ModelUnavailableError, UsageError
from aligner.translate.registry import ModelEntry

log = logging.getLogger("aligner")

_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
_FETCH_PATTERNS = ["*.json", "*.spm"]
_TRUE = {"1", "true", "yes", "on"}
PROBE_TIMEOUT_S = 2.0  # the hub probe's limit, name resolution included


# What the MarianMT engine imports, and the extra that installs it.
MARIAN_MODULES = ("torch", "transformers", "sentencepiece")
INSTALL_MARIAN = "pip install 'aligner[marian]'"


def require_marian(feature: str = "the MarianMT engine (translate, check --model, batch)") -> None:
    """Fail with the install command when the engine's libraries are missing (a core install has
    ``quotes`` and ``check`` only).

    Raises:
        DependencyMissingError: torch, transformers or sentencepiece is not installed.
    """
    missing = [name for name in MARIAN_MODULES if find_spec(name) is None]
    if missing:
        raise DependencyMissingError(f"{feature} (missing: {', '.join(missing)})", INSTALL_MARIAN)


def resolve_device(name: str = "auto") -> str:
    """Turn ``auto|cpu|cuda|cuda:N|mps`` into a device that exists here (``auto``: CUDA if present, else CPU).

    Raises:
        UsageError: the device is unknown or not available on this machine.
        DependencyMissingError: the engine's libraries are not installed.
    """
    require_marian()
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return name
    if name == "cuda" or name.startswith("cuda:"):
        index = int(name.partition(":")[2] or 0) if name[5:].isdigit() or name == "cuda" else -1
        if torch.cuda.is_available() and 0 <= index < torch.cuda.device_count():
            return name
        raise UsageError(f"device {name!r} is not available here (CUDA devices: {torch.cuda.device_count()})")
    if name == "mps":
        if torch.backends.mps.is_available():
            return name
        raise UsageError("device 'mps' is not available here")
    raise UsageError(f"unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps")


def hub_cache_dir() -> Path:
    """The hub cache as the environment says now: ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else the default.

    Read on every call rather than at import, so a changed environment (or a test) takes effect.
    """
    if cache := os.environ.get("HF_HUB_CACHE"):
        return Path(cache)
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface"
    )
    return Path(home).expanduser() / "hub"


def hub_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` (or the older ``TRANSFORMERS_OFFLINE``) is set to a true value."""
    return any(
        os.environ.get(name, "").lower() in _TRUE for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def hub_address() -> tuple[str, int]:
    """The host and port of the hub (``$HF_ENDPOINT``, else https://huggingface.co)."""
    endpoint = os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
    scheme, _, rest = endpoint.partition("://")
    host, _, port = rest.split("/", 1)[0].partition(":")
    return host, int(port) if port.isdigit() else (80 if scheme == "http" else 443)


def probe_hub(timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Try one TCP connection to the hub; return None when it opens, else why it did not.

    Name resolution has no timeout of its own, so the whole attempt runs in a daemon thread that is
    waited for ``timeout`` seconds at most.
    """
    host, port = hub_address()
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append(None)
        except OSError as exc:
            outcome.append(f"{type(exc).__name__}: {exc}")

    worker = threading.Thread(target=attempt, daemon=True, name="aligner-hub-probe")
    worker.start()
    worker.join(timeout)
    return outcome[0] if outcome else f"no answer in {timeout:g} s"


def require_hub(entry: ModelEntry) -> None:
    """Fail at once, with one message, when the hub cannot be reached.

    Raises:
        ModelUnavailableError: the probe failed.
    """
    reason = probe_hub()
    if reason is not None:
        host, port = hub_address()
        raise ModelUnavailableError(
            entry.model_id,
            f"cannot be downloaded: the Hugging Face hub ({host}:{port}) is not reachable ({reason})",
            fetch_hint(entry),
        )


def quiet_progress(stream: Any = None) -> None:
    """Turn transformers' and huggingface_hub's progress bars off unless ``stream`` (stderr) is a terminal."""
    if (stream or sys.stderr).isatty():
        return
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"  # also for engine worker processes started later
    from huggingface_hub.utils.tqdm import disable_progress_bars
    from transformers.utils import logging as hf_logging

    disable_progress_bars()
    hf_logging.disable_progress_bar()


def punct_normalizer(lang: str) -> Callable[[str], str] | None:
    """Moses punctuation normalisation for source language ``lang`` (sacremoses), or None without it."""
    try:
        from sacremoses import MosesPunctNormalizer
    except ImportError:
        log.info(
            "sacremoses is not installed: source punctuation is not Moses-normalised as in OPUS-MT training"
        )
        return None
    normalize = MosesPunctNormalizer(lang=lang).normalize

    def apply(text: str) -> str:
        return str(normalize(text)) if text else text  # sacremoses returns [] for ""

    return apply


def fetch_hint(entry: ModelEntry) -> str:
    """The one-line advice for a missing model: fetch it while online, or point at a local copy."""
    return f"run `aligner models fetch {entry.key}` while online, or pass --model {entry.key}=PATH"


def fetch_model(entry: ModelEntry, cache_dir: Path | None = None) -> Path:
    """Download ``entry`` (config, tokenizer and the weights it loads) into the hub cache; return its folder.

    Raises:
        ModelUnavailableError: offline mode is on, or the download failed.
    """
    if hub_offline():
        raise ModelUnavailableError(
            entry.model_id,
            "cannot download: offline mode is on (HF_HUB_OFFLINE=1)",
            f"unset HF_HUB_OFFLINE and run `aligner models fetch {entry.key}` again, "
            f"or pass --model {entry.key}=PATH",
        )
    require_hub(entry)
    quiet_progress()
    return _snapshot(entry, cache_dir or hub_cache_dir(), offline=False)


def _snapshot(entry: ModelEntry, cache: Path, *, offline: bool) -> Path:
    """The cached snapshot folder of ``entry`` (downloading the missing files unless ``offline``)."""
    from huggingface_hub import snapshot_download

    weights = "model.safetensors" if entry.safetensors else "pytorch_model.bin"
    try:
        folder = snapshot_download(
            entry.model_id,
            revision=entry.revision,
            cache_dir=str(cache),
            local_files_only=offline,
            allow_patterns=[*_FETCH_PATTERNS, weights],
        )
    except Exception as exc:  # huggingface_hub raises many unrelated types (HTTP, OS, value errors)
        reason = (
            f"not in the Hugging Face cache ({cache}) and offline mode is on (HF_HUB_OFFLINE=1)"
            if offline
            else f"cannot be downloaded ({type(exc).__name__}: {_first_line(exc)})"
        )
        raise ModelUnavailableError(entry.model_id, reason, fetch_hint(entry)) from exc
    return Path(folder)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def check_target_token(entry: ModelEntry, tokenizer: Any) -> None:
    """Refuse a target token the vocabulary lacks (it would silently become <unk>)."""
    token = entry.target_token
    codes = tokenizer.supported_language_codes
    if token and token not in tokenizer.get_vocab():
        raise ModelUnavailableError(
            entry.model_id,
            f"its vocabulary has no target token {token} (known: {' '.join(codes) or 'none'})",
            "pick the registry entry that matches this model, or a model that has the token",
        )
    if not token and codes:
        log.warning("model %s has target tokens (%s) but none is set", entry.model_id, " ".join(codes[:5]))


def load_marian(entry: ModelEntry, *, with_model: bool = True, allow_pickle: bool = False) -> tuple[Any, Any]:
    """Load tokenizer and model (None unless ``with_model``) for ``entry`` from a local folder or the
    hub cache (no remote code; ``pytorch_model.bin`` only when ``allow_pickle``)."""
    local = Path(entry.model_id).expanduser()
    if local.is_dir():
        return _load_folder(entry, local, str(local), with_model, allow_pickle)
    if _looks_like_path(entry.model_id):
        raise ModelUnavailableError(entry.model_id, "no such folder", fetch_hint(entry))
    return _load_folder(entry, _cached_or_download(entry), entry.model_id, with_model, allow_pickle)


def require_safetensors(folder: Path, name: str, allow_pickle: bool) -> bool:
    """Return True when ``folder`` has safetensors weights, False for a pickle the caller allows.

    Raises:
        ModelUnavailableError: only ``pytorch_model.bin`` is there and pickles are not allowed.
    """
    if (folder / "model.safetensors").is_file():
        return True
    pickle = folder / "pytorch_model.bin"
    if pickle.is_file() and not allow_pickle:
        convert = (
            f"python -c \"from transformers import MarianMTModel as M; M.from_pretrained('{folder}')"
            f".save_pretrained('{folder}', safe_serialization=True)\""
        )
        raise ModelUnavailableError(
            name,
            f"{pickle} is a pickle file, and only safetensors weights load by default",
            f"convert it once with {convert}, or pass --allow-pickle to load it with torch's "
            "weights_only unpickler",
        )
    return False


def _check_safetensors(path: Path) -> str | None:
    """Why the safetensors file at ``path`` is unusable (a bad header, or data shorter than the header
    says), or None; reads the header only, so every process that loads the folder can afford it."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            handle.keys()
    except Exception as exc:  # SafetensorError, or OSError for an unreadable file
        return f"is not a valid safetensors file ({_first_line(exc)})"
    return None


def _bad_file(folder: Path) -> tuple[Path, str] | None:
    """Find the first unreadable model file of ``folder`` (after a failed load): its path and why."""
    for file in ("config.json", "vocab.json", "tokenizer_config.json", "target_vocab.json"):
        path = folder / file
        if path.is_file():
            try:
                json.loads(path.read_bytes())
            except (ValueError, UnicodeDecodeError) as exc:
                return path, f"is not valid JSON ({_first_line(exc)})"
    import sentencepiece

    for file in ("source.spm", "target.spm"):
        path = folder / file
        try:
            sentencepiece.SentencePieceProcessor(model_file=str(path))
        except Exception as exc:  # sentencepiece raises RuntimeError or OSError for a bad model
            return path, f"is not a sentencepiece model ({_first_line(exc)})"
    return None


def _cached_or_download(entry: ModelEntry) -> Path:
    """The snapshot folder: from the cache without touching the network when it is there, else downloaded.

    A pinned revision never changes, so a cached snapshot needs no check against the hub (which, on a
    machine without network, costs a minute of retries before huggingface_hub falls back to the cache).
    """
    cache = hub_cache_dir()
    try:
        return _snapshot(entry, cache, offline=True)
    except ModelUnavailableError:
        if hub_offline():
            raise
    require_hub(entry)
    quiet_progress()
    return _snapshot(entry, cache, offline=False)


def _looks_like_path(model: str) -> bool:
    """``./x``, ``/x``, ``~/x``, ``a/b/c`` or a Windows path; a hub id is ``org/name``."""
    return model.startswith((".", "/", "~")) or model.count("/") > 1 or "\\" in model


def _load_folder(
    entry: ModelEntry, folder: Path, name: str, with_model: bool, allow_pickle: bool = False
) -> tuple[Any, Any]:
    """Load from a folder after checking it has config, tokenizer files and weights (``name`` for errors).

    Raises:
        ModelUnavailableError: a file is missing or corrupt (named), or only a pickle is there and
            ``allow_pickle`` is false.
    """
    missing = [file for file in ("config.json", *_TOKENIZER_FILES) if not (folder / file).is_file()]
    weights = [file for file in _WEIGHTS if (folder / file).is_file()]
    if not weights:
        missing.append(" or ".join(_WEIGHTS))
    if missing:
        hint = f"point --model {entry.key}= at a full copy" if name == str(folder) else fetch_hint(entry)
        raise ModelUnavailableError(name, f"{folder} lacks {', '.join(missing)}", hint)
    safetensors = require_safetensors(folder, name, allow_pickle)
    local = name == str(folder)
    tensors = folder / _WEIGHTS[0]
    if safetensors and (problem := _check_safetensors(tensors)):
        raise ModelUnavailableError(
            name, f"{tensors} {problem}", _replace_hint(entry, folder, tensors, local)
        )
    try:
        return _from_pretrained(str(folder), safetensors=safetensors, with_model=with_model)
    except Exception as exc:  # transformers and sentencepiece raise many types for a bad file
        bad = _bad_file(folder)
        if bad is None:
            reason = f"cannot be loaded ({_first_line(exc)})"
            raise ModelUnavailableError(name, reason, fetch_hint(entry)) from exc
        hint = _replace_hint(entry, folder, bad[0], local)
        raise ModelUnavailableError(name, f"{bad[0]} {bad[1]}", hint) from exc


def _replace_hint(entry: ModelEntry, folder: Path, bad: Path, local: bool) -> str:
    return f"replace {bad.name} with a good copy" if local else f"delete {folder} and {fetch_hint(entry)}"


def _from_pretrained(folder: str, *, safetensors: bool, with_model: bool = True) -> tuple[Any, Any]:
    """Load a local folder: safetensors when present, never remote code, never the network."""
    import warnings

    require_marian()

    from transformers import MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter our stderr
    with warnings.catch_warnings():
        # Without sacremoses the tokenizer skips Moses punctuation normalisation; said once, in our log.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer.from_pretrained(folder, local_files_only=True)
    if not with_model:
        return tokenizer, None
    model = MarianMTModel.from_pretrained(folder, use_safetensors=safetensors, local_files_only=True)
    return tokenizer, model
