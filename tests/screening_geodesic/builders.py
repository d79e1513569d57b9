"""Builders shared by the geodesic search tests: layers, and points at known geodesic distances."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.geodesic import ReceptorLayer

GEOD = Geod(ellps="WGS84")


def layer_of(
    geometries: Sequence[Any] | np.ndarray,
    role: ReceptorRole = ReceptorRole.PROTECTED_AREA,
    names: Sequence[str] | None = None,
    attributes: dict[str, Any] | None = None,
    dataset_id: str = "test-layer",
) -> ReceptorLayer:
    geometries = np.asarray(geometries, dtype=object)
    size = len(geometries)
    return ReceptorLayer(
        geometries,
        ids=[f"R{k}" for k in range(size)],
        names=names if names is not None else [f"receptor {k}" for k in range(size)],
        attributes=attributes,
        dataset_id=dataset_id,
        version=1,
        role=role,
    )


def edge_bearing_deg(start: tuple[float, float], end: tuple[float, float], t: float) -> float:
    """Azimuth (degrees from north) of a longitude/latitude-straight edge at parameter ``t``.

    The tangent of ``lon = lon0 + t dlon, lat = lat0 + t dlat`` is, in local metres,
    ``(dlon * N cos(phi), dlat * M)`` (east, north), with the WGS84 radii at the point.
    """
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    lat = np.radians(start[1] + t * (end[1] - start[1]))
    w = 1 - e2 * np.sin(lat) ** 2
    east = np.radians(end[0] - start[0]) * a * np.cos(lat) / np.sqrt(w)
    north = np.radians(end[1] - start[1]) * a * (1 - e2) / w**1.5
    return float(np.degrees(np.arctan2(east, north)))


def point_beside_edge(
    start: tuple[float, float], end: tuple[float, float], t: float, distance_m: float, side: int
) -> shapely.Point:
    """The point ``distance_m`` from the edge point at ``t``, along the geodesic normal to the edge.

    ``side`` +1 goes to the right of the edge direction, -1 to the left. The edge point is then
    the closest point of the edge (first-order condition), so the distance to the edge is
    ``distance_m`` up to the edge's tiny curvature when the edge is convex towards the point.
    """
    lon = start[0] + t * (end[0] - start[0])
    lat = start[1] + t * (end[1] - start[1])
    azimuth = edge_bearing_deg(start, end, t) + 90.0 * side
    x, y, _ = GEOD.fwd(lon, lat, azimuth, distance_m)
    return shapely.Point(x, y)


def square_around(lon: float, lat: float, half_deg: float) -> shapely.Polygon:
    """A counter-clockwise square (in longitude/latitude): outward is to the right of each edge."""
    return shapely.Polygon(
        [
            (lon - half_deg, lat - half_deg),
            (lon + half_deg, lat - half_deg),
            (lon + half_deg, lat + half_deg),
            (lon - half_deg, lat + half_deg),
        ]
    )
