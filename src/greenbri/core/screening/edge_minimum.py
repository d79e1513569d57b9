"""The closest point of a longitude/latitude edge to a point, on the WGS84 ellipsoid.

Along an edge ``E(t) = (lon0 + t dlon, lat0 + t dlat)``, ``0 <= t <= 1``, the geodesic distance
``f(t)`` from a point has a single minimum (edges are kept short, see
:mod:`greenbri.core.screening.densify`). :func:`closest_on_edges` finds it with safeguarded
Newton steps, vectorised over edges:

* :meth:`pyproj.Geod.inv` gives ``f(t)`` and the azimuth of the geodesic at ``E(t)``; the
  derivative ``f'(t)`` is the edge tangent (in local metres) projected on that azimuth (the
  gradient of a geodesic distance with respect to its end point is the unit tangent there);
* the curvature ``f''`` is estimated as in the plane (``|T_perp|^2 / f``) at the first step and
  by the secant of ``f'`` afterwards, which stays right when the edge curves around the point
  (near a pole). The planar estimate can only be too large by the factor
  ``1 / (1 - 2 f tan|phi| / a)`` (an edge's geodesic curvature is at most about
  ``tan|phi| / a``), so the first step's stopping test is tightened by that factor, and left
  to the secant where the factor exceeds 2;
* a bracket ``[lo, hi]`` of the sign change of ``f'`` keeps every step inside; a step that
  would leave it bisects instead.

It stops when the predicted gain of the next step is below 0.1 mm (first step, corrected as
above) or 0.01 mm (secant), or when the bracket is narrower than 0.1 mm. The distance returned is the smallest
measured, always the distance to a real point of the edge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from greenbri.core.screening.ellipsoid import (
    EQUATORIAL_RADIUS_M,
    WGS84_GEOD,
    meridional_radius_m,
    parallel_radius_m,
)

__all__ = ["closest_on_edges"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_FIRST_STEP_GAIN_M = 1e-4
_SECANT_GAIN_M = 1e-5
_BRACKET_M = 1e-4
_MAX_STEPS = 60
_DEG = np.pi / 180.0


def _first_step_tolerance(distance: FloatArray, lat: FloatArray) -> FloatArray:
    """Gain below which the first (planar-curvature) step may stop; 0 where it cannot be trusted."""
    factor = 1.0 - 2.0 * distance * np.tan(np.radians(np.minimum(np.abs(lat), 89.9999))) / EQUATORIAL_RADIUS_M
    return np.where(factor >= 0.5, _FIRST_STEP_GAIN_M * factor, 0.0)


def _measure(
    q_lon: FloatArray, q_lat: FloatArray, edges: tuple[FloatArray, ...], t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distance ``f(t)``, slope ``f'(t)`` (m per unit t) and squared edge speed (m^2)."""
    lon0, lat0, dlon, dlat = edges
    lat = lat0 + t * dlat
    _, back_azimuth, distance = WGS84_GEOD.inv(q_lon, q_lat, lon0 + t * dlon, lat)
    back = np.radians(back_azimuth)
    east = dlon * parallel_radius_m(lat) * _DEG
    north = dlat * meridional_radius_m(lat) * _DEG
    slope = -(east * np.sin(back) + north * np.cos(back))
    return np.asarray(distance, dtype=np.float64), slope, east * east + north * north


class _Bracket:
    """Per-edge search state: the bracket of the minimum and the previous step."""

    def __init__(self, size: int) -> None:
        self.low = np.zeros(size)
        self.high = np.ones(size)
        self.low_seen = np.zeros(size, dtype=bool)
        self.high_seen = np.zeros(size, dtype=bool)
        self.previous_t = np.full(size, np.nan)
        self.previous_slope = np.full(size, np.nan)

    def update(self, rows: NDArray[np.int64], t: FloatArray, slope: FloatArray) -> None:
        rising, falling = slope > 0.0, slope < 0.0
        self.high[rows[rising]] = t[rising]
        self.high_seen[rows[rising]] = True
        self.low[rows[falling]] = t[falling]
        self.low_seen[rows[falling]] = True

    def curvature(
        self, rows: NDArray[np.int64], t: FloatArray, slope: FloatArray, planar: FloatArray
    ) -> tuple[FloatArray, BoolArray]:
        """Secant estimate of ``f''`` where available and positive, else the planar one."""
        with np.errstate(invalid="ignore", divide="ignore"):
            secant = (slope - self.previous_slope[rows]) / (t - self.previous_t[rows])
        usable = np.isfinite(secant) & (secant > 0.0)
        self.previous_t[rows], self.previous_slope[rows] = t, slope
        return np.where(usable, secant, planar), usable

    def next_t(self, rows: NDArray[np.int64], proposal: FloatArray) -> FloatArray:
        low, high = self.low[rows], self.high[rows]
        middle = 0.5 * (low + high)
        below = np.where(self.low_seen[rows], middle, low)
        above = np.where(self.high_seen[rows], middle, high)
        inside = (proposal > low) & (proposal < high)
        return np.where(inside, proposal, np.where(proposal <= low, below, above))


def closest_on_edges(
    q_lon: FloatArray,
    q_lat: FloatArray,
    lon0: FloatArray,
    lat0: FloatArray,
    dlon: FloatArray,
    dlat: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """Geodesic distance (m) from point ``k`` to edge ``k``, searching from parameter ``t[k]``."""
    size = len(t)
    distance = np.full(size, np.inf)
    bracket = _Bracket(size)
    t = np.asarray(t, dtype=np.float64).copy()
    active = np.arange(size)
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        ta = t[active]
        edges = (lon0[active], lat0[active], dlon[active], dlat[active])
        s, slope, speed2 = _measure(q_lon[active], q_lat[active], edges, ta)
        distance[active] = np.minimum(distance[active], s)
        bracket.update(active, ta, slope)
        with np.errstate(invalid="ignore", divide="ignore"):
            planar = np.maximum(speed2 - slope * slope, 0.0) / s
            curvature, secant = bracket.curvature(active, ta, slope, planar)
            proposal = ta - slope / curvature
            gain = slope * slope / (2.0 * curvature)
        low, high = bracket.low[active], bracket.high[active]
        at_end = ((ta <= 0.0) & (slope >= 0.0)) | ((ta >= 1.0) & (slope <= 0.0))
        tolerance = np.where(secant, _SECANT_GAIN_M, _first_step_tolerance(s, edges[1] + ta * edges[3]))
        settled = (gain < tolerance) & (proposal > low) & (proposal < high)
        narrow = (high - low) * np.sqrt(speed2) < _BRACKET_M
        finished = (s == 0.0) | (slope == 0.0) | at_end | settled | narrow
        t[active] = bracket.next_t(active, np.nan_to_num(proposal, nan=0.5))
        active = active[~finished]
    return distance
