"""All 12 Beijing stations: greenbri's daily means, MDA8, daily AQI and exceedance days per standard
and year against values computed here independently with plain pandas from the standards' text.

Independent reference (written from the documents, not from greenbri's code):

* GB 3095-2012 Table 4: a 24-hour mean needs at least 20 valid hours of the natural day (CST).
* HJ 663-2013: O3 MDA8 = highest of the 8-hour running means ending 08:00 ... 24:00 (17 windows),
  each with at least 6 hours, the day valid with at least 14 windows.
* HJ 633-2012 Table 1 and formula (1): IAQI = (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) x (C - BP_lo) + IAQI_lo,
  rounded up; daily AQI = max over PM2.5, PM10, SO2, NO2, CO 24-hour means and O3 MDA8.
* 40 CFR 58 App. G (2015 table, PM2.5 rows): truncate to 0.1 ug/m3, nearest integer.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from greenbri.adapters.standards_files import load_library
from greenbri.usecases.monitoring.daily_indicators import daily_aqi, exceedance_days
from greenbri.usecases.monitoring.derived import DailySeries

COLUMNS = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"}
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
HJ633_TABLE_1 = {  # breakpoints typed from HJ 633-2012 Table 1 (24-hour and 8-hour columns)
    "pm25": [0, 35, 75, 115, 150, 250, 350, 500],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
    "so2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "no2": [0, 40, 80, 180, 280, 565, 750, 940],
    "co": [0, 2, 4, 14, 24, 36, 48, 60],
    "o3": [0, 100, 160, 215, 265, 800],
}
US_PM25_2015 = [(0.0, 12.0, 0, 50), (12.1, 35.4, 51, 100), (35.5, 55.4, 101, 150), (55.5, 150.4, 151, 200),
                (150.5, 250.4, 201, 300), (250.5, 350.4, 301, 400), (350.5, 500.4, 401, 500)]  # fmt: skip
# 40 CFR 58 App. G Table 2 of the 1999 AQI rule (64 FR 42530), in force until 2013-03-17 (78 FR 3086)
US_PM25_1999 = [(0.0, 15.4, 0, 50), (15.5, 40.4, 51, 100), (40.5, 65.4, 101, 150), (65.5, 150.4, 151, 200),
                (150.5, 250.4, 201, 300), (250.5, 350.4, 301, 400), (350.5, 500.4, 401, 500)]  # fmt: skip
US_PM25_2012_FROM = pd.Timestamp("2013-03-18")


@pytest.fixture(scope="module")
def reference(beijing: tuple[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Independent daily values, index (station_id, date), one column per pollutant."""
    wide = beijing[1].copy()
    wide["CO"] = wide["CO"] / 1000.0
    wide["date"] = wide["local"].dt.normalize()
    grouped = wide.groupby(["station_id", "date"])
    means, means_us = {}, {}
    for key, column in COLUMNS.items():
        count, mean = grouped[column].count(), grouped[column].mean()
        means[key] = mean.where(count >= 20)
        means_us[key] = mean.where(count >= 18)
    means["o3_8h"] = _mda8_hj663(wide)
    return {"cn": pd.DataFrame(means), "us": pd.DataFrame(means_us)}


def _mda8_hj663(wide: pd.DataFrame) -> pd.Series:
    parts = []
    for station, frame in wide.groupby("station_id"):
        hourly = frame.set_index("local")["O3"].asfreq("h")
        running = hourly.rolling(8, min_periods=6).mean()  # labelled by the window's last hour
        windows = running[running.index.hour >= 7]  # windows ending 08:00 ... 24:00
        day = windows.groupby(windows.index.normalize())
        best = day.max().where(day.count() >= 14)
        parts.append(pd.DataFrame({"station_id": station, "date": best.index, "o3_8h": best.to_numpy()}))
    return pd.concat(parts).set_index(["station_id", "date"])["o3_8h"]


def _iaqi_cn(value: float, limits: list[float]) -> float:
    if math.isnan(value):
        return math.nan
    if value > limits[-1]:  # O3 8-hour above 800: no IAQI (Table 1 note 3); others: greenbri caps at 500
        return math.nan if limits is HJ633_TABLE_1["o3"] else 500.0
    for low, high, index_low, index_high in zip(limits, limits[1:], IAQI, IAQI[1:], strict=False):
        if value <= high:
            return math.ceil((index_high - index_low) / (high - low) * (value - low) + index_low - 1e-9)
    return math.nan


def _iaqi_us_pm25(value: float, table: list[tuple[float, float, int, int]] = US_PM25_2015) -> float:
    if math.isnan(value):
        return math.nan
    truncated = math.floor(value * 10 + 1e-7) / 10
    for number, (low, high, index_low, index_high) in enumerate(table):
        if truncated <= high or number == len(table) - 1:  # App. G 12(ii): extend the last band
            return math.floor(
                (index_high - index_low) / (high - low) * (truncated - low) + index_low + 0.5 + 1e-9
            )
    return math.nan


def _greenbri(series: DailySeries, key: str) -> pd.Series:
    index = pd.MultiIndex.from_product(
        [series.stations, pd.to_datetime(series.days)], names=["station_id", "date"]
    )
    return pd.Series(series.values[key].reshape(-1), index=index)


