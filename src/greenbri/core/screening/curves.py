"""Geometries as flat vertex arrays, and the exact geodesic distance from points to them.

A :class:`CurveStore` holds the boundary of many geometries (polygon rings, line parts, points)
as flat longitude/latitude arrays with offsets per geometry (a CSR layout): vertex ``i`` and
vertex ``i + step[i]`` bound one edge; ``step`` is 0 at the end of a ring or line and for a
point, so every vertex is also a (possibly zero-length) edge. Edges are straight lines in
longitude/latitude, the GeoJSON convention.

:func:`distance_to_curves` computes, for query points, the geodesic distance on the WGS84
ellipsoid to one geometry each, to about 0.1 mm (the argument is in
``docs/methodology/screening-geodesic.md``):

1. every edge of the geometry is measured in an equirectangular frame centred at the query
   point (cheap, vectorised; edges are straight in it);
2. :func:`~greenbri.core.screening.ellipsoid.frame_scale_bounds` bounds the frame's
   distortion in the latitude band the answer can come from; the edges whose frame distance is
   within that factor of the smallest are kept, every other edge is provably farther; a query
   whose smallest frame distance already exceeds ``max_distance_m`` is dropped (``inf``).
   Where the frame is unusable (near a pole) :func:`~greenbri.core.screening.polar.chord_selection`
   selects the edges with 3-D chord bounds instead;
3. on each kept edge the closest point is found again in a frame at the mid-latitude, then
   polished on the ellipsoid by :func:`~greenbri.core.screening.edge_minimum.closest_on_edges`.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.screening.densify import split_long_edges
from greenbri.core.screening.edge_minimum import closest_on_edges
from greenbri.core.screening.ellipsoid import (
    MIN_MERIDIONAL_RADIUS_M,
    frame_scale_bounds,
    meridional_radius_m,
    parallel_radius_m,
)
from greenbri.core.screening.polar import chord_selection

__all__ = [
    "CHUNK_EDGES",
    "CurveStore",
    "distance_to_curves",
    "frame_distances",
    "ragged_ranges",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Edges measured per vectorised block (keeps temporaries in cache and memory bounded).
CHUNK_EDGES = 1 << 17
#: Frames whose distortion factor ``r_high / r_low`` exceeds this are treated as polar (edges
#: are then selected by :func:`~greenbri.core.screening.polar.chord_selection`).
_POLAR_RATIO = 1.3
#: Absolute slack (metres) on frame thresholds, for floating-point rounding.
_FRAME_SLACK_M = 1e-3


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
    def from_geometries(
        cls, geometries: NDArray[np.object_], max_edge_m: float | FloatArray | None = None
    ) -> CurveStore:
        """Boundaries of points, lines and polygons; edges longer than ``max_edge_m`` are split.

        Splitting (:func:`~greenbri.core.screening.densify.split_long_edges`) inserts vertices
        along the straight longitude/latitude edge, so the curve is unchanged; it only bounds
        the edge length so each edge has a single closest point. ``max_edge_m`` may be one value
        per geometry.
        """
        geometries = np.asarray(geometries, dtype=object)
        parts, part_owner = shapely.get_parts(geometries, return_index=True)
        polygonal = shapely.get_type_id(parts) == 3
        rings, ring_owner = shapely.get_rings(parts[polygonal], return_index=True)
        pieces = np.concatenate([parts[~polygonal], rings])
        owner = np.concatenate([part_owner[~polygonal], part_owner[polygonal][ring_owner]])
        order = np.argsort(owner, kind="stable")
        pieces, owner = pieces[order], owner[order]
        coords, piece_index = shapely.get_coordinates(pieces, return_index=True)
        lon = np.ascontiguousarray(coords[:, 0], dtype=np.float64)
        lat = np.ascontiguousarray(coords[:, 1], dtype=np.float64)
        piece_index = piece_index.astype(np.int64)
        if max_edge_m is not None:
            limit = np.broadcast_to(np.asarray(max_edge_m, dtype=np.float64), (len(geometries),))[owner]
            lon, lat, piece_index = split_long_edges(lon, lat, piece_index, limit)
        step = np.zeros(len(lon), dtype=np.int8)
        step[:-1] = piece_index[1:] == piece_index[:-1]
        counts = np.bincount(owner[piece_index], minlength=len(geometries))
        offsets = np.zeros(len(geometries) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
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


def _group_starts(query: IntArray) -> IntArray:
    """First position of each run of equal values (none for an empty array)."""
    if query.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, query[1:] != query[:-1]])


def _frame_selection(
    edges: _Edges,
    per_edge: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    r_low: FloatArray,
    r_high: FloatArray,
    max_distance_m: float,
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Edges that may hold the closest point (frame bounds), and the closest parameter on each.

    ``per_edge`` holds the query's longitude, latitude and frame scales ``kx``, ``ky`` for each
    edge; ``r_low``, ``r_high`` are per query (``edges.query`` indexes them).
    """
    q_lon, q_lat, kx, ky = per_edge
    at = edges.query
    first_t, frame_d2 = _foot_in_frame(edges, q_lon, q_lat, kx, ky)
    starts = _group_starts(at)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(at)]))
    owner = at[starts]
    nearest = np.sqrt(np.minimum.reduceat(frame_d2, starts))
    reachable = nearest * r_low[owner] <= max_distance_m
    threshold = (r_high[owner] * nearest + _FRAME_SLACK_M) / r_low[owner]
    keep = reachable[group] & (frame_d2 <= np.square(threshold)[group])
    kept = edges.take(keep)
    kept_lon, kept_lat = q_lon[keep], q_lat[keep]
    mid_kx, mid_ky = _frame_scales(0.5 * (kept_lat + kept.lat0 + first_t[keep] * kept.dlat))
    t = np.zeros(len(at))
    t[keep], _ = _foot_in_frame(kept, kept_lon, kept_lat, mid_kx, mid_ky)
    return keep, t


