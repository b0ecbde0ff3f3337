"""``MarianTranslator``: MarianMT through transformers, in this process or in engine worker processes.

It imports transformers and torch inside its methods and loads models through
``aligner.translate.engines.hub``; with ``workers`` > 1 it decodes in that many spawned processes
(``aligner.translate.engines.pool``), each running the one-process translator that
``_worker_engine`` builds there.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from aligner.errors import UsageError
from aligner.translate.engines.hub import (
    check_target_token,
    load_marian,
    package_version,
    punct_normalizer,
    resolve_device,
)
from aligner.translate.engines.pool import EnginePool, balanced_batch, default_threads
from aligner.translate.registry import ModelEntry

log = logging.getLogger("aligner")


def _batches(order: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(order), size):
        yield list(order[start : start + size])


def load_direction(
    direction: str,
    model: str | None,
    *,
    device: str = "auto",
    beams: int = 4,
    batch_size: int = 16,
    allow_pickle: bool = False,
) -> MarianTranslator:
    """Load the MarianMT model of ``direction`` (``en-ko``, ``uk-en``, …): ``model`` (a hub id or a
    folder) or the registry's default, in this process.

    Raises:
        ModelUnavailableError: the model cannot be found or loaded.
        DependencyMissingError: the engine's libraries are not installed.
    """
    from aligner.translate.registry import load_registry

    entry = load_registry().resolve(direction, model)
    translator = MarianTranslator(
        entry, device=device, beams=beams, batch_size=batch_size, allow_pickle=allow_pickle
    )
    return translator.load()


class MarianTranslator:
    """MarianMT through transformers: batched, length-sorted beam search, and forced-decoding scores.

    The model loads on first use (or on ``load()``, which the CLI calls to fail early). The device is
    resolved when the translator is made, so a bad ``--device`` fails before any download or load.

    Texts are sorted by length and cut into even batches of at most ``batch_size``, as many as a
    multiple of ``threads`` on the CPU (``balanced_batch``). With ``workers`` > 1 (CPU only), that
    many spawned processes, each with its own model and ``threads // workers`` threads, decode the
    batches, and this process keeps only the tokenizer. The batches do not depend on ``workers``, and
    int8's activation scales are per batch, so the outputs do not either (nor does the signature).
    Stop the workers with ``close()`` or a ``with`` block; they also end with this object, at exit,
    or when this process dies. A worker that fails raises ``EngineError`` here. A script that uses
    workers must keep its top level under ``if __name__ == "__main__":`` (spawn imports it again).
    """

    def __init__(
        self,
        entry: ModelEntry,
        *,
        device: str = "auto",
        beams: int = 4,
        batch_size: int = 16,
        max_new_tokens: int = 512,
        threads: int | None = None,
        int8: bool = False,
        no_repeat_ngram: int = 0,
        min_new_tokens: int = 0,
        workers: int = 1,
        allow_pickle: bool = False,
    ) -> None:
        if min(beams, batch_size, max_new_tokens, workers) < 1:
            raise UsageError("beams, batch size, max new tokens and workers must each be at least 1")
        if not 0 <= min_new_tokens <= max_new_tokens:
            raise UsageError(f"min new tokens must lie in 0..{max_new_tokens}, not {min_new_tokens}")
        self.entry = entry
        self.device = resolve_device(device)
        self.beams = beams
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self.threads = threads or default_threads()
        self.int8 = int8
        self.no_repeat_ngram = no_repeat_ngram
        self.min_new_tokens = min_new_tokens
        self.workers = workers
        self.allow_pickle = allow_pickle  # load pytorch_model.bin (weights_only) when there is no safetensors
        self.decoded_tokens = 0  # target tokens generated so far (eos included, padding not)
        # Moses punctuation normalisation of the source, as in OPUS-MT training (see engines.hub).
        self.normalize = punct_normalizer(entry.direction.partition("-")[0] or "en")
        if int8 and self.device != "cpu":
            raise UsageError("int8 (dynamic quantisation) runs on the CPU only; use --device cpu")
        if workers > 1 and self.device != "cpu":
            raise UsageError(f"engine worker processes run on the CPU only; use 1 worker on {self.device}")
        self._model: Any = None
        self._tokenizer: Any = None
        self._pool = EnginePool(self._worker_factory(), workers, entry.model_id) if workers > 1 else None

    @property
    def model_id(self) -> str:
        """The hub id or local directory."""
        return self.entry.model_id

    @property
    def revision(self) -> str | None:
        """The pinned revision (None for a local directory)."""
        return self.entry.revision

    def signature(self) -> str:
        """``model:...|rev:...|token:...|beams:4|max_new:512|device:cpu|transformers:5.x|torch:2.x``."""
        parts = [
            f"model:{self.model_id}",
            f"rev:{self.revision or 'local'}",
            f"token:{self.entry.target_token or 'none'}",
            f"beams:{self.beams}",
            f"max_new:{self.max_new_tokens}",
            *([f"min_new:{self.min_new_tokens}"] if self.min_new_tokens else []),
            f"device:{self.device}",
            *(["punct:moses"] if self.normalize else []),
            *(["int8:dynamic"] if self.int8 else []),
            *([f"no_repeat:{self.no_repeat_ngram}"] if self.no_repeat_ngram else []),
            f"transformers:{package_version('transformers')}",
            f"torch:{package_version('torch')}",
        ]
        return "|".join(parts)

    def _settings(self, **changes: Any) -> dict[str, Any]:
        """The keyword arguments that make a translator like this one (one process), with ``changes``."""
        settings = {
            "device": self.device, "beams": self.beams, "batch_size": self.batch_size,
            "max_new_tokens": self.max_new_tokens, "threads": self.threads, "int8": self.int8,
            "no_repeat_ngram": self.no_repeat_ngram, "min_new_tokens": self.min_new_tokens,
            "allow_pickle": self.allow_pickle,
        }  # fmt: skip
        return settings | changes

    def variant(self, *, beams: int, no_repeat_ngram: int) -> MarianTranslator:
        """Return a translator with other decoding settings that shares this one's loaded model (or
        worker processes): the retry engine for outputs the guard rejects (loops, truncation)."""
        other = MarianTranslator(self.entry, **self._settings(beams=beams, no_repeat_ngram=no_repeat_ngram))
        other.workers = self.workers
        other._model, other._tokenizer, other._pool = self._model, self._tokenizer, self._pool
        return other

    def _worker_factory(self) -> Callable[[], Callable[[Any], Any]]:
        """What each worker process runs first: load this translator's model with its share of threads."""
        threads = max(1, self.threads // self.workers)
        return functools.partial(_worker_engine, self.entry, self._settings(threads=threads))

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the running worker processes (none with one worker, or before loading)."""
        return self._pool.pids if self._pool is not None else []

    def close(self) -> None:
        """Stop the worker processes, if any (a later call starts them again); the model stays loaded."""
        if self._pool is not None:
            self._pool.close()

    def __enter__(self) -> MarianTranslator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(self, text: str) -> str:
        """Return the model input for ``text``: the registry's target token and a space, then the text,
        its punctuation Moses-normalised."""
        text = self.normalize(text) if self.normalize else text
        token = self.entry.target_token
        return f"{token} {text}" if token else text

    @property
    def max_input_tokens(self) -> int:
        """The longest input the model takes, in tokens (the registry entry's)."""
        return self.entry.max_input_tokens

    def count_tokens(self, text: str) -> int:
        """Return the input tokens of ``text``, target token and ``</s>`` included (loads the model)."""
        self.load()
        return len(self._tokenizer(self.prepare(text))["input_ids"])

    def load(self) -> MarianTranslator:
        """Load tokenizer and model (once) and put the model on the device; with workers, load the
        tokenizer here and start the workers, each loading the model.

        Raises:
            ModelUnavailableError: not cached while offline, a local folder without weights or
                tokenizer files, a corrupt file, pickle-only weights without ``allow_pickle``, a
                target token the model does not know, or any other load failure.
            EngineError: a worker process failed to start.
        """
        if self._tokenizer is None:
            tokenizer, model = load_marian(
                self.entry, with_model=self._pool is None, allow_pickle=self.allow_pickle
            )
            check_target_token(self.entry, tokenizer)
            if model is not None:
                model = model.to(self.device).eval()
            if model is not None and self.int8:
                from aligner.translate.engines.quantize import quantize_dynamic_int8

                model = quantize_dynamic_int8(model)
            self._tokenizer, self._model = tokenizer, model
        if self._pool is not None:
            self._pool.start()
        return self

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate ``texts`` in batches of similar length; blank texts come back as empty strings."""
        results = ["" for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        self.load()
        order = sorted(todo, key=lambda i: len(texts[i]), reverse=True)
        self._warn_long(texts[i] for i in order)
        chunks = self._cut(order)
        decoded = self._run("translate", [[texts[i] for i in chunk] for chunk in chunks])
        for chunk, outputs in zip(chunks, decoded, strict=True):
            for i, output in zip(chunk, outputs, strict=True):
                results[i] = output
        return results

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Return the mean log-probability per target token (EOS included) of each target given its source.

        Forced decoding: the model reads the source and is made to emit the target; higher (closer to 0)
        means the model finds the target a likelier translation.
        """
        if len(sources) != len(targets):
            raise UsageError(f"score needs as many targets as sources ({len(targets)} != {len(sources)})")
        self.load()
        results = [0.0 for _ in sources]
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]) + len(targets[i]), reverse=True)
        self._warn_long(sources)
        chunks = self._cut(order)
        pairs = [([sources[i] for i in c], [targets[i] for i in c]) for c in chunks]
        for chunk, scores in zip(chunks, self._run("score", pairs), strict=True):
            for i, value in zip(chunk, scores, strict=True):
                results[i] = value
        return results

    def _cut(self, order: Sequence[int]) -> list[list[int]]:
        """Cut sorted indices into even batches, as many as a multiple of the threads on the CPU.

        The cut depends on ``threads``, never on ``workers``: every way of splitting the threads into
        processes decodes the same batches, so the outputs are the same.
        """
        balance = self.threads if self.device == "cpu" else 1
        return list(_batches(order, balanced_batch(len(order), balance, self.batch_size)))

    def _run(self, kind: str, batches: Sequence[Any]) -> list[Any]:
        """Decode (``translate``) or score (``score``) every batch, here or in the worker processes."""
        if self._pool is None:
            return [self._execute(kind, batch) for batch in batches]
        answers = self._pool.map([(kind, self.beams, self.no_repeat_ngram, batch) for batch in batches])
        self.decoded_tokens += sum(tokens for _, tokens in answers)
        return [result for result, _ in answers]

    def _execute(self, kind: str, batch: Any) -> Any:
        return self._generate(batch) if kind == "translate" else self._score(*batch)

    def _warn_long(self, texts: Iterator[str] | Sequence[str]) -> None:
        """Log each input longer than the model takes (it is cut to the limit)."""
        limit = self.entry.max_input_tokens
        for text in texts:
            if (length := self.count_tokens(text)) > limit:
                log.warning(
                    "input of %d tokens cut to %d for %s: %.60s...", length, limit, self.model_id, text
                )

    def _use_threads(self) -> None:
        """Apply this translator's CPU thread count (torch's setting is global, so set it per call)."""
        import torch

        if self.device == "cpu" and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)

    def _encode(self, sources: Sequence[str], targets: Sequence[str] | None = None) -> Any:
        self._use_threads()
        limit = self.entry.max_input_tokens
        inputs = [self.prepare(text) for text in sources]
        batch = self._tokenizer(
            inputs, text_target=targets, return_tensors="pt", padding=True, truncation=True, max_length=limit
        )
        return batch.to(self.device)

    def _generate(self, sources: Sequence[str]) -> list[str]:
        import torch

        batch = self._encode(sources)
        with torch.inference_mode():
            output = self._model.generate(
                **batch,
                num_beams=self.beams,
                do_sample=False,
                # For an encoder-decoder, max_length counts output tokens after the start token; giving
                # it (not max_new_tokens) avoids a clash with the max_length of the hub generation config.
                max_length=self.max_new_tokens + 1,
                **({"min_new_tokens": self.min_new_tokens} if self.min_new_tokens else {}),
                **({"no_repeat_ngram_size": self.no_repeat_ngram} if self.no_repeat_ngram else {}),
            )
        # Column 0 is the decoder start (<pad> in Marian); <pad> after it only fills finished rows.
        self.decoded_tokens += int((output[:, 1:] != self._tokenizer.pad_token_id).sum())
        return [text.strip() for text in self._tokenizer.batch_decode(output, skip_special_tokens=True)]

    def _score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        import torch

        batch = self._encode(sources, targets)
        labels = batch.pop("labels")
        mask = labels != self._tokenizer.pad_token_id
        with torch.inference_mode():
            logits = self._model(**batch, labels=labels.masked_fill(~mask, -100)).logits
            logprobs = torch.log_softmax(logits.float(), dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
            means = (logprobs * mask).sum(-1) / mask.sum(-1).clamp(min=1)
        return [float(value) for value in means.cpu()]


def _worker_engine(entry: ModelEntry, settings: dict[str, Any]) -> Callable[[Any], Any]:
    """Load a one-process translator in a worker; return the handler of jobs ``(kind, beams,
    no_repeat, batch)``, which answers ``(results, target tokens decoded)``."""
    engines = {(settings["beams"], settings["no_repeat_ngram"]): MarianTranslator(entry, **settings).load()}
    base = next(iter(engines.values()))

    def handle(job: tuple[str, int, int, Any]) -> tuple[Any, int]:
        kind, beams, no_repeat, batch = job
        if (beams, no_repeat) not in engines:
            engines[beams, no_repeat] = base.variant(beams=beams, no_repeat_ngram=no_repeat)
        engine = engines[beams, no_repeat]
        before = engine.decoded_tokens
        return engine._execute(kind, batch), engine.decoded_tokens - before

    return handle
