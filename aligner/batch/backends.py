"""Where the pending units of a batch run: ``--engine-backend`` name -> implementation.

The local backend (``aligner.batch.run``) is this machine; the Ray backend (``aligner.batch.ray``)
is imported only when named, so a local batch never loads Ray or the Ray module.
"""

from __future__ import annotations

from collections.abc import Callable

from aligner.batch.options import Backend, BatchOptions
from aligner.batch.run import BatchReport, run_batch
from aligner.errors import UsageError

__all__ = ["BACKENDS", "run_batch_on"]


def _local(options: BatchOptions, address: str | None) -> BatchReport:
    if address is not None:
        raise UsageError("--ray-address is for --engine-backend ray")
    return run_batch(options)


def _ray(options: BatchOptions, address: str | None) -> BatchReport:
    from aligner.batch.ray import RayOptions, run_batch_ray

    return run_batch_ray(options, RayOptions(address=address))


BACKENDS: dict[Backend, Callable[[BatchOptions, str | None], BatchReport]] = {
    Backend.LOCAL: _local,
    Backend.RAY: _ray,
}


def run_batch_on(backend: Backend | str, options: BatchOptions, address: str | None = None) -> BatchReport:
    """Run the batch on this machine (``local``) or on a Ray cluster (``ray``, at ``address``).

    Raises:
        UsageError: an unknown backend, or an address without ``ray``; and whatever the backend raises.
    """
    if backend not in list(Backend):
        raise UsageError(f"--engine-backend must be one of {', '.join(Backend)}")
    return BACKENDS[Backend(backend)](options, address)
