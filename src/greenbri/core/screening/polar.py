"""Candidate edges for query points whose local frame is unusable (near the poles).

There, the equirectangular frame of :mod:`greenbri.core.screening.curves` distorts too much to
bound anything, so edges are selected with bounds in 3-D (earth-centred) space instead:

* a geodesic is never shorter than the straight chord between its ends, and every point of an
  edge lies within (an upper bound of) half the edge's length of one of its two vertices, so
  ``max(0, min(chord to each vertex) - length / 2)`` is a lower bound of the distance to the edge;
* the geodesic distance to the vertex with the shortest chord is an upper bound of the distance
  to the whole geometry.

An edge whose lower bound exceeds the upper bound cannot hold the closest point. The starting
parameter for the Newton steps is the closest point of the 3-D chord between the vertices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from greenbri.core.screening.densify import edge_length_bound_m
from greenbri.core.screening.ellipsoid import EQUATORIAL_RADIUS_M, FLATTENING, WGS84_GEOD

__all__ = ["chord_selection"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
_E2 = FLATTENING * (2.0 - FLATTENING)


def _earth_centred(lon_deg: FloatArray, lat_deg: FloatArray) -> FloatArray:
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    s = np.sin(lat)
    normal = EQUATORIAL_RADIUS_M / np.sqrt(1.0 - _E2 * s * s)
    return np.column_stack(
        [normal * np.cos(lat) * np.cos(lon), normal * np.cos(lat) * np.sin(lon), normal * (1.0 - _E2) * s]
    )


def _group_starts(query: IntArray) -> IntArray:
    """First position of each run of equal values (none for an empty array)."""
    if query.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, query[1:] != query[:-1]])


def chord_selection(
    query: IntArray,
    q_lon: FloatArray,
    q_lat: FloatArray,
    lon0: FloatArray,
    lat0: FloatArray,
    dlon: FloatArray,
    dlat: FloatArray,
    max_distance_m: float,
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Edges that may hold the closest point, and a starting parameter on each.

    ``query`` (sorted) gives the query of each edge; ``q_lon``/``q_lat`` are per edge. Queries
    whose lower bound exceeds ``max_distance_m`` keep no edge.
    """
    point = _earth_centred(q_lon, q_lat)
    start = _earth_centred(lon0, lat0)
    end = _earth_centred(lon0 + dlon, lat0 + dlat)
    to_start = np.linalg.norm(point - start, axis=1)
    to_end = np.linalg.norm(point - end, axis=1)
    lower = np.maximum(0.0, np.minimum(to_start, to_end) - 0.5 * edge_length_bound_m(lon0, lat0, dlon, dlat))
    starts = _group_starts(query)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(query)]))
    order = np.lexsort((to_start, group))
    nearest = order[_group_starts(group[order])]
    _, _, upper = WGS84_GEOD.inv(q_lon[nearest], q_lat[nearest], lon0[nearest], lat0[nearest])
    reachable = np.minimum.reduceat(lower, starts) <= max_distance_m
    keep = reachable[group] & (lower <= np.asarray(upper)[group] * (1.0 + 1e-9) + 1e-6)
    chord = end - start
    length2 = np.einsum("ij,ij->i", chord, chord)
    along = np.einsum("ij,ij->i", point - start, chord)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0.0, np.clip(along / length2, 0.0, 1.0), 0.0)
    return keep, t
