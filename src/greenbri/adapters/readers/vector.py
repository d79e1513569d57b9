"""Vector formats: GeoJSON, GeoPackage, Shapefile (plain or zipped), FlatGeobuf, GeoParquet.

OGR formats are read with pyogrio. Geometries arrive as shapely objects; a
geometry whose WKB shapely refuses (an unclosed ring) is read again raw and
fixed by :func:`greenbri.core.geometry.parse_wkb`, which records the fix.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
from pyproj import CRS

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.detect import InputFile, load_bytes
from greenbri.adapters.readers.encoding import (
    decode_text,
    encoding_from_cpg,
    encoding_from_ldid,
)
from greenbri.adapters.readers.parts import RawPart, caught_warnings
from greenbri.core.errors import (
    CoordinateReferenceError,
    EmptyInputError,
    EncodingError,
    InputError,
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


class _Shapefile:
    """The sidecar files of a shapefile, on disk or inside a zip."""

    def __init__(self, entry: InputFile) -> None:
        self.entry = entry
        if entry.member:
            with zipfile.ZipFile(entry.path) as archive:
                self._names = {name.lower(): name for name in archive.namelist()}
            self.stem = str(PurePosixPath(entry.member).with_suffix(""))
        else:
            self._names = {item.name.lower(): item.name for item in entry.files}
            self.stem = entry.path.stem

    def read(self, suffix: str) -> bytes | None:
        name = self._names.get(f"{self.stem}{suffix}".lower())
        if name is None:
            return None
        if self.entry.member:
            with zipfile.ZipFile(self.entry.path) as archive:
                return archive.read(name)
        return (self.entry.path.parent / name).read_bytes()

    def has(self, suffix: str) -> bool:
        return f"{self.stem}{suffix}".lower() in self._names


def _shapefile_encoding(shapefile: _Shapefile, options: ReadOptions, notes: list[str]) -> str:
    """.cpg, then --encoding, then the DBF language driver id, then detection."""
    name = shapefile.entry.name
    cpg = shapefile.read(".cpg")
    if cpg is not None:
        text = cpg.decode("ascii", errors="replace")
        found = encoding_from_cpg(text)
        if found:
            if options.encoding and options.encoding.lower() != found:
                notes.append(f"{name}: the .cpg file says {found}; --encoding {options.encoding} was ignored.")
            return found
        notes.append(f"{name}: the .cpg file names an unknown encoding {text.strip()!r}; ignored.")
    if options.encoding:
        return options.encoding
    dbf = shapefile.read(".dbf") or b""
    found = encoding_from_ldid(dbf[29]) if len(dbf) > 32 else None
    if found:
        return found
    header = int.from_bytes(dbf[8:10], "little") if len(dbf) > 10 else 0
    records = dbf[header:].rstrip(b"\x1a").replace(b"\x00", b" ")  # end-of-file mark, NUL padding
    try:
        return decode_text(records, name)[1]
    except EncodingError as error:
        raise EncodingError(
            f"The attribute table (.dbf) is not in a recognisable encoding and there is no .cpg file: "
            f"{error.message}",
            source=name,
            hint="add a .cpg file naming the encoding (e.g. UTF-8 or GBK), or pass --encoding.",
        ) from None


def _choose_layer(source: Any, entry: InputFile, options: ReadOptions) -> str | None:
    """The GeoPackage layer to read; other formats hold one layer."""
    if entry.format != "gpkg":
        return None
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(source)]
    except _OGR_ERRORS as error:
        raise _malformed(entry.name, error) from None
    if not layers:
        raise EmptyInputError("The GeoPackage holds no layers.", source=entry.name, hint="check the export.")
    if options.layer:
        if options.layer not in layers:
            raise InputError(
                f"The GeoPackage has no layer {options.layer!r}; it has: {', '.join(layers)}.",
                source=entry.name,
                hint="pass one of those names with --layer.",
            )
        return options.layer
    if len(layers) > 1:
        raise InputError(
            f"The GeoPackage holds {len(layers)} layers: {', '.join(layers)}; which one to read is not said.",
            source=entry.name,
            hint="pass the layer's name with --layer.",
        )
    return layers[0]


def read_ogr(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read one GeoJSON, GeoPackage, Shapefile or FlatGeobuf input."""
    notes: list[str] = []
    source: Any
    encoding: str | None = None
    shapefile: _Shapefile | None = None
    if entry.format == "shapefile":
        shapefile = _Shapefile(entry)
        source = f"/vsizip/{entry.path.resolve()}/{entry.member}" if entry.member else str(entry.path)
        encoding = _shapefile_encoding(shapefile, options, notes)
    elif entry.format == "geojson" and entry.path.suffix.lower() == ".gz":
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
            _explain_missing_prj(shapefile)
        if shapefile.has(".prj"):
            notes.append(f"{entry.name}: the .prj file cannot be understood; --crs {options.source_crs} was used.")
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


def _explain_missing_prj(shapefile: _Shapefile) -> None:
    name = shapefile.entry.name
    if shapefile.has(".prj"):
        raise CoordinateReferenceError(
            "The shapefile's .prj file cannot be understood, so its coordinate reference system is unknown.",
            source=name,
            hint="replace the .prj with a valid one, or pass --crs EPSG:XXXX (e.g. --crs EPSG:4326).",
        )
    raise CoordinateReferenceError(
        "The shapefile has no .prj file, so its coordinate reference system is unknown.",
        source=name,
        hint="put the .prj file beside the .shp, or pass --crs EPSG:XXXX (e.g. --crs EPSG:4326 for "
        "longitude/latitude in degrees).",
    )


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
