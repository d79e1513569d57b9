"""One vectorised scan of hourly readings into (parameter, station, day) sums, counts and maxima.

The readings are any DuckDB relation with the contract columns of
:mod:`greenbri.core.monitoring.readings` (the store's ``readings`` view, or Parquet files
through :func:`open_parquet_readings`). DuckDB groups the hourly values by station,
parameter and **local** day in one parallel scan; numpy then scatters the small result on
dense ``(parameter, station, day)`` grids. Hourly grids (for running 8-hour means) are
fetched per parameter with a filtered scan.

Which values count: hourly rows (``averaging = '1h'``) with a value and none of the
``excluded_flags`` bits (default: the ingest flags ``MISSING``, ``NEGATIVE``,
``OUT_OF_RANGE``, ``SOURCE_INVALID``). Nothing is deleted: excluded values simply do not
count towards a day's valid hours.

Daily sums are added as ``DECIMAL(18, 6)`` (each value rounded to 1e-6 of its unit, far below any
instrument's resolution): decimal addition is exact, so a day's sum does not depend on the order
DuckDB's threads add in, and the same readings give bit-identical means in any process, on any
engine (a double ``sum`` differs in its last bits from run to run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from greenbri.adapters.monitoring.reconcile import parquet_source
from greenbri.core.errors import InputError
from greenbri.core.monitoring.readings import READING_COLUMNS, QaFlag

__all__ = [
    "DEFAULT_EXCLUDED_FLAGS",
    "DailyGrids",
    "HourlyGrid",
    "hourly_grid",
    "open_parquet_readings",
    "scan_daily",
]

#: Flags whose values do not count towards averages (greenbri default, configurable).
DEFAULT_EXCLUDED_FLAGS = int(QaFlag.MISSING | QaFlag.NEGATIVE | QaFlag.OUT_OF_RANGE | QaFlag.SOURCE_INVALID)
_MICROSECONDS_PER_HOUR = 3_600_000_000
_MICROSECONDS_PER_DAY = 24 * _MICROSECONDS_PER_HOUR


def open_parquet_readings(
    pattern: str | Sequence[str], connection: duckdb.DuckDBPyConnection | None = None
) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection with a view ``readings`` over Parquet files (a glob, or a list of files),
    checked for the contract columns."""
    if not isinstance(pattern, str) and not pattern:
        raise InputError(
            "There are no readings to read (an empty list of files).",
            hint="ingest readings first (greenbri monitor ingest).",
        )
    connection = connection or duckdb.connect()
    if isinstance(pattern, str):
        quoted = pattern.replace("'", "''")
        source = f"read_parquet('{quoted}', hive_partitioning = true)"
        hint = "pass a Parquet glob such as <data_dir>/monitoring/readings/**/*.parquet."
    else:  # the store's files, read as the store reads them
        source = parquet_source([Path(path) for path in pattern])
        hint = (
            "the store's readings files could not be read: check the data directory's disk and permissions; "
            "on a Dask cluster every worker must mount GREENBRI_DATA_DIR at the same path."
        )
    try:
        connection.execute(f"CREATE OR REPLACE VIEW readings AS SELECT * FROM {source}")
        columns = {row[0] for row in connection.execute("DESCRIBE readings").fetchall()}
    except duckdb.Error as error:
        raise InputError(f"Cannot read readings from {_described(pattern)}: {error}", hint=hint) from None
    missing = sorted(set(READING_COLUMNS) - columns)
    if missing:
        raise InputError(
            f"The readings in {_described(pattern)} lack the columns {', '.join(missing)}.",
            hint="write readings with the contract columns of greenbri.core.monitoring.readings.",
        )
    return connection, "readings"


def _described(pattern: str | Sequence[str]) -> str:
    if isinstance(pattern, str):
        return repr(pattern)
    return f"{len(pattern)} files ({pattern[0]!r} ...)"


@dataclass(frozen=True)
class DailyGrids:
    """Daily aggregates of valid hourly values on dense grids, shape ``(parameter, station, day)``.

    ``sums``/``maxima`` are NaN and ``counts`` 0 where a day has no valid hour.
    ``days`` are local calendar days (``datetime64[D]``) at ``utc_offset_hours``.
    """

    parameters: tuple[str, ...]
    units: tuple[str, ...]
    stations: tuple[str, ...]
    days: NDArray[np.datetime64]
    counts: NDArray[np.int16]
    sums: NDArray[np.float64]
    maxima: NDArray[np.float64]
    utc_offset_hours: int

    def index(self, parameter: str) -> int | None:
        return self.parameters.index(parameter) if parameter in self.parameters else None


def _filters(
    relation: str, excluded_flags: int, parameters: tuple[str, ...] | None, stations: tuple[str, ...] | None
) -> tuple[str, list[object]]:
    # Non-finite values and values of 1e12 or more (no concentration is) are never valid hours; the
    # bound also keeps the exact DECIMAL(18, 6) daily sums from overflowing.
    clauses = [
        "averaging = '1h'",
        "value IS NOT NULL",
        "isfinite(value)",
        "abs(value) < 1e12",
        f"(qa_flags & {int(excluded_flags)}) = 0",
    ]
    arguments: list[object] = []
    if parameters:
        clauses.append(f"parameter IN ({', '.join('?' for _ in parameters)})")
        arguments.extend(parameters)
    if stations:
        clauses.append(f"station_id IN ({', '.join('?' for _ in stations)})")
        arguments.extend(stations)
    return f"FROM {relation} WHERE {' AND '.join(clauses)}", arguments


