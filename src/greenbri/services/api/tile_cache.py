"""Fast vector tiles: per-zoom simplified geometry precomputed per layer version, and an LRU of tiles.

The rules (documented in ``docs/api.md``, "Vector tiles"); a *unit* is 1/4096 of a tile's width at
the tile's zoom (the MVT extent), a *pixel* is 4 units (a device pixel of a 512-px tile on a 2x screen,
as the dashboard draws them):

- geometry is transformed to Web Mercator once per layer version;
- below zoom ``DETAIL_ZOOM``, lines and polygons are simplified (Douglas-Peucker, ``ST_Simplify``,
  in Web Mercator) with a tolerance of ``LOW_ZOOM_TOLERANCE`` units (half a pixel); from it up
  they are served as stored (only quantised to the tile's 4096 grid, as before);
- below ``DETAIL_ZOOM``, polygon and line parts whose box is smaller than a pixel in both
  directions are dropped, and so is a feature all of whose parts are;
- below ``DETAIL_ZOOM``, points are thinned to one per cell of ``POINT_CELL`` x ``POINT_CELL``
  units, the one with the largest ``population*`` value (when the layer has such a numeric
  column), then the lowest feature id; a tile then carries at most ``POINT_CAP`` points, the same
  order deciding; from ``DETAIL_ZOOM`` up every point is served;
- the simplified geometries of one zoom are built once per layer version, on first use, into an
  in-memory DuckDB table (layers of up to ``PRECOMPUTE_MAX_FEATURES`` features held in memory;
  larger ones are simplified per tile);
- encoded tiles are kept in an LRU keyed by (dataset, version, z, x, y), up to ``max_bytes``.

Access checks stay with the router: a tile is looked up only after the dataset was found visible.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.parquet_files import covering_clause
from greenbri.core.catalog import DatasetVersion
from greenbri.services.api.context import ApiContext
from greenbri.services.api.features import FeatureReader, properties_of, tile_bounds

__all__ = ["TileCache", "TileMaker", "tile_key", "tile_maker", "use_tile_maker"]

#: Web Mercator's world width in metres.
WORLD_M = 40075016.68557849
#: Web Mercator's latitude limit: the world square.
MAX_LATITUDE = 85.0511287798066
EXTENT = 4096
BUFFER = 64
PIXEL_UNITS = 4
DETAIL_ZOOM = 8
SIMPLIFY_MAX_ZOOM = DETAIL_ZOOM - 1
LOW_ZOOM_TOLERANCE = 2.0
POINT_CELL = 32
POINT_CAP = 4096
PRECOMPUTE_MAX_FEATURES = 500_000
#: Table names are unique in the process (tile makers may share one database).
_TABLE_NUMBERS = itertools.count(1)


def unit_m(zoom: int) -> float:
    """One tile unit (1/4096 of a tile) at ``zoom``, in Web Mercator metres."""
    return WORLD_M / float(2**zoom) / EXTENT


def tolerance_units(zoom: int) -> float:
    """Simplification tolerance at ``zoom`` in tile units (0: not simplified)."""
    if zoom > SIMPLIFY_MAX_ZOOM:
        return 0.0
    return LOW_ZOOM_TOLERANCE


def tile_key(dataset: str, version: DatasetVersion) -> str:
    """dataset@version, with the version's recording time (a re-created dataset is a new key)."""
    return f"{dataset}@{version.number}@{version.provenance.recorded_at}"


class TileCache:
    """An LRU of encoded tiles bounded by total bytes, with hit and miss counters."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._bytes = 0
        self._tiles: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self._lock:
            body = self._tiles.get(key)
            if body is None:
                self.misses += 1
                return None
            self._tiles.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            previous = self._tiles.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous)
            self._tiles[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._tiles.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._tiles)

    @property
    def size_bytes(self) -> int:
        return self._bytes


@dataclass
class _Layer:
    """What is precomputed for one layer version: its kind, rank column and per-zoom tables."""

    points: bool
    rank: str | None
    levels: dict[int, str]


_MAKER = "tile-maker|1"


def tile_maker(context: ApiContext) -> TileMaker:
    """The API's tile maker (one per app, on the context's cache; built on first use)."""
    maker: TileMaker = context.memoised(_MAKER, lambda: TileMaker(context.features))
    return maker


def use_tile_maker(context: ApiContext, maker: TileMaker) -> None:
    """Replace the API's tile maker (benchmarks compare the former path this way)."""
    with context.cache_lock:
        context.cache[_MAKER] = maker


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rank_column(version: DatasetVersion) -> str | None:
    for name, kind in properties_of(version):
        if name.lower().startswith("population") and kind.startswith(("int", "uint", "float", "double")):
            return name
    return None


