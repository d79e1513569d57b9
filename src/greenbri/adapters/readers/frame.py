"""Whole-input steps after each file was checked: concatenation, renaming, ids, dates, swapped lon/lat."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import geopandas
import numpy as np
import pandas as pd
import shapely

from greenbri.adapters.readers.checks import CheckedPart
from greenbri.adapters.readers.parts import location
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import DuplicateIdError, InputError, MissingColumnError
from greenbri.core.geometry import swap_verdict

__all__ = [
    "COUNTRY_COLUMNS",
    "Origins",
    "apply_mapping",
    "check_ids",
    "combine",
    "normalise_datetimes",
    "swapped_warning",
]

#: Column names taken to hold ISO 3166-1 alpha-3 codes when no country column is named.
COUNTRY_COLUMNS = ("iso3", "iso_a3", "country_iso3")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)


class Origins:
    """Where each row of the combined frame came from, for messages."""

    def __init__(self, parts: list[CheckedPart]) -> None:
        self._parts = parts
        self._starts = np.cumsum([0] + [len(part.frame) for part in parts])

    def describe(self, index: int) -> str:
        number = int(np.searchsorted(self._starts, index, side="right")) - 1
        part = self._parts[number]
        where = location(part.unit, index - int(self._starts[number]))
        return f"{where} of {part.name}" if len(self._parts) > 1 else where

    def source(self, index: int) -> str:
        number = int(np.searchsorted(self._starts, index, side="right")) - 1
        return self._parts[number].name


def combine(parts: list[CheckedPart]) -> tuple[pd.DataFrame, DatasetKind]:
    """One frame of all parts, in order: a GeoDataFrame in EPSG:4326, or a plain table."""
    vector = [part.geometry is not None for part in parts]
    if any(vector) and not all(vector):
        described = ", ".join(
            f"{part.name} ({'features' if has else 'table'})" for part, has in zip(parts, vector, strict=True)
        )
        raise InputError(
            f"Some inputs have geometry and some do not: {described}.",
            source=parts[0].name,
            hint="import files with geometry and tables as separate datasets.",
        )
    frames = []
    for part in parts:
        frame = part.frame.reset_index(drop=True)
        if part.geometry is not None:
            frame = frame.assign(geometry=part.geometry)
        frames.append(frame)
    combined = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True).infer_objects()
    if all(vector):
        return geopandas.GeoDataFrame(
            combined, geometry="geometry", crs="EPSG:4326"
        ), DatasetKind.VECTOR_LAYER
    return pd.DataFrame(combined), DatasetKind.INDICATOR_TABLE


def _available(frame: pd.DataFrame) -> str:
    return ", ".join(repr(column) for column in frame.columns if column != "geometry")


def apply_mapping(frame: pd.DataFrame, mapping: Mapping[str, str], source: str) -> pd.DataFrame:
    """Rename columns ``{source name: target name}``; unknown names and clashes are errors."""
    if not mapping:
        return frame
    unknown = [name for name in mapping if name not in frame.columns]
    if unknown:
        raise MissingColumnError(
            f"The column mapping names columns that are not in the input: {', '.join(map(repr, unknown))}. "
            f"Available columns: {_available(frame)}.",
            source=source,
            location=f"column {unknown[0]!r}",
            hint="use the input's column names exactly (they are case-sensitive) as the mapping's keys.",
        )
    if "geometry" in mapping and isinstance(frame, geopandas.GeoDataFrame):
        raise InputError(
            "The column mapping renames the geometry column; it must stay 'geometry'.",
            source=source,
            location="column 'geometry'",
            hint="remove 'geometry' from the column mapping.",
        )
    renamed = [mapping.get(column, column) for column in frame.columns]
    clashes = sorted({name for name in renamed if renamed.count(name) > 1})
    if clashes:
        raise InputError(
            f"The column mapping would give several columns the name {', '.join(map(repr, clashes))}.",
            source=source,
            hint="map each column to a name no other column has (and not to 'geometry').",
        )
    return frame.rename(columns=dict(mapping))


def check_ids(frame: pd.DataFrame, id_column: str, origins: Origins) -> None:
    """The id column must exist and hold no value twice (blank ids are not compared)."""
    if id_column not in frame.columns:
        raise MissingColumnError(
            f"The id column {id_column!r} is not in the input. Available columns: {_available(frame)}.",
            source=origins.source(0),
            location=f"column {id_column!r}",
            hint="name an existing column with --id-column (after any column mapping).",
        )
    values = frame[id_column]
    duplicated = values.duplicated(keep=False) & values.notna()
    if not duplicated.any():
        return
    repeated = values[duplicated]
    first_value = repeated.iloc[0]
    rows = np.flatnonzero((values == first_value).to_numpy(dtype=bool))
    others = repeated.nunique() - 1
    shown = ", ".join(origins.describe(int(row)) for row in rows[:10])
    raise DuplicateIdError(
        f"The id {first_value!r} in column {id_column!r} appears {len(rows)} times: {shown}"
        f"{f'; {others} more values are repeated' if others else ''}.",
        source=origins.source(int(rows[0])),
        location=origins.describe(int(rows[0])),
        hint="make the ids unique in the source, or choose another --id-column.",
    )


def normalise_datetimes(frame: pd.DataFrame) -> pd.DataFrame:
    """Time-zone-aware datetimes to UTC; text columns holding only ISO 8601 dates to datetimes.

    A text column is converted only when every non-blank value is an ISO 8601
    date or date-time and either all or none carry a time zone; naive values
    stay naive (their zone is unknown). Other date spellings (``03/04/2020``)
    are left as text because they are ambiguous.
    """
    for column in frame.columns:
        if column == "geometry":
            continue
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            frame[column] = values.dt.tz_convert("UTC")
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            converted = _iso_datetimes(values)
            if converted is not None:
                frame[column] = converted
    return frame


def _iso_datetimes(values: pd.Series) -> pd.Series | None:
    present = values.dropna()
    if not len(present) or not isinstance(present.iloc[0], str):
        return None
    if not _ISO_DATETIME.fullmatch(present.iloc[0].strip()):
        return None
    if values.dtype == object and not all(isinstance(value, str) for value in present):
        return None
    text = present.astype(str).str.strip()
    matches = text.str.fullmatch(_ISO_DATETIME.pattern)
    if not matches.all():
        return None
    zoned = text.str.extract(_ISO_DATETIME.pattern)["tz"].notna()
    if zoned.any() and not zoned.all():
        return None
    try:
        return pd.to_datetime(values.where(values.notna(), None), format="ISO8601", utc=bool(zoned.all()))
    except (ValueError, OverflowError):
        return None


def _country_polygons(countries: Any) -> dict[str, Any]:
    columns = {str(column).lower(): column for column in countries.columns}
    code_column = columns.get("iso_a3")
    if code_column is None:
        return {}
    if countries.crs is not None and not countries.crs.equals("EPSG:4326"):
        countries = countries.to_crs("EPSG:4326")
    polygons: dict[str, Any] = {}
    for code, geometry in zip(countries[code_column], countries.geometry, strict=True):
        if isinstance(code, str) and geometry is not None:
            key = code.strip().upper()
            polygons[key] = shapely.union(polygons[key], geometry) if key in polygons else geometry
    return polygons


def swapped_warning(
    frame: pd.DataFrame, countries: Any, country_column: str | None, source: str
) -> str | None:
    """A warning when every point lies outside its claimed country but inside once lon/lat are exchanged."""
    if countries is None or "geometry" not in frame.columns:
        return None
    if country_column:
        if country_column not in frame.columns:
            raise MissingColumnError(
                f"The country column {country_column!r} is not in the input. Available columns: "
                f"{_available(frame)}.",
                source=source,
                location=f"column {country_column!r}",
                hint="name the column holding ISO 3166-1 alpha-3 codes with --country-column.",
            )
        column: str | None = country_column
    else:
        lookup = {str(name).lower(): str(name) for name in frame.columns}
        column = next((lookup[name] for name in COUNTRY_COLUMNS if name in lookup), None)
        if column is None:
            return None
    geometry = np.asarray(frame.geometry.array, dtype=object)
    is_point = np.array([value is not None and value.geom_type == "Point" for value in geometry], dtype=bool)
    if not is_point.any():
        return None
    polygons = _country_polygons(countries)
    codes = [value.strip().upper() if isinstance(value, str) else None for value in frame[column]]
    claimed = np.empty(len(codes), dtype=object)
    claimed[:] = [
        polygons.get(code) if point and code else None for code, point in zip(codes, is_point, strict=True)
    ]
    lon = np.full(len(geometry), np.nan)
    lat = np.full(len(geometry), np.nan)
    lon[is_point] = shapely.get_x(geometry[is_point])
    lat[is_point] = shapely.get_y(geometry[is_point])
    verdict = swap_verdict(claimed, lon, lat)
    if not verdict.looks_swapped:
        return None
    return (
        f"{source}: longitude and latitude look swapped: none of the {verdict.checked} points with a known "
        f"country (column {column!r}) lies in that country, but {verdict.inside_swapped} do when longitude "
        "and latitude are exchanged. Check the lon/lat columns (--lon-column/--lat-column) and import again."
    )
