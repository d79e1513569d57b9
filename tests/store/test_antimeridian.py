"""Boxes across the antimeridian follow RFC 7946 section 5.2 (west > east): the catalog extent, the
GeoParquet ``bbox`` covering and ``geo`` metadata of a line crossing 180 degrees no longer claim the
whole world, and box queries (store reads, OGC items) still find it from both sides."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, Point, box

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.core.catalog import Bilingual, DatasetKind, DatasetRecord, Provenance, Theme
from greenbri.core.geometry import longitude_within, wrapped_bounds, wrapped_extent

RECORD = DatasetRecord(
    id="cables", title=Bilingual("Cables", "海底电缆"), kind=DatasetKind.VECTOR_LAYER, theme=Theme.OTHER
)
PROVENANCE = Provenance(
    recorded_at="2026-12-07T00:00:00+00:00", command="test", input_name="x", input_sha256="c" * 64
)


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["fiji-samoa", "split", "suva"]},
        geometry=[
            LineString([(178.4, -18.1), (-171.8, -13.8)]),  # unsplit, crosses 180
            MultiLineString([[(179.5, -17.0), (180.0, -17.0)], [(-180.0, -17.0), (-179.5, -17.0)]]),
            Point(178.44, -18.14),
        ],
        crs="EPSG:4326",
    )


def test_a_crossing_line_is_not_stored_with_a_whole_world_extent(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    outcome = store.write_frame_version(RECORD, PROVENANCE, _layer())
    # Before: [-180, -18.14, 180, -13.8] (the whole world in longitude).
    assert outcome.version.spatial_extent is not None
    assert outcome.version.spatial_extent.to_list() == [178.4, -18.14, -171.8, -13.8]
    path = store.version_path(RECORD.id)
    covering = pq.read_table(path, columns=["bbox"]).column("bbox").to_pylist()
    assert [(row["xmin"], row["xmax"]) for row in covering] == [
        (178.4, -171.8),
        (179.5, -179.5),
        (178.44, 178.44),
    ]
    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    assert geo["columns"]["geometry"]["bbox"] == [178.4, -18.14, -171.8, -13.8]
    # Queries from either side of 180 (and across it) still find the crossing features.
    assert sorted(store.read(RECORD.id, bbox=(-175.0, -20.0, -170.0, -10.0))["name"]) == ["fiji-samoa"]
    assert sorted(store.read(RECORD.id, bbox=(179.0, -20.0, 179.9, -10.0))["name"]) == [
        "fiji-samoa",
        "split",
    ]
    assert sorted(store.read(RECORD.id, bbox=(178.0, -20.0, -179.0, -10.0))["name"]) == [
        "fiji-samoa",
        "split",
        "suva",
    ]
    assert list(store.read(RECORD.id, bbox=(0.0, -20.0, 10.0, -10.0))["name"]) == []


def test_layers_that_do_not_cross_keep_their_planar_extent() -> None:
    geometries = np.array(
        [box(-180, -90, 180, -60), LineString([(-170, 0), (0, 0), (170, 0)]), None], dtype=object
    )
    bounds = wrapped_bounds(geometries)
    assert bounds[0].tolist() == [-180.0, -90.0, 180.0, -60.0]  # a polar band goes all the way round
    assert bounds[1].tolist() == [-170.0, 0.0, 170.0, 0.0]
    assert np.isnan(bounds[2]).all()
    assert wrapped_extent(bounds) == (-180.0, -90.0, 180.0, 0.0)


longitudes = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(longitudes, longitudes), min_size=1, max_size=6))
def test_the_extent_covers_every_point_and_is_never_wider_than_needed(
    pairs: list[tuple[float, float]],
) -> None:
    """Property: every point's longitude is inside the extent (read as RFC 7946 says), and the extent
    is no wider than the planar one."""
    points = np.array([Point(x, y / 2) for x, y in pairs], dtype=object)
    west, _, east, _ = wrapped_extent(wrapped_bounds(points)) or (0.0, 0.0, 0.0, 0.0)
    width = east - west if west <= east else east + 360 - west
    planar = float(np.ptp([x for x, _ in pairs]))
    assert width <= planar + 1e-9
    for x, _ in pairs:
        inside = west <= x <= east if west <= east else (x >= west or x <= east)
        assert inside, (west, east, x)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-200, 200, allow_nan=False),
    st.floats(0, 30, allow_nan=False),
    st.floats(-180, 180, allow_nan=False),
    st.floats(-180, 180, allow_nan=False),
)
def test_longitude_within_agrees_with_sampling(low: float, width: float, west: float, east: float) -> None:
    """Property: an interval is inside a (possibly antimeridian-crossing) box exactly when every
    sampled longitude of it, wrapped into -180..180, is."""

    def inside(x: float, margin: float) -> bool:
        x = ((x + 180) % 360) - 180
        if west <= east:
            return west - margin <= x <= east + margin
        return x >= west - margin or x <= east + margin

    edges = [
        edge + turn for edge in (west, east) for turn in (-360, 0, 360) if low <= edge + turn <= low + width
    ]
    samples = np.concatenate([np.linspace(low, low + width, 200), edges])  # the box's edges, if inside
    found = longitude_within(low, low + width, west, east)
    if found:  # never claims coverage that samples deny (beyond rounding)
        assert all(inside(x, 1e-9) for x in samples)
    else:  # and never misses an interval well inside the box
        assert not all(inside(x, -1e-6) for x in samples) or width >= 360


def test_the_api_serves_a_crossing_layer_with_wrapped_extents(data_dir: Path, store_factory) -> None:
    from tests.api.conftest import TestClient

    from greenbri.config import load_settings
    from greenbri.services.api import create_app
    from greenbri.services.api.context import ApiOptions

    store_factory.open(data_dir).write_frame_version(RECORD, PROVENANCE, _layer())
    app = create_app(load_settings(), options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with TestClient(app) as client:
        collection = client.get(f"/collections/{RECORD.id}").json()
        assert collection["extent"]["spatial"]["bbox"] == [[178.4, -18.14, -171.8, -13.8]]
        across = client.get(f"/collections/{RECORD.id}/items", params={"bbox": "178,-20,-179,-10"}).json()
        assert sorted(feature["properties"]["name"] for feature in across["features"]) == [
            "fiji-samoa",
            "split",
            "suva",
        ]
        east = client.get(f"/collections/{RECORD.id}/items", params={"bbox": "-175,-20,-170,-10"}).json()
        assert [feature["properties"]["name"] for feature in east["features"]] == ["fiji-samoa"]
        far = client.get(f"/collections/{RECORD.id}/items", params={"bbox": "0,-20,10,-10"}).json()
        assert far["features"] == []
        tilejson = client.get(f"/tiles/{RECORD.id}/tilejson.json").json()
        assert tilejson["bounds"] == [-180.0, -18.14, 180.0, -13.8]
        catalog = client.get("/v1/catalog.jsonld").text
        assert "MULTIPOLYGON(((178.4 -18.14,180.0 -18.14" in catalog
