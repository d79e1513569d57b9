"""The Dask engine: per-partition kernels on a cluster (an address, or a LocalCluster started here)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any

from greenbri.adapters.engines.base import Engine, Kernel, LocalEngine, Progress
from greenbri.core.errors import ConfigurationError, InputError

__all__ = ["DaskEngine", "engine_from_options"]

logger = logging.getLogger(__name__)

#: How often Dask runs again a task that *raised* (``Client.map(retries=...)``): never, since kernels
#: are deterministic and an error would only repeat. A task whose *worker died* is rescheduled by the
#: scheduler itself, up to ``distributed.scheduler.allowed-failures`` times (Dask's default: 3).
TASK_RETRIES = 0


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
        if shipped is not None and not self.client.who_has(shipped).get(shipped.key):
            shipped = None  # every worker holding it is gone: ship it again
        if shipped is None:
            # a list would be scattered element by element: wrap it, keep the one future
            shipped = self.client.scatter([shared], broadcast=True, hash=False)[0]
            if shared_key:
                self._shipped[shared_key] = shipped
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
