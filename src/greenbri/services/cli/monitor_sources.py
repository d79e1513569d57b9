"""Which readings the ``greenbri monitor`` analysis commands read.

By default the store's *published* readings files (those the batch ledger names), so a batch still
being written, or left behind by a killed writer, is never counted; ``--readings GLOB`` reads any
contract Parquet files instead.
"""

from __future__ import annotations

from typing import Any

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.errors import InputError
from greenbri.services.cli.context import settings_from

__all__ = ["readings_source"]


def readings_source(readings: str | None) -> tuple[str | tuple[str, ...], list[dict[str, Any]]]:
    """``readings`` (a glob) as given, or the store's published files and the batches they belong to."""
    if readings:
        return readings, []
    store = ReadingsStore(settings_from().data_dir)
    batches = store.batches()
    files = store.files(batches=batches)
    if not files:
        raise InputError(
            "The store holds no published readings.",
            hint="ingest readings first (greenbri monitor ingest), or pass --readings GLOB.",
        )
    return tuple(str(path) for path in files), batches
