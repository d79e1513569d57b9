"""Export a dataset version as GeoJSON, GeoParquet or CSV.

Exports keep every feature and attribute: GeoJSON is written by GDAL with full
coordinate precision; CSV carries geometry as full-precision WKT in a
``geometry`` column (which greenbri's importer reads back); GeoParquet is the
stored file itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import shapely

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import InputError

__all__ = ["EXPORT_FORMATS", "export_dataset"]

EXPORT_FORMATS = ("geojson", "geoparquet", "csv")


def _check_format(export_format: str, kind: DatasetKind) -> str:
    export_format = export_format.lower()
    if export_format == "parquet":
        export_format = "geoparquet"
    if kind is DatasetKind.DOCUMENT:
        return "file"
    allowed = EXPORT_FORMATS if kind is DatasetKind.VECTOR_LAYER else ("geoparquet", "csv")
    if export_format not in allowed:
        raise InputError(
            f"Cannot export a {kind.value} as {export_format!r}.",
            hint=f"choose one of: {', '.join(allowed)}.",
        )
    return export_format


def export_dataset(
    store: EmbeddedStore,
    dataset_id: str,
    destination: Path,
    export_format: str = "geojson",
    version: int | None = None,
) -> Path:
    """Write a version of ``dataset_id`` to ``destination`` and return the path written."""
    record = store.get(dataset_id)
    chosen = _check_format(export_format, record.kind)
    source = store.version_path(dataset_id, version)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.partial")
    temporary.unlink(missing_ok=True)
    if chosen in ("geoparquet", "file"):
        shutil.copyfile(source, temporary)
    elif chosen == "geojson":
        frame = store.read(dataset_id, version)
        pyogrio.write_dataframe(frame, temporary, driver="GeoJSON")
    else:
        frame = store.read(dataset_id, version)
        _write_csv(frame, temporary, vector=record.kind is DatasetKind.VECTOR_LAYER)
    temporary.replace(destination)
    return destination


def _write_csv(frame: pd.DataFrame, path: Path, *, vector: bool) -> None:
    table = pd.DataFrame(frame)
    if vector:
        geometry = frame.geometry
        table = table.drop(columns=[geometry.name])
        table["geometry"] = shapely.to_wkt(geometry.values, rounding_precision=-1, trim=True)
    table.to_csv(path, index=False, encoding="utf-8")
