"""``GET /v1/stations/{id}/compliance``: annual verdicts of the Dongsi station over HTTP, checked against the
Beijing file read independently (pandas): GB 3095-2012 Table 4 capture (20 hours a day; 324 days a year,
27 a month, 25 in February), HJ 663-2013 annual mean rounded to whole ug/m3 (GB/T 8170, half to even)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pandas as pd
import pytest
from tests.api.api_data import dongsi_file, monitoring_data  # noqa: F401  (fixtures)
from tests.api.conftest import header

pytestmark = pytest.mark.usefixtures("monitoring_data")

DONGSI = "cnemc-1003A"


@pytest.fixture(scope="module")
def dongsi_daily(shared_data: Path) -> pd.Series:
    frame = pd.read_csv(dongsi_file(shared_data))
    frame["date"] = pd.to_datetime(frame[["year", "month", "day"]])
    grouped = frame.groupby("date")["PM2.5"]
    return grouped.mean().where(grouped.count() >= 20)


def test_station_compliance_matches_the_file(client, dongsi_daily: pd.Series) -> None:
    response = client.get(f"/v1/stations/{DONGSI}/compliance", params={"year": [2015, 2016]})
    assert response.status_code == 200 and response.headers["etag"]
    body = response.json()
    rows = {(row["assessment"], row["year"], row["pollutant"], row["averaging"]): row for row in body["rows"]}
    year = dongsi_daily[dongsi_daily.index.year == 2015].dropna()
    assert len(year) >= 324 and year.groupby(year.index.month).size().min() >= 25
    mean = float(Decimal(repr(float(year.mean()))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    row = rows[("cn-gb3095-2012:grade_2", 2015, "pm25", "year")]
    assert (row["value"], row["status"], row["valid_days"]) == (mean, "exceeds", len(year))
    assert row["status_label"] == {"en": "exceeds", "zh": "超标"}
    # 2016: July has 24 valid days (< 27): insufficient, never compared
    july = dongsi_daily[(dongsi_daily.index.year == 2016) & (dongsi_daily.index.month == 7)].count()
    assert july == 24
    insufficient = rows[("cn-gb3095-2012:grade_2", 2016, "pm25", "year")]
    assert insufficient["status"] == "insufficient" and insufficient["value"] is None
    verdicts = {(v["assessment"], v["year"]): v["verdict"] for v in body["verdicts"]}
    assert verdicts[("cn-gb3095-2012:grade_2", 2015)] == "exceeds"
    assert verdicts[("who-aqg-2021:AQG", 2015)] == "exceeds"
    assert verdicts[("cn-gb3095-2012:grade_2", 2016)] == "insufficient"
    assert {v["year"] for v in body["verdicts"]} == {2015, 2016}
    assert body["summary"] == {"exceeds": 3, "insufficient": 3}


def test_station_compliance_refuses_what_it_cannot_assess(client) -> None:
    unknown = client.get(f"/v1/stations/{DONGSI}/compliance", params={"standard": "eu-2008-50"})
    assert unknown.status_code == 400 and "no annual assessment rules" in unknown.json()["detail"]
    level = client.get(f"/v1/stations/{DONGSI}/compliance", params={"standard": "cn-gb3095-2012:grade_9"})
    assert level.status_code == 400 and "grade_2" in level.json()["detail"] + level.json().get("hint", "")
    assert client.get("/v1/stations/nowhere/compliance").status_code == 404


def test_station_compliance_goes_through_the_access_rule(client, keys) -> None:
    url = f"/v1/stations/{DONGSI}/compliance"
    anonymous = client.get(url, params={"year": 2015})
    assert anonymous.headers["cache-control"].startswith("public")
    again = client.get(url, params={"year": 2015}, headers={"If-None-Match": anonymous.headers["etag"]})
    assert again.status_code == 304
    viewer = client.get(url, params={"year": 2015}, headers=header(keys.viewer_a))
    assert viewer.status_code == 200 and viewer.headers["cache-control"].startswith("private")
    assert client.get(url, headers=header(keys.revoked)).status_code == 401
