"""No run aborts for some dates: ``monitor aqi``, ``monitor daily`` and ``monitor latest`` compute what
an engine covers and mark each other station-day NOT COMPUTED with the reason; the summary counts them.

Readings: three days of one station in the UCI Beijing layout, 2015-12-30 to 2016-01-01 (China Standard
Time). HJ 633-2012 is in force from 2016-01-01 (its cover page), so the first two days have no engine.
Every hour: PM2.5 80, PM10 20, SO2 3, NO2 40, CO 500 ug/m3 (0.5 mg/m3), O3 60. Daily AQI by HJ 633-2012
Table 1 (24 h / 8 h rows): PM2.5 100 + (80 - 75) / (115 - 75) x 50 = 106.25 -> 107; PM10 20; SO2 3;
NO2 50; CO 12.5 -> 13; O3 MDA8 30: AQI 107, primary PM2.5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()
HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"'


def _invoke(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture()
def three_days(data_dir: Path, tmp_path: Path) -> Path:
    lines = [HEADER]
    number = 0
    for year, month, day in ((2015, 12, 30), (2015, 12, 31), (2016, 1, 1)):
        for hour in range(24):
            number += 1
            lines.append(
                f'{number},{year},{month},{day},{hour},80,20,3,40,500,60,5.5,1020,-10,0,"N",2.1,"Dongsi"'
            )
    path = tmp_path / "PRSA_Data_Dongsi_20151230-20160101.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _invoke("monitor", "ingest", str(path), "--format", "beijing", "--json")
    return data_dir


def test_monitor_aqi_marks_days_no_engine_covers(three_days: Path) -> None:
    report = json.loads(_invoke("monitor", "aqi", "--json"))
    days = {row["date"]: row for row in report["days"]}
    assert [days[d]["aqi"] for d in ("2015-12-30", "2015-12-31", "2016-01-01")] == [None, None, 107]
    assert days["2016-01-01"]["primary"] == ["pm25_24h"] and days["2016-01-01"]["engine"] == "hj633-2012"
    old = days["2015-12-30"]
    assert (old["category_en"], old["category_zh"], old["engine"]) == ("NOT COMPUTED", "未计算", None)
    assert old["not_computed"].startswith("no cn AQI engine covers dates before 2016-01-01")
    assert "--fallback-engine hj633-2012" in old["not_computed"]
    assert report["summary"]["computed"] == 1 and report["summary"]["not_computed"] == 2
    assert list(report["summary"]["not_computed_reasons"].values()) == [2]  # one reason, both days
    table = _invoke("monitor", "aqi")
    assert "1 computed, 2 not computed 未计算" in table
    fallback = json.loads(_invoke("monitor", "aqi", "--fallback-engine", "hj633-2012", "--json"))
    assert [row["aqi"] for row in fallback["days"]] == [107, 107, 107]
    assert fallback["summary"]["not_computed"] == 0


def test_monitor_daily_and_exceedances_go_on(three_days: Path) -> None:
    daily = json.loads(_invoke("monitor", "daily", "--json"))
    rows = {row["day"]: row for row in daily["days"]}
    assert rows["2016-01-01"]["aqi"] == 107 and rows["2016-01-01"]["not_computed"] is None
    assert rows["2015-12-31"]["aqi"] is None and rows["2015-12-31"]["category_en"] == "NOT COMPUTED"
    assert rows["2015-12-31"]["not_computed"].startswith("no cn AQI engine covers dates before 2016-01-01")
    assert (daily["computed"], daily["not_computed"]) == (1, 2)
    assert "1 computed, 2 not computed" in _invoke("monitor", "daily")
    report = json.loads(_invoke("monitor", "exceedances", "--json"))
    assert report["exceedances"]


def test_monitor_latest_on_the_cli(three_days: Path) -> None:
    latest = json.loads(_invoke("monitor", "latest", "--json"))
    (row,) = latest["stations"]
    # the latest hour, 2016-01-01 23:00-24:00 CST: hourly PM2.5 80 on the 24 h breakpoints -> 107
    assert (row["aqi"], row["primary"], row["engine"]) == (107, ["pm25_24h"], "hj633-2012")
    assert row["hour_ending_utc"] == "2016-01-01T16:00:00+00:00"
    assert (
        row["matches_published"] is None
        and row["mismatch_reason"] == "the source published no AQI for this hour"
    )
    assert latest["summary"]["published"] == 0 and latest["summary"]["stations"] == 1
    assert "1 stations (0 NO DATA 无数据); published AQI 0" in _invoke("monitor", "latest")


def test_monitor_latest_us_nowcast_of_the_last_hours(three_days: Path) -> None:
    latest = json.loads(_invoke("monitor", "latest", "--standard", "us", "--json"))
    (row,) = latest["stations"]
    # NowCast of a constant 80 ug/m3 is 80: 40 CFR 58 App. G Table 2 (2015 row 55.5-150.4 -> 151-200):
    # 151 + (80 - 55.5) / (150.4 - 55.5) x 49 = 163.65 -> 164; PM10 20 -> 19 (0-54 -> 0-50)
    assert (row["aqi"], row["primary"], row["no_data"]) == (164, ["pm25_24h"], None)
    assert row["engine"] == "us-epa-2015" and row["matches_published"] is None
