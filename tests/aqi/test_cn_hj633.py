"""China HJ 633-2012: every table, every breakpoint, the notes of Table 1, categories, dates.

Expected values are transcribed here by hand from HJ 633-2012 Table 1 (IAQI 0, 50, 100,
150, 200, 300, 400, 500 against the concentration limits below), independently of the data
in ``greenbri.core.aqi.cn_hj633``; "just above" values are worked by hand with formula (1)
and the rounding-up rule (进位取整).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from greenbri.core.aqi import (
    NO_DATA,
    AqiInputError,
    DateOutOfCoverageError,
    compute_aqi,
    engine_by_id,
)

DAY = "2020-07-01"
IAQI = (0, 50, 100, 150, 200, 300, 400, 500)

# HJ 633-2012 Table 1 (ug/m3; CO mg/m3).
TABLE_1 = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),  # note (2): no IAQI above 800
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),  # note (3): no IAQI above 800
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
}


def iaqi(key: str, values: list[float], **kwargs: object) -> list[float]:
    result = compute_aqi("cn", DAY, {key: np.asarray(values, dtype=float)}, **kwargs)  # type: ignore[arg-type]
    return [float(v) for v in result.sub_indices[key].ravel()]


@pytest.mark.parametrize("key", sorted(TABLE_1))
def test_every_breakpoint_gives_its_iaqi(key: str) -> None:
    # Exactly on a breakpoint of Table 1 the IAQI is the IAQI of that column.
    limits = TABLE_1[key]
    assert iaqi(key, list(limits)) == list(IAQI[: len(limits)])


@pytest.mark.parametrize(
    ("key", "concentration", "expected"),
    [
        ("so2_24h", 51, 51),  # 50 + 50/100 * 1 = 50.5 -> up to 51
        ("so2_1h", 151, 51),  # 50 + 50/350 * 1 = 50.14 -> 51
        ("no2_24h", 41, 52),  # 50 + 50/40 * 1 = 51.25 -> 52
        ("no2_1h", 101, 51),  # 50 + 50/100 * 1 = 50.5 -> 51
        ("pm10_24h", 51, 51),  # 50 + 50/100 * 1 = 50.5 -> 51
        ("co_24h", 2.1, 53),  # 50 + 50/2 * 0.1 = 52.5 -> 53
        ("co_1h", 5.1, 51),  # 50 + 50/5 * 0.1 = 51 exactly (no spurious round-up)
        ("o3_1h", 161, 52),  # 50 + 50/40 * 1 = 51.25 -> 52
        ("o3_8h", 101, 51),  # 50 + 50/60 * 1 = 50.83 -> 51
        ("pm25_24h", 36, 52),  # 50 + 50/40 * 1 = 51.25 -> 52
        ("pm25_24h", 0.1, 1),  # 50/35 * 0.1 = 0.14 -> 1
        ("pm25_24h", 55, 75),  # 50 + 50/40 * 20 = 75 exactly
        ("co_24h", 2.2, 55),  # 50 + 25 * 0.2 = 55 exactly (float gives 55.000000000000004)
        ("o3_1h", 192.8, 91),  # 50 + 1.25 * 32.8 = 91 exactly
    ],
)
def test_just_above_a_breakpoint_rounds_up(key: str, concentration: float, expected: int) -> None:
    assert iaqi(key, [concentration]) == [expected]


@pytest.mark.parametrize(
    "key", ["so2_24h", "no2_24h", "no2_1h", "pm10_24h", "co_24h", "co_1h", "o3_1h", "pm25_24h"]
)
def test_top_of_the_scale_and_beyond(key: str) -> None:
    top = TABLE_1[key][-1]
    beyond = top * 1.2
    previous = TABLE_1[key][-2]
    assert iaqi(key, [top]) == [500]
    # HJ 633-2012 gives no index above 500; greenbri caps by default (documented policy).
    assert iaqi(key, [beyond]) == [500]
    assert math.isnan(iaqi(key, [beyond], beyond_scale="nan")[0])
    # Extrapolation continues the 400-500 band: 400 + 100 / (top - previous) * (beyond - previous).
    expected = math.ceil(round(400 + 100 / (top - previous) * (beyond - previous), 9))
    assert iaqi(key, [beyond], beyond_scale="extrapolate") == [expected]
    result = compute_aqi("cn", DAY, {key: [top, beyond]})
    assert result.above_scale.tolist() == [False, True]


def test_pm25_beyond_top_extrapolates_by_hand() -> None:
    # 400 + 100/150 * (600 - 350) = 566.67 -> 567
    assert iaqi("pm25_24h", [600.0], beyond_scale="extrapolate") == [567]


def test_so2_1h_above_800_uses_the_24h_value() -> None:
    # Table 1 note (2): SO2 1-hour above 800 gets no IAQI; the 24-hour IAQI is reported.
    result = compute_aqi("cn", DAY, {"so2_1h": [801.0, 100.0, 900.0], "so2_24h": [200.0, 200.0, np.nan]})
    # 200 ug/m3 24-hour: 100 + 50/325 * 50 = 107.7 -> 108.
    assert result.sub_indices["so2_24h"][0] == 108
    assert np.isnan(result.sub_indices["so2_1h"][0])
    assert result.not_indexed["so2_1h"].tolist() == [True, False, True]
    # Where the 1-hour value is indexed, the 24-hour value does not count: 100 ug/m3 -> 50/150*100 = 33.3 -> 34.
    assert result.aqi[1] == 34
    assert np.isnan(result.sub_indices["so2_24h"][1])
    # No 24-hour value: SO2 has no index at all.
    assert np.isnan(result.aqi[2])
    assert result.category[2] == NO_DATA
    assert result.present_count.tolist() == [1, 1, 0]


def test_o3_8h_above_800_uses_the_1h_value() -> None:
    # Table 1 note (3).
    result = compute_aqi("cn", DAY, {"o3_8h": [801.0, 801.0], "o3_1h": [300.0, np.nan]})
    assert result.aqi[0] == 150  # 1-hour 300 ug/m3 is exactly IAQI 150
    assert np.isnan(result.aqi[1])
    assert result.not_indexed["o3_8h"].tolist() == [True, True]


def test_o3_8h_at_800_is_still_indexed() -> None:
    assert iaqi("o3_8h", [800.0]) == [300]


def test_one_hour_and_24_hour_no2_cannot_be_mixed() -> None:
    # Table 1 note (1): 1-hour limits for the real-time report, 24-hour limits for the daily report.
    with pytest.raises(AqiInputError, match="note \\(1\\)"):
        compute_aqi("cn", DAY, {"no2_1h": [10.0], "no2_24h": [10.0]})


def test_pm_has_no_one_hour_table() -> None:
    with pytest.raises(AqiInputError, match="pm25_1h"):
        compute_aqi("cn", DAY, {"pm25_1h": [10.0]})


def test_primary_pollutants_only_above_50_and_all_ties() -> None:
    # PM2.5 75 and PM10 150 both give IAQI 100 (tie); NO2 24-hour 40 gives 50.
    result = compute_aqi(
        "cn",
        DAY,
        {"pm25_24h": [75.0, 35.0, 20.0], "pm10_24h": [150.0, 50.0, 10.0], "no2_24h": [40.0, 40.0, 40.0]},
    )
    assert result.aqi.tolist() == [100, 50, 50]
    assert result.primary_keys(0) == ("pm10_24h", "pm25_24h")
    assert result.primary_keys(1) == ()  # AQI 50 is not above 50: no primary pollutant
    assert result.primary_keys(2) == ()


def test_exceeding_pollutants_are_those_above_100() -> None:
    result = compute_aqi("cn", DAY, {"pm25_24h": [75.0, 76.0], "co_24h": [5.0, 1.0]})
    # PM2.5 76: 100 + 50/40 * 1 = 101.25 -> 102; CO 5 mg/m3: 100 + 50/10 * 1 = 105.
    assert result.sub_indices["pm25_24h"].tolist() == [100, 102]
    assert result.exceeding["pm25_24h"].tolist() == [False, True]
    assert result.exceeding["co_24h"].tolist() == [True, False]


@pytest.mark.parametrize(
    ("aqi_value", "pm25", "name_zh", "name_en", "rgb"),
    [
        (50, 35.0, "优", "Good", (0, 228, 0)),
        (52, 36.0, "良", "Moderate", (255, 255, 0)),
        (102, 76.0, "轻度污染", "Lightly Polluted", (255, 126, 0)),
        (152, 116.0, "中度污染", "Moderately Polluted", (255, 0, 0)),
        (201, 151.0, "重度污染", "Heavily Polluted", (153, 0, 76)),
        (301, 251.0, "严重污染", "Severely Polluted", (126, 0, 35)),
    ],
)
def test_categories_names_and_colours(
    aqi_value: int, pm25: float, name_zh: str, name_en: str, rgb: tuple[int, int, int]
) -> None:
    # HJ 633-2012 Table 2 (categories) and Appendix A (RGB).
    result = compute_aqi("cn", DAY, {"pm25_24h": [pm25]})
    assert result.aqi[0] == aqi_value
    category = result.category_at(0)
    assert category is not None
    assert (category.name_zh, category.name_en, category.rgb) == (name_zh, name_en, rgb)


def test_missing_pollutants_use_those_present() -> None:
    result = compute_aqi("cn", DAY, {"pm25_24h": [np.nan, 80.0, np.nan], "pm10_24h": [60.0, np.nan, np.nan]})
    # PM10 60: 50 + 0.5 * 10 = 55; PM2.5 80: 100 + 1.25 * 5 = 106.25 -> 107.
    assert result.aqi[:2].tolist() == [55, 107]
    assert result.present_count.tolist() == [1, 1, 0]
    assert np.isnan(result.aqi[2])
    assert result.category[2] == NO_DATA
    assert result.category_at(2) is None


def test_negative_concentration_is_not_indexed() -> None:
    result = compute_aqi("cn", DAY, {"pm25_24h": [-1.0]})
    assert np.isnan(result.aqi[0])
    assert result.not_indexed["pm25_24h"].tolist() == [True]


def test_engine_switches_on_2026_03_01_with_no_flag() -> None:
    # PM2.5 70 ug/m3. HJ 633-2012 Table 1: 35-75 -> 50-100: 50 + 50*35/40 = 93.75 -> 94.
    # HJ 633-2026 Table 3: 60-115 -> 100-150: 100 + 50*10/55 = 109.09 -> 110 (above 100, so published
    # with the other five pollutants missing, clause 5.3.1).
    result = compute_aqi("cn", ["2026-02-28", "2026-03-01"], {"pm25_24h": [70.0, 70.0]})
    assert result.aqi.tolist() == [94, 110]
    assert [result.engine_at(0), result.engine_at(1)] == ["hj633-2012", "hj633-2026"]
    assert engine_by_id("hj633-2026").verified


def test_fallback_is_explicit_and_recorded_for_dates_no_engine_covers() -> None:
    result = compute_aqi(
        "cn", ["2015-12-31", "2016-01-01"], {"pm25_24h": [10.0, 10.0]}, fallback_engine="hj633-2012"
    )
    # 50/35 * 10 = 14.3 -> 15 for both days, both computed by hj633-2012.
    assert result.aqi.tolist() == [15, 15]
    assert [result.engine_at(0), result.engine_at(1)] == ["hj633-2012", "hj633-2012"]


def test_dates_before_nationwide_implementation_are_refused() -> None:
    # HJ 633-2012 cover: implemented 2016-01-01.
    with pytest.raises(DateOutOfCoverageError, match="2015-12-31"):
        compute_aqi("cn", "2015-12-31", {"pm25_24h": [10.0]})
    assert compute_aqi("cn", "2016-01-01", {"pm25_24h": [10.0]}).aqi.tolist() == [15]
