"""The engine interface and the local engine."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from greenbri.core.errors import InputError

__all__ = ["Engine", "Kernel", "LocalEngine", "partition_bounds"]

Kernel = Callable[[Any, Any], Any]
Progress = Callable[[int], None]


class Engine(Protocol):
    """Runs ``kernel(shared, partition)`` for every partition; results in partition order."""

    name: str

    def map_partitions(
        self,
        kernel: Kernel,
        shared: Any,
        partitions: Sequence[Any],
        *,
        progress: Progress | None = None,
        shared_key: str | None = None,
    ) -> list[Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


class LocalEngine:
    """Every partition in this process, in order."""

    name = "local"

    def map_partitions(
        self,
        kernel: Kernel,
        shared: Any,
        partitions: Sequence[Any],
        *,
        progress: Progress | None = None,
        shared_key: str | None = None,
    ) -> list[Any]:
        del shared_key  # nothing is shipped: the kernel reads ``shared`` in this process
        results = []
        for partition in partitions:
            results.append(kernel(shared, partition))
            if progress:
                progress(1)
        return results

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def partition_bounds(
    count: int, partition_size: int, weights: Sequence[float] | NDArray[np.float64] | None = None
) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(count)`` in contiguous slices of ``partition_size``.

    With ``weights`` (the cost of each item, e.g. a project's vertex count; not negative) a slice
    also ends where the running total of the weights crosses a multiple of the total divided by
    the number of slices by count, so a run of costly items (long railway lines) is spread over
    several tasks instead of making one task the rest of a cluster waits for. Slices stay
    contiguous and in order, so joined results do not depend on where they were cut; there are at
    most about twice as many as by count alone (each cut by weight crosses a different multiple).
    """
    if partition_size < 1:
        raise InputError(
            f"Partition size {partition_size} is not positive.", hint="use a partition size of at least 1."
        )
    by_count = [(start, min(start + partition_size, count)) for start in range(0, count, partition_size)]
    if weights is None:
        return by_count
    if len(weights) != count:
        raise ValueError(f"{len(weights)} weights for {count} items")
    values = np.asarray(weights, dtype=np.float64)
    if values.size and (not np.all(np.isfinite(values)) or values.min() < 0):
        raise ValueError("weights must be finite and not negative")
    with np.errstate(over="ignore"):
        total = float(values.sum())
    if not 0 < total < math.inf:
        return by_count
    # in shares of the total (a running sum of 0..k), so tiny or huge weights cannot stall the cuts
    shares = (values / total * len(by_count)).tolist()
    bounds: list[tuple[int, int]] = []
    start, running, next_cut = 0, 0.0, 1
    for index, share in enumerate(shares):
        if index > start and (index - start >= partition_size or running >= next_cut):
            bounds.append((start, index))
            start = index
        next_cut = max(next_cut, math.floor(running) + 1)
        running += share
    if start < count:
        bounds.append((start, count))
    return bounds
