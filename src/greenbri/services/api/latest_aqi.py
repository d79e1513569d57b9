"""The real-time (hourly) AQI of every station at its latest stored hour, for the monitoring map.

Which hour: per station, the latest ``1h`` reading of an AQI pollutant with a value and none of the
ingest exclusion flags (:data:`~greenbri.usecases.monitoring.readings_scan.DEFAULT_EXCLUDED_FLAGS`).

* ``cn`` (HJ 633 real-time report): hourly SO2, NO2, CO and O3 against the 1-hour breakpoints, and
  the **hourly** PM2.5 and PM10 against the 24-hour breakpoints (HJ 633-2012 has no 1-hour PM
  table). This is how the national network's published real-time AQI is reproduced
  (docs/methodology/monitoring-derived.md; tests/monitoring/derived/test_cnemc_aqi.py).
* ``us``: the EPA NowCast of PM2.5 and PM10 over the 12 hours ending at the latest hour, against the
  24-hour breakpoints (the AirNow practice for PM). Gases are not part of the ``us`` real-time AQI
  here: only PM is.

The engine is chosen by the local date of the hour's end (``utc_offset_hours``, default China
Standard Time). A published AQI stored with the readings (parameter ``aqi``, e.g. CNEMC files) is
returned beside the computed one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
from numpy.typing import NDArray

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.aqi import compute_aqi, nowcast
from greenbri.core.units import convert
from greenbri.usecases.monitoring.readings_scan import DEFAULT_EXCLUDED_FLAGS

__all__ = ["METHODS", "latest_aqi"]

#: parameter -> (measurement key, unit of the engine's table) per standard.
_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "cn": {
        "so2": ("so2_1h", "ug/m3"),
        "no2": ("no2_1h", "ug/m3"),
        "co": ("co_1h", "mg/m3"),
        "o3": ("o3_1h", "ug/m3"),
        "pm25": ("pm25_24h", "ug/m3"),
        "pm10": ("pm10_24h", "ug/m3"),
    },
    "us": {"pm25": ("pm25_24h", "ug/m3"), "pm10": ("pm10_24h", "ug/m3")},
}
METHODS = {
    "cn": "HJ 633 real-time AQI: hourly SO2, NO2, CO, O3 (1-hour breakpoints); hourly PM2.5, PM10 "
    "(24-hour breakpoints) / 实时AQI：SO2、NO2、CO、O3小时值；PM2.5、PM10小时值（按24小时浓度限值）",
    "us": "EPA NowCast of PM2.5 and PM10 over the last 12 hours (24-hour breakpoints); gases not included "
    "/ 美国：PM2.5、PM10 的 NowCast（12小时），不含气态污染物",
}
_HOUR = dt.timedelta(hours=1)


def _connect(store: ReadingsStore) -> duckdb.DuckDBPyConnection:
    connection = store.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _latest_rows(store: ReadingsStore, parameters: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(station, parameter, value, unit, hour start) of each station's latest hour."""
    wanted = ", ".join(f"'{name}'" for name in (*parameters, "aqi"))
    pollutants = ", ".join(f"'{name}'" for name in parameters)
    connection = _connect(store)
    try:
        return connection.execute(
            f"""
            WITH hourly AS (
                SELECT station_id, parameter, value, unit, time_utc FROM readings
                WHERE averaging = '1h' AND parameter IN ({wanted}) AND value IS NOT NULL
                  AND (qa_flags & {DEFAULT_EXCLUDED_FLAGS}) = 0
            ), latest AS (
                SELECT station_id, max(time_utc) AS time_utc FROM hourly
                WHERE parameter IN ({pollutants}) GROUP BY station_id
            )
            SELECT h.station_id, h.parameter, h.value, h.unit, h.time_utc
            FROM hourly h JOIN latest l USING (station_id, time_utc)
            ORDER BY h.station_id, h.parameter
            """
        ).fetchall()
    finally:
        connection.close()


