"""Geodesic length and area of geometries whose edges are straight in longitude/latitude.

Edges are first split to at most :data:`MEASURE_EDGE_DEG` so that measuring them as geodesics
(as :mod:`pyproj.Geod` does) follows the longitude/latitude edge convention to well under a
millimetre per kilometre.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.screening.ellipsoid import WGS84_GEOD as WGS84

__all__ = ["MEASURE_EDGE_DEG", "geodesic_areas_m2", "geodesic_lengths_m"]

FloatArray = NDArray[np.float64]
GeometryArray = NDArray[np.object_]

#: Longest edge (degrees) measured as a geodesic; longer edges are split first.
MEASURE_EDGE_DEG = 0.01
_LINEAR = (1, 2)  # LineString, LinearRing
_POLYGON = 3


def _parts_of_type(
    geometries: GeometryArray, type_ids: tuple[int, ...]
) -> tuple[GeometryArray, NDArray[np.int64]]:
    parts, owner = shapely.get_parts(geometries, return_index=True)
    while True:  # collections may nest multi-geometries
        nested = shapely.get_num_geometries(parts) > 1
        multi = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
        if not (nested | multi).any():
            break
        inner, inner_owner = shapely.get_parts(parts, return_index=True)
        parts, owner = inner, owner[inner_owner]
    keep = np.isin(shapely.get_type_id(parts), type_ids) & ~shapely.is_empty(parts)
    return parts[keep], owner[keep].astype(np.int64)


def geodesic_lengths_m(geometries: GeometryArray) -> FloatArray:
    """Geodesic length (m) of the line parts of each geometry (points and polygons count 0)."""
    geometries = np.asarray(geometries, dtype=object)
    lines, owner = _parts_of_type(geometries, _LINEAR)
    lines = shapely.segmentize(lines, MEASURE_EDGE_DEG)
    coords, line_index = shapely.get_coordinates(lines, return_index=True)
    same = line_index[1:] == line_index[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    _, _, step = WGS84.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    weights = np.bincount(owner[line_index[1:][same]], weights=np.asarray(step), minlength=len(geometries))
    return np.asarray(weights, dtype=np.float64)


def geodesic_areas_m2(geometries: GeometryArray) -> FloatArray:
    """Geodesic area (m^2) of the polygon parts of each geometry (holes subtracted)."""
    geometries = np.asarray(geometries, dtype=object)
    polygons, owner = _parts_of_type(geometries, (_POLYGON,))
    # Counter-clockwise shells and clockwise holes: Geod then adds the holes' negative areas.
    polygons = shapely.orient_polygons(shapely.segmentize(polygons, MEASURE_EDGE_DEG), exterior_cw=False)
    areas = np.zeros(len(geometries))
    for polygon, index in zip(polygons, owner, strict=True):
        area, _ = WGS84.geometry_area_perimeter(polygon)
        areas[index] += area
    return areas
