"""Upserting stations by ``station_id`` without silently overwriting what is known.

* A new station is added.
* For a known station, a field the store lacks (null) is filled from the input; ``parameters``
  become the union; ``active_from`` / ``active_to`` widen to the earliest / latest known time.
* A field that both have with different values (a station that changes its name, coordinates
  that move) takes the input's value, and the change is returned: the ingest report shows it as a
  warning and the batch ledger keeps it (old and new value), so the history is never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from greenbri.adapters.monitoring.batch import stations_table

__all__ = ["StationChange", "merge_stations"]

_WIDEN = {"active_from": min, "active_to": max}
_KEPT = ("source",)


@dataclass(frozen=True)
class StationChange:
    """One field of one station that an input changed."""

    station_id: str
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "station_id": self.station_id,
            "field": self.field,
            "old": _plain(self.old),
            "new": _plain(self.new),
        }

    def __str__(self) -> str:
        return f"station {self.station_id}: {self.field} changed from {self.old!r} to {self.new!r}"


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _merge_one(
    old: Mapping[str, Any], new: Mapping[str, Any], changes: list[StationChange]
) -> dict[str, Any]:
    merged = dict(old)
    for name, value in new.items():
        current = old.get(name)
        if value is None or value == current:
            continue
        if current is None:
            merged[name] = value
        elif name == "parameters":
            merged[name] = ",".join(sorted({*str(current).split(","), *str(value).split(",")}))
        elif name in _WIDEN:
            merged[name] = _WIDEN[name](current, value)
        elif name not in _KEPT:
            changes.append(StationChange(str(old["station_id"]), name, current, value))
            merged[name] = value
    return merged


def merge_stations(stored: pa.Table, incoming: pa.Table) -> tuple[pa.Table, list[StationChange], int]:
    """``(merged stations, changes, number of new stations)``; see the module docstring."""
    known = {row["station_id"]: row for row in stored.to_pylist()}
    changes: list[StationChange] = []
    added = 0
    for row in incoming.to_pylist():
        station_id = row["station_id"]
        if station_id in known:
            known[station_id] = _merge_one(known[station_id], row, changes)
        else:
            known[station_id] = row
            added += 1
    return stations_table(list(known.values())), changes, added
