"""Geometries from table columns: longitude/latitude pairs or WKT.

Columns named with ``--lon-column``/``--lat-column``/``--wkt-column`` must
exist. Otherwise (CSV and Excel only) common names are recognised,
case-insensitively: longitude ``longitude, lon, lng, long, x``; latitude
``latitude, lat, y``; WKT ``wkt, geometry, geom, the_geom, wkt_geom`` (only when
the first value looks like WKT). A WKT column wins over a lon/lat pair. The
lon/lat columns stay in the table as attributes; a WKT column becomes the
geometry.

Coordinates are decimal numbers in ``options.source_crs`` (default EPSG:4326).
A row with both coordinates blank has no geometry (see
:attr:`ReadOptions.allow_missing_geometry`); a row with only one blank, or with
text that is not a number, is an error naming the row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.parts import RawPart, location, parse_crs
from greenbri.core.errors import (
    CoordinateRangeError,
    GeometryError,
    MalformedInputError,
    MissingColumnError,
)
from greenbri.core.geometry import parse_wkt

__all__ = ["LAT_NAMES", "LON_NAMES", "WKT_NAMES", "geometry_from_columns"]

LON_NAMES = ("longitude", "lon", "lng", "long", "x")
LAT_NAMES = ("latitude", "lat", "y")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "wkt_geom")
_WKT_START = re.compile(
    r"^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\b",
    re.IGNORECASE,
)
_LISTED = 10


def _available(frame: pd.DataFrame) -> str:
    return ", ".join(repr(column) for column in frame.columns)


def _require(part: RawPart, column: str, option: str) -> str:
    if column not in part.frame.columns:
        raise MissingColumnError(
            f"The column {column!r} named by {option} is not in the table. Available columns: "
            f"{_available(part.frame)}.",
            source=part.name,
            location=f"column {column!r}",
            hint=f"pass one of the available column names (exactly as written) with {option}.",
        )
    return column


def _find(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lookup: dict[str, str] = {}
    for column in frame.columns:
        lookup.setdefault(str(column).strip().lower(), str(column))
    for name in names:
        if name in lookup:
            return lookup[name]
    return None


def _blank(values: pd.Series) -> np.ndarray:
    blank = values.isna().to_numpy(dtype=bool)
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values.astype("string").str.strip()
        blank = blank | (text == "").fillna(True).to_numpy(dtype=bool)
    return blank


def _rows(part: RawPart, indices: np.ndarray) -> str:
    shown = ", ".join(str(int(index) + 1) for index in indices[:_LISTED])
    more = f" and {len(indices) - _LISTED} more" if len(indices) > _LISTED else ""
    return f"rows {shown}{more}"


def _numbers(part: RawPart, column: str, blank: np.ndarray) -> np.ndarray:
    raw = part.frame[column]
    values = pd.to_numeric(raw.where(~blank), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~blank & np.isnan(values))
    if len(bad):
        first = int(bad[0])
        raise MalformedInputError(
            f"The coordinate {raw.iloc[first]!r} in column {column!r} is not a number"
            f"{f' ({len(bad) - 1} more rows are like it)' if len(bad) > 1 else ''}.",
            source=part.name,
            location=location("row", first),
            hint="write coordinates as decimal degrees with a '.' decimal point, e.g. 116.397, "
            "without degree signs or letters.",
        )
    return values


_RANGE_HINT = (
    "lon/lat swapped? wrong CRS? check --lon-column/--lat-column, or pass the right "
    "--crs when the coordinates are not degrees (e.g. --crs EPSG:3857)."
)


def _points(part: RawPart, lon_column: str, lat_column: str, options: ReadOptions) -> RawPart:
    crs = (
        parse_crs(options.source_crs, part.name) if options.source_crs else parse_crs("EPSG:4326", part.name)
    )
    lon_blank = _blank(part.frame[lon_column])
    lat_blank = _blank(part.frame[lat_column])
    half = np.flatnonzero(lon_blank != lat_blank)
    if len(half):
        first = int(half[0])
        has, lacks = ("latitude", "longitude") if lon_blank[first] else ("longitude", "latitude")
        raise GeometryError(
            f"The row has a {has} but no {lacks} (columns {lon_column!r}/{lat_column!r})"
            f"{f'; {len(half)} rows are like it: {_rows(part, half)}' if len(half) > 1 else ''}.",
            source=part.name,
            location=location("row", first),
            hint="fill in both coordinates, or blank both so that the row has no geometry.",
        )
    lon = _numbers(part, lon_column, lon_blank)
    lat = _numbers(part, lat_column, lat_blank)
    present = ~lon_blank
    if crs.is_geographic:
        for values, column, limit in ((lon, lon_column, 180), (lat, lat_column, 90)):
            with np.errstate(invalid="ignore"):
                wrong = np.flatnonzero(np.abs(values) > limit)
            if len(wrong) and options.coordinate_errors_per_row:
                for index in wrong.tolist():
                    part.row_errors.setdefault(
                        index,
                        f"{part.name}, {location('row', index)}, column {column!r}: the value "
                        f"{values[index]:g} is outside -{limit}..{limit}, so the row has no usable "
                        f"location. Fix: {_RANGE_HINT}",
                    )
                present[wrong] = False
            elif len(wrong):
                first = int(wrong[0])
                others = (
                    f"; {len(wrong)} rows are out of range: {_rows(part, wrong)}" if len(wrong) > 1 else ""
                )
                raise CoordinateRangeError(
                    f"The value {values[first]:g} in column {column!r} is outside -{limit}..{limit}{others}.",
                    source=part.name,
                    location=location("row", first),
                    hint=_RANGE_HINT,
                )
    geometry = np.empty(len(lon), dtype=object)
    geometry[present] = shapely.points(lon[present], lat[present])
    part.geometry = geometry
    part.crs = crs
    return part


def _wkt(part: RawPart, column: str, options: ReadOptions) -> RawPart:
    blank = _blank(part.frame[column])
    values = part.frame[column].astype(object).where(~blank, None).to_numpy(dtype=object)
    outcome = parse_wkt(values)
    if outcome.failures:
        first = outcome.failures[0]
        count = len(outcome.failures)
        raise GeometryError(
            f"The WKT in column {column!r} cannot be read: {first.problem}"
            f"{f' ({count - 1} more rows are like it)' if count > 1 else ''}.",
            source=part.name,
            location=location("row", first.index),
            hint="write geometries as WKT, e.g. POINT (116.397 39.908) or POLYGON ((...)).",
        )
    part.geometry = outcome.geometries
    part.parse_repairs = list(outcome.repairs)
    part.crs = parse_crs(options.source_crs or "EPSG:4326", part.name)
    part.frame = part.frame.drop(columns=column)
    return part


def _named_or_found(part: RawPart, named: str | None, names: tuple[str, ...], option: str, what: str) -> str:
    if named:
        return _require(part, named, option)
    found = _find(part.frame, names)
    if found is None:
        raise MissingColumnError(
            f"The table has no {what} column (looked for {', '.join(names)}). Available columns: "
            f"{_available(part.frame)}.",
            source=part.name,
            hint=f"name the {what} column with {option}.",
        )
    return found


def geometry_from_columns(part: RawPart, options: ReadOptions, *, detect: bool = True) -> RawPart:
    """Give ``part`` a geometry from its columns if it has geometry columns; else leave it a table."""
    frame = part.frame
    if options.wkt_column:
        return _wkt(part, _require(part, options.wkt_column, "--wkt-column"), options)
    if options.lon_column or options.lat_column:
        lon = _named_or_found(part, options.lon_column, LON_NAMES, "--lon-column", "longitude")
        lat = _named_or_found(part, options.lat_column, LAT_NAMES, "--lat-column", "latitude")
        return _points(part, lon, lat, options)
    if not detect:
        return part
    wkt = _find(frame, WKT_NAMES)
    if wkt is not None:
        first = frame[wkt].dropna()
        if len(first) and isinstance(first.iloc[0], str) and _WKT_START.match(first.iloc[0]):
            return _wkt(part, wkt, options)
    found_lon = _find(frame, LON_NAMES)
    found_lat = _find(frame, LAT_NAMES)
    if found_lon and found_lat:
        return _points(part, found_lon, found_lat, options)
    if found_lon or found_lat:
        has, lacks = ("longitude", "latitude") if found_lon else ("latitude", "longitude")
        part.warnings.append(
            f"{part.name}: found a {has} column {found_lon or found_lat!r} but no {lacks} column, so the "
            "file was read as a table without geometry; name both with --lon-column/--lat-column "
            "to make points."
        )
    return part
