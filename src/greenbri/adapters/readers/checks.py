"""Checks every file's geometries go through, whatever the format.

In order: unreadable geometries, missing geometries, the CRS, reprojection to
EPSG:4326, the coordinate range, then validity (repairs are recorded, what
cannot be repaired is an error). Errors name the file and the first feature or
row concerned, and say how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas
import numpy as np
import pandas as pd
from pyproj import CRS

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.parts import RawPart, crs_label, location, parse_crs
from greenbri.core.errors import CoordinateRangeError, CoordinateReferenceError, GeometryError
from greenbri.core.geometry import Repair, clamp_rounding, find_out_of_range, repair_geometries

__all__ = ["CheckedPart", "check_part"]

_WGS84 = CRS.from_epsg(4326)
_LISTED = 10


@dataclass
class CheckedPart:
    """One file after the checks: attributes plus geometry in EPSG:4326 (or a table)."""

    name: str
    frame: pd.DataFrame
    geometry: np.ndarray | None
    crs: str
    encoding: str
    unit: str
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_errors: dict[int, str] = field(default_factory=dict)


def _where(part: RawPart, ids: list[str] | None, index: int) -> str:
    return location(part.unit, index, ids[index] if ids else "")


def _more(count: int, unit: str) -> str:
    return f" ({count - 1} more {unit}s are like it)" if count > 1 else ""


def _listing(part: RawPart, indices: np.ndarray) -> str:
    shown = ", ".join(str(int(index) + (1 if part.unit == "row" else 0)) for index in indices[:_LISTED])
    more = f" and {len(indices) - _LISTED} more" if len(indices) > _LISTED else ""
    return f"{part.unit}s {shown}{more}"


def _missing(part: RawPart, options: ReadOptions, ids: list[str] | None) -> bool:
    """Handle missing geometries; True when the part turns out to be a table."""
    geometry = part.geometry
    absent = np.array([value is None for value in geometry], dtype=bool)
    absent[list(part.row_errors)] = False  # failed on their own, reported as such
    missing = np.flatnonzero(absent)
    if len(missing) == len(geometry) and part.unit == "feature" and not options.allow_missing_geometry:
        # A layer format whose every geometry is null is a broken export, not a table (RFC 7946
        # allows an unlocated feature, but a layer of only those cannot be mapped or screened).
        raise GeometryError(
            f"No feature has a geometry: all {len(geometry)} features have a null geometry.",
            source=part.name,
            location=_where(part, ids, 0),
            hint="export the layer again with its geometries; if it really is a table, save it as CSV "
            "or pass --allow-missing-geometry to import it as a table without geometry.",
        )
    if len(missing) == len(geometry):
        part.warnings.append(
            f"{part.name}: no {part.unit} has a geometry, so it was read as a table without geometry."
        )
        return True
    if len(missing) and not options.allow_missing_geometry:
        raise GeometryError(
            f"{len(missing)} of {len(geometry)} {part.unit}s have no geometry: {_listing(part, missing)}.",
            source=part.name,
            location=_where(part, ids, int(missing[0])),
            hint="fill in their geometry (or coordinates), remove them, or pass --allow-missing-geometry "
            "to keep them without a geometry.",
        )
    if len(missing):
        part.warnings.append(
            f"{part.name}: {len(missing)} of {len(geometry)} {part.unit}s have no geometry and were kept "
            f"without one ({_listing(part, missing)})."
        )
    return False


def _source_crs(part: RawPart, options: ReadOptions) -> CRS:
    if part.crs is None:
        if options.source_crs:
            return parse_crs(options.source_crs, part.name)
        raise CoordinateReferenceError(
            "The file declares no coordinate reference system.",
            source=part.name,
            hint="pass the CRS its coordinates are in with --crs EPSG:XXXX (e.g. --crs EPSG:4326).",
        )
    if options.source_crs and not part.crs.equals(parse_crs(options.source_crs, part.name)):
        part.warnings.append(
            f"{part.name}: the file declares {crs_label(part.crs)}, which was used; "
            f"--crs {options.source_crs} applies only to files that declare none."
        )
    return part.crs


def _to_wgs84(part: RawPart, crs: CRS) -> np.ndarray:
    if crs.equals(_WGS84, ignore_axis_order=True) or crs_label(crs) == "OGC:CRS84":
        return np.asarray(part.geometry, dtype=object)
    try:
        series = geopandas.GeoSeries(list(part.geometry), crs=crs).to_crs(_WGS84)
    except Exception as error:  # pyproj raises several types for CRSs it cannot transform
        raise CoordinateReferenceError(
            f"The coordinates cannot be transformed from {crs_label(crs)} to EPSG:4326 ({error}).",
            source=part.name,
            hint="check the .prj / declared CRS, or pass the right one with --crs EPSG:XXXX.",
        ) from None
    result = np.empty(len(series), dtype=object)
    result[:] = list(series.array)
    return result


def _check_range(
    part: RawPart, geometry: np.ndarray, crs: CRS, ids: list[str] | None, options: ReadOptions
) -> None:
    found = find_out_of_range(geometry)
    if not found:
        return
    first = found[0]
    reprojected = (
        "" if crs.equals(_WGS84, ignore_axis_order=True) else f" after reprojection from {crs_label(crs)}"
    )
    hint = (
        "lon/lat swapped? wrong CRS? if the coordinates are not degrees, the file's CRS is wrong: "
        "fix the .prj or pass the right --crs EPSG:XXXX."
        if crs.is_geographic
        else f"wrong CRS? the file says {crs_label(crs)}; check it, or pass the right --crs EPSG:XXXX."
    )
    if options.coordinate_errors_per_row:
        for item in found:
            part.row_errors.setdefault(
                item.index,
                f"{part.name}, {_where(part, ids, item.index)}, geometry: the coordinate (lon {item.lon:g}, "
                f"lat {item.lat:g}){reprojected} is outside longitude -180..180 / latitude -90..90, so it "
                f"has no usable location. Fix: {hint}",
            )
            geometry[item.index] = None
        return
    raise CoordinateRangeError(
        f"The coordinate (lon {first.lon:g}, lat {first.lat:g}){reprojected} is outside longitude "
        f"-180..180 / latitude -90..90{_more(len(found), part.unit)}.",
        source=part.name,
        location=_where(part, ids, first.index),
        hint=hint,
    )


def _merged(repairs: list[Repair]) -> list[Repair]:
    """One repair per geometry, in order: several fixes of one geometry are joined with '; '."""
    by_index: dict[int, Repair] = {}
    for repair in repairs:
        known = by_index.get(repair.index)
        by_index[repair.index] = (
            repair
            if known is None
            else Repair(
                repair.index, f"{known.problem}; {repair.problem}", f"{known.action}; {repair.action}"
            )
        )
    return [by_index[index] for index in sorted(by_index)]


def check_part(part: RawPart, options: ReadOptions, ids: list[str] | None) -> CheckedPart:
    """Run the checks on one file; ``ids`` are its id column's values for messages."""
    if part.parse_failures:
        first = part.parse_failures[0]
        raise GeometryError(
            f"The geometry cannot be read: {first.problem}{_more(len(part.parse_failures), part.unit)}.",
            source=part.name,
            location=_where(part, ids, first.index),
            hint="repair the geometry in a GIS (e.g. QGIS 'Fix geometries') and export again, or remove it.",
        )
    table = CheckedPart(
        part.name, part.frame, None, "", part.encoding, part.unit, [], part.warnings, part.row_errors
    )
    if part.geometry is None or _missing(part, options, ids):
        return table
    crs = _source_crs(part, options)
    geometry = _to_wgs84(part, crs)
    _check_range(part, geometry, crs, ids, options)
    geometry, clamped = clamp_rounding(geometry)
    outcome = repair_geometries(geometry)
    if outcome.unrepairable:
        first = outcome.unrepairable[0]
        raise GeometryError(
            f"The geometry is unusable: {first.problem}{_more(len(outcome.unrepairable), part.unit)}.",
            source=part.name,
            location=_where(part, ids, first.index),
            hint="fix or remove that feature in the source data (e.g. QGIS 'Fix geometries'), "
            "then import again.",
        )
    frame = part.frame
    if "geometry" in frame.columns:
        frame = frame.rename(columns={"geometry": "geometry_attribute"})
        part.warnings.append(
            f"{part.name}: the attribute column 'geometry' was renamed 'geometry_attribute'."
        )
    return CheckedPart(
        part.name,
        frame,
        outcome.geometries,
        crs_label(crs),
        part.encoding,
        part.unit,
        _merged([*part.parse_repairs, *clamped, *outcome.repairs]),
        part.warnings,
        part.row_errors,
    )
