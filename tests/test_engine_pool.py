"""Tests of the engine worker processes: ``EnginePool`` itself, and ``MarianTranslator(workers=2)`` on the
tiny seed models (real transformers code path, real spawned processes).

The pool tests use trivial handlers defined here (a spawned worker imports this module to find them),
so they cost a Python start each, not a model load; the translator tests share two pools per module.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Seed

from aligner.errors import EngineError, ModelUnavailableError, UsageError
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.engines.pool import MAX_AUTO_WORKERS, EnginePool, choose_workers
from aligner.translate.registry import load_registry

# Every test here loads a model or starts engine processes.
pytestmark = pytest.mark.slow

# ---------------------------------------------------------------- handlers run in the workers


def _answer(job: Any) -> Any:
    """Square a number; raise or die when the job says so."""
    if job == "raise":
        raise ValueError("bad job")
    if job == "usage":
        raise UsageError("a usage error from the worker")
    if job == "die":
        os._exit(3)
    if job == "pid":
        return os.getpid()
    return job * job


def _handler(fail_at_start: bool = False) -> Callable[[Any], Any]:
    if fail_at_start:
        raise ModelUnavailableError("m", "cannot be loaded in the worker", "fix it")
    return _answer


def _gone(pid: int) -> bool:
    """True when ``pid`` has ended (a zombie waiting for its reaper counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def _wait_gone(pids: list[int], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(_gone(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def pool() -> Iterator[EnginePool]:
    pool = EnginePool(_handler, 2, "test-model")
    yield pool
    pool.close()


# ---------------------------------------------------------------- the pool


def test_answers_come_back_in_job_order(pool: EnginePool) -> None:
    assert pool.map(list(range(9))) == [n * n for n in range(9)]
    assert len(set(pool.map(["pid"] * 6))) <= 2 and len(pool.pids) == 2
    assert pool.map([]) == []


ERRORS = [
    # (id, bad job, error type, message part): what a failing job raises in the parent
    ("exception", "raise", EngineError, "model test-model: translation failed: ValueError in engine worker"),
    ("aligner-error", "usage", UsageError, "a usage error from the worker"),
    (
        "worker-dies",
        "die",
        EngineError,
        r"model test-model: translation failed: engine worker \d+ died \(exit code 3\)",
    ),
]


@pytest.mark.parametrize(("job", "kind", "needle"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_a_failing_job_raises_the_engine_error_and_the_pool_goes_on(
    pool: EnginePool, job: str, kind: type[Exception], needle: str
) -> None:
    pool.start()
    before = pool.pids
    with pytest.raises(kind, match=needle):
        pool.map([1, 2, job, 3, 4])
    assert pool.map([5, 6]) == [25, 36]  # a dead worker's pool starts afresh; a raising one goes on
    assert (pool.pids == before) == (job != "die")


def test_a_worker_that_cannot_start_raises_its_error_and_leaves_nothing_running() -> None:
    pool = EnginePool(functools.partial(_handler, fail_at_start=True), 2, "m")
    with pytest.raises(ModelUnavailableError, match="cannot be loaded in the worker; fix it"):
        pool.start()
    assert pool.pids == []


def test_close_ends_the_workers_and_the_next_map_starts_new_ones(pool: EnginePool) -> None:
    pool.start()
    first = pool.pids
    pool.close()
    assert pool.pids == [] and _wait_gone(first, seconds=1.0)
    assert pool.map([3]) == [9]
    assert set(pool.pids).isdisjoint(first)


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    script = (
        "import os, signal, sys\n"
        f"sys.path.insert(0, {str(REPO / 'tests')!r})\n"
        "from aligner.translate.engines.pool import EnginePool\n"
        "from test_engine_pool import _handler\n"
        "if __name__ == '__main__':\n"
        "    pool = EnginePool(_handler, 2, 'm')\n"
        "    pool.start()\n"
        "    print(*pool.pids, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    (tmp_path / "parent.py").write_text(script)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "parent.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 2 and _wait_gone(pids)


CHOICES = [
    # (id, requested, device, threads, batch processes, engine workers)
    ("one-per-thread", None, "cpu", 2, 1, 2),
    ("capped", None, "cpu", 16, 1, MAX_AUTO_WORKERS),
    ("batch-workers-share-the-cores", None, "cpu", 4, 2, 1),
    ("gpu", None, "cuda", 4, 1, 1),
    ("one-thread", None, "cpu", 1, 1, 1),
    ("asked-for", 3, "cpu", 2, 2, 3),
]


@pytest.mark.parametrize(
    ("requested", "device", "threads", "processes", "expected"),
    [c[1:] for c in CHOICES],
    ids=[c[0] for c in CHOICES],
)
def test_choose_workers(
    requested: int | None, device: str, threads: int, processes: int, expected: int
) -> None:
    assert choose_workers(requested, device=device, threads=threads, processes=processes) == expected


# ---------------------------------------------------------------- MarianTranslator with workers


@pytest.fixture(scope="module")
def engines(
    tiny_models: dict[str, Path],
) -> Iterator[dict[tuple[str, bool], tuple[MarianTranslator, MarianTranslator]]]:
    """(direction, int8) -> (one process, two worker processes): same threads, so the same batches.

    Batches of at most 6: the seed's 16 pairs make 4 batches of 4 (threads 2), where a cut that followed
    the workers would make 6 + 6 + 4 in one process, and int8 scores would differ (per-batch scales).
    """
    registry = load_registry()
    pairs = {}
    for direction, int8 in (("en-ko", False), ("en-uk", True)):
        entry = registry.resolve(direction, str(tiny_models[direction]))
        make = functools.partial(MarianTranslator, entry, device="cpu", batch_size=6, threads=2, int8=int8)
        pairs[direction, int8] = (make().load(), make(workers=2).load())
    yield pairs
    for _, pooled in pairs.values():
        pooled.close()


def _seed_pairs(seed: Seed, direction: str) -> list[tuple[str, str]]:
    src, tgt = direction.split("-")
    pairs = [(s, t) for s, t in zip(seed.lines(src), seed.lines(tgt), strict=True) if s.strip()]
    return pairs + [(quote[src], quote[tgt]) for quote in seed.gold["quotes"]]


SAME_OUTPUT = [
    # (id, direction, int8, beams)
    ("fp32-beam4", "en-ko", False, 4),
    ("fp32-greedy", "en-ko", False, 1),
    ("int8-beam4", "en-uk", True, 4),
    ("int8-greedy", "en-uk", True, 1),
]


@pytest.mark.parametrize(
    ("direction", "int8", "beams"), [c[1:] for c in SAME_OUTPUT], ids=[c[0] for c in SAME_OUTPUT]
)
def test_two_workers_give_exactly_the_one_process_output(
    engines: dict[tuple[str, bool], tuple[MarianTranslator, MarianTranslator]],
    seed: Seed,
    direction: str,
    int8: bool,
    beams: int,
) -> None:
    one, two = engines[direction, int8]
    if beams != one.beams:  # the retry engine's way: a variant shares the model or the workers
        one, two = (t.variant(beams=beams, no_repeat_ngram=0) for t in (one, two))
    sources = [source for source, _ in _seed_pairs(seed, direction)]
    before = one.decoded_tokens, two.decoded_tokens
    assert two.translate(sources) == one.translate(sources)
    assert two.decoded_tokens - before[1] == one.decoded_tokens - before[0] > len(sources)
    targets = [target for _, target in _seed_pairs(seed, direction)]
    assert two.score(sources, targets) == one.score(sources, targets)
    assert two.signature() == one.signature()  # the same cache entries
    assert len(two.worker_pids) == 2 and two._model is None  # the parent keeps only the tokenizer


def test_input_order_survives_mixed_lengths_and_blanks(
    engines: dict[tuple[str, bool], tuple[MarianTranslator, MarianTranslator]], seed: Seed
) -> None:
    pairs = _seed_pairs(seed, "en-ko")
    # Long and short interleaved, a repeat and blanks: the length sort over five batches must be undone.
    picks = [pairs[i] for i in (3, 15, 0, 9, 15, 10, 1, 12, 5, 14, 2, 8, 4, 11, 6, 7, 13)]
    texts = [source for source, _ in picks] + ["", "  "]
    expected = [target for _, target in picks] + ["", ""]  # the tiny model reproduces the seed in fp32
    _, two = engines["en-ko", False]
    assert two.translate(texts) == expected


def test_a_killed_worker_becomes_the_engine_error_then_the_engine_recovers(
    tiny_models: dict[str, Path],
) -> None:
    entry = load_registry().resolve("en-ko", str(tiny_models["en-ko"]))
    with MarianTranslator(entry, device="cpu", beams=1, threads=2, workers=2) as engine:
        assert engine.translate(["Ri said."]) == ["리 씨는 말했다."]
        first = engine.worker_pids
        os.kill(first[0], signal.SIGKILL)
        with pytest.raises(EngineError, match=r"tiny/en-ko: translation failed: engine worker \d+ died"):
            engine.translate(["Ri said.", "Ri said."])
        assert _wait_gone(first, seconds=1.0)
        assert engine.translate(["Ri said."]) == ["리 씨는 말했다."]
        second = engine.worker_pids
        assert len(second) == 2 and set(second).isdisjoint(first)
    assert engine.worker_pids == [] and _wait_gone(second, seconds=1.0)


BAD_SETTINGS = [
    # (id, keyword arguments, message part)
    ("no-workers", {"workers": 0}, "workers must each be at least 1"),
    ("min-over-max", {"min_new_tokens": 9, "max_new_tokens": 8}, "min new tokens must lie in 0..8"),
]


@pytest.mark.parametrize(
    ("kwargs", "needle"), [b[1:] for b in BAD_SETTINGS], ids=[b[0] for b in BAD_SETTINGS]
)
def test_impossible_settings_are_usage_errors(
    tiny_models: dict[str, Path], kwargs: dict[str, int], needle: str
) -> None:
    entry = load_registry().resolve("en-ko", str(tiny_models["en-ko"]))
    with pytest.raises(UsageError, match=needle):
        MarianTranslator(entry, device="cpu", **kwargs)


def test_min_new_tokens_is_in_the_signature_and_workers_are_not(tiny_models: dict[str, Path]) -> None:
    entry = load_registry().resolve("en-ko", str(tiny_models["en-ko"]))
    plain = MarianTranslator(entry, device="cpu").signature()
    assert MarianTranslator(entry, device="cpu", workers=3).signature() == plain
    assert MarianTranslator(entry, device="cpu", min_new_tokens=5).signature() == plain.replace(
        "|device:", "|min_new:5|device:"
    )
