"""greenbri.core.geometry: parsing, range, repair and the swapped lon/lat verdict."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core.geometry import (
    clamp_rounding,
    find_out_of_range,
    parse_wkb,
    parse_wkt,
    repair_geometries,
    swap_verdict,
)


def _array(*geometries: object) -> np.ndarray:
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return array


def test_parse_wkt_closes_rings_and_reports_garbage() -> None:
    outcome = parse_wkt(["POINT (1 2)", None, float("nan"), "POLYGON ((0 0, 1 0, 1 1))", "POINT (1"])
    assert outcome.geometries[0].equals(shapely.Point(1, 2))
    assert outcome.geometries[1] is None and outcome.geometries[2] is None
    assert outcome.geometries[3].equals(shapely.Polygon([(0, 0), (1, 0), (1, 1)]))
    assert [(repair.index, repair.action) for repair in outcome.repairs] == [
        (3, "closed the unclosed ring(s)")
    ]
    assert "closed linestring" in outcome.repairs[0].problem
    assert [failure.index for failure in outcome.failures] == [4]


def test_parse_wkb() -> None:
    outcome = parse_wkb([shapely.to_wkb(shapely.Point(1, 2)), None])
    assert outcome.geometries[0].equals(shapely.Point(1, 2)) and outcome.geometries[1] is None
    assert not outcome.repairs and not outcome.failures


def test_find_out_of_range() -> None:
    geometries = _array(
        shapely.Point(10, 20),
        None,
        shapely.Point(10, 95),
        shapely.LineString([(0, 0), (181, 1)]),
        shapely.Point(np.inf, 0),
        shapely.Polygon(),
        shapely.Point(180 + 1e-12, 0),
    )
    found = find_out_of_range(geometries)
    assert [(item.index, item.lon, item.lat) for item in found] == [(2, 10, 95), (3, 181, 1), (4, np.inf, 0)]


def test_clamp_rounding() -> None:
    geometries = _array(shapely.Point(180 + 1e-12, -90 - 1e-13), shapely.Point(1, 1), None)
    clamped, repairs = clamp_rounding(geometries)
    assert clamped[0].equals(shapely.Point(180, -90))
    assert clamped[1] is geometries[1]
    assert [repair.index for repair in repairs] == [0]


def test_repair_geometries() -> None:
    bowtie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    overlapping = shapely.MultiPolygon([shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3)])
    flat = shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)])
    outcome = repair_geometries(
        _array(
            shapely.box(0, 0, 1, 1),
            bowtie,
            None,
            overlapping,
            flat,
            shapely.Polygon(),
            shapely.Point(np.nan, 1),
        )
    )
    assert outcome.geometries[0] is not None and outcome.geometries[2] is None
    assert [repair.index for repair in outcome.repairs] == [1, 3]
    assert outcome.geometries[1].area == 2.0
    assert outcome.geometries[3].area == 7.0  # merged, not a hole where the parts overlap
    assert [problem.index for problem in outcome.unrepairable] == [4, 5, 6]
    assert "collapse" in outcome.unrepairable[0].problem
    assert "empty" in outcome.unrepairable[1].problem


def test_line_that_is_one_point_cannot_be_repaired() -> None:
    outcome = repair_geometries(_array(shapely.LineString([(1, 1), (1, 1)])))
    assert [problem.index for problem in outcome.unrepairable] == [0]


def test_swap_verdict() -> None:
    square = shapely.box(60, 30, 80, 50)  # a "country"
    countries = _array(square, square, None)
    lon = np.array([40.0, 45.0, 1.0])
    lat = np.array([70.0, 65.0, 1.0])
    verdict = swap_verdict(countries, lon, lat)
    assert (verdict.checked, verdict.inside, verdict.inside_swapped) == (2, 0, 2)
    assert verdict.looks_swapped
    assert not swap_verdict(countries, lat, lon).looks_swapped
    assert not swap_verdict(_array(None), np.array([1.0]), np.array([1.0])).looks_swapped


_COORDINATE = st.floats(-10, 10, allow_nan=False).map(lambda value: round(value, 3))


@settings(max_examples=80, deadline=None)
@given(points=st.lists(st.tuples(_COORDINATE, _COORDINATE), min_size=3, max_size=12))
def test_repair_never_raises_and_keeps_polygons_polygonal(points: list[tuple[float, float]]) -> None:
    polygon = shapely.Polygon(points)
    outcome = repair_geometries(_array(polygon))
    if outcome.unrepairable:
        assert outcome.unrepairable[0].index == 0
        return
    repaired = outcome.geometries[0]
    assert repaired.is_valid
    assert repaired.geom_type in ("Polygon", "MultiPolygon")
    assert bool(outcome.repairs) == (not polygon.is_valid)
