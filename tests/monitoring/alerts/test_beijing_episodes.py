"""The bundled rules on real episodes of the Beijing multi-site data (hour-beginning, UTC+8).

Every expected number is recomputed here from the raw CSV with pandas, independently of the
series code; dates in the names are Beijing local dates, alert times are UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest

from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.core.monitoring.alert_rules import AlertRule
from greenbri.usecases.monitoring.alerts import evaluate_alerts, list_alerts, load_alert_rules

from .conftest import ReadingsLoader, raw_beijing

ALL = ("pm25", "pm10", "so2", "no2", "co", "o3")


def utc(text: str) -> str:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).isoformat()


@pytest.fixture(scope="module")
def rules() -> dict[str, AlertRule]:
    return {rule.id: rule for rule in load_alert_rules()}


def opened(history: AlertHistory, rule_id: str) -> list[dict]:
    return [alert for alert in list_alerts(history) if alert["rule_id"] == rule_id]


def test_dongsi_2015_11_27_to_12_01_winter_episode(
    beijing_readings: ReadingsLoader, rules: dict[str, AlertRule], tmp_path: Path, shared_data: Path
) -> None:
    """Dongsi, local days 2015-11-27 .. 2015-12-01: PM2.5 daily means 240 .. 506 ug/m3."""
    raw = raw_beijing(shared_data, "Dongsi")
    daily = raw.groupby(raw["local_time"].dt.date)["PM2.5"].mean()
    assert round(daily[dt.date(2015, 11, 26)], 2) == 32.17  # below 75: nothing the day before
    assert round(daily[dt.date(2015, 11, 27)], 2) == 239.71
    assert daily[dt.date(2015, 12, 1)] == 506.0
    readings = beijing_readings("Dongsi", "2015-11-20", "2015-12-03", ALL)
    history = AlertHistory(tmp_path)
    chosen = [
        rules[name]
        for name in (
            "pm25-24h-gb3095-grade2",
            "pm25-24h-gb3095-grade2-3-days",
            "aqi-24h-severely-polluted",
            "pm25-1h-rapid-rise",
        )
    ]
    report = evaluate_alerts(readings, chosen, history)
    assert report.skipped == []

    (daily_alert,) = [
        a for a in opened(history, "pm25-24h-gb3095-grade2") if a["opened_at"] >= utc("2015-11-26")
    ]
    assert daily_alert["opened_at"] == utc("2015-11-26T16:00")  # local day 2015-11-27
    assert round(daily_alert["value_at_open"], 2) == 239.71
    assert daily_alert["peak_value"] == 506.0
    assert daily_alert["resolved_at"] == utc("2015-12-01T16:00")  # local 2015-12-02 is clean
    assert daily_alert["message"]["zh"].startswith("beijing-dongsi：")

    (three_days,) = [
        a for a in opened(history, "pm25-24h-gb3095-grade2-3-days") if a["opened_at"] >= utc("2015-11-26")
    ]
    assert three_days["opened_at"] == utc("2015-11-28T16:00")  # third exceeding day: local 2015-11-29

    (severe,) = opened(history, "aqi-24h-severely-polluted")
    assert severe["opened_at"] == utc("2015-11-27T16:00") and severe["value_at_open"] == 345.0

    rises = {a["opened_at"]: a["value_at_open"] for a in opened(history, "pm25-1h-rapid-rise")}
    hourly = raw.set_index("local_time")["PM2.5"]
    rise = hourly[pd.Timestamp("2015-11-29 19:00")] - hourly[pd.Timestamp("2015-11-29 16:00")]
    assert rise == 284.0  # 404 - 120 ug/m3 at local 19:00
    assert rises[utc("2015-11-29T11:00")] == rise


def test_same_data_twice_opens_nothing_new(
    beijing_readings: ReadingsLoader, rules: dict[str, AlertRule], tmp_path: Path
) -> None:
    readings = beijing_readings("Dongsi", "2015-11-20", "2015-12-03", ALL)
    history = AlertHistory(tmp_path)
    first = evaluate_alerts(readings, list(rules.values()), history)
    assert any(event["kind"] == "opened" for event in first.events)
    second = evaluate_alerts(readings, list(rules.values()), history)
    assert second.events == []
    assert len(history.records()) == len(first.events)


def test_cooldown_prevents_refiring(
    beijing_readings: ReadingsLoader, rules: dict[str, AlertRule], tmp_path: Path
) -> None:
    """PM2.5 rapid rise at Dongsi, November-December 2015: cooldown 12 h after each resolution."""
    rule = rules["pm25-1h-rapid-rise"]
    readings = beijing_readings("Dongsi", "2015-11-01", "2016-01-01")
    history = AlertHistory(tmp_path / "with")
    evaluate_alerts(readings, [rule], history)
    alerts = opened(history, rule.id)
    assert len(alerts) >= 5
    for before, after in itertools.pairwise(alerts):
        gap = dt.datetime.fromisoformat(after["opened_at"]) - dt.datetime.fromisoformat(before["resolved_at"])
        assert gap >= dt.timedelta(hours=rule.cooldown_hours)
    suppressed = history.load().keys[(rule.id, "beijing-dongsi", "pm25")].suppressed
    assert suppressed > 0
    without = AlertHistory(tmp_path / "without")

    evaluate_alerts(readings, [dataclasses.replace(rule, cooldown_hours=0)], without)
    assert len(opened(without, rule.id)) > len(alerts)


def test_station_down_on_a_real_gap(
    beijing_readings: ReadingsLoader, rules: dict[str, AlertRule], tmp_path: Path, shared_data: Path
) -> None:
    """Dongsi reported no PM2.5 from 2016-06-04 09:00 to 2016-06-06 18:00 local (58 hours)."""
    raw = raw_beijing(shared_data, "Dongsi").set_index("local_time")["PM2.5"]
    gap = raw["2016-06-04 09:00":"2016-06-06 18:00"]
    assert gap.isna().all() and len(gap) == 58
    assert not pd.isna(raw[pd.Timestamp("2016-06-04 08:00")]) and not pd.isna(
        raw[pd.Timestamp("2016-06-06 19:00")]
    )
    history = AlertHistory(tmp_path)
    evaluate_alerts(
        beijing_readings("Dongsi", "2016-06-01", "2016-06-10"), [rules["pm25-station-down"]], history
    )
    (alert,) = opened(history, "pm25-station-down")
    assert alert["opened_at"] == utc("2016-06-04T06:00")  # 6th silent hour: local 14:00
    assert alert["resolved_at"] == utc("2016-06-06T11:00")  # data back at local 19:00
    assert alert["peak_value"] == 58.0


def test_hourly_no2_exceedance(
    beijing_readings: ReadingsLoader, rules: dict[str, AlertRule], tmp_path: Path
) -> None:
    """Dongsi NO2 1-hour 219 ug/m3 at 2013-03-07 11:00 local, above the 200 ug/m3 grade II limit."""
    history = AlertHistory(tmp_path)
    evaluate_alerts(
        beijing_readings("Dongsi", "2013-03-06", "2013-03-08", ("no2",)),
        [rules["no2-1h-gb3095-grade2"]],
        history,
    )
    alert, evening = opened(history, "no2-1h-gb3095-grade2")
    assert alert["opened_at"] == utc("2013-03-07T03:00")
    assert alert["resolved_at"] == utc("2013-03-07T08:00")  # 3rd hour at or below 200: local 16:00
    assert evening["opened_at"] == utc("2013-03-07T14:00") and evening["value_at_open"] == 258.0
    assert (alert["value_at_open"], alert["peak_value"]) == (219.0, 254.0)
