"""Features and vector tiles of a stored layer, read with DuckDB straight from its GeoParquet file.

A feature's id is its row number in the version's file plus one: versions never change, so the
id is stable for as long as the version exists. Queries are parameterised; column names come from
the catalog's schema only, quoted.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from greenbri.adapters.stores.cql2_sql import to_sql
from greenbri.adapters.stores.duckdb_engine import connect
from greenbri.adapters.stores.parquet_files import covering_clause, query_boxes
from greenbri.core.catalog import DatasetVersion
from greenbri.services.api.responses import plain

__all__ = ["OUTPUT_CRS", "FeatureReader", "ItemsQuery", "properties_of", "temporal_column", "tile_bounds"]

#: The CRS features can be served in (OGC API - Features Part 2), by URI, and the SQL that turns the
#: stored geometry (CRS84, longitude/latitude) into each. EPSG:4326 is latitude/longitude order.
OUTPUT_CRS = {
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84": "{}",
    "http://www.opengis.net/def/crs/EPSG/0/4326": "ST_FlipCoordinates({})",
    "http://www.opengis.net/def/crs/EPSG/0/3857": "ST_Transform({}, 'OGC:CRS84', 'EPSG:3857')",
}

T = TypeVar("T")
_SKIPPED = {"geometry", "bbox"}
#: Property types a vector tile can carry as they are; others go as text.
_TILE_TYPES = ("int", "uint", "float", "double", "bool", "string")


def properties_of(version: DatasetVersion) -> list[tuple[str, str]]:
    """(name, storage type) of the columns served as feature properties."""
    return [(column.name, column.type) for column in version.schema if column.name not in _SKIPPED]


def temporal_column(version: DatasetVersion) -> str | None:
    """The first date or timestamp column: the one ``datetime`` filters on."""
    for name, kind in properties_of(version):
        if kind.startswith(("date", "timestamp")):
            return name
    return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class ItemsQuery:
    """What an items request asks for (already validated)."""

    bbox: tuple[float, float, float, float] | None = None
    interval: tuple[str | None, str | None] | None = None
    filters: tuple[tuple[str, str], ...] = ()
    limit: int = 10
    offset: int = 0
    #: A CQL2 filter as CQL2 JSON (already parsed and validated).
    condition: Mapping[str, Any] | None = None
    #: (property, descending) pairs, most significant first; the feature id breaks ties.
    sort: tuple[tuple[str, bool], ...] = ()
    #: The properties to return (None: all of them).
    properties: tuple[str, ...] | None = None
    #: The output CRS, a key of :data:`OUTPUT_CRS`.
    crs: str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def _where(query: ItemsQuery, version: DatasetVersion) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    values: list[Any] = []
    if query.bbox is not None:
        parts = []
        for west, south, east, north in query_boxes(query.bbox):
            meets, meets_values = covering_clause((west, south, east, north))
            parts.append(f"({meets} AND ST_Intersects(geometry, ST_MakeEnvelope(?, ?, ?, ?)))")
            values += [*meets_values, west, south, east, north]
        clauses.append("(" + " OR ".join(parts) + ")")
    column = temporal_column(version)
    if query.interval is not None and column is not None:
        start, end = query.interval
        if start is not None:
            clauses.append(f"CAST({_quoted(column)} AS TIMESTAMPTZ) >= CAST(? AS TIMESTAMPTZ)")
            values.append(start)
        if end is not None:
            clauses.append(f"CAST({_quoted(column)} AS TIMESTAMPTZ) <= CAST(? AS TIMESTAMPTZ)")
            values.append(end)
    for name, value in query.filters:
        clauses.append(f"CAST({_quoted(name)} AS VARCHAR) = ?")
        values.append(value)
    if query.condition is not None:
        condition, parameters = to_sql(query.condition, dict(properties_of(version)))
        clauses.append(condition)
        values += parameters
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", values


def tile_bounds(zoom: int, column: int, row: int) -> tuple[float, float, float, float]:
    """Longitude/latitude bounds of a WebMercatorQuad tile."""
    count = 2**zoom

    def latitude(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / count))))

    return (column / count * 360 - 180, latitude(row + 1), (column + 1) / count * 360 - 180, latitude(row))


class FeatureReader:
    """Runs feature and tile queries on one shared in-memory DuckDB database (a cursor per query).

    A layer of up to ``table_rows`` features is loaded once per version into an in-memory table
    (versions never change), so requests skip decoding Parquet; larger layers are read from the
    file each time. The loaded tables hold at most ``cached_rows`` features together: the least
    recently used are dropped first (each published version is a new table, so without a bound
    the server grew by the size of a layer with every version published).
    """

    def __init__(self, table_rows: int = 2_000_000, cached_rows: int | None = None) -> None:
        self._connection: Any = None
        self._lock = threading.Lock()
        self._tables: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._names = itertools.count()
        self._loading = threading.Lock()
        self.table_rows = table_rows
        self.cached_rows = max(table_rows, cached_rows or 2 * table_rows)
        self._geometry_types: dict[str, str] = {}
        #: Counts closes: tables built on the database (e.g. by the tile maker) are gone after one.
        self.generation = 0

    def _source(self, path: Path, version: DatasetVersion) -> tuple[str, list[Any]]:
        """The FROM clause of a layer and its parameters: its table, or the file."""
        if version.feature_count > self.table_rows:
            return "(SELECT file_row_number + 1 AS fid, * FROM read_parquet(?, file_row_number = true))", [
                str(path)
            ]
        key = str(path)
        with self._loading:
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found[0], []
            self._evict(version.feature_count)
            table = f"layer_{next(self._names)}"
            cursor = self._cursor()
            try:
                cursor.execute(
                    f"CREATE TABLE {table} AS SELECT file_row_number + 1 AS fid, * "
                    "FROM read_parquet(?, file_row_number = true) ORDER BY fid",
                    [key],
                )
            finally:
                cursor.close()
            self._tables[key] = (table, version.feature_count)
        return table, []

    def _evict(self, incoming: int) -> None:
        """Drop the least recently used tables until ``incoming`` more rows fit the budget."""
        while self._tables and sum(rows for _, rows in self._tables.values()) + incoming > self.cached_rows:
            _, (table, _) = self._tables.popitem(last=False)
            cursor = self._cursor()
            try:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            finally:
                cursor.close()

    def cached_tables(self) -> dict[str, int]:
        """Layer file -> features, of the layers held in memory (least recently used first)."""
        with self._loading:
            return {key: rows for key, (_, rows) in self._tables.items()}

    def retrying(self, run: Callable[[], T]) -> T:
        """``run()``, once more if a table it read was dropped meanwhile (evicted by another request)."""
        try:
            return run()
        except duckdb.CatalogException:
            return run()

    def source(self, path: Path, version: DatasetVersion) -> tuple[str, list[Any]]:
        """The FROM clause of a layer (its in-memory table, or the file) and its parameters; for tiles."""
        return self._source(path, version)

    def cursor(self) -> Any:
        """A cursor on the shared database (close it after use); for tiles."""
        return self._cursor()

    def _cursor(self) -> Any:
        with self._lock:
            if self._connection is None:
                self._connection = connect()
                self._connection.execute("SET TimeZone = 'UTC'")
            return self._connection.cursor()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
                self._tables.clear()
                self.generation += 1

    def geometry_type(self, path: Path, version: DatasetVersion) -> str:
        """The GeoJSON geometry type of every feature of a layer: ``MultiPolygon`` for a layer that mixes
        polygons and multipolygons (served as multipolygons, so a client sees one type), ``Geometry``
        for other mixtures; worked out once per version."""
        key = str(path)
        found = self._geometry_types.get(key)
        if found is None:
            table, parameters = self._source(path, version)
            cursor = self._cursor()
            try:
                rows = cursor.execute(
                    f"SELECT DISTINCT ST_GeometryType(geometry) FROM {table} WHERE geometry IS NOT NULL",
                    parameters,
                ).fetchall()
            finally:
                cursor.close()
            found = _common_type({str(row[0]).upper() for row in rows})
            self._geometry_types[key] = found
        return found

    def _select(
        self, path: Path, version: DatasetVersion, query: ItemsQuery | None = None
    ) -> tuple[str, list[str]]:
        chosen = [
            (name, kind)
            for name, kind in properties_of(version)
            if query is None or query.properties is None or name in query.properties
        ]
        columns = "".join(f", {_selected(name, kind)}" for name, kind in chosen)
        geometry = "geometry"
        if self.geometry_type(path, version).startswith("Multi"):
            geometry = "ST_Multi(geometry)"
        geometry = OUTPUT_CRS[query.crs if query else next(iter(OUTPUT_CRS))].format(geometry)
        return f"SELECT fid, ST_AsGeoJSON({geometry}) AS geometry_json{columns}", [name for name, _ in chosen]

    def items(self, path: Path, version: DatasetVersion, query: ItemsQuery) -> tuple[int, list[str]]:
        """The number of features matching and one page of them as GeoJSON Feature texts."""
        return self.retrying(lambda: self._items(path, version, query))

    def _items(self, path: Path, version: DatasetVersion, query: ItemsQuery) -> tuple[int, list[str]]:
        where, values = _where(query, version)
        table, parameters = self._source(path, version)
        source = f" FROM {table}"
        select, names = self._select(path, version, query)
        order = "".join(
            f"{_quoted(name)} {'DESC' if descending else 'ASC'} NULLS LAST, "
            for name, descending in query.sort
        )
        cursor = self._cursor()
        try:
            matched = cursor.execute("SELECT count(*)" + source + where, [*parameters, *values]).fetchone()[0]
            rows = cursor.execute(
                select + source + where + f" ORDER BY {order}fid LIMIT ? OFFSET ?",
                [*parameters, *values, query.limit, query.offset],
            ).fetchall()
        finally:
            cursor.close()
        return int(matched), [_feature(row, names) for row in rows]

    def item(
        self, path: Path, version: DatasetVersion, feature_id: int, query: ItemsQuery | None = None
    ) -> str | None:
        """One feature as GeoJSON text (in ``query.crs``, with ``query.properties``), or None."""
        return self.retrying(lambda: self._item(path, version, feature_id, query))

    def _item(
        self, path: Path, version: DatasetVersion, feature_id: int, query: ItemsQuery | None
    ) -> str | None:
        table, parameters = self._source(path, version)
        select, names = self._select(path, version, query)
        cursor = self._cursor()
        try:
            row = cursor.execute(
                select + f" FROM {table} WHERE fid = ?", [*parameters, feature_id]
            ).fetchone()
        finally:
            cursor.close()
        return None if row is None else _feature(row, names)

    def tile(
        self, path: Path, version: DatasetVersion, layer: str, zoom: int, column: int, row: int
    ) -> bytes:
        """A Mapbox Vector Tile (extent 4096, buffer 64) of the features in one tile."""
        return self.retrying(lambda: self._tile(path, version, layer, zoom, column, row))

    def _tile(
        self, path: Path, version: DatasetVersion, layer: str, zoom: int, column: int, row: int
    ) -> bytes:
        west, south, east, north = tile_bounds(zoom, column, row)
        margin = (east - west) * 64 / 4096
        table, parameters = self._source(path, version)
        fields = "".join(
            f", {_quoted(name)}: {_tile_value(name, kind)}" for name, kind in properties_of(version)
        )
        meets, meets_values = covering_clause(
            (
                max(west - margin, -180.0),
                max(south - margin, -90.0),
                min(east + margin, 180.0),
                min(north + margin, 90.0),
            )
        )
        sql = (
            "SELECT ST_AsMVT(feature, ?, 4096, 'geom', 'fid') FROM ("
            "SELECT {'geom': ST_AsMVTGeom(ST_Transform(geometry, 'EPSG:4326', 'EPSG:3857', true),"
            " ST_Extent(ST_TileEnvelope(?, ?, ?)), 4096, 64, true), 'fid': fid"
            f"{fields}}} AS feature FROM {table}"
            f" WHERE {meets}"
            ") WHERE feature.geom IS NOT NULL"
        )
        values = [layer, zoom, column, row, *parameters, *meets_values]
        cursor = self._cursor()
        try:
            found = cursor.execute(sql, values).fetchone()
        finally:
            cursor.close()
        return bytes(found[0]) if found and found[0] is not None else b""


_SIMPLE = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon"}


def _common_type(kinds: set[str]) -> str:
    """One GeoJSON type for a set of DuckDB geometry type names (``POLYGON``, ``MULTIPOLYGON``...)."""
    bases = {kind.removeprefix("MULTI") for kind in kinds}
    if len(bases) != 1 or next(iter(bases)) not in _SIMPLE:
        return "Geometry"
    base = _SIMPLE[next(iter(bases))]
    return f"Multi{base}" if any(kind.startswith("MULTI") for kind in kinds) else base


def _selected(name: str, kind: str) -> str:
    """A column as selected: times as ISO 8601 text (UTC), everything else as it is."""
    if kind.startswith("timestamp"):
        suffix = "Z" if "tz=" in kind else ""
        return f"strftime({_quoted(name)}, '%Y-%m-%dT%H:%M:%S{suffix}')"
    if kind.startswith("date"):
        return f"strftime({_quoted(name)}, '%Y-%m-%d')"
    return _quoted(name)


def _tile_value(name: str, kind: str) -> str:
    if kind.startswith(_TILE_TYPES) or kind in ("large_string",):
        return _quoted(name)
    return f"CAST({_quoted(name)} AS VARCHAR)"


def _feature(row: tuple[Any, ...], names: list[str]) -> str:
    properties = {name: plain(value) for name, value in zip(names, row[2:], strict=True)}
    geometry = row[1] if row[1] is not None else "null"
    return (
        f'{{"type":"Feature","id":{int(row[0])},"geometry":{geometry},"properties":'
        f"{json.dumps(properties, ensure_ascii=False, sort_keys=True)}}}"
    )
