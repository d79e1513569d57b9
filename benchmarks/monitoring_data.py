"""Seeded synthetic hourly readings in the contract layout, written as Parquet (for benchmarks/monitoring.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from greenbri.core.monitoring.readings import QaFlag

#: parameter -> (unit, median, geometric spread) of a log-normal draw; CO in mg/m3 like the store.
POLLUTANTS = {
    "pm25": ("ug/m3", 45.0, 0.9),
    "pm10": ("ug/m3", 80.0, 0.8),
    "so2": ("ug/m3", 8.0, 0.9),
    "no2": ("ug/m3", 35.0, 0.6),
    "o3": ("ug/m3", 55.0, 0.8),
    "co": ("mg/m3", 0.8, 0.6),
}
START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
MISSING_SHARE = 0.02
STATIONS_PER_FILE = 50


def _schema() -> pa.Schema:
    return pa.schema(
        [
            ("station_id", pa.string()),
            ("parameter", pa.string()),
            ("time_utc", pa.timestamp("us", tz="UTC")),
            ("source_timezone", pa.string()),
            ("averaging", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("qa_flags", pa.int32()),
            ("batch_id", pa.string()),
        ]
    )


def _block(stations: range, hours: int, rng: np.random.Generator) -> pa.Table:
    start_us = int(START.timestamp() * 1_000_000)
    times = start_us + np.arange(hours, dtype=np.int64) * 3_600_000_000
    per_series = hours
    names, parameters, values, units = [], [], [], []
    for station in stations:
        daily_cycle = 1.0 + 0.3 * np.sin(np.arange(hours) * 2 * np.pi / 24 + rng.uniform(0, 6.3))
        for parameter, (unit, median, spread) in POLLUTANTS.items():
            series = median * daily_cycle * np.exp(rng.normal(0.0, spread, per_series))
            values.append(np.round(series, 1 if unit == "ug/m3" else 3))
            names.append(f"S{station:05d}")
            parameters.append(parameter)
            units.append(unit)
    value = np.concatenate(values)
    missing = rng.random(value.size) < MISSING_SHARE
    value[missing] = np.nan
    count = len(names)
    return pa.table(
        {
            "station_id": pa.DictionaryArray.from_arrays(
                np.repeat(np.arange(count, dtype=np.int32), per_series), pa.array(names)
            ).cast(pa.string()),
            "parameter": pa.array(np.repeat(np.array(parameters, dtype=object), per_series), pa.string()),
            "time_utc": pa.array(np.tile(times, count), pa.timestamp("us", tz="UTC")),
            "source_timezone": pa.array(np.full(value.size, "+08:00", dtype=object), pa.string()),
            "averaging": pa.array(np.full(value.size, "1h", dtype=object), pa.string()),
            "value": pa.array(value, mask=missing),
            "unit": pa.array(np.repeat(np.array(units, dtype=object), per_series), pa.string()),
            "qa_flags": pa.array(np.where(missing, int(QaFlag.MISSING), 0).astype(np.int32)),
            "batch_id": pa.array(np.full(value.size, "benchmark", dtype=object), pa.string()),
        },
        schema=_schema(),
    )


def write_readings(directory: Path, *, stations: int, hours: int, seed: int = 20240601) -> int:
    """Write ``stations`` x 6 pollutants x ``hours`` readings under ``directory``; return the row count."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    rows = 0
    for number, first in enumerate(range(0, stations, STATIONS_PER_FILE)):
        block = _block(range(first, min(first + STATIONS_PER_FILE, stations)), hours, rng)
        pq.write_table(
            block, directory / f"part-{number:05d}.parquet", compression="zstd", row_group_size=1 << 20
        )
        rows += block.num_rows
    return rows