def _block_distances(
    store: CurveStore, q_lon: FloatArray, q_lat: FloatArray, curve_ids: IntArray, max_distance_m: float
) -> FloatArray:
    """:func:`distance_to_curves` for one block of queries."""
    edges, counts = _expand(store, curve_ids)
    r_low, r_high = _frame_bounds(q_lat, max_distance_m)
    kx, ky = _frame_scales(q_lat)
    polar_edge = (r_low <= 0.0)[edges.query]
    if polar_edge.any():
        keep, t = np.zeros(len(edges.query), dtype=bool), np.zeros(len(edges.query))
        flat = ~polar_edge
        at = edges.query[flat]
        per_edge = (q_lon[at], q_lat[at], kx[at], ky[at])
        keep[flat], t[flat] = _frame_selection(edges.take(flat), per_edge, r_low, r_high, max_distance_m)
        polar = edges.take(polar_edge)
        keep[polar_edge], t[polar_edge] = chord_selection(
            polar.query,
            q_lon[polar.query],
            q_lat[polar.query],
            polar.lon0,
            polar.lat0,
            polar.dlon,
            polar.dlat,
            max_distance_m,
        )
    else:
        per_edge = (
            np.repeat(q_lon, counts),
            np.repeat(q_lat, counts),
            np.repeat(kx, counts),
            np.repeat(ky, counts),
        )
        keep, t = _frame_selection(edges, per_edge, r_low, r_high, max_distance_m)
    kept = edges.take(keep)
    refined = closest_on_edges(
        q_lon[kept.query], q_lat[kept.query], kept.lon0, kept.lat0, kept.dlon, kept.dlat, t[keep]
    )
    result = np.full(len(curve_ids), np.inf)
    if refined.size:
        group_start = _group_starts(kept.query)
        result[kept.query[group_start]] = np.minimum.reduceat(refined, group_start)
    return result


def _block_bounds(counts: IntArray, limit: int) -> list[tuple[int, int]]:
    """Consecutive query ranges holding about ``limit`` edges each."""
    if counts.size == 0:
        return []
    cumulative = np.cumsum(counts)
    cuts = np.searchsorted(cumulative, np.arange(limit, int(cumulative[-1]), limit), side="right")
    marks = np.unique(np.concatenate([[0], cuts, [counts.size]])).tolist()
    return list(itertools.pairwise(marks))


def distance_to_curves(
    store: CurveStore,
    q_lon: FloatArray,
    q_lat: FloatArray,
    curve_ids: IntArray,
    max_distance_m: float,
    *,
    workers: int = 1,
) -> FloatArray:
    """Geodesic distance (m) from point ``k`` to geometry ``curve_ids[k]`` of ``store``.

    The result is the exact WGS84 distance to the geometry's boundary (to about 0.1 mm) when
    it is at most ``max_distance_m``; ``inf`` when the distance is provably larger (a value
    above ``max_distance_m`` may also be returned). Containment is not tested here.
    ``workers > 1`` runs blocks of queries in threads (numpy and pyproj release the GIL; no
    GEOS call is made here).
    """
    q_lon = np.asarray(q_lon, dtype=np.float64)
    q_lat = np.asarray(q_lat, dtype=np.float64)
    curve_ids = np.asarray(curve_ids, dtype=np.int64)
    result = np.full(len(curve_ids), np.inf)
    counts = store.offsets[curve_ids + 1] - store.offsets[curve_ids]
    has_vertices = np.flatnonzero(counts > 0)
    blocks = [has_vertices[start:stop] for start, stop in _block_bounds(counts[has_vertices], CHUNK_EDGES)]

    def run(block: IntArray) -> FloatArray:
        return _block_distances(store, q_lon[block], q_lat[block], curve_ids[block], max_distance_m)

    if workers > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            values = list(pool.map(run, blocks))
    else:
        values = [run(block) for block in blocks]
    for block, value in zip(blocks, values, strict=True):
        result[block] = value
    return result
