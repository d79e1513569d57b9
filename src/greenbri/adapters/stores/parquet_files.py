"""Writing and reading one dataset version as (Geo)Parquet.

Vector layers are written as GeoParquet 1.1: geometry as WKB, the CRS as
PROJJSON in the ``geo`` metadata, and a ``bbox`` covering column so readers
(DuckDB, geopandas, GDAL) can skip row groups outside a query box. Tables are
plain Parquet. Both use zstd compression.

Boxes follow GeoJSON's antimeridian convention (RFC 7946 section 5.2): the box of a
feature that crosses 180 degrees, in the ``bbox`` covering, in the ``geo`` metadata
and in the catalog's extent, has its western longitude greater than its eastern
one, instead of claiming the whole world. Queries go through :func:`covering_clause`
(SQL) and :func:`read_frame` (pyarrow), which read such boxes as two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from greenbri.core.catalog import (
    BoundingBox,
    DatasetKind,
    DatasetVersion,
    FeatureRepair,
    FieldSchema,
    Provenance,
    TemporalExtent,
)
from greenbri.core.geometry import split_at_antimeridian, wrapped_bounds, wrapped_extent

__all__ = ["WrittenFile", "covering_clause", "query_boxes", "read_frame", "version_of", "write_frame"]

_TIME_COLUMNS = ("year", "date", "time", "datetime", "timestamp")
_ROW_GROUP_SIZE = 50_000


@dataclass(frozen=True)
class WrittenFile:
    """What was written: the schema, the extents and the row count."""

    schema: tuple[FieldSchema, ...]
    feature_count: int
    spatial_extent: BoundingBox | None
    temporal_extent: TemporalExtent | None
    crs: str


def version_of(
    written: WrittenFile | None,
    *,
    number: int,
    provenance: Provenance,
    file_name: str,
    kind: DatasetKind,
    repairs: tuple[FeatureRepair, ...] = (),
    warnings: tuple[str, ...] = (),
) -> DatasetVersion:
    """The catalog entry of a version made of ``written`` (``None`` for a document: one feature)."""
    return DatasetVersion(
        number=number,
        provenance=provenance,
        schema=written.schema if written else (),
        feature_count=written.feature_count if written else 1,
        spatial_extent=written.spatial_extent if written else None,
        temporal_extent=written.temporal_extent if written else None,
        crs=written.crs if written else "",
        repairs=repairs,
        warnings=warnings,
        file_name=file_name,
        kind=kind,
    )


def _is_vector(frame: Any) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns


def write_frame(frame: Any, path: Path) -> WrittenFile:
    """Write ``frame`` to ``path`` and describe what was written."""
    frame = frame.reset_index(drop=True)
    extent = None
    if _is_vector(frame):
        frame.to_parquet(
            path,
            compression="zstd",
            write_covering_bbox=True,
            schema_version="1.1.0",
            row_group_size=_ROW_GROUP_SIZE,
        )
        bounds = wrapped_bounds(np.asarray(frame.geometry.to_numpy(), dtype=object))
        extent = wrapped_extent(bounds)
        with np.errstate(invalid="ignore"):
            crossing = bounds[:, 0] > bounds[:, 2]
        if crossing.any():
            _wrap_boxes(path, bounds, crossing, extent)
    else:
        pd.DataFrame(frame).to_parquet(path, compression="zstd", index=False, row_group_size=_ROW_GROUP_SIZE)
    schema = tuple(
        FieldSchema(name=column.name, type=str(column.type))
        for column in pq.read_schema(path)
        if column.name != "bbox" or not _is_vector(frame)
    )
    return WrittenFile(
        schema=schema,
        feature_count=len(frame),
        spatial_extent=BoundingBox(*extent) if extent else None,
        temporal_extent=_temporal_extent(frame),
        crs="EPSG:4326" if _is_vector(frame) else "",
    )


def _wrap_boxes(
    path: Path, bounds: np.ndarray, crossing: np.ndarray, extent: tuple[float, float, float, float] | None
) -> None:
    """Rewrite the ``bbox`` covering of the features crossing the antimeridian (west > east) and
    the file's ``geo`` bbox (geopandas writes planar boxes: the whole world for such a feature)."""
    table = pq.read_table(path)
    covering = table.column("bbox").combine_chunks()
    columns = {name: covering.field(name).to_numpy(zero_copy_only=False).copy() for name in ("xmin", "xmax")}
    columns["xmin"][crossing] = bounds[crossing, 0]
    columns["xmax"][crossing] = bounds[crossing, 2]
    fields = [covering.type.field(index) for index in range(covering.type.num_fields)]
    arrays = [
        pa.array(columns[field.name], field.type) if field.name in columns else covering.field(field.name)
        for field in fields
    ]
    replaced = pa.StructArray.from_arrays(arrays, fields=fields, mask=covering.is_null())
    table = table.set_column(table.schema.get_field_index("bbox"), table.schema.field("bbox"), replaced)
    metadata = dict(table.schema.metadata or {})
    geo = json.loads(metadata[b"geo"])
    geo["columns"][geo["primary_column"]]["bbox"] = list(extent) if extent else []
    metadata[b"geo"] = json.dumps(geo).encode()
    pq.write_table(
        table.replace_schema_metadata(metadata), path, compression="zstd", row_group_size=_ROW_GROUP_SIZE
    )


