"""Every connector fetched from the real shared mirror (offline), plus upstream paths on MockTransport."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import httpx
import pandas as pd
import pyogrio
import pytest

from greenbri.adapters.sources import CONNECTORS, get_connector, list_connectors
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.natural_earth import NATURAL_EARTH_CONNECTORS
from greenbri.adapters.sources.worldbank import CSV_COLUMNS
from greenbri.core.catalog import AccessLevel, DatasetKind, ReceptorRole, Theme, validate_dataset_id
from greenbri.core.errors import ConfigurationError, MirrorMissingError, SourceError

EXPECTED_NAMES = {
    "natural-earth-countries",
    "natural-earth-admin1",
    "natural-earth-lakes",
    "natural-earth-rivers",
    "natural-earth-reefs",
    "natural-earth-glaciers",
    "natural-earth-populated-places",
    "natural-earth-urban-areas",
    "natural-earth-us-parks",
    "wdpa",
    "unesco-world-heritage",
    "ramsar",
    "owid-co2",
    "owid-grapher",
    "worldbank",
}

# connector -> (receptor role, features in the shared mirror copy)
NATURAL_EARTH_IN_MIRROR = {
    "natural-earth-countries": (None, 241),
    "natural-earth-lakes": (ReceptorRole.LAKE, 1354),
    "natural-earth-rivers": (ReceptorRole.RIVER, 1455),
    "natural-earth-reefs": (ReceptorRole.REEF, None),
    "natural-earth-glaciers": (ReceptorRole.GLACIER, None),
    "natural-earth-populated-places": (ReceptorRole.SETTLEMENT, 7343),
    "natural-earth-urban-areas": (ReceptorRole.URBAN_AREA, 2143),
    "natural-earth-us-parks": (ReceptorRole.PROTECTED_AREA, 61),
}


# -- registry -------------------------------------------------------------------------------


def test_registry_names_every_connector():
    assert set(CONNECTORS) == EXPECTED_NAMES
    assert [connector.name for connector in list_connectors()] == sorted(EXPECTED_NAMES)
    for connector in list_connectors():
        assert connector.summary.en and connector.summary.zh


def test_unknown_connector_lists_known_names():
    with pytest.raises(SourceError) as caught:
        get_connector("wdpa-latest")
    assert "natural-earth-lakes" in str(caught.value)
    assert "worldbank" in str(caught.value)
    assert get_connector(" WDPA ") is CONNECTORS["wdpa"]


def test_unknown_option_is_rejected(mirror_context):
    with pytest.raises(ConfigurationError, match="no option 'colour'"):
        get_connector("natural-earth-lakes").fetch(mirror_context({"colour": "blue"}))


# -- Natural Earth ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NATURAL_EARTH_IN_MIRROR))
def test_natural_earth_from_mirror(mirror_context, shared_mirror: Path, name: str):
    role, features = NATURAL_EARTH_IN_MIRROR[name]
    connector = CONNECTORS[name]
    fetched = connector.fetch(mirror_context())
    (path,) = fetched.paths
    assert path.parent == shared_mirror / "natural-earth"
    assert path.name.endswith(".geojson.gz")
    assert fetched.fetched_from == str(path)
    defaults = fetched.defaults
    assert defaults.dataset_id == name
    assert defaults.kind is DatasetKind.VECTOR_LAYER
    assert defaults.receptor_role is role
    assert defaults.title.en and defaults.title.zh and defaults.description.zh
    assert defaults.source.publisher == "Natural Earth (NACIS)"
    assert defaults.source.url.startswith("https://naciscdn.org/naturalearth/")
    assert defaults.source.url.endswith(".zip")
    assert defaults.source.upstream_version.startswith("unknown")
    assert any("5.1.x" in note for note in fetched.notes)
    assert defaults.licence.name == "Public domain"
    assert defaults.read_options.format == "geojson"
    info = pyogrio.read_info(f"/vsigzip/{path}")
    if features is not None:
        assert info["features"] == features
    if defaults.read_options.id_column:
        assert defaults.read_options.id_column in list(info["fields"])


def test_natural_earth_layers_and_themes():
    by_name = {connector.name: connector for connector in NATURAL_EARTH_CONNECTORS}
    assert (
        by_name["natural-earth-lakes"].url
        == "https://naciscdn.org/naturalearth/10m/physical/ne_10m_lakes.zip"
    )
    assert by_name["natural-earth-countries"].url.endswith("/50m/cultural/ne_50m_admin_0_countries.zip")
    assert by_name["natural-earth-countries"].theme is Theme.BOUNDARIES
    assert by_name["natural-earth-lakes"].title.zh.startswith("天然湖泊与水库")
    assert "natural-earth/ne_10m_lakes.geojson.gz" in by_name["natural-earth-lakes"].candidates
    assert "natural-earth/ne_10m_lakes.zip" in by_name["natural-earth-lakes"].candidates


def test_natural_earth_admin1_is_not_in_the_shared_mirror(mirror_context):
    with pytest.raises(MirrorMissingError) as caught:
        get_connector("natural-earth-admin1").fetch(mirror_context())
    assert "natural-earth/ne_10m_admin_1_states_provinces.zip" in str(caught.value)
    assert "GREENBRI_MIRROR" in str(caught.value)


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_natural_earth_upstream_download_reads_version_and_caches(client_factory, tmp_path: Path):
    zipped = _zip_bytes({"ne_10m_lakes.shp": b"...", "ne_10m_lakes.VERSION.txt": b"5.1.2\n"})
    requested: list[str] = []

    def naciscdn(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, content=zipped)

    context = FetchContext(client=client_factory(naciscdn), mirror=None, cache_dir=tmp_path)
    fetched = get_connector("natural-earth-lakes").fetch(context)
    assert requested == ["https://naciscdn.org/naturalearth/10m/physical/ne_10m_lakes.zip"]
    assert fetched.paths == (tmp_path / "natural-earth-lakes" / "ne_10m_lakes.zip",)
    assert fetched.defaults.source.upstream_version == "5.1.2"
    assert fetched.defaults.read_options.format == "shapefile"
    assert fetched.fetched_from == requested[0]
    get_connector("natural-earth-lakes").fetch(context)  # from the cache
    assert len(requested) == 1


def test_mirror_miss_can_fall_back_to_upstream(client_factory, shared_mirror: Path, tmp_path: Path):
    from greenbri.adapters.sources.mirror import DirectoryMirror

    zipped = _zip_bytes({"ne_10m_admin_1_states_provinces.shp": b"..."})
    context = FetchContext(
        client=client_factory(lambda request: httpx.Response(200, content=zipped)),
        mirror=DirectoryMirror(shared_mirror),
        cache_dir=tmp_path,
        upstream_fallback=True,
    )
    fetched = get_connector("natural-earth-admin1").fetch(context)
    assert fetched.fetched_from.endswith("/10m/cultural/ne_10m_admin_1_states_provinces.zip")
    assert "5.1.x" in fetched.defaults.source.upstream_version


# -- UNESCO World Heritage ------------------------------------------------------------------------


def test_world_heritage_from_mirror(mirror_context, shared_mirror: Path):
    fetched = get_connector("unesco-world-heritage").fetch(mirror_context())
    (path,) = fetched.paths
    assert path == shared_mirror / "heritage" / "whc-sites-2019.csv"
    defaults = fetched.defaults
    assert defaults.receptor_role is ReceptorRole.WORLD_HERITAGE
    assert defaults.theme is Theme.HERITAGE
    assert defaults.source.upstream_version == "2019 export"
    assert defaults.source.url == "https://whc.unesco.org/en/list/xls/?2019"
    options = defaults.read_options
    assert (options.lon_column, options.lat_column, options.id_column) == ("longitude", "latitude", "id_no")
    assert options.encoding is None  # detected: the file is windows-1252, though labelled latin-1
    # The decision behind id_no, checked on the real file: both numbers are unique in the 2019
    # export; id_no is the property's number on the World Heritage List.
    table = pd.read_csv(path, encoding="latin-1")
    assert len(table) == 1121
    assert table["id_no"].is_unique and table["unique_number"].is_unique
    assert table["longitude"].between(-180, 180).all() and table["latitude"].between(-90, 90).all()


# -- Ramsar ----------------------------------------------------------------------------------------


def test_ramsar_from_mirror_is_the_osm_folder(mirror_context, shared_mirror: Path):
    fetched = get_connector("ramsar").fetch(mirror_context())
    (path,) = fetched.paths
    assert path == shared_mirror / "wetlands" / "ramsar-ukraine"
    assert len(list(path.glob("*.shp"))) == 7
    defaults = fetched.defaults
    assert defaults.receptor_role is ReceptorRole.WETLAND
    assert defaults.licence.name == "ODbL 1.0"
    assert "OpenStreetMap" in defaults.licence.attribution
    assert defaults.read_options.id_column is None  # ramsar_id repeats in a multi-polygon site
    assert any("OpenStreetMap" in note for note in fetched.notes)


def test_ramsar_from_a_user_download(tmp_path: Path, client_factory):
    download = tmp_path / "rsis"
    download.mkdir()
    context = FetchContext(
        client=client_factory(), mirror=None, cache_dir=tmp_path, options={"path": str(download)}
    )
    fetched = get_connector("ramsar").fetch(context)
    assert fetched.paths == (download.resolve(),)
    assert fetched.defaults.dataset_id == "ramsar-sites"
    assert "rsis.ramsar.org" in fetched.defaults.source.url


def test_ramsar_without_mirror_or_path_explains_how_to_get_it(tmp_path: Path, client_factory):
    context = FetchContext(client=client_factory(), mirror=None, cache_dir=tmp_path)
    with pytest.raises(SourceError, match=r"rsis\.ramsar\.org"):
        get_connector("ramsar").fetch(context)


# -- Our World in Data -----------------------------------------------------------------------------


def test_owid_co2_from_mirror_names_the_release(mirror_context, shared_mirror: Path):
    fetched = get_connector("owid-co2").fetch(mirror_context())
    assert fetched.paths == (shared_mirror / "indicators" / "owid-co2-data_2021-02.csv",)
    defaults = fetched.defaults
    assert defaults.kind is DatasetKind.INDICATOR_TABLE
    assert defaults.dataset_id == "owid-co2"
    assert defaults.source.upstream_version == "release 2021-02"
    assert defaults.source.url == "https://raw.githubusercontent.com/owid/co2-data/master/owid-co2-data.csv"
    assert defaults.licence.name == "CC BY 4.0"
    header = fetched.paths[0].read_text("utf-8").splitlines()[0].split(",")
    assert header[:3] == ["iso_code", "country", "year"]


def test_owid_grapher_from_mirror(mirror_context, shared_mirror: Path):
    slug = "forest-area-as-share-of-land-area"
    fetched = get_connector("owid-grapher").fetch(mirror_context({"slug": slug}))
    assert fetched.paths == (shared_mirror / "indicators" / f"{slug}.csv",)
    defaults = fetched.defaults
    assert defaults.dataset_id == f"owid-{slug}"
    assert defaults.theme is Theme.FORESTS
    assert defaults.title.zh.startswith("森林面积")
    assert defaults.source.url == f"https://ourworldindata.org/grapher/{slug}.csv"


def test_owid_grapher_unknown_slug_is_missing_from_the_mirror(mirror_context):
    with pytest.raises(MirrorMissingError, match=r"indicators/co2-emissions-per-capita\.csv"):
        get_connector("owid-grapher").fetch(mirror_context({"slug": "co2-emissions-per-capita"}))


@pytest.mark.parametrize("options", [{}, {"slug": "../secrets"}, {"slug": "Forest Area"}])
def test_owid_grapher_needs_a_valid_slug(mirror_context, options):
    with pytest.raises(ConfigurationError, match="slug"):
        get_connector("owid-grapher").fetch(mirror_context(options))


def test_owid_grapher_upstream(client_factory, tmp_path: Path):
    requested: list[str] = []

    def owid(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, text="Entity,Code,Year,Value\nChina,CHN,2020,1.5\n")

    context = FetchContext(
        client=client_factory(owid),
        mirror=None,
        cache_dir=tmp_path,
        options={"slug": "some-chart", "theme": "air"},
    )
    fetched = get_connector("owid-grapher").fetch(context)
    assert requested == ["https://ourworldindata.org/grapher/some-chart.csv"]
    assert fetched.defaults.theme is Theme.AIR
    assert fetched.defaults.source.upstream_version.startswith("downloaded ")
    assert fetched.paths[0].read_text().startswith("Entity,Code,Year")


# -- World Bank (mirror) and WDPA (mirror) ------------------------------------------------------------


def test_worldbank_from_mirror_alias(mirror_context):
    fetched = get_connector("worldbank").fetch(mirror_context({"indicator": "EN.ATM.PM25.MC.M3"}))
    assert fetched.fetched_from.endswith("indicators/pm25-air-pollution.csv")
    (path,) = fetched.paths
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 8184
    china = [row for row in rows if row["country_iso3"] == "CHN"]
    assert china and all(row["indicator_id"] == "EN.ATM.PM25.MC.M3" for row in china)
    assert fetched.defaults.dataset_id == "worldbank-en-atm-pm25-mc-m3"
    assert fetched.defaults.theme is Theme.AIR
    assert fetched.defaults.title.zh.startswith("PM2.5")
    assert fetched.defaults.source.upstream_version == "unknown (mirror copy)"


def test_wdpa_is_not_in_the_shared_mirror(mirror_context):
    with pytest.raises(MirrorMissingError) as caught:
        get_connector("wdpa").fetch(mirror_context())
    text = str(caught.value)
    assert "wdpa/WDPA_Public.zip" in text
    assert "protectedplanet.net" in text


def test_every_connector_declares_real_metadata(mirror_context):
    """Fetch what the shared mirror holds and check the catalog metadata of each result."""
    options = {
        "owid-grapher": {"slug": "terrestrial-protected-areas"},
        "worldbank": {"indicator": "ER.LND.PTLD.ZS"},
    }
    fetched_names = set()
    for connector in list_connectors():
        try:
            fetched = connector.fetch(mirror_context(options.get(connector.name)))
        except MirrorMissingError:
            assert connector.name in {"natural-earth-admin1", "wdpa"}
            continue
        fetched_names.add(connector.name)
        defaults = fetched.defaults
        validate_dataset_id(defaults.dataset_id)
        assert defaults.title.en and defaults.title.zh
        assert defaults.description.en and defaults.description.zh
        assert defaults.source.url.startswith("https://")
        assert defaults.source.publisher and defaults.source.upstream_version
        assert defaults.licence.name and defaults.licence.url.startswith("https://")
        assert defaults.licence.attribution
        assert defaults.access is AccessLevel.PUBLIC
        assert all(path.exists() for path in fetched.paths)
    assert len(fetched_names) == len(EXPECTED_NAMES) - 2


def test_world_heritage_upstream_xlsx(client_factory, tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unique_number", "id_no", "name_en", "longitude", "latitude"])
    sheet.append([1, 1111, "Example site", 100.5, 30.25])
    buffer = io.BytesIO()
    book.save(buffer)
    requested: list[str] = []

    def whc(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, content=buffer.getvalue())

    context = FetchContext(client=client_factory(whc), mirror=None, cache_dir=tmp_path)
    fetched = get_connector("unesco-world-heritage").fetch(context)
    assert requested == ["https://whc.unesco.org/en/list/xls/?2019"]
    assert fetched.defaults.read_options.format == "xlsx"
    assert fetched.defaults.read_options.id_column == "id_no"
    assert fetched.defaults.source.upstream_version.startswith("export downloaded ")


def test_world_heritage_legacy_xls_needs_xlrd_or_converts(client_factory, tmp_path: Path):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # the header of a legacy .xls, no workbook
    context = FetchContext(
        client=client_factory(lambda request: httpx.Response(200, content=ole2)),
        mirror=None,
        cache_dir=tmp_path,
    )
    with pytest.raises(SourceError, match=r"whc-sites-2019\.csv"):
        get_connector("unesco-world-heritage").fetch(context)


def test_owid_co2_upstream_is_the_master_branch(client_factory, tmp_path: Path):
    context = FetchContext(
        client=client_factory(lambda request: httpx.Response(200, text="iso_code,country,year,co2\n")),
        mirror=None,
        cache_dir=tmp_path,
    )
    fetched = get_connector("owid-co2").fetch(context)
    assert fetched.defaults.source.upstream_version.startswith("master branch, downloaded ")
    assert fetched.notes == ()
