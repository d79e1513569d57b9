"""The search on real layers, checked against the brute-force reference and an independent projection.

* every hit of the 26 AidData projects (thin MultiPolygons) within 50 km of Natural Earth lakes,
  rivers, urban areas and populated places equals :func:`reference_distance_m` to 1 cm;
* no receptor is missed: distances measured in a pyproj azimuthal equidistant projection centred
  on each project (an independent method, good to about a metre at these ranges) agree, and
  every receptor that projection puts inside the radius is found;
* points around the Ramsar wetlands of Ukraine, World Heritage points, Arctic glaciers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer
from tests.screening_geodesic.builders import layer_of

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.geodesic import ReceptorLayer, search
from greenbri.core.screening.geodesic_reference import reference_distance_m

REFERENCE_TOLERANCE_M = 0.01
RADIUS_M = 50_000.0


def assert_matches_reference(layer: ReceptorLayer, projects: np.ndarray, radius_m: float) -> int:
    table = search(layer, projects, radius_m)
    for project, feature, distance in zip(
        table.project_index, table.feature_index, table.distance_m, strict=True
    ):
        expected = reference_distance_m(projects[project], layer.geometries[feature])
        assert distance == pytest.approx(expected, abs=REFERENCE_TOLERANCE_M), (project, feature)
    return len(table)


@pytest.mark.parametrize("key", ["lakes", "rivers", "urban", "places"])
def test_aiddata_projects_match_the_reference(
    key: str, natural_earth: dict[str, ReceptorLayer], aiddata_projects: np.ndarray
) -> None:
    assert assert_matches_reference(natural_earth[key], aiddata_projects, RADIUS_M) > 0


def _aeqd_distances(project: shapely.Geometry, receptors: np.ndarray) -> np.ndarray:
    centre = project.centroid
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +ellps=WGS84 +units=m")
    transformer = Transformer.from_crs(4326, crs, always_xy=True)

    def to_plane(geometries: np.ndarray) -> np.ndarray:
        dense = shapely.segmentize(geometries, 0.0005)  # follow the longitude/latitude edges
        return np.asarray(
            shapely.transform(dense, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        )

    return np.asarray(shapely.distance(to_plane(np.asarray([project], dtype=object))[0], to_plane(receptors)))


@pytest.mark.parametrize("key", ["lakes", "rivers", "urban", "places"])
def test_no_receptor_is_missed(
    key: str, natural_earth: dict[str, ReceptorLayer], aiddata_projects: np.ndarray
) -> None:
    layer = natural_earth[key]
    table = search(layer, aiddata_projects, RADIUS_M)
    for index, project in enumerate(aiddata_projects):
        west, south, east, north = project.bounds
        window = shapely.box(west - 1.5, south - 1.0, east + 1.5, north + 1.0)
        nearby = layer.tree.query(window)
        planar = _aeqd_distances(project, layer.geometries[nearby])
        mine = table.project_index == index
        found = dict(zip(table.feature_index[mine].tolist(), table.distance_m[mine].tolist(), strict=True))
        for feature, distance in zip(nearby.tolist(), planar.tolist(), strict=True):
            if distance <= RADIUS_M - 10.0:
                assert feature in found, (index, feature, distance)
            if feature in found:
                assert found[feature] == pytest.approx(distance, abs=2.0 + 1e-4 * distance)
        assert set(found) <= set(nearby.tolist())


def test_points_around_ramsar_wetlands(ramsar_ukraine: ReceptorLayer) -> None:
    rng = np.random.default_rng(11)
    bounds = ramsar_ukraine.bounds
    owner = np.repeat(np.arange(len(bounds)), 6)
    lon = rng.uniform(bounds[owner, 0] - 0.15, bounds[owner, 2] + 0.15)
    lat = rng.uniform(bounds[owner, 1] - 0.1, bounds[owner, 3] + 0.1)
    points = np.asarray(shapely.points(lon, lat), dtype=object)
    table = search(ramsar_ukraine, points, 15_000.0)
    assert table.intersects.any() and (~table.intersects).any()
    for project, feature, distance in zip(
        table.project_index, table.feature_index, table.distance_m, strict=True
    ):
        expected = reference_distance_m(points[project], ramsar_ukraine.geometries[feature])
        assert distance == pytest.approx(expected, abs=REFERENCE_TOLERANCE_M)
    hits = table.to_hits(ramsar_ukraine)
    named = [hit for project_hits in hits for hit in project_hits]
    assert {hit.receptor_role for hit in named} == {ReceptorRole.WETLAND}
    assert all(hit.name and hit.receptor_id for hit in named)


def _world_heritage(shared_data: Path) -> ReceptorLayer:
    with open(shared_data / "heritage" / "whc-sites-2019.csv", encoding="latin-1", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["longitude"] and row["latitude"]]
    points = shapely.points(
        [float(row["longitude"]) for row in rows], [float(row["latitude"]) for row in rows]
    )
    return layer_of(
        points,
        role=ReceptorRole.WORLD_HERITAGE,
        names=[row["name_en"] for row in rows],
        attributes={"danger": np.asarray([row["danger"] == "1" for row in rows])},
        dataset_id="whc",
    )


def test_world_heritage_points(shared_data: Path, aiddata_projects: np.ndarray) -> None:
    layer = _world_heritage(shared_data)
    assert assert_matches_reference(layer, aiddata_projects, 150_000.0) > 0
    hits = search(layer, aiddata_projects, 150_000.0).to_hits(layer)
    some = next(hit for project_hits in hits for hit in project_hits)
    assert set(some.attributes) == {"danger"}
    assert isinstance(some.attributes["danger"], bool)


def test_arctic_glaciers(natural_earth: dict[str, ReceptorLayer]) -> None:
    layer = natural_earth["glaciers"]
    arctic = np.flatnonzero((layer.bounds[:, 1] > 78.0) & (layer.bounds[:, 3] < 84.0))[:6]
    rng = np.random.default_rng(5)
    owner = np.repeat(arctic, 3)
    lon = rng.uniform(layer.bounds[owner, 0] - 1.0, layer.bounds[owner, 2] + 1.0)
    lat = np.clip(rng.uniform(layer.bounds[owner, 1] - 0.2, layer.bounds[owner, 3] + 0.2), -89.0, 89.0)
    points = np.asarray(shapely.points(lon, lat), dtype=object)
    table = search(layer, points, 20_000.0)
    assert len(table) > 0
    for project, feature, distance in zip(
        table.project_index, table.feature_index, table.distance_m, strict=True
    ):
        expected = reference_distance_m(points[project], layer.geometries[feature])
        assert distance == pytest.approx(expected, abs=REFERENCE_TOLERANCE_M)
