"""WDPA from a file geodatabase, end to end: connector -> reader -> WDPA filter -> store.

The WDPA cannot be redistributed, so the geodatabase is built here with GDAL's
OpenFileGDB driver, laid out like the public download (``WDPA_Nov2026_Public.gdb``
with a ``WDPA_poly_Nov2026`` and a ``WDPA_point_Nov2026`` layer, WDPA's real field
names and types); the sites are made up.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pyogrio
import pytest
from shapely.geometry import Point, box
from tests.conftest import StoreFactory

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import AccessLevel, DatasetKind, ReceptorRole
from greenbri.usecases.datasets import ImportOutcome, fetch_dataset

FIELDS = (
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
)
POINT_FIELDS = tuple(name for name in FIELDS if name != "GIS_AREA")  # point sites have no GIS_AREA
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
    ),
    (555002.0, "Dongting West Lake", "Wetland Park", "V", "Designated", 2008, "0", 120.5, 121.9, "CHN"),
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
    ),
    (555004.0, "Ko Kra Marine Park", "Marine Park", "Not Reported", "Proposed", 0, "2", 300.0, 298.2, "THA"),
    (555005.0, "Ulu Temburong", "National Park", "II", "Established", 1991, "0", 550.0, 548.3, "BRN"),
]
BOUNDARIES = [
    box(107.5, 33.6, 107.8, 33.9),
    box(112.0, 29.0, 112.2, 29.1),
    box(106.8, 10.3, 107.0, 10.6),
    box(99.9, 8.3, 100.1, 8.5),
    box(115.1, 4.3, 115.3, 4.6),
]
POINTS = [
    (555101.0, "Nanling Sacred Hill", "Scenic Area", "III", "Designated", 2011, "0", 3.2, "CHN"),
    (555102.0, "Pulau Kecil", "Marine Park", "Not Reported", "Proposed", 0, "1", 12.0, "MYS"),
]
KEPT = [555001, 555002, 555005]  # not the Proposed site, not the Biosphere Reserve


def _layer(fields: tuple[str, ...], rows: list[tuple[Any, ...]], geometry: list[Any]) -> Any:
    data: dict[str, Any] = {name: [row[i] for row in rows] for i, name in enumerate(fields)}
    for name in ("WDPAID", "REP_AREA", "GIS_AREA"):  # Double in the WDPA geodatabase
        if name in data:
            data[name] = np.array(data[name], dtype="float64")
    data["STATUS_YR"] = np.array(data["STATUS_YR"], dtype="int32")  # Long
    return geopandas.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def _build_gdb(folder: Path) -> Path:
    folder.mkdir(parents=True)
    gdb = folder / "WDPA_Nov2026_Public.gdb"
    # the point layer first, so the connector has to look for the polygon layer by name
    points = _layer(POINT_FIELDS, POINTS, [Point(113.0, 25.0), Point(104.1, 2.4)])
    pyogrio.write_dataframe(points, gdb, layer="WDPA_point_Nov2026", driver="OpenFileGDB")
    polygons = _layer(FIELDS, POLYGONS, BOUNDARIES)
    pyogrio.write_dataframe(polygons, gdb, layer="WDPA_poly_Nov2026", driver="OpenFileGDB")
    return gdb


def _zip(gdb: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(gdb.iterdir()):
            archive.write(item, f"WDPA_Nov2026_Public/{gdb.name}/{item.name}")
        archive.writestr("WDPA_Nov2026_Public/WDPA_Manual_1_6.pdf", b"%PDF-1.4 stand-in")
    return target


@pytest.fixture(params=["gdb folder", "zipped gdb"])
def download(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    gdb = _build_gdb(tmp_path / "downloads")
    if request.param == "gdb folder":
        return gdb
    return _zip(gdb, tmp_path / "downloads" / "WDPA_Nov2026_Public.zip")


def _fetch(store: DatasetStore, tmp_path: Path, client_factory: Any, **options: str) -> ImportOutcome:
    # client_factory: an HttpClient whose transport fails the test on any request (WDPA never downloads)
    context = FetchContext(
        client=client_factory(max_attempts=1),
        mirror=None,
        cache_dir=tmp_path / "cache",
        options=options,
    )
    return fetch_dataset(store, get_connector("wdpa"), context)


def test_fetch_imports_the_filtered_polygon_layer(
    download: Path, tmp_path: Path, client_factory: Any, store_factory: StoreFactory
) -> None:
    store = store_factory.open(tmp_path / "store")
    outcome = _fetch(store, tmp_path, client_factory, path=str(download))

    record = store.get("wdpa")
    assert record == outcome.record
    assert record.kind is DatasetKind.VECTOR_LAYER
    assert record.access is AccessLevel.RESTRICTED
    assert record.receptor_role is ReceptorRole.PROTECTED_AREA
    assert record.source.upstream_version == "Nov2026"
    assert outcome.created and outcome.version.number == 1
    provenance = outcome.version.provenance
    assert provenance.input_format == "filegdb"
    assert provenance.input_name == download.name
    assert provenance.fetched_from == str(download.resolve())
    assert provenance.input_crs == "EPSG:4326"
    assert outcome.version.feature_count == len(KEPT)

    stored = store.read("wdpa")
    assert [int(value) for value in stored["WDPAID"]] == KEPT
    assert "Proposed" not in set(stored["STATUS"])
    assert "UNESCO-MAB Biosphere Reserve" not in set(stored["DESIG_ENG"])
    assert list(stored.columns[:10]) == list(FIELDS)  # WDPA's key fields first
    assert set(stored.geom_type) == {"MultiPolygon"}  # the polygon layer, not the points
    assert stored.crs.to_epsg() == 4326
    assert stored.geometry.iloc[2].bounds == pytest.approx((115.1, 4.3, 115.3, 4.6))

    warnings = outcome.warnings
    assert (
        "WDPA filter: dropped 1 of 5 sites with STATUS 'Proposed' (set keep_proposed=true to keep them)."
        in warnings
    )
    assert (
        "WDPA filter: dropped 0 of 5 sites with STATUS 'Not Reported' (set keep_not_reported=true to keep them)."
        in warnings
    )
    assert (
        "WDPA filter: dropped 1 of 5 sites with UNESCO-MAB Biosphere Reserves "
        "(set keep_biosphere_reserves=true to keep them)." in warnings
    )
    assert "WDPA filter: kept 3 of 5 sites." in warnings
    assert outcome.version.warnings == warnings


def test_fetching_the_same_download_again_adds_no_version(
    download: Path, tmp_path: Path, client_factory: Any, store_factory: StoreFactory
) -> None:
    store = store_factory.open(tmp_path / "store")
    first = _fetch(store, tmp_path, client_factory, path=str(download))
    again = _fetch(store, tmp_path, client_factory, path=str(download))
    assert not again.created
    assert again.version.number == first.version.number == 1
    assert again.version.provenance.input_sha256 == first.version.provenance.input_sha256


def test_options_reach_the_filter_and_the_layer(
    download: Path, tmp_path: Path, client_factory: Any, store_factory: StoreFactory
) -> None:
    store = store_factory.open(tmp_path / "store")
    kept = _fetch(store, tmp_path, client_factory, path=str(download), keep_proposed="true")
    assert kept.version.number == 1 and kept.version.feature_count == 4
    assert "WDPA filter: keep_proposed=true, so that rule was not applied." in kept.warnings
    points = _fetch(store, tmp_path, client_factory, path=str(download), layer="WDPA_point_Nov2026")
    assert points.version.number == 2  # other options, so a new version of the same dataset
    stored = store.read("wdpa")
    assert [int(value) for value in stored["WDPAID"]] == [555101]
    assert set(stored.geom_type) == {"Point"}
    assert "WDPA filter: the input lacks the usual WDPA fields GIS_AREA." in points.warnings
