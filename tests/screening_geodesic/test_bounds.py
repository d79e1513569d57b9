"""The conservative bounds behind the search hold for random geodesics (hypothesis), and the helpers.

Each property builds a true geodesic with :meth:`pyproj.Geod.fwd` and checks a bound the search
relies on: the STRtree envelope margins, the bounding-box lower bound, the equirectangular
frame's distortion bounds, the polar chord bound; then edge splitting and the length measure.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening_geodesic.builders import GEOD

from greenbri.core.screening.curves import CurveStore
from greenbri.core.screening.densify import split_long_edges
from greenbri.core.screening.ellipsoid import (
    MIN_MERIDIONAL_RADIUS_M,
    bbox_lower_bound_m,
    envelope_margin_deg,
    frame_scale_bounds,
    meridional_radius_m,
    parallel_radius_m,
)
from greenbri.core.screening.measures import geodesic_lengths_m
from greenbri.core.screening.spatial_index import query_boxes

ORIGINS = st.tuples(st.floats(-180.0, 180.0), st.floats(-89.9, 89.9))
GEODESICS = st.tuples(st.floats(0.0, 360.0), st.floats(0.0, 50_000.0))


def walk(origin: tuple[float, float], geodesic: tuple[float, float]) -> tuple[float, float, float]:
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], geodesic[0], geodesic[1])
    return float(lon), float(lat), geodesic[1]


def wrapped(delta: float) -> float:
    return (delta + 180.0) % 360.0 - 180.0


@settings(max_examples=300, deadline=None)
@given(origin=ORIGINS, geodesic=GEODESICS)
def test_envelope_margins_and_box_lower_bound(
    origin: tuple[float, float], geodesic: tuple[float, float]
) -> None:
    lon, lat, distance = walk(origin, geodesic)
    lat_array = np.array([origin[1]])
    lon_margin, lat_margin = envelope_margin_deg(lat_array, lat_array, 50_000.0)
    assert abs(lat - origin[1]) <= lat_margin[0]
    assert abs(wrapped(lon - origin[0])) <= lon_margin[0]
    a = np.array([[origin[0], origin[1], origin[0], origin[1]]])
    b = np.array([[lon, lat, lon, lat]])
    assert bbox_lower_bound_m(a, b, 50_000.0)[0] <= distance + 1e-6


@settings(max_examples=300, deadline=None)
@given(origin=st.tuples(st.floats(-180.0, 180.0), st.floats(-85.0, 85.0)), geodesic=GEODESICS)
def test_frame_distortion_bounds(origin: tuple[float, float], geodesic: tuple[float, float]) -> None:
    lon, lat, distance = walk(origin, geodesic)
    lat0 = np.array([origin[1]])
    band = np.degrees(1.5 * 50_000.0 / MIN_MERIDIONAL_RADIUS_M)
    r_low, r_high = frame_scale_bounds(lat0, lat0 - band, lat0 + band)
    x = wrapped(lon - origin[0]) * parallel_radius_m(lat0)[0] * np.pi / 180.0
    y = (lat - origin[1]) * meridional_radius_m(lat0)[0] * np.pi / 180.0
    frame = float(np.hypot(x, y))
    assert r_low[0] * frame <= distance + 1e-6
    assert distance <= r_high[0] * frame + 1e-6


def test_query_boxes_split_at_the_antimeridian_and_open_at_the_poles() -> None:
    bounds = np.array(
        [[179.99, 10.0, 179.99, 10.0], [-179.99, -10.0, -179.99, -10.0], [0.0, 89.95, 0.0, 89.95]]
    )
    boxes, owners = query_boxes(bounds, 10_000.0)
    assert sorted(owners.tolist()) == [0, 0, 1, 1, 2]
    assert boxes[owners == 0][:, 0].min() < 180.0 and boxes[owners == 0][:, 0].min() >= -180.0
    assert (boxes[owners == 0][:, 0] == -180.0).any() and (boxes[owners == 1][:, 2] == 180.0).any()
    polar = boxes[owners == 2][0]
    assert polar[0] == -180.0 and polar[2] == 180.0 and polar[3] == 90.0


def test_long_edges_are_split_in_metres_not_degrees() -> None:
    lon = np.array([0.0, 1.0, -170.0, 170.0])
    lat = np.array([0.0, 0.0, 89.9, 89.9])
    piece = np.array([0, 0, 1, 1])
    new_lon, new_lat, new_piece = split_long_edges(lon, lat, piece, np.array([10_000.0, 10_000.0]))
    equator = new_piece == 0
    assert equator.sum() == 13  # 111 km in 12 edges of at most 10 km
    assert np.all(np.diff(new_lon[equator]) > 0) and np.all(new_lat[equator] == 0.0)
    near_pole = new_piece == 1
    assert near_pole.sum() == 35  # 340 degrees of longitude: 34 edges of 10 degrees (each ~2 km long)
    store = CurveStore.from_geometries(
        np.array([shapely.LineString([(0, 0), (1, 0)])], dtype=object), 10_000.0
    )
    assert store.lon.size == 13 and store.step.tolist() == [1] * 12 + [0]


def test_lengths_match_pyproj_geometry_length() -> None:
    line = shapely.MultiLineString(
        [[(10.0, 50.0), (10.004, 50.003), (10.01, 50.0)], [(11.0, 50.0), (11.0, 50.006)]]
    )
    expected = GEOD.geometry_length(line)
    assert geodesic_lengths_m(np.array([line], dtype=object))[0] == pytest.approx(expected, rel=1e-12)