class TileMaker:
    """Builds tiles from per-zoom precomputed tables (``simplify=True``) or as before (``False``)."""

    def __init__(
        self, reader: FeatureReader, cache: TileCache | None = None, *, simplify: bool = True
    ) -> None:
        self.reader = reader
        self.cache = cache if cache is not None else TileCache()
        self.simplify = simplify
        self._generation = reader.generation
        self._layers: dict[str, _Layer] = {}
        self._lock = threading.Lock()
        self._building: dict[tuple[str, int], threading.Lock] = {}

    def tile(
        self,
        path: Path,
        version: DatasetVersion,
        layer: str,
        zoom: int,
        column: int,
        row: int,
        *,
        simplify: bool | None = None,
    ) -> bytes:
        """The encoded tile, from the LRU when it holds it.

        ``simplify=False`` is the former path (every vertex, every feature, no precomputation),
        kept for comparison (``benchmarks/tiles.py``); None takes the maker's default.
        """
        simplify = self.simplify if simplify is None else simplify
        key = (layer, tile_key(layer, version), zoom, column, row, simplify)
        body = self.cache.get(key)
        if body is not None:
            return body
        if simplify:  # the layer's table may be evicted by the reader meanwhile: then once more
            body = self.reader.retrying(lambda: self._build(path, version, layer, zoom, column, row))
        else:
            body = self.reader.tile(path, version, layer, zoom, column, row)
        self.cache.put(key, body)
        return body

    # -- precomputation ------------------------------------------------------------------------

    def _execute(self, sql: str, values: list[Any] | None = None) -> list[Any]:
        cursor = self.reader.cursor()
        try:
            return list(cursor.execute(sql, values or []).fetchall())
        finally:
            cursor.close()

    def _layer(self, path: Path, version: DatasetVersion, layer: str) -> _Layer:
        key = tile_key(layer, version)
        with self._lock:
            if self._generation != self.reader.generation:  # the database was closed: rebuild
                self._layers.clear()
                self._generation = self.reader.generation
            found = self._layers.get(key)
            if found is not None:
                return found
            lock = self._building.setdefault((key, -2), threading.Lock())  # -1 is the base level
        with lock:
            with self._lock:
                if key in self._layers:
                    return self._layers[key]
            table, parameters = self.reader.source(path, version)
            kinds = {
                str(row[0]).upper()
                for row in self._execute(
                    f"SELECT DISTINCT ST_GeometryType(geometry) FROM {table} WHERE geometry IS NOT NULL",
                    parameters,
                )
            }
            found = _Layer(bool(kinds) and kinds <= {"POINT", "MULTIPOINT"}, _rank_column(version), {})
            with self._lock:
                for stale in [name for name in self._layers if name.split("@")[0] == layer]:
                    for level in self._layers.pop(stale).levels.values():
                        self._execute(f"DROP TABLE IF EXISTS {level}")
                    for building in [item for item in self._building if item[0] == stale]:
                        del self._building[building]
                self._layers[key] = found
        return found

    def _level(self, path: Path, version: DatasetVersion, layer: str, info: _Layer, zoom: int) -> str:
        """The table of one zoom level (fid, g in Web Mercator, rank r, its box), built once.

        Level -1 (every feature as stored, in Web Mercator) is built first; the others from it.
        """
        level = self._level_zoom(info, zoom)
        if level >= 0:
            self._level(path, version, layer, info, DETAIL_ZOOM if info.points else SIMPLIFY_MAX_ZOOM + 1)
        key = tile_key(layer, version)
        with self._lock:
            if level in info.levels:
                return info.levels[level]
            lock = self._building.setdefault((key, level), threading.Lock())
        with lock:
            with self._lock:
                if level in info.levels:
                    return info.levels[level]
                name = f"tiles_{next(_TABLE_NUMBERS)}"
            if level < 0:
                table, parameters = self.reader.source(path, version)
                sql = self._base_sql(table, info)
            else:
                sql, parameters = self._level_sql(info.levels[-1], info, level), []
            self._execute(f"CREATE TABLE {name} AS {sql}", parameters)
            with self._lock:
                info.levels[level] = name
            return name

    @staticmethod
    def _level_zoom(info: _Layer, zoom: int) -> int:
        """The zoom whose table serves ``zoom``; -1 is the unsimplified Web Mercator table."""
        if info.points:
            return zoom if zoom < DETAIL_ZOOM else -1
        return zoom if zoom <= SIMPLIFY_MAX_ZOOM else -1

    @staticmethod
    def _base_sql(table: str, info: _Layer) -> str:
        """Every feature in Web Mercator (polygons cut at the world square's latitudes), ranked."""
        if info.points:
            geometry = "ST_Transform(geometry, 'EPSG:4326', 'EPSG:3857', true)"
            rank = f"{_quoted(info.rank)} DESC NULLS LAST, " if info.rank else ""
        else:
            geometry = (
                f"ST_Transform(CASE WHEN ST_YMin(geometry) < -{MAX_LATITUDE} OR ST_YMax(geometry) > {MAX_LATITUDE}"
                f" THEN ST_Intersection(geometry, ST_MakeEnvelope(-180, -{MAX_LATITUDE}, 180, {MAX_LATITUDE}))"
                " ELSE geometry END, 'EPSG:4326', 'EPSG:3857', true)"
            )
            rank = ""
        body = (
            f"SELECT fid, {geometry} AS g, row_number() OVER (ORDER BY {rank}fid) AS r"
            f" FROM {table} WHERE geometry IS NOT NULL"
        )
        return _boxed(body)

    @staticmethod
    def _level_sql(base: str, info: _Layer, level: int) -> str:
        if info.points:
            cell = unit_m(level) * POINT_CELL
            return _boxed(
                f"SELECT fid, g, r FROM {base} QUALIFY row_number() OVER (PARTITION BY"
                f" floor(ST_X(g) / {cell!r}), floor(ST_Y(g) / {cell!r}) ORDER BY r) = 1"
            )
        body = f"SELECT fid, g, r FROM {base}"
        if level < DETAIL_ZOOM:
            pixel = unit_m(level) * PIXEL_UNITS
            body += f" WHERE xmax - xmin >= {pixel!r} OR ymax - ymin >= {pixel!r}"
            keep = (
                f"(ST_XMax(d.geom) - ST_XMin(d.geom) >= {pixel!r}"
                f" OR ST_YMax(d.geom) - ST_YMin(d.geom) >= {pixel!r})"
            )
            body = (
                "SELECT fid, r, list_transform(list_filter(ST_Dump(g), d -> "
                f"{keep}), d -> d.geom) AS parts FROM ({body})"
            )
            body = f"SELECT fid, ST_Collect(parts) AS g, r FROM ({body}) WHERE len(parts) > 0"
        tolerance = unit_m(level) * tolerance_units(level)
        # Douglas-Peucker is ten times faster than the topology-preserving variant; a feature it
        # would empty keeps its geometry (it is larger than a pixel, or it would have been dropped).
        # Materialised steps: DuckDB would otherwise inline (and recompute) each expression.
        return _boxed(
            f"WITH parts AS MATERIALIZED ({body}), simple AS MATERIALIZED (SELECT fid, g AS original,"
            f" ST_Simplify(g, {tolerance!r}) AS g, r FROM parts) SELECT fid,"
            " CASE WHEN ST_IsEmpty(g) THEN original ELSE g END AS g, r FROM simple"
        )

    # -- tiles ---------------------------------------------------------------------------------

    def _build(
        self, path: Path, version: DatasetVersion, layer: str, zoom: int, column: int, row: int
    ) -> bytes:
        if version.feature_count > PRECOMPUTE_MAX_FEATURES:
            return self._build_inline(path, version, layer, zoom, column, row)
        fields = "".join(
            f", {_quoted(name)}: {_tile_value(name, kind, 'a.')}" for name, kind in properties_of(version)
        )
        info = self._layer(path, version, layer)
        level = self._level(path, version, layer, info, zoom)
        table, parameters = self.reader.source(path, version)
        size = WORLD_M / 2**zoom
        west = -WORLD_M / 2 + column * size
        north = WORLD_M / 2 - row * size
        margin = size * BUFFER / EXTENT
        east, south = west + size, north - size
        cap = f" ORDER BY r LIMIT {POINT_CAP}" if info.points and zoom < DETAIL_ZOOM else ""
        where = f"xmin <= {east + margin!r} AND xmax >= {west - margin!r} AND ymin <= {north + margin!r} AND ymax >= {south - margin!r}"
        inside = f"xmin >= {west - margin!r} AND xmax <= {east + margin!r} AND ymin >= {south - margin!r} AND ymax <= {north + margin!r}"
        # Clipping is half the cost of a big tile; when every feature lies inside the buffered
        # tile (low zooms) it is skipped (ST_AsMVTGeom wants the flag as a constant).
        crossing = self._execute(f"SELECT count(*) FROM {level} WHERE {where} AND NOT ({inside})")
        clip = "true" if crossing[0][0] else "false"
        sql = (
            f"WITH shapes AS MATERIALIZED (SELECT fid, ST_AsMVTGeom(g, ST_Extent(ST_TileEnvelope(?, ?, ?)),"
            f" {EXTENT}, {BUFFER}, {clip}) AS geom FROM (SELECT fid, g FROM {level} WHERE {where}{cap}))"
            f" SELECT ST_AsMVT(feature, ?, {EXTENT}, 'geom', 'fid') FROM ("
            f"SELECT {{'geom': s.geom, 'fid': s.fid{fields}}} AS feature"
            f" FROM shapes s JOIN {table} a ON a.fid = s.fid"
            " WHERE s.geom IS NOT NULL AND NOT ST_IsEmpty(s.geom))"
        )
        values: list[Any] = [zoom, column, row, layer]
        found = self._execute(sql, [*values, *parameters])
        return bytes(found[0][0]) if found and found[0][0] is not None else b""

    def _build_inline(
        self, path: Path, version: DatasetVersion, layer: str, zoom: int, column: int, row: int
    ) -> bytes:
        """Large layers (read from the file): simplified per tile, no precomputation."""
        west, south, east, north = tile_bounds(zoom, column, row)
        margin = (east - west) * BUFFER / EXTENT
        table, parameters = self.reader.source(path, version)
        fields = "".join(
            f", {_quoted(name)}: {_tile_value(name, kind)}" for name, kind in properties_of(version)
        )
        tolerance = unit_m(zoom) * tolerance_units(zoom)
        geometry = "ST_Transform(geometry, 'EPSG:4326', 'EPSG:3857', true)"
        if tolerance > 0:
            geometry = f"ST_Simplify({geometry}, {tolerance!r})"
        meets, meets_values = covering_clause(
            (
                max(west - margin, -180.0),
                max(south - margin, -90.0),
                min(east + margin, 180.0),
                min(north + margin, 90.0),
            )
        )
        sql = (
            f"SELECT ST_AsMVT(feature, ?, {EXTENT}, 'geom', 'fid') FROM ("
            f"SELECT {{'geom': ST_AsMVTGeom({geometry}, ST_Extent(ST_TileEnvelope(?, ?, ?)), {EXTENT}, {BUFFER}, true),"
            f" 'fid': fid{fields}}} AS feature FROM {table}"
            f" WHERE {meets}"
            ") WHERE feature.geom IS NOT NULL AND NOT ST_IsEmpty(feature.geom)"
        )
        values: list[Any] = [layer, zoom, column, row, *parameters, *meets_values]
        found = self._execute(sql, values)
        return bytes(found[0][0]) if found and found[0][0] is not None else b""


def _boxed(body: str) -> str:
    """fid, g, r and g's box, in rank order, from a query of fid, g, r (computed once)."""
    return (
        f"WITH shapes AS MATERIALIZED ({body}) SELECT fid, g, r, ST_XMin(g) AS xmin, ST_YMin(g) AS ymin,"
        " ST_XMax(g) AS xmax, ST_YMax(g) AS ymax FROM shapes"
        " WHERE g IS NOT NULL AND NOT ST_IsEmpty(g) ORDER BY r"
    )


def _tile_value(name: str, kind: str, prefix: str = "") -> str:
    if kind.startswith(("int", "uint", "float", "double", "bool", "string")) or kind == "large_string":
        return prefix + _quoted(name)
    return f"CAST({prefix}{_quoted(name)} AS VARCHAR)"
