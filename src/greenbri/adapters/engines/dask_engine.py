"""The Dask engine: per-partition kernels on a cluster (an address, or a LocalCluster started here)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any

from greenbri.adapters.engines.base import Engine, Kernel, LocalEngine, Progress
from greenbri.core.errors import ConfigurationError, InputError

__all__ = ["DaskEngine", "engine_from_options", "local_cluster_config"]

logger = logging.getLogger(__name__)

#: How often Dask runs again a task that *raised* (``Client.map(retries=...)``): never, since kernels
#: are deterministic and an error would only repeat. A task whose *worker died* is rescheduled by the
#: scheduler itself, up to ``distributed.scheduler.allowed-failures`` times (Dask's default: 3).
TASK_RETRIES = 0


def local_cluster_config(dask: Any) -> dict[str, Any]:
    """Dask settings for the LocalCluster an engine starts (give a remote cluster the same).

    Measured on the screening benchmark (docs/operations.md):

    - the workers keep glibc's allocator defaults: Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_``
      (65536) for its workers, which also turns off glibc's adaptive mmap threshold; the geodesic
      search allocates many mid-sized arrays and ran 1.8-2.2x slower per task with it.
    - the Active Memory Manager is off: its ``ReduceReplicas`` policy drops, between jobs, the
      copies of the receptor layers shipped to every worker, and the next job copied a 186 MB
      layer again (1.2 s of a 5 s job).
    """
    environment = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    return {
        "distributed.nanny.pre-spawn-environ": environment,
        "distributed.scheduler.active-memory-manager.start": False,
    }


class DaskEngine:
    """Run kernels on a Dask cluster.

    Parameters
    ----------
    scheduler
        ``tcp://host:port`` of a running ``dask scheduler``; ``None`` starts a ``LocalCluster``
        of ``workers`` processes (one thread each) for this engine's lifetime.
    workers
        Workers of the LocalCluster (ignored with ``scheduler``).
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int = 2) -> None:
        distributed: Any = importlib.import_module("dask.distributed")
        if logging.getLogger().getEffectiveLevel() > logging.INFO:
            # Dask logs every worker start and stop at INFO on its own handler; show them with -v only
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self._cluster: Any = None
        self._shipped: dict[str, Any] = {}
        self.client: Any
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout="10s")
            except OSError as error:
                raise ConfigurationError(
                    f"Cannot reach the Dask scheduler at {scheduler}: {error}.",
                    hint="start it with 'dask scheduler' and give its tcp://host:port, or omit --scheduler "
                    "to start a local cluster.",
                ) from error
        else:
            if workers < 1:
                raise InputError(f"{workers} Dask workers requested.", hint="use --workers 1 or more.")
            dask = importlib.import_module("dask")
            with dask.config.set(local_cluster_config(dask)):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
                )
            self.client = distributed.Client(self._cluster)
        self.scheduler = scheduler if scheduler else self._cluster.scheduler_address

    def map_partitions(
        self,
        kernel: Kernel,
        shared: Any,
        partitions: Sequence[Any],
        *,
        progress: Progress | None = None,
        shared_key: str | None = None,
    ) -> list[Any]:
        """Run ``kernel(shared, partition)`` on the cluster; results in partition order.

        ``shared_key`` names ``shared`` (e.g. the dataset versions of the layers): the first job
        with a key ships ``shared`` to every worker and later jobs with the same key reuse the
        copies already there, so a long-lived cluster ships a layer once per version, not once
        per job. Without a key, ``shared`` is shipped for this job and released after it.
        """
        as_completed: Any = importlib.import_module("dask.distributed").as_completed
        if not partitions:
            return []
        shipped = self._shipped.get(shared_key) if shared_key else None
        holders = self.client.who_has(shipped).get(shipped.key, ()) if shipped is not None else ()
        if shipped is not None and not holders:
            shipped = None  # every worker holding it is gone: ship it again
        if shipped is None:
            # a list would be scattered element by element: wrap it, keep the one future
            shipped = self.client.scatter([shared], broadcast=True, hash=False)[0]
            if shared_key:
                self._shipped[shared_key] = shipped
        elif len(holders) < len(self.client.nthreads()):  # nthreads: every worker (scheduler_info may cap)
            # workers joined, or a remote scheduler's memory manager dropped copies: one per worker
            self.client.replicate([shipped])
        futures = self.client.map(
            kernel, [shipped] * len(partitions), list(partitions), pure=False, retries=TASK_RETRIES
        )
        for _ in as_completed(futures):
            if progress:
                progress(1)
        results = self.client.gather(futures)
        if not shared_key:
            self.client.cancel(shipped)
        return list(results)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def engine_from_options(name: str, *, scheduler: str | None = None, workers: int = 2) -> Engine:
    """``local`` or ``dask`` (with ``scheduler`` or a LocalCluster of ``workers``)."""
    if name == "local":
        if scheduler:
            raise InputError(
                "--scheduler needs --engine dask.", hint="add --engine dask or drop --scheduler."
            )
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler, workers=workers)
    raise InputError(f"Unknown engine {name!r}.", hint="use --engine local or --engine dask.")
