"""Vector formats: GeoJSON, GeoPackage, Shapefile and file geodatabase (plain or zipped),
FlatGeobuf, GeoParquet.

OGR formats are read with pyogrio (a zipped shapefile or geodatabase in place,
through GDAL's ``/vsizip/``). Geometries arrive as shapely objects; a
geometry whose WKB shapely refuses (an unclosed ring) is read again raw and
fixed by :func:`greenbri.core.geometry.parse_wkb`, which records the fix.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyogrio.raw
from pyproj import CRS

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.detect import InputFile, choose_named, load_bytes
from greenbri.adapters.readers.parts import RawPart, caught_warnings
from greenbri.adapters.readers.shapefile import Shapefile, explain_missing_prj, shapefile_encoding
from greenbri.core.errors import (
    EmptyInputError,
    EncodingError,
    MalformedInputError,
)
from greenbri.core.geometry import parse_wkb

__all__ = ["read_geoparquet", "read_ogr"]

_OGR_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


def _malformed(name: str, error: Exception) -> MalformedInputError:
    message = str(error).replace("\n", " ")
    if "/vsimem/" in message:
        message = message.split(";")[-1].strip() or message
    return MalformedInputError(
        f"The file cannot be parsed: {message}",
        source=name,
        hint="the file may be truncated or damaged; download or export it again, or check --format.",
    )


#: Formats holding several layers, and what messages call them.
_MULTI_LAYER = {"gpkg": "GeoPackage", "filegdb": "file geodatabase"}


def _choose_layer(source: Any, entry: InputFile, options: ReadOptions) -> str | None:
    """The layer of a GeoPackage or file geodatabase to read; other formats hold one layer."""
    what = _MULTI_LAYER.get(entry.format)
    if what is None:
        return None
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(source)]
    except _OGR_ERRORS as error:
        raise _malformed(entry.name, error) from None
    if not layers:
        raise EmptyInputError(f"The {what} holds no layers.", source=entry.name, hint="check the export.")
    return choose_named(layers, options.layer, entry.name, what, "layer")


def _in_zip(entry: InputFile) -> str:
    """The GDAL path of ``entry.member`` inside the zip ``entry.path`` (the zip itself without one)."""
    archive = f"/vsizip/{entry.path.resolve()}"
    return f"{archive}/{entry.member}" if entry.member else archive


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_ogr(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read one GeoJSON, GeoPackage, Shapefile, file geodatabase or FlatGeobuf input."""
    notes: list[str] = []
    source: Any
    encoding: str | None = None
    shapefile: Shapefile | None = None
    if entry.format == "shapefile":
        shapefile = Shapefile(entry)
        source = _in_zip(entry) if entry.member else str(entry.path)
        encoding = shapefile_encoding(shapefile, options, notes)
    elif entry.format == "filegdb" and entry.path.is_file():
        source = _in_zip(entry)
    elif entry.format == "geojson" and _is_gzip(entry.path):
        source = load_bytes(entry.path, options.max_bytes)
    else:
        source = str(entry.path)
    layer = _choose_layer(source, entry, options)
    with caught_warnings(entry.name, notes):
        try:
            frame = pyogrio.read_dataframe(source, layer=layer, encoding=encoding, on_invalid="ignore")
        except _OGR_ERRORS as error:
            raise _malformed(entry.name, error) from None
        except (UnicodeDecodeError, LookupError) as error:
            raise EncodingError(
                f"The attributes cannot be decoded as {encoding!r}: {error}.",
                source=entry.name,
                hint="fix the .cpg file or pass the right --encoding.",
            ) from None
    if len(frame) == 0:
        raise EmptyInputError("The layer holds no features.", source=entry.name, hint="check the export.")
    geometry = None
    crs: CRS | None = None
    repairs: list[Any] = []
    failures: list[Any] = []
    if "geometry" in frame.columns and hasattr(frame, "crs"):
        geometry = np.asarray(frame.geometry.array, dtype=object)
        crs = frame.crs
        frame = pd.DataFrame(frame.drop(columns="geometry"))
        if any(value is None for value in geometry):
            geometry, repairs, failures = _reread_missing(source, layer, entry, geometry)
    if crs is None and geometry is not None and shapefile is not None:
        if not options.source_crs:
            explain_missing_prj(shapefile)
        if shapefile.has(".prj"):
            notes.append(
                f"{entry.name}: the .prj file cannot be understood; --crs {options.source_crs} was used."
            )
    return RawPart(
        name=entry.name,
        frame=frame.reset_index(drop=True),
        geometry=geometry,
        crs=crs,
        encoding=encoding or "utf-8",
        unit="feature",
        parse_repairs=repairs,
        parse_failures=failures,
        warnings=notes,
    )


def _reread_missing(
    source: Any, layer: str | None, entry: InputFile, geometry: np.ndarray
) -> tuple[np.ndarray, list[Any], list[Any]]:
    """Tell real null geometries from ones shapely refused, and fix what can be fixed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _meta, _fids, wkb, _fields = pyogrio.raw.read(source, layer=layer, columns=[], read_geometry=True)
        except _OGR_ERRORS as error:
            raise _malformed(entry.name, error) from None
    refused = np.array([value is None for value in geometry]) & np.array([value is not None for value in wkb])
    if not refused.any():
        return geometry, [], []
    outcome = parse_wkb(np.where(refused, wkb, None))
    fixed = geometry.copy()
    fixed[refused] = outcome.geometries[refused]
    return fixed, list(outcome.repairs), list(outcome.failures)


def read_geoparquet(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read a GeoParquet file with geopandas (its CRS comes from the ``geo`` metadata)."""
    import geopandas

    notes: list[str] = []
    with caught_warnings(entry.name, notes):
        try:
            frame = geopandas.read_parquet(Path(entry.path))
        except Exception as error:  # pyarrow raises many types for damaged files
            raise _malformed(entry.name, error) from None
    if len(frame) == 0:
        raise EmptyInputError("The file holds no rows.", source=entry.name, hint="check the export.")
    geometry = np.asarray(frame.geometry.array, dtype=object)
    crs = frame.crs
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return RawPart(
        name=entry.name,
        frame=attributes.reset_index(drop=True),
        geometry=geometry,
        crs=crs,
        encoding="utf-8",
        unit="feature",
        warnings=notes,
    )
