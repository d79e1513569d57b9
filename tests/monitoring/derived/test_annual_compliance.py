"""Annual and percentile compliance of the 12 Beijing stations, checked against values computed here
independently with plain pandas from the raw files, following the cited rules (not greenbri's code):

* GB 3095-2026 clause 6.4 Table 4 (read in the scan; GB 3095-2012 Table 4 has the same numbers): a daily
  mean needs 20 valid hours; an annual statistic needs 324 valid daily values in the year and 27 in every
  month (25 in February).
* HJ 663-2013 Table 1: annual mean; 98th percentile of daily means for SO2 and NO2, 95th for PM10, PM2.5
  and CO, 90th of the O3 MDA8. Annex A: k = 1 + (n - 1) p, m = X(s) + (X(s+1) - X(s)) (k - s).
  Results rounded by GB/T 8170 (half to even): whole ug/m3, CO to 0.1 mg/m3.
* GB 3095-2012 Table 1 grade II, GB 3095-2026 Table 1 transitional grade II (PM2.5 30 / 60, PM10 60 / 120,
  CO 4, O3 160; read in the scan), WHO 2021 Table 0.1 AQG levels (99th percentile of daily values; O3 peak season = mean MDA8 of
  the 6 consecutive months with the highest mean).
* 40 CFR 50 App. N: quarterly means; a year counts with >= 75 % of days in every quarter; the 98th
  percentile is the value of rank floor(0.98 n) + 1 (ascending); 3-year averages, annual rounded to 0.1
  and 24-hour to 1 ug/m3 (half up).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from tests.monitoring.derived.test_beijing_independent import _mda8_hj663

from greenbri.adapters.standards_files import load_library
from greenbri.usecases.monitoring.annual_compliance import (
    DEFAULT_ASSESSMENTS,
    annual_compliance,
    parse_assessment,
)
from greenbri.usecases.monitoring.derived import DailySeries

COLUMNS = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO"}
MONTH_MINIMUM = {month: 25 if month == 2 else 27 for month in range(1, 13)}
#: (standard, pollutant, averaging) -> (limit, reduction, parameter); typed from each document.
CN_2012_GRADE_2 = {
    ("so2", "year"): (60, "mean", None), ("so2", "24h"): (150, "percentile", 98),
    ("no2", "year"): (40, "mean", None), ("no2", "24h"): (80, "percentile", 98),
    ("pm10", "year"): (70, "mean", None), ("pm10", "24h"): (150, "percentile", 95),
    ("pm25", "year"): (35, "mean", None), ("pm25", "24h"): (75, "percentile", 95),
    ("co", "24h"): (4, "percentile", 95), ("o3", "mda8"): (160, "percentile", 90),
}  # fmt: skip
#: GB 3095-2026 Table 1, transitional grade II (read in the scan, page 3). SO2 and NO2 are left out: the
#: library has no transitional SO2/NO2 rows yet (they are then not assessed, see the methodology page).
CN_2026_TRANSITION = {
    ("pm25", "year"): (30, "mean", None), ("pm25", "24h"): (60, "percentile", 95),
    ("pm10", "year"): (60, "mean", None), ("pm10", "24h"): (120, "percentile", 95),
    ("co", "24h"): (4, "percentile", 95), ("o3", "mda8"): (160, "percentile", 90),
}  # fmt: skip
WHO_AQG = {
    ("pm25", "year"): (5, "mean", None), ("pm25", "24h"): (15, "percentile", 99),
    ("pm10", "year"): (15, "mean", None), ("pm10", "24h"): (45, "percentile", 99),
    ("no2", "year"): (10, "mean", None), ("no2", "24h"): (25, "percentile", 99),
    ("so2", "24h"): (40, "percentile", 99), ("co", "24h"): (4, "percentile", 99),
    ("o3", "mda8"): (100, "percentile", 99), ("o3", "peak-season"): (60, "peak", 6),
}  # fmt: skip


@pytest.fixture(scope="module")
def daily(beijing: tuple[str, pd.DataFrame]) -> pd.DataFrame:
    """Independent daily values (20 valid hours; HJ 663 MDA8), index (station_id, date)."""
    wide = beijing[1].copy()
    wide["CO"] = wide["CO"] / 1000.0
    wide["date"] = wide["local"].dt.normalize()
    grouped = wide.groupby(["station_id", "date"])
    frame = pd.DataFrame(
        {key: grouped[column].mean().where(grouped[column].count() >= 20) for key, column in COLUMNS.items()}
    )
    frame["o3"] = _mda8_hj663(wide).reindex(frame.index)
    return frame


@pytest.fixture(scope="module")
def report(beijing_series: dict[str, DailySeries]) -> dict:
    items = [parse_assessment(text) for text in (*DEFAULT_ASSESSMENTS, "us-naaqs:primary")]
    return annual_compliance(beijing_series, items, load_library(), reference_conditions="cn-gb3095-2012")


def _hj663_percentile(values: np.ndarray, p: float) -> float:
    ordered = np.sort(values)
    k = 1 + (ordered.size - 1) * p / 100
    s = math.floor(k)
    upper = ordered[min(s, ordered.size - 1)]
    return float(ordered[s - 1] + (upper - ordered[s - 1]) * (k - s))


def _capture_ok(values: pd.Series) -> bool:
    valid = values.dropna()
    months = valid.groupby(valid.index.month).size()
    return len(valid) >= 324 and all(months.get(month, 0) >= need for month, need in MONTH_MINIMUM.items())


def _peak_season(values: pd.Series, months: int) -> float:
    monthly = values.groupby(values.index.month).agg(["sum", "count"])
    return max(
        monthly["sum"].iloc[first : first + months].sum()
        / monthly["count"].iloc[first : first + months].sum()
        for first in range(0, 13 - months)
    )


def _expected(values: pd.Series, year: int, reduction: str, parameter: float | None) -> float | None:
    """The statistic of one station-year, None when capture fails."""
    year_values = values[values.index.year == year]
    if not _capture_ok(year_values):
        return None
    valid = year_values.dropna().to_numpy()
    if reduction == "mean":
        return float(valid.mean())
    if reduction == "peak":
        return _peak_season(year_values, int(parameter or 6))
    return _hj663_percentile(valid, float(parameter or 0))


def _rows(report: dict, assessment: str) -> dict[tuple[str, int, str, str], dict]:
    return {
        (row["station"], row["year"], row["pollutant"], row["averaging"]): row
        for row in report["rows"]
        if row["assessment"] == assessment
    }


def _check(report: dict, daily: pd.DataFrame, assessment: str, limits: dict, rounding: bool) -> dict:
    """Compare every row of ``limits`` with the reference; returns (station, year) -> reference statuses."""
    rows = _rows(report, assessment)
    statuses: dict[tuple[str, int], list[str]] = {}
    for station, frame in daily.groupby(level=0):
        series = frame.droplevel(0)
        for year in range(2013, 2018):
            for (pollutant, averaging), (limit, reduction, parameter) in limits.items():
                row = rows[(station, year, pollutant, averaging)]
                expected = _expected(series[pollutant], year, reduction, parameter)
                assert row["limit"] == limit, (assessment, pollutant, averaging)
                if expected is None:
                    assert (row["status"], row["value"]) == ("insufficient", None), (station, year, pollutant)
                    status = "insufficient"
                else:
                    compared = expected
                    if rounding:
                        quantum = Decimal("0.1") if pollutant == "co" else Decimal(1)
                        compared = float(Decimal(repr(expected)).quantize(quantum, rounding=ROUND_HALF_EVEN))
                    status = "meets" if compared <= limit else "exceeds"
                    assert row["value_unrounded"] == pytest.approx(expected, rel=1e-9, abs=1e-4)
                    assert row["value"] == pytest.approx(compared, abs=1e-4), (station, year, pollutant)
                    assert row["status"] == status, (station, year, pollutant, averaging)
                statuses.setdefault((station, year), []).append(status)
    return statuses


def _verdict(statuses: list[str]) -> str:
    if "exceeds" in statuses:
        return "exceeds"
    return "insufficient" if "insufficient" in statuses else "meets"


def _verdicts(report: dict, assessment: str) -> dict[tuple[str, int], str]:
    return {
        (v["station"], v["year"]): v["verdict"] for v in report["verdicts"] if v["assessment"] == assessment
    }


def test_gb3095_2012_grade_2_rows_and_verdicts_match_the_reference(report: dict, daily: pd.DataFrame) -> None:
    statuses = _check(report, daily, "cn-gb3095-2012:grade_2", CN_2012_GRADE_2, rounding=True)
    verdicts = _verdicts(report, "cn-gb3095-2012:grade_2")
    assert len(verdicts) == 12 * 5
    assert verdicts == {key: _verdict(found) for key, found in statuses.items()}
    # 2013 (from March) and 2017 (to February) can never meet the capture rule
    assert {verdicts[(station, 2013)] for station, _ in verdicts} == {"insufficient"}
    assert {verdicts[(station, 2017)] for station, _ in verdicts} == {"insufficient"}
    assert sum(verdict == "exceeds" for verdict in verdicts.values()) >= 20


def test_a_full_year_that_fails_a_month_is_insufficient_never_compared(
    report: dict, daily: pd.DataFrame
) -> None:
    """Dongsi 2016: more than 324 valid PM2.5 days, but July has 24 (< 27): not compared."""
    pm25 = daily.loc["bj-dongsi", "pm25"]
    year = pm25[pm25.index.year == 2016].dropna()
    assert len(year) >= 324 and (year.index.month == 7).sum() == 24
    row = _rows(report, "cn-gb3095-2012:grade_2")[("bj-dongsi", 2016, "pm25", "year")]
    assert row["status"] == "insufficient" and row["value"] is None and row["value_unrounded"] is None
    assert row["valid_days"] == len(year) and "2016-07: 24 of 27" in row["reason"]
    assert row["status_label"] == {"en": "INSUFFICIENT DATA", "zh": "数据不足"}
    verdict = next(
        v
        for v in report["verdicts"]
        if (v["assessment"], v["station"], v["year"]) == ("cn-gb3095-2012:grade_2", "bj-dongsi", 2016)
    )
    assert verdict["verdict"] == "insufficient" and "pm25 year" in verdict["insufficient"]
    assert verdict["verdict_label"]["zh"] == "数据不足" and not verdict["exceeded"]


def test_gb3095_2026_transitional_rows_match_the_reference(report: dict, daily: pd.DataFrame) -> None:
    statuses = _check(report, daily, "cn-gb3095-2026:grade_2@transition", CN_2026_TRANSITION, rounding=True)
    verdicts = _verdicts(report, "cn-gb3095-2026:grade_2@transition")
    for key, found in statuses.items():
        if "exceeds" in found:
            assert verdicts[key] == "exceeds", key
    rows = _rows(report, "cn-gb3095-2026:grade_2@transition")
    row = rows[("bj-dongsi", 2015, "pm25", "year")]
    # GB 3095-2026 is in force from 2026-03-01: a 2015 year is assessed against it as a yardstick
    assert row["in_force"] is False and row["limits_as_of"] == "2026-03-01" and row["phase"] == "transition"


def test_who_2021_rows_and_verdicts_match_the_reference(report: dict, daily: pd.DataFrame) -> None:
    statuses = _check(report, daily, "who-aqg-2021:AQG", WHO_AQG, rounding=False)
    assert _verdicts(report, "who-aqg-2021:AQG") == {key: _verdict(found) for key, found in statuses.items()}


def _app_n_year(values: pd.Series, year: int) -> tuple[float, float] | None:
    """(annual mean of quarterly means, 98th percentile by rank) of a complete year, else None."""
    days = values[values.index.year == year]
    quarters = days.groupby(days.index.quarter)
    counts = quarters.count()
    for quarter in range(1, 5):
        first = pd.Timestamp(year=year, month=3 * quarter - 2, day=1)
        length = (first + pd.DateOffset(months=3) - first).days
        if counts.get(quarter, 0) < 0.75 * length:
            return None
    valid = np.sort(days.dropna().to_numpy())
    rank = math.floor(0.98 * valid.size) + 1
    return float(quarters.mean().mean()), float(valid[rank - 1])


def test_us_pm25_design_values_match_app_n(report: dict, beijing: tuple[str, pd.DataFrame]) -> None:
    wide = beijing[1]
    grouped = wide.assign(date=wide["local"].dt.normalize()).groupby(["station_id", "date"])["PM2.5"]
    pm25 = grouped.mean().where(grouped.count() >= 18)  # App. N 3.0(c): 18 of 24 hours
    rows = _rows(report, "us-naaqs:primary")
    checked = 0
    for station, values in pm25.groupby(level=0):
        series = values.droplevel(0)
        years = {year: _app_n_year(series, year) for year in range(2013, 2018)}
        for end in range(2013, 2018):
            window = [years.get(year) for year in range(end - 2, end + 1)]
            annual, daily98 = rows[(station, end, "pm25", "year")], rows[(station, end, "pm25", "24h")]
            if any(item is None for item in window):
                assert annual["status"] == daily98["status"] == "insufficient"
                continue
            mean = sum(item[0] for item in window) / 3  # type: ignore[index]
            p98 = sum(item[1] for item in window) / 3  # type: ignore[index]
            assert annual["value"] == float(
                Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            )
            assert daily98["value"] == float(Decimal(repr(p98)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            assert annual["status"] == "exceeds" and annual["limit"] == 12.0
            checked += 1
    assert checked >= 6  # 2016 (2014-2016) for most stations


def _mda8_us(frame: pd.DataFrame) -> pd.Series:
    """App. U MDA8 in ppm: 8-hour means starting 07:00 ... 23:00 (6 of 8 hours), day valid with 13 of 17."""
    hourly = frame.set_index("local")["O3"].asfreq("h")
    forward = hourly[::-1].rolling(8, min_periods=6).mean()[::-1]  # labelled by the window's first hour
    windows = forward[forward.index.hour >= 7]
    day = windows.groupby(windows.index.normalize())
    best = day.max().where(day.count() >= 13)
    # ug/m3 at 273 K and 101.325 kPa (GB 3095-2012 clause 3.14 before 2018-09-01, "273 K" as written)
    # to ppm: x R T / (P M) / 1000
    molar_volume = 8.314462618 * 273.0 / 101.325  # L/mol
    return best * molar_volume / (3 * 15.999) / 1000


def test_us_ozone_design_values_match_app_u(report: dict, beijing: tuple[str, pd.DataFrame]) -> None:
    rows = _rows(report, "us-naaqs:primary")
    checked = 0
    for station, frame in beijing[1].groupby("station_id"):
        mda8 = _mda8_us(frame)
        fourth, share = {}, {}
        for year in range(2013, 2018):
            values = mda8[mda8.index.year == year]
            length = 366 if year % 4 == 0 else 365
            share[year] = values.count() / length
            fourth[year] = float(values.dropna().sort_values(ascending=False).iloc[3])
        for end in range(2015, 2018):
            window = range(end - 2, end + 1)
            row = rows[(station, end, "o3", "mda8")]
            complete = (
                all(share[year] >= 0.75 for year in window) and sum(share[y] for y in window) / 3 >= 0.9
            )
            if not complete:
                assert row["status"] == "insufficient", (station, end)
                continue
            expected = sum(fourth[year] for year in window) / 3
            assert row["value_unrounded"] == pytest.approx(expected, rel=1e-4), (station, end)
            assert row["value"] == math.floor(expected * 1000 + 1e-9) / 1000  # truncated to 0.001 ppm
            assert row["status"] == ("exceeds" if row["value"] > 0.070 else "meets")
            checked += 1
    assert checked >= 12
