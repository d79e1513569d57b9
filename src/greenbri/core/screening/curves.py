"""Geometries as flat vertex arrays, and the exact geodesic distance from points to them.

A :class:`CurveStore` holds the boundary of many geometries (polygon rings, line parts, points)
as flat longitude/latitude arrays with offsets per geometry (a CSR layout): vertex ``i`` and
vertex ``i + step[i]`` bound one edge; ``step`` is 0 at the end of a ring or line and for a
point, so every vertex is also a (possibly zero-length) edge. Edges are straight lines in
longitude/latitude, the GeoJSON convention.

:func:`distance_to_curves` computes, for query points, the geodesic distance on the WGS84
ellipsoid to one geometry each. It is exact to about 0.1 mm; see
``docs/methodology/screening-geodesic.md`` for the argument:

1. every edge of the geometry is measured in an equirectangular frame centred at the query
   point (cheap, vectorised);
2. :func:`~greenbri.core.screening.ellipsoid.frame_scale_bounds` bounds the frame's
   distortion in the latitude band the answer can come from; the edges whose frame distance is
   within that factor of the smallest are kept, every other edge is provably farther; a query
   whose smallest frame distance already exceeds ``max_distance_m`` is dropped (``inf``);
3. on each kept edge the closest point is found again in a frame at the mid-latitude, then
   polished with Newton steps on the true geodesic distance (:meth:`pyproj.Geod.inv` gives
   the distance and the azimuth at the edge point, which is the distance's gradient there),
   until a step would gain less than :data:`NEWTON_TOLERANCE_M`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod

from greenbri.core.screening.ellipsoid import (
    MIN_MERIDIONAL_RADIUS_M,
    frame_scale_bounds,
    meridional_radius_m,
    parallel_radius_m,
)

__all__ = [
    "CHUNK_EDGES",
    "NEWTON_TOLERANCE_M",
    "CurveStore",
    "distance_to_curves",
    "frame_distances",
    "ragged_ranges",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

WGS84 = Geod(ellps="WGS84")
#: Newton steps stop when the next one would shorten the distance by less than this (metres).
NEWTON_TOLERANCE_M = 1e-4
#: Edges measured per vectorised block (keeps temporaries in cache and memory bounded).
CHUNK_EDGES = 1 << 17
#: Frames whose distortion factor ``r_high / r_low`` exceeds this are treated as polar: all
#: edges are refined on the ellipsoid and nothing is dropped on the frame's word.
_POLAR_RATIO = 1.3
#: Absolute slack (metres) on frame thresholds, for floating-point rounding.
_FRAME_SLACK_M = 1e-3
_MAX_NEWTON_STEPS = 12
#: Metres per degree along the longest degree on the ellipsoid (a degree of latitude at a pole).
METRES_PER_DEGREE_MAX = float(meridional_radius_m(90.0)) * np.pi / 180.0


@dataclass(frozen=True)
class CurveStore:
    """Boundaries of ``n`` geometries as flat vertex arrays (degrees, EPSG:4326).

    ``offsets`` has ``n + 1`` entries: geometry ``g`` owns vertices
    ``offsets[g]:offsets[g + 1]``. ``step[i]`` is 1 when vertex ``i`` starts an edge to vertex
    ``i + 1`` and 0 at the end of a ring or line, or for a point.
    """

    lon: FloatArray
    lat: FloatArray
    step: NDArray[np.int8]
    offsets: IntArray

    @classmethod
    def from_geometries(cls, geometries: NDArray[np.object_], max_edge_m: float | None = None) -> CurveStore:
        """Boundaries of points, lines and polygons; edges longer than ``max_edge_m`` are split.

        Splitting inserts vertices along the straight longitude/latitude edge, so the curve is
        unchanged; it only bounds the edge length so each edge has a single closest point.
        """
        geometries = np.asarray(geometries, dtype=object)
        if max_edge_m is not None:
            geometries = shapely.segmentize(geometries, max_edge_m / METRES_PER_DEGREE_MAX)
        parts, part_owner = shapely.get_parts(geometries, return_index=True)
        polygonal = shapely.get_type_id(parts) == 3
        rings, ring_owner = shapely.get_rings(parts[polygonal], return_index=True)
        pieces = np.concatenate([parts[~polygonal], rings])
        owner = np.concatenate([part_owner[~polygonal], part_owner[polygonal][ring_owner]])
        order = np.argsort(owner, kind="stable")
        pieces, owner = pieces[order], owner[order]
        coords, piece_index = shapely.get_coordinates(pieces, return_index=True)
        step = np.zeros(len(coords), dtype=np.int8)
        step[:-1] = piece_index[1:] == piece_index[:-1]
        counts = np.bincount(owner[piece_index], minlength=len(geometries))
        offsets = np.zeros(len(geometries) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        lon = np.ascontiguousarray(coords[:, 0], dtype=np.float64)
        lat = np.ascontiguousarray(coords[:, 1], dtype=np.float64)
        return cls(lon=lon, lat=lat, step=step, offsets=offsets)

    @property
    def counts(self) -> IntArray:
        """Vertices per geometry."""
        return np.diff(self.offsets)


def ragged_ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``range(starts[k], starts[k] + counts[k])`` for all ``k``."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    run_start = np.cumsum(counts) - counts
    return np.repeat(starts - run_start, counts) + np.arange(total, dtype=np.int64)


def _wrap_deg(delta: FloatArray) -> FloatArray:
    if delta.size and float(np.max(np.abs(delta))) > 180.0:
        return np.asarray((delta + 180.0) % 360.0 - 180.0, dtype=np.float64)
    return delta


def _frame_scales(lat_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Metres per degree of longitude and of latitude at ``lat_deg``."""
    per_rad = np.pi / 180.0
    return parallel_radius_m(lat_deg) * per_rad, meridional_radius_m(lat_deg) * per_rad


