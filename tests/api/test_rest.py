"""The REST API (/v1) from the app factory: catalog, DCAT, downloads, standards, AQI, screening, jobs, problems."""

from __future__ import annotations

import io
import time

import geopandas as gpd
import pandas as pd
from tests.api.conftest import RESTRICTED, header

PROJECT = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [116.40, 39.90]},
    "properties": {
        "id": "P1",
        "name": "Test plant",
        "sector": "solar_power",
        "status": "planned",
        "country": "CHN",
    },
}


def test_catalog_lists_pages_and_searches(client) -> None:
    page = client.get("/v1/datasets", params={"limit": 2}).json()
    assert page["numberReturned"] == 2 and page["numberMatched"] >= 5
    assert any(link["rel"] == "next" for link in page["links"])
    assert 'rel="next"' in client.get("/v1/datasets", params={"limit": 2}).headers["link"]
    found = client.get("/v1/datasets", params={"q": "国家"}).json()["datasets"]
    assert [item["id"] for item in found] == ["countries"] or "countries" in [item["id"] for item in found]
    detail = client.get("/v1/datasets/countries").json()
    assert detail["title"]["zh"] and detail["version"]["feature_count"] == 245


def test_dcat_catalog_is_json_ld_with_distributions(client) -> None:
    response = client.get("/v1/catalog.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog" and "dcat" in catalog["@context"]
    countries = next(item for item in catalog["dcat:dataset"] if item["dct:identifier"] == "countries")
    languages = {title["@language"] for title in countries["dct:title"]}
    assert languages == {"en", "zh"}
    urls = [item.get("dcat:downloadURL", {}).get("@id", "") for item in countries["dcat:distribution"]]
    assert any(url.endswith("format=geojson") for url in urls)


def test_downloads_in_three_formats_with_etag(client) -> None:
    geojson = client.get("/v1/datasets/countries/download", params={"format": "geojson"})
    assert geojson.headers["content-type"] == "application/geo+json"
    assert len(gpd.read_file(io.BytesIO(geojson.content))) == 245
    parquet = client.get("/v1/datasets/countries/download", params={"format": "geoparquet"})
    assert len(gpd.read_parquet(io.BytesIO(parquet.content))) == 245
    csv = client.get("/v1/datasets/countries/download", params={"format": "csv"})
    assert "attachment" in csv.headers["content-disposition"]
    assert len(pd.read_csv(io.BytesIO(csv.content))) == 245
    again = client.get(
        "/v1/datasets/countries/download",
        params={"format": "csv"},
        headers={"If-None-Match": csv.headers["etag"]},
    )
    assert again.status_code == 304


def test_problem_responses_follow_rfc_7807(client) -> None:
    for path, status in (
        ("/v1/datasets/none-such", 404),
        ("/collections/countries/items?bbox=1,2,3", 400),
        ("/collections/countries/items?limit=0", 400),
        ("/v1/datasets?theme=nonsense", 400),
        ("/v1/aqi?reading=pm25=abc", 400),
        ("/v1/standards/none-such", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == status and body["type"].startswith("urn:greenbri:problem:")
        assert " / " in body["title"] and body["detail"] and body["instance"]
    bbox = client.get("/collections/countries/items?bbox=1,2,3").json()
    assert "min_lon,min_lat,max_lon,max_lat" in bbox["hint"]


def test_standards_and_aqi(client) -> None:
    standards = client.get("/v1/standards").json()
    assert any(item["id"] == "cn-gb3095-2012" for item in standards)
    detail = client.get("/v1/standards/cn-gb3095-2012").json()
    assert detail["limits"]
    compared = client.get(
        "/v1/standards/compare",
        params={"pollutant": "pm25", "averaging": "24h", "date": "2024-06-01", "value": 40, "unit": "ug/m3"},
    ).json()
    assert compared["strictest"]["jurisdiction"] == "WHO"
    aqi = client.get("/v1/aqi", params={"reading": ["pm25=80", "pm10=120"], "date": "2024-06-01"}).json()
    # HJ 633-2012: PM2.5 80 lies in 75-115 (IAQI 100-150): 100 + 50 * 5 / 40 = 106.25, rounded up to 107.
    assert aqi["aqi"] == 107 and aqi["primary"] == ["pm25_24h"] and aqi["category"]["zh"]


def test_screening_one_project(client) -> None:
    result = client.post("/v1/screenings", json=PROJECT, params={"date": "2024-06-01"}).json()
    assert result["project"]["id"] == "P1" and result["overall"]
    assert any(hit["dataset"].startswith("settlements@") for hit in result["hits"])
    assert all(not dataset.startswith(RESTRICTED) for dataset in result["datasets"])
    bad = client.post(
        "/v1/screenings", json={**PROJECT, "properties": {**PROJECT["properties"], "sector": "nope"}}
    )
    assert bad.status_code == 400 and "sector" in bad.json()["detail"] and "solar_power" in bad.json()["hint"]


def test_portfolio_job_runs_in_the_background(client, keys) -> None:
    projects = [
        PROJECT,
        {**PROJECT, "properties": {**PROJECT["properties"], "id": "P2", "country": "nowhere"}},
    ]
    assert client.post("/v1/screening-jobs", json={"projects": projects}).status_code == 401
    assert (
        client.post(
            "/v1/screening-jobs", json={"projects": projects}, headers=header(keys.viewer_a)
        ).status_code
        == 403
    )
    submitted = client.post("/v1/screening-jobs", json={"projects": projects, "date": "2024-06-01"}, headers=header(keys.analyst_a))  # fmt: skip
    assert submitted.status_code == 202
    url = submitted.headers["location"]
    deadline = time.monotonic() + 120
    job = submitted.json()
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
        job = client.get(url, headers=header(keys.viewer_a)).json()
    assert job["status"] == "succeeded", job
    assert job["progress"] == {"done": 2, "total": 2}
    result = client.get(f"{url}/result", headers=header(keys.viewer_a)).json()
    assert result["summary"]["screened"] == 1 and result["summary"]["failed"] == 1
    assert RESTRICTED in " ".join(result["datasets"])  # screened with org-a's layers
    report = client.get(f"{url}/report", params={"format": "html"}, headers=header(keys.viewer_a))
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    for token in (None, keys.viewer_b):
        assert client.get(url, headers=header(token)).status_code == 404
        assert client.get(f"{url}/result", headers=header(token)).status_code == 404
        assert job["id"] not in client.get("/v1/screening-jobs", headers=header(token)).text
    assert job["id"] in client.get("/v1/screening-jobs", headers=header(keys.admin)).text
