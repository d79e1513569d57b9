"""Real clients against a running server: GDAL's OAPIF driver (the path QGIS uses) and OWSLib."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from tests.api.conftest import DATED
from tests.live_server import serving

from greenbri.bootstrap import build_store
from greenbri.core.catalog import AccessLevel, DatasetKind
from greenbri.services.api.context import ApiOptions
from greenbri.services.api.limits import RateLimiter


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


def _public_layers(api_settings) -> dict[str, int]:
    """The feature count of every vector layer an anonymous client sees, read from the store."""
    store = build_store(api_settings)
    return {
        record.id: record.latest.feature_count
        for record in store.list_datasets()
        if record.kind is DatasetKind.VECTOR_LAYER and record.latest and record.access is AccessLevel.PUBLIC
    }


class _CountingItems:
    """An ASGI wrapper that records the query of every items request (what a client really asked)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.queries: list[str] = []
        self.statuses: list[int] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/items"):
            await self.app(scope, receive, send)
            return
        self.queries.append(scope["query_string"].decode())

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await self.app(scope, receive, send=sending)


def test_default_ogr2ogr_of_every_collection_gives_the_stored_counts(
    server: str, api_settings, tmp_path
) -> None:
    """The system GDAL (3.6 on Debian bookworm) pages by 10 whatever the server advertises (GDAL 3.8
    reads the limit schema, OSGeo/gdal#8522), so this server is unthrottled; see the next test."""
    for layer, count in sorted(_public_layers(api_settings).items()):
        target = tmp_path / f"{layer}.geojson"
        completed = subprocess.run(
            ["ogr2ogr", "-f", "GeoJSON", str(target), f"OAPIF:{server}", layer],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr[-2000:]
        assert len(json.loads(target.read_text())["features"]) == count, layer


_READ_ALL = """
import json, sys, pyogrio
counts = {}
for layer in sys.argv[2:]:
    counts[layer] = len(pyogrio.read_dataframe("OAPIF:" + sys.argv[1], layer=layer))
print(json.dumps(counts))
"""


def test_current_gdal_reads_every_collection_within_the_anonymous_rate_limit(api_settings) -> None:
    """GDAL 3.12 (bundled with pyogrio) takes its page size from the API definition's limit schema:
    every public layer, default options, against the default anonymous limit (300 a minute, a burst of
    75), with no 429 and the stored counts."""
    from greenbri.services.api import create_app

    layers = _public_layers(api_settings)
    options = ApiOptions()
    counting = _CountingItems(create_app(api_settings, options=options))
    with serving(counting) as address:
        completed = subprocess.run(
            [sys.executable, "-c", _READ_ALL, address, *sorted(layers)],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert json.loads(completed.stdout) == layers
    assert 429 not in counting.statuses
    burst = RateLimiter.capacity(options.anonymous_rate_per_minute)
    assert len(counting.queries) <= burst, counting.queries
    assert all("limit=20" in query or "limit=1000" in query for query in counting.queries)


def test_ogrinfo_where_is_sent_to_the_server_as_a_cql_filter(api_settings, client) -> None:
    from greenbri.services.api import create_app

    expected = client.get(
        "/collections/settlements/items",
        params={"filter": "country_iso3 = 'CHN' AND population > 5000000", "limit": 1},
    ).json()["numberMatched"]
    counting = _CountingItems(create_app(api_settings, options=ApiOptions()))
    with serving(counting) as address:
        listing = _ogrinfo("-al", "-so", f"OAPIF:{address}", "settlements", "-where", "country_iso3 = 'CHN' AND population > 5000000")  # fmt: skip
        names = _ogrinfo(f"OAPIF:{address}", "settlements", "-where", "country_iso3 = 'CHN' AND population > 5000000")  # fmt: skip
    assert f"Feature Count: {expected}" in listing
    assert names.count("OGRFeature(settlements)") == expected and "name_zh (String) = 上海" in names
    assert any("filter=" in query for query in counting.queries)
    assert 429 not in counting.statuses


def test_owslib_queryables_filter_and_sortby(server: str) -> None:
    from owslib.ogcapi.features import Features

    client = Features(server)
    queryables = client.collection_queryables("settlements")
    assert queryables["properties"]["population"]["type"] == "integer"
    page = client.collection_items(
        "settlements",
        filter="country_iso3 = 'CHN' AND population > 5000000",
        sortby=("population", "desc"),
        limit=3,
    )
    populations = [feature["properties"]["population"] for feature in page["features"]]
    assert populations == sorted(populations, reverse=True) and populations[0] > 5_000_000
    assert {feature["properties"]["country_iso3"] for feature in page["features"]} == {"CHN"}
