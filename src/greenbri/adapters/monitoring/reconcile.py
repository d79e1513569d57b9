"""Which incoming readings are new, already stored, duplicated or in conflict (DuckDB, vectorised).

A reading's key is :data:`~greenbri.core.monitoring.readings.READING_KEY`. Two readings with the
same key are the *same* when their values are equal (two missing values are equal) and their units
are equal; otherwise they *conflict*:

* in the same input: the first of equal duplicates is kept, the others skipped; conflicting
  duplicates are all rejected (nobody can tell which one is right);
* against the store: an equal reading is skipped (re-ingest, overlapping files); a conflicting one is
  rejected, and the stored reading is left as it is, the message naming the batch and file that hold
  it (``greenbri monitor batches remove`` takes a wrong batch out).

A *missing* value (null) states no concentration, so it contradicts nothing: a missing incoming
value is skipped when the key is stored, and a real incoming value **supersedes** a stored missing
one (the store replaces the missing reading and both batches' ledger entries record it). A stored
real value, flagged or not, is a measurement: a different value conflicts with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from greenbri.adapters.monitoring.batch import SOURCE_ROW, RowMessage
from greenbri.adapters.monitoring.reconcile_keys import StoredMatches, stored_matches_by_keys

__all__ = ["Reconciliation", "parquet_source", "reconcile"]

_KEY = "station_id, parameter, averaging, time_utc"
_SAME = "(a.value IS NOT DISTINCT FROM b.value AND a.unit = b.unit)"
#: Against the store: a missing incoming value is the same as anything stored (it adds nothing).
_SAME_AS_STORED = "(a.value IS NULL OR (a.value IS NOT DISTINCT FROM b.value AND a.unit = b.unit))"


@dataclass
class Reconciliation:
    """Row positions of the incoming table by outcome (``new`` None: every row is new), a message
    per rejected row, and the stored missing readings that new rows supersede (``superseded``:
    ``_index`` of the incoming row, ``batch_id`` of the stored one)."""

    new: np.ndarray | None
    skipped_duplicate: int = 0
    skipped_existing: int = 0
    conflicts: list[RowMessage] = field(default_factory=list)
    superseded: pa.Table | None = None
    #: One message per batch whose missing readings are superseded.
    notes: list[RowMessage] = field(default_factory=list)


def parquet_source(files: Sequence[Path]) -> str:
    """``read_parquet([...])`` over ``files`` as SQL text (literal paths: binding a Python list as a
    parameter costs seconds on the first call in a process)."""
    paths = ", ".join("'" + path.as_posix().replace("'", "''") + "'" for path in files)
    return f"read_parquet([{paths}], hive_partitioning = false, union_by_name = true)"


def _describe(row: dict[str, object]) -> str:
    return f"{row['station_id']} {row['parameter']} {row['averaging']} at {row['time_utc']:%Y-%m-%dT%H:%M}Z"


def _value(value: object, unit: object) -> str:
    return "missing" if value is None else f"{value:g} {unit}"


def _holder(batch_id: str, inputs: Mapping[str, str]) -> str:
    """``batch <id>, file <name>``: where a stored reading came from."""
    name = inputs.get(batch_id)
    return f"batch {batch_id}" + (f", file {name}" if name else "")


def reconcile(
    connection: duckdb.DuckDBPyConnection,
    incoming: pa.Table,
    existing_files: Sequence[Path],
    source: str,
    *,
    known_unique: bool = False,
    batch_inputs: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Classify every row of ``incoming`` (see the module docstring); ``known_unique`` skips the
    search for duplicates inside ``incoming`` (the reader has checked); ``batch_inputs`` (batch id
    -> input file name) lets a conflict name the file that holds the stored value."""
    inputs = batch_inputs or {}
    count = incoming.num_rows
    table = incoming.append_column("_index", pa.array(np.arange(count, dtype=np.int64)))
    connection.register("incoming", table)
    keep = np.ones(count, dtype=bool)
    result = Reconciliation(new=np.empty(0, np.int64))
    conflicted: set[int] = set()
    if not known_unique:
        _duplicates(connection, keep, conflicted, result, source)
    result.skipped_duplicate = int(count - keep.sum()) - len(conflicted)
    if existing_files:
        matches = stored_matches_by_keys(incoming, existing_files)
        if matches is None:  # keys too wide for one int64: the SQL join
            stored = _stored_matches(connection, incoming, existing_files)  # same: _SAME_AS_STORED
            conflicting = stored.filter(pc.invert(stored.column("same")))
            matches = StoredMatches(
                stored.column("_index").to_numpy(),
                stored.column("same").to_numpy(zero_copy_only=False),
                conflicting.select(["_index", "stored_value", "stored_unit", "batch_id"]),
            )
        fresh = keep[matches.index]
        result.skipped_existing = int((fresh & matches.same).sum())
        # Conflicts with the store are reported for rows not already rejected as duplicates.
        different = matches.conflicts.filter(pa.array(keep[matches.conflicts.column("_index").to_numpy()]))
        missing = pc.is_null(different.column("stored_value"), nan_is_null=True)
        result.superseded = different.filter(missing).select(["_index", "batch_id"])
        conflicts = different.filter(pc.invert(missing))
        keep[matches.index] = False
        keep[result.superseded.column("_index").to_numpy()] = True  # a real value replaces a missing one
        counts = pc.value_counts(result.superseded.column("batch_id")).to_pylist()
        for item in sorted(counts, key=lambda item: str(item["values"])):
            result.notes.append(
                RowMessage(
                    source,
                    None,
                    f"{item['counts']} readings missing in the store ({_holder(item['values'], inputs)}) "
                    "are replaced by this input's values",
                    "superseded",
                )
            )
        details = incoming.take(conflicts.column("_index")).select(
            [*_KEY.split(", "), "value", "unit", SOURCE_ROW]
        )
        for row, other in zip(details.to_pylist(), conflicts.to_pylist(), strict=True):
            stored_text = _value(other["stored_value"], other["stored_unit"])
            result.conflicts.append(
                RowMessage(
                    source,
                    row[SOURCE_ROW],
                    f"{_describe(row)} is {_value(row['value'], row['unit'])} here but {stored_text} in the "
                    f"store ({_holder(other['batch_id'], inputs)}); the stored reading is kept"
                    " (if it is the wrong one: greenbri monitor batches remove that batch, then ingest a"
                    " corrected file, or this one after removing its own batch)",
                    "rejected",
                )
            )
    connection.unregister("incoming")
    result.new = np.flatnonzero(keep)
    result.conflicts.sort(key=lambda message: (message.row or 0, message.message))
    return result


