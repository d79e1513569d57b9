"""One version of a vector layer or table as a PostgreSQL table, and back.

A version is first written as the embedded store writes it (GeoParquet through
:func:`~greenbri.adapters.stores.parquet_files.write_frame`), so both stores record the same
schema and extents. Its Arrow table is then copied into a table with one column per attribute
(types mapped below), the geometry as ``geometry`` in EPSG:4326 with a GiST index, and a row
number that keeps the order. The Arrow schema is kept beside it, so reading casts the rows back
to exactly the types that were written and gives the same (Geo)DataFrame as the embedded store.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any, Literal

import geopandas as gpd
import pyarrow as pa
import pyarrow.csv as arrow_csv
from psycopg import Connection, sql

from greenbri.core.errors import StoreError

__all__ = ["ROW_COLUMN", "copy_into_table", "read_table"]

#: The column holding each row's position, so rows come back in the order they were written.
ROW_COLUMN = "_greenbri_row"
_BATCH_ROWS = 50_000
_MAX_IDENTIFIER_BYTES = 63
_SRID = 4326
_SRID_FLAG = 0x20000000
_Z_OR_M_FLAGS = 0x80000000 | 0x40000000


def _column_type(field: pa.Field) -> str:
    kind = field.type
    checks: list[tuple[Callable[[Any], bool], str]] = [
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_int8, "smallint"),
        (pa.types.is_int16, "smallint"),
        (pa.types.is_uint8, "smallint"),
        (pa.types.is_int32, "integer"),
        (pa.types.is_uint16, "integer"),
        (pa.types.is_int64, "bigint"),
        (pa.types.is_uint32, "bigint"),
        (pa.types.is_uint64, "numeric(20, 0)"),
        (pa.types.is_float16, "real"),
        (pa.types.is_float32, "real"),
        (pa.types.is_float64, "double precision"),
        (pa.types.is_decimal, "numeric"),
        (pa.types.is_string, "text"),
        (pa.types.is_large_string, "text"),
        (pa.types.is_binary, "bytea"),
        (pa.types.is_large_binary, "bytea"),
        (pa.types.is_date, "date"),
        (pa.types.is_time, "time"),
        (pa.types.is_null, "text"),
        (pa.types.is_nested, "jsonb"),
    ]
    if pa.types.is_timestamp(kind):
        return "timestamptz" if kind.tz else "timestamp"
    if pa.types.is_dictionary(kind):
        return _column_type(pa.field(field.name, kind.value_type))
    for check, column_type in checks:
        if check(kind):
            return column_type
    raise StoreError(
        f"Column {field.name!r} has the type {kind}, which the PostGIS store cannot keep.",
        hint="convert the column on import (e.g. to text), or use the embedded store.",
    )


def _check_names(schema: pa.Schema) -> None:
    for name in schema.names:
        if name == ROW_COLUMN or len(name.encode("utf-8")) > _MAX_IDENTIFIER_BYTES or "\x00" in name:
            raise StoreError(
                f"The column name {name!r} cannot be a PostgreSQL column (longer than 63 bytes, or reserved).",
                hint="rename it on import, e.g. --map 'long name=short_name'.",
            )


def _extended_wkb_hex(values: list[bytes | None]) -> tuple[list[str | None], bool]:
    """WKB as hex EWKB carrying SRID 4326 (what PostGIS reads into an EPSG:4326 column).

    Also says whether any geometry has Z or M. The header is rewritten in place (flag and SRID
    after the type code) rather than parsing every geometry: several times faster.
    """
    converted: list[str | None] = []
    beyond_2d = False
    for value in values:
        if value is None:
            converted.append(None)
            continue
        order: Literal["little", "big"] = "little" if value[0] == 1 else "big"
        code = int.from_bytes(value[1:5], order)
        beyond_2d = beyond_2d or bool(code & _Z_OR_M_FLAGS) or (code & 0xFFFF) // 1000 in (1, 2, 3)
        header = value[:1] + (code | _SRID_FLAG).to_bytes(4, order) + _SRID.to_bytes(4, order)
        converted.append((header + value[5:]).hex())
    return converted, beyond_2d


def _transport_column(column: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """An attribute column as CSV COPY accepts it: ``\\x`` hex for bytes, JSON for nested values."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return column.cast(kind.value_type)
    if pa.types.is_float16(kind):
        return column.cast(pa.float32())
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return pa.array([None if value is None else "\\x" + value.hex() for value in column.to_pylist()])
    if pa.types.is_nested(kind):
        return pa.array([None if value is None else json.dumps(value) for value in column.to_pylist()])
    return column


