"""Distances whose true value is known to the millimetre, built with :meth:`pyproj.Geod.fwd` / ``inv``.

* a point ``d`` metres along the geodesic normal from an edge point (the edge point is then the
  closest point of a convex polygon);
* a point along the outward bisector of a convex vertex (the vertex is the closest point);
* a line or polygon project along a parallel, beside a receptor edge along another parallel
  (the distance is the meridian arc between the two latitudes, for every point: both closest
  points are interior to edges);
* lengths along a meridian and the closed-form area of a longitude/latitude rectangle.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from tests.screening_geodesic.builders import (
    GEOD,
    edge_bearing_deg,
    layer_of,
    point_beside_edge,
    square_around,
)

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.geodesic import search

TOLERANCE_M = 1e-3
LATITUDES = (-60.0, -30.0, 0.0, 30.0, 45.0, 60.0, 75.0, 85.0)
DISTANCES_M = (0.5, 10.0, 1_000.0, 10_000.0, 49_000.0)


def quadrilateral(lat: float) -> shapely.Polygon:
    """A convex counter-clockwise quadrilateral with tilted edges (outward is to the right)."""
    return shapely.Polygon([(10.0, lat), (10.5, lat + 0.02), (10.6, lat + 0.4), (10.05, lat + 0.3)])


@pytest.mark.parametrize("lat", LATITUDES)
def test_point_beside_an_edge(lat: float) -> None:
    polygon = quadrilateral(lat)
    layer = layer_of([polygon])
    ring = list(polygon.exterior.coords)
    points, expected = [], []
    for edge in range(4):
        for t in (0.3, 0.6):
            for distance in DISTANCES_M:
                points.append(point_beside_edge(ring[edge], ring[edge + 1], t, distance, side=+1))
                expected.append(distance)
    table = search(layer, points, 50_000.0)
    assert len(table) == len(points)
    assert not table.intersects.any()
    np.testing.assert_allclose(
        table.distance_m, np.asarray(expected)[table.project_index], atol=TOLERANCE_M, rtol=0
    )


@pytest.mark.parametrize("lat", (-45.0, 0.0, 60.0, 80.0))
def test_point_beyond_a_vertex(lat: float) -> None:
    polygon = quadrilateral(lat)
    ring = list(polygon.exterior.coords)
    points, expected = [], []
    for vertex in range(4):
        before, at, after = ring[vertex - 1 if vertex else 3], ring[vertex], ring[vertex + 1]
        incoming = edge_bearing_deg(before, at, 1.0) + 90.0
        outgoing = edge_bearing_deg(at, after, 0.0) + 90.0
        turn = (outgoing - incoming + 180.0) % 360.0 - 180.0
        for distance in (3.0, 700.0, 20_000.0):
            x, y, _ = GEOD.fwd(at[0], at[1], incoming + turn / 2.0, distance)
            points.append(shapely.Point(x, y))
            expected.append(distance)
    table = search(layer_of([polygon]), points, 25_000.0)
    np.testing.assert_allclose(
        table.distance_m, np.asarray(expected)[table.project_index], atol=TOLERANCE_M, rtol=0
    )


def test_points_inside_are_at_zero_and_holes_count() -> None:
    outer = square_around(30.0, 40.0, 0.5)
    hole = square_around(30.0, 40.0, 0.1)
    donut = shapely.Polygon(outer.exterior.coords, [hole.exterior.coords])
    ring = list(hole.exterior.coords)
    in_hole = point_beside_edge(
        ring[0], ring[1], 0.5, 2_000.0, side=-1
    )  # left of the south edge: inside the hole
    inside = shapely.Point(30.3, 40.3)
    table = search(layer_of([donut]), [inside, in_hole], 5_000.0)
    assert table.project_index.tolist() == [0, 1]
    assert table.intersects.tolist() == [True, False]
    assert table.distance_m[0] == 0.0
    assert table.distance_m[1] == pytest.approx(2_000.0, abs=TOLERANCE_M)


@pytest.mark.parametrize("lat", (-50.0, 10.0, 55.0, 78.0))
def test_line_and_polygon_beside_a_parallel_edge(lat: float) -> None:
    """Closest points interior to both edges: every point of the project is equally near."""
    receptor = square_around(20.0, lat, 0.2)
    south = lat - 0.2
    for gap_deg in (0.0001, 0.01, 0.05):
        below = south - gap_deg
        line = shapely.LineString([(19.9, below), (20.1, below)])
        box = shapely.box(19.85, below - 0.1, 20.05, below)
        _, _, expected = GEOD.inv(20.0, below, 20.0, south)
        table = search(layer_of([receptor]), [line, box], 10_000.0)
        assert table.project_index.tolist() == [0, 1]
        np.testing.assert_allclose(table.distance_m, expected, atol=TOLERANCE_M, rtol=0)


def test_point_receptors_are_geodesic_point_distances() -> None:
    rng = np.random.default_rng(7)
    sites = shapely.points(rng.uniform(60, 62, 50), rng.uniform(35, 37, 50))
    project = shapely.Point(61.0, 36.0)
    table = search(layer_of(sites, role=ReceptorRole.WORLD_HERITAGE), [project], 80_000.0)
    _, _, expected = GEOD.inv(
        np.full(len(table), 61.0),
        np.full(len(table), 36.0),
        shapely.get_x(sites[table.feature_index]),
        shapely.get_y(sites[table.feature_index]),
    )
    np.testing.assert_allclose(table.distance_m, expected, atol=1e-6, rtol=0)
    _, _, everything = GEOD.inv(
        np.full(50, 61.0), np.full(50, 36.0), shapely.get_x(sites), shapely.get_y(sites)
    )
    assert sorted(table.feature_index.tolist()) == sorted(np.flatnonzero(everything <= 80_000.0).tolist())


def rectangle_area_m2(west: float, south: float, east: float, north: float) -> float:
    """Closed-form area of a longitude/latitude rectangle on WGS84 (authalic integral)."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    e = math.sqrt(e2)
    b2 = a * a * (1 - e2)

    def q(lat_deg: float) -> float:
        s = math.sin(math.radians(lat_deg))
        return s / (2 * (1 - e2 * s * s)) + math.log((1 + e * s) / (1 - e * s)) / (4 * e)

    return b2 * math.radians(east - west) * (q(north) - q(south))


