"""OGC API - Features Part 2 (crs, bbox-crs) and Part 3 (queryables, CQL2 filter), sortby and
properties, through the app factory; counts checked against the stored layer read independently."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer
from tests.api.conftest import DATED

from greenbri.bootstrap import build_store

ITEMS = "/collections/settlements/items"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"


@pytest.fixture(scope="module")
def settlements(api_settings):
    return build_store(api_settings).read("settlements")


def matched(client, **params) -> int:
    response = client.get(ITEMS, params={"limit": 1, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["numberMatched"])


def test_conformance_declares_crs_filter_and_cql2(client) -> None:
    classes = set(client.get("/conformance").json()["conformsTo"])
    for suffix in ("features-2/1.0/conf/crs", "features-3/1.0/conf/filter", "features-3/1.0/conf/queryables", "cql2/1.0/conf/cql2-text", "cql2/1.0/conf/cql2-json", "cql2/1.0/conf/basic-spatial-functions", "cql2/1.0/conf/temporal-functions"):  # fmt: skip
        assert any(item.endswith(suffix) for item in classes), suffix


def test_cql2_text_filter_counts_equal_the_stored_layer(client, settlements) -> None:
    expected = int(((settlements.country_iso3 == "CHN") & (settlements.population > 5_000_000)).sum())
    assert expected > 5
    assert matched(client, filter="country_iso3 = 'CHN' AND population > 5000000") == expected


def test_cql2_json_filter_with_a_spatial_operator_equals_the_bbox_parameter(client) -> None:
    box = [100, 20, 110, 30]
    spatial = {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": box}]}
    by_filter = matched(client, **{"filter": json.dumps(spatial), "filter-lang": "cql2-json"})
    assert by_filter == matched(client, bbox=",".join(map(str, box))) > 300


def test_temporal_filter_on_the_dated_layer(client) -> None:
    page = client.get(
        f"/collections/{DATED}/items",
        params={"filter": "T_AFTER(observed_at, TIMESTAMP('2024-02-15T00:00:00Z'))"},
    ).json()
    assert sorted(feature["properties"]["station"] for feature in page["features"]) == ["c", "d"]
    during = client.get(
        f"/collections/{DATED}/items",
        params={"filter": "T_DURING(observed_at, INTERVAL('2024-01-15', '2024-03-15'))"},
    ).json()
    assert during["numberMatched"] == 2


def test_bad_filter_is_a_400_that_names_the_problem(client) -> None:
    response = client.get(ITEMS, params={"filter": "height > 3"})
    assert response.status_code == 400
    assert "'height' is not a queryable" in response.text and "population" in response.text
    assert client.get(ITEMS, params={"filter": "population >"}).status_code == 400


def test_queryables_list_every_property_with_types_and_the_geometry(client) -> None:
    schema = client.get("/collections/settlements/queryables").json()
    assert schema["properties"]["population"]["type"] == "integer"
    assert schema["properties"]["name_zh"]["type"] == "string"
    assert schema["properties"]["geometry"]["format"] == "geometry-point"
    links = client.get("/collections/settlements").json()["links"]
    assert any(link["rel"].endswith("/queryables") for link in links)


def test_sortby_and_properties(client, settlements) -> None:
    page = client.get(
        ITEMS, params={"sortby": "-population", "properties": "name_en,population", "limit": 3}
    ).json()
    populations = [feature["properties"]["population"] for feature in page["features"]]
    assert populations == sorted(settlements.population, reverse=True)[:3]
    assert set(page["features"][0]["properties"]) == {"name_en", "population"}
    assert client.get(ITEMS, params={"sortby": "nope"}).status_code == 400
    assert client.get(ITEMS, params={"properties": "nope"}).status_code == 400


def test_countries_declare_one_geometry_type_and_serve_it(client) -> None:
    assert client.get("/collections/countries").json()["geometryType"] == "MultiPolygon"
    page = client.get("/collections/countries/items", params={"limit": 300}).json()
    assert {feature["geometry"]["type"] for feature in page["features"]} == {"MultiPolygon"}


def test_crs_4326_is_latitude_first_and_3857_matches_pyproj(client) -> None:
    beijing = {"filter": "name_en = 'Beijing'"}
    lon, lat = client.get(ITEMS, params=beijing).json()["features"][0]["geometry"]["coordinates"]
    flipped = client.get(ITEMS, params={**beijing, "crs": EPSG_4326})
    assert flipped.headers["content-crs"] == f"<{EPSG_4326}>"
    assert flipped.json()["features"][0]["geometry"]["coordinates"] == pytest.approx([lat, lon])
    mercator = client.get(ITEMS, params={**beijing, "crs": "EPSG:3857"})
    expected = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform(lon, lat)
    assert mercator.json()["features"][0]["geometry"]["coordinates"] == pytest.approx(
        list(expected), abs=0.01
    )
    assert client.get(ITEMS, params={"crs": "EPSG:27700"}).status_code == 400


def test_bbox_crs_4326_and_3857_select_the_same_features_as_crs84(client) -> None:
    crs84 = matched(client, bbox="100,20,110,30")
    assert matched(client, bbox="20,100,30,110", **{"bbox-crs": EPSG_4326}) == crs84
    forward = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True)
    west, south = forward.transform(100, 20)
    east, north = forward.transform(110, 30)
    assert matched(client, bbox=f"{west},{south},{east},{north}", **{"bbox-crs": EPSG_3857}) == crs84


def test_collections_offer_three_crs(client) -> None:
    collection = client.get("/collections/settlements").json()
    assert {EPSG_4326, EPSG_3857} <= set(collection["crs"])
    assert collection["storageCrs"].endswith("CRS84")


def test_html_pages_in_both_languages_from_the_label_catalogue(client) -> None:
    import json as json_module
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[2] / "src/greenbri/services/web/i18n"
    labels = {lang: json_module.loads((catalogue / f"{lang}.json").read_text()) for lang in ("en", "zh")}
    landing = client.get("/", params={"f": "html"})
    assert (
        landing.headers["content-type"].startswith("text/html")
        and labels["en"]["ogc.collections"] in landing.text
    )
    listing = client.get("/collections", params={"f": "html", "lang": "zh"})
    assert (
        labels["zh"]["ogc.collections"] in listing.text and labels["zh"]["ogc.geometryType"] in listing.text
    )
    assert "settlements" in listing.text and "stations" in listing.text and "MultiPolygon" in listing.text
    page = client.get(ITEMS, params={"f": "html", "filter": "name_en = 'Beijing'"})
    assert page.status_code == 200 and "北京" in page.text and labels["en"]["ogc.matched"] in page.text
    browser = client.get("/collections/countries", headers={"Accept": "text/html,application/xhtml+xml"})
    assert browser.headers["content-type"].startswith("text/html")
    gdal = client.get("/collections/countries", headers={"Accept": "application/geo+json, application/json"})
    assert gdal.headers["content-type"].startswith("application/json")


def test_every_public_vector_layer_of_the_catalog_is_a_collection(client, api_settings) -> None:
    from greenbri.core.catalog import AccessLevel, DatasetKind

    store = build_store(api_settings)
    layers = {
        record.id
        for record in store.list_datasets()
        if record.kind is DatasetKind.VECTOR_LAYER and record.access is AccessLevel.PUBLIC and record.latest
    }
    served = {item["id"] for item in client.get("/collections").json()["collections"]}
    assert served == layers | {"stations"}


def test_the_advertised_page_size_follows_the_servers_maximum(api_settings) -> None:
    from fastapi.testclient import TestClient
    from openapi_spec_validator import validate

    from greenbri.services.api import create_app
    from greenbri.services.api.context import ApiOptions

    with TestClient(create_app(api_settings, options=ApiOptions(max_items=500))) as small:
        document = small.get("/api").json()
        validate(document)
        for path in ("/collections/{collectionId}/items", "/collections/stations/items"):
            limit = next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "limit")
            assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (500, 500)
        page = small.get(ITEMS).json()
        assert page["numberReturned"] == 500
