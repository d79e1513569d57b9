"""read_input on the real public files in ../shared/data."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import geopandas
import pandas as pd
import pytest

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import GeometryError, InputError


def test_natural_earth_lakes_gzipped_geojson(shared_data: Path) -> None:
    path = shared_data / "natural-earth" / "ne_10m_lakes.geojson.gz"
    result = read_input(path)
    frame = result.frame
    assert isinstance(frame, geopandas.GeoDataFrame)
    assert result.kind is DatasetKind.VECTOR_LAYER
    assert len(frame) == 1354
    assert frame.geometry.name == "geometry"
    assert frame.crs.to_epsg() == 4326
    assert list(frame.index) == list(range(1354))
    assert result.input_format == "geojson"
    assert result.source_crs == "EPSG:4326"
    assert result.input_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert {"name", "dam_name", "year"} <= set(frame.columns)
    assert frame.geometry.is_valid.all()
    # Natural Earth lakes hold two self-touching rings; each repair is recorded once, in order.
    assert [repair.feature for repair in result.repairs] == sorted(
        {repair.feature for repair in result.repairs}
    )
    assert all(
        repair.problem.startswith(("Ring Self-intersection", "Self-intersection"))
        for repair in result.repairs
    )


def test_rounding_beyond_180_is_clamped_and_recorded(shared_data: Path) -> None:
    result = read_input(shared_data / "natural-earth" / "ne_10m_geography_regions_polys.geojson.gz")
    bounds = result.frame.total_bounds
    assert bounds[0] >= -180 and bounds[2] <= 180
    assert any("rounding" in repair.problem for repair in result.repairs)


def test_natural_earth_rivers_has_one_null_geometry(shared_data: Path, explained: Any) -> None:
    path = shared_data / "natural-earth" / "ne_10m_rivers_lake_centerlines.geojson.gz"
    with pytest.raises(GeometryError) as caught:
        read_input(path)
    explained(caught.value, path.name, "feature 1452")
    result = read_input(path, ReadOptions(allow_missing_geometry=True))
    assert len(result.frame) == 1455
    assert result.frame.geometry.isna().sum() == 1
    assert any("no geometry" in warning for warning in result.warnings)


def test_ramsar_folder_of_shapefiles_is_concatenated(shared_data: Path) -> None:
    folder = shared_data / "wetlands" / "ramsar-ukraine"
    result = read_input(folder)
    frame = result.frame
    shapefiles = sorted(folder.glob("*.shp"))
    assert len(shapefiles) == 7
    assert result.input_paths == tuple(shapefiles)
    assert result.input_format == "shapefile"
    assert result.encoding == "utf-8"  # from the .cpg files
    assert result.source_crs == "EPSG:4326"
    assert frame["ramsar_id"].nunique() == 7
    assert list(frame["ramsar_id"].drop_duplicates()) == sorted(frame["ramsar_id"].drop_duplicates())
    assert "Торфово-болотний масив Переброди" in set(frame["name_uk"])
    # the digest covers every sidecar of every shapefile, by name
    files = sorted(
        item for item in folder.iterdir() if item.suffix in {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj"}
    )
    lines = sorted(f"{item.name}:{hashlib.sha256(item.read_bytes()).hexdigest()}" for item in files)
    assert result.input_sha256 == hashlib.sha256("\n".join(lines).encode()).hexdigest()
    # the same files given as a list give the same rows and digest
    again = read_input(shapefiles)
    assert again.input_sha256 == result.input_sha256
    assert again.frame.drop(columns="geometry").equals(frame.drop(columns="geometry"))


def test_world_heritage_csv_cp1252_with_lon_lat(shared_data: Path) -> None:
    result = read_input(shared_data / "heritage" / "whc-sites-2019.csv")
    frame = result.frame
    assert len(frame) == 1121
    assert result.kind is DatasetKind.VECTOR_LAYER
    # Labelled latin-1, but it uses cp1252's curly quotes (0x92): read as windows-1252.
    assert result.encoding == "cp1252"
    assert result.source_crs == "EPSG:4326"
    assert (frame.geometry.x == frame["longitude"]).all()
    assert (frame.geometry.y == frame["latitude"]).all()
    assert frame["name_fr"].str.contains("archéologiques").any()
    assert frame["short_description_fr"].str.contains("l’ancienne Bactriane").any()


def test_power_plants_csv_missing_coordinates(shared_data: Path, explained: Any) -> None:
    path = shared_data / "power-plants" / "gppd_wri_collected_2018-06.csv"
    with pytest.raises(GeometryError) as caught:
        read_input(path)
    explained(caught.value, path.name, "row 9")
    assert "4964 of 16179 rows have no geometry" in str(caught.value)
    result = read_input(path, ReadOptions(allow_missing_geometry=True, id_column="gppd_idnr"))
    assert len(result.frame) == 16179
    assert result.frame.geometry.notna().sum() == 16179 - 4964
    assert result.frame.loc[8, "geometry"] is None


def test_cofi_xlsx_needs_a_sheet_and_keeps_rows_without_coordinates_on_request(
    shared_data: Path, explained: Any
) -> None:
    path = shared_data / "power-plants" / "COFI_v2.2_2023-10.xlsx"
    with pytest.raises(InputError) as caught:
        read_input(path)
    assert "COFI_v2.2, variables" in str(caught.value)
    explained(caught.value, path.name, None)
    with pytest.raises(GeometryError) as caught_missing:
        read_input(path, ReadOptions(layer="COFI_v2.2"))
    explained(caught_missing.value, path.name, "row 1")
    result = read_input(
        path, ReadOptions(layer="COFI_v2.2", allow_missing_geometry=True, id_column="unique_id")
    )
    assert len(result.frame) == 592
    assert result.frame.geometry.notna().sum() == 54
    assert result.input_format == "xlsx"
    variables = read_input(path, ReadOptions(layer="variables"))
    assert variables.kind is DatasetKind.INDICATOR_TABLE
    assert "geometry" not in variables.frame.columns


def test_aiddata_projects_list_of_geojson(shared_data: Path) -> None:
    paths = sorted((shared_data / "projects" / "aiddata").glob("*.geojson"))
    result = read_input(paths, ReadOptions(id_column="id"))
    frame = result.frame
    assert len(frame) == 26
    assert set(frame.geometry.geom_type) == {"MultiPolygon"}
    assert frame["Amount.(Constant.USD.2021)"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(frame["Commitment.Date.(MM/DD/YYYY)"])


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("owid-co2-data_2021-02.csv", 24016),
        ("pm25-air-pollution.csv", 8184),
        ("Red_List.csv", 15120),
        ("forest-area-as-share-of-land-area.csv", 7970),
    ],
)
def test_indicator_csvs_are_tables(shared_data: Path, name: str, rows: int) -> None:
    result = read_input(shared_data / "indicators" / name)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert type(result.frame) is pd.DataFrame
    assert len(result.frame) == rows
    assert result.source_crs == ""
    assert not result.repairs


def test_cnemc_stations_utf8_chinese(shared_data: Path) -> None:
    result = read_input(shared_data / "air" / "cnemc" / "2022-01-15T08.csv")
    assert result.encoding == "utf-8"
    assert len(result.frame) == 1719
    assert result.kind is DatasetKind.VECTOR_LAYER
    text_columns = result.frame.select_dtypes(include=["object", "string"]).columns
    assert any(result.frame[column].astype(str).str.contains("北京").any() for column in text_columns)


def test_folder_of_gzipped_csvs_is_one_table(shared_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "beijing"
    folder.mkdir()
    for path in sorted((shared_data / "air" / "beijing-multisite").glob("*.csv.gz"))[:2]:
        (folder / path.name).symlink_to(path)
    result = read_input(folder)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert len(result.frame) == 2 * 35064
    assert result.frame["station"].nunique() == 2
    # "NA" marks missing measurements: the columns stay numeric
    assert result.frame["PM2.5"].dtype == "float64"
    assert result.frame["PM2.5"].isna().any()
