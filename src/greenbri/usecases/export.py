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

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import InputError

__all__ = ["EXPORT_FORMATS", "export_dataset"]

EXPORT_FORMATS = ("geojson", "geoparquet", "csv")
_SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".parquet": "geoparquet",
    ".geoparquet": "geoparquet",
    ".csv": "csv",
}


def format_for(destination: Path, export_format: str | None) -> str:
    """The export format: as given, else from the destination's suffix; they must agree."""
    by_suffix = _SUFFIXES.get(Path(destination).suffix.lower())
    if export_format is None:
        if by_suffix is None:
            raise InputError(
                f"Cannot tell the export format from the file name {Path(destination).name!r}.",
                hint="end it in .geojson, .parquet or .csv, or pass --format.",
            )
        return by_suffix
    chosen = "geoparquet" if export_format.lower() == "parquet" else export_format.lower()
    if by_suffix is not None and by_suffix != chosen:
        raise InputError(
            f"--format {export_format} does not match the file name {Path(destination).name!r}.",
            hint=f"use a name ending in the format's suffix, or --format {by_suffix}.",
        )
    return chosen


def _check_format(export_format: str, kind: DatasetKind) -> str:
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
    store: DatasetStore,
    dataset_id: str,
    destination: Path,
    export_format: str | None = None,
    version: int | None = None,
) -> Path:
    """Write a version of ``dataset_id`` to ``destination`` and return the path written.

    The format is ``export_format`` or, when None, the destination's suffix; a
    document is copied as it is, whatever the name.
    """
    destination = Path(destination)
    found, source = store.locate(dataset_id, version)
    chosen = (
        "file"
        if found.kind is DatasetKind.DOCUMENT
        else _check_format(format_for(destination, export_format), found.kind)
    )
    if destination.is_dir():
        raise InputError(
            "The destination is a folder.", source=str(destination), hint="give a file name to write."
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    with renamed_into_place(destination) as temporary:
        if chosen in ("geoparquet", "file"):
            shutil.copyfile(source, temporary)
        elif chosen == "geojson":
            frame = store.read(dataset_id, found.number)
            pyogrio.write_dataframe(frame, temporary, driver="GeoJSON", layer=destination.stem)
        else:
            frame = store.read(dataset_id, found.number)
            _write_csv(frame, temporary, vector=found.kind is DatasetKind.VECTOR_LAYER)
    return destination


def _write_csv(frame: pd.DataFrame, path: Path, *, vector: bool) -> None:
    table = pd.DataFrame(frame)
    if vector:
        geometry = frame.geometry
        table = table.drop(columns=[geometry.name])
        table["geometry"] = shapely.to_wkt(geometry.values, rounding_precision=-1, trim=True)
    table.to_csv(path, index=False, encoding="utf-8")