def test_all_twelve_stations_ingest(beijing_series: dict[str, DailySeries]) -> None:
    series = beijing_series["cn"]
    assert len(series.stations) == 12
    assert str(series.days[0]) == "2013-03-01" and str(series.days[-1]) == "2017-02-28"


@pytest.mark.parametrize("key", ["pm25", "pm10", "so2", "no2", "co", "o3_8h"])
def test_daily_values_match_the_reference(
    key: str, beijing_series: dict[str, DailySeries], reference: dict[str, pd.DataFrame]
) -> None:
    ours = _greenbri(beijing_series["cn"], key if key == "o3_8h" else f"{key}_24h")
    theirs = reference["cn"][key].reindex(ours.index)
    assert ours.isna().equals(theirs.isna())
    np.testing.assert_allclose(ours.dropna(), theirs.dropna(), rtol=1e-12)
    assert ours.notna().sum() > 15_000


def test_daily_cn_aqi_matches_the_reference(
    beijing_series: dict[str, DailySeries], reference: dict[str, pd.DataFrame]
) -> None:
    series = beijing_series["cn"]
    result = daily_aqi(series, "cn", fallback_engine="hj633-2012").result
    ours = pd.Series(result.aqi.reshape(-1), index=_greenbri(series, "pm25_24h").index)
    table = reference["cn"].reindex(ours.index)
    indices = pd.DataFrame(
        {
            key: table[key].map(lambda value, limits=limits: _iaqi_cn(value, limits))
            for key, limits in HJ633_TABLE_1.items()
        }
    )
    indices["o3"] = table["o3_8h"].map(lambda value: _iaqi_cn(value, HJ633_TABLE_1["o3"]))
    expected = indices.max(axis=1, skipna=True)
    np.testing.assert_array_equal(ours.to_numpy(), expected.to_numpy())
    assert set(result.engines) == {"hj633-2012"}


def test_daily_us_pm25_index_matches_the_reference(
    beijing_series: dict[str, DailySeries], reference: dict[str, pd.DataFrame]
) -> None:
    series = beijing_series["us"]
    result = daily_aqi(series, "us").result
    ours = pd.Series(result.sub_indices["pm25_24h"].reshape(-1), index=_greenbri(series, "pm25_24h").index)
    values = reference["us"]["pm25"].reindex(ours.index)
    dates = values.index.get_level_values("date")
    expected = [
        _iaqi_us_pm25(value, US_PM25_1999 if date < US_PM25_2012_FROM else US_PM25_2015)
        for value, date in zip(values, dates, strict=True)
    ]
    np.testing.assert_array_equal(ours.to_numpy(), np.asarray(expected))
    # the engine follows the date, no fallback needed: the 1999 PM2.5 rows until 2013-03-17
    assert (result.engine_at((0, 0)), result.engine_at((0, 17))) == ("us-epa-2010-so2", "us-epa-2012")
    assert sum(date < US_PM25_2012_FROM for date in dates) == 17 * len(series.stations)


LIMITS = [  # (standard, rules, key, pollutant, averaging, level, limit): values typed from each document
    ("cn-gb3095-2012", "cn", "pm25", "pm25", "24h", "grade_2", 75.0),
    ("cn-gb3095-2012", "cn", "pm10", "pm10", "24h", "grade_2", 150.0),
    ("cn-gb3095-2012", "cn", "so2", "so2", "24h", "grade_2", 150.0),
    ("cn-gb3095-2012", "cn", "no2", "no2", "24h", "grade_2", 80.0),
    ("cn-gb3095-2012", "cn", "co", "co", "24h", "grade_2", 4.0),
    ("cn-gb3095-2012", "cn", "o3_8h", "o3", "mda8", "grade_2", 160.0),
    ("who-aqg-2021", "cn", "pm25", "pm25", "24h", "AQG", 15.0),
    ("who-aqg-2021", "cn", "pm10", "pm10", "24h", "AQG", 45.0),
    ("us-naaqs", "us", "pm25", "pm25", "24h", "primary", 35.0),
    ("us-naaqs", "us", "pm10", "pm10", "24h", "primary", 150.0),
]


@pytest.mark.parametrize(("standard_id", "rules", "key", "pollutant", "averaging", "level", "limit"), LIMITS)
def test_exceedance_days_per_year_match_the_reference(
    standard_id: str,
    rules: str,
    key: str,
    pollutant: str,
    averaging: str,
    level: str,
    limit: float,
    beijing_series: dict[str, DailySeries],
    reference: dict[str, pd.DataFrame],
) -> None:
    values = reference[rules][key]
    above = values > limit * (1 + 1e-9)  # equal to the limit (to rounding) meets it
    expected = above.groupby([values.index.get_level_values(0), values.index.get_level_values(1).year]).sum()
    counted, _ = exceedance_days(beijing_series[rules], load_library().get(standard_id), levels=(level,))
    (found,) = [e for e in counted if e.limit.pollutant == pollutant and e.limit.averaging == averaging]
    assert found.limit.value == limit
    ours = pd.Series(
        found.exceedance_days.reshape(-1),
        index=pd.MultiIndex.from_product([beijing_series[rules].stations, found.years]),
    )
    assert ours.to_dict() == {index: int(count) for index, count in expected.items()}
