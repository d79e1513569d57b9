"""The real-time (hourly) AQI of every station at its latest stored hour (``greenbri monitor latest``,
``GET /v1/aqi/latest``, the monitoring map): one use case both front ends call.

Which hour: per station, the latest ``1h`` reading of an AQI pollutant with a value and none of the
ingest exclusion flags (:data:`~greenbri.usecases.monitoring.readings_scan.DEFAULT_EXCLUDED_FLAGS`).

* ``cn`` (HJ 633 real-time report): hourly SO2, NO2, CO and O3 against the 1-hour breakpoints, and
  the **hourly** PM2.5 and PM10 against the 24-hour breakpoints
  (:data:`greenbri.core.monitoring.published_aqi.REAL_TIME_KEYS`). This is how the national
  network's published real-time AQI is reproduced (docs/methodology/monitoring-derived.md).
* ``us``: the EPA NowCast of PM2.5 and PM10 over the 12 hours ending at the latest hour, against the
  24-hour breakpoints (the AirNow practice for PM). Gases are not part of the ``us`` real-time AQI
  here: only PM is.

The engine is chosen by the local day of the hour's start (``utc_offset_hours``, default China
Standard Time). An hour no engine covers is returned with ``aqi`` null and its ``not_computed``
reason; the run goes on. Where the source published an AQI for the hour (CNEMC files: the stored
``aqi`` reading and the ``publications`` side table), each ``cn`` row says whether greenbri's AQI
and primary pollutants equal it (``matches_published``) or why they cannot (``mismatch_reason``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from greenbri.adapters.monitoring.cnemc import PRIMARY_NAMES
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.aqi import nowcast
from greenbri.core.aqi.coverage import CoveredAqi
from greenbri.core.monitoring.published_aqi import (
    REAL_TIME_DAILY_KEYS,
    REAL_TIME_KEYS,
    as_published_keys,
    real_time_aqi,
)
from greenbri.core.monitoring.readings import PARAMETERS
from greenbri.core.units import convert
from greenbri.usecases.monitoring.readings_scan import DEFAULT_EXCLUDED_FLAGS

__all__ = ["METHODS", "LatestAqi", "latest_aqi"]

METHODS = {
    "cn": "HJ 633 real-time AQI: hourly SO2, NO2, CO, O3 (1-hour breakpoints); hourly PM2.5, PM10 "
    "(24-hour breakpoints) / 实时AQI：SO2、NO2、CO、O3小时值；PM2.5、PM10小时值（按24小时浓度限值）",
    "us": "EPA NowCast of PM2.5 and PM10 over the last 12 hours (24-hour breakpoints); gases not included "
    "/ 美国：PM2.5、PM10 的 NowCast（12小时），不含气态污染物",
}
_HOUR = dt.timedelta(hours=1)
#: Why an hour an engine covers still has no AQI (NO DATA), and what fills it.
_NO_DATA = {
    "cn": "NO DATA: no valid hourly value of an AQI pollutant this hour; ingest the hour's readings",
    "us": "NO DATA: the NowCast of PM2.5 and PM10 needs valid values in at least 2 of the 3 latest hours "
    "(AirNow completeness rule); ingest the preceding hours (greenbri monitor ingest)",
}
#: HJ 633's rule for an hour with a pollutant missing (HJ 633-2026 clause 5.3.1; HJ 633-2012 has none):
#: the reason given when a published AQI differs and a pollutant of the report has no valid value.
_MISSING_RULE = (
    "no valid hourly {names} this hour: greenbri's AQI uses the pollutants it has; the publisher may "
    "have had another value, or applied the missing-pollutant rule (HJ 633-2026 clause 5.3.1: with a "
    "pollutant missing the AQI is published only above 100)"
)


@dataclass(frozen=True)
class LatestAqi:
    """One record per station (``rows``) and the counts (``summary``)."""

    standard: str
    rows: list[dict[str, Any]]
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard,
            "method": METHODS[self.standard],
            "summary": self.summary,
            "stations": self.rows,
        }


def _connect(store: ReadingsStore) -> duckdb.DuckDBPyConnection:
    connection = store.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _latest_rows(
    connection: duckdb.DuckDBPyConnection, parameters: tuple[str, ...], daily_parameters: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """(station, parameter, value, unit, hour start, averaging) of each station's latest hour: its
    hourly values and the 24-hour means of ``daily_parameters`` ending at the same hour."""
    daily = ", ".join(f"'{name}'" for name in daily_parameters)
    wanted = ", ".join(f"'{name}'" for name in (*parameters, "aqi"))
    pollutants = ", ".join(f"'{name}'" for name in parameters)
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
        SELECT h.station_id, h.parameter, h.value, h.unit, h.time_utc, '1h' AS averaging
        FROM hourly h JOIN latest l USING (station_id, time_utc)
        UNION ALL
        SELECT r.station_id, r.parameter, r.value, r.unit, l.time_utc, '24h' AS averaging
        FROM readings r JOIN latest l
          ON r.station_id = l.station_id AND r.time_utc = l.time_utc - INTERVAL 23 HOUR
        WHERE r.averaging = '24h' AND r.parameter IN ({daily or "NULL"}) AND r.value IS NOT NULL
          AND (r.qa_flags & {DEFAULT_EXCLUDED_FLAGS}) = 0
        ORDER BY 1, 2, 6
        """
    ).fetchall()


