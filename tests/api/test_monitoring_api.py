"""Stations, readings, daily series, AQI, exceedances, the latest AQI map feed, the OGC ``stations``
collection (with GDAL) and alerts over HTTP. Expected values come from the source files, read
independently here (pandas / csv), not from greenbri."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from tests.api.api_data import (  # noqa: F401  (fixtures)
    ALERT_STATION,
    CNEMC_FILE,
    dongsi_file,
    live_server,
    monitoring_data,
)
from tests.api.conftest import header

pytestmark = pytest.mark.usefixtures("monitoring_data")

DONGSI = "cnemc-1003A"
#: HJ 633-2012 Table 1, PM2.5 24-hour: concentration breakpoints and their IAQI.
PM25_BREAKPOINTS = [0, 35, 75, 115, 150, 250, 350, 500]
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]


@pytest.fixture(scope="module")
def dongsi(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(dongsi_file(shared_data))


@pytest.fixture(scope="module")
def cnemc_rows(shared_data: Path) -> dict[str, dict[str, str]]:
    with (shared_data / CNEMC_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["stationcode"]: row for row in csv.DictReader(handle)}


def test_stations_are_paged_and_filtered(client, cnemc_rows) -> None:
    first = client.get("/v1/stations", params={"country": "CHN", "limit": 500})
    body = first.json()
    assert body["numberMatched"] == len(cnemc_rows) and body["numberReturned"] == 500
    assert 'rel="next"' in first.headers["link"] and "offset=500" in first.headers["link"]
    beijing = client.get("/v1/stations", params={"bbox": "116.40,39.92,116.42,39.93"}).json()
    assert [row["station_id"] for row in beijing["stations"]] == [DONGSI]
    assert beijing["stations"][0]["name_zh"] == cnemc_rows["1003A"]["positionname"] == "东四"
    assert client.get("/v1/stations", params={"bbox": "1,2,3"}).status_code == 400


def test_station_detail_shows_what_is_stored(client, dongsi) -> None:
    station = client.get(f"/v1/stations/{DONGSI}").json()
    assert station["name_en"] == "Dongsi"
    hourly_pm25 = next(
        row for row in station["coverage"] if row["parameter"] == "pm25" and row["averaging"] == "1h"
    )
    # Every hour of the Beijing file plus the CNEMC hour; the file's gaps are rows without a value.
    assert hourly_pm25["readings"] == len(dongsi) + 1
    assert hourly_pm25["values"] == int(dongsi["PM2.5"].notna().sum()) + 1
    assert client.get("/v1/stations/nope").status_code == 404


def test_raw_series_is_the_file_with_qa_flags(client, dongsi) -> None:
    # Beijing files give local (UTC+8) hour-beginning times: 2016-05-01 08:00 local is 00:00 UTC.
    expected = dongsi[(dongsi.year == 2016) & (dongsi.month == 5) & (dongsi.day == 1)].set_index("hour")[
        "PM2.5"
    ]
    response = client.get(
        f"/v1/stations/{DONGSI}/series",
        params={
            "parameter": "pm25",
            "start": "2016-04-30T16:00:00Z",
            "end": "2016-05-01T16:00:00Z",
            "limit": 10,
        },
    )
    body = response.json()
    assert body["numberMatched"] == 24 and body["numberReturned"] == 10 and body["parameter_name"]["zh"]
    assert 'rel="next"' in response.headers["link"]
    eight = next(row for row in body["readings"] if row["time_utc"] == "2016-05-01T00:00:00+00:00")
    assert eight["value"] == expected[8] == 217.0 and eight["qa"] == [] and eight["unit"] == "ug/m3"
    rest = client.get(body["links"][1]["href"]).json()["readings"]
    in_file = [None if math.isnan(value) else value for value in expected.tolist()]
    assert [row["value"] for row in body["readings"] + rest][:20] == in_file[:20]
    gaps = client.get(f"/v1/stations/{DONGSI}/series", params={"parameter": "pm25", "limit": 10_000}).json()
    missing = [row for row in gaps["readings"] if row["value"] is None]
    assert missing and all("missing" in row["qa"] for row in missing)


def test_daily_mean_aqi_and_exceedances_match_the_file(client, dongsi) -> None:
    day = dongsi[(dongsi.year == 2016) & (dongsi.month == 5) & (dongsi.day == 1)]["PM2.5"]
    mean = float(day.mean())
    assert day.count() >= 20  # GB 3095-2012: a valid day needs 20 hours
    daily = client.get(
        f"/v1/stations/{DONGSI}/daily", params={"start": "2016-05-01", "end": "2016-05-01"}
    ).json()
    assert (
        daily["days"][0]["pm25_24h"] == round(mean, 4) and daily["days"][0]["pm25_24h_valid"] == day.count()
    )
    band = next(i for i in range(7) if PM25_BREAKPOINTS[i] <= mean <= PM25_BREAKPOINTS[i + 1])
    low, high = PM25_BREAKPOINTS[band], PM25_BREAKPOINTS[band + 1]
    iaqi = IAQI[band] + (mean - low) * (IAQI[band + 1] - IAQI[band]) / (high - low)
    aqi = client.get(f"/v1/stations/{DONGSI}/aqi", params={"start": "2016-05-01", "end": "2016-05-01"}).json()
    assert aqi["days"][0]["aqi"] == math.ceil(iaqi) and aqi["days"][0]["primary"] == ["pm25_24h"]
    assert (aqi["days"][0]["category_en"], aqi["days"][0]["category_zh"]) == ("Heavily Polluted", "重度污染")
    # Before 2016 no verified HJ 633 engine: the days are listed NOT COMPUTED with the reason, and
    # counted; the run does not abort. A named fallback computes them.
    marked = client.get(f"/v1/stations/{DONGSI}/aqi", params={"start": "2015-12-30", "end": "2016-01-01"})
    assert marked.status_code == 200
    body = marked.json()
    assert [day["aqi"] is None for day in body["days"]] == [True, True, False]
    assert body["days"][0]["category_en"] == "NOT COMPUTED" and body["days"][0]["category_zh"] == "未计算"
    assert body["days"][0]["not_computed"].startswith("no cn AQI engine covers dates before 2016-01-01")
    assert "--fallback-engine hj633-2012" in body["days"][0]["not_computed"]
    assert body["days"][2]["engine"] == "hj633-2012" and body["days"][2]["not_computed"] is None
    assert (body["summary"]["computed"], body["summary"]["not_computed"]) == (1, 2)
    allowed = client.get(
        f"/v1/stations/{DONGSI}/aqi", params={"end": "2015-12-31", "fallback_engine": "hj633-2012"}
    )
    assert allowed.status_code == 200 and allowed.json()["summary"]["not_computed"] == 0
    year = dongsi[dongsi.year == 2016].groupby(["month", "day"])["PM2.5"].agg(["mean", "count"])
    valid = year["count"] >= 20
    report = client.get(
        f"/v1/stations/{DONGSI}/exceedances",
        params={"standard": "cn-gb3095-2012", "level": "grade_2", "start": "2016-01-01", "end": "2016-12-31"},
    ).json()
    row = next(
        row for row in report["exceedances"] if row["pollutant"] == "pm25" and row["averaging"] == "24h"
    )
    assert (row["exceedance_days"], row["valid_days"]) == (
        int((valid & (year["mean"] > 75)).sum()),
        int(valid.sum()),
    )
    assert client.get(f"/v1/stations/{DONGSI}/daily", params={"start": "2030-01-01"}).status_code == 400


def test_latest_aqi_reproduces_the_published_real_time_aqi(client, cnemc_rows) -> None:
    response = client.get("/v1/aqi/latest", params={"standard": "cn"})
    body = response.json()
    latest = {row["station_id"]: row for row in body["stations"]}
    published = cnemc_rows["1001A"]
    station = latest["cnemc-1001A"]
    assert station["aqi"] == int(published["aqi"]) == 92 == station["published_aqi"]
    assert station["engine"] == "hj633-2012" and published["primarypollutant"] == "细颗粒物(PM2.5)"
    assert station["primary"] == ["pm25_24h"] and station["category"] == {"en": "Moderate", "zh": "良"}
    assert station["colour"] == "#FFFF00" and station["name_zh"] == published["positionname"]
    assert station["concentrations"]["pm25"]["value"] == float(published["pm2_5"])
    # CNEMC's timepoint 08:00 (UTC+8) ends the hour: stored at the start, 2022-01-14T23:00Z.
    assert (station["time_utc"], station["hour_ending_utc"]) == (
        "2022-01-14T23:00:00+00:00",
        "2022-01-15T00:00:00+00:00",
    )
    # Dongsi's latest hour is the CNEMC one, not the Beijing file's last (2017).
    assert latest[DONGSI]["aqi"] == int(cnemc_rows["1003A"]["aqi"])
    # the same use case as `greenbri monitor latest`: every published AQI reproduced, or the reason
    published_rows = [row for row in body["stations"] if row["published_aqi"] is not None]
    assert body["summary"]["published"] == len(published_rows) == 1705
    assert all(row["matches_published"] is True for row in published_rows)
    assert body["summary"]["matches_published"] == 1705
    assert (
        client.get(
            "/v1/aqi/latest?standard=cn", headers={"If-None-Match": response.headers["etag"]}
        ).status_code
        == 304
    )
    us = {
        row["station_id"]: row
        for row in client.get("/v1/aqi/latest", params={"standard": "us"}).json()["stations"]
    }
    assert us["cnemc-1001A"]["aqi"] is None  # one CNEMC hour: no NowCast (needs 2 of the last 3 hours)


def test_stations_collection(client) -> None:
    listed = {item["id"] for item in client.get("/collections").json()["collections"]}
    assert {"stations", "countries", "settlements"} <= listed
    collection = client.get("/collections/stations").json()
    assert collection["titles"] == {"en": "Monitoring stations", "zh": "监测站点"}
    page = client.get("/collections/stations/items", params={"bbox": "116,39.5,117,40.5", "limit": 3}).json()
    assert page["numberReturned"] == 3 and page["numberMatched"] > 3
    assert any(link["rel"] == "next" for link in page["links"])
    feature = client.get(f"/collections/stations/items/{DONGSI}").json()
    assert feature["geometry"] == {"type": "Point", "coordinates": [116.4174, 39.9289]}
    assert client.get("/collections/stations/items", params={"nope": "1"}).status_code == 400
    assert client.get("/collections/stations/items/nope").status_code == 404


def test_stations_collection_honours_crs_and_bbox_crs(client) -> None:
    items = "/collections/stations/items"
    crs84 = client.get(items, params={"bbox": "116,39.5,117,40.5", "limit": 1000}).json()
    flipped = client.get(
        items,
        params={"bbox": "39.5,116,40.5,117", "bbox-crs": "EPSG:4326", "crs": "EPSG:4326", "limit": 1000},
    )
    assert flipped.headers["content-crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    assert flipped.json()["numberMatched"] == crs84["numberMatched"] > 3
    first, turned = crs84["features"][0], flipped.json()["features"][0]
    assert turned["geometry"]["coordinates"] == first["geometry"]["coordinates"][::-1]
    mercator = client.get(items, params={"bbox": "116,39.5,117,40.5", "crs": "EPSG:3857", "limit": 1}).json()
    assert mercator["features"][0]["geometry"]["coordinates"][0] > 1e7


def test_gdal_reads_the_stations_collection(live_server: str, cnemc_rows) -> None:  # noqa: F811
    assert shutil.which("ogrinfo"), "ogrinfo is missing: scripts/system-packages.sh installs gdal-bin"
    completed = subprocess.run(
        ["ogrinfo", "-ro", "-oo", "PAGE_SIZE=500", f"OAPIF:{live_server}", "stations", "-spat", "116.40", "39.92", "116.42", "39.93"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "name_zh (String) = 东四" in completed.stdout and "POINT (116.4174 39.9289)" in completed.stdout
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=1000", f"OAPIF:{live_server}", "stations"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert f"Feature Count: {len(cnemc_rows)}" in summary.stdout, summary.stdout + summary.stderr


def test_alerts_list_acknowledge_resolve(client, keys, api_settings) -> None:
    assert client.get("/v1/alerts").status_code == 401
    open_alerts = client.get("/v1/alerts", params={"status": "open"}, headers=header(keys.viewer_b)).json()
    assert open_alerts and {row["station_id"] for row in open_alerts} == {ALERT_STATION}
    alert_id = open_alerts[0]["alert_id"]
    path = f"/v1/alerts/{alert_id}"
    assert client.post(f"{path}/acknowledge", headers=header(keys.viewer_a)).status_code == 403
    assert client.post(f"{path}/acknowledge").status_code == 401
    acknowledged = client.post(
        f"{path}/acknowledge", json={"note": "checking"}, headers=header(keys.analyst_a)
    )
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["actions"][-1]["note"] == "checking"
    again = client.post(f"{path}/acknowledge", headers=header(keys.analyst_a))
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"] == "urn:greenbri:problem:invalid-monitoring-request"
    resolved = client.post(f"{path}/resolve", headers=header(keys.admin)).json()
    assert resolved["status"] == "resolved"
    assert client.post("/v1/alerts/nope/resolve", headers=header(keys.admin)).status_code == 404
    from greenbri.services.api.audit import AuditLog

    audited = [entry for entry in AuditLog(api_settings.data_dir / "audit").entries() if entry["resource"] == f"alert:{alert_id}"]  # fmt: skip
    assert [(entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in audited][-3:] == [
        ("acknowledge", 200), ("acknowledge", 409), ("resolve", 200)
    ]  # fmt: skip