def _duplicates(
    connection: duckdb.DuckDBPyConnection,
    keep: np.ndarray,
    conflicted: set[int],
    result: Reconciliation,
    source: str,
) -> None:
    """Mark repeated keys of ``incoming``: equal repeats skipped, conflicting ones all rejected."""
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE repeated AS SELECT {_KEY} FROM incoming GROUP BY ALL HAVING count(*) > 1"
    )
    duplicates = connection.execute(
        f"""
        WITH candidates AS (SELECT * FROM incoming SEMI JOIN repeated USING ({_KEY}))
        SELECT a._index, a.{SOURCE_ROW} AS line, a.station_id, a.parameter, a.averaging, a.time_utc,
               a.value, a.unit, b.{SOURCE_ROW} AS other_line, b._index AS other_index, {_SAME} AS same
        FROM candidates a JOIN candidates b USING ({_KEY})
        WHERE a._index > b._index
        ORDER BY a._index, b._index
        """
    ).to_arrow_table()
    same = duplicates.column("same").to_numpy(zero_copy_only=False)
    keep[duplicates.column("_index").to_numpy()[same]] = False
    for row in duplicates.filter(pa.array(~same)).to_pylist():
        pairs = (
            (row["_index"], row["line"], row["other_line"]),
            (row["other_index"], row["other_line"], row["line"]),
        )
        for index, line, other in pairs:
            keep[index] = False
            if index not in conflicted:
                conflicted.add(index)
                message = f"{_describe(row)} appears again at line {other} with another value"
                result.conflicts.append(RowMessage(source, line, message, "rejected"))


def _stored_matches(
    connection: duckdb.DuckDBPyConnection, incoming: pa.Table, existing_files: Sequence[Path]
) -> pa.Table:
    """Incoming rows (``_index``) whose key is stored, whether the stored reading is the same, and
    the stored value, unit and batch where it is not (only conflicts carry text, so a file that
    repeats millions of stored readings does not bring them back as strings).

    The station list and time range are given as constants so that DuckDB skips, from the Parquet
    statistics, the row groups (and files) of other stations and times.
    """
    stations = pc.unique(incoming.column("station_id")).to_pylist()
    low, high = pc.min_max(incoming.column("time_utc")).values()
    names = ", ".join("'" + str(name).replace("'", "''") + "'" for name in stations)
    first, last = (f"TIMESTAMPTZ '{moment.as_py().isoformat()}'" for moment in (low, high))
    return connection.execute(
        f"""
        SELECT _index, same,
               CASE WHEN NOT same THEN stored_value END AS stored_value,
               CASE WHEN NOT same THEN stored_unit END AS stored_unit,
               CASE WHEN NOT same THEN batch_id END AS batch_id
        FROM (SELECT a._index, b.value AS stored_value, b.unit AS stored_unit, b.batch_id,
                     {_SAME_AS_STORED} AS same
              FROM incoming a
              JOIN (SELECT station_id, parameter, averaging, time_utc, value, unit, batch_id
                    FROM {parquet_source(existing_files)}
                    WHERE station_id IN ({names}) AND time_utc BETWEEN {first} AND {last}) b
              USING ({_KEY}))
        ORDER BY _index
        """
    ).to_arrow_table()
