"""The batches of the readings store: list, show, remove (``greenbri monitor batches``, ``/v1/monitoring/batches``).

A batch is one ingested input (a file, an API page). Removing a batch takes exactly its readings
out of the store (atomically, see :meth:`ReadingsStore.remove_batch`), records who removed it, when
and what in the audit log, and lets the same or a corrected input be ingested again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.errors import BatchNotFoundError

__all__ = ["AuditSink", "batch_summary", "list_batches", "remove_batch", "show_batch"]

#: Where an audit entry goes (``AuditLog.record``): one JSON-ready dict per action.
AuditSink = Callable[[dict[str, Any]], None]


def batch_summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The ledger entry without its messages and file list (one line of a listing)."""
    rows = entry.get("rows", {})
    return {
        "id": entry["id"],
        "source": entry.get("source"),
        "input_name": entry.get("input_name"),
        "created_at": entry.get("created_at"),
        "time_range": entry.get("time_range"),
        "readings_stored": rows.get("readings_stored", 0),
        "readings_superseded": sum(item.get("readings", 0) for item in entry.get("superseded", [])),
        "readings_rejected_conflict": rows.get("readings_rejected_conflict", 0),
    }


def list_batches(store: ReadingsStore, source: str | None = None) -> list[dict[str, Any]]:
    """Every batch (optionally of one source), oldest first."""
    return [
        batch_summary(entry) for entry in store.batches() if source is None or entry.get("source") == source
    ]


def show_batch(store: ReadingsStore, batch_id: str) -> dict[str, Any]:
    """The full ledger entry of ``batch_id`` (counts, messages, files, what superseded it)."""
    for entry in store.batches():
        if entry["id"] == batch_id:
            return entry
    raise BatchNotFoundError(
        f"There is no monitoring batch {batch_id!r}.",
        hint="list the batches with greenbri monitor batches list (or GET /v1/monitoring/batches).",
    )


def remove_batch(
    store: ReadingsStore, batch_id: str, *, actor: Mapping[str, Any], audit: AuditSink
) -> dict[str, Any]:
    """Remove ``batch_id`` and record it in the audit log (``actor``: who, e.g. key id or user).

    Returns the summary of the removed batch. Readings of the batch that were superseded earlier
    are already gone; the others leave the store with it.
    """
    entry = store.remove_batch(batch_id)
    summary = batch_summary(entry)
    removed = summary["readings_stored"] - summary["readings_superseded"]
    audit(
        {
            **actor,
            "kind": "write",
            "action": "remove-monitoring-batch",
            "resource": f"monitoring-batch:{batch_id}",
            "input_name": entry.get("input_name"),
            "input_sha256": entry.get("input_sha256"),
            "readings_removed": removed,
        }
    )
    return {**summary, "readings_removed": removed}
