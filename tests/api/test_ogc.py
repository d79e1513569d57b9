"""OGC API - Features from the app factory: landing, conformance, collections, items, paging, filters."""

from __future__ import annotations

from tests.api.conftest import DATED


def test_landing_page_links_what_clients_follow(client) -> None:
    links = {link["rel"]: link for link in client.get("/").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    assert client.get("/api").headers["content-type"].startswith("application/vnd.oai.openapi+json")
    assert client.get("/api").json()["openapi"] == "3.0.3"


def test_conformance_declares_core_geojson_and_oas30(client) -> None:
    classes = client.get("/conformance").json()["conformsTo"]
    assert any(item.endswith("/conf/core") for item in classes)
    assert any(item.endswith("/conf/geojson") for item in classes)
    assert any(item.endswith("/conf/oas30") for item in classes)


def test_collections_list_public_vector_layers_with_extents(client) -> None:
    collections = {item["id"]: item for item in client.get("/collections").json()["collections"]}
    assert {"countries", "settlements", "natural-earth-lakes", DATED} <= set(collections)
    assert "admin1-subdivisions" not in collections  # a table, not a layer
    countries = collections["countries"]
    assert countries["titles"]["zh"] and countries["extent"]["spatial"]["bbox"][0][0] < -170
    rels = {link["rel"] for link in countries["links"]}
    assert {"self", "items"} <= rels


def test_items_page_has_counts_and_next_link_until_the_end(client) -> None:
    first = client.get("/collections/countries/items", params={"limit": 100}).json()
    assert first["type"] == "FeatureCollection"
    assert first["numberMatched"] == 245 and first["numberReturned"] == 100
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "offset=100" in next_link
    seen = [feature["id"] for feature in first["features"]]
    last = client.get("/collections/countries/items", params={"limit": 100, "offset": 200}).json()
    assert last["numberReturned"] == 45 and not [link for link in last["links"] if link["rel"] == "next"]
    assert seen == list(range(1, 101))


def test_bbox_returns_only_features_meeting_it(client) -> None:
    page = client.get(
        "/collections/settlements/items", params={"bbox": "116,39.5,117,40.5", "limit": 500}
    ).json()
    assert page["numberMatched"] >= 1
    for feature in page["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 116 <= lon <= 117 and 39.5 <= lat <= 40.5
    names = {feature["properties"]["name_en"] for feature in page["features"]}
    assert "Beijing" in names


def test_bbox_across_the_antimeridian(client) -> None:
    page = client.get("/collections/countries/items", params={"bbox": "170,-20,-170,-10", "limit": 50}).json()
    iso = {feature["properties"]["iso_a3"] for feature in page["features"]}
    assert "FJI" in iso


def test_property_filter_and_unknown_parameter(client) -> None:
    page = client.get("/collections/countries/items", params={"iso_a3": "CHN"}).json()
    assert page["numberMatched"] == 1 and page["features"][0]["properties"]["name_zh"] == "中国"
    problem = client.get("/collections/countries/items", params={"colour": "red"})
    assert problem.status_code == 400
    assert "iso_a3" in problem.json()["hint"]


def test_datetime_filters_on_the_dated_layer(client) -> None:
    def count(value: str) -> int:
        return client.get(f"/collections/{DATED}/items", params={"datetime": value}).json()["numberMatched"]

    assert count("2024-02-01") == 1
    assert count("2024-01-31") == 0  # a date is its whole day, not also the next midnight
    assert count("2024-01-01/2024-02-01") == 2  # a date as the end includes that day
    assert count("2024-02-01 00:00:00+00:00") == 1  # an instant with a space, not a day
    assert count("2024-01-15T00:00:00Z/2024-03-15T00:00:00Z") == 2
    assert count("../2024-02-01T00:00:00Z") == 2
    assert count("2024-03-01T00:00:00Z/..") == 2
    assert client.get(f"/collections/{DATED}/items", params={"datetime": "yesterday"}).status_code == 400


def test_single_feature_and_missing_one(client) -> None:
    feature = client.get("/collections/countries/items/1").json()
    assert feature["type"] == "Feature" and feature["id"] == 1
    missing = client.get("/collections/countries/items/999999")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_limit_above_the_maximum_is_clamped_not_refused(client) -> None:
    page = client.get("/collections/countries/items", params={"limit": 50_000}).json()
    assert page["numberReturned"] == 245


def test_items_etag_and_304(client) -> None:
    response = client.get("/collections/countries/items", params={"limit": 3})
    etag = response.headers["etag"]
    assert response.headers["cache-control"].startswith("public")
    again = client.get("/collections/countries/items", params={"limit": 3}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_chinese_title_when_asked(client) -> None:
    zh = client.get("/collections/countries", headers={"Accept-Language": "zh-CN"}).json()
    en = client.get("/collections/countries").json()
    assert zh["title"] != en["title"] and zh["titles"] == en["titles"]