def test_length_and_area_inside() -> None:
    receptor = square_around(100.0, 25.0, 0.2)
    meridian = shapely.LineString([(100.05, 24.0), (100.05, 26.0)])
    overlapping = shapely.box(99.9, 24.9, 100.5, 25.5)
    park = shapely.box(99.0, 24.0, 101.0, 26.0)
    river = shapely.LineString([(100.0, 24.5), (100.0, 25.5)])
    table = search(layer_of([receptor]), [meridian, overlapping], 0.0)
    _, _, length = GEOD.inv(100.05, 24.8, 100.05, 25.2)
    assert table.intersects.all()
    assert table.length_inside_m[0] == pytest.approx(length, abs=1e-6)
    assert math.isnan(table.area_inside_m2[0])
    assert table.area_inside_m2[1] == pytest.approx(rectangle_area_m2(99.9, 24.9, 100.2, 25.2), rel=1e-7)
    assert math.isnan(table.length_inside_m[1])
    rivers = search(layer_of([river], role=ReceptorRole.RIVER), [park], 0.0)
    _, _, river_length = GEOD.inv(100.0, 24.5, 100.0, 25.5)
    assert rivers.length_inside_m[0] == pytest.approx(river_length, abs=1e-6)
    hits = table.to_hits(layer_of([receptor]))
    assert hits[0][0].length_inside_m == pytest.approx(length, abs=1e-6)
    assert hits[0][0].area_inside_m2 is None