@dataclass(frozen=True)
class _Edges:
    """Edges of one block of queries: query index, start vertex, parameters in degrees."""

    query: IntArray
    lon0: FloatArray
    lat0: FloatArray
    dlon: FloatArray
    dlat: FloatArray

    def take(self, mask: NDArray[np.bool_]) -> _Edges:
        return _Edges(self.query[mask], self.lon0[mask], self.lat0[mask], self.dlon[mask], self.dlat[mask])


def _foot_in_frame(
    edges: _Edges, q_lon: FloatArray, q_lat: FloatArray, kx: FloatArray, ky: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Closest-point parameter ``t`` on each edge and squared frame distance (m^2).

    The frame is equirectangular with ``kx``, ``ky`` metres per degree (per edge); edges are
    straight in it.
    """
    x0 = _wrap_deg(edges.lon0 - q_lon) * kx
    y0 = (edges.lat0 - q_lat) * ky
    ex = edges.dlon * kx
    ey = edges.dlat * ky
    length2 = ex * ex + ey * ey
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0.0, np.clip(-(x0 * ex + y0 * ey) / length2, 0.0, 1.0), 0.0)
    dx = x0 + t * ex
    dy = y0 + t * ey
    return t, dx * dx + dy * dy


def _newton_on_ellipsoid(edges: _Edges, q_lon: FloatArray, q_lat: FloatArray, t: FloatArray) -> FloatArray:
    """Geodesic distance from each query point to its edge, polished from parameter ``t``."""
    distance = np.empty(len(t))
    active = np.arange(len(t))
    t = t.copy()
    for _ in range(_MAX_NEWTON_STEPS):
        if active.size == 0:
            break
        ta = t[active]
        lon = edges.lon0[active] + ta * edges.dlon[active]
        lat = edges.lat0[active] + ta * edges.dlat[active]
        _, back_azimuth, s = WGS84.inv(q_lon[active], q_lat[active], lon, lat)
        distance[active] = s
        back = np.radians(back_azimuth)
        kx, ky = _frame_scales(lat)
        tx, ty = edges.dlon[active] * kx, edges.dlat[active] * ky
        slope = -(tx * np.sin(back) + ty * np.cos(back))  # d(distance)/dt
        length2 = tx * tx + ty * ty
        with np.errstate(invalid="ignore", divide="ignore"):
            step = np.where(length2 > 0.0, -s * slope / length2, 0.0)
        new_t = np.clip(ta + step, 0.0, 1.0)
        taken = new_t - ta
        predicted = np.sqrt(np.maximum(s * s + 2.0 * s * slope * taken + length2 * taken * taken, 0.0))
        moving = (s - predicted) > NEWTON_TOLERANCE_M
        t[active] = new_t
        active = active[moving]
    return distance


def _frame_bounds(q_lat: FloatArray, max_distance_m: float) -> tuple[FloatArray, FloatArray]:
    """Frame distortion bounds for query frames; ``(0, inf)`` marks polar frames."""
    band = np.degrees(1.5 * max_distance_m / MIN_MERIDIONAL_RADIUS_M)
    r_low, r_high = frame_scale_bounds(q_lat, q_lat - band, q_lat + band)
    with np.errstate(divide="ignore"):
        polar = (r_low <= 0.0) | (r_high / np.where(r_low > 0.0, r_low, 1.0) > _POLAR_RATIO)
    return np.where(polar, 0.0, r_low), np.where(polar, np.inf, r_high)


def _expand(store: CurveStore, curve_ids: IntArray) -> tuple[_Edges, IntArray]:
    """Every edge of geometry ``curve_ids[k]``, tagged with ``k``; and the edge count per query."""
    counts = store.offsets[curve_ids + 1] - store.offsets[curve_ids]
    vertex = ragged_ranges(store.offsets[curve_ids], counts)
    query = np.repeat(np.arange(len(curve_ids)), counts)
    lon0, lat0 = store.lon[vertex], store.lat[vertex]
    following = vertex + store.step[vertex]
    return _Edges(query, lon0, lat0, store.lon[following] - lon0, store.lat[following] - lat0), counts


def _block_frame_distances(
    store: CurveStore,
    q_lon: FloatArray,
    q_lat: FloatArray,
    curve_ids: IntArray,
    kx: FloatArray,
    ky: FloatArray,
) -> FloatArray:
    edges, counts = _expand(store, curve_ids)
    _, frame_d2 = _foot_in_frame(
        edges,
        np.repeat(q_lon, counts),
        np.repeat(q_lat, counts),
        np.repeat(kx, counts),
        np.repeat(ky, counts),
    )
    return np.asarray(np.sqrt(np.minimum.reduceat(frame_d2, np.cumsum(counts) - counts)), dtype=np.float64)


def frame_distances(
    store: CurveStore,
    q_lon: FloatArray,
    q_lat: FloatArray,
    curve_ids: IntArray,
    kx: FloatArray,
    ky: FloatArray,
) -> FloatArray:
    """Distance from point ``k`` to geometry ``curve_ids[k]`` in an equirectangular frame.

    The frame of query ``k`` has ``kx[k]`` metres per degree of longitude and ``ky[k]`` per
    degree of latitude (edges are straight in it); ``inf`` for a geometry without vertices.
    """
    result = np.full(len(curve_ids), np.inf)
    counts = store.offsets[curve_ids + 1] - store.offsets[curve_ids]
    has_vertices = np.flatnonzero(counts > 0)
    for start, stop in _block_bounds(counts[has_vertices], CHUNK_EDGES):
        block = has_vertices[start:stop]
        result[block] = _block_frame_distances(
            store, q_lon[block], q_lat[block], curve_ids[block], kx[block], ky[block]
        )
    return result


def _block_distances(
    store: CurveStore, q_lon: FloatArray, q_lat: FloatArray, curve_ids: IntArray, max_distance_m: float
) -> FloatArray:
    """:func:`distance_to_curves` for one block of queries."""
    edges, counts = _expand(store, curve_ids)
    kx, ky = _frame_scales(q_lat)
    query = edges.query
    first_t, frame_d2 = _foot_in_frame(
        edges,
        np.repeat(q_lon, counts),
        np.repeat(q_lat, counts),
        np.repeat(kx, counts),
        np.repeat(ky, counts),
    )
    starts = np.cumsum(counts) - counts
    nearest = np.sqrt(np.minimum.reduceat(frame_d2, starts))
    r_low, r_high = _frame_bounds(q_lat, max_distance_m)
    reachable = nearest * r_low <= max_distance_m
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(r_low > 0.0, (r_high * nearest + _FRAME_SLACK_M) / r_low, np.inf)
    keep = reachable[query] & (frame_d2 <= np.square(threshold)[query])
    kept = edges.take(keep)
    kept_lon, kept_lat = q_lon[kept.query], q_lat[kept.query]
    mid_kx, mid_ky = _frame_scales(0.5 * (kept_lat + kept.lat0 + first_t[keep] * kept.dlat))
    t, _ = _foot_in_frame(kept, kept_lon, kept_lat, mid_kx, mid_ky)
    refined = _newton_on_ellipsoid(kept, kept_lon, kept_lat, t)
    result = np.full(len(curve_ids), np.inf)
    if refined.size:
        group_start = np.flatnonzero(np.r_[True, kept.query[1:] != kept.query[:-1]])
        result[kept.query[group_start]] = np.minimum.reduceat(refined, group_start)
    return result


def _block_bounds(counts: IntArray, limit: int) -> list[tuple[int, int]]:
    """Consecutive query ranges holding about ``limit`` edges each."""
    if counts.size == 0:
        return []
    cumulative = np.cumsum(counts)
    cuts = np.searchsorted(cumulative, np.arange(limit, int(cumulative[-1]), limit), side="right")
    marks = np.unique(np.concatenate([[0], cuts, [counts.size]]))
    return [(int(a), int(b)) for a, b in zip(marks[:-1], marks[1:], strict=True)]


def distance_to_curves(
    store: CurveStore,
    q_lon: FloatArray,
    q_lat: FloatArray,
    curve_ids: IntArray,
    max_distance_m: float,
) -> FloatArray:
    """Geodesic distance (m) from point ``k`` to geometry ``curve_ids[k]`` of ``store``.

    The result is the exact WGS84 distance to the geometry's boundary (to about 0.1 mm) when
    it is at most ``max_distance_m``; ``inf`` when the distance is provably larger (a value
    above ``max_distance_m`` may also be returned). Containment is not tested here.
    """
    q_lon = np.asarray(q_lon, dtype=np.float64)
    q_lat = np.asarray(q_lat, dtype=np.float64)
    curve_ids = np.asarray(curve_ids, dtype=np.int64)
    result = np.full(len(curve_ids), np.inf)
    counts = store.offsets[curve_ids + 1] - store.offsets[curve_ids]
    has_vertices = np.flatnonzero(counts > 0)
    for start, stop in _block_bounds(counts[has_vertices], CHUNK_EDGES):
        block = has_vertices[start:stop]
        result[block] = _block_distances(store, q_lon[block], q_lat[block], curve_ids[block], max_distance_m)
    return result
