"""What a reader hands to the store: readings and stations as Arrow tables, plus per-row messages.

Readers (:mod:`.tabular`, :mod:`.cnemc`, :mod:`.openaq`) produce a :class:`ParsedInput`; the
:class:`~greenbri.adapters.monitoring.store.ReadingsStore` stores it as one batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from greenbri.core.monitoring.readings import READING_COLUMNS, STATION_COLUMNS

__all__ = [
    "PARSED_SCHEMA",
    "READING_SCHEMA",
    "SOURCE_ROW",
    "STATION_SCHEMA",
    "ParsedInput",
    "RowMessage",
    "SideTable",
    "arrow_schema",
    "empty_readings",
    "keys_unique",
    "plain_type",
    "readings_block",
    "rows_unique",
    "same_layout",
    "stations_table",
]

#: Extra column readers add to the readings: the line of the input a reading came from
#: (header = line 1), or 0 when the input has no lines (an API). Dropped before storing.
SOURCE_ROW = "source_row"


def _arrow_type(name: str) -> pa.DataType:
    if name.startswith("timestamp"):
        return pa.timestamp("us", tz="UTC")
    return pa.type_for_alias(name)


def arrow_schema(columns: Mapping[str, str]) -> pa.Schema:
    """An Arrow schema from a contract column table (:data:`READING_COLUMNS`, :data:`STATION_COLUMNS`)."""
    return pa.schema([pa.field(name, _arrow_type(kind)) for name, kind in columns.items()])


READING_SCHEMA = arrow_schema(READING_COLUMNS)
STATION_SCHEMA = arrow_schema(STATION_COLUMNS)
#: The readings a reader hands over: the contract columns and :data:`SOURCE_ROW`. A reader may give
#: a string column dictionary-encoded (same values, see :func:`same_layout`).
PARSED_SCHEMA = pa.schema([*READING_SCHEMA, pa.field(SOURCE_ROW, pa.int64())])
_PARSED_SCHEMA = PARSED_SCHEMA


@dataclass(frozen=True)
class RowMessage:
    """A problem found in one row (or column) of an input, and what was done about it.

    ``outcome`` is ``"flagged"`` (stored with a QA flag), ``"rejected"`` (not stored),
    ``"warning"`` (stored; something to look at, such as a station that changed its name) or
    ``"superseded"`` (stored readings that were missing are replaced by this input's values).
    """

    source: str
    row: int | None
    message: str
    outcome: str
    column: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.row:
            where.append(f"line {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message} ({self.outcome})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class SideTable:
    """Rows stored beside the readings (e.g. CNEMC publications), deduplicated on ``key``."""

    table: pa.Table
    key: tuple[str, ...]


@dataclass
class ParsedInput:
    """A parsed input: readings (contract columns + :data:`SOURCE_ROW`), stations, messages."""

    source: str
    input_name: str
    readings: pa.Table
    stations: pa.Table
    rows_read: int
    messages: list[RowMessage] = field(default_factory=list)
    rows_rejected: int = 0
    side_tables: dict[str, SideTable] = field(default_factory=dict)
    #: True when the reader has checked that no two readings share a key (the store then skips
    #: its own check). Readers of wide tables know it from the rows: one (station, time) per row.
    unique_keys: bool = False
    #: What the reader decided about the input (e.g. which CNEMC column holds the hour's ozone),
    #: recorded in the batch's ledger entry and shown in the ingest report.
    provenance: dict[str, Any] = field(default_factory=dict)


def rows_unique(station_ids: pa.Array, times: np.ndarray) -> bool:
    """True when no two rows have the same station and time (one reading per parameter per row)."""
    if len(times) < 2:
        return True
    codes = station_ids.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    return keys_unique(codes, times)


def keys_unique(codes: np.ndarray, times: np.ndarray) -> bool:
    """True when no two (station code, ``datetime64``) pairs are equal. Vectorised: one int64 key per
    row when it fits (a linear check when the keys increase, as in a file sorted by station and time;
    a sort otherwise), pandas' hashing when it does not."""
    if len(times) < 2:
        return True
    micros = times.view(np.int64)
    low, high = int(micros.min()), int(micros.max())
    stations = int(codes.max()) + 1
    if high - low < (1 << 62) // max(stations, 1):
        keys = codes.astype(np.int64) * (high - low + 1) + (micros - low)
        if bool(np.all(keys[1:] > keys[:-1])):
            return True
        ordered = np.sort(keys)
        return not bool(np.any(ordered[1:] == ordered[:-1]))
    frame = pd.DataFrame({"station": codes, "time": micros})
    return not bool(frame.duplicated().any())


def readings_block(
    *,
    station_id: pa.Array,
    parameter: str,
    time_utc: pa.Array,
    source_timezone: str,
    averaging: str,
    values: np.ndarray,
    unit: str,
    flags: np.ndarray,
    source_row: np.ndarray,
) -> pa.Table:
    """Readings of one parameter, in the parsed layout (``batch_id`` empty until stored)."""
    count = len(values)
    mask = np.isnan(values)
    return pa.table(
        [
            station_id,
            pa.repeat(pa.scalar(parameter), count),
            time_utc,
            pa.repeat(pa.scalar(source_timezone), count),
            pa.repeat(pa.scalar(averaging), count),
            pa.array(values, pa.float64(), mask=mask),
            pa.repeat(pa.scalar(unit), count),
            pa.array(flags, pa.int32()),
            pa.nulls(count, pa.string()),
            pa.array(source_row, pa.int64()),
        ],
        schema=_PARSED_SCHEMA,
    )


def empty_readings() -> pa.Table:
    return _PARSED_SCHEMA.empty_table()


def plain_type(kind: pa.DataType) -> pa.DataType:
    """The type of the values of a dictionary type; other types as they are."""
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def same_layout(schema: pa.Schema, expected: pa.Schema) -> bool:
    """True when ``schema`` has ``expected``'s columns, in order, with its types once dictionary
    encoding is set aside (a Parquet file stores both alike)."""
    return schema.names == expected.names and all(
        plain_type(field.type) == kind.type for field, kind in zip(schema, expected, strict=True)
    )


def stations_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Stations from dicts (missing keys are null), sorted by ``station_id``."""
    ordered = sorted(rows, key=lambda row: str(row["station_id"]))
    columns = {name: [row.get(name) for row in ordered] for name in STATION_COLUMNS}
    return pa.table(columns, schema=STATION_SCHEMA)