def _nowcasts(
    store: ReadingsStore, stations: list[str], hours: list[dt.datetime], parameter: str
) -> tuple[NDArray[np.float64], list[str]]:
    """NowCast at each station's latest hour, and the units found."""
    grid = np.full((len(stations), 12), np.nan)
    position = {station: number for number, station in enumerate(stations)}
    connection = _connect(store)
    try:
        rows = connection.execute(
            f"""SELECT station_id, value, unit, time_utc FROM readings
                WHERE averaging = '1h' AND parameter = ? AND value IS NOT NULL
                  AND (qa_flags & {DEFAULT_EXCLUDED_FLAGS}) = 0
                  AND time_utc > ? AND time_utc <= ?""",
            [parameter, min(hours) - 12 * _HOUR, max(hours)],
        ).fetchall()
    finally:
        connection.close()
    units = sorted({str(unit) for _, _, unit, _ in rows})
    for station, value, _unit, time in rows:
        number = position.get(station)
        if number is None:
            continue
        back = int((hours[number] - time) / _HOUR)
        if 0 <= back < 12:
            grid[number, 11 - back] = value
    return nowcast(grid)[:, -1], units


def latest_aqi(
    store: ReadingsStore,
    standard: str,
    *,
    fallback_engine: str | None = None,
    utc_offset_hours: int = 8,
    reference_conditions: str = "cn-gb3095-2018",
) -> list[dict[str, Any]]:
    """One record per station with an AQI pollutant: its latest hour, AQI, category, colour, primary."""
    keys = _KEYS[standard]
    rows = _latest_rows(store, tuple(keys))
    stations = sorted({str(row[0]) for row in rows})
    if not stations:
        return []
    position = {station: number for number, station in enumerate(stations)}
    hours: list[dt.datetime] = [dt.datetime.min.replace(tzinfo=dt.UTC)] * len(stations)
    measured: dict[str, NDArray[np.float64]] = {}
    published = np.full(len(stations), np.nan)
    raw: dict[str, dict[str, Any]] = {station: {} for station in stations}
    for station, parameter, value, unit, time in rows:
        number = position[station]
        hours[number] = time
        if parameter == "aqi":
            published[number] = value
            continue
        key, target = keys[parameter]
        raw[station][parameter] = {"value": value, "unit": unit}
        converted = convert([value], unit, target, pollutant=parameter, conditions=reference_conditions)
        measured.setdefault(key, np.full(len(stations), np.nan))[number] = float(converted[0])
    if standard == "us":
        for parameter, (key, _target) in keys.items():
            values, units = _nowcasts(store, stations, hours, parameter)
            if any(unit != "ug/m3" for unit in units):
                values = np.full(len(stations), np.nan)
            measured[key] = values
    offset = dt.timedelta(hours=utc_offset_hours)
    days = np.array([(hour + _HOUR + offset).date() for hour in hours], dtype="datetime64[D]")
    result = compute_aqi(standard, days, measured, fallback_engine=fallback_engine)
    records = []
    for station, number in position.items():
        category = result.category_at(number)
        aqi = result.aqi[number]
        records.append(
            {
                "station_id": station,
                "time_utc": hours[number].isoformat(),
                "hour_ending_utc": (hours[number] + _HOUR).isoformat(),
                "aqi": None if np.isnan(aqi) else int(aqi),
                "category": {"en": category.name_en, "zh": category.name_zh} if category else None,
                "colour": category.rgb_hex if category else None,
                "primary": list(result.primary_keys(number)),
                "engine": result.engine_at(number),
                "published_aqi": None if np.isnan(published[number]) else float(published[number]),
                "concentrations": raw[station],
                "sub_indices": {
                    key: float(values[number])
                    for key, values in sorted(result.sub_indices.items())
                    if not np.isnan(values[number])
                },
            }
        )
    return records
