"""WGS84 radii of curvature and the bounds that make the geodesic search conservative.

A point at latitude ``phi`` moves ``M(phi)`` metres per radian of latitude (meridional radius
of curvature) and ``N(phi) cos(phi)`` metres per radian of longitude (radius of the parallel).
Every path on the ellipsoid has length ``integral of sqrt(M^2 dphi^2 + (N cos phi)^2 dlambda^2)``,
which gives the three tools used by :mod:`greenbri.core.screening.geodesic`:

* :func:`envelope_margin_deg`: how far (degrees) a point within ``distance_m`` can lie from a
  bounding box, so the STRtree query never misses a receptor;
* :func:`bbox_lower_bound_m`: a lower bound of the geodesic distance between two bounding
  boxes (Minkowski's inequality on the metric above), used to drop far candidates cheaply;
* :func:`frame_scale_bounds`: how much a local equirectangular frame centred at ``phi0`` can
  stretch or shrink lengths within a latitude band, so that a candidate selected in the frame
  is provably a superset of the true nearest candidates.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

__all__ = [
    "EQUATORIAL_RADIUS_M",
    "FLATTENING",
    "MIN_MERIDIONAL_RADIUS_M",
    "WGS84_GEOD",
    "bbox_lower_bound_m",
    "envelope_margin_deg",
    "frame_scale_bounds",
    "meridional_radius_m",
    "parallel_radius_m",
]

FloatArray = NDArray[np.float64]

#: WGS84 semi-major axis (metres) and flattening (EPSG:7030).
EQUATORIAL_RADIUS_M = 6378137.0
FLATTENING = 1.0 / 298.257223563
_E2 = FLATTENING * (2.0 - FLATTENING)
#: The smallest meridional radius of curvature (at the equator): a degree of latitude is never
#: shorter than ``MIN_MERIDIONAL_RADIUS_M * pi / 180`` metres (110,574 m).
MIN_MERIDIONAL_RADIUS_M = EQUATORIAL_RADIUS_M * (1.0 - _E2)
#: The geodesic calculator (GeographicLib through pyproj) for the WGS84 ellipsoid.
WGS84_GEOD = Geod(ellps="WGS84")
#: Relative slack added to margins so floating-point rounding never makes a bound too tight.
_SLACK = 1e-9


def meridional_radius_m(lat_deg: FloatArray | float) -> FloatArray:
    """Meridional radius of curvature ``M`` (metres) at geodetic latitude ``lat_deg``."""
    s = np.sin(np.radians(lat_deg))
    return np.asarray(EQUATORIAL_RADIUS_M * (1.0 - _E2) / (1.0 - _E2 * s * s) ** 1.5, dtype=np.float64)


def parallel_radius_m(lat_deg: FloatArray | float) -> FloatArray:
    """Radius of the parallel ``N cos(phi)`` (metres) at ``lat_deg``; 0 at the poles."""
    phi = np.radians(lat_deg)
    s = np.sin(phi)
    radius = EQUATORIAL_RADIUS_M * np.cos(phi) / np.sqrt(1.0 - _E2 * s * s)
    return np.asarray(np.maximum(radius, 0.0), dtype=np.float64)


def _band_abs_extremes(lat_low: FloatArray, lat_high: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Smallest and largest ``|latitude|`` over the bands ``[lat_low, lat_high]`` (clipped to 90)."""
    low = np.clip(lat_low, -90.0, 90.0)
    high = np.clip(lat_high, -90.0, 90.0)
    abs_max = np.maximum(np.abs(low), np.abs(high))
    abs_min = np.where((low <= 0.0) & (high >= 0.0), 0.0, np.minimum(np.abs(low), np.abs(high)))
    return abs_min, abs_max


