"""Series quality checks over stored readings: stuck, spike, PM2.5 > PM10 and station-down per station.

The point-wise flags (missing, negative, out of range, source-invalid) are set at ingest. The
series checks of :mod:`greenbri.core.monitoring.quality` need neighbouring hours, which may arrive
late, so they are computed here on demand from the valid hourly values (one DuckDB scan per
parameter on a gap-free station x hour grid) and reported, never used to drop a value.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np

from greenbri.core.monitoring.quality import (
    DEFAULT_THRESHOLDS,
    QualityThresholds,
    series_flags,
    silent_periods,
)
from greenbri.core.monitoring.readings import QaFlag
from greenbri.usecases.monitoring.readings_scan import hourly_grid, scan_daily

__all__ = ["POLLUTANTS", "quality_report"]

#: The hourly pollutants checked.
POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")


def quality_report(
    connection: duckdb.DuckDBPyConnection,
    relation: str = "readings",
    *,
    utc_offset_hours: int = 8,
    stations: tuple[str, ...] | None = None,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> list[dict[str, Any]]:
    """One row per station and pollutant: valid hours and the hours flagged stuck, spike or
    inconsistent, and the station-down events (runs of ``thresholds.silent_hours`` or more hours
    without a valid value, inside the station's own first and last valid hour)."""
    grids = scan_daily(connection, relation, utc_offset_hours=utc_offset_hours, stations=stations)
    hourly = {
        parameter: hourly_grid(connection, relation, parameter, grids).values
        for parameter in POLLUTANTS
        if grids.index(parameter) is not None
    }
    flags = series_flags(hourly, thresholds)
    rows = []
    for parameter, values in hourly.items():
        valid = ~np.isnan(values)
        events = _down_events(valid, thresholds.silent_hours)
        for index, station in enumerate(grids.stations):
            bits = flags[parameter][index]
            rows.append(
                {
                    "station": station,
                    "parameter": parameter,
                    "valid_hours": int(valid[index].sum()),
                    "stuck_hours": int(np.count_nonzero(bits & int(QaFlag.STUCK))),
                    "spike_hours": int(np.count_nonzero(bits & int(QaFlag.SPIKE))),
                    "inconsistent_hours": int(np.count_nonzero(bits & int(QaFlag.INCONSISTENT))),
                    "down_events": events[index][0],
                    "longest_down_hours": events[index][1],
                }
            )
    return sorted(rows, key=lambda row: (row["station"], row["parameter"]))


def _down_events(valid: np.ndarray, minimum_hours: int) -> list[tuple[int, int]]:
    """Per station: (number of silent runs, longest run), counting only runs between valid hours."""
    periods = silent_periods(valid, minimum_hours=minimum_hours)
    result = []
    for index in range(valid.shape[0]):
        present = np.flatnonzero(valid[index])
        mine = periods.series == index
        if present.size:
            inside = (periods.first_hour > present[0]) & (periods.first_hour + periods.hours <= present[-1])
            mine &= inside
        lengths = periods.hours[mine]
        result.append((int(lengths.size), int(lengths.max()) if lengths.size else 0))
    return result
