"""Split long longitude/latitude edges into shorter ones along the same straight line.

The curve does not change (the new vertices lie on the straight longitude/latitude edge); only
the edge lengths are bounded, so that the distance from a point along each edge has a single
minimum. Lengths are bounded in metres, not degrees, so edges near the poles are not split into
thousands of pieces: a degree is at most :data:`METRES_PER_DEGREE_MAX` metres, a degree of
longitude at most that times the cosine of the edge's lowest absolute latitude. Edges are also
split so none spans more than ``max_lon_span_deg`` of longitude (near a pole a parallel curves
strongly; this keeps each edge's turn small).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from greenbri.core.screening.ellipsoid import meridional_radius_m

__all__ = ["MAX_LON_SPAN_DEG", "METRES_PER_DEGREE_MAX", "edge_length_bound_m", "split_long_edges"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Metres per degree along the longest degree on the ellipsoid (a degree of latitude at a pole).
METRES_PER_DEGREE_MAX = float(meridional_radius_m(90.0)) * np.pi / 180.0
#: Longest longitude span of one edge after splitting (degrees).
MAX_LON_SPAN_DEG = 10.0
_BLOCK = 1 << 20


def edge_length_bound_m(lon0: FloatArray, lat0: FloatArray, dlon: FloatArray, dlat: FloatArray) -> FloatArray:
    """An upper bound (metres) of the length of longitude/latitude-straight edges."""
    lat1 = lat0 + dlat
    low_lat = np.where(lat0 * lat1 <= 0.0, 0.0, np.minimum(np.abs(lat0), np.abs(lat1)))
    return np.asarray(np.hypot(dlat, dlon * np.cos(np.radians(low_lat))) * METRES_PER_DEGREE_MAX)


def _edge_counts(
    lon: FloatArray, lat: FloatArray, piece: IntArray, max_edge_m: FloatArray, max_lon_span_deg: float
) -> IntArray:
    """Number of edges each vertex's edge becomes (1 for the last vertex of a piece), by blocks."""
    count = np.ones(lon.size, dtype=np.int64)
    for start in range(0, lon.size - 1, _BLOCK):
        stop = min(start + _BLOCK, lon.size - 1)
        same = piece[start + 1 : stop + 1] == piece[start:stop]
        dlon = np.where(same, lon[start + 1 : stop + 1] - lon[start:stop], 0.0)
        dlat = np.where(same, lat[start + 1 : stop + 1] - lat[start:stop], 0.0)
        length = edge_length_bound_m(lon[start:stop], lat[start:stop], dlon, dlat)
        parts = np.maximum(
            np.ceil(length / max_edge_m[piece[start:stop]]), np.ceil(np.abs(dlon) / max_lon_span_deg)
        )
        count[start:stop] = np.maximum(parts, 1.0)
    return count


def split_long_edges(
    lon: FloatArray,
    lat: FloatArray,
    piece: IntArray,
    max_edge_m: FloatArray,
    max_lon_span_deg: float = MAX_LON_SPAN_DEG,
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Vertices with long edges split; ``piece[i]`` names the ring/line of vertex ``i``.

    ``max_edge_m`` holds the longest edge allowed per piece. Consecutive vertices of the same
    piece bound an edge; the output keeps the order and the piece of every vertex.
    """
    count = _edge_counts(lon, lat, piece, max_edge_m, max_lon_span_deg)
    if np.all(count == 1):
        return lon, lat, piece
    same = np.r_[piece[1:] == piece[:-1], False]
    dlon = np.where(same, np.r_[lon[1:] - lon[:-1], 0.0], 0.0)
    dlat = np.where(same, np.r_[lat[1:] - lat[:-1], 0.0], 0.0)
    origin = np.repeat(np.arange(lon.size), count)
    step = np.arange(origin.size) - np.repeat(np.cumsum(count) - count, count)
    t = step / count[origin]
    return lon[origin] + t * dlon[origin], lat[origin] + t * dlat[origin], piece[origin]
