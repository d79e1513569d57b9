"""Esri file geodatabases (a ``.gdb`` folder, plain or zipped), built in tmp_path with GDAL's OpenFileGDB.

The geodatabase is shaped like the WDPA public download (``WDPA_<Mon><YYYY>_Public.gdb``
with a ``WDPA_poly_*`` and a ``WDPA_point_*`` layer and WDPA's real field names and
types: WDPAID and the areas are Double, STATUS_YR a Long, MARINE a text code); the
sites and their values are made up.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, box

from greenbri.adapters.readers import FORMATS, ReadOptions, read_input
from greenbri.adapters.readers.detect import resolve_inputs
from greenbri.core.catalog import DatasetKind
from greenbri.core.errors import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
    UnknownFormatError,
)

POLY = "WDPA_poly_Nov2026"
POINT = "WDPA_point_Nov2026"
GDB = "WDPA_Nov2026_Public.gdb"
WDPA_FIELDS = [
    "WDPAID",
    "NAME",
    "DESIG_ENG",
    "IUCN_CAT",
    "STATUS",
    "STATUS_YR",
    "MARINE",
    "REP_AREA",
    "GIS_AREA",
    "ISO3",
]
# WDPAID, NAME, DESIG_ENG, IUCN_CAT, STATUS, STATUS_YR, MARINE, REP_AREA, GIS_AREA, ISO3, geometry
POLYGONS = [
    (
        555001.0,
        "Qinling Golden Monkey",
        "National Nature Reserve",
        "Ia",
        "Designated",
        1995,
        "0",
        520.0,
        518.7,
        "CHN",
        box(107.5, 33.6, 107.8, 33.9),
    ),
    (
        555002.0,
        "Dongting West Lake",
        "Wetland Park",
        "V",
        "Designated",
        2008,
        "0",
        120.5,
        121.9,
        "CHN",
        box(112.0, 29.0, 112.2, 29.1),
    ),
    (
        555003.0,
        "Can Gio Mangrove",
        "UNESCO-MAB Biosphere Reserve",
        "Not Applicable",
        "Designated",
        2000,
        "1",
        757.4,
        761.0,
        "VNM",
        box(106.8, 10.3, 107.0, 10.6),
    ),
    (
        555004.0,
        "Ko Kra Marine Park",
        "Marine Park",
        "Not Reported",
        "Proposed",
        0,
        "2",
        300.0,
        298.2,
        "THA",
        box(99.9, 8.3, 100.1, 8.5),
    ),
    (
        555005.0,
        "Ulu Temburong",
        "National Park",
        "II",
        "Established",
        1991,
        "0",
        550.0,
        548.3,
        "BRN",
        box(115.1, 4.3, 115.3, 4.6),
    ),
]
# Point sites are reported without boundaries: the WDPA point layer has no GIS_AREA.
POINTS = [
    (555101.0, "Nanling Sacred Hill", "Scenic Area", "III", "Designated", 2011, "0", 3.2, "CHN"),
    (555102.0, "Pulau Kecil", "Marine Park", "Not Reported", "Proposed", 0, "1", 12.0, "MYS"),
]


def _frame(rows: list[tuple[Any, ...]], fields: list[str]) -> geopandas.GeoDataFrame:
    columns = list(zip(*rows, strict=True))
    data: dict[str, Any] = {}
    for name, values in zip(fields, columns[:-1], strict=True):
        if name == "STATUS_YR":
            data[name] = np.array(values, dtype="int32")  # a Long, as in WDPA
        elif name in ("WDPAID", "REP_AREA", "GIS_AREA"):
            data[name] = np.array(values, dtype="float64")  # a Double, as in WDPA
        else:
            data[name] = list(values)
    return geopandas.GeoDataFrame(data, geometry=list(columns[-1]), crs="EPSG:4326")


def build_wdpa_gdb(folder: Path) -> Path:
    """``folder/WDPA_Nov2026_Public.gdb`` with the polygon and the point layer."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / GDB
    pyogrio.write_dataframe(_frame(POLYGONS, WDPA_FIELDS), path, layer=POLY, driver="OpenFileGDB")
    point_rows = [
        (*row, Point(lon, lat)) for row, (lon, lat) in zip(POINTS, [(113.0, 25.0), (104.1, 2.4)], strict=True)
    ]
    point_fields = [name for name in WDPA_FIELDS if name != "GIS_AREA"]
    pyogrio.write_dataframe(_frame(point_rows, point_fields), path, layer=POINT, driver="OpenFileGDB")
    return path


