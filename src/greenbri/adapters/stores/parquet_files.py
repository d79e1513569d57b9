"""Writing and reading one dataset version as (Geo)Parquet.

Vector layers are written as GeoParquet 1.1: geometry as WKB, the CRS as
PROJJSON in the ``geo`` metadata, and a ``bbox`` covering column so readers
(DuckDB, geopandas, GDAL) can skip row groups outside a query box. Tables are
plain Parquet. Both use zstd compression.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
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

__all__ = ["WrittenFile", "read_frame", "version_of", "write_frame"]

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
    if _is_vector(frame):
        frame.to_parquet(
            path,
            compression="zstd",
            write_covering_bbox=True,
            schema_version="1.1.0",
            row_group_size=_ROW_GROUP_SIZE,
        )
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
        spatial_extent=_spatial_extent(frame),
        temporal_extent=_temporal_extent(frame),
        crs="EPSG:4326" if _is_vector(frame) else "",
    )


def _spatial_extent(frame: Any) -> BoundingBox | None:
    if not _is_vector(frame) or frame.empty:
        return None
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in frame.total_bounds)
    return BoundingBox(min_lon, min_lat, max_lon, max_lat)


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
        frame = gpd.read_parquet(path, columns=columns, bbox=bbox)
        return frame.drop(columns=["bbox"], errors="ignore")
    return pd.read_parquet(path, columns=columns)