def _publications(
    connection: duckdb.DuckDBPyConnection, stations: list[str], hours: list[dt.datetime]
) -> dict[str, dict[str, Any]]:
    """The published primary pollutant text and ingest check of each station's latest hour (if any)."""
    exists = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'publications'"
    ).fetchone()
    if not exists or not exists[0]:
        return {}
    wanted = pa.table(
        {
            "station_id": pa.array(stations, pa.string()),
            "time_utc": pa.array(hours, pa.timestamp("us", tz="UTC")),
        }
    )
    connection.register("_wanted", wanted)
    try:
        cursor = connection.execute(
            "SELECT p.* FROM publications p JOIN _wanted w USING (station_id, time_utc)"
        )
        names = [column[0] for column in cursor.description or ()]
        found = cursor.fetchall()
    except duckdb.Error:  # an empty side table (no columns to join on)
        return {}
    finally:
        connection.unregister("_wanted")
    records = [dict(zip(names, row, strict=True)) for row in found]
    return {str(record["station_id"]): record for record in records}


def _nowcasts(
    connection: duckdb.DuckDBPyConnection, stations: list[str], hours: list[dt.datetime], parameter: str
) -> tuple[NDArray[np.float64], list[str]]:
    """NowCast at each station's latest hour, and the units found."""
    grid = np.full((len(stations), 12), np.nan)
    position = {station: number for number, station in enumerate(stations)}
    rows = connection.execute(
        f"""SELECT station_id, value, unit, time_utc FROM readings
            WHERE averaging = '1h' AND parameter = ? AND value IS NOT NULL
              AND (qa_flags & {DEFAULT_EXCLUDED_FLAGS}) = 0
              AND time_utc > ? AND time_utc <= ?""",
        [parameter, min(hours) - 12 * _HOUR, max(hours)],
    ).fetchall()
    units = sorted({str(unit) for _, _, unit, _ in rows})
    for station, value, _unit, time in rows:
        number = position.get(station)
        if number is None:
            continue
        back = int((hours[number] - time) / _HOUR)
        if 0 <= back < 12:
            grid[number, 11 - back] = value
    return nowcast(grid)[:, -1], units


def _published_primary(text: Any) -> tuple[str, ...] | None:
    if text is None:
        return ()
    names = [name.strip() for name in str(text).split(",") if name.strip()]
    if not all(name in PRIMARY_NAMES for name in names):
        return None
    return tuple(sorted(PRIMARY_NAMES[name] for name in names))


def _comparison(
    standard: str,
    aqi: float,
    primary: tuple[str, ...],
    published: float,
    publication: dict[str, Any],
    missing: list[str],
    not_computed: str | None,
) -> tuple[bool | None, str | None]:
    """(greenbri equals the published AQI and primary pollutants?, why not / why it cannot be said)."""
    if np.isnan(published):
        return None, "the source published no AQI for this hour"
    if standard != "cn":
        return None, "the published AQI is China's (HJ 633); it is not comparable with the US AQI"
    if not_computed is not None:
        return None, not_computed
    expected = _published_primary(publication.get("primary_pollutant"))
    if aqi == published and (expected is None or expected == as_published_keys(primary)):
        return True, None
    if missing:
        names = ", ".join(PARAMETERS[name][0] for name in missing)
        return False, _MISSING_RULE.format(names=names)
    if publication.get("aqi_check") == "not_reproduced":
        return False, (
            "the file's published AQI is not reproduced from its own hourly values under either ozone "
            "reading; the hour's readings are flagged UNCONFIRMED at ingest (see the batch's provenance)"
        )
    return False, (
        f"greenbri {int(aqi) if not np.isnan(aqi) else 'no AQI'} ({', '.join(primary) or 'no primary'}) "
        f"differs from the published {int(published)} ({', '.join(expected or ()) or 'no primary'}): "
        "the stored hourly values are not those the AQI was published from"
    )


