"""From readings (the contract table) to the regular series the alert rules read.

* Values flagged :data:`UNUSABLE_FLAGS` count as missing (they are kept in the store, never dropped).
* Every series is put on a regular grid (1 h for ``1h`` and ``8h`` readings, 1 day for ``24h``)
  from its first reading to ``until`` (default: the last reading of the whole table), so a
  station that stops reporting shows up as missing steps at the end.
* Where readings hold hourly values but no ``24h`` series for a station and parameter, the 24-hour
  means are derived here: the mean over the natural day in the station's standard local time
  (China: Beijing time), NaN unless at least 20 hourly values are valid (GB 3095-2012 Table 4,
  :data:`greenbri.core.averaging.DAILY_CAPTURE_RULES` ``cn-gb3095``). A day is stored at its
  start, converted to UTC (``2015-12-01T00:00+08:00`` -> ``2015-11-30T16:00Z``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from greenbri.adapters.monitoring.times import parse_timezone
from greenbri.core.averaging import daily_mean
from greenbri.core.errors import MissingColumnError
from greenbri.core.monitoring.readings import QaFlag

__all__ = ["UNUSABLE_FLAGS", "Series", "SeriesKey", "series_from_readings", "standard_offset"]

#: Flags that make a value unusable for alerting. STUCK, SPIKE and INCONSISTENT values are still
#: used: a real pollution episode can look like a spike, and an alert is better than silence.
UNUSABLE_FLAGS = QaFlag.MISSING | QaFlag.NEGATIVE | QaFlag.OUT_OF_RANGE | QaFlag.SOURCE_INVALID
_STEP_HOURS = {"1h": 1, "8h": 1, "24h": 24}
_REQUIRED = ("station_id", "parameter", "time_utc", "averaging", "value", "unit", "qa_flags")

SeriesKey = tuple[str, str, str]


@dataclass(frozen=True)
class Series:
    """A regular series: ``times`` (UTC ``datetime64[us]``, period starts), values (NaN: missing)."""

    station_id: str
    parameter: str
    averaging: str
    unit: str
    times: NDArray[np.datetime64]
    values: NDArray[np.float64]
    utc_offset_hours: float


def standard_offset(timezone: str, at: dt.datetime) -> float:
    """Hours of standard (non-summer) time ahead of UTC for any label ingest accepts (``+08:00``,
    ``UTC+8``, ``Z``, an IANA name: :func:`~greenbri.adapters.monitoring.times.parse_timezone`)."""
    parsed = parse_timezone(timezone or "UTC")
    if parsed.offset_minutes is not None:
        return parsed.offset_minutes / 60
    local = at.astimezone(zoneinfo.ZoneInfo(parsed.zone or "UTC"))
    offset = (local.utcoffset() or dt.timedelta()) - (local.dst() or dt.timedelta())
    return offset.total_seconds() / 3600


def _grid(
    times: NDArray[np.datetime64], values: NDArray[np.float64], step_hours: int, until: np.datetime64
) -> tuple[NDArray[np.datetime64], NDArray[np.float64]]:
    step = np.timedelta64(step_hours, "h").astype("timedelta64[us]")
    start = times.min()
    end = max(times.max(), start + ((until - start) // step) * step)
    grid = np.arange(start, end + step, step)
    filled = np.full(grid.size, np.nan)
    filled[((times - start) // step).astype(np.int64)] = values
    return grid, filled


def _daily_from_hourly(hourly: Series, until: np.datetime64) -> Series:
    offset = np.timedelta64(round(hourly.utc_offset_hours * 60), "m").astype("timedelta64[us]")
    local = (hourly.times + offset).astype("datetime64[h]")
    valid = ~np.isnan(hourly.values)
    if not valid.any():
        return Series(
            hourly.station_id, hourly.parameter, "24h", hourly.unit, hourly.times[:0], hourly.values[:0], 0
        )
    aggregate = daily_mean(hourly.values, local, "cn-gb3095")
    starts = aggregate.starts.astype("datetime64[us]") - offset
    times, values = _grid(starts, aggregate.values, 24, until)
    return Series(
        hourly.station_id, hourly.parameter, "24h", hourly.unit, times, values, hourly.utc_offset_hours
    )


def series_from_readings(readings: pd.DataFrame, until: dt.datetime | None = None) -> dict[SeriesKey, Series]:
    """Regular series by ``(station_id, parameter, averaging)``, with derived 24h series (see module)."""
    missing = [column for column in _REQUIRED if column not in readings.columns]
    if missing:
        raise MissingColumnError(
            f"The readings lack the columns {missing}.",
            hint="give readings with the columns of greenbri.core.monitoring.readings.READING_COLUMNS.",
        )
    if readings.empty:
        return {}
    frame = readings.loc[:, [*_REQUIRED, *(["source_timezone"] if "source_timezone" in readings else [])]]
    times_utc = pd.to_datetime(frame["time_utc"], utc=True).dt.tz_localize(None).astype("datetime64[us]")
    flags = frame["qa_flags"].fillna(0).astype(np.int64).to_numpy()
    values = frame["value"].astype(np.float64).to_numpy().copy()
    values[(flags & int(UNUSABLE_FLAGS)) != 0] = np.nan
    frame = frame.assign(time_utc=times_utc, value=values)
    end = (
        until.astimezone(dt.UTC).replace(tzinfo=None)
        if until
        else pd.Timestamp(times_utc.max()).to_pydatetime()
    )
    last = np.datetime64(end, "us")
    result: dict[SeriesKey, Series] = {}
    for group_key, group in frame.groupby(["station_id", "parameter", "averaging", "unit"], sort=True):
        station_id, parameter, averaging, unit = (str(part) for part in group_key)
        if averaging not in _STEP_HOURS:
            continue
        group = group.sort_values("time_utc")
        stamps = group["time_utc"].to_numpy()
        zone = str(group["source_timezone"].iloc[0]) if "source_timezone" in group else "UTC"
        offset = standard_offset(zone, pd.Timestamp(stamps[0]).to_pydatetime().replace(tzinfo=dt.UTC))
        times, filled = _grid(stamps, group["value"].to_numpy(dtype=np.float64), _STEP_HOURS[averaging], last)
        result[(station_id, parameter, averaging)] = Series(
            station_id, parameter, averaging, unit, times, filled, offset
        )
    for (station_id, parameter, averaging), series in list(result.items()):
        if averaging == "1h" and (station_id, parameter, "24h") not in result:
            result[(station_id, parameter, "24h")] = _daily_from_hourly(series, last)
    return result
