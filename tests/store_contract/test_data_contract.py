"""The data half of the store contract: what goes in comes back out, in every format.

Files of each input format are imported through ``import_dataset`` (the readers, as users run
them); the features read back must equal the features read from the file, geometries byte for
byte. The parity tests write one frame to both stores and require identical frames back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from tests.store_contract.helpers import RECORD, assert_same_frames, provenance, wetlands

from greenbri.adapters.readers import read_input
from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.postgis import PostgisStore
from greenbri.core.catalog import Bilingual, DatasetKind, DatasetRecord
from greenbri.usecases.datasets import DatasetMetadata, import_dataset


def _sites() -> gpd.GeoDataFrame:
    holed = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    return gpd.GeoDataFrame(
        {
            "name": ["湖 Lake", "Река", "Ö site"],
            "area_ha": [12.5, 0.1 + 0.2, 1e-7],
            "year": [1999, 2004, 2021],
        },
        geometry=[holed, MultiPolygon([holed, Polygon([(10, 10), (11, 10), (11, 11)])]), holed.buffer(0.5)],
        crs="EPSG:4326",
    )


def _write_input(kind: str, directory: Path) -> Path:
    sites = _sites()
    if kind == "csv":
        path = directory / "plants.csv"
        pd.DataFrame(
            {"plant": ["甲", "乙"], "capacity_mw": [600.5, 1320.0], "lon": [100.1, 35.2], "lat": [13.7, -1.3]}
        ).to_csv(path, index=False)
        return path
    if kind == "xlsx":
        path = directory / "indicator.xlsx"
        pd.DataFrame({"iso3": ["CHN", "KAZ"], "year": [2020, 2021], "value": [31.5, 7.25]}).to_excel(
            path, index=False
        )
        return path
    suffix = {
        "geojson": ".geojson",
        "gpkg": ".gpkg",
        "shapefile": ".shp",
        "flatgeobuf": ".fgb",
        "geoparquet": ".parquet",
    }[kind]
    path = directory / f"sites{suffix}"
    if kind == "geoparquet":
        sites.to_parquet(path)
    else:
        sites.to_file(path)
    return path


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "shapefile", "flatgeobuf", "geoparquet", "csv", "xlsx"])
def test_each_input_format_reads_back_as_it_was_read(any_store: Any, tmp_path: Path, kind: str) -> None:
    path = _write_input(kind, tmp_path)
    outcome = import_dataset(any_store, path, DatasetMetadata(f"input-{kind}", title=Bilingual(kind)))
    expected = read_input(path).frame.reset_index(drop=True)
    back = any_store.read(f"input-{kind}")
    assert_same_frames(expected, back)
    assert outcome.version.feature_count == len(expected)


def test_a_real_layer_with_holes_and_multipolygons_reads_back_exactly(
    any_store: Any, shared_data: Path
) -> None:
    path = shared_data / "wetlands" / "ramsar-ukraine"
    files = sorted(path.glob("*.shp"))[:3]
    import_dataset(any_store, files, DatasetMetadata("ramsar-ukraine", title=Bilingual("Ramsar sites")))
    expected = read_input(files).frame.reset_index(drop=True)
    assert_same_frames(expected, any_store.read("ramsar-ukraine"))


def test_bbox_and_column_reads_select_the_same_features(any_store: Any) -> None:
    any_store.write_frame_version(RECORD, provenance("a"), wetlands(10))
    inside = any_store.read(RECORD.id, bbox=(2.4, 9.0, 4.2, 11.0))
    assert sorted(inside["name"]) == ["湿地 2", "湿地 3", "湿地 4"]
    names = any_store.read(RECORD.id, columns=["name", "geometry"])
    assert list(names.columns) == ["name", "geometry"]


def test_tables_keep_their_temporal_extent(any_store: Any) -> None:
    record = DatasetRecord(id="pm25", title=Bilingual("PM2.5"), kind=DatasetKind.INDICATOR_TABLE)
    table = pd.DataFrame({"country": ["CHN", "IND"], "year": [2019, 2021], "value": [38.0, 53.3]})
    outcome = any_store.write_frame_version(record, provenance("a"), table)
    assert outcome.version.temporal_extent is not None
    assert outcome.version.temporal_extent.to_list() == ["2019", "2021"]
    pd.testing.assert_frame_equal(any_store.read("pm25"), table)


def _every_type(count: int = 4) -> gpd.GeoDataFrame:
    rows = range(count)
    return gpd.GeoDataFrame(
        {
            "text": ["甲", "", None, 'quote " comma , newline \n end'][:count],
            "small": np.array(rows, dtype="int8"),
            "medium": np.array(rows, dtype="int32"),
            "large": np.array([2**62, -(2**62), 0, 1][:count], dtype="int64"),
            "unsigned": np.array(rows, dtype="uint32"),
            "nullable": pd.array([1, None, 3, None][:count], dtype="Int64"),
            "single": np.array([0.1, 1.5, -2.25, 3e38][:count], dtype="float32"),
            "double": [0.1 + 0.2, np.nan, -0.0, 1e-300][:count],
            "flag": [True, False, True, False][:count],
            "maybe": pd.array([True, None, False, None][:count], dtype="boolean"),
            "day": [dt.date(2020, 1, 1), dt.date(1900, 2, 28), None, dt.date(2038, 1, 19)][:count],
            "moment": pd.to_datetime(
                ["2020-01-01 08:00:01.5", None, "1999-12-31", "2024-02-29 23:59:59"][:count], format="ISO8601"
            ),
            "aware": pd.to_datetime(
                ["2020-01-01T08:00:00+08:00", None, "2021-06-01T00:00:00Z", None][:count],
                utc=True,
                format="ISO8601",
            ),
            "category": pd.Categorical(["a", "b", "a", None][:count]),
            "raw": [b"\x00\x01", None, b"", b"\xff"][:count],
        },
        geometry=[Point(116.4, 39.9), LineString([(0, 0), (1, 1.5)]), None, Point(-180, -90)][:count],
        crs="EPSG:4326",
    )


def test_both_stores_give_back_identical_frames_of_every_column_type(
    tmp_path: Path, postgis_dsn: str
) -> None:
    embedded = EmbeddedStore(tmp_path / "embedded")
    postgis = PostgisStore(postgis_dsn, data_dir=tmp_path / "postgis")
    frame = _every_type()
    outcomes = [store.write_frame_version(RECORD, provenance("a"), frame) for store in (embedded, postgis)]
    assert outcomes[0].version == outcomes[1].version
    assert outcomes[0].record == outcomes[1].record
    assert_same_frames(embedded.read(RECORD.id), postgis.read(RECORD.id))
    assert_same_frames(
        embedded.read(RECORD.id, bbox=(100, 30, 120, 40), columns=["text", "aware", "geometry"]),
        postgis.read(RECORD.id, bbox=(100, 30, 120, 40), columns=["text", "aware", "geometry"]),
    )
    empty = frame.iloc[0:0]
    for store in (embedded, postgis):
        store.write_frame_version(RECORD, provenance("b"), empty)
    assert_same_frames(embedded.read(RECORD.id), postgis.read(RECORD.id))


def test_layers_with_z_coordinates_read_back_exactly(any_store: Any) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["peak", "ridge", "flat"]},
        geometry=[Point(86.925, 27.988, 8848.86), LineString([(0, 0, 1), (1, 1, 2)]), Point(1, 2)],
        crs="EPSG:4326",
    )
    any_store.write_frame_version(RECORD, provenance("z"), frame)
    assert_same_frames(frame, any_store.read(RECORD.id))
