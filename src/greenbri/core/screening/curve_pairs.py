"""Geodesic distance between line or polygon projects and receptors they do not intersect.

Each project outline (its lines, or its polygon boundary) is densified to at most
:func:`project_edge_m` and cut into *pieces* of at most :data:`VERTICES_PER_PIECE` vertices, so
that a long railway costs in proportion to its length and each piece gets its own accurate local
frame. Receptors near each piece come from the layer's STRtree (widened envelopes, as for
points). For a (piece, receptor) pair the distance is the smallest of

* the exact distance (:func:`~greenbri.core.screening.curves.distance_to_curves`) from each
  piece vertex to the receptor, and
* the exact distance from each receptor vertex to the piece,

and the project's distance is the smallest over its pieces. Only vertices that can matter are
measured: in an equirectangular frame centred on the piece, GEOS gives the frame distance ``l``
between the piece and the receptor, and :func:`~greenbri.core.screening.curves.frame_distances`
the frame distance from each vertex (near enough by a bounding-box test) to the other geometry;
with the frame's distortion bounds ``r_low <= true / frame <= r_high`` a vertex whose frame
distance exceeds ``(r_high * l + interior_error) / r_low`` cannot be the closest. Pieces whose
frame is unusable (near a pole) measure all their vertices and all the receptor's.

The one approximation is when both closest points are interior to edges: the nearest piece
vertex is then at most half an edge away and, the curves being parallel there, the error is
second order, below ``tan(phi) * L**2 / (4 R)`` for piece edges of length ``L``, which
:func:`project_edge_m` keeps under :data:`INTERIOR_ERROR_M`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.screening.curves import CurveStore, distance_to_curves, frame_distances, ragged_ranges
from greenbri.core.screening.ellipsoid import (
    EQUATORIAL_RADIUS_M,
    MIN_MERIDIONAL_RADIUS_M,
    bbox_lower_bound_m,
    frame_scale_bounds,
    meridional_radius_m,
    parallel_radius_m,
)
from greenbri.core.screening.spatial_index import candidate_pairs

__all__ = ["INTERIOR_ERROR_M", "VERTICES_PER_PIECE", "NearPairs", "near_pairs", "outlines", "project_edge_m"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
GeometryArray = NDArray[np.object_]

#: Bound on the error when both closest points are interior to edges (metres).
INTERIOR_ERROR_M = 0.05
#: Vertices per project piece (after densification).
VERTICES_PER_PIECE = 16
_LONGEST_PROJECT_EDGE_M = 1000.0
_POLAR_RATIO = 1.3
_SLACK_M = 1e-3


def project_edge_m(max_abs_lat: FloatArray) -> FloatArray:
    """Longest project edge (metres) that keeps the interior case below :data:`INTERIOR_ERROR_M`."""
    tangent = np.tan(np.radians(np.minimum(np.abs(max_abs_lat), 89.999)))
    limit = np.sqrt(4.0 * EQUATORIAL_RADIUS_M * INTERIOR_ERROR_M / np.maximum(tangent, 1e-12))
    return np.asarray(np.minimum(limit, _LONGEST_PROJECT_EDGE_M), dtype=np.float64)


@dataclass(frozen=True)
class _Pieces:
    """Project outlines cut into short pieces: one curve per piece, its project and its frame."""

    curves: CurveStore
    project: IntArray
    bounds: FloatArray
    center_lon: FloatArray
    center_lat: FloatArray
    kx: FloatArray
    ky: FloatArray
    r_low: FloatArray
    r_high: FloatArray
    polar: NDArray[np.bool_]


def _piece_ranges(store: CurveStore, per_piece: int) -> tuple[IntArray, IntArray]:
    """First and last vertex of each piece; consecutive pieces of a part share a vertex."""
    is_end = store.step == 0
    part_end = np.flatnonzero(is_end)
    part_start = np.r_[0, part_end[:-1] + 1] if part_end.size else np.zeros(0, dtype=np.int64)
    edges = part_end - part_start
    count = np.maximum(1, -(-edges // (per_piece - 1)))
    start = np.repeat(part_start, count) + (per_piece - 1) * (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    last = np.minimum(start + per_piece - 1, np.repeat(part_end, count))
    return start.astype(np.int64), last.astype(np.int64)


def _pieces(outlines: GeometryArray, max_distance_m: float) -> _Pieces:
    bounds = shapely.bounds(outlines)
    edge_m = project_edge_m(np.maximum(np.abs(bounds[:, 1]), np.abs(bounds[:, 3])))
    dense = CurveStore.from_geometries(outlines, edge_m)
    first, last = _piece_ranges(dense, VERTICES_PER_PIECE)
    counts = last - first + 1
    vertex = ragged_ranges(first, counts)
    step = np.ones(vertex.size, dtype=np.int8)
    step[np.cumsum(counts) - 1] = 0
    offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
    curves = CurveStore(lon=dense.lon[vertex], lat=dense.lat[vertex], step=step, offsets=offsets)
    starts = offsets[:-1]
    piece_bounds = np.column_stack(
        [
            np.minimum.reduceat(curves.lon, starts),
            np.minimum.reduceat(curves.lat, starts),
            np.maximum.reduceat(curves.lon, starts),
            np.maximum.reduceat(curves.lat, starts),
        ]
    )
    center_lon = 0.5 * (piece_bounds[:, 0] + piece_bounds[:, 2])
    center_lat = 0.5 * (piece_bounds[:, 1] + piece_bounds[:, 3])
    band = np.degrees(1.5 * max_distance_m / MIN_MERIDIONAL_RADIUS_M)
    r_low, r_high = frame_scale_bounds(center_lat, piece_bounds[:, 1] - band, piece_bounds[:, 3] + band)
    kx = parallel_radius_m(center_lat) * np.pi / 180.0
    with np.errstate(divide="ignore"):
        polar = (r_low <= 0.0) | (kx <= 0.0) | (r_high / np.where(r_low > 0.0, r_low, 1.0) > _POLAR_RATIO)
    return _Pieces(
        curves=curves,
        project=np.searchsorted(dense.offsets, first, side="right").astype(np.int64) - 1,
        bounds=piece_bounds,
        center_lon=center_lon,
        center_lat=center_lat,
        kx=kx,
        ky=meridional_radius_m(center_lat) * np.pi / 180.0,
        r_low=np.where(polar, 0.0, r_low),
        r_high=np.where(polar, np.inf, r_high),
        polar=polar,
    )


def _to_frame(pieces: _Pieces, lon: FloatArray, lat: FloatArray, piece: IntArray) -> FloatArray:
    delta = (lon - pieces.center_lon[piece] + 180.0) % 360.0 - 180.0
    return np.column_stack([delta * pieces.kx[piece], (lat - pieces.center_lat[piece]) * pieces.ky[piece]])


def _piece_geometries(pieces: _Pieces) -> GeometryArray:
    """Each piece as a shapely line (or point) in its own frame."""
    curves = pieces.curves
    owner = np.repeat(np.arange(len(pieces.project)), curves.counts)
    xy = _to_frame(pieces, curves.lon, curves.lat, owner)
    single = curves.counts == 1
    out = np.empty(len(pieces.project), dtype=object)
    out[single] = shapely.points(xy[curves.offsets[:-1][single]])
    multi = ~single[owner]
    shapely.linestrings(xy[multi], indices=owner[multi], out=out)
    return out


def outlines(geometries: GeometryArray) -> GeometryArray:
    """Polygon boundaries; points and lines as they are."""
    out = geometries.copy()
    polygonal = shapely.get_dimensions(geometries) == 2
    out[polygonal] = shapely.boundary(geometries[polygonal])
    return out


def _selected(
    xy: FloatArray,
    pair: IntArray,
    box: FloatArray,
    threshold: FloatArray,
    distance_to_other: Callable[[NDArray[np.int64]], FloatArray],
) -> NDArray[np.bool_]:
    """Which frame points lie within ``threshold`` of the other geometry of their pair.

    A bounding-box test first, then ``distance_to_other(rows)`` for the points that pass it.
    """
    reach = threshold[pair]
    dx = np.maximum(0.0, np.maximum(box[pair, 0] - xy[:, 0], xy[:, 0] - box[pair, 2]))
    dy = np.maximum(0.0, np.maximum(box[pair, 1] - xy[:, 1], xy[:, 1] - box[pair, 3]))
    keep = (reach >= 0.0) & (dx * dx + dy * dy <= reach * reach)
    rows = np.flatnonzero(keep)
    keep[rows] = distance_to_other(rows) <= reach[rows]
    return np.asarray(keep, dtype=bool)


@dataclass(frozen=True)
class NearPairs:
    """(project, feature) pairs within reach, with their geodesic distance (m)."""

    project: IntArray
    feature: IntArray
    distance_m: FloatArray


def _piece_pair_candidates(
    pieces: _Pieces,
    tree: shapely.STRtree,
    receptor_bounds: FloatArray,
    excluded: IntArray,
    max_distance_m: float,
) -> tuple[IntArray, IntArray]:
    piece, feature = candidate_pairs(tree, pieces.bounds, max_distance_m)
    lower = bbox_lower_bound_m(pieces.bounds[piece], receptor_bounds[feature], max_distance_m)
    key = pieces.project[piece] * len(receptor_bounds) + feature
    keep = (lower <= max_distance_m) & ~np.isin(key, excluded)
    return piece[keep], feature[keep]


def near_pairs(
    outlines: GeometryArray,
    receptors: GeometryArray,
    receptor_curves: CurveStore,
    tree: shapely.STRtree,
    receptor_bounds: FloatArray,
    excluded: IntArray,
    max_distance_m: float,
    *,
    workers: int = 1,
) -> NearPairs:
    """Receptors within ``max_distance_m`` of each project outline, with exact distances.

    ``outlines`` are the projects' lines or polygon boundaries (see :func:`outlines`);
    ``excluded`` holds ``project * len(receptors) + feature`` keys to skip (the intersecting
    pairs, whose distance is 0).
    """
    pieces = _pieces(outlines, max_distance_m)
    piece, feature = _piece_pair_candidates(pieces, tree, receptor_bounds, excluded, max_distance_m)
    distance = _piece_pair_distances(
        pieces, piece, feature, receptors, receptor_curves, max_distance_m, workers
    )
    key = pieces.project[piece] * len(receptors) + feature
    order = np.lexsort((distance, key))
    key, distance = key[order], distance[order]
    first = np.r_[True, key[1:] != key[:-1]] & (distance <= max_distance_m)
    return NearPairs(key[first] // len(receptors), key[first] % len(receptors), distance[first])


def _piece_pair_distances(
    pieces: _Pieces,
    piece: IntArray,
    feature: IntArray,
    receptors: GeometryArray,
    receptor_curves: CurveStore,
    max_distance_m: float,
    workers: int,
) -> FloatArray:
    """Exact distance of each (piece, receptor) pair; ``inf`` when provably beyond reach."""
    result = np.full(len(piece), np.inf)
    unique_feature, feature_slot = np.unique(feature, return_inverse=True)
    outline = outlines(receptors[unique_feature])[feature_slot]
    receptor_lonlat, receptor_pair = shapely.get_coordinates(outline, return_index=True)
    receptor_xy = _to_frame(pieces, receptor_lonlat[:, 0], receptor_lonlat[:, 1], piece[receptor_pair])
    receptor_frame = np.asarray(shapely.set_coordinates(outline.copy(), receptor_xy))
    piece_frame = _piece_geometries(pieces)[piece]
    frame_distance = shapely.distance(piece_frame, receptor_frame)
    r_low, r_high, polar = pieces.r_low[piece], pieces.r_high[piece], pieces.polar[piece]
    live = polar | (frame_distance * r_low <= max_distance_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(polar, np.inf, (r_high * frame_distance + INTERIOR_ERROR_M + _SLACK_M) / r_low)
    threshold = np.where(live, threshold, -1.0)
    counts = pieces.curves.counts[piece]
    piece_vertex = ragged_ranges(pieces.curves.offsets[piece], counts)
    piece_pair = np.repeat(np.arange(len(piece)), counts)
    piece_lon, piece_lat = pieces.curves.lon[piece_vertex], pieces.curves.lat[piece_vertex]
    piece_xy = _to_frame(pieces, piece_lon, piece_lat, piece[piece_pair])
    kx, ky = pieces.kx[piece], pieces.ky[piece]

    def piece_to_receptor(rows: IntArray) -> FloatArray:
        at = piece_pair[rows]
        return frame_distances(receptor_curves, piece_lon[rows], piece_lat[rows], feature[at], kx[at], ky[at])

    def receptor_to_piece(rows: IntArray) -> FloatArray:
        at = receptor_pair[rows]
        lon, lat = receptor_lonlat[rows, 0], receptor_lonlat[rows, 1]
        return frame_distances(pieces.curves, lon, lat, piece[at], kx[at], ky[at])

    from_piece = _selected(piece_xy, piece_pair, shapely.bounds(receptor_frame), threshold, piece_to_receptor)
    from_receptor = _selected(
        receptor_xy, receptor_pair, shapely.bounds(piece_frame), threshold, receptor_to_piece
    )
    to_receptor = distance_to_curves(
        receptor_curves,
        piece_lon[from_piece],
        piece_lat[from_piece],
        feature[piece_pair[from_piece]],
        max_distance_m,
        workers=workers,
    )
    to_piece = distance_to_curves(
        pieces.curves,
        receptor_lonlat[from_receptor, 0],
        receptor_lonlat[from_receptor, 1],
        piece[receptor_pair[from_receptor]],
        max_distance_m,
        workers=workers,
    )
    np.minimum.at(result, piece_pair[from_piece], to_receptor)
    np.minimum.at(result, receptor_pair[from_receptor], to_piece)
    return result
