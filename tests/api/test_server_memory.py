"""Publishing many versions of a layer does not grow the server without bound: the feature reader
keeps a bounded set of in-memory layer tables (least recently used dropped), the tile maker drops a
layer's tables when a newer version comes, and the DuckDB database holds a bounded number of tables.

Before: every version read through the API stayed in memory as a DuckDB table for the life of the
server (about 5 MB per version of a real layer, no plateau). The test counts tables and cached rows,
not RSS, so it is not a timing test.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box
from tests.api.conftest import TestClient
from tests.conftest import StoreFactory

from greenbri.config import load_settings
from greenbri.core.catalog import Bilingual, DatasetKind, DatasetRecord, Provenance, Theme
from greenbri.services.api.context import ApiOptions
from greenbri.services.api.features import FeatureReader

RECORD = DatasetRecord(
    id="growing",
    title=Bilingual("Growing layer", "不断更新的图层"),
    kind=DatasetKind.VECTOR_LAYER,
    theme=Theme.OTHER,
)
FEATURES = 400
VERSIONS = 12


def _version(number: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"v{number}-{index}" for index in range(FEATURES)]},
        geometry=[
            box(index * 0.1, number * 0.1, index * 0.1 + 0.05, number * 0.1 + 0.05)
            for index in range(FEATURES)
        ],
        crs="EPSG:4326",
    )


def _tables(reader: FeatureReader) -> int:
    cursor = reader.cursor()
    try:
        return int(cursor.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0])
    finally:
        cursor.close()


def test_publishing_many_versions_keeps_the_server_bounded(
    data_dir: Path, store_factory: StoreFactory
) -> None:
    from greenbri.services.api import create_app

    store = store_factory.open(data_dir)
    app = create_app(load_settings(), options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    reader = FeatureReader(table_rows=FEATURES, cached_rows=3 * FEATURES)  # room for three versions
    app.state.context.features = reader
    counts = []
    with TestClient(app) as client:
        for number in range(1, VERSIONS + 1):
            provenance = Provenance(
                recorded_at=f"2026-12-07T00:00:{number:02d}+00:00",
                command="test",
                input_name=f"v{number}",
                input_sha256=f"{number:064d}",
            )
            store.write_frame_version(RECORD, provenance, _version(number))
            items = client.get(f"/collections/{RECORD.id}/items", params={"limit": 1})
            assert items.status_code == 200, items.text
            assert items.json()["features"][0]["properties"]["name"] == f"v{number}-0"
            assert client.get(f"/tiles/{RECORD.id}/0/0/0.mvt").status_code == 200
            counts.append(_tables(reader))
        assert sum(reader.cached_tables().values()) <= 3 * FEATURES
        assert len(reader.cached_tables()) == 3
    # Before: one more table per version (12 layer tables and more); after: a plateau.
    assert max(counts[3:]) == counts[3] and counts[-1] <= 3 + 2 * 8, counts
