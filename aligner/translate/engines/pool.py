"""Engine worker processes: one model copy each, fed whole batches, answers returned in order.

Most of a beam-search step is serial work on the vocabulary-wide score rows of every hypothesis
(log-softmax, adding beam scores, top-k, cache reordering), not matrix products, so a second thread in
one process mostly waits; a second process decoding its own batch does not (bench/README.md). The
CTranslate2 engine gets this from ``inter_threads``; the transformers engine gets it from
``EnginePool``: ``workers`` spawned processes (spawn, not fork: torch's thread pools and locks do not
survive a fork), each building its engine once with the factory it was given. ``map`` hands one job to
each idle worker until all are done. A worker that raises reports the error and ``map`` raises it in
the parent, an ``AlignerError`` as it was and anything else as ``EngineError``; a worker that dies is
seen through its process sentinel and becomes an ``EngineError`` too (never a hang), after which the
pool restarts on its next use. Workers end on ``close()``, when the pool is collected or the
interpreter exits, and by themselves as soon as their parent is gone. Nothing here imports torch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import threading
import weakref
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from aligner.errors import AlignerError, EngineError

log = logging.getLogger("aligner")

# Each worker holds its own copy of the model (ct2's workers share one): the automatic choice stops here.
MAX_AUTO_WORKERS = 4
# Built in the worker: takes one job, returns its answer. The factory must pickle (a module-level
# function, or a functools.partial of one) because spawn ships it to the new interpreter.
Handler = Callable[[Any], Any]
Factory = Callable[[], Handler]


def default_threads() -> int:
    """Return the CPU threads an engine uses unless told: the cores this process may run on, at most 4."""
    return min(len(os.sched_getaffinity(0)), 4)


def balanced_batch(count: int, workers: int, largest: int) -> int:
    """Return the batch size that cuts ``count`` texts into equal batches, ``workers`` or a multiple of them.

    ``balanced_batch(40, 2, 32) == 20``: two batches of 20 keep two workers busy where 32 + 8 would not.
    """
    batches = max(workers, -(-count // largest))
    batches = -(-batches // workers) * workers
    return max(1, -(-count // batches))


def choose_workers(requested: int | None, *, device: str, threads: int, processes: int = 1) -> int:
    """Return how many engine processes the transformers engine runs.

    ``requested`` when given; else one per thread on the CPU, as the ct2 engine runs one decoding
    worker per thread (at most ``MAX_AUTO_WORKERS``: every worker loads its own model), and one when
    the model runs on a GPU or the cores are already shared out among ``processes`` batch workers.
    """
    if requested is not None:
        return requested
    return min(threads, MAX_AUTO_WORKERS) if device == "cpu" and processes == 1 else 1


class EnginePool:
    """``workers`` spawned processes, each running the handler ``factory`` builds there.

    Spawned workers import the parent's ``__main__`` module again, so a script that starts a pool
    must keep its top level under ``if __name__ == "__main__":`` (the CLI's entry point does).

    Args:
        factory: Run once in each worker; returns the handler that answers that worker's jobs.
        workers: Number of processes.
        label: Names the engine in errors (a model id).
    """

    def __init__(self, factory: Factory, workers: int, label: str) -> None:
        if workers < 1:
            raise ValueError(f"an engine pool needs at least one worker, not {workers}")
        self.factory = factory
        self.workers = workers
        self.label = label
        self._procs: list[BaseProcess] = []
        self._conns: list[Connection] = []
        self._finalizer: weakref.finalize[Any, EnginePool] | None = None

    @property
    def pids(self) -> list[int]:
        """Process ids of the running workers (empty before ``start`` and after ``close``)."""
        return [proc.pid for proc in self._procs if proc.pid is not None]

    def start(self) -> None:
        """Start the workers (once) and wait until each has built its engine.

        Raises:
            AlignerError: a worker could not build its engine (``EngineError`` unless it raised an
                ``AlignerError`` such as ``ModelUnavailableError``); no worker is left running.
        """
        if self._procs:
            return
        spawn = multiprocessing.get_context("spawn")
        for index in range(self.workers):
            ours, theirs = spawn.Pipe()
            proc = spawn.Process(
                target=_serve, args=(theirs, self.factory), name=f"aligner-engine-{index}", daemon=True
            )
            proc.start()
            theirs.close()
            self._procs.append(proc)
            self._conns.append(ours)
        self._finalizer = weakref.finalize(self, _stop, list(self._procs), list(self._conns))
        try:
            for index in range(self.workers):
                built, error = self._receive(index)
                if not built:
                    raise error
        except BaseException:
            self.close()
            raise
        log.info("engine: %d worker processes for %s (pids %s)", self.workers, self.label, self.pids)

    def map(self, jobs: Sequence[Any]) -> list[Any]:
        """Return the answers to ``jobs`` in their order, each job done by whichever worker is free.

        Raises:
            AlignerError: a worker raised (the first error, once the jobs in flight are done) or died
                (then every worker is stopped, and the next call starts new ones).
        """
        self.start()
        answers: list[Any] = [None] * len(jobs)
        todo = iter(enumerate(jobs))
        busy: dict[int, int] = {}  # worker -> job index
        failure: AlignerError | None = None
        try:
            for worker in range(min(self.workers, len(jobs))):
                busy[worker] = self._send(worker, todo)
            while busy:
                for worker in self._ready(busy):
                    index = busy.pop(worker)
                    done, answer = self._receive(worker)
                    if done:
                        answers[index] = answer
                    else:
                        failure = failure or answer
                    if failure is None and (job := self._send(worker, todo)) >= 0:
                        busy[worker] = job
        except BaseException:
            self.close()  # a dead worker, or an interrupt with jobs in flight: start afresh next time
            raise
        if failure is not None:
            raise failure
        return answers

    def close(self) -> None:
        """Stop every worker (those busy are terminated); the next ``map`` starts new ones."""
        if self._finalizer is not None:
            self._finalizer()
        self._procs, self._conns, self._finalizer = [], [], None

    def _send(self, worker: int, todo: Any) -> int:
        """Give ``worker`` the next job; return its index, or -1 when none is left."""
        index, job = next(todo, (-1, None))
        if index >= 0:
            self._conns[worker].send(job)
        return index

    def _ready(self, busy: dict[int, int]) -> list[int]:
        """Wait until a busy worker has answered or died; return those that did."""
        waiting: dict[Any, int] = {self._conns[worker]: worker for worker in busy}
        waiting |= {self._procs[worker].sentinel: worker for worker in busy}
        return sorted({waiting[item] for item in wait(list(waiting))})

    def _receive(self, worker: int) -> tuple[bool, Any]:
        """Return ``(True, answer)``, or ``(False, error)`` when the worker raised.

        Raises:
            EngineError: the worker died (killed, out of memory) before answering.
        """
        conn, proc = self._conns[worker], self._procs[worker]
        try:
            status, payload = conn.recv() if conn.poll() or proc.is_alive() else (None, None)
        except (EOFError, OSError):
            status, payload = None, None
        if status == "ok":
            return True, payload
        if status == "error":
            error = payload if isinstance(payload, AlignerError) else EngineError(self.label, str(payload))
            return False, error
        proc.join(1)
        raise EngineError(
            self.label,
            f"engine worker {proc.pid} died (exit code {proc.exitcode}); if it ran out of memory, "
            "use fewer engine workers (--engine-workers)",
        )


def _stop(procs: Sequence[BaseProcess], conns: Sequence[Connection]) -> None:
    """Ask each worker to end, then terminate (and kill) those still running; close the pipes."""
    for conn in conns:
        try:
            conn.send(None)
        except (OSError, ValueError):
            pass  # already gone
    for proc in procs:
        proc.join(2)
        if proc.is_alive():
            proc.terminate()
            proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join()
    for conn in conns:
        conn.close()


def _portable(error: BaseException) -> AlignerError | str:
    """The error as the parent will raise it: an ``AlignerError`` itself (when it pickles), else its text."""
    if isinstance(error, AlignerError):
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:  # an unpicklable field: send the text
            return str(error)
        return error
    return f"{type(error).__name__} in engine worker {os.getpid()}: {error}"


def _exit_with_parent() -> None:
    """End this worker as soon as its parent is gone, even in the middle of a job."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        wait([parent.sentinel])
        os._exit(1)


def _serve(conn: Connection, factory: Factory) -> None:
    """The body of one worker: build the engine, say so, then answer jobs until told to stop."""
    # Ctrl-C reaches the whole process group: the parent handles it (and stops the workers), so the
    # workers do not print a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    try:
        handle = factory()
    except BaseException as error:  # reported to the parent, which raises it
        conn.send(("error", _portable(error)))
        return
    conn.send(("ok", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", handle(job)))
        except Exception as error:  # reported to the parent, which raises it
            conn.send(("error", _portable(error)))
