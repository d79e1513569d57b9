"""The embedded store: versions, GeoParquet layout, single writer, crash safety."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shapely.geometry import box

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.catalog import Bilingual, DatasetKind, DatasetRecord, Provenance, ReceptorRole, Theme
from greenbri.core.errors import DatasetNotFoundError, StoreLockedError, VersionNotFoundError

RECORD = DatasetRecord(
    id="test-wetlands",
    title=Bilingual("Test wetlands", "测试湿地"),
    kind=DatasetKind.VECTOR_LAYER,
    theme=Theme.WETLANDS,
    receptor_role=ReceptorRole.WETLAND,
)


def provenance(digest: str) -> Provenance:
    return Provenance(
        recorded_at="2026-11-21T00:00:00+00:00", command="test", input_name="x", input_sha256=digest
    )


def wetlands(count: int, offset: float = 0.0) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": [f"湿地 {index}" for index in range(count)],
            "area_ha": [float(index) for index in range(count)],
        },
        geometry=[box(offset + index, 10, offset + index + 0.5, 10.5) for index in range(count)],
        crs="EPSG:4326",
    )


def test_a_version_is_geoparquet_with_projjson_crs_and_bbox_covering(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    outcome = store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    path = store.version_path(RECORD.id)
    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    column = geo["columns"]["geometry"]
    assert geo["version"] == "1.1.0"
    assert column["encoding"] == "WKB"
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert outcome.version.feature_count == 3
    assert outcome.version.spatial_extent is not None
    assert outcome.version.spatial_extent.to_list() == [0.0, 10.0, 2.5, 10.5]
    assert [field.name for field in outcome.version.schema] == ["name", "area_ha", "geometry"]
    back = store.read(RECORD.id)
    assert list(back["name"]) == ["湿地 0", "湿地 1", "湿地 2"]
    assert back.crs.to_epsg() == 4326


def test_bbox_read_returns_only_features_meeting_the_box(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(10))
    inside = store.read(RECORD.id, bbox=(2.4, 9.0, 4.2, 11.0))
    assert sorted(inside["name"]) == ["湿地 2", "湿地 3", "湿地 4"]


def test_importing_again_creates_a_version_and_older_versions_stay_readable(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    second = store.write_frame_version(RECORD, provenance("b" * 64), wetlands(5))
    assert second.created and second.version.number == 2
    assert len(store.read(RECORD.id)) == 5
    assert len(store.read(RECORD.id, version=1)) == 3
    assert [str(reference) for reference in [second.record.reference(1), second.record.reference()]] == [
        "test-wetlands@v1",
        "test-wetlands@v2",
    ]


def test_the_same_input_again_is_a_no_op(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    again = store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    assert not again.created
    assert [version.number for version in store.get(RECORD.id).versions] == [1]


def test_deleting_a_version_keeps_the_others_and_never_reuses_its_number(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    for digest in "abc":
        store.write_frame_version(RECORD, provenance(digest * 64), wetlands(2))
    store.delete(RECORD.id, version=3)
    with pytest.raises(VersionNotFoundError, match="versions are: 1, 2"):
        store.read(RECORD.id, version=3)
    assert len(store.read(RECORD.id, version=2)) == 2
    fourth = store.write_frame_version(RECORD, provenance("d" * 64), wetlands(2))
    assert fourth.version.number == 4
    store.delete(RECORD.id)
    with pytest.raises(DatasetNotFoundError, match="greenbri datasets list"):
        store.get(RECORD.id)
    assert not (tmp_path / "datasets" / RECORD.id).exists()


def test_tables_are_plain_parquet_with_a_temporal_extent(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    table_record = DatasetRecord(id="pm25", title=Bilingual("PM2.5"), kind=DatasetKind.INDICATOR_TABLE)
    table = pd.DataFrame({"country": ["CHN", "IND"], "year": [2019, 2021], "value": [38.0, 53.3]})
    outcome = store.write_frame_version(table_record, provenance("a" * 64), table)
    assert outcome.version.temporal_extent is not None
    assert outcome.version.temporal_extent.to_list() == ["2019", "2021"]
    assert b"geo" not in (pq.read_metadata(store.version_path("pm25")).metadata or {})
    pd.testing.assert_frame_equal(store.read("pm25"), table)


def test_duckdb_views_name_each_dataset_and_run_spatial_sql(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(4))
    connection = store.connect()
    rows = connection.execute(
        'SELECT name FROM "test-wetlands" WHERE ST_Intersects(geometry, ST_Point(1.25, 10.25)) ORDER BY name'
    ).fetchall()
    assert rows == [("湿地 1",)]


def test_a_second_writer_waits_then_gets_a_clear_error(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, lock_timeout_s=0.2)
    with (
        write_lock(tmp_path / ".write.lock", timeout_s=1),
        pytest.raises(StoreLockedError, match=r"pid \d+.*GREENBRI_LOCK_TIMEOUT_S"),
    ):
        store.write_frame_version(RECORD, provenance("a" * 64), wetlands(1))
    assert not store.is_initialised()


def test_concurrent_readers_never_see_a_half_written_dataset(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("0" * 64), wetlands(50))
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            frame = store.read(RECORD.id)
            if len(frame) != 50 or frame.geometry.isna().any():
                failures.append(f"saw {len(frame)} rows")

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for index in range(1, 8):
        store.write_frame_version(RECORD, provenance(f"{index:064d}"), wetlands(50, offset=index))
    stop.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert store.get(RECORD.id).latest.number == 8  # type: ignore[union-attr]


CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    import geopandas as gpd
    from shapely.geometry import Point
    from greenbri.adapters.stores import embedded
    from greenbri.core.catalog import Bilingual, DatasetRecord, Provenance

    stage = sys.argv[2]
    real_rename = embedded.Path.rename
    if stage == "before-catalog":
        embedded.write_json_atomic = lambda path, data: os._exit(9)
    elif stage == "before-rename":
        embedded.Path.rename = lambda self, target: os._exit(9)
    store = embedded.EmbeddedStore(sys.argv[1])
    record = DatasetRecord(id="test-wetlands", title=Bilingual("Test wetlands"))
    frame = gpd.GeoDataFrame({"name": ["new"]}, geometry=[Point(1, 1)], crs="EPSG:4326")
    store.write_frame_version(record, Provenance("t", "crash", "x", "f" * 64), frame)
    """
)