def envelope_margin_deg(
    lat_min: FloatArray, lat_max: FloatArray, distance_m: float
) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude margins (degrees) that contain every point within ``distance_m``.

    A path of length ``distance_m`` changes latitude by at most ``distance_m / M_min`` and, while
    it stays below ``|phi_max|``, longitude by at most ``distance_m / (N cos phi_max)``. The
    longitude margin is ``inf`` when the band reaches a pole (the caller then queries all
    longitudes).
    """
    lat_margin = np.degrees(distance_m / MIN_MERIDIONAL_RADIUS_M) * (1.0 + _SLACK) + 1e-12
    _, abs_max = _band_abs_extremes(lat_min - lat_margin, lat_max + lat_margin)
    parallel = parallel_radius_m(abs_max)
    with np.errstate(divide="ignore"):
        lon_margin = np.where(
            (abs_max >= 90.0) | (parallel <= 0.0),
            np.inf,
            np.degrees(distance_m / np.where(parallel > 0.0, parallel, 1.0)) * (1.0 + _SLACK) + 1e-12,
        )
    return np.asarray(lon_margin, dtype=np.float64), np.full_like(lat_min, lat_margin)


def _longitude_gap_deg(
    a_min: FloatArray, a_max: FloatArray, b_min: FloatArray, b_max: FloatArray
) -> FloatArray:
    """Smallest longitude difference between two intervals, going either way around the globe."""
    gap = np.full(a_min.shape, np.inf)
    for shift in (-360.0, 0.0, 360.0):
        one_way = np.maximum(0.0, np.maximum(b_min + shift - a_max, a_min - (b_max + shift)))
        gap = np.minimum(gap, one_way)
    return gap


def bbox_lower_bound_m(bounds_a: FloatArray, bounds_b: FloatArray, distance_m: float) -> FloatArray:
    """A lower bound (metres) of the geodesic distance between points of two bounding boxes.

    ``bounds_*`` are ``(n, 4)`` arrays of ``minx, miny, maxx, maxy`` in degrees. Valid for any
    pair whose distance is at most ``distance_m`` (the band used for the parallel radius is the
    boxes' latitudes widened by that distance); larger distances only need to be known to be
    larger, which the bound still shows.
    """
    lat_gap = np.maximum(0.0, np.maximum(bounds_b[:, 1] - bounds_a[:, 3], bounds_a[:, 1] - bounds_b[:, 3]))
    lon_gap = _longitude_gap_deg(bounds_a[:, 0], bounds_a[:, 2], bounds_b[:, 0], bounds_b[:, 2])
    lat_margin = np.degrees(distance_m / MIN_MERIDIONAL_RADIUS_M)
    low = np.minimum(bounds_a[:, 1], bounds_b[:, 1]) - lat_margin
    high = np.maximum(bounds_a[:, 3], bounds_b[:, 3]) + lat_margin
    _, abs_max = _band_abs_extremes(low, high)
    north = MIN_MERIDIONAL_RADIUS_M * np.radians(lat_gap)
    east = parallel_radius_m(abs_max) * np.radians(lon_gap)
    return np.asarray(np.hypot(north, east) * (1.0 - _SLACK), dtype=np.float64)


def frame_scale_bounds(
    lat0: FloatArray, lat_low: FloatArray, lat_high: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Bounds ``(r_low, r_high)`` of true length / frame length within a latitude band.

    The frame is the equirectangular one at ``lat0``: ``x = N0 cos(phi0) dlambda``,
    ``y = M0 dphi``. For any path inside ``[lat_low, lat_high]``,
    ``r_low * frame_length <= true_length <= r_high * frame_length``. ``r_low`` is 0 when the
    band reaches a pole.
    """
    abs_min, abs_max = _band_abs_extremes(lat_low, lat_high)
    p0 = parallel_radius_m(lat0)
    m0 = meridional_radius_m(lat0)
    safe_p0 = np.where(p0 > 0.0, p0, 1.0)
    east_low = np.where(p0 > 0.0, parallel_radius_m(abs_max) / safe_p0, 0.0)
    east_high = np.where(p0 > 0.0, parallel_radius_m(abs_min) / safe_p0, np.inf)
    north_low = meridional_radius_m(abs_min) / m0
    north_high = meridional_radius_m(abs_max) / m0
    r_low = np.minimum(east_low, north_low) * (1.0 - _SLACK)
    r_high = np.maximum(east_high, north_high) * (1.0 + _SLACK)
    return np.asarray(r_low, dtype=np.float64), np.asarray(r_high, dtype=np.float64)
