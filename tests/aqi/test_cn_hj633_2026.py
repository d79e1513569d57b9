"""China HJ 633-2026: Table 3, notes a-c, clauses 4.2.2, 4.2.6 and 5.3.1, the 2026-03-01 switch.

Expected values are typed here by hand from the scan of HJ 633-2026
(``../shared/standards/hj-633-2026.pdf``, page 3, Table 3), independently of the data in
``greenbri.core.aqi.cn_hj633``; "just above" values are worked by hand with formula (1),
the GB/T 8170 rounding of concentrations (clause 4.2.2: integers, CO one decimal, halves to
even) and the rounding up of IAQI and AQI (clause 4.2.6).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenbri.core.aqi import NO_DATA, AqiInputError, compute_aqi, engine_by_id, round_half_even
from greenbri.core.aqi.registry import engine_in_force

DAY = "2026-06-01"
IAQI = (0, 50, 100, 150, 200, 300, 400, 500)

# HJ 633-2026 Table 3 (ug/m3; CO mg/m3), read from the page image.
TABLE_3 = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),  # note b: above 800 counts as 200
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_8h": (0, 100, 160, 215, 265, 800),  # note c: above 800 counts as 300
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "pm10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
    "pm25_24h": (0, 35, 60, 115, 150, 250, 350, 500),
}
# One daily report with all six pollutants and an AQI of 60 (PM2.5 40 -> 50 + 50*5/25 = 60).
COMPLETE_DAY = {
    "pm25_24h": 40.0,  # 60
    "pm10_24h": 40.0,  # 50*40/50 = 40
    "so2_24h": 10.0,  # 50*10/50 = 10
    "no2_24h": 20.0,  # 50*20/40 = 25
    "co_24h": 0.5,  # 50*0.5/2 = 12.5 -> 13
    "o3_8h": 50.0,  # 50*50/100 = 25
}


def iaqi(key: str, values: list[float]) -> list[float]:
    result = compute_aqi("cn", DAY, {key: np.asarray(values, dtype=float)})
    return [float(v) for v in result.sub_indices[key].ravel()]


@pytest.mark.parametrize("key", sorted(TABLE_3))
def test_every_breakpoint_of_table_3_gives_its_iaqi(key: str) -> None:
    limits = TABLE_3[key]
    assert iaqi(key, list(limits)) == list(IAQI[: len(limits)])


@pytest.mark.parametrize(
    ("key", "concentration", "expected"),
    [
        # PM2.5: the IAQI 100 breakpoint moved from 75 (2012) to 60 (Table 3)
        ("pm25_24h", 60.0, 100),
        ("pm25_24h", 61.0, 101),  # 100 + 50*1/55 = 100.9 -> 101
        ("pm25_24h", 60.4, 100),  # clause 4.2.2: 60.4 -> 60 first (unrounded it would give 100.7 -> 101)
        ("pm25_24h", 60.5, 100),  # GB/T 8170: an exact half goes to the even integer, 60
        ("pm25_24h", 61.5, 102),  # -> 62: 100 + 50*2/55 = 101.8 -> 102
        ("pm25_24h", 75.0, 114),  # the old breakpoint: 100 + 50*15/55 = 113.6 -> 114 (HJ 633-2012: 100)
        ("pm25_24h", 36.0, 52),  # 50 + 50*1/25 = 52 exactly (no rounding up of an integer)
        ("pm25_24h", 10.0, 15),  # 50*10/35 = 14.29 -> 15 (clause 4.2.6)
        # PM10: the IAQI 100 breakpoint moved from 150 (2012) to 120
        ("pm10_24h", 120.0, 100),
        ("pm10_24h", 121.0, 101),  # 100 + 50*1/130 = 100.4 -> 101
        ("pm10_24h", 100.0, 86),  # 50 + 50*50/70 = 85.7 -> 86
        ("pm10_24h", 150.0, 112),  # the old breakpoint: 100 + 50*30/130 = 111.5 -> 112 (HJ 633-2012: 100)
        # CO to one decimal by GB/T 8170 (clause 4.2.2)
        ("co_24h", 2.05, 50),  # -> 2.0 (0 is even): 50; unrounded 51.25 -> 52
        ("co_24h", 2.15, 55),  # -> 2.2 (1 is odd, goes up): 50 + 25*0.2 = 55
        ("co_24h", 2.25, 55),  # -> 2.2 (2 is even)
        ("co_24h", 2.26, 58),  # -> 2.3: 50 + 25*0.3 = 57.5 -> 58
        # notes b and c
        ("so2_1h", 801.0, 200),
        ("so2_1h", 5000.0, 200),
        ("o3_8h", 801.0, 300),
        ("o3_8h", 1500.0, 300),
    ],
)
def test_hand_computed_values(key: str, concentration: float, expected: int) -> None:
    assert iaqi(key, [concentration]) == [expected]


def test_notes_b_and_c_are_not_beyond_the_scale() -> None:
    # Table 3 notes b and c give an index: not "not indexed" and not "above the scale"
    result = compute_aqi("cn", DAY, {"so2_1h": [900.0], "pm25_24h": [200.0]})
    assert result.sub_indices["so2_1h"].tolist() == [200]
    assert not result.not_indexed["so2_1h"][0] and not result.above_scale[0]
    # PM2.5 200: 200 + 100*50/100 = 250 -> AQI 250, SO2 200 is not primary
    assert result.aqi.tolist() == [250] and result.primary_keys(0) == ("pm25_24h",)


def test_one_hour_and_daily_values_of_a_pollutant_cannot_be_mixed() -> None:
    # Table 3 note a: 1-hour limits of SO2, NO2, CO and O3 are for the real-time report only
    for group in (("so2_1h", "so2_24h"), ("o3_1h", "o3_8h"), ("co_1h", "co_24h"), ("no2_1h", "no2_24h")):
        with pytest.raises(AqiInputError, match="note a"):
            compute_aqi("cn", DAY, {key: [10.0] for key in group})


def test_complete_report_publishes_every_aqi() -> None:
    result = compute_aqi("cn", DAY, {key: [value] for key, value in COMPLETE_DAY.items()})
    assert result.aqi.tolist() == [60]
    assert result.sub_indices["co_24h"].tolist() == [13]
    assert result.primary_keys(0) == ("pm25_24h",)
    assert not result.withheld[0]


@pytest.mark.parametrize(
    ("change", "aqi", "withheld"),
    [
        ({"co_24h": math.nan}, None, True),  # 5.3.1: CO missing, AQI 60 <= 100 -> NA
        ({"co_24h": -1.0}, None, True),  # a negative value has no index: missing too
        ({"co_24h": math.nan, "pm25_24h": 60.0}, None, True),  # AQI 100 is not above 100
        ({"co_24h": math.nan, "pm25_24h": 61.0}, 101, False),  # above 100: published
        ({"co_24h": math.nan, "pm25_24h": 80.0}, 119, False),  # 100 + 50*20/55 = 118.2 -> 119
    ],
)
def test_clause_5_3_1_missing_pollutant(change: dict[str, float], aqi: int | None, withheld: bool) -> None:
    day = {key: [value] for key, value in {**COMPLETE_DAY, **change}.items()}
    result = compute_aqi("cn", DAY, day)
    assert bool(result.withheld[0]) is withheld
    if aqi is None:
        assert math.isnan(result.aqi[0])
        assert result.category.tolist() == [NO_DATA] and result.primary_keys(0) == ()
        assert result.sub_indices["pm25_24h"][0] >= 60  # the single pollutants' indices are still reported
    else:
        assert result.aqi.tolist() == [aqi] and result.primary_keys(0) == ("pm25_24h",)


def test_nothing_present_is_no_data_not_withheld() -> None:
    result = compute_aqi("cn", DAY, {"pm25_24h": [math.nan]})
    assert math.isnan(result.aqi[0]) and not result.withheld[0]


def test_hj633_2012_dates_are_not_withheld() -> None:
    # clause 5.3.1 is new in HJ 633-2026: the same lone PM2.5 on 2026-02-28 gives 50 + 50*5/40 = 56.25 -> 57
    result = compute_aqi("cn", ["2026-02-28", "2026-03-01"], {"pm25_24h": [40.0, 40.0]})
    assert result.aqi[0] == 57 and math.isnan(result.aqi[1])
    assert result.withheld.tolist() == [False, True]


def test_engine_in_force_and_categories_from_the_scan() -> None:
    engine = engine_in_force("cn", dt.date(2026, 3, 1))
    assert engine is engine_by_id("hj633-2026")
    assert engine_in_force("cn", dt.date(2026, 2, 28)) is engine_by_id("hj633-2012")
    # Table A.1 (RGB) and Table 1 (names)
    rgb = [c.rgb for c in engine.categories]
    assert rgb == [(0, 228, 0), (255, 255, 0), (255, 126, 0), (255, 0, 0), (153, 0, 76), (126, 0, 35)]
    assert [c.name_zh for c in engine.categories] == [
        "优",
        "良",
        "轻度污染",
        "中度污染",
        "重度污染",
        "严重污染",
    ]
    assert all(table.citation.verification == "primary" for table in engine.tables.values())


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=2))
def test_gbt8170_rounding_of_an_exact_half_goes_to_even(whole: int, decimals: int) -> None:
    step = 10.0**-decimals
    half = (whole + 0.5) * step  # a decimal half, stored as the nearest binary number
    expected = whole if whole % 2 == 0 else whole + 1
    assert round_half_even([half], decimals)[0] == pytest.approx(expected * step, abs=step / 1000)


@given(st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_o3_8h_index_never_decreases_past_800(concentration: float) -> None:
    values = iaqi("o3_8h", [concentration, concentration + 1.0])
    assert values[0] <= values[1] <= 300


def test_completeness_counts_only_the_required_pollutants() -> None:
    # An engine requiring only PM2.5 and PM10 (a variant of HJ 633-2026): SO2 given in addition
    # neither completes nor breaks the set. PM2.5 40 -> 60, PM10 40 -> 40, SO2 10 -> 10.
    from dataclasses import replace

    from greenbri.core.aqi.compute import _summarise

    engine = replace(engine_by_id("hj633-2026"), required_pollutants=frozenset({"pm25", "pm10"}))
    nan = math.nan
    rounded = {
        "pm25_24h": np.array([60.0, 60.0]),
        "pm10_24h": np.array([40.0, nan]),
        "so2_24h": np.array([10.0, 10.0]),
    }
    flags = {key: np.zeros(2, dtype=bool) for key in rounded}
    partial = _summarise(engine, rounded, np.zeros(2, dtype=bool), flags)
    assert partial.withheld.tolist() == [False, True]
    assert partial.aqi[0] == 60 and math.isnan(partial.aqi[1])
