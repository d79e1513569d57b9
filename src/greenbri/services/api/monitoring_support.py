"""What the monitoring routes share: the readings store, its data version, stations, time parameters,
daily series of one station clipped to a date range.

Monitoring data (stations and readings) are public. The data version is the batch ledger
(``monitoring/batches.json``), replaced whole by every ingest: what is derived from the whole store
(stations, latest AQI) is cached per ledger stamp.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
from fastapi import HTTPException, Request

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.errors import InputError
from greenbri.services.api.bbox import parse_bbox
from greenbri.services.api.context import get_context
from greenbri.services.api.responses import plain
from greenbri.usecases.monitoring.derived import DailySeries, daily_series

__all__ = [
    "clip_days",
    "find_station",
    "in_bbox",
    "monitoring_stamp",
    "parse_bbox",
    "parse_instant",
    "readings_store",
    "station_daily_series",
    "station_rows",
]


def readings_store(request: Request) -> ReadingsStore:
    settings = get_context(request).settings
    return ReadingsStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def monitoring_stamp(request: Request) -> str:
    """Changes whenever an ingest publishes a batch (the ledger is replaced whole)."""
    try:
        status = readings_store(request).ledger_path.stat()
    except FileNotFoundError:
        return "empty"
    return f"{status.st_mtime_ns}-{status.st_size}"


def station_rows(request: Request) -> list[dict[str, Any]]:
    """Every station as JSON-ready rows (times as ISO 8601), sorted by id; cached per data version."""

    def build() -> list[dict[str, Any]]:
        rows = [plain(row) for row in readings_store(request).stations().to_pylist()]
        return sorted(rows, key=lambda row: str(row["station_id"]))

    rows: list[dict[str, Any]] = get_context(request).memoised(
        f"monitoring-stations|{monitoring_stamp(request)}", build
    )
    return rows


def find_station(request: Request, station_id: str) -> dict[str, Any]:
    for row in station_rows(request):
        if row["station_id"] == station_id:
            return row
    raise HTTPException(404, f"There is no station {station_id!r}; GET /v1/stations lists them.")


def in_bbox(row: dict[str, Any], bbox: tuple[float, float, float, float] | None) -> bool:
    if bbox is None:
        return True
    lon, lat = row.get("longitude"), row.get("latitude")
    if lon is None or lat is None:
        return False
    west, south, east, north = bbox
    inside_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return bool(inside_lon and south <= lat <= north)


def parse_instant(text: str | None, name: str) -> dt.datetime | None:
    """An RFC 3339 date or date-time (a date is its midnight UTC; a time without offset is UTC)."""
    if text is None or text in ("", ".."):
        return None
    try:
        value = dt.datetime.fromisoformat(text if ("T" in text or " " in text) else text + "T00:00:00")
    except ValueError:
        raise InputError(
            f"{name}={text!r} is not an RFC 3339 date or date-time.",
            hint=f"use e.g. {name}=2016-05-01 or {name}=2016-05-01T08:00:00Z.",
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def clip_days(series: DailySeries, start: dt.date | None, end: dt.date | None) -> DailySeries:
    """The days of ``series`` from ``start`` to ``end`` (inclusive); 400 when none is left."""
    keep = np.ones(series.days.size, dtype=bool)
    if start is not None:
        keep &= series.days >= np.datetime64(start, "D")
    if end is not None:
        keep &= series.days <= np.datetime64(end, "D")
    if not keep.any():
        first, last = str(series.days[0]), str(series.days[-1])
        raise InputError(
            f"No day of the station's data ({first} to {last}) is between {start or '..'} and {end or '..'}.",
            hint=f"choose start and end between {first} and {last}.",
        )
    return dataclasses.replace(
        series,
        days=series.days[keep],
        values={key: values[:, keep] for key, values in series.values.items()},
        valid_counts={key: counts[:, keep] for key, counts in series.valid_counts.items()},
    )


def station_daily_series(
    request: Request,
    station_id: str,
    rules: tuple[str, ...],
    *,
    utc_offset_hours: int,
    reference_conditions: str,
) -> dict[str, DailySeries]:
    """Daily series of one station under each of ``rules`` (see :mod:`greenbri.usecases.monitoring.derived`)."""
    connection = readings_store(request).connect()
    try:
        return daily_series(
            connection,
            "readings",
            rules=rules,
            utc_offset_hours=utc_offset_hours,
            stations=(station_id,),
            reference_conditions=reference_conditions,
        )
    finally:
        connection.close()
