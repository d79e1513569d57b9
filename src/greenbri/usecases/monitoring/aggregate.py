"""Monitoring aggregation as a per-partition kernel: daily values and AQI per station, on any engine.

:func:`aggregate_daily` splits the stations into partitions and runs
:func:`aggregate_partition` on each with an :class:`~greenbri.adapters.engines.Engine`
(local, or a Dask cluster): one DuckDB scan of the readings Parquet files for the partition's
stations, the daily series under a standard's rules
(:func:`~greenbri.usecases.monitoring.derived.daily_series`) and the daily AQI
(:func:`~greenbri.usecases.monitoring.daily_indicators.daily_aqi`). Every station's days are
computed from that station's readings alone and station-days without any value are dropped,
so the concatenated table is the same whatever the partitioning or the engine
(``tests/engines/test_monitoring_engines.py`` checks this).

The result is an Arrow table, one row per station and local day: ``station_id``, ``day``, one
column per daily key of the rules (``pm25_24h``, ``o3_8h`` ...), ``aqi``, ``category``
(index, -1 for NO DATA), ``category_en`` / ``category_zh`` (the standard's names, NO DATA / 无数据)
, ``engine`` (null where not computed) and ``not_computed`` (why no engine could compute the day,
e.g. a date before every engine; null where computed); sorted by station and day. A day outside
every engine never aborts the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from greenbri.adapters.engines import Engine, LocalEngine, partition_bounds
from greenbri.adapters.engines.base import Progress
from greenbri.core.errors import InputError
from greenbri.usecases.monitoring.daily_indicators import daily_aqi
from greenbri.usecases.monitoring.derived import daily_series
from greenbri.usecases.monitoring.readings_scan import open_parquet_readings
from greenbri.usecases.reports.messages import MESSAGES

__all__ = [
    "AggregationInputs",
    "aggregate_daily",
    "aggregate_partition",
    "not_computed_summary",
    "stations_in",
]


@dataclass(frozen=True)
class AggregationInputs:
    """What every partition needs (shipped to each worker once).

    ``readings`` is a Parquet glob or the list of files (e.g. the store's published ones,
    :meth:`~greenbri.adapters.monitoring.store.ReadingsStore.files`); every worker must be able to
    read those paths (shared storage on a cluster).
    """

    readings: str | tuple[str, ...]
    rules: str = "cn"
    utc_offset_hours: int = 8
    fallback_engine: str | None = None
    reference_conditions: str = "cn-gb3095-2018"


def stations_in(readings: str | tuple[str, ...]) -> list[str]:
    """The station ids with readings in ``readings`` (a glob or files), sorted."""
    connection, relation = open_parquet_readings(readings)
    try:
        rows = connection.execute(f"SELECT DISTINCT station_id FROM {relation} ORDER BY 1").fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


def aggregate_partition(inputs: AggregationInputs, stations: tuple[str, ...]) -> pa.Table:
    """Daily values and AQI of ``stations`` (see the module docstring)."""
    connection, relation = open_parquet_readings(inputs.readings)
    try:
        series = daily_series(
            connection,
            relation,
            rules=(inputs.rules,),
            utc_offset_hours=inputs.utc_offset_hours,
            stations=stations,
            reference_conditions=inputs.reference_conditions,
        )[inputs.rules]
    finally:
        connection.close()
    covered = daily_aqi(series, inputs.rules, fallback_engine=inputs.fallback_engine)
    result = covered.result
    keys = sorted(series.values)
    values = np.stack([series.values[key] for key in keys])
    present = ~np.all(np.isnan(values), axis=0)
    station_index, day_index = np.nonzero(present)
    columns: dict[str, pa.Array] = {
        "station_id": pa.array(np.asarray(series.stations, dtype=object)[station_index], pa.string()),
        "day": pa.array(series.days[day_index]),
    }
    for key in keys:
        columns[key] = pa.array(series.values[key][station_index, day_index], pa.float64(), from_pandas=True)
    columns["aqi"] = pa.array(result.aqi[station_index, day_index], pa.float64(), from_pandas=True)
    codes = result.category[station_index, day_index]
    columns["category"] = pa.array(codes, pa.int8())
    # names by code; code -1 (NO DATA) takes the last entry
    no_data, not_computed = MESSAGES["class.no_data"], MESSAGES["class.not_computed"]
    english = np.asarray([item.name_en for item in result.categories] + [no_data.en], dtype=object)
    chinese = np.asarray([item.name_zh for item in result.categories] + [no_data.zh], dtype=object)
    skipped = ~covered.computed[station_index, day_index]
    columns["category_en"] = pa.array(np.where(skipped, not_computed.en, english[codes]), pa.string())
    columns["category_zh"] = pa.array(np.where(skipped, not_computed.zh, chinese[codes]), pa.string())
    engines = np.asarray([engine or None for engine in result.engines], dtype=object)
    columns["engine"] = pa.array(engines[result.engine_code[station_index, day_index]], pa.string())
    reasons = np.asarray([*covered.reasons, None], dtype=object)  # code -1 (computed) takes None
    columns["not_computed"] = pa.array(reasons[covered.reason_code[station_index, day_index]], pa.string())
    return pa.table(columns)


def aggregate_daily(
    inputs: AggregationInputs,
    *,
    engine: Engine | None = None,
    stations_per_partition: int = 100,
    stations: list[str] | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Daily values and AQI of every station with readings, computed per partition on ``engine``."""
    if stations_per_partition < 1:
        raise InputError(
            f"{stations_per_partition} stations per partition.", hint="use 1 or more stations per partition."
        )
    names = stations if stations is not None else stations_in(inputs.readings)
    if not names:
        raise InputError(
            "No station has readings to aggregate.",
            hint="ingest readings first (greenbri monitor ingest).",
        )
    partitions = [
        tuple(names[start:stop]) for start, stop in partition_bounds(len(names), stations_per_partition)
    ]
    tables = (engine or LocalEngine()).map_partitions(
        aggregate_partition, inputs, partitions, progress=progress
    )
    fixed = ("station_id", "day", "aqi", "category", "category_en", "category_zh", "engine", "not_computed")
    keys = sorted({name for table in tables for name in table.column_names} - set(fixed))
    combined = pa.concat_tables(tables, promote_options="default")
    ordered = combined.select([*fixed[:2], *keys, *fixed[2:]])
    return ordered.sort_by([("station_id", "ascending"), ("day", "ascending")])


def not_computed_summary(table: pa.Table) -> dict[str, Any]:
    """Station-days with an AQI computed, and those not computed, by reason (from ``not_computed``)."""
    reasons = table.column("not_computed").to_pylist() if table.num_rows else []
    counts: dict[str, int] = {}
    for reason in reasons:
        if reason is not None:
            counts[reason] = counts.get(reason, 0) + 1
    missing = sum(counts.values())
    return {
        "computed": table.num_rows - missing,
        "not_computed": missing,
        "not_computed_reasons": dict(sorted(counts.items())),
    }
