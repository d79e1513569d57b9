"""Every bad input of the foundation issue gets a clear error and leaves the store exactly as it was."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon
from tests.conftest import StoreFactory
from tests.store_state import snapshot

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core import errors
from greenbri.core.catalog import Bilingual
from greenbri.usecases.datasets import DatasetMetadata, import_dataset

METADATA = DatasetMetadata("sites", Bilingual("Sites", "地点"))


@pytest.fixture()
def store(tmp_path: Path, store_factory: StoreFactory) -> DatasetStore:
    """A store holding version 1 of 'sites' (two points)."""
    store = store_factory.open(tmp_path / "store")
    good = tmp_path / "good.geojson"
    gpd.GeoDataFrame(
        {"site_id": ["a", "b"]}, geometry=[Point(116.4, 39.9), Point(121.5, 31.2)], crs="EPSG:4326"
    ).to_file(good)
    import_dataset(store, good, METADATA)
    return store


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def truncated_geojson(directory: Path) -> tuple[Path, ReadOptions]:
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"a": 1},
                    "geometry": {"type": "Point", "coordinates": [1, 2]},
                }
            ]
            * 3,
        }
    )
    return write_text(directory / "cut.geojson", text[: len(text) // 2]), ReadOptions()


def truncated_gzip(directory: Path) -> tuple[Path, ReadOptions]:
    payload = gzip.compress(json.dumps({"type": "FeatureCollection", "features": []}).encode() * 50)
    path = directory / "cut.geojson.gz"
    path.write_bytes(payload[: len(payload) // 2])
    return path, ReadOptions()


def empty_file(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "empty.csv", ""), ReadOptions()


def empty_collection(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(
        directory / "none.geojson", '{"type": "FeatureCollection", "features": []}'
    ), ReadOptions()


def unknown_format(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "notes.docx", "minutes of the meeting"), ReadOptions()


def missing_prj(directory: Path) -> tuple[Path, ReadOptions]:
    path = directory / "noprj.shp"
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[Point(500000, 4400000)], crs="EPSG:32650").to_file(path)
    path.with_suffix(".prj").unlink()
    return path, ReadOptions()


def unknown_crs(directory: Path) -> tuple[Path, ReadOptions]:
    path = directory / "lonlat.csv"
    write_text(path, "name,lon,lat\nx,116.4,39.9\n")
    return path, ReadOptions(source_crs="EPSG:999999")


def out_of_range(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "range.csv", "name,lon,lat\nok,116.4,39.9\nbad,116.4,95.0\n"), ReadOptions()


def empty_geometry(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(
        directory / "emptygeom.csv", "name,wkt\nok,POINT (1 2)\nbad,POLYGON EMPTY\n"
    ), ReadOptions()


def collapsed_polygon(directory: Path) -> tuple[Path, ReadOptions]:
    flat = Polygon([(0, 0), (1, 1), (2, 2), (0, 0)])
    return write_text(directory / "flat.csv", f'name,wkt\nflat,"{flat.wkt}"\n'), ReadOptions()


def undecodable(directory: Path) -> tuple[Path, ReadOptions]:
    path = directory / "bytes.csv"
    path.write_bytes(b"name,lon,lat\n" + "北京".encode("gb18030") + b",116.4,39.9\n")
    return path, ReadOptions(encoding="utf-8")


def duplicate_ids(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "dups.csv", "site_id,lon,lat\na,1,1\nb,2,2\na,3,3\n"), ReadOptions(
        id_column="site_id"
    )


def missing_columns(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "cols.csv", "name,x_coord,y_coord\na,1,1\n"), ReadOptions(
        lon_column="longitude", lat_column="latitude"
    )


def too_large(directory: Path) -> tuple[Path, ReadOptions]:
    return write_text(directory / "big.csv", "name,lon,lat\n" + "a,1,1\n" * 1000), ReadOptions(max_bytes=1000)


BAD_INPUTS: list[tuple[Callable[[Path], tuple[Path, ReadOptions]], type[errors.GreenbriError], str]] = [
    (truncated_geojson, errors.MalformedInputError, "cut.geojson"),
    (truncated_gzip, errors.MalformedInputError, "cut.geojson.gz"),
    (empty_file, errors.EmptyInputError, "empty.csv"),
    (empty_collection, errors.EmptyInputError, "none.geojson"),
    (unknown_format, errors.UnknownFormatError, "notes.docx"),
    (missing_prj, errors.CoordinateReferenceError, ".prj"),
    (unknown_crs, errors.CoordinateReferenceError, "999999"),
    (out_of_range, errors.CoordinateRangeError, "row 2"),
    (empty_geometry, errors.GeometryError, "row 2"),
    (collapsed_polygon, errors.GeometryError, "row 1"),
    (undecodable, errors.EncodingError, "line 2"),
    (duplicate_ids, errors.DuplicateIdError, "'a'"),
    (missing_columns, errors.MissingColumnError, "longitude"),
    (too_large, errors.InputTooLargeError, "1,000 bytes"),
]


@pytest.mark.parametrize(
    ("make", "error_class", "where"), BAD_INPUTS, ids=[item[0].__name__ for item in BAD_INPUTS]
)
def test_bad_input_is_refused_clearly_and_the_store_is_unchanged(
    store: DatasetStore,
    tmp_path: Path,
    make: Callable[[Path], tuple[Path, ReadOptions]],
    error_class: type,
    where: str,
) -> None:
    before = snapshot(store)
    path, options = make(tmp_path)
    with pytest.raises(error_class) as raised:
        import_dataset(store, path, METADATA, options)
    message = str(raised.value)
    assert path.name in message, message
    assert where in message, message
    assert "Fix:" in message, message
    assert snapshot(store) == before
    assert list(store.read("sites")["site_id"]) == ["a", "b"]


def test_swapped_lon_lat_imports_with_a_warning(
    store: DatasetStore, tmp_path: Path, shared_data: Path
) -> None:
    from greenbri.usecases.initialise import initialise_store

    initialise_store(store)
    path = write_text(
        tmp_path / "swapped.csv",
        "name,iso3,lon,lat\nKabul,AFG,34.53,69.17\nAlmaty,KAZ,43.24,76.89\nNairobi,KEN,-1.29,36.82\n",
    )
    outcome = import_dataset(store, path, METADATA, ReadOptions(country_column="iso3"))
    assert outcome.created
    assert any("swapped" in warning for warning in outcome.warnings), outcome.warnings
    assert any("swapped" in warning for warning in store.get("sites").latest.warnings)  # type: ignore[union-attr]


def test_a_repairable_self_intersection_is_repaired_and_reported(store: DatasetStore, tmp_path: Path) -> None:
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    path = write_text(
        tmp_path / "bowtie.csv",
        f'site_id,wkt\nbow,"{bowtie.wkt}"\nsquare,"POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))"\n',
    )
    outcome = import_dataset(store, path, METADATA, ReadOptions(id_column="site_id"))
    assert [(repair.feature, repair.feature_id) for repair in outcome.repairs] == [(0, "bow")]
    assert "Self-intersection" in outcome.repairs[0].problem
    stored = store.read("sites")
    assert stored.geometry.is_valid.all()
    assert stored.geometry.iloc[0].area == pytest.approx(2.0)  # two triangles of area 1
    assert store.get("sites").latest.repairs == outcome.repairs  # type: ignore[union-attr]
