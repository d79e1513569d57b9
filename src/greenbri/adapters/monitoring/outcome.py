"""The result of storing one batch, and the ledger entry that records it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from greenbri.adapters.monitoring.batch import ParsedInput, RowMessage
from greenbri.adapters.monitoring.reconcile import Reconciliation
from greenbri.adapters.monitoring.station_merge import StationChange

__all__ = ["MESSAGES_KEPT", "BatchOutcome", "batch_identifier"]

#: Row messages kept in the ledger per batch (the report returned to the caller has all of them).
MESSAGES_KEPT = 200
#: A batch with at most this many stations lists them in the ledger.
STATIONS_KEPT = 64


def batch_identifier(source: str, input_sha256: str, options_digest: str) -> str:
    """A batch id that is the same whenever the same input is ingested with the same options."""
    digest = hashlib.sha256(f"{input_sha256}:{options_digest}".encode()).hexdigest()[:16]
    return f"{source}-{digest}"


@dataclass
class BatchOutcome:
    """What a batch did; ``entry`` is its ledger entry (JSON-ready)."""

    batch_id: str
    created: bool
    entry: dict[str, Any]
    messages: list[RowMessage] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.entry["rows"])

    @classmethod
    def from_entry(cls, entry: dict[str, Any], *, created: bool) -> BatchOutcome:
        return cls(entry["id"], created, entry)

    @classmethod
    def build(
        cls,
        batch_id: str,
        parsed: ParsedInput,
        readings: pa.Table,
        verdict: Reconciliation,
        changes: list[StationChange],
        stations_added: int,
        files: dict[str, list[str]],
        input_sha256: str,
        options_digest: str,
        created_at: datetime,
    ) -> BatchOutcome:
        flagged = int(pc.sum(pc.not_equal(readings.column("qa_flags"), 0)).as_py() or 0)
        warnings = [RowMessage(parsed.input_name, None, str(change), "warning") for change in changes]
        messages = [*parsed.messages, *verdict.conflicts, *verdict.notes, *warnings]
        stations = sorted(pc.unique(readings.column("station_id")).to_pylist()) if readings.num_rows else None
        time_range = None
        if readings.num_rows:
            low, high = pc.min_max(readings.column("time_utc")).values()
            time_range = [low.as_py().isoformat(), high.as_py().isoformat()]
        entry = {
            "id": batch_id,
            "source": parsed.source,
            "input_name": parsed.input_name,
            "input_sha256": input_sha256,
            "options_digest": options_digest,
            "created_at": created_at.isoformat(),
            "time_range": time_range,
            # Lets a later batch skip this one's files when they share no station (None: too many).
            "stations": stations if stations is None or len(stations) <= STATIONS_KEPT else None,
            "rows": {
                "input_rows": parsed.rows_read,
                "input_rows_rejected": parsed.rows_rejected,
                "readings_parsed": parsed.readings.num_rows,
                "readings_stored": readings.num_rows,
                "readings_flagged": flagged,
                "readings_skipped_duplicate": verdict.skipped_duplicate,
                "readings_skipped_existing": verdict.skipped_existing,
                "readings_rejected_conflict": len(verdict.conflicts),
                "readings_superseding": 0 if verdict.superseded is None else verdict.superseded.num_rows,
                "stations_added": stations_added,
                "stations_changed": len({change.station_id for change in changes}),
            },
            "provenance": parsed.provenance,
            "station_changes": [change.to_dict() for change in changes],
            "messages": [message.to_dict() for message in messages[:MESSAGES_KEPT]],
            "messages_total": len(messages),
            "files": files,
        }
        return cls(batch_id, True, entry, messages)
