"""The engine interface and the local engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

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


def partition_bounds(count: int, partition_size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(count)`` in slices of ``partition_size``."""
    if partition_size < 1:
        raise InputError(
            f"Partition size {partition_size} is not positive.", hint="use a partition size of at least 1."
        )
    return [(start, min(start + partition_size, count)) for start in range(0, count, partition_size)]
