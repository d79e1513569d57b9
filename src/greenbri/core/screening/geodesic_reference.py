"""A slow, brute-force geodesic distance used to check :func:`greenbri.core.screening.geodesic.search`.

:func:`reference_distance_m` shares no code with the search kernel. It densifies both
boundaries along their longitude/latitude edges (1 km, then 100 m, then 10 m apart, keeping at
each level only the vertices that can still be part of the closest pair), takes the smallest
:meth:`pyproj.Geod.inv` distance over vertex pairs, then repeats the brute force at
``polish_spacing_m`` on the edges around the best pair.

It never under-estimates (every measured pair is a pair of real points of the two curves). It
over-estimates when the closest pair falls between sampled points: by about ``h**2 / (8 d)``
for sample spacing ``h`` at distance ``d`` (``h`` = 0.1 m after the polish: well under a
millimetre for ``d`` above 2 m), unless the closest approach of the 10 m pass lies at another
place than the true one, which a tie within a few centimetres would need. It is quadratic in
the number of vertices near the closest approach, so it is meant for tests.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod

__all__ = ["reference_distance_m"]

FloatArray = NDArray[np.float64]
_GEOD = Geod(ellps="WGS84")
#: Metres per degree along a meridian at a pole: the longest degree anywhere on WGS84.
_LONGEST_DEGREE_M = 111_694.0
_BLOCK = 2_000_000


def _densify(
    coords: FloatArray, part: NDArray[np.int64], spacing_m: float
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Points along each longitude/latitude-straight edge, at most ``spacing_m`` apart.

    The number of points per edge comes from an upper bound of its length (a degree is at most
    111,694 m; a degree of longitude at most that times the cosine of the edge's lowest
    absolute latitude), so the spacing holds everywhere, poles included, without
    over-densifying long edges there.
    """
    same = part[1:] == part[:-1]
    start, end = coords[:-1], coords[1:]
    delta = end - start
    crosses_equator = start[:, 1] * end[:, 1] <= 0.0
    low_lat = np.where(crosses_equator, 0.0, np.minimum(np.abs(start[:, 1]), np.abs(end[:, 1])))
    length = np.hypot(delta[:, 1], delta[:, 0] * np.cos(np.radians(low_lat))) * _LONGEST_DEGREE_M
    count = np.where(same, np.maximum(1, np.ceil(length / spacing_m)), 0).astype(np.int64)
    edge = np.repeat(np.arange(len(start)), count)
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    t = step / np.maximum(count[edge], 1)
    last = np.flatnonzero(np.r_[~same, True])
    points = np.concatenate([start[edge] + t[:, None] * delta[edge], coords[last]])
    key = np.concatenate([edge + t, last.astype(np.float64)])
    order = np.argsort(key, kind="stable")
    return points[order], np.concatenate([part[:-1][edge], part[last]])[order]


def _boundary_vertices(geometry: shapely.Geometry, spacing_m: float) -> tuple[FloatArray, NDArray[np.int64]]:
    """Vertices of the geometry's boundary, densified along longitude/latitude edges, and their part."""
    outline = shapely.boundary(geometry) if shapely.get_dimensions(geometry) == 2 else geometry
    coords, part = shapely.get_coordinates(shapely.get_parts(outline), return_index=True)
    return _densify(np.asarray(coords, dtype=np.float64), np.asarray(part, dtype=np.int64), spacing_m)