def latest_aqi(
    store: ReadingsStore,
    standard: str,
    *,
    fallback_engine: str | None = None,
    utc_offset_hours: int = 8,
    reference_conditions: str = "cn-gb3095-2018",
) -> LatestAqi:
    """One record per station with an AQI pollutant: its latest hour, AQI, category, colour, primary,
    the published AQI and whether greenbri reproduces it (see the module docstring)."""
    keys = REAL_TIME_KEYS[standard]
    connection = _connect(store)
    try:
        rows = _latest_rows(connection, tuple(keys), tuple(REAL_TIME_DAILY_KEYS[standard]))
        stations = sorted({str(row[0]) for row in rows})
        hours: list[dt.datetime] = [dt.datetime.min.replace(tzinfo=dt.UTC)] * len(stations)
        position = {station: number for number, station in enumerate(stations)}
        for station, _parameter, _value, _unit, time, _averaging in rows:
            hours[position[station]] = time
        publications = _publications(connection, stations, hours) if stations else {}
        measured, daily, published, raw = _measured(rows, position, standard, reference_conditions)
        if standard == "us" and stations:
            for parameter in keys:
                values, units = _nowcasts(connection, stations, hours, parameter)
                measured[parameter] = (
                    values if all(unit == "ug/m3" for unit in units) else np.full(len(stations), np.nan)
                )
    finally:
        connection.close()
    if not stations:
        return LatestAqi(standard, [], _summary([]))
    offset = dt.timedelta(hours=utc_offset_hours)
    days = np.array([(hour + offset).date() for hour in hours], dtype="datetime64[D]")
    covered = real_time_aqi(standard, days, measured, daily=daily, fallback_engine=fallback_engine)
    records = [
        _record(standard, covered, station, number, hours[number], published[number], raw[station],
                publications.get(station, {}), [p for p in keys if np.isnan(measured[p][number])])
        for station, number in position.items()
    ]  # fmt: skip
    return LatestAqi(standard, records, _summary(records))


def _measured(
    rows: list[tuple[Any, ...]],
    position: dict[str, int],
    standard: str,
    reference_conditions: str,
) -> tuple[
    dict[str, NDArray[np.float64]],
    dict[str, NDArray[np.float64]],
    NDArray[np.float64],
    dict[str, dict[str, Any]],
]:
    """Hourly values and 24-hour means per parameter in the engine's units, the published AQI, and the
    hourly values as stored."""
    tables = {"1h": REAL_TIME_KEYS[standard], "24h": REAL_TIME_DAILY_KEYS[standard]}
    values: dict[str, dict[str, NDArray[np.float64]]] = {
        averaging: {parameter: np.full(len(position), np.nan) for parameter in keys}
        for averaging, keys in tables.items()
    }
    published = np.full(len(position), np.nan)
    raw: dict[str, dict[str, Any]] = {station: {} for station in position}
    for station, parameter, value, unit, _time, averaging in rows:
        number = position[station]
        if parameter == "aqi":
            published[number] = value
            continue
        if averaging == "1h":
            raw[station][parameter] = {"value": value, "unit": unit}
        target = tables[averaging][parameter][1]
        converted = convert([value], unit, target, pollutant=parameter, conditions=reference_conditions)
        values[averaging][parameter][number] = float(converted[0])
    return values["1h"], values["24h"], published, raw


def _record(
    standard: str,
    covered: CoveredAqi,
    station: str,
    number: int,
    hour: dt.datetime,
    published: float,
    concentrations: dict[str, Any],
    publication: dict[str, Any],
    missing: list[str],
) -> dict[str, Any]:
    result = covered.result
    category = result.category_at(number)
    aqi = float(result.aqi[number])
    primary = result.primary_keys(number)
    reason = covered.reason_at(number)
    matches, why = _comparison(standard, aqi, primary, published, publication, missing, reason)
    text = publication.get("primary_pollutant")  # None: not published (AQI up to 50) or no publication
    return {
        "station_id": station,
        "time_utc": hour.isoformat(),
        "hour_ending_utc": (hour + _HOUR).isoformat(),
        "aqi": None if np.isnan(aqi) else int(aqi),
        "category": {"en": category.name_en, "zh": category.name_zh} if category else None,
        "colour": category.rgb_hex if category else None,
        "primary": list(primary),
        "engine": result.engine_at(number) or None,
        "not_computed": reason,
        "missing": missing,
        "no_data": _NO_DATA[standard] if np.isnan(aqi) and reason is None else None,
        "published_aqi": None if np.isnan(published) else float(published),
        "published_primary": None if text is None else str(text),
        "matches_published": matches,
        "mismatch_reason": why,
        "concentrations": concentrations,
        "sub_indices": {
            key: float(values[number])
            for key, values in sorted(result.sub_indices.items())
            if not np.isnan(values[number])
        },
    }


def _summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    reasons: dict[str, int] = {}
    for record in records:
        if record["not_computed"]:
            reasons[record["not_computed"]] = reasons.get(record["not_computed"], 0) + 1
    published = [record for record in records if record["published_aqi"] is not None]
    return {
        "stations": len(records),
        "computed": sum(record["not_computed"] is None for record in records),
        "no_data": sum(record["no_data"] is not None for record in records),
        "not_computed": sum(record["not_computed"] is not None for record in records),
        "not_computed_reasons": dict(sorted(reasons.items())),
        "published": len(published),
        "matches_published": sum(record["matches_published"] is True for record in published),
        "differs_from_published": sum(record["matches_published"] is False for record in published),
        "not_compared": sum(record["matches_published"] is None for record in published),
    }
