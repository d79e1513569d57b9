"""The real files in ../shared/data import through the connectors' mirror path (or the importer)
and come back out as GeoJSON, GeoParquet and CSV with the same features and attributes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from tests.conftest import StoreFactory
from tests.usecases.frames import assert_same_records

from greenbri.adapters.readers import read_input
from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.http import HttpClient
from greenbri.adapters.sources.mirror import Mirror
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import Bilingual
from greenbri.usecases.datasets import DatasetMetadata, fetch_dataset, import_dataset
from greenbri.usecases.export import export_dataset


@pytest.fixture()
def store(tmp_path: Path, store_factory: StoreFactory) -> DatasetStore:
    return store_factory.open(tmp_path / "store")


def mirror_context(shared_data: Path, tmp_path: Path, **options: str) -> FetchContext:
    return FetchContext(
        client=HttpClient(max_attempts=1),
        mirror=Mirror.from_setting(str(shared_data)),
        cache_dir=tmp_path / "cache",
        options=options,
    )


def export_and_read_back(
    store: DatasetStore, dataset_id: str, directory: Path, *, vector: bool
) -> dict[str, pd.DataFrame]:
    back: dict[str, pd.DataFrame] = {}
    parquet = export_dataset(store, dataset_id, directory / f"{dataset_id}.parquet", "geoparquet")
    back["geoparquet"] = (
        gpd.read_parquet(parquet).drop(columns="bbox", errors="ignore")
        if vector
        else pd.read_parquet(parquet)
    )
    csv = export_dataset(store, dataset_id, directory / f"{dataset_id}.csv", "csv")
    back["csv"] = read_input(
        csv, ReadOptions(wkt_column="geometry" if vector else None, allow_missing_geometry=True)
    ).frame
    if vector:
        geojson = export_dataset(store, dataset_id, directory / f"{dataset_id}.geojson", "geojson")
        back["geojson"] = pyogrio.read_dataframe(geojson)
    return back


NATURAL_EARTH = [
    ("natural-earth-lakes", "ne_10m_lakes", 1354),
    ("natural-earth-rivers", "ne_10m_rivers_lake_centerlines", 1455),
    ("natural-earth-reefs", "ne_10m_reefs", None),
    ("natural-earth-glaciers", "ne_10m_glaciated_areas", None),
    ("natural-earth-populated-places", "ne_10m_populated_places", 7343),
    ("natural-earth-urban-areas", "ne_50m_urban_areas", 2143),
    ("natural-earth-us-parks", "ne_10m_parks_and_protected_lands_area", 61),
    ("natural-earth-countries", "ne_50m_admin_0_countries", None),
]


@pytest.mark.parametrize(("connector", "file_stem", "count"), NATURAL_EARTH)
def test_natural_earth_layers_round_trip(
    store: DatasetStore, shared_data: Path, tmp_path: Path, connector: str, file_stem: str, count: int | None
) -> None:
    outcome = fetch_dataset(store, get_connector(connector), mirror_context(shared_data, tmp_path))
    original = pyogrio.read_dataframe(f"/vsigzip/{shared_data}/natural-earth/{file_stem}.geojson.gz")
    if count is not None:
        assert outcome.version.feature_count == count
    assert outcome.version.provenance.fetched_from.endswith(f"{file_stem}.geojson.gz")
    stored = store.read(outcome.record.id)
    repaired = {repair.feature for repair in outcome.repairs}
    keep = [index for index in range(len(original)) if index not in repaired]
    assert_same_records(original.iloc[keep].reset_index(drop=True), stored.iloc[keep].reset_index(drop=True))
    for export_format, frame in export_and_read_back(store, outcome.record.id, tmp_path, vector=True).items():
        try:
            assert_same_records(stored, frame)
        except AssertionError as error:
            raise AssertionError(f"{connector} via {export_format}: {error}") from None


def test_ramsar_shapefiles_round_trip(store: DatasetStore, shared_data: Path, tmp_path: Path) -> None:
    outcome = fetch_dataset(store, get_connector("ramsar"), mirror_context(shared_data, tmp_path))
    stored = store.read(outcome.record.id)
    assert outcome.record.receptor_role is not None and outcome.record.receptor_role.value == "wetland"
    assert sorted(set(stored["ramsar_id"].astype(int))) == [1402, 2272, 2273, 2274, 2275, 2281, 2282]
    assert "Торфово-болотний масив Переброди" in set(stored["name_uk"])  # Cyrillic decoded through the .cpg
    for frame in export_and_read_back(store, outcome.record.id, tmp_path, vector=True).values():
        assert_same_records(stored, frame)


def test_world_heritage_csv_round_trip(store: DatasetStore, shared_data: Path, tmp_path: Path) -> None:
    outcome = fetch_dataset(
        store, get_connector("unesco-world-heritage"), mirror_context(shared_data, tmp_path)
    )
    original = pd.read_csv(shared_data / "heritage" / "whc-sites-2019.csv", encoding="latin-1")
    stored = store.read(outcome.record.id)
    assert outcome.version.feature_count == len(original) == 1121
    # labelled latin-1, but its 0x92 bytes are windows-1252 apostrophes
    assert outcome.version.provenance.input_encoding == "cp1252"
    assert stored["short_description_fr"].str.contains("\u2019").any()
    bamiyan = stored[stored["id_no"] == 208].iloc[0]
    assert (bamiyan.geometry.x, bamiyan.geometry.y) == (67.82525, 34.84694)
    assert "vallée de Bamiyan" in bamiyan["name_fr"]
    for frame in export_and_read_back(store, outcome.record.id, tmp_path, vector=True).values():
        assert_same_records(stored, frame)


@pytest.mark.parametrize(
    ("connector", "options", "rows"),
    [("owid-co2", {}, None), ("owid-grapher", {"slug": "forest-area-as-share-of-land-area"}, None)],
)
def test_our_world_in_data_tables_round_trip(
    store: DatasetStore,
    shared_data: Path,
    tmp_path: Path,
    connector: str,
    options: dict[str, str],
    rows: int | None,
) -> None:
    outcome = fetch_dataset(store, get_connector(connector), mirror_context(shared_data, tmp_path, **options))
    stored = store.read(outcome.record.id)
    assert outcome.record.kind.value == "indicator_table"
    for frame in export_and_read_back(store, outcome.record.id, tmp_path, vector=False).values():
        assert_same_records(stored, frame)


@pytest.mark.parametrize(
    "name",
    sorted(
        path.name
        for path in (
            Path(__file__).resolve().parents[2].parent / "shared" / "data" / "projects" / "aiddata"
        ).glob("*.geojson")
    ),
)
def test_aiddata_projects_round_trip(
    store: DatasetStore, shared_data: Path, tmp_path: Path, name: str
) -> None:
    path = shared_data / "projects" / "aiddata" / name
    outcome = import_dataset(
        store, path, DatasetMetadata("aiddata-project", Bilingual("AidData project", "援助数据项目"))
    )
    original = pyogrio.read_dataframe(path)
    stored = store.read("aiddata-project")
    if not outcome.repairs:
        assert_same_records(original, stored)
    for frame in export_and_read_back(store, "aiddata-project", tmp_path, vector=True).values():
        assert_same_records(stored, frame)


def test_power_plant_csv_round_trip(store: DatasetStore, shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "power-plants" / "gppd_wri_collected_2018-06.csv"
    outcome = import_dataset(
        store, path, DatasetMetadata("gppd", Bilingual("Global Power Plant Database", "全球电厂数据库")),
        ReadOptions(id_column="gppd_idnr", allow_missing_geometry=True),
    )  # fmt: skip
    assert outcome.version.feature_count == 16179
    stored = store.read("gppd")
    original = pd.read_csv(path)
    assert_same_records(
        original.drop(columns=["latitude", "longitude"]),
        stored.drop(columns=["latitude", "longitude", "geometry"], errors="ignore"),
    )
    for frame in export_and_read_back(store, "gppd", tmp_path, vector=True).values():
        assert_same_records(stored, frame)
