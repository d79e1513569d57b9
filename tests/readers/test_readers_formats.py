"""Every supported format, encodings, CRSs, options and warnings, on files built in tmp_path."""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas
import pandas as pd
import pytest
import shapely

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import GeometryError

NAMES = ["北京湿地", "太湖", "鄱阳湖国家级自然保护区", "青海湖"]
POINTS = [
    shapely.Point(116.4, 39.9),
    shapely.Point(120.2, 31.2),
    shapely.Point(116.3, 29.1),
    shapely.Point(100.2, 36.9),
]


def _layer(crs: str = "EPSG:4326") -> geopandas.GeoDataFrame:
    frame = geopandas.GeoDataFrame(
        {"名称": NAMES, "code": ["A", "B", "C", "D"]}, geometry=POINTS, crs="EPSG:4326"
    )
    return frame.to_crs(crs)


def _gbk_shapefile(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "wetlands.shp"
    _layer().to_file(path, encoding="GBK", engine="pyogrio")
    return path


def test_gbk_csv_with_chinese_names(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    rows = "\n".join(f"{name},{point.x},{point.y}" for name, point in zip(NAMES, POINTS, strict=True))
    path.write_bytes(
        f"名称,经度 longitude,lat\n{rows}\n".replace("经度 longitude", "longitude").encode("gbk")
    )
    result = read_input(path)
    assert result.encoding == "gbk"
    assert list(result.frame["名称"]) == NAMES
    assert result.frame.geometry.iloc[0].equals(POINTS[0])


def test_gbk_shapefile_cpg_ldid_and_detection(tmp_path: Path) -> None:
    path = _gbk_shapefile(tmp_path / "shp")
    assert path.with_suffix(".cpg").read_text() == "GBK"
    with_cpg = read_input(path, ReadOptions(encoding="latin-1"))  # the .cpg wins over --encoding
    assert with_cpg.encoding == "gbk"
    assert list(with_cpg.frame["名称"]) == NAMES
    assert any(".cpg file says gbk" in warning for warning in with_cpg.warnings)

    path.with_suffix(".cpg").unlink()
    dbf = bytearray(path.with_suffix(".dbf").read_bytes())
    dbf[29] = 0x4D  # dBASE language driver 77: code page 936
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    with_ldid = read_input(path)
    assert with_ldid.encoding == "gbk"
    assert list(with_ldid.frame["名称"]) == NAMES

    dbf[29] = 0
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    detected = read_input(path)
    assert detected.encoding == "gbk"
    assert list(detected.frame["名称"]) == NAMES
    assert read_input(path, ReadOptions(encoding="gb18030")).encoding == "gb18030"


def test_zipped_shapefile(tmp_path: Path) -> None:
    path = _gbk_shapefile(tmp_path / "shp")
    archive = tmp_path / "wetlands.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for item in sorted(path.parent.iterdir()):
            handle.write(item, f"data/{item.name}")
    result = read_input(archive)
    assert result.input_format == "shapefile"
    assert result.encoding == "gbk"
    assert list(result.frame["名称"]) == NAMES
    assert result.input_sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert result.input_paths == (archive,)


def test_geopackage_in_web_mercator_is_reprojected(tmp_path: Path) -> None:
    path = tmp_path / "mercator.gpkg"
    _layer("EPSG:3857").to_file(path, layer="sites", engine="pyogrio")
    result = read_input(path)
    assert result.source_crs == "EPSG:3857"
    assert result.frame.crs.to_epsg() == 4326
    for got, expected in zip(result.frame.geometry, POINTS, strict=True):
        assert got.x == pytest.approx(expected.x, abs=1e-9)
        assert got.y == pytest.approx(expected.y, abs=1e-9)
    assert list(result.frame["名称"]) == NAMES


def test_declared_crs_wins_over_option_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "mercator.gpkg"
    _layer("EPSG:3857").to_file(path, engine="pyogrio")
    result = read_input(path, ReadOptions(source_crs="EPSG:4326"))
    assert result.source_crs == "EPSG:3857"
    assert any("declares EPSG:3857" in warning for warning in result.warnings)


def test_flatgeobuf(tmp_path: Path) -> None:
    path = tmp_path / "sites.fgb"
    _layer().to_file(path, engine="pyogrio")
    result = read_input(path)
    assert result.input_format == "flatgeobuf"
    assert len(result.frame) == 4


def test_geoparquet_with_other_geometry_name(tmp_path: Path) -> None:
    path = tmp_path / "sites.parquet"
    _layer("EPSG:3857").rename_geometry("geom").to_parquet(path)
    result = read_input(path)
    assert result.input_format == "geoparquet"
    assert result.frame.geometry.name == "geometry"
    assert "geom" not in result.frame.columns
    assert result.frame.geometry.iloc[1].x == pytest.approx(120.2)


def test_plain_parquet_is_a_table(tmp_path: Path) -> None:
    path = tmp_path / "table.parquet"
    pd.DataFrame({"iso3": ["CHN", "KAZ"], "co2": [1.5, 2.5]}).to_parquet(path)
    result = read_input(path)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert result.input_format == "parquet"
    assert list(result.frame["co2"]) == [1.5, 2.5]


def test_xlsx_with_one_sheet_of_points(tmp_path: Path) -> None:
    path = tmp_path / "plants.xlsx"
    pd.DataFrame(
        {
            "Name": NAMES,
            "LNG": [p.x for p in POINTS],
            "LAT": [p.y for p in POINTS],
            "opened": pd.to_datetime(["2001-01-01", "2002-02-02", "2003-03-03", "2004-04-04"]),
        }
    ).to_excel(path, index=False, sheet_name="plants")
    result = read_input(path)
    assert result.input_format == "xlsx"
    assert list(result.frame["Name"]) == NAMES
    assert result.frame.geometry.iloc[3].equals(POINTS[3])
    assert pd.api.types.is_datetime64_any_dtype(result.frame["opened"])


@pytest.mark.parametrize("suffix", [".tsv", ".tsv.gz", ".csv.gz", ".txt"])
def test_delimited_variants(tmp_path: Path, suffix: str) -> None:
    separator = "\t" if "tsv" in suffix else ";"
    text = f"name{separator}x{separator}y\n" + "".join(
        f"{name}{separator}{point.x}{separator}{point.y}\n" for name, point in zip(NAMES, POINTS, strict=True)
    )
    data = text.encode("utf-8")
    path = tmp_path / f"sites{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    result = read_input(path)
    assert result.input_format == "csv"
    assert list(result.frame["name"]) == NAMES
    assert result.frame.geometry.iloc[2].equals(POINTS[2])


def test_wkt_column_and_explicit_columns(tmp_path: Path) -> None:
    path = tmp_path / "shapes.csv"
    path.write_text(
        'id,the_geom,lon\n1,"LINESTRING (0 0, 1 1)",5\n2,"POLYGON ((0 0, 1 0, 1 1, 0 0))",6\n',
        encoding="utf-8",
    )
    result = read_input(path)
    assert list(result.frame.geometry.geom_type) == ["LineString", "Polygon"]
    assert "the_geom" not in result.frame.columns
    named = tmp_path / "named.csv"
    named.write_text("site,east,north\na,10,20\n", encoding="utf-8")
    points = read_input(named, ReadOptions(lon_column="east", lat_column="north"))
    assert points.frame.geometry.iloc[0].equals(shapely.Point(10, 20))


def test_one_coordinate_column_alone_is_a_table_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "half.csv"
    path.write_text("site,latitude\na,20\n", encoding="utf-8")
    result = read_input(path)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert any("no longitude column" in warning for warning in result.warnings)


def test_all_coordinates_blank_is_a_table(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("site,lon,lat\na,,\nb,,\n", encoding="utf-8")
    result = read_input(path)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert any("read as a table" in warning for warning in result.warnings)


def test_column_mapping_and_id_after_mapping(tmp_path: Path) -> None:
    path = tmp_path / "map.geojson"
    _layer().to_file(path, engine="pyogrio")
    result = read_input(
        path, ReadOptions(column_mapping={"名称": "name_zh", "code": "site_id"}, id_column="site_id")
    )
    assert list(result.frame.columns) == ["name_zh", "site_id", "geometry"]


def test_column_types_never_change_a_value(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "iso_a2,iso_n3,pm25,note,big_id,flag,hexish\n"
        "NA,516,NA,,12345678901234567890,true,0x10\n"
        "ZA,710,25.5,NA,2,False,2\n"
        "AF,004,NaN,n,3,TRUE,3\n",
        encoding="utf-8",
    )
    frame = read_input(path).frame
    assert list(frame["iso_a2"]) == ["NA", "ZA", "AF"]  # Namibia's code is text, not a missing value
    assert list(frame["iso_n3"]) == ["516", "710", "004"]  # leading zero: a code, kept as text
    assert frame["pm25"].dtype == "float64" and frame["pm25"].isna().sum() == 2
    assert frame["note"].iloc[1] == "NA" and pd.isna(frame["note"].iloc[0])
    assert frame["big_id"].iloc[0] == "12345678901234567890"
    assert frame["flag"].tolist() == [True, False, True]
    assert frame["hexish"].iloc[0] == "0x10"


def test_datetime_columns(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "day,stamp,local,us_style,year\n"
        "2020-01-02,2020-01-02T03:04:05+08:00,2020-01-02 03:04,01/02/2020,2020\n"
        "2021-05-06,2021-05-06T00:00:00Z,2021-05-06 07:08,05/06/2021,2021\n",
        encoding="utf-8",
    )
    frame = read_input(path).frame
    assert pd.api.types.is_datetime64_any_dtype(frame["day"])
    assert str(frame["stamp"].dt.tz) == "UTC"
    assert frame["stamp"].iloc[0] == pd.Timestamp("2020-01-01T19:04:05Z")
    assert frame["local"].dt.tz is None
    assert frame["us_style"].dtype != "datetime64[ns]" and not pd.api.types.is_datetime64_any_dtype(
        frame["us_style"]
    )
    assert pd.api.types.is_integer_dtype(frame["year"])


def test_format_detected_from_content_and_forced(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Point", "coordinates": [1, 2]}}
    ]
    path = tmp_path / "download.bin"
    path.write_bytes(gzip.compress(json.dumps({"type": "FeatureCollection", "features": features}).encode()))
    assert read_input(path).input_format == "geojson"
    table = tmp_path / "export.dat"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    assert read_input(table, ReadOptions(format="csv")).kind is DatasetKind.INDICATOR_TABLE


def test_swapped_lon_lat_is_a_warning(tmp_path: Path, countries: Any) -> None:
    path = tmp_path / "swapped.csv"
    # (name, country, lat, lon): written with lat in the lon column; all within -90..90 so no range error
    rows = [
        ("Almaty", "KAZ", 43.2, 76.9),
        ("Nairobi", "KEN", -1.29, 36.8),
        ("Kathmandu", "NPL", 27.7, 85.3),
        ("Islamabad", "PAK", 33.7, 73.0),
        ("Tashkent", "UZB", 41.3, 69.2),
    ]
    path.write_text(
        "name,iso3,lon,lat\n" + "".join(f"{n},{c},{x},{y}\n" for n, c, x, y in rows), encoding="utf-8"
    )
    result = read_input(path, countries=countries)
    assert any("look swapped" in warning for warning in result.warnings)
    assert result.frame.geometry.iloc[0].equals(shapely.Point(43.2, 76.9))  # the data is not changed
    right = tmp_path / "right.csv"
    right.write_text(
        "name,country,lon,lat\n" + "".join(f"{n},{c},{y},{x}\n" for n, c, x, y in rows), encoding="utf-8"
    )
    fine = read_input(right, ReadOptions(country_column="country"), countries=countries)
    assert not any("swapped" in warning for warning in fine.warnings)
    assert not any("swapped" in warning for warning in read_input(path).warnings)  # no countries, no check


def test_reading_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "sites.gpkg"
    _layer("EPSG:3857").to_file(path, engine="pyogrio")
    first = read_input(path)
    second = read_input(path)
    assert first.input_sha256 == second.input_sha256
    pd.testing.assert_frame_equal(first.frame.to_wkb(), second.frame.to_wkb())
    assert list(first.frame.index) == [0, 1, 2, 3]


def test_unclosed_ring_in_geojson_is_closed_and_recorded(tmp_path: Path) -> None:
    ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}
    point = {"type": "Point", "coordinates": [1, 1]}
    features = [{"type": "Feature", "properties": {"id": "R"}, "geometry": ring}]
    features.append({"type": "Feature", "properties": {"id": "P"}, "geometry": point})
    path = tmp_path / "ring.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = read_input(path)
    assert [(repair.feature, repair.feature_id) for repair in result.repairs] == [(0, "R")]
    assert result.frame.geometry.iloc[0].equals(shapely.Polygon([(0, 0), (1, 0), (1, 1)]))


def test_geopackage_attribute_table_is_a_table(tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "attributes.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"iso3": ["CHN"], "value": [1.5]}), path, layer="values")
    result = read_input(path)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert list(result.frame.columns) == ["iso3", "value"]


def test_geojson_without_any_geometry_is_a_table_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "nothing.geojson"
    features = [{"type": "Feature", "properties": {"a": 1}, "geometry": None}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = read_input(path, ReadOptions(allow_missing_geometry=True))  # refused without (issue 13)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert list(result.frame.columns) == ["a"]


def test_folder_of_csvs_and_odd_shapefile_names(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "b.csv").write_text("name,lon,lat\nb,3,4\n", encoding="utf-8")
    (folder / "a.csv").write_text("name,lon,lat\na,1,2\n", encoding="utf-8")
    result = read_input(folder)
    assert list(result.frame["name"]) == ["a", "b"]  # name order
    odd = tmp_path / "we[ir]d"
    odd.mkdir()
    _layer().to_file(odd / "s[1].shp", engine="pyogrio")
    assert len(read_input(odd / "s[1].shp").frame) == 4


def test_a_geojson_whose_geometries_are_all_null_is_refused(tmp_path: Path) -> None:
    """A GIS user exporting a layer expects features, not a table: say no feature has a geometry."""
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": None} for name in ("a", "b", "c")
    ]
    path = tmp_path / "null.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with pytest.raises(GeometryError, match="No feature has a geometry: all 3 features") as caught:
        read_input(path)
    assert "null.geojson" in str(caught.value)
    assert "--allow-missing-geometry" in str(caught.value)
    kept = read_input(path, ReadOptions(allow_missing_geometry=True))  # asked for: a table, said so
    assert kept.kind is DatasetKind.INDICATOR_TABLE and len(kept.frame) == 3
    assert any("read as a table" in warning for warning in kept.warnings)
