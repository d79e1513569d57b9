"""Real clients against a running server: GDAL's OAPIF driver (the path QGIS uses) and OWSLib."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from tests.api.conftest import DATED
from tests.live_server import serving

from greenbri.services.api.context import ApiOptions


@pytest.fixture(scope="module")
def server(api_settings) -> Iterator[str]:
    from greenbri.services.api import create_app

    app = create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with serving(app) as address:
        yield address


def _ogrinfo(*arguments: str) -> str:
    assert shutil.which("ogrinfo"), "ogrinfo is missing: scripts/system-packages.sh installs gdal-bin"
    completed = subprocess.run(
        ["ogrinfo", "-ro", *arguments], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_gdal_oapif_lists_collections_and_reads_two_layers(server: str) -> None:
    listing = _ogrinfo("-q", f"OAPIF:{server}")
    for layer in ("countries", "settlements", "natural-earth-lakes", DATED):
        assert layer in listing
    dated = _ogrinfo("-al", f"OAPIF:{server}", DATED)
    assert "Feature Count: 4" in dated and "observed_at (DateTime) = 2024/03/01" in dated
    settlements = _ogrinfo(
        f"OAPIF:{server}",
        "settlements",
        "-spat",
        "116",
        "39.5",
        "117",
        "40.5",
        "-where",
        "country_iso3 = 'CHN'",
    )
    assert "name_zh (String) = 北京" in settlements and "POINT (116." in settlements


def test_gdal_pages_through_a_bbox_query(server: str, client, tmp_path) -> None:
    bbox = ("100", "20", "110", "30")
    matched = client.get("/collections/settlements/items", params={"bbox": ",".join(bbox)}).json()[
        "numberMatched"
    ]
    assert matched > 300
    target = tmp_path / "settlements.geojson"
    completed = subprocess.run(
        ["ogr2ogr", "-oo", "PAGE_SIZE=100", "-spat", *bbox, "-f", "GeoJSON", str(target), f"OAPIF:{server}", "settlements"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(target.read_text())["features"]) == matched


def test_owslib_reads_two_layers(server: str) -> None:
    from owslib.ogcapi.features import Features

    client = Features(server)
    ids = {collection["id"] for collection in client.collections()["collections"]}
    assert {"countries", "settlements", DATED} <= ids
    assert client.collection("countries")["titles"]["zh"]
    page = client.collection_items("settlements", bbox=[116, 39.5, 117, 40.5], limit=100)
    assert page["numberReturned"] >= 1
    assert "Beijing" in {feature["properties"]["name_en"] for feature in page["features"]}
    china = client.collection_items("countries", iso_a3="CHN")
    assert china["features"][0]["properties"]["name_zh"] == "中国"
    assert client.collection_item("countries", "1")["id"] == 1
