"""The readings store: stations and readings in the embedded store's data directory.

Layout under ``<data_dir>/monitoring/``::

    readings/year=YYYY/<batch_id>.parquet   readings of one batch in one year of time_utc
    readings/year=YYYY/<batch_id>-<n>.parquet  the same, split in parts when large and alone in its
                                             year (written by several threads at once)
    <side table>/year=YYYY/<batch_id>.parquet  e.g. publications (CNEMC published AQI, primary pollutant)
    stations.parquet                         every station (replaced whole)
    batches.json                             the ledger: every batch, replaced atomically
    staging/                                 batches being written (never read)

Readings files have exactly the contract columns
(:data:`~greenbri.core.monitoring.readings.READING_COLUMNS`), LZ4-compressed, and never change once
the ledger names them. A write holds the data directory's single-writer lock
(:func:`greenbri.adapters.stores.locking.write_lock`, shared with the dataset catalog) and goes:
files written and flushed in ``staging/`` -> renamed into their partitions -> ``stations.parquet``
replaced -> ledger replaced (last). A write that fails (a full disk, any error) deletes what it
wrote before raising; a process killed before the ledger leaves files no ledger entry names; they
are invisible to :meth:`ReadingsStore.connect` and the next writer deletes them.
The same input (sha256) with the same options is a no-op; see :mod:`.reconcile` for readings
already stored.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from greenbri.adapters.monitoring.batch import (
    READING_SCHEMA,
    SOURCE_ROW,
    STATION_SCHEMA,
    ParsedInput,
    SideTable,
)
from greenbri.adapters.monitoring.outcome import BatchOutcome, batch_identifier
from greenbri.adapters.monitoring.reconcile import Reconciliation, parquet_source, reconcile
from greenbri.adapters.monitoring.station_merge import merge_stations
from greenbri.adapters.monitoring.store_files import (
    COMPRESSION,
    WRITERS,
    by_year,
    fsync_file,
    pieces,
    with_batch,
    write_parquet,
)
from greenbri.adapters.stores.duckdb_engine import connect as duckdb_connect
from greenbri.adapters.stores.files import fsync_directory, write_json_atomic
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.errors import BatchNotFoundError, ReadingConflictError, StoreError
from greenbri.core.monitoring.readings import READING_COLUMNS, READING_KEY

__all__ = ["LEDGER_FORMAT", "ReadingsStore"]

#: Version of ``batches.json``'s layout.
LEDGER_FORMAT = 1


class ReadingsStore:
    """Stations and readings under ``<data_dir>/monitoring``; see the module docstring."""

    def __init__(
        self,
        data_dir: Path,
        *,
        lock_timeout_s: float = 30.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "monitoring"
        self.lock_timeout_s = lock_timeout_s
        self._now = now

    # -- paths and reading --------------------------------------------------------------

    @property
    def ledger_path(self) -> Path:
        return self.root / "batches.json"

    @property
    def stations_path(self) -> Path:
        return self.root / "stations.parquet"

    def batches(self) -> list[dict[str, Any]]:
        """The ledger's entries, oldest first."""
        if not self.ledger_path.is_file():
            return []
        try:
            data = json.loads(self.ledger_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise StoreError(
                f"The batch ledger {self.ledger_path} is not valid JSON ({error}).",
                hint="restore it from a backup; greenbri only ever replaces it whole.",
            ) from None
        if data.get("format", 0) > LEDGER_FORMAT:
            raise StoreError(
                f"The batch ledger {self.ledger_path} has format {data['format']}, newer than this greenbri.",
                hint="upgrade greenbri.",
            )
        return list(data.get("batches", []))

    def files(self, table: str = "readings", batches: list[dict[str, Any]] | None = None) -> list[Path]:
        """Published files of ``table`` (sorted)."""
        entries = self.batches() if batches is None else batches
        return sorted(self.root / name for entry in entries for name in entry.get("files", {}).get(table, []))

    def stations(self) -> pa.Table:
        """Every station (empty table with the contract columns when none)."""
        if not self.stations_path.is_file():
            return STATION_SCHEMA.empty_table()
        return pq.read_table(self.stations_path, schema=STATION_SCHEMA)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with views ``readings``, ``stations`` and each side table (published
        batches only; the contract columns of readings only)."""
        connection = duckdb_connect()
        entries = self.batches()
        for table, columns in _view_columns(entries).items():
            paths = self.files(table, entries)
            source = parquet_source(paths) if paths else f"(SELECT {columns} LIMIT 0)"
            selected = ", ".join(READING_COLUMNS) if table == "readings" and paths else "*"
            connection.execute(f"CREATE VIEW {table} AS SELECT {selected} FROM {source}")
        stations = self.stations()
        connection.register("_stations", stations)
        connection.execute("CREATE TABLE stations AS SELECT * FROM _stations")
        connection.unregister("_stations")
        return connection

    # -- writing ------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[list[dict[str, Any]]]:
        with write_lock(self.data_dir / ".write.lock", timeout_s=self.lock_timeout_s):
            entries = self.batches()
            self._sweep(entries)
            yield entries

    def _sweep(self, entries: list[dict[str, Any]]) -> None:
        """Delete staging leftovers and files no ledger entry names (an interrupted publish)."""
        shutil.rmtree(self.root / "staging", ignore_errors=True)
        named = {name for entry in entries for names in entry.get("files", {}).values() for name in names}
        for path in sorted(self.root.glob("*/year=*/*.parquet")):
            if path.relative_to(self.root).as_posix() not in named:
                path.unlink()

    def write_batch(
        self, parsed: ParsedInput, *, input_sha256: str, options_digest: str, strict: bool = False
    ) -> BatchOutcome:
        """Store ``parsed`` as one batch (no-op when the same input and options were stored before).

        With ``strict``, any conflicting reading raises :class:`ReadingConflictError` and nothing is
        stored; otherwise conflicting readings are rejected (reported) and the rest is stored.
        """
        batch_id = batch_identifier(parsed.source, input_sha256, options_digest)
        with self._writing() as entries:
            for entry in entries:
                if entry["input_sha256"] == input_sha256 and entry["options_digest"] == options_digest:
                    return BatchOutcome.from_entry(entry, created=False)
            existing = _overlapping(self, entries, parsed.readings)
            if parsed.unique_keys and not existing:
                verdict = Reconciliation(new=None)
            else:
                connection = duckdb.connect()
                try:
                    verdict = reconcile(
                        connection,
                        parsed.readings,
                        existing,
                        parsed.input_name,
                        known_unique=parsed.unique_keys,
                        batch_inputs={entry["id"]: entry.get("input_name", "") for entry in entries},
                    )
                finally:
                    connection.close()
            if strict and verdict.conflicts:
                shown = "; ".join(str(message) for message in verdict.conflicts[:5])
                raise ReadingConflictError(
                    f"{len(verdict.conflicts)} readings conflict with others: {shown}.",
                    hint="correct the input, or ingest without --strict to store the rest and report these.",
                )
            kept = parsed.readings
            if verdict.new is not None and len(verdict.new) < kept.num_rows:
                kept = kept.take(pa.array(verdict.new))
            new = kept.drop_columns([SOURCE_ROW])
            side = {name: _side(self, entries, name, table) for name, table in parsed.side_tables.items()}
            tables = {name: with_batch(table, batch_id) for name, table in {"readings": new, **side}.items()}
            stations, changes, added = merge_stations(self.stations(), parsed.stations)
            staging = self.root / "staging" / secrets.token_hex(8)
            try:
                replaced = _superseded_files(self, entries, parsed.readings, verdict, staging)
                files = self._publish(batch_id, tables, stations, staging, replaced)
                outcome = BatchOutcome.build(
                    batch_id,
                    parsed,
                    new,
                    verdict,
                    changes,
                    added,
                    files,
                    input_sha256,
                    options_digest,
                    self._now(),
                )
                updated = [_after_superseding(entry, replaced, batch_id) for entry in entries]
                write_json_atomic(
                    self.ledger_path, {"format": LEDGER_FORMAT, "batches": [*updated, outcome.entry]}
                )
            except Exception:  # e.g. a full disk: the ledger is unchanged; leave no file behind
                self._sweep(entries)
                raise
            for rewrite in replaced.values():  # no longer named by the ledger
                for old_name in rewrite.files:
                    (self.root / old_name).unlink(missing_ok=True)
            return outcome

    def remove_batch(self, batch_id: str) -> dict[str, Any]:
        """Take batch ``batch_id`` out of the store: exactly its readings (and side-table rows) go,
        and the same or a corrected input can be ingested again. Returns the removed ledger entry.

        Atomic: the ledger is replaced first (the one step that publishes), then the batch's files
        are deleted; a process killed between the two leaves files no entry names, which the next
        writer sweeps. Stations the batch added stay (other batches may use them).
        """
        with self._writing() as entries:
            found = [entry for entry in entries if entry["id"] == batch_id]
            if not found:
                raise BatchNotFoundError(
                    f"There is no monitoring batch {batch_id!r}.",
                    hint="list the batches with greenbri monitor batches list.",
                )
            kept = [entry for entry in entries if entry["id"] != batch_id]
            write_json_atomic(self.ledger_path, {"format": LEDGER_FORMAT, "batches": kept})
            for names in found[0].get("files", {}).values():
                for name in names:
                    (self.root / name).unlink(missing_ok=True)
            return found[0]

    def _publish(
        self,
        batch_id: str,
        tables: dict[str, pa.Table],
        stations: pa.Table,
        staging: Path,
        replaced: dict[str, _Rewrite],
    ) -> dict[str, list[str]]:
        written: dict[str, list[str]] = {}
        jobs = []
        for name, table in tables.items():
            years = list(by_year(table))
            for year, part in years:
                # One year of many readings: several files (<batch>-<n>), written side by side.
                split = pieces(part, WRITERS // len(years)) if name == "readings" else [part]
                if len(split) == 1:
                    jobs.append((f"{name}/year={year}/{batch_id}.parquet", part))
                else:
                    jobs += [
                        (f"{name}/year={year}/{batch_id}-{number}.parquet", piece)
                        for number, piece in enumerate(split)
                    ]
        for relative, _part in jobs:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            # Largest first, so the last file to finish is a small one.
            ordered = sorted(jobs, key=lambda job: -job[1].num_rows)
            list(pool.map(lambda job: write_parquet(job[1], staging / job[0]), ordered))
        for relative, _part in jobs:
            name = relative.split("/", 1)[0]
            written.setdefault(name, []).append(relative)
        (staging / "stations.parquet").parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(stations, staging / "stations.parquet", compression=COMPRESSION)
        fsync_file(staging / "stations.parquet")
        rewritten = [name for rewrite in replaced.values() for name in rewrite.written]
        for relative in sorted([*(name for names in written.values() for name in names), *rewritten]):
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
            fsync_directory(target.parent)
        os.replace(staging / "stations.parquet", self.stations_path)
        fsync_directory(self.root)
        shutil.rmtree(staging, ignore_errors=True)
        return {name: sorted(names) for name, names in written.items()}


@dataclass
class _Rewrite:
    """A batch whose missing readings a new batch supersedes: its files before (``files``) and
    after (``after``, by table), the new files staged (``written``) and how many readings went."""

    files: list[str]
    after: dict[str, list[str]]
    written: list[str]
    readings: int


def _superseded_files(
    store: ReadingsStore,
    entries: list[dict[str, Any]],
    incoming: pa.Table,
    verdict: Reconciliation,
    staging: Path,
) -> dict[str, _Rewrite]:
    """Write, in ``staging``, each superseded batch's readings files without the missing readings
    that real incoming values replace (new names: published files never change)."""
    superseded = verdict.superseded
    if superseded is None or superseded.num_rows == 0:
        return {}
    keys = incoming.take(superseded.column("_index")).select(list(READING_KEY))
    keys = keys.append_column("batch_id", superseded.column("batch_id"))
    by_id = {entry["id"]: entry for entry in entries}
    rewrites: dict[str, _Rewrite] = {}
    connection = duckdb.connect()
    try:
        connection.register("superseded", keys)
        for batch in sorted(set(superseded.column("batch_id").to_pylist())):
            names = by_id[batch]["files"].get("readings", [])
            rewrite = _Rewrite(list(names), {**by_id[batch]["files"]}, [], 0)
            after = []
            for name in names:
                table = connection.execute(
                    f"SELECT * FROM {parquet_source([store.root / name])} r WHERE NOT (r.value IS NULL AND"
                    f" EXISTS (SELECT 1 FROM superseded s WHERE s.batch_id = ? AND"
                    f" {' AND '.join(f's.{column} = r.{column}' for column in READING_KEY)}))",
                    [batch],
                ).to_arrow_table()
                stored = pq.ParquetFile(store.root / name).metadata.num_rows
                rewrite.readings += stored - table.num_rows
                if table.num_rows == stored:
                    after.append(name)
                    continue
                if table.num_rows:
                    stem = Path(name).name.split(".")[0]
                    relative = f"{Path(name).parent.as_posix()}/{stem}.{secrets.token_hex(4)}.parquet"
                    (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                    write_parquet(table.cast(READING_SCHEMA), staging / relative)
                    rewrite.written.append(relative)
                    after.append(relative)
            rewrite.after["readings"] = sorted(after)
            rewrite.files = [name for name in names if name not in after]
            rewrites[batch] = rewrite
    finally:
        connection.close()
    return rewrites


def _after_superseding(entry: dict[str, Any], replaced: dict[str, _Rewrite], by_batch: str) -> dict[str, Any]:
    """``entry`` with its new files and a record of the readings ``by_batch`` superseded."""
    rewrite = replaced.get(entry["id"])
    if rewrite is None:
        return entry
    record = {"by": by_batch, "readings": rewrite.readings}
    return {**entry, "files": rewrite.after, "superseded": [*entry.get("superseded", []), record]}


def _overlapping(store: ReadingsStore, entries: list[dict[str, Any]], readings: pa.Table) -> list[Path]:
    """Published readings files whose batch's time range overlaps the incoming readings."""
    if readings.num_rows == 0:
        return []
    low, high = pc.min_max(readings.column("time_utc")).values()
    first, last = low.as_py().isoformat(), high.as_py().isoformat()
    incoming = set(pc.unique(readings.column("station_id")).to_pylist())
    chosen = [
        entry
        for entry in entries
        if entry.get("time_range")
        and not (entry["time_range"][1] < first or entry["time_range"][0] > last)
        and (entry.get("stations") is None or not incoming.isdisjoint(entry["stations"]))
    ]
    return store.files("readings", chosen)


def _side(store: ReadingsStore, entries: list[dict[str, Any]], name: str, side: SideTable) -> pa.Table:
    """Side-table rows whose key is not stored yet (the first stored row of a key is kept)."""
    table = side.table
    files = store.files(name, entries)
    if not files or table.num_rows == 0:
        return table
    key = ", ".join(side.key)
    connection = duckdb.connect()
    try:
        connection.register("incoming", table.append_column("_index", pa.array(np.arange(table.num_rows))))
        stored = connection.execute(
            f"SELECT i._index FROM incoming i SEMI JOIN {parquet_source(files)} s USING ({key})"
        ).fetchnumpy()["_index"]
    finally:
        connection.close()
    keep = np.ones(table.num_rows, dtype=bool)
    keep[np.asarray(stored, dtype=np.int64)] = False
    return table.filter(pa.array(keep))


def _view_columns(entries: list[dict[str, Any]]) -> dict[str, str]:
    names = {"readings"} | {name for entry in entries for name in entry.get("files", {})}
    empty = ", ".join(f"NULL::{_duck_type(kind)} AS {column}" for column, kind in READING_COLUMNS.items())
    return {name: (empty if name == "readings" else "NULL AS empty") for name in sorted(names)}


def _duck_type(kind: str) -> str:
    return {"string": "VARCHAR", "double": "DOUBLE", "int32": "INTEGER"}.get(kind, "TIMESTAMPTZ")