def zip_like_wdpa(gdb: Path, target: Path) -> Path:
    """A zip laid out like the download: ``WDPA_Nov2026_Public/<gdb>/...`` beside a PDF manual."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(gdb.iterdir()):
            archive.write(item, f"WDPA_Nov2026_Public/{gdb.name}/{item.name}")
        archive.writestr("WDPA_Nov2026_Public/WDPA_Manual_1_6.pdf", b"%PDF-1.4 not really a manual")
        archive.writestr(f"__MACOSX/WDPA_Nov2026_Public/{gdb.name}/._gdb", b"\x00\x05\x16\x07")
    return target


@pytest.fixture
def gdb(tmp_path: Path) -> Path:
    return build_wdpa_gdb(tmp_path / "download")


def _folder_digest(folder: Path) -> str:
    lines = sorted(
        f"{item.name}:{hashlib.sha256(item.read_bytes()).hexdigest()}" for item in folder.iterdir()
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_filegdb_is_a_listed_format() -> None:
    assert "filegdb" in FORMATS


def test_reads_the_polygon_layer_of_a_gdb_folder(gdb: Path) -> None:
    result = read_input(gdb, ReadOptions(layer=POLY))
    assert result.input_format == "filegdb"
    assert result.kind is DatasetKind.VECTOR_LAYER
    assert result.input_paths == (gdb,)
    assert result.source_crs == "EPSG:4326"
    assert str(result.frame.crs) == "EPSG:4326"
    assert list(result.frame.columns) == [*WDPA_FIELDS, "geometry"]
    assert list(result.frame["NAME"]) == [row[1] for row in POLYGONS]
    assert list(result.frame["STATUS"]).count("Proposed") == 1
    assert "UNESCO-MAB Biosphere Reserve" in set(result.frame["DESIG_ENG"])
    assert list(result.frame["WDPAID"]) == [row[0] for row in POLYGONS]
    assert list(result.frame["STATUS_YR"]) == [row[5] for row in POLYGONS]
    assert result.frame.geometry.iloc[0].hausdorff_distance(POLYGONS[0][-1]) < 1e-6  # the gdb's grid
    assert result.frame.geometry.iloc[4].bounds == pytest.approx((115.1, 4.3, 115.3, 4.6))
    assert result.repairs == []
    assert result.input_sha256 == _folder_digest(gdb)


def test_gdb_folder_is_one_input_not_a_folder_of_files(gdb: Path) -> None:
    (entry,) = resolve_inputs(gdb, None, 10**9)
    assert entry.format == "filegdb"
    assert entry.path == gdb
    assert set(entry.files) == set(gdb.iterdir())
    # the unzipped download: the .gdb folder beside a PDF is read as the geodatabase
    (gdb.parent / "WDPA_Manual_1_6.pdf").write_bytes(b"%PDF-1.4")
    result = read_input(gdb.parent, ReadOptions(layer=POINT))
    assert result.input_format == "filegdb"
    assert result.input_paths == (gdb,)
    assert list(result.frame["NAME"]) == [row[1] for row in POINTS]


def test_digest_covers_the_data_files_but_not_locks(gdb: Path) -> None:
    before = read_input(gdb, ReadOptions(layer=POINT)).input_sha256
    (gdb / "_gdb.host.1234.sr.lock").write_bytes(b"ArcGIS was here")
    (gdb / ".DS_Store").write_bytes(b"\x00")
    assert read_input(gdb, ReadOptions(layer=POINT)).input_sha256 == before
    extra = _frame([(*POINTS[0], Point(113.5, 25.5))], [n for n in WDPA_FIELDS if n != "GIS_AREA"])
    pyogrio.write_dataframe(extra, gdb, layer=POINT, driver="OpenFileGDB", append=True)
    assert read_input(gdb, ReadOptions(layer=POINT)).input_sha256 != before


def test_reads_the_zipped_download_in_place(gdb: Path, tmp_path: Path) -> None:
    archive = zip_like_wdpa(gdb, tmp_path / "WDPA_Nov2026_Public.zip")
    (entry,) = resolve_inputs(archive, None, 10**9)
    assert (entry.format, entry.member) == ("filegdb", f"WDPA_Nov2026_Public/{GDB}")
    result = read_input(archive, ReadOptions(layer=POLY))
    assert result.input_format == "filegdb"
    assert result.input_paths == (archive,)
    assert result.input_sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert list(result.frame["WDPAID"]) == [row[0] for row in POLYGONS]
    assert str(result.frame.crs) == "EPSG:4326"
    assert not (tmp_path / "WDPA_Nov2026_Public").exists()  # nothing was extracted
    points = read_input(archive, ReadOptions(layer=POINT))
    assert list(points.frame.geom_type) == ["Point", "Point"]


def test_reads_a_gdb_zip_with_the_files_at_its_root(gdb: Path, tmp_path: Path) -> None:
    archive = tmp_path / "sites.gdb.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for item in sorted(gdb.iterdir()):
            handle.write(item, item.name)
    (entry,) = resolve_inputs(archive, None, 10**9)
    assert (entry.format, entry.member) == ("filegdb", None)
    assert len(read_input(archive, ReadOptions(layer=POINT)).frame) == len(POINTS)


def test_several_layers_and_none_named_is_an_error_listing_them(
    gdb: Path, tmp_path: Path, explained: Any
) -> None:
    with pytest.raises(InputError) as caught:
        read_input(gdb)
    text = str(caught.value)
    assert "file geodatabase holds 2 layers" in text
    assert POLY in text and POINT in text and "--layer" in text
    explained(caught.value, GDB, None)
    with pytest.raises(InputError) as wrong:
        read_input(gdb, ReadOptions(layer="WDPA_poly_Oct2026"))
    assert "no layer 'WDPA_poly_Oct2026'" in str(wrong.value) and POLY in str(wrong.value)
    explained(wrong.value, GDB, None)
    archive = zip_like_wdpa(gdb, tmp_path / "WDPA_Nov2026_Public.zip")
    with pytest.raises(InputError) as zipped:
        read_input(archive)
    explained(zipped.value, f"WDPA_Nov2026_Public.zip!WDPA_Nov2026_Public/{GDB}", None)


def test_one_layer_needs_no_name_and_a_projected_crs_is_reprojected_with_repairs(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000), (0, 0)])
    frame = geopandas.GeoDataFrame(
        {"WDPAID": [1.0, 2.0], "NAME": ["a", "b"]},
        geometry=[box(1.2e7, 4.0e6, 1.21e7, 4.1e6), shapely.affinity.translate(bowtie, 1.2e7, 4.0e6)],
        crs="EPSG:3857",
    )
    path = tmp_path / "mercator.gdb"
    pyogrio.write_dataframe(frame, path, layer="parks", driver="OpenFileGDB")
    result = read_input(path)
    assert result.source_crs == "EPSG:3857"
    assert str(result.frame.crs) == "EPSG:4326"
    lon, lat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True).transform(1.2e7, 4.0e6)
    assert result.frame.geometry.iloc[0].bounds[:2] == pytest.approx((lon, lat), abs=1e-6)
    assert [repair.feature for repair in result.repairs] == [1]
    assert result.frame.geometry.iloc[1].is_valid


@pytest.mark.parametrize("name", ["filegdb", "gdb", "OpenFileGDB", ".gdb"])
def test_format_names_for_the_folder_and_the_zip(gdb: Path, tmp_path: Path, name: str) -> None:
    archive = zip_like_wdpa(gdb, tmp_path / "download.zip")
    for path in (gdb, archive):
        assert read_input(path, ReadOptions(format=name, layer=POINT)).input_format == "filegdb"


def test_format_mismatches_are_explained(gdb: Path, tmp_path: Path, explained: Any) -> None:
    with pytest.raises(UnknownFormatError) as as_gpkg:
        read_input(gdb, ReadOptions(format="gpkg"))
    explained(as_gpkg.value, GDB, None)
    not_a_zip = tmp_path / "sites.geojson"
    not_a_zip.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(UnknownFormatError) as as_gdb:
        read_input(not_a_zip, ReadOptions(format="filegdb"))
    assert "folder whose name ends in .gdb" in str(as_gdb.value)
    shapefiles_only = tmp_path / "shp.zip"
    with zipfile.ZipFile(shapefiles_only, "w") as handle:
        handle.writestr("a.shp", b"\x00\x00\x27\x0a")
    with pytest.raises(UnknownFormatError) as no_gdb:
        read_input(shapefiles_only, ReadOptions(format="filegdb"))
    assert "no file geodatabase" in str(no_gdb.value)


def test_a_zip_with_shapefiles_and_a_gdb_asks_which(gdb: Path, tmp_path: Path, explained: Any) -> None:
    shp = tmp_path / "shp" / "parks.shp"
    shp.parent.mkdir()
    pyogrio.write_dataframe(_frame(POLYGONS, WDPA_FIELDS), shp)
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for item in sorted(gdb.iterdir()):
            handle.write(item, f"{GDB}/{item.name}")
        for item in sorted(shp.parent.iterdir()):
            handle.write(item, item.name)
    with pytest.raises(UnknownFormatError) as caught:
        read_input(archive)
    assert "--format shapefile or --format filegdb" in str(caught.value)
    explained(caught.value, "both.zip", None)
    assert read_input(archive, ReadOptions(format="shapefile")).input_format == "shapefile"
    assert read_input(archive, ReadOptions(format="gdb", layer=POLY)).input_format == "filegdb"


def test_empty_damaged_and_too_large_geodatabases(gdb: Path, tmp_path: Path, explained: Any) -> None:
    empty = tmp_path / "empty.gdb"
    empty.mkdir()
    with pytest.raises(EmptyInputError) as caught_empty:
        read_input(empty)
    explained(caught_empty.value, "empty.gdb", None)
    damaged = tmp_path / "damaged.gdb"
    damaged.mkdir()
    for item in gdb.iterdir():
        (damaged / item.name).write_bytes(b"\x00" * 64)
    with pytest.raises(MalformedInputError) as caught_damaged:
        read_input(damaged)
    explained(caught_damaged.value, "damaged.gdb", None)
    size = sum(item.stat().st_size for item in gdb.iterdir())
    with pytest.raises(InputTooLargeError) as caught_large:
        read_input(gdb, ReadOptions(layer=POLY, max_bytes=size - 1))
    explained(caught_large.value, GDB, None)
    assert len(read_input(gdb, ReadOptions(layer=POLY, max_bytes=size)).frame) == len(POLYGONS)


def test_a_gdb_layer_without_geometry_is_read_as_a_table(tmp_path: Path) -> None:
    path = tmp_path / "sources.gdb"
    table = pd.DataFrame({"METADATAID": np.array([1, 2], dtype="int32"), "DATA_TITLE": ["x", "y"]})
    pyogrio.write_dataframe(table, path, layer="WDPA_source_Nov2026", driver="OpenFileGDB")
    result = read_input(path)
    assert result.kind is DatasetKind.INDICATOR_TABLE
    assert list(result.frame["DATA_TITLE"]) == ["x", "y"]
