"""China's national air quality monitoring network: one hourly publication file (CNEMC real-time release).

Fields: ``timepoint, stationcode, longitude, latitude, area, positionname, primarypollutant, aqi,
pm10, pm10_24h, pm2_5, pm2_5_24h, o3, o3_24h, o3_8h, o3_8h_24h, no2, no2_24h, so2, so2_24h, co,
co_24h``. ``timepoint`` is China Standard Time (UTC+8) and marks the **end** of the hour (the value
at 08:00 is the mean over 07:00-08:00). Units: CO in mg/m3, the others in ug/m3.

Stored readings (time_utc = start of the period, in UTC):

* hourly values (``pm10``, ``pm2_5``, ``o3``, ``no2``, ``so2``, ``co``): averaging ``1h``, start =
  timepoint - 1 h;
* 24-hour moving means (``*_24h`` of PM10, PM2.5, NO2, SO2, CO): averaging ``24h``, start =
  timepoint - 24 h;
* the 8-hour moving mean of O3 (``o3_8h``): averaging ``8h``, start = timepoint - 8 h;
* the published AQI (``aqi``): parameter ``aqi``, averaging ``1h``, unit ``1``.

``o3_24h`` and ``o3_8h_24h`` are daily-maximum statistics whose exact window the release does not
document (their values are not consistent with a 24-hour moving mean), so they are not stored as
readings; they are kept, as published, in the ``publications`` side table together with the
published AQI and the primary pollutant (``primarypollutant``, Chinese text as published), one row
per station and hour (key: station_id, time_utc), and ``aqi_check``: whether greenbri reproduced
the row's published AQI (``reproduced``, ``not_reproduced``, ``not_checked``; null where none is
published).

**Which column holds the hour's ozone.** Archived copies of the release do not all label ozone the
same way (in ``2022-01-15T08.csv`` the hour's ozone is in ``o3_24h``). Each file is checked on its
own (:func:`greenbri.core.monitoring.published_aqi.choose_hourly_ozone`): the real-time AQI and
primary pollutants are recomputed with ``o3`` and with ``o3_24h`` as the hourly ozone, and the
column that reproduces the published ones is stored as the ``o3`` ``1h`` reading. The decision is
the batch's provenance (``provenance.hourly_ozone`` in the ledger and the ingest report). Rows whose
published AQI is reproduced under neither reading keep their values, flagged ``UNCONFIRMED`` and
reported per row; in a file no published AQI can check (a date no verified engine covers), the
``o3`` column is stored as labelled and its hourly ozone readings are flagged ``UNCONFIRMED``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from greenbri.adapters.monitoring.batch import (
    ParsedInput,
    RowMessage,
    SideTable,
    empty_readings,
    readings_block,
    rows_unique,
    stations_table,
)
from greenbri.adapters.monitoring.table_files import LoadedTable, load_table
from greenbri.adapters.monitoring.tabular import DEFAULT_NULL_VALUES
from greenbri.adapters.monitoring.times import parse_timezone, strings_to_utc
from greenbri.core.monitoring.ingest_checks import point_flags
from greenbri.core.monitoring.published_aqi import OzoneDecision, choose_hourly_ozone
from greenbri.core.monitoring.readings import QaFlag

__all__ = ["CNEMC_COLUMNS", "CNEMC_TIMEZONE", "PRIMARY_NAMES", "read_cnemc"]

CNEMC_TIMEZONE = "+08:00"
SOURCE = "cnemc"

#: column -> (parameter, averaging, hours from timepoint back to the start of the period, unit)
CNEMC_COLUMNS: dict[str, tuple[str, str, int, str]] = {
    "aqi": ("aqi", "1h", 1, "1"),
    "pm10": ("pm10", "1h", 1, "ug/m3"),
    "pm10_24h": ("pm10", "24h", 24, "ug/m3"),
    "pm2_5": ("pm25", "1h", 1, "ug/m3"),
    "pm2_5_24h": ("pm25", "24h", 24, "ug/m3"),
    "o3": ("o3", "1h", 1, "ug/m3"),
    "o3_8h": ("o3", "8h", 8, "ug/m3"),
    "no2": ("no2", "1h", 1, "ug/m3"),
    "no2_24h": ("no2", "24h", 24, "ug/m3"),
    "so2": ("so2", "1h", 1, "ug/m3"),
    "so2_24h": ("so2", "24h", 24, "ug/m3"),
    "co": ("co", "1h", 1, "mg/m3"),
    "co_24h": ("co", "24h", 24, "mg/m3"),
}
_PUBLISHED_ONLY = ("o3_24h", "o3_8h_24h")
#: The columns that may hold the hour's ozone, the labelled one first.
_OZONE_CANDIDATES = ("o3", "o3_24h")
#: The release's primary-pollutant names (``primarypollutant``, comma-separated) -> AQI measurement
#: keys of the real-time report (HJ 633-2012 Table 1 pollutant names as the release prints them).
PRIMARY_NAMES: dict[str, str] = {
    "细颗粒物(PM2.5)": "pm25_24h",
    "颗粒物(PM10)": "pm10_24h",
    "臭氧1小时": "o3_1h",
    "臭氧8小时": "o3_8h",
    "二氧化氮": "no2_1h",
    "二氧化硫": "so2_1h",
    "一氧化碳": "co_1h",
}
#: The hourly parameters of the real-time AQI besides ozone: parameter -> column.
_HOURLY = {"pm25": "pm2_5", "pm10": "pm10", "so2": "so2", "no2": "no2", "co": "co"}
_TEXT = ("timepoint", "stationcode", "area", "positionname", "primarypollutant")
_NUMERIC = ("longitude", "latitude", *CNEMC_COLUMNS, *_PUBLISHED_ONLY)


def read_cnemc(
    path: Path,
    *,
    progress: Callable[[str], None] | None = None,
    encoding: str = "utf-8",
    skip_bad_rows: bool = False,
) -> ParsedInput:
    """Parse one hourly CNEMC file (see the module docstring); ``skip_bad_rows``: rows that are not
    whole are rejected (and reported), not the file."""
    source = Path(path).name
    if progress:
        progress(f"reading {source}")
    loaded = load_table(
        Path(path),
        numeric=_NUMERIC,
        text=_TEXT,
        null_values=(*DEFAULT_NULL_VALUES, "—"),
        source=source,
        encoding=encoding,
        skip_bad_rows=skip_bad_rows,
    )
    times = strings_to_utc(
        loaded.texts["timepoint"], parse_timezone(CNEMC_TIMEZONE), source=source, column="timepoint"
    )
    codes = pc.utf8_trim_whitespace(loaded.texts["stationcode"])
    messages = list(loaded.messages)
    rejected = dict(times.problems)
    for position in np.flatnonzero(codes.is_null().to_numpy(zero_copy_only=False)).tolist():
        rejected.setdefault(position, "no stationcode")
    messages += [RowMessage(source, row + 2, reason, "rejected") for row, reason in sorted(rejected.items())]
    rows = np.setdiff1d(np.arange(loaded.row_count), np.array(sorted(rejected), dtype=np.int64))
    station_ids = pc.binary_join_element_wise("cnemc-", codes, "").take(pa.array(rows))
    hour_ends = times.utc[rows]
    primary = _published_primary(loaded, rows)
    decision = _decide_ozone(loaded, rows, hour_ends, primary)
    messages += _decision_messages(source, decision, loaded, rows, primary)
    blocks = []
    for column, (parameter, averaging, hours, unit) in CNEMC_COLUMNS.items():
        values = loaded.numbers[decision.column if column == "o3" else column][rows]
        flags = point_flags(values, parameter, unit)
        if averaging == "1h":
            flags[decision.mismatched] |= QaFlag.UNCONFIRMED
            if column == "o3":
                flags[decision.unchecked] |= QaFlag.UNCONFIRMED
        blocks.append(
            readings_block(
                station_id=station_ids,
                parameter=parameter,
                time_utc=_utc(hour_ends - np.timedelta64(hours, "h")),
                source_timezone=CNEMC_TIMEZONE,
                averaging=averaging,
                values=values,
                unit=unit,
                flags=flags,
                source_row=rows + 2,
            )
        )
    readings = pa.concat_tables(blocks) if blocks else empty_readings()
    return ParsedInput(
        source=SOURCE,
        input_name=source,
        readings=readings,
        stations=_stations(loaded, rows, station_ids),
        rows_read=loaded.row_count,
        messages=messages,
        rows_rejected=len(rejected),
        side_tables={"publications": _publications(loaded, rows, station_ids, hour_ends, decision)},
        unique_keys=rows_unique(station_ids, hour_ends),
        provenance={"hourly_ozone": decision.to_dict()},
    )


def _published_primary(loaded: LoadedTable, rows: np.ndarray) -> list[tuple[str, ...] | None]:
    """Published primary pollutants as measurement keys; ``()`` for none, ``None`` for unknown text."""
    texts = loaded.texts["primarypollutant"].take(pa.array(rows)).to_pylist()
    out: list[tuple[str, ...] | None] = []
    for text in texts:
        names = [name.strip() for name in (text or "").split(",") if name.strip()]
        known = all(name in PRIMARY_NAMES for name in names)
        out.append(tuple(sorted(PRIMARY_NAMES[name] for name in names)) if known else None)
    return out


def _usable(values: np.ndarray, parameter: str, unit: str) -> np.ndarray:
    """The values the AQI may use: NaN where ingest flags them (missing, negative, out of range)."""
    return np.where(point_flags(values, parameter, unit) == 0, values, np.nan)


def _decide_ozone(
    loaded: LoadedTable, rows: np.ndarray, hour_ends: np.ndarray, primary: list[tuple[str, ...] | None]
) -> OzoneDecision:
    """Which column holds the hour's ozone (see the module docstring); engine by the hour's local day."""
    local_start = hour_ends - np.timedelta64(1, "h") + np.timedelta64(8, "h")
    days = local_start.astype("datetime64[D]")
    hourly = {
        parameter: _usable(loaded.numbers[column][rows], parameter, CNEMC_COLUMNS[column][3])
        for parameter, column in _HOURLY.items()
    }
    candidates = {
        column: _usable(loaded.numbers[column][rows], "o3", "ug/m3") for column in _OZONE_CANDIDATES
    }
    daily = {"so2": _usable(loaded.numbers["so2_24h"][rows], "so2", "ug/m3")}
    return choose_hourly_ozone(days, hourly, candidates, loaded.numbers["aqi"][rows], primary, daily=daily)


def _decision_messages(
    source: str,
    decision: OzoneDecision,
    loaded: LoadedTable,
    rows: np.ndarray,
    primary: list[tuple[str, ...] | None],
) -> list[RowMessage]:
    """The file-level ozone decision, and one message per row whose published AQI is not reproduced."""
    counts = ", ".join(f"{count:,} with {column!r}" for column, count in decision.reproduced_rows.items())
    if decision.status == "not_checked":
        summary = (
            f"the hour's ozone could not be checked against the published AQI ({decision.reason}); "
            f"column {decision.column!r} stored as hourly ozone, flagged UNCONFIRMED"
        )
    else:
        summary = (
            f"hourly ozone taken from column {decision.column!r}"
            + (
                " (labelled as the 24-hour value: the file's ozone columns are swapped)"
                if decision.swapped
                else ""
            )
            + f": published AQI reproduced in {counts} of {decision.published_rows:,} rows that publish one"
        )
    messages = [RowMessage(source, None, summary, "warning", column=decision.column)]
    texts = loaded.texts["primarypollutant"].take(pa.array(rows)).to_pylist()
    unknown = sorted(
        {name.strip() for text in texts for name in (text or "").split(",") if name.strip()}
        - set(PRIMARY_NAMES)
    )
    if unknown:
        messages.append(
            RowMessage(
                source,
                None,
                f"primary pollutant name(s) {', '.join(unknown)} not known to greenbri: in "
                f"{sum(item is None for item in primary):,} rows only the AQI is compared, not the primary pollutant",
                "warning",
                column="primarypollutant",
            )
        )
    result = decision.computed.result
    published = loaded.numbers["aqi"][rows]
    for position in np.flatnonzero(decision.mismatched).tolist():
        ours = result.aqi[position]
        shown = (
            "no AQI"
            if np.isnan(ours)
            else f"{int(ours)} (primary {', '.join(result.primary_keys(position)) or 'none'})"
        )
        expected = primary[position]
        messages.append(
            RowMessage(
                source,
                int(rows[position]) + 2,
                f"published AQI {int(published[position])} (primary {', '.join(expected or ()) or 'none'}) is "
                f"not reproduced from the row's hourly values with ozone from {decision.column!r} "
                f"(greenbri: {shown}); the hour's readings are stored flagged UNCONFIRMED",
                "flagged",
                column="aqi",
            )
        )
    return messages


def _utc(times: np.ndarray) -> pa.Array:
    return pa.array(times, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))


def _publications(
    loaded: LoadedTable,
    rows: np.ndarray,
    station_ids: pa.Array,
    hour_ends: np.ndarray,
    decision: OzoneDecision,
) -> SideTable:
    take = pa.array(rows)
    columns = {
        "station_id": station_ids,
        "time_utc": _utc(hour_ends - np.timedelta64(1, "h")),
        "source_timezone": pa.repeat(pa.scalar(CNEMC_TIMEZONE), len(rows)),
        "aqi": pa.array(loaded.numbers["aqi"][rows], mask=np.isnan(loaded.numbers["aqi"][rows])),
        "primary_pollutant": loaded.texts["primarypollutant"].take(take),
        **{
            name: pa.array(loaded.numbers[name][rows], mask=np.isnan(loaded.numbers[name][rows]))
            for name in _PUBLISHED_ONLY
        },
        "aqi_check": _checks(loaded.numbers["aqi"][rows], decision),
        "batch_id": pa.nulls(len(rows), pa.string()),
    }
    return SideTable(pa.table(columns), ("station_id", "time_utc"))


def _checks(published: np.ndarray, decision: OzoneDecision) -> pa.Array:
    status = np.full(published.shape, "reproduced", dtype=object)
    status[decision.mismatched] = "not_reproduced"
    status[decision.unchecked] = "not_checked"
    status[np.isnan(published)] = None
    return pa.array(status, pa.string())


def _stations(loaded: LoadedTable, rows: np.ndarray, station_ids: pa.Array) -> pa.Table:
    take = pa.array(rows)
    names = loaded.texts["positionname"].take(take).to_pylist()
    areas = loaded.texts["area"].take(take).to_pylist()
    longitudes = loaded.numbers["longitude"][rows].tolist()
    latitudes = loaded.numbers["latitude"][rows].tolist()
    parameters = ",".join(sorted({parameter for parameter, *_ in CNEMC_COLUMNS.values()}))
    records: dict[str, dict[str, object]] = {}
    for station_id, name, area, longitude, latitude in zip(
        station_ids.to_pylist(), names, areas, longitudes, latitudes, strict=True
    ):
        records.setdefault(
            station_id,
            {
                "station_id": station_id,
                "name_zh": name,
                "city": area,
                "longitude": None if np.isnan(longitude) else longitude,
                "latitude": None if np.isnan(latitude) else latitude,
                "country": "CHN",
                "operator": "China National Environmental Monitoring Centre (CNEMC) network",
                "parameters": parameters,
                "source": SOURCE,
            },
        )
    return stations_table(list(records.values()))
