"""The PostGIS store's catalog tables: records, version numbers, where versions live, views.

Functions over an open connection; the caller holds the dataset's lock and the transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import psycopg
import pyarrow as pa
from psycopg import sql
from psycopg.types.json import Jsonb

from greenbri.adapters.stores.postgis_migrations import applied_migrations
from greenbri.adapters.stores.postgis_tables import ROW_COLUMN
from greenbri.core.catalog import DatasetKind, DatasetRecord

__all__ = [
    "StoredTable",
    "delete_versions",
    "load_document",
    "load_records",
    "refresh_view",
    "reserve_number",
    "save_document",
    "save_record",
    "save_table",
    "stored_table",
    "version_table_name",
]

_MAX_IDENTIFIER = 63


@dataclass(frozen=True)
class StoredTable:
    """Where a version of a layer or table lives, and the Arrow schema it was written with."""

    table_name: str
    schema: pa.Schema
    geometry_column: str | None


def version_table_name(dataset_id: str, number: int) -> str:
    """``<id>@v<N>``, shortened with a digest when longer than PostgreSQL's 63-byte names."""
    name = f"{dataset_id}@v{number}"
    if len(name) <= _MAX_IDENTIFIER:
        return name
    return f"{dataset_id[:40]}~{hashlib.sha256(dataset_id.encode()).hexdigest()[:12]}@v{number}"


def load_records(connection: psycopg.Connection, dataset_id: str | None = None) -> list[DatasetRecord]:
    """Every record (sorted by id), or the one of ``dataset_id``; empty before the first migration."""
    if not applied_migrations(connection):
        return []
    if dataset_id is None:
        rows = connection.execute("SELECT record FROM greenbri.datasets ORDER BY id").fetchall()
    else:
        rows = connection.execute(
            "SELECT record FROM greenbri.datasets WHERE id = %s", (dataset_id,)
        ).fetchall()
    return [DatasetRecord.from_dict(record) for (record,) in rows]


def save_record(connection: psycopg.Connection, record: DatasetRecord) -> None:
    connection.execute(
        "INSERT INTO greenbri.datasets (id, record) VALUES (%s, %s) "
        "ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, updated_at = now()",
        (record.id, Jsonb(record.to_dict())),
    )


def reserve_number(connection: psycopg.Connection, record: DatasetRecord | None, dataset_id: str) -> int:
    """The next version number, above every number ever handed out (the counter outlives deletes)."""
    highest = max((item.number for item in record.versions), default=0) if record else 0
    row = connection.execute(
        "INSERT INTO greenbri.version_numbers AS numbers (dataset_id, last_number) VALUES (%s, %s + 1) "
        "ON CONFLICT (dataset_id) DO UPDATE SET last_number = GREATEST(numbers.last_number, %s) + 1 "
        "RETURNING last_number",
        (dataset_id, highest, highest),
    ).fetchone()
    assert row is not None
    return int(row[0])


def save_table(connection: psycopg.Connection, dataset_id: str, number: int, stored: StoredTable) -> None:
    connection.execute(
        "INSERT INTO greenbri.version_storage (dataset_id, number, table_name, arrow_schema, geometry_column) "
        "VALUES (%s, %s, %s, %s, %s)",
        (
            dataset_id,
            number,
            stored.table_name,
            stored.schema.serialize().to_pybytes(),
            stored.geometry_column,
        ),
    )


def save_document(connection: psycopg.Connection, dataset_id: str, number: int, content: bytes) -> None:
    connection.execute(
        "INSERT INTO greenbri.version_storage (dataset_id, number, document) VALUES (%s, %s, %s)",
        (dataset_id, number, content),
    )


def stored_table(connection: psycopg.Connection, dataset_id: str, number: int) -> StoredTable | None:
    row = connection.execute(
        "SELECT table_name, arrow_schema, geometry_column FROM greenbri.version_storage "
        "WHERE dataset_id = %s AND number = %s AND table_name IS NOT NULL",
        (dataset_id, number),
    ).fetchone()
    if row is None:
        return None
    return StoredTable(row[0], pa.ipc.read_schema(pa.py_buffer(row[1])), row[2])


def load_document(connection: psycopg.Connection, dataset_id: str, number: int) -> bytes | None:
    row = connection.execute(
        "SELECT document FROM greenbri.version_storage WHERE dataset_id = %s AND number = %s",
        (dataset_id, number),
    ).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def delete_versions(connection: psycopg.Connection, dataset_id: str, numbers: list[int]) -> None:
    """Forget where the versions live and drop their tables."""
    rows = connection.execute(
        "DELETE FROM greenbri.version_storage WHERE dataset_id = %s AND number = ANY(%s) RETURNING table_name",
        (dataset_id, numbers),
    ).fetchall()
    for (table_name,) in rows:
        if table_name:
            connection.execute(
                sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier("greenbri_versions", table_name))
            )


def refresh_view(connection: psycopg.Connection, dataset_id: str, record: DatasetRecord | None) -> None:
    """Point ``greenbri_latest."<id>"`` at the latest version; no view for documents or ids over 63 bytes."""
    if len(dataset_id.encode("utf-8")) > _MAX_IDENTIFIER:
        return
    view = sql.Identifier("greenbri_latest", dataset_id)
    connection.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(view))
    latest = record.latest if record else None
    if latest is None or latest.kind is DatasetKind.DOCUMENT:
        return
    stored = stored_table(connection, dataset_id, latest.number)
    if stored is None:
        return
    connection.execute(
        sql.SQL("CREATE VIEW {} AS SELECT {} FROM {} ORDER BY {}").format(
            view,
            sql.SQL(", ").join(sql.Identifier(name) for name in stored.schema.names),
            sql.Identifier("greenbri_versions", stored.table_name),
            sql.Identifier(ROW_COLUMN),
        )
    )
