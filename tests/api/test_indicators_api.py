"""Indicators, groups, profiles, targets and the composite index over HTTP, checked against the
ingested CSV files read independently here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.api.api_data import indicator_data  # noqa: F401  (a fixture)
from tests.api.conftest import header

pytestmark = pytest.mark.usefixtures("indicator_data")


def _csv_series(folder: Path, name: str, code: str, column: int) -> dict[int, float]:
    """year -> value of one country in an indicator CSV (code in column 1, year in column 2)."""
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return {int(row[2]): float(row[column]) for row in rows if row[1] == code and row[column]}


@pytest.fixture(scope="module")
def pakistan_pm25(indicator_data: Path) -> dict[int, float]:  # noqa: F811
    return _csv_series(indicator_data, "pm25-air-pollution.csv", "PAK", 3)


def test_catalog_lists_the_ingested_indicators_with_bilingual_labels(client) -> None:
    response = client.get("/v1/indicators", params={"lang": "zh"})
    assert response.status_code == 200 and response.headers["etag"]
    rows = {row["id"]: row for row in response.json()}
    assert rows["pm25_exposure"]["countries"] > 150 and rows["forest_share"]["countries"] > 150
    assert rows["pm25_exposure"]["label"] == rows["pm25_exposure"]["name"]["zh"] != ""
    assert rows["cn_forest_coverage"]["countries"] == 0 and rows["cn_forest_coverage"]["years"] is None
    again = client.get(
        "/v1/indicators", params={"lang": "zh"}, headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_indicator_series_of_a_country_is_the_file(client, pakistan_pm25) -> None:
    assert pakistan_pm25[2022] == 23.66130327
    body = client.get("/v1/indicators/pm25_exposure", params={"country": "pak"}).json()
    assert dict((int(year), value) for year, value in body["series"]) == pakistan_pm25
    assert body["unit"] and body["name"]["en"] and body["name"]["zh"]
    assert client.get("/v1/indicators/no_such_indicator").status_code == 404


def test_groups(client) -> None:
    groups = {row["id"]: row for row in client.get("/v1/groups").json()}
    assert "bri_partners" in groups and "members" not in groups["bri_partners"]
    partners = client.get("/v1/groups/bri_partners", params={"lang": "zh"}).json()
    assert partners["member_count"] == len(partners["members"]) == groups["bri_partners"]["member_count"]
    assert partners["label"] == partners["name"]["zh"]
    assert "PAK" in {member["iso3"] for member in partners["members"]}
    assert client.get("/v1/groups/nope").json()["type"] == "urn:greenbri:problem:not-found"


def test_profile_json_html_and_pdf(client, pakistan_pm25, indicator_data: Path) -> None:  # noqa: F811
    profile = client.get("/v1/countries/pak/profile").json()
    assert profile["country"]["name"] == {"en": "Pakistan", "zh": "巴基斯坦"}
    entries = {entry["id"]: entry for entry in profile["indicators"]}
    latest_year = max(pakistan_pm25)
    assert entries["pm25_exposure"]["latest"]["year"] == latest_year
    assert entries["pm25_exposure"]["latest"]["value"] == pakistan_pm25[latest_year]
    forest = _csv_series(indicator_data, "forest-area-as-share-of-land-area.csv", "PAK", 3)
    assert entries["forest_share"]["latest"]["value"] == forest[max(forest)]
    assert profile["summary"]["en"].startswith("Pakistan") and profile["summary"]["zh"].startswith("巴基斯坦")
    html = client.get("/v1/countries/PAK/profile", params={"format": "html", "lang": "zh"})
    assert html.headers["content-type"].startswith("text/html")
    assert 'filename="PAK.zh.html"' in html.headers["content-disposition"] and "巴基斯坦" in html.text
    pdf = client.get("/v1/countries/PAK/profile", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/v1/countries/XYZ/profile").status_code == 404


def test_targets_and_their_evaluation_on_the_stored_values(client, indicator_data: Path) -> None:  # noqa: F811
    targets = client.get("/v1/targets").json()
    assert targets and all(target["citation"] for target in targets)
    rows = client.get("/v1/targets/evaluation").json()
    assert {row["target"] for row in rows} == {target["id"] for target in targets}
    measured = [row for row in rows if row["measured_indicator"] == "pm25_exposure"]
    assert measured, "a target measured by the PM2.5 exposure (its own indicator or as a proxy)"
    for row in measured:
        series = _csv_series(indicator_data, "pm25-air-pollution.csv", row["scope"], 3)
        assert (row["latest_year"], row["latest_value"]) == (max(series), series[max(series)])
    one = client.get("/v1/targets/evaluation", params={"target": measured[0]["target"]}).json()
    assert one == [measured[0]]
    assert client.get("/v1/targets/evaluation", params={"target": "nope"}).status_code == 400


def test_index_is_cached_per_data_version(client, pakistan_pm25) -> None:
    first = client.get("/v1/index")
    body = first.json()
    assert body["group"] == "bri_partners" and body["sensitivity"]["random_draws"] >= 1
    assert body["indicators"]["pm25_exposure"]["countries"] > 100
    pakistan = next(row for row in body["countries"] if row["iso3"] == "PAK")
    assert "pm25_exposure" in pakistan["indicators"]
    repeat = client.get("/v1/index", headers={"If-None-Match": first.headers["etag"]})
    assert repeat.status_code == 304
    assert client.get("/v1/index", params={"group": "nope"}).status_code == 400


def test_anonymous_and_keyed_reads_agree(client, keys) -> None:
    anonymous = client.get("/v1/indicators/forest_share")
    keyed = client.get("/v1/indicators/forest_share", headers=header(keys.viewer_a))
    assert anonymous.json() == keyed.json() and anonymous.headers["cache-control"].startswith("public")
    assert keyed.headers["cache-control"].startswith("private")