def query_boxes(bbox: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """A query box crossing the antimeridian (min_lon > max_lon) as two boxes; others as they are."""
    return split_at_antimeridian(bbox)


def covering_clause(box: tuple[float, float, float, float], column: str = "bbox") -> tuple[str, list[float]]:
    """SQL (DuckDB) for "the row's covering box meets ``box``" (a box from :func:`query_boxes`), and
    its parameters; a covering with xmin > xmax crosses the antimeridian."""
    west, south, east, north = box
    c = column
    sql = (
        f"({c}.ymin <= ? AND {c}.ymax >= ? AND CASE WHEN {c}.xmin <= {c}.xmax"
        f" THEN {c}.xmin <= ? AND {c}.xmax >= ? ELSE {c}.xmin <= ? OR {c}.xmax >= ? END)"
    )
    return sql, [north, south, east, west, east, west]


def _covering_filter(bbox: tuple[float, float, float, float]) -> ds.Expression:
    xmin, xmax = pc.field("bbox", "xmin"), pc.field("bbox", "xmax")
    ymin, ymax = pc.field("bbox", "ymin"), pc.field("bbox", "ymax")
    found = None
    for west, south, east, north in query_boxes(bbox):
        plain = (xmin <= xmax) & (xmin <= east) & (xmax >= west)
        wrapped = (xmin > xmax) & ((xmin <= east) | (xmax >= west))
        meets = (ymin <= north) & (ymax >= south) & (plain | wrapped)
        found = meets if found is None else found | meets
    assert found is not None
    return found


def _temporal_extent(frame: Any) -> TemporalExtent | None:
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series) and series.notna().any():
            return TemporalExtent(series.min().isoformat(), series.max().isoformat())
    for column in frame.columns:
        series = frame[column]
        if (
            str(column).lower() in _TIME_COLUMNS
            and pd.api.types.is_integer_dtype(series)
            and series.notna().any()
        ):
            return TemporalExtent(str(int(series.min())), str(int(series.max())))
    return None


def read_frame(
    path: Path,
    *,
    vector: bool,
    bbox: tuple[float, float, float, float] | None = None,
    columns: list[str] | None = None,
) -> Any:
    """Read a stored version; for vector layers, optionally only features meeting ``bbox``."""
    if vector:
        if bbox is None or "bbox" not in pq.read_schema(path).names:
            frame = gpd.read_parquet(path, columns=columns, bbox=bbox)
        else:  # geopandas' own bbox filter misses a covering that crosses the antimeridian
            frame = gpd.read_parquet(path, columns=columns, filters=_covering_filter(bbox))
        return frame.drop(columns=["bbox"], errors="ignore")
    return pd.read_parquet(path, columns=columns)
