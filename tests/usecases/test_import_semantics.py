"""Re-imports keep what they are not told to change; the kind belongs to each version; exports check formats."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from tests.conftest import StoreFactory

from greenbri.core.catalog import Bilingual, DatasetKind, Licence, Theme
from greenbri.core.errors import InputError
from greenbri.usecases.datasets import DatasetMetadata, import_dataset
from greenbri.usecases.export import export_dataset


@pytest.fixture()
def points(tmp_path: Path) -> Path:
    path = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=[Point(1, 1), Point(2, 2)], crs="EPSG:4326").to_file(
        path
    )
    return path


def test_a_reimport_with_fewer_options_keeps_the_stored_metadata(
    store_factory: StoreFactory, tmp_path: Path, points: Path
) -> None:
    store = store_factory.open(tmp_path / "store")
    full = DatasetMetadata(
        "sites",
        title=Bilingual("Sites", "地点"),
        theme=Theme.HERITAGE,
        licence=Licence("CC-BY-4.0", "", "Someone"),
    )
    import_dataset(store, points, full)
    again = import_dataset(store, points, DatasetMetadata("sites", title=Bilingual("Sites renamed")))
    record = store.get("sites")
    assert (again.created, again.metadata_updated) == (False, True)
    assert record.title == Bilingual("Sites renamed", "地点")
    assert record.theme is Theme.HERITAGE
    assert record.licence == Licence("CC-BY-4.0", "", "Someone")


def test_each_version_keeps_its_own_kind(store_factory: StoreFactory, tmp_path: Path, points: Path) -> None:
    store = store_factory.open(tmp_path / "store")
    import_dataset(store, points, DatasetMetadata("mixed"))
    table = tmp_path / "table.csv"
    pd.DataFrame({"iso3": ["CHN"], "year": [2020], "value": [31.0]}).to_csv(table, index=False)
    import_dataset(store, table, DatasetMetadata("mixed"))
    record = store.get("mixed")
    assert [version.kind for version in record.versions] == [
        DatasetKind.VECTOR_LAYER,
        DatasetKind.INDICATOR_TABLE,
    ]
    assert record.kind is DatasetKind.INDICATOR_TABLE
    first = export_dataset(store, "mixed", tmp_path / "v1.geojson", version=1)
    assert "甲" in first.read_text(encoding="utf-8")
    assert list(store.read("mixed")["iso3"]) == ["CHN"]


def test_a_forced_kind_that_does_not_fit_the_data_is_refused(
    store_factory: StoreFactory, tmp_path: Path, points: Path
) -> None:
    store = store_factory.open(tmp_path / "store")
    table = tmp_path / "table.csv"
    pd.DataFrame({"iso3": ["CHN"], "value": [31.0]}).to_csv(table, index=False)
    with pytest.raises(InputError, match=r"table\.csv.*indicator_table.*--kind vector_layer"):
        import_dataset(store, table, DatasetMetadata("t", kind=DatasetKind.VECTOR_LAYER))
    assert not store.is_initialised() or store.list_datasets() == []


def test_a_column_named_bbox_is_refused_with_a_rename_hint(
    store_factory: StoreFactory, tmp_path: Path
) -> None:
    store = store_factory.open(tmp_path / "store")
    path = tmp_path / "b.geojson"
    gpd.GeoDataFrame({"bbox": ["x"]}, geometry=[Point(1, 2)], crs="EPSG:4326").to_file(path)
    with pytest.raises(InputError, match="--map bbox=source_bbox"):
        import_dataset(store, path, DatasetMetadata("b"))
    assert not (store.data_dir / "staging").exists() or not list((store.data_dir / "staging").iterdir())


@pytest.mark.parametrize(
    ("name", "export_format", "message"),
    [("out.csv", "geojson", "does not match"), ("out.txt", None, "Cannot tell the export format")],
)
def test_export_refuses_a_format_that_contradicts_the_file_name(
    store_factory: StoreFactory,
    tmp_path: Path,
    points: Path,
    name: str,
    export_format: str | None,
    message: str,
) -> None:
    store = store_factory.open(tmp_path / "store")
    import_dataset(store, points, DatasetMetadata("sites"))
    with pytest.raises(InputError, match=message):
        export_dataset(store, "sites", tmp_path / name, export_format)
    assert not (tmp_path / name).exists()


def test_export_format_follows_the_file_name(
    store_factory: StoreFactory, tmp_path: Path, points: Path
) -> None:
    store = store_factory.open(tmp_path / "store")
    import_dataset(store, points, DatasetMetadata("sites"))
    csv = export_dataset(store, "sites", tmp_path / "sites.csv")
    assert csv.read_text(encoding="utf-8").splitlines()[0] == "name,geometry"
