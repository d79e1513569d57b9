"""WDPA: the analysis filter on a synthetic frame with WDPA's real field names, and the inputs it accepts.

The WDPA itself cannot be redistributed, so the frames and files here are built in
the tests; only their field names and values follow the WDPA user manual.
"""

from __future__ import annotations

import shutil
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.mirror import DirectoryMirror
from greenbri.adapters.sources.wdpa import WDPA_KEY_FIELDS, WdpaFilter
from greenbri.core.catalog import AccessLevel, DatasetKind, ReceptorRole
from greenbri.core.errors import ConfigurationError, MissingColumnError, SourceError


def wdpa_frame() -> gpd.GeoDataFrame:
    rows = [
        # WDPAID, WDPA_PID, NAME, DESIG_ENG, IUCN_CAT, STATUS, STATUS_YR, MARINE, REP_AREA, GIS_AREA, ISO3
        (1, "1", "Wolong", "National Nature Reserve", "Ia", "Designated", 1963, "0", 2000.0, 2004.1, "CHN"),
        (
            2,
            "2",
            "Lake Issyk-Kul",
            "Biosphere Reserve",
            "Not Reported",
            "Designated",
            1998,
            "1",
            4.3e4,
            4.3e4,
            "KGZ",
        ),
        (3, "3", "Sanjiangyuan", "National Park", "II", "Established", 2021, "0", 1.9e5, 1.9e5, "CHN"),
        (
            4,
            "4",
            "Kaziranga",
            "World Heritage Site (natural or mixed)",
            "Not Applicable",
            "Inscribed",
            1985,
            "0",
            430.0,
            429.5,
            "IND",
        ),
        (
            5,
            "5",
            "Proposed Marine Park",
            "Marine Park",
            "Not Reported",
            "Proposed",
            0,
            "2",
            120.0,
            118.0,
            "LKA",
        ),
        (
            6,
            "6",
            "Unknown Forest",
            "Forest Reserve",
            "Not Reported",
            "Not Reported",
            0,
            "0",
            50.0,
            49.0,
            "LAO",
        ),
        (
            7,
            "7",
            "Xishuangbanna",
            "UNESCO-MAB Biosphere Reserve",
            "Not Applicable",
            "Designated",
            1993,
            "0",
            2421.0,
            2400.0,
            "CHN",
        ),
        (
            8,
            "8",
            "Planned Reserve",
            "UNESCO-MAB Biosphere Reserve",
            "Not Applicable",
            "proposed ",
            0,
            "0",
            10.0,
            10.0,
            "MNG",
        ),
        (
            9,
            "9",
            "Adopted Area",
            "Ramsar Site, Wetland of International Importance",
            "Not Reported",
            "Adopted",
            2005,
            "0",
            75.0,
            74.0,
            "PAK",
        ),
    ]
    columns = [
        "WDPAID",
        "WDPA_PID",
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
    frame = gpd.GeoDataFrame(
        [dict(zip(columns, row, strict=True)) for row in rows],
        geometry=[box(i, 0, i + 0.5, 0.5) for i in range(len(rows))],
        crs="EPSG:4326",
    )
    frame["OWN_TYPE"] = "State"  # a field outside the key list: kept, after the key fields
    return frame[["OWN_TYPE", "geometry", *columns]]


def test_filter_applies_wdpa_guidance_and_counts_each_rule():
    frame, notes = WdpaFilter()(wdpa_frame())
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs == "EPSG:4326"
    assert frame["WDPAID"].tolist() == [1, 2, 3, 4, 9]
    assert list(frame.index) == list(range(5))
    assert list(frame.columns[: len(WDPA_KEY_FIELDS)]) == list(WDPA_KEY_FIELDS)
    assert "OWN_TYPE" in frame.columns and "WDPA_PID" in frame.columns
    text = "\n".join(notes)
    # 'proposed ' with different case and a trailing space counts as Proposed, under the first rule
    assert "dropped 2 of 9 sites with STATUS 'Proposed'" in text
    assert "dropped 1 of 9 sites with STATUS 'Not Reported'" in text
    assert "dropped 1 of 9 sites with UNESCO-MAB Biosphere Reserves" in text
    assert "kept 5 of 9 sites" in text


def test_filter_options_keep_what_they_name():
    frame, notes = WdpaFilter(keep_proposed=True, keep_biosphere_reserves=True)(wdpa_frame())
    assert sorted(frame["WDPAID"]) == [1, 2, 3, 4, 5, 7, 8, 9]
    assert any("keep_proposed=true" in note for note in notes)


def test_filter_needs_the_status_field():
    frame = wdpa_frame().drop(columns=["STATUS"])
    with pytest.raises(MissingColumnError, match="STATUS"):
        WdpaFilter()(frame)
    kept, notes = WdpaFilter(keep_proposed=True, keep_not_reported=True)(frame)
    assert len(kept) == 7  # both Biosphere Reserves dropped
    assert any("lacks the usual WDPA fields STATUS" in note for note in notes)


def _context(tmp_path: Path, client_factory, **options: str) -> FetchContext:
    return FetchContext(client=client_factory(), mirror=None, cache_dir=tmp_path / "cache", options=options)


def test_fetch_passes_options_to_the_filter(tmp_path: Path, client_factory):
    path = tmp_path / "WDPA_Nov2026_Public_csv.csv"
    wdpa_frame().drop(columns="geometry").to_csv(path, index=False)
    context = _context(tmp_path, client_factory, path=str(path), keep_proposed="true")
    fetched = get_connector("wdpa").fetch(context)
    assert fetched.paths == (path.resolve(),)
    assert isinstance(fetched.post_read, WdpaFilter)
    assert fetched.post_read.keep_proposed and not fetched.post_read.keep_not_reported
    defaults = fetched.defaults
    assert defaults.access is AccessLevel.RESTRICTED
    assert defaults.kind is DatasetKind.INDICATOR_TABLE  # the CSV download has no boundaries
    assert defaults.receptor_role is None
    assert defaults.source.upstream_version == "Nov2026"
    assert defaults.licence.attribution.startswith(
        "UNEP-WCMC and IUCN (2026), Protected Planet: The World Database on Protected Areas (WDPA)"
    )
    assert "no redistribution" in defaults.licence.name


def test_fetch_rejects_bad_flag_and_missing_path(tmp_path: Path, client_factory):
    with pytest.raises(ConfigurationError, match="yes/no"):
        get_connector("wdpa").fetch(
            _context(tmp_path, client_factory, path=str(tmp_path), keep_proposed="maybe")
        )
    with pytest.raises(ConfigurationError, match="does not exist"):
        get_connector("wdpa").fetch(_context(tmp_path, client_factory, path=str(tmp_path / "WDPA.zip")))


def test_fetch_without_path_or_mirror_explains_the_terms(tmp_path: Path, client_factory):
    with pytest.raises(SourceError) as caught:
        get_connector("wdpa").fetch(_context(tmp_path, client_factory))
    assert "protectedplanet.net" in str(caught.value)
    assert "path=" in str(caught.value)


def _write_part(folder: Path, stem: str) -> None:
    """A WDPA-like polygon and point shapefile pair, as in each part of the shapefile download."""
    frame = wdpa_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(folder / f"{stem}-polygons.shp")
        points = frame.copy()
        points["geometry"] = [Point(i, 0) for i in range(len(points))]
        points.to_file(folder / f"{stem}-points.shp")


def test_fetch_unpacks_the_nested_shapefile_download(tmp_path: Path, client_factory):
    stem = "WDPA_Nov2026_Public_shp"
    download = tmp_path / f"{stem}.zip"
    with zipfile.ZipFile(download, "w") as outer:
        for number in range(3):
            part = tmp_path / f"part{number}"
            part.mkdir()
            _write_part(part, stem)
            inner = tmp_path / f"{stem}_{number}.zip"
            with zipfile.ZipFile(inner, "w") as archive:
                for file in part.iterdir():
                    archive.write(file, file.name)
            outer.write(inner, inner.name)
        outer.writestr("WDPA_sources_Nov2026.csv", "metadataid\n1\n")
    fetched = get_connector("wdpa").fetch(_context(tmp_path, client_factory, path=str(download)))
    assert len(fetched.paths) == 3
    assert all(path.name == f"{stem}-polygons.shp" and path.is_file() for path in fetched.paths)
    assert all(path.with_suffix(".dbf").is_file() for path in fetched.paths)
    assert fetched.defaults.kind is DatasetKind.VECTOR_LAYER
    assert fetched.defaults.receptor_role is ReceptorRole.PROTECTED_AREA
    assert fetched.defaults.source.upstream_version == "Nov2026"
    assert any("include_points=true" in note for note in fetched.notes)
    assert len(gpd.read_file(fetched.paths[0])) == 9

    with_points = get_connector("wdpa").fetch(
        _context(tmp_path, client_factory, path=str(download), include_points="yes")
    )
    assert len(with_points.paths) == 6


def test_fetch_finds_the_polygon_layer_of_a_zipped_geodatabase(tmp_path: Path, client_factory):
    gdb = tmp_path / "WDPA_Nov2026_Public.gdb"
    frame = wdpa_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(gdb, layer="WDPA_point_Nov2026", driver="OpenFileGDB")
        frame.to_file(gdb, layer="WDPA_poly_Nov2026", driver="OpenFileGDB")
    mirror_root = tmp_path / "mirror"
    (mirror_root / "wdpa").mkdir(parents=True)
    shutil.make_archive(str(mirror_root / "wdpa" / "WDPA_Public"), "zip", tmp_path, gdb.name)
    context = FetchContext(
        client=client_factory(), mirror=DirectoryMirror(mirror_root), cache_dir=tmp_path / "cache"
    )
    fetched = get_connector("wdpa").fetch(context)
    assert fetched.paths == (mirror_root / "wdpa" / "WDPA_Public.zip",)
    assert fetched.defaults.read_options.layer == "WDPA_poly_Nov2026"
    assert fetched.defaults.source.upstream_version == "Nov2026"  # from the name inside the zip
    assert fetched.defaults.dataset_id == "wdpa"