def scan_daily(
    connection: duckdb.DuckDBPyConnection,
    relation: str = "readings",
    *,
    utc_offset_hours: int = 8,
    excluded_flags: int = DEFAULT_EXCLUDED_FLAGS,
    parameters: tuple[str, ...] | None = None,
    stations: tuple[str, ...] | None = None,
) -> DailyGrids:
    """Sum, count and maximum of each station's valid hourly values per parameter and local day."""
    offset = int(utc_offset_hours) * _MICROSECONDS_PER_HOUR
    source, arguments = _filters(relation, excluded_flags, parameters, stations)
    query = f"""
        SELECT station_id, parameter, unit,
               CAST((epoch_us(time_utc) + {offset}) // {_MICROSECONDS_PER_DAY} AS INTEGER) AS day,
               CAST(count(*) AS SMALLINT) AS n,
               CAST(sum(CAST(value AS DECIMAL(18, 6))) AS DOUBLE) AS total, max(value) AS highest
        {source}
        GROUP BY ALL
    """
    try:
        table = connection.execute(query, arguments).to_arrow_table()
    except duckdb.Error as error:
        raise InputError(
            f"Cannot aggregate the readings: {error}",
            hint="check the readings files (greenbri monitor ingest writes valid ones).",
        ) from None
    if table.num_rows == 0:
        raise InputError(
            "No valid hourly readings were found.",
            hint="check the readings glob, the station and parameter filters and the quality flags.",
        )
    return _to_grids(table, utc_offset_hours)


def _codes(column: pa.ChunkedArray) -> tuple[tuple[str, ...], NDArray[np.int64]]:
    """Sorted distinct strings and each row's position among them."""
    names = tuple(sorted(pc.unique(column).to_pylist()))
    positions = pc.index_in(column, value_set=pa.array(names, type=column.type))
    return names, np.asarray(positions.to_numpy(zero_copy_only=False), dtype=np.int64)


def _to_grids(table: pa.Table, utc_offset_hours: int) -> DailyGrids:
    parameters, parameter_code = _codes(table["parameter"])
    stations, station_code = _codes(table["station_id"])
    units = _units(table, parameters, parameter_code)
    day = np.asarray(table["day"].to_numpy(), dtype=np.int64)
    first = int(day.min())
    shape = (len(parameters), len(stations), int(day.max()) - first + 1)
    counts = np.zeros(shape, dtype=np.int16)
    sums = np.full(shape, np.nan)
    maxima = np.full(shape, np.nan)
    where = (parameter_code, station_code, day - first)
    counts[where] = table["n"].to_numpy()
    sums[where] = table["total"].to_numpy()
    maxima[where] = table["highest"].to_numpy()
    days = np.datetime64(first, "D") + np.arange(shape[2])
    return DailyGrids(parameters, units, stations, days, counts, sums, maxima, utc_offset_hours)


def _units(
    table: pa.Table, parameters: tuple[str, ...], parameter_code: NDArray[np.int64]
) -> tuple[str, ...]:
    pairs = pc.unique(pc.binary_join_element_wise(table["parameter"], table["unit"], "\x1f")).to_pylist()
    found: dict[str, set[str]] = {}
    for pair in pairs:
        name, unit = pair.split("\x1f")
        found.setdefault(name, set()).add(unit)
    mixed = {name: sorted(units) for name, units in found.items() if len(units) > 1}
    if mixed:
        raise InputError(
            f"Readings of one parameter are in several units: {mixed}.",
            hint="convert them to one unit at ingest (the store keeps one unit per parameter).",
        )
    del parameter_code
    return tuple(found[name].pop() for name in parameters)


@dataclass(frozen=True)
class HourlyGrid:
    """Hourly values of one parameter, shape ``(station, hour)``, NaN where missing or excluded.

    ``hours`` are local hour-beginning stamps covering whole days (``datetime64[h]``).
    """

    parameter: str
    stations: tuple[str, ...]
    hours: NDArray[np.datetime64]
    values: NDArray[np.float64]


def hourly_grid(
    connection: duckdb.DuckDBPyConnection,
    relation: str,
    parameter: str,
    grids: DailyGrids,
    *,
    excluded_flags: int = DEFAULT_EXCLUDED_FLAGS,
) -> HourlyGrid:
    """The valid hourly values of ``parameter`` on the stations and days of ``grids``."""
    offset = int(grids.utc_offset_hours) * _MICROSECONDS_PER_HOUR
    source, arguments = _filters(relation, excluded_flags, (parameter,), None)
    table = connection.execute(
        f"SELECT station_id, (epoch_us(time_utc) + {offset}) // {_MICROSECONDS_PER_HOUR} AS hour, value {source}",
        arguments,
    ).to_arrow_table()
    first_hour = grids.days[0].astype("datetime64[h]")
    hours = first_hour + np.arange(grids.days.size * 24)
    values = np.full((len(grids.stations), hours.size), np.nan)
    column = table["station_id"]
    station = pc.index_in(column, value_set=pa.array(grids.stations, type=column.type))
    known = np.asarray(pc.is_valid(station).to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.asarray(station.to_numpy(zero_copy_only=False)[known], dtype=np.int64)
    position = np.asarray(table["hour"].to_numpy(), dtype=np.int64)[known] - first_hour.astype(np.int64)
    inside = (position >= 0) & (position < hours.size)
    values[rows[inside], position[inside]] = table["value"].to_numpy()[known][inside]
    return HourlyGrid(parameter, grids.stations, hours, values)
