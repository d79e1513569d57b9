"""Readings from a wide table (one column per parameter), without a per-row Python loop.

The readings of a wide table share their station, time and source line with the row they come from,
so they are built from per-row arrays, never materialised seven times: each column of the readings
is a :class:`pyarrow.ChunkedArray` whose chunks are zero-copy slices of those arrays, one chunk per
(UTC year, parameter). The string columns are dictionary-encoded with one dictionary per column
(station ids, parameters, units, and one value each for the time zone and the averaging), which the
Parquet writer stores as it is, without hashing the strings again.

Readings are ordered by UTC year, then parameter, then input line, so the store can split them into
its yearly files by slicing, and each file keeps a parameter's values together (better compression,
row groups that a filter on parameter, station or time can skip).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pyarrow as pa

from greenbri.adapters.monitoring.batch import PARSED_SCHEMA, SOURCE_ROW
from greenbri.adapters.monitoring.times import utc_years
from greenbri.core.monitoring.ingest_checks import point_flags

__all__ = ["StationCodes", "WideColumn", "wide_readings"]

_MICROS = pa.timestamp("us", tz="UTC")
_THREADS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class StationCodes:
    """Stations as codes into ``ids`` (``-1``: no station), one per input row."""

    codes: np.ndarray
    ids: list[str]

    @classmethod
    def from_names(cls, names: pa.Array, translate: dict[str, str] | None, prefix: str) -> StationCodes:
        """Station ids of the (trimmed) ``names``: ``translate`` where it names them, else
        ``prefix`` + name. Only the distinct names are looked at (a dictionary encoding)."""
        encoded = names if pa.types.is_dictionary(names.type) else names.dictionary_encode()
        distinct = [str(name).strip() for name in encoded.dictionary.to_pylist()]
        table = translate or {}
        mapped = [table.get(name, prefix + name) for name in distinct]
        ids = list(dict.fromkeys(mapped))
        position = {station: index for index, station in enumerate(ids)}
        lookup = np.array([position[station] for station in mapped] + [-1], dtype=np.int32)
        indices = encoded.indices.fill_null(len(mapped)).to_numpy(zero_copy_only=False)
        return cls(lookup[indices], ids)

    @classmethod
    def single(cls, station_id: str, count: int) -> StationCodes:
        return cls(np.zeros(count, dtype=np.int32), [station_id])

    def strings(self) -> pa.Array:
        """The ids as a plain string array (null where there is no station)."""
        codes = pa.array(self.codes, mask=self.codes < 0)
        return pa.DictionaryArray.from_arrays(codes, pa.array(self.ids, pa.string())).cast(pa.string())


@dataclass(frozen=True)
class WideColumn:
    """One value column of the table: its parameter, stored unit and factor from the source unit."""

    values: np.ndarray
    parameter: str
    unit: str
    factor: float


def _dictionary(indices: np.ndarray, values: Sequence[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(list(values), pa.string()))


def wide_readings(
    columns: Sequence[WideColumn],
    stations: StationCodes,
    utc: np.ndarray,
    keep: np.ndarray,
    *,
    source_timezone: str,
    averaging: str,
) -> pa.Table:
    """The readings (parsed layout, see :data:`~.batch.PARSED_SCHEMA`) of the kept rows.

    ``utc`` is ``datetime64[us]`` per row (valid where ``keep``), ``stations.codes`` valid where
    ``keep``; each column's ``values`` are float64 per row (NaN: missing) in the source unit.
    """
    every = bool(keep.all())
    rows = np.arange(len(keep)) if every else np.flatnonzero(keep)
    micros = utc.view(np.int64) if every else utc.view(np.int64)[rows]
    years = utc_years(micros)
    if len(years) > 1 and bool(np.any(years[1:] < years[:-1])):  # group rows by year, stable
        order = np.argsort(years, kind="stable")
        rows, micros, years, every = rows[order], micros[order], years[order], False
    edges = [0, *(np.flatnonzero(np.diff(years)) + 1).tolist(), len(rows)]
    count = len(rows)
    codes = pa.array(stations.codes if every else stations.codes[rows])
    times = pa.array(micros, pa.int64()).view(_MICROS) if count else pa.array([], _MICROS)
    lines = pa.array(rows.astype(np.int64) + 2)
    zeros = np.zeros(count, dtype=np.int8)
    constant = {
        "source_timezone": _dictionary(zeros, [source_timezone]),
        "averaging": _dictionary(zeros, [averaging]),
        "batch_id": pa.nulls(count, pa.string()),
    }
    station_dictionary = pa.array(stations.ids, pa.string())
    parameter_names = [column.parameter for column in columns]
    units = list(dict.fromkeys(column.unit for column in columns))

    def block(index: int, column: WideColumn) -> dict[str, pa.Array]:
        values = column.values if every else column.values[rows]
        if column.factor != 1.0:
            values = values * column.factor
        missing = np.isnan(values)
        return {
            "station_id": pa.DictionaryArray.from_arrays(codes, station_dictionary),
            "parameter": _dictionary(np.full(count, index, np.int8), parameter_names),
            "time_utc": times,
            **constant,
            "value": pa.array(values, pa.float64(), mask=missing if missing.any() else None),
            "unit": _dictionary(np.full(count, units.index(column.unit), np.int8), units),
            "qa_flags": pa.array(point_flags(values, column.parameter, column.unit), pa.int32()),
            SOURCE_ROW: lines,
        }

    # The parameters are built side by side: numpy and Arrow release the GIL on whole arrays.
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        per_parameter = list(pool.map(block, range(len(columns)), columns))
    names = PARSED_SCHEMA.names
    chunks: dict[str, list[pa.Array]] = {name: [] for name in names}
    for start, stop in pairwise(edges):
        for arrays in per_parameter:
            for name in names:
                chunks[name].append(arrays[name].slice(start, stop - start))
    schema = pa.schema(
        [
            pa.field(name, per_parameter[0][name].type if per_parameter else PARSED_SCHEMA.field(name).type)
            for name in names
        ]
    )
    return pa.table(
        [pa.chunked_array(chunks[name], schema.field(name).type) for name in names], schema=schema
    )