def copy_into_table(
    connection: Connection, table_name: str, data: pa.Table, geometry_column: str | None
) -> None:
    """Create ``greenbri_versions.<table_name>`` and copy ``data`` into it (inside the caller's transaction)."""
    _check_names(data.schema)
    geometries, beyond_2d = (
        _extended_wkb_hex(data[geometry_column].to_pylist()) if geometry_column else ([], False)
    )
    definitions = [
        sql.SQL("{} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY").format(sql.Identifier(ROW_COLUMN))
    ]
    for field in data.schema:
        column_type: sql.Composable = sql.SQL(_column_type(field))
        if field.name == geometry_column:
            # the typmod (2D) is what GIS clients expect; a layer with Z or M keeps an SRID check instead
            column_type = (
                sql.SQL("geometry CHECK (ST_SRID({}) = 4326)").format(sql.Identifier(field.name))
                if beyond_2d
                else sql.SQL("geometry(Geometry, 4326)")
            )
        definitions.append(sql.SQL("{} {}").format(sql.Identifier(field.name), column_type))
    table = sql.Identifier("greenbri_versions", table_name)
    connection.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(definitions)))
    columns = sql.SQL(", ").join(sql.Identifier(name) for name in data.schema.names)
    transport = pa.table(
        {
            name: pa.array(geometries, pa.string())
            if name == geometry_column
            else _transport_column(data[name])
            for name in data.schema.names
        }
    )
    options = arrow_csv.WriteOptions(include_header=False)
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(table, columns)
    with connection.cursor().copy(statement) as copy:
        for batch in transport.to_batches(_BATCH_ROWS):
            buffer = io.BytesIO()
            arrow_csv.write_csv(batch, buffer, options)
            copy.write(buffer.getvalue())
    if geometry_column:
        connection.execute(
            sql.SQL("CREATE INDEX ON {} USING gist ({})").format(table, sql.Identifier(geometry_column))
        )


def _arrow_column(values: list[Any], kind: pa.DataType) -> pa.Array:
    if pa.types.is_dictionary(kind):
        return pa.array(values, kind.value_type).dictionary_encode().cast(kind)
    if pa.types.is_float16(kind):
        return pa.array(values, pa.float32()).cast(kind)
    if pa.types.is_uint64(kind):
        return pa.array([None if value is None else int(value) for value in values], kind)
    return pa.array(values, kind)


def read_table(
    connection: Connection,
    table_name: str,
    schema: pa.Schema,
    geometry_column: str | None,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    columns: list[str] | None = None,
) -> Any:
    """The rows of a version table as the (Geo)DataFrame that was written."""
    wanted = [name for name in schema.names if columns is None or name in columns]
    selected = [
        sql.SQL("ST_AsBinary({})").format(sql.Identifier(name))
        if name == geometry_column
        else sql.Identifier(name)
        for name in wanted
    ]
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(selected) if selected else sql.SQL("1"),
        sql.Identifier("greenbri_versions", table_name),
    )
    parameters: tuple[float, ...] = ()
    if bbox is not None and geometry_column:
        query += sql.SQL(" WHERE {} && ST_MakeEnvelope(%s, %s, %s, %s, 4326)").format(
            sql.Identifier(geometry_column)
        )
        parameters = tuple(float(value) for value in bbox)
    query += sql.SQL(" ORDER BY {}").format(sql.Identifier(ROW_COLUMN))
    rows = connection.execute(query, parameters).fetchall()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in wanted]
    fields = [schema.field(name) for name in wanted]
    arrays = [_arrow_column(list(column), field.type) for column, field in zip(values, fields, strict=True)]
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=schema.metadata))
    frame = table.to_pandas()
    if geometry_column is None or geometry_column not in wanted:
        return frame
    frame[geometry_column] = gpd.GeoSeries.from_wkb(
        frame[geometry_column], index=frame.index, crs="EPSG:4326"
    )
    return gpd.GeoDataFrame(frame, geometry=geometry_column, crs="EPSG:4326")
