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
per station and hour (key: station_id, time_utc).
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

__all__ = ["CNEMC_COLUMNS", "CNEMC_TIMEZONE", "read_cnemc"]

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
    blocks = []
    for column, (parameter, averaging, hours, unit) in CNEMC_COLUMNS.items():
        values = loaded.numbers[column][rows]
        blocks.append(
            readings_block(
                station_id=station_ids,
                parameter=parameter,
                time_utc=_utc(hour_ends - np.timedelta64(hours, "h")),
                source_timezone=CNEMC_TIMEZONE,
                averaging=averaging,
                values=values,
                unit=unit,
                flags=point_flags(values, parameter, unit),
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
        side_tables={"publications": _publications(loaded, rows, station_ids, hour_ends)},
        unique_keys=rows_unique(station_ids, hour_ends),
    )


def _utc(times: np.ndarray) -> pa.Array:
    return pa.array(times, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))


def _publications(
    loaded: LoadedTable, rows: np.ndarray, station_ids: pa.Array, hour_ends: np.ndarray
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
        "batch_id": pa.nulls(len(rows), pa.string()),
    }
    return SideTable(pa.table(columns), ("station_id", "time_utc"))


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