@pytest.mark.parametrize("stage", ["before-rename", "before-catalog"])
def test_a_writer_killed_mid_write_leaves_the_previous_version_in_force(tmp_path: Path, stage: str) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    catalog_before = store.catalog_path.read_bytes()
    crashed = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(tmp_path), stage], check=False)
    assert crashed.returncode == 9
    assert store.catalog_path.read_bytes() == catalog_before
    assert len(store.read(RECORD.id)) == 3
    assert [version.number for version in store.get(RECORD.id).versions] == [1]
    # the next writer sweeps the leftovers and carries on; the crashed writer's number is
    # never handed out again (a gap is harmless, a reused number could cite the wrong data)
    after = store.write_frame_version(RECORD, provenance("b" * 64), wetlands(2))
    assert after.version.number == 3
    assert not list((tmp_path / "staging").glob("*"))
    assert sorted(path.name for path in (tmp_path / "datasets" / RECORD.id).iterdir()) == ["v1", "v3"]


def test_a_process_killed_with_sigkill_during_a_large_import_leaves_the_store_consistent(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write_frame_version(RECORD, provenance("a" * 64), wetlands(3))
    script = textwrap.dedent(
        """
        import sys
        import geopandas as gpd
        from shapely.geometry import Point
        from greenbri.adapters.stores.embedded import EmbeddedStore
        from greenbri.core.catalog import Bilingual, DatasetRecord, Provenance
        record = DatasetRecord(id="test-wetlands", title=Bilingual("Test wetlands"))
        frame = gpd.GeoDataFrame({"name": ["x"] * 400_000}, geometry=[Point(i % 170, 1) for i in range(400_000)], crs="EPSG:4326")
        print("writing", flush=True)
        EmbeddedStore(sys.argv[1]).write_frame_version(record, Provenance("t", "kill", "x", "e" * 64), frame)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    process.kill()
    process.wait()
    process.stdout.close()
    record = store.get(RECORD.id)
    for version in record.versions:
        frame = store.read(RECORD.id, version=version.number)
        assert len(frame) == version.feature_count
