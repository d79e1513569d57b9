"""Bad inputs: each raises the right error, naming the file, the row/feature and a fix."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas
import pytest
import shapely

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.core.errors import (
    CoordinateRangeError,
    CoordinateReferenceError,
    DuplicateIdError,
    EmptyInputError,
    EncodingError,
    GeometryError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
    MissingColumnError,
    UnknownFormatError,
)


def _geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _square(x: float = 0.0, y: float = 0.0) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def test_missing_file(tmp_path: Path, explained: Any) -> None:
    with pytest.raises(InputError) as caught:
        read_input(tmp_path / "nowhere.geojson")
    explained(caught.value, "nowhere.geojson", None)


def test_empty_file(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError) as caught:
        read_input(path)
    explained(caught.value, "empty.csv", None)


def test_header_only_csv_is_empty(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "header.csv"
    path.write_text("name,lon,lat\n", encoding="utf-8")
    with pytest.raises(EmptyInputError) as caught:
        read_input(path)
    explained(caught.value, "header.csv", None)


def test_feature_collection_without_features_is_empty(tmp_path: Path, explained: Any) -> None:
    path = _geojson(tmp_path / "none.geojson", [])
    with pytest.raises(EmptyInputError) as caught:
        read_input(path)
    explained(caught.value, "none.geojson", None)


def test_truncated_geojson(tmp_path: Path, explained: Any) -> None:
    whole = json.dumps(
        {"type": "FeatureCollection", "features": [_feature(_square(), id=i) for i in range(20)]}
    )
    path = tmp_path / "cut.geojson"
    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "cut.geojson", None)


def test_truncated_gzip(tmp_path: Path, shared_data: Path, explained: Any) -> None:
    data = (shared_data / "natural-earth" / "ne_10m_reefs.geojson.gz").read_bytes()
    path = tmp_path / "reefs.geojson.gz"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "reefs.geojson.gz", None)


def test_zip_that_is_not_a_zip(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "parks.zip"
    path.write_bytes(b"<html>404 Not Found</html>" * 10)
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "parks.zip", None)


def test_zip_without_shapefile(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "docs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnknownFormatError) as caught:
        read_input(path)
    assert "readme.txt" in str(caught.value)
    explained(caught.value, "docs.zip", None)


def test_csv_with_broken_quote(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('name,lon,lat\n"Lake A,10,20\nLake B,11,21\n', encoding="utf-8")
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "quote.csv", "line 2")


def test_unknown_format(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "image.dat"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(UnknownFormatError) as caught:
        read_input(path)
    assert "GeoPackage" in str(caught.value)
    explained(caught.value, "image.dat", None)


def test_unknown_forced_format(tmp_path: Path, explained: Any) -> None:
    path = _geojson(tmp_path / "a.geojson", [_feature(_square())])
    with pytest.raises(UnknownFormatError) as caught:
        read_input(path, ReadOptions(format="kml"))
    explained(caught.value, "a.geojson", None)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"\xff\xfe garbage that is never parsed" * 100)
    with pytest.raises(InputTooLargeError) as caught:
        read_input(path, ReadOptions(max_bytes=1000))
    assert "1,000" in str(caught.value)
    explained(caught.value, "big.csv", None)


def test_gzip_that_unpacks_beyond_the_limit(tmp_path: Path, explained: Any) -> None:
    import gzip

    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 100_000))
    with pytest.raises(InputTooLargeError) as caught:
        read_input(path, ReadOptions(max_bytes=50_000))
    explained(caught.value, "bomb.csv.gz", None)


def test_undecodable_bytes(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"name,lon,lat\nok,1,2\n\x81\x8d\x8f\x90\x9d\x81\x8d,3,4\n")
    with pytest.raises(EncodingError) as caught:
        read_input(path)
    assert "byte offset 20" in str(caught.value)
    assert "--encoding" in str(caught.value)
    explained(caught.value, "junk.csv", "line 3")


def test_wrong_encoding_given(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("名称,lon,lat\n北京,116.4,39.9\n".encode("gbk"))
    with pytest.raises(EncodingError) as caught:
        read_input(path, ReadOptions(encoding="utf-8"))
    explained(caught.value, "gbk.csv", "line 1")


def test_shapefile_without_prj(tmp_path: Path, explained: Any) -> None:
    frame = geopandas.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(10, 20)], crs="EPSG:4326")
    path = tmp_path / "sites.shp"
    frame.to_file(path, engine="pyogrio")
    path.with_suffix(".prj").unlink()
    with pytest.raises(CoordinateReferenceError) as caught:
        read_input(path)
    assert "has no .prj file" in str(caught.value)
    assert "--crs EPSG:" in str(caught.value)
    explained(caught.value, "sites.shp", None)
    result = read_input(path, ReadOptions(source_crs="EPSG:4326"))
    assert result.source_crs == "EPSG:4326"
    assert result.frame.geometry.iloc[0].equals(shapely.Point(10, 20))


def test_shapefile_with_unreadable_prj(tmp_path: Path, explained: Any) -> None:
    frame = geopandas.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(10, 20)], crs="EPSG:4326")
    path = tmp_path / "sites.shp"
    frame.to_file(path, engine="pyogrio")
    path.with_suffix(".prj").write_text("THIS IS NOT A CRS", encoding="ascii")
    with pytest.raises(CoordinateReferenceError) as caught:
        read_input(path)
    explained(caught.value, "sites.shp", None)


def test_unknown_crs_option(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "points.csv"
    path.write_text("name,x,y\na,500000,4400000\n", encoding="utf-8")
    with pytest.raises(CoordinateReferenceError) as caught:
        read_input(path, ReadOptions(source_crs="EPSG:999999"))
    explained(caught.value, "points.csv", None)


def test_self_intersecting_bowtie_is_repaired(tmp_path: Path) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    path = _geojson(tmp_path / "bowtie.geojson", [_feature(_square(5, 5), id="A"), _feature(bowtie, id="B")])
    result = read_input(path)
    assert len(result.repairs) == 1
    repair = result.repairs[0]
    assert (repair.feature, repair.feature_id) == (1, "B")
    assert repair.problem.startswith("Self-intersection")
    assert "make_valid" in repair.action
    fixed = result.frame.geometry.iloc[1]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon"
    assert fixed.area == pytest.approx(2.0)


def test_unclosed_ring_in_wkt_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "rings.csv"
    path.write_text('id,wkt\n1,"POLYGON ((0 0, 1 0, 1 1, 0 1))"\n2,"POINT (3 4)"\n', encoding="utf-8")
    result = read_input(path)
    assert [repair.feature for repair in result.repairs] == [0]
    assert "closed" in result.repairs[0].action
    assert (
        result.frame.geometry.iloc[0].equals(shapely.box(0, 0, 1, 1))
        or result.frame.geometry.iloc[0].area == 1
    )


def test_empty_polygon_is_an_error(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "empty.csv"
    path.write_text('id,wkt\nA,"POINT (1 1)"\nB,"POLYGON EMPTY"\n', encoding="utf-8")
    with pytest.raises(GeometryError) as caught:
        read_input(path, ReadOptions(id_column="id"))
    assert "empty geometry" in str(caught.value)
    explained(caught.value, "empty.csv", "row 2 (id=B)")


def test_empty_polygon_in_a_geopackage_is_an_error(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "parks.gpkg"
    frame = geopandas.GeoDataFrame(
        {"wdpa_id": [10, 11]}, geometry=[shapely.box(0, 0, 1, 1), shapely.Polygon()], crs="EPSG:4326"
    )
    frame.to_file(path, engine="pyogrio")
    with pytest.raises(GeometryError) as caught:
        read_input(path, ReadOptions(id_column="wdpa_id"))
    assert "empty geometry" in str(caught.value)
    explained(caught.value, "parks.gpkg", "feature 1 (id=11)")


def test_polygon_collapsing_to_a_line_is_an_error(tmp_path: Path, explained: Any) -> None:
    flat = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]}
    path = _geojson(tmp_path / "flat.geojson", [_feature(_square(), id=1), _feature(flat, id=2)])
    with pytest.raises(GeometryError) as caught:
        read_input(path)
    assert "collapse" in str(caught.value)
    explained(caught.value, "flat.geojson", "feature 1 (id=2)")


def test_null_geometry_is_an_error_unless_allowed(tmp_path: Path, explained: Any) -> None:
    path = _geojson(tmp_path / "nulls.geojson", [_feature(_square(), name="a"), _feature(None, name="b")])
    with pytest.raises(GeometryError) as caught:
        read_input(path)
    explained(caught.value, "nulls.geojson", "feature 1")
    kept = read_input(path, ReadOptions(allow_missing_geometry=True))
    assert kept.frame.geometry.isna().tolist() == [False, True]


def test_latitude_95_in_csv(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "stations.csv"
    path.write_text("name,lon,lat\na,10,20\nb,11,95\n", encoding="utf-8")
    with pytest.raises(CoordinateRangeError) as caught:
        read_input(path)
    assert "95" in str(caught.value) and "'lat'" in str(caught.value)
    assert "swapped" in str(caught.value)
    explained(caught.value, "stations.csv", "row 2")


def test_latitude_95_in_geojson(tmp_path: Path, explained: Any) -> None:
    path = _geojson(tmp_path / "far.geojson", [_feature({"type": "Point", "coordinates": [10, 95]}, id=7)])
    with pytest.raises(CoordinateRangeError) as caught:
        read_input(path)
    explained(caught.value, "far.geojson", "feature 0 (id=7)")


def test_projected_coordinates_declared_as_degrees(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "utm.csv"
    path.write_text("name,x,y\na,500000,4400000\n", encoding="utf-8")
    with pytest.raises(CoordinateRangeError) as caught:
        read_input(path)
    explained(caught.value, "utm.csv", "row 1")
    result = read_input(path, ReadOptions(source_crs="EPSG:32650"))
    assert result.frame.geometry.iloc[0].x == pytest.approx(117.0, abs=1e-6)


def test_coordinate_that_is_not_a_number(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "dms.csv"
    path.write_text("name,lon,lat\na,10,20\nb,116°23'E,39.9\n", encoding="utf-8")
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "dms.csv", "row 2")


def test_half_a_coordinate(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "half.csv"
    path.write_text("name,lon,lat\na,10,20\nb,11,\n", encoding="utf-8")
    with pytest.raises(GeometryError) as caught:
        read_input(path, ReadOptions(allow_missing_geometry=True))
    explained(caught.value, "half.csv", "row 2")


def test_duplicate_ids(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("site,lon,lat\nA,1,1\nB,2,2\nA,3,3\nC,4,4\nC,5,5\n", encoding="utf-8")
    with pytest.raises(DuplicateIdError) as caught:
        read_input(path, ReadOptions(id_column="site"))
    text = str(caught.value)
    assert "'A'" in text and "row 1" in text and "row 3" in text
    assert "1 more values are repeated" in text
    explained(caught.value, "ids.csv", "row 1")


def test_duplicate_ids_across_files_name_the_files(tmp_path: Path, explained: Any) -> None:
    first = _geojson(tmp_path / "a.geojson", [_feature(_square(), code="X")])
    second = _geojson(
        tmp_path / "b.geojson", [_feature(_square(3, 3), code="Y"), _feature(_square(), code="X")]
    )
    with pytest.raises(DuplicateIdError) as caught:
        read_input([first, second], ReadOptions(id_column="code"))
    assert "feature 1 of b.geojson" in str(caught.value)
    explained(caught.value, "a.geojson", "feature 0 of a.geojson")


def test_missing_named_columns(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("name,x_coord,y_coord\na,1,2\n", encoding="utf-8")
    for options, column in (
        (ReadOptions(lon_column="lon", lat_column="y_coord"), "'lon'"),
        (ReadOptions(wkt_column="shape"), "'shape'"),
        (ReadOptions(column_mapping={"Name": "title"}), "'Name'"),
        (ReadOptions(id_column="code"), "'code'"),
        (ReadOptions(lat_column="y_coord"), "longitude"),
    ):
        with pytest.raises(MissingColumnError) as caught:
            read_input(path, options)
        text = str(caught.value)
        assert column in text and "'x_coord'" in text, text  # lists the available columns
        explained(caught.value, "cols.csv", None)


def test_mapping_that_clashes(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "clash.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_input(path, ReadOptions(column_mapping={"a": "b"}))
    explained(caught.value, "clash.csv", None)


def test_mapping_may_not_rename_the_geometry(tmp_path: Path, explained: Any) -> None:
    path = _geojson(tmp_path / "g.geojson", [_feature(_square(), a=1)])
    with pytest.raises(InputError) as caught:
        read_input(path, ReadOptions(column_mapping={"geometry": "geom"}))
    explained(caught.value, "g.geojson", "column 'geometry'")


def test_layer_without_crs(tmp_path: Path, explained: Any) -> None:
    frame = geopandas.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(1, 1)])
    path = tmp_path / "nocrs.parquet"
    frame.to_parquet(path)  # GeoParquet "crs": null means the CRS is unknown
    with pytest.raises(CoordinateReferenceError) as caught:
        read_input(path)
    explained(caught.value, "nocrs.parquet", None)
    assert read_input(path, ReadOptions(source_crs="EPSG:4326")).source_crs == "EPSG:4326"


def test_gpkg_with_several_layers_and_none_named(tmp_path: Path, explained: Any) -> None:
    path = tmp_path / "two.gpkg"
    frame = geopandas.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(1, 1)], crs="EPSG:4326")
    frame.to_file(path, layer="lakes", engine="pyogrio")
    frame.to_file(path, layer="rivers", engine="pyogrio")
    with pytest.raises(InputError) as caught:
        read_input(path)
    assert "lakes, rivers" in str(caught.value) and "--layer" in str(caught.value)
    explained(caught.value, "two.gpkg", None)
    with pytest.raises(InputError) as caught_wrong:
        read_input(path, ReadOptions(layer="roads"))
    explained(caught_wrong.value, "two.gpkg", None)
    assert len(read_input(path, ReadOptions(layer="rivers")).frame) == 1


def test_shapefile_missing_its_dbf(tmp_path: Path, explained: Any) -> None:
    frame = geopandas.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(1, 1)], crs="EPSG:4326")
    path = tmp_path / "part.shp"
    frame.to_file(path, engine="pyogrio")
    path.with_suffix(".dbf").unlink()
    with pytest.raises(MalformedInputError) as caught:
        read_input(path)
    explained(caught.value, "part.shp", None)


def test_mixing_tables_and_layers(tmp_path: Path, explained: Any) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    layer = _geojson(tmp_path / "l.geojson", [_feature(_square())])
    with pytest.raises(InputError) as caught:
        read_input([table, layer])
    explained(caught.value, "t.csv", None)
