"""Properties of the geodesic search over random layers and projects (hypothesis)."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening_geodesic.builders import layer_of, point_beside_edge

from greenbri.core.screening.geodesic import search

LATITUDES = st.floats(min_value=-80.0, max_value=80.0)
LONGITUDES = st.floats(min_value=-179.0, max_value=179.0)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def random_receptors(seed: int, lon: float, lat: float, count: int = 25) -> list[shapely.Geometry]:
    """Convex polygons, lines and points within about 0.5 degrees of ``(lon, lat)``."""
    rng = np.random.default_rng(seed)
    out: list[shapely.Geometry] = []
    for k in range(count):
        cx, cy = lon + rng.uniform(-0.5, 0.5), lat + rng.uniform(-0.3, 0.3)
        shape = k % 3
        if shape == 0:
            out.append(
                shapely.MultiPoint(
                    np.column_stack([cx + rng.normal(0, 0.05, 8), cy + rng.normal(0, 0.03, 8)])
                ).convex_hull
            )
        elif shape == 1:
            out.append(
                shapely.LineString(
                    np.column_stack(
                        [cx + np.cumsum(rng.normal(0, 0.03, 5)), cy + np.cumsum(rng.normal(0, 0.02, 5))]
                    )
                )
            )
        else:
            out.append(shapely.Point(cx, cy))
    return out


def random_projects(seed: int, lon: float, lat: float) -> list[shapely.Geometry]:
    rng = np.random.default_rng(seed + 1)
    points = list(shapely.points(lon + rng.uniform(-0.6, 0.6, 6), lat + rng.uniform(-0.4, 0.4, 6)))
    line = shapely.LineString(
        np.column_stack([lon + np.cumsum(rng.normal(0, 0.05, 6)), lat + np.cumsum(rng.normal(0, 0.03, 6))])
    )
    box = shapely.box(lon + 0.1, lat - 0.05, lon + 0.2, lat + 0.05)
    return [*points, line, box]


def pairs(table: object) -> dict[tuple[int, int], float]:
    return {
        (p, f): d
        for p, f, d in zip(
            table.project_index.tolist(),  # type: ignore[attr-defined]
            table.feature_index.tolist(),  # type: ignore[attr-defined]
            table.distance_m.tolist(),  # type: ignore[attr-defined]
            strict=True,
        )
    }


@settings(max_examples=40, deadline=None)
@given(
    seed=SEEDS, lon=LONGITUDES, lat=LATITUDES, near=st.floats(0.0, 20_000.0), extra=st.floats(0.0, 30_000.0)
)
def test_a_larger_radius_never_finds_fewer(
    seed: int, lon: float, lat: float, near: float, extra: float
) -> None:
    layer = layer_of(random_receptors(seed, lon, lat))
    projects = random_projects(seed, lon, lat)
    small, large = pairs(search(layer, projects, near)), pairs(search(layer, projects, near + extra))
    assert set(small) <= set(large)
    for key, distance in small.items():
        assert abs(large[key] - distance) <= 1e-4
    assert all(distance <= near + extra for distance in large.values())


@settings(max_examples=60, deadline=None)
@given(
    seed=SEEDS,
    lon=LONGITUDES,
    lat=LATITUDES,
    t=st.floats(0.05, 0.95),
    first=st.floats(1.0, 20_000.0),
    further=st.floats(0.0, 20_000.0),
)
def test_moving_away_along_the_outward_normal_never_brings_closer(
    seed: int, lon: float, lat: float, t: float, first: float, further: float
) -> None:
    """For every convex receptor: a point pushed further along an edge's outward normal is not nearer."""
    receptors = [
        shape for shape in random_receptors(seed, lon, lat, count=12) if shape.geom_type == "Polygon"
    ]
    layer = layer_of(receptors)
    near, far = [], []
    for polygon in receptors:
        ring = list(shapely.orient_polygons(polygon).exterior.coords)  # counter-clockwise: outward is right
        edge = seed % (len(ring) - 1)
        near.append(point_beside_edge(ring[edge], ring[edge + 1], t, first, side=+1))
        far.append(point_beside_edge(ring[edge], ring[edge + 1], t, first + further, side=+1))
    radius = first + further + 1.0
    closer, farther = pairs(search(layer, near, radius)), pairs(search(layer, far, radius))
    for k in range(len(receptors)):
        assert farther[(k, k)] >= closer[(k, k)] - 1e-4  # the documented accuracy (0.1 mm)
        assert abs(closer[(k, k)] - first) <= 1e-3
        assert abs(farther[(k, k)] - (first + further)) <= 1e-3


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, lon=LONGITUDES, lat=LATITUDES)
def test_distance_between_lines_does_not_depend_on_which_is_the_project(
    seed: int, lon: float, lat: float
) -> None:
    lines = [shape for shape in random_receptors(seed, lon, lat, count=15) if shape.geom_type != "Point"]
    forward = pairs(search(layer_of(lines), lines, 60_000.0))
    for (project, feature), distance in forward.items():
        assert abs(forward[(feature, project)] - distance) <= 1e-4
