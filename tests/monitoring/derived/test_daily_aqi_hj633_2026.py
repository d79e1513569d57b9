"""The daily AQI report across the HJ 633-2012 -> HJ 633-2026 switch, with clause 5.3.1."""

from __future__ import annotations

import numpy as np

from greenbri.usecases.monitoring.derived import DailySeries
from greenbri.usecases.monitoring.derived_reports import aqi_report


def test_switch_and_withheld_days_are_reported() -> None:
    days = np.array(["2026-02-28", "2026-03-01", "2026-03-02"], dtype="datetime64[D]")
    pm25 = np.array([[40.0, 40.0, 80.0]])  # PM2.5 only: five pollutants missing
    series = DailySeries(
        rules="cn",
        stations=("A",),
        days=days,
        values={"pm25_24h": pm25},
        valid_counts={"pm25_24h": np.full((1, 3), 24)},
        units={"pm25_24h": "ug/m3"},
        counting={"pm25_24h": "24h"},
    )
    rows = aqi_report(series, "cn")["days"]
    # HJ 633-2012: 50 + 50*5/40 = 56.25 -> 57. HJ 633-2026: 50 + 50*5/25 = 60, withheld (<= 100,
    # clause 5.3.1); 80 -> 100 + 50*20/55 = 118.2 -> 119, published.
    assert [(r["engine"], r["aqi"], r["withheld"]) for r in rows] == [
        ("hj633-2012", 57, False),
        ("hj633-2026", None, True),
        ("hj633-2026", 119, False),
    ]
    assert rows[1]["category_en"] == "NO DATA" and rows[1]["primary"] == []
