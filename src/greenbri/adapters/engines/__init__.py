"""Execution engines: run a per-partition kernel locally or on a Dask cluster, with the same results.

A *kernel* is a plain function ``kernel(shared, partition) -> result``: ``shared`` is the large,
read-only input every partition needs (the receptor layers of a screening), ``partition`` one
slice of the work (a chunk of projects). Engines differ only in where kernels run:

* :class:`LocalEngine` runs them one after the other in this process;
* :class:`DaskEngine` ships ``shared`` to every worker **once** (``Client.scatter(...,
  broadcast=True)``), submits one task per partition, and gathers the results in
  partition order. A worker lost mid-job makes Dask run its tasks again elsewhere; kernels have
  no side effects, so a task that runs twice still yields one result per partition.

Both return the list of results in partition order, so callers combine them the same way and
the outcome is identical whatever the engine (``tests/engines`` checks this).
"""

from greenbri.adapters.engines.base import Engine, LocalEngine, partition_bounds
from greenbri.adapters.engines.dask_engine import DaskEngine, engine_from_options

__all__ = ["DaskEngine", "Engine", "LocalEngine", "engine_from_options", "partition_bounds"]