def _pairwise_min(a: FloatArray, b: FloatArray) -> tuple[float, int, int]:
    """Smallest geodesic distance between points of ``a`` and ``b`` and the pair's indices."""
    best, best_i, best_j = np.inf, -1, -1
    rows = max(1, _BLOCK // max(len(b), 1))
    for start in range(0, len(a), rows):
        block = a[start : start + rows]
        lon1 = np.repeat(block[:, 0], len(b))
        lat1 = np.repeat(block[:, 1], len(b))
        lon2 = np.tile(b[:, 0], len(block))
        lat2 = np.tile(b[:, 1], len(block))
        _, _, distance = _GEOD.inv(lon1, lat1, lon2, lat2)
        k = int(np.argmin(distance))
        if distance[k] < best:
            best, best_i, best_j = float(distance[k]), start + k // len(b), k % len(b)
    return best, best_i, best_j


def _nearest_to_set(points: FloatArray, targets: FloatArray) -> FloatArray:
    """For each point, its smallest geodesic distance to ``targets``."""
    out = np.empty(len(points))
    rows = max(1, _BLOCK // max(len(targets), 1))
    for start in range(0, len(points), rows):
        block = points[start : start + rows]
        _, _, distance = _GEOD.inv(
            np.repeat(block[:, 0], len(targets)),
            np.repeat(block[:, 1], len(targets)),
            np.tile(targets[:, 0], len(block)),
            np.tile(targets[:, 1], len(block)),
        )
        out[start : start + rows] = np.asarray(distance).reshape(len(block), len(targets)).min(axis=1)
    return out


def _around(vertices: FloatArray, part: NDArray[np.int64], index: int, spacing_m: float) -> FloatArray:
    """The edges on either side of vertex ``index`` (same part), densified to ``spacing_m``."""
    low, high = max(0, index - 1), min(len(vertices), index + 2)
    same = part[low:high] == part[index]
    piece = vertices[low:high][same]
    points, _ = _densify(np.asarray(piece, dtype=np.float64), np.zeros(len(piece), dtype=np.int64), spacing_m)
    return points


def _clip_to_reach(project: shapely.Geometry, receptor: shapely.Geometry) -> shapely.Geometry:
    """The receptor cut to a box that holds every point as near the project as its nearest vertex.

    Polygons are cut to their boundary first, so the box edges add no false boundary.
    """
    a = np.asarray(shapely.get_coordinates(project), dtype=np.float64)
    b = np.asarray(shapely.get_coordinates(receptor), dtype=np.float64)
    upper, _, _ = _pairwise_min(a[:: max(1, len(a) // 50)], b)
    reach = upper + 1000.0
    west, south, east, north = shapely.bounds(project)
    lat_margin = np.degrees(reach / 6_335_439.0)
    top = min(90.0, max(abs(south), abs(north)) + lat_margin)
    if top >= 89.0:
        return receptor
    lon_margin = np.degrees(reach / (6_378_137.0 * np.cos(np.radians(top)) * 0.99))
    if east - west + 2 * lon_margin >= 180.0 or west - lon_margin < -180.0 or east + lon_margin > 180.0:
        return receptor
    outline = shapely.boundary(receptor) if shapely.get_dimensions(receptor) == 2 else receptor
    return shapely.clip_by_rect(
        outline, west - lon_margin, south - lat_margin, east + lon_margin, north + lat_margin
    )


def reference_distance_m(
    project: shapely.Geometry,
    receptor: shapely.Geometry,
    *,
    spacings_m: tuple[float, ...] = (1000.0, 100.0, 10.0),
    polish_spacing_m: float = 0.1,
) -> float:
    """Brute-force geodesic distance (m) between two EPSG:4326 geometries; 0 if they intersect.

    The receptor is first cut to a box around the project that holds every point at most as
    far as the nearest receptor vertex (plus 1 km). Then, from the coarsest spacing to the
    finest, a vertex is kept only if it lies within ``best + s`` of the other curve's vertices
    kept at the previous spacing ``s``: every curve point is within ``s / 2`` of a vertex at
    spacing ``s``, so the closest pair always survives. The last spacing is brute-forced.
    """
    if shapely.intersects(project, receptor):
        return 0.0
    receptor = _clip_to_reach(project, receptor)
    best = np.inf
    previous: tuple[FloatArray, FloatArray, float] | None = None
    for spacing in spacings_m:
        fine_a, part_a = _boundary_vertices(project, spacing)
        fine_b, part_b = _boundary_vertices(receptor, spacing)
        keep_a, keep_b = np.arange(len(fine_a)), np.arange(len(fine_b))
        if previous is not None:
            kept_a, kept_b, previous_spacing = previous
            keep_a = np.flatnonzero(_nearest_to_set(fine_a, kept_b) <= best + previous_spacing)
            keep_b = np.flatnonzero(_nearest_to_set(fine_b, kept_a) <= best + previous_spacing)
        level_best, i, j = _pairwise_min(fine_a[keep_a], fine_b[keep_b])
        best = min(best, level_best)
        previous = (fine_a[keep_a], fine_b[keep_b], spacing)
    polish_a = _around(fine_a, part_a, int(keep_a[i]), polish_spacing_m)
    polish_b = _around(fine_b, part_b, int(keep_b[j]), polish_spacing_m)
    polished, _, _ = _pairwise_min(polish_a, polish_b)
    return float(min(best, polished))
