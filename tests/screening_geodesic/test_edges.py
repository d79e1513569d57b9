"""The antimeridian, the poles, the edge convention, bad input, pickling and deterministic output."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import shapely
from tests.screening_geodesic.builders import GEOD, layer_of, square_around

from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import CoordinateRangeError, GeometryError, InputError
from greenbri.core.screening.geodesic import HitTable, search
from greenbri.core.screening.geodesic_reference import reference_distance_m


def assert_as_reference(
    table: HitTable, projects: list[shapely.Geometry], receptors: list[shapely.Geometry], radius_m: float
) -> None:
    """Every pair within ``radius_m`` by the brute-force reference is found, at the same distance."""
    found = {
        (project, feature): distance
        for project, feature, distance in zip(
            table.project_index.tolist(), table.feature_index.tolist(), table.distance_m.tolist(), strict=True
        )
    }
    for project, geometry in enumerate(projects):
        for feature, receptor in enumerate(receptors):
            expected = reference_distance_m(geometry, receptor)
            if expected <= radius_m - 0.01 or (project, feature) in found:
                assert found[(project, feature)] == pytest.approx(expected, abs=0.01), (project, feature)


def test_receptor_split_at_the_antimeridian() -> None:
    split = shapely.MultiPolygon(
        [shapely.box(179.8, -0.1, 180.0, 0.1), shapely.box(-180.0, -0.1, -179.8, 0.1)]
    )
    east_of_line, west_of_line = shapely.Point(-179.7, 0.0), shapely.Point(179.7, 0.0)
    table = search(layer_of([split]), [east_of_line, west_of_line], 20_000.0)
    _, _, expected = GEOD.inv([-179.7, 179.7], [0.0, 0.0], [-179.8, 179.8], [0.0, 0.0])
    np.testing.assert_allclose(table.distance_m, expected, atol=1e-3)


def test_neighbours_across_the_antimeridian_are_found() -> None:
    site = shapely.Point(179.99, 10.0)
    project = shapely.LineString([(-179.99, 9.9), (-179.99, 10.1)])
    points = [shapely.Point(-179.995, 10.0), project]
    table = search(layer_of([site], role=ReceptorRole.WORLD_HERITAGE), points, 5_000.0)
    assert table.project_index.tolist() == [0, 1]
    _, _, expected = GEOD.inv([-179.995, -179.99], [10.0, 10.0], [179.99, 179.99], [10.0, 10.0])
    np.testing.assert_allclose(table.distance_m, expected, atol=1e-3)


def test_unsplit_edges_follow_the_convention_the_long_way() -> None:
    """An edge from 179 to -179 is straight in longitude/latitude: it spans 358 degrees."""
    unsplit = shapely.Polygon([(179.0, 0.0), (-179.0, 0.0), (-179.0, 1.0), (179.0, 1.0)])
    table = search(layer_of([unsplit]), [shapely.Point(0.0, 0.5), shapely.Point(179.5, 0.5)], 100_000.0)
    assert table.intersects.tolist() == [True, False]
    assert table.distance_m[1] == pytest.approx(GEOD.inv(179.5, 0.5, 179.0, 0.5)[2], abs=1.0)


def test_near_the_north_pole() -> None:
    around_pole = shapely.LineString([(lon, 89.9) for lon in np.linspace(-170.0, 170.0, 35)])
    cap = shapely.box(-30.0, 88.0, 30.0, 89.5)
    receptors = [around_pole, cap]
    projects = [
        shapely.Point(0.0, 89.99),
        shapely.Point(180.0, 89.95),
        shapely.Point(100.0, 89.0),
        shapely.Point(0.0, 90.0),
    ]
    projects.append(shapely.LineString([(170.0, 89.0), (170.0, 89.8), (120.0, 89.7)]))
    table = search(layer_of(receptors), projects, 120_000.0)
    assert set(table.project_index.tolist()) == {0, 1, 2, 3, 4}
    assert_as_reference(table, projects, receptors, 120_000.0)


def test_near_the_south_pole() -> None:
    ice = shapely.Polygon([(-60.0, -88.0), (60.0, -88.0), (60.0, -86.0), (-60.0, -86.0)])
    projects = [shapely.Point(0.0, -89.9), shapely.Point(90.0, -88.5), shapely.Point(-120.0, -87.0)]
    table = search(layer_of([ice]), projects, 400_000.0)
    assert table.project_index.tolist() == [0, 1, 2]
    assert_as_reference(table, projects, [ice], 400_000.0)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (None, GeometryError),
        (shapely.Point(), GeometryError),
        (shapely.GeometryCollection([shapely.Point(1, 1)]), GeometryError),
        (shapely.Point(200.0, 10.0), CoordinateRangeError),
        (shapely.Point(10.0, 95.0), CoordinateRangeError),
    ],
)
def test_unusable_projects_are_refused(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="positions \\[1\\]"):
        search(layer_of([square_around(0, 0, 1)]), [shapely.Point(0, 0), bad], 1_000.0)


def test_bad_distance_is_refused() -> None:
    with pytest.raises(InputError, match="max_distance_m"):
        search(layer_of([square_around(0, 0, 1)]), [shapely.Point(0, 0)], -1.0)


def test_missing_receptor_geometry_keeps_its_row_and_never_matches() -> None:
    layer = layer_of([None, square_around(5.0, 5.0, 0.1), shapely.Polygon()])
    table = search(layer, [shapely.Point(5.0, 5.0), shapely.LineString([(4.0, 4.0), (6.0, 6.0)])], 50_000.0)
    assert table.feature_index.tolist() == [1, 1]
    assert len(layer) == 3


def test_column_length_is_checked() -> None:
    with pytest.raises(InputError, match="'ids' has 1 values for 2 receptors"):
        from greenbri.core.screening.geodesic import ReceptorLayer

        ReceptorLayer(
            [shapely.Point(0, 0), shapely.Point(1, 1)],
            ids=["a"],
            names=["a", "b"],
            dataset_id="x",
            version=1,
            role=ReceptorRole.SETTLEMENT,
        )


def test_empty_inputs() -> None:
    layer = layer_of([square_around(0, 0, 1)])
    table = search(layer, [], 1_000.0)
    assert len(table) == 0 and table.n_projects == 0 and table.to_hits(layer) == []
    far = search(layer, [shapely.Point(50, 50)], 1_000.0)
    assert far.to_hits(layer) == [[]]


def test_layer_pickles_and_searches_the_same() -> None:
    rng = np.random.default_rng(3)
    receptors = shapely.buffer(shapely.points(rng.uniform(0, 2, 300), rng.uniform(40, 42, 300)), 0.02)
    layer = layer_of(receptors, attributes={"category": np.asarray(["Ia", "II", "IV"] * 100)})
    projects = [
        shapely.Point(1.0, 41.0),
        shapely.LineString([(0.2, 40.2), (1.8, 41.7)]),
        shapely.box(0.5, 40.5, 0.7, 40.6),
    ]
    copy = pickle.loads(pickle.dumps(layer))
    first, second = search(layer, projects, 10_000.0), search(copy, projects, 10_000.0)
    for name in ("project_index", "feature_index", "distance_m", "intersects"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    hits = first.to_hits(layer)
    assert pickle.loads(pickle.dumps(hits)) == hits
    assert copy.attributes["category"][0] == "Ia" and copy.reference == "test-layer@v1"


def test_ties_sort_by_feature_and_results_do_not_depend_on_threads() -> None:
    twin = square_around(10.0, 10.0, 0.05)
    rng = np.random.default_rng(9)
    others = list(shapely.buffer(shapely.points(rng.uniform(9, 11, 400), rng.uniform(9, 11, 400)), 0.01))
    layer = layer_of([*others, twin, twin])
    points = list(shapely.points(rng.uniform(9, 11, 6000), rng.uniform(9, 11, 6000)))
    single = search(layer, points, 8_000.0)
    threaded = search(layer, points, 8_000.0, workers=2)
    np.testing.assert_array_equal(single.distance_m, threaded.distance_m)
    np.testing.assert_array_equal(single.feature_index, threaded.feature_index)
    for rows in single.project_rows():
        distances = single.distance_m[rows]
        features = single.feature_index[rows]
        assert all(
            (distances[k], features[k]) <= (distances[k + 1], features[k + 1])
            for k in range(len(distances) - 1)
        )
    twins = single.feature_index >= 400
    assert twins.any()


def test_mixed_projects_equal_separate_searches() -> None:
    rng = np.random.default_rng(4)
    receptors = list(shapely.buffer(shapely.points(rng.uniform(30, 32, 500), rng.uniform(0, 2, 500)), 0.01))
    layer = layer_of(receptors)
    points = list(shapely.points(rng.uniform(30, 32, 40), rng.uniform(0, 2, 40)))
    lines = [shapely.LineString([(30.1, 0.1), (31.9, 1.9)]), shapely.LineString([(30.0, 1.0), (32.0, 1.0)])]
    multi = [shapely.MultiPoint(points[:5])]
    together = search(layer, [*points, *lines, *multi], 5_000.0)
    alone = search(layer, points, 5_000.0)
    first = together.project_index < 40
    np.testing.assert_array_equal(together.feature_index[first], alone.feature_index)
    np.testing.assert_allclose(together.distance_m[first], alone.distance_m, atol=1e-9)
    from_multi = together.project_index == 42
    per_point: dict[int, float] = {}
    for feature, distance in zip(
        alone.feature_index[alone.project_index < 5], alone.distance_m[alone.project_index < 5], strict=True
    ):
        per_point[feature] = min(distance, per_point.get(feature, np.inf))
    assert dict(
        zip(
            together.feature_index[from_multi].tolist(), together.distance_m[from_multi].tolist(), strict=True
        )
    ) == pytest.approx(per_point)


def test_chunks_concatenate_to_the_whole() -> None:
    rng = np.random.default_rng(12)
    layer = layer_of(
        list(shapely.buffer(shapely.points(rng.uniform(0, 1, 200), rng.uniform(0, 1, 200)), 0.01))
    )
    projects = list(shapely.points(rng.uniform(0, 1, 90), rng.uniform(0, 1, 90)))
    whole = search(layer, projects, 3_000.0)
    chunks = HitTable.concatenate([search(layer, projects[a : a + 30], 3_000.0) for a in (0, 30, 60)])
    for name in ("project_index", "feature_index", "distance_m", "intersects"):
        np.testing.assert_array_equal(getattr(whole, name), getattr(chunks, name))
    assert chunks.n_projects == 90
    with pytest.raises(InputError, match="different radii"):
        HitTable.concatenate([whole, search(layer, projects, 1.0)])


def test_public_names_exist() -> None:
    import greenbri.core.screening.geodesic as geodesic
    import greenbri.core.screening.geodesic_reference as reference

    for module in (geodesic, reference):
        assert all(hasattr(module, name) for name in module.__all__)
    assert set(geodesic.__all__) == {
        "RECEPTOR_EDGE_M",
        "FeatureAttributes",
        "HitTable",
        "ReceptorLayer",
        "search",
    }
