"""The notebook API: the CLI's verbs returning DataFrames and GeoDataFrames."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

import greenbri


def test_the_notebook_api_covers_the_dataset_verbs(
    data_dir: Path, tmp_path: Path, shared_data: Path, store_kind: str
) -> None:
    platform = greenbri.open(data_dir)  # the store under test (GREENBRI_STORE is set by data_dir)
    assert (
        type(platform.store).__name__ == {"embedded": "EmbeddedStore", "postgis": "PostgisStore"}[store_kind]
    )
    outcomes = platform.init()
    assert [outcome.record.id for outcome in outcomes] == ["countries", "admin1-subdivisions", "settlements"]

    catalog = platform.datasets()
    assert list(catalog["id"]) == ["admin1-subdivisions", "countries", "settlements"]
    assert catalog.set_index("id").loc["countries", "title_zh"].startswith("国家边界")

    countries = platform.read("countries")
    assert isinstance(countries, gpd.GeoDataFrame)
    china = countries[countries["iso_a3"] == "CHN"]
    assert china.iloc[0]["name_zh"] == "中国"
    assert china.iloc[0].geometry.contains(Point(121.56, 25.04))  # Taipei, under the default China view

    rows = platform.sql(
        "SELECT c.iso_a3 FROM countries c, settlements s "
        "WHERE s.geonameid = 1816670 AND ST_Contains(c.geometry, s.geometry)"
    )
    assert list(rows["iso_a3"]) == ["CHN"]  # GeoNames 1816670 is Beijing

    outcome = platform.import_file(
        shared_data / "projects" / "aiddata" / "40.geojson",
        "morupule-b",
        title_zh="莫鲁普莱B电站",
        theme="projects",
    )
    assert outcome.version.number == 1
    assert platform.show("morupule-b")["title"]["zh"] == "莫鲁普莱B电站"
    assert list(platform.versions("morupule-b")["number"]) == [1]
    exported = platform.export("morupule-b", tmp_path / "project.parquet", "geoparquet")
    assert len(gpd.read_parquet(exported)) == 1
    platform.delete("morupule-b")
    assert "morupule-b" not in set(platform.datasets()["id"])
