"""US EPA AQI (40 CFR Part 58 Appendix G): both periods, every band edge, the special rules.

The bands below are transcribed by hand from Appendix G Table 2 as in force 2015-12-28 to
2024-05-05 (EPA-454/B-18-007 Table 5) and from 2024-05-06 (89 FR 16202; EPA-454/B-24-002
Table 6), independently of ``greenbri.core.aqi.us_epa``. Units: PM ug/m3, O3/CO ppm,
SO2/NO2 ppb.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from greenbri.core.aqi import compute_aqi

OLD, NEW = "2024-05-05", "2024-05-06"

COMMON = {
    "o3_8h": [
        (0.000, 0.054, 0, 50),
        (0.055, 0.070, 51, 100),
        (0.071, 0.085, 101, 150),
        (0.086, 0.105, 151, 200),
        (0.106, 0.200, 201, 300),
    ],
    "so2_1h": [(0, 35, 0, 50), (36, 75, 51, 100), (76, 185, 101, 150), (186, 304, 151, 200)],
}
BANDS_2015 = {
    **COMMON,
    "o3_1h": [
        (0.125, 0.164, 101, 150),
        (0.165, 0.204, 151, 200),
        (0.205, 0.404, 201, 300),
        (0.405, 0.504, 301, 400),
        (0.505, 0.604, 401, 500),
    ],
    "pm25_24h": [
        (0.0, 12.0, 0, 50),
        (12.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 150.4, 151, 200),
        (150.5, 250.4, 201, 300),
        (250.5, 350.4, 301, 400),
        (350.5, 500.4, 401, 500),
    ],
    "pm10_24h": [
        (0, 54, 0, 50),
        (55, 154, 51, 100),
        (155, 254, 101, 150),
        (255, 354, 151, 200),
        (355, 424, 201, 300),
        (425, 504, 301, 400),
        (505, 604, 401, 500),
    ],
    "co_8h": [
        (0.0, 4.4, 0, 50),
        (4.5, 9.4, 51, 100),
        (9.5, 12.4, 101, 150),
        (12.5, 15.4, 151, 200),
        (15.5, 30.4, 201, 300),
        (30.5, 40.4, 301, 400),
        (40.5, 50.4, 401, 500),
    ],
    "so2_24h": [(305, 604, 201, 300), (605, 804, 301, 400), (805, 1004, 401, 500)],
    "no2_1h": [
        (0, 53, 0, 50),
        (54, 100, 51, 100),
        (101, 360, 101, 150),
        (361, 649, 151, 200),
        (650, 1249, 201, 300),
        (1250, 1649, 301, 400),
        (1650, 2049, 401, 500),
    ],
}
BANDS_2024 = {
    **COMMON,
    "o3_1h": [
        (0.125, 0.164, 101, 150),
        (0.165, 0.204, 151, 200),
        (0.205, 0.404, 201, 300),
        (0.405, 0.604, 301, 500),
    ],
    "pm25_24h": [
        (0.0, 9.0, 0, 50),
        (9.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 125.4, 151, 200),
        (125.5, 225.4, 201, 300),
        (225.5, 325.4, 301, 500),
    ],
    "pm10_24h": [
        (0, 54, 0, 50),
        (55, 154, 51, 100),
        (155, 254, 101, 150),
        (255, 354, 151, 200),
        (355, 424, 201, 300),
        (425, 604, 301, 500),
    ],
    "co_8h": [
        (0.0, 4.4, 0, 50),
        (4.5, 9.4, 51, 100),
        (9.5, 12.4, 101, 150),
        (12.5, 15.4, 151, 200),
        (15.5, 30.4, 201, 300),
        (30.5, 50.4, 301, 500),
    ],
    "so2_24h": [(305, 604, 201, 300), (605, 1004, 301, 500)],
    "no2_1h": [
        (0, 53, 0, 50),
        (54, 100, 51, 100),
        (101, 360, 101, 150),
        (361, 649, 151, 200),
        (650, 1249, 201, 300),
        (1250, 2049, 301, 500),
    ],
}


def sub(day: str, key: str, values: list[float], **kwargs: object) -> list[float]:
    result = compute_aqi("us", day, {key: np.asarray(values, dtype=float)}, **kwargs)  # type: ignore[arg-type]
    return [float(v) for v in result.sub_indices[key].ravel()]


@pytest.mark.parametrize(("day", "bands"), [(OLD, BANDS_2015), (NEW, BANDS_2024)])
@pytest.mark.parametrize("key", sorted(BANDS_2024))
def test_every_band_edge(day: str, bands: dict[str, list[tuple[float, float, int, int]]], key: str) -> None:
    # C_lo of a band gives I_lo and C_hi gives I_hi (Equation 1 at the band's ends).
    for c_lo, c_hi, i_lo, i_hi in bands[key]:
        assert sub(day, key, [c_lo, c_hi]) == [i_lo, i_hi], (key, c_lo, c_hi)


@pytest.mark.parametrize(
    ("day", "key", "concentration", "expected"),
    [
        # Truncation before the lookup (Appendix G 12; AirNow "The AQI Equation").
        (NEW, "pm25_24h", 9.09, 50),  # -> 9.0 -> 50
        (NEW, "pm25_24h", 9.1, 51),
        (NEW, "pm25_24h", 12.0, 56),  # 51 + 49/26.3 * 2.9 = 56.40 -> 56
        (OLD, "pm25_24h", 12.0, 50),
        (OLD, "pm25_24h", 12.09, 50),
        (OLD, "pm25_24h", 12.1, 51),
        (NEW, "pm25_24h", 35.45, 100),  # -> 35.4
        (NEW, "pm10_24h", 54.9, 50),  # -> 54
        (NEW, "o3_8h", 0.0709, 100),  # -> 0.070
        (NEW, "o3_8h", 0.071, 101),
        (NEW, "o3_8h", 0.080, 133),  # 101 + 49/0.014 * 0.009 = 132.5 -> 133 (halves up)
        (NEW, "co_8h", 4.49, 50),  # -> 4.4
        (NEW, "so2_1h", 35.9, 50),  # -> 35
        (NEW, "no2_1h", 53.99, 50),  # -> 53
        (OLD, "pm25_24h", 10.2, 43),  # 50/12 * 10.2 = 42.5 -> 43 (nearest, halves up)
        (OLD, "co_8h", 1.1, 13),  # 50/4.4 * 1.1 = 12.5 -> 13
        (NEW, "so2_24h", 400, 232),  # 201 + 99/299 * 95 = 232.45 -> 232
    ],
)
def test_hand_computed_values(day: str, key: str, concentration: float, expected: int) -> None:
    assert sub(day, key, [concentration]) == [expected]


def test_pm25_date_switch() -> None:
    # 89 FR 16202: the 2024 table applies from 2024-05-06.
    result = compute_aqi("us", [OLD, NEW], {"pm25_24h": [12.0, 12.0]})
    assert result.aqi.tolist() == [50, 56]
    assert [result.engine_at(0), result.engine_at(1)] == ["us-epa-2015", "us-epa-2024"]


def test_beyond_the_top_extends_the_last_band() -> None:
    # Appendix G 12(ii). 2024: 301 + 199/99.9 * (425.4 - 225.5) = 699.2 -> 699.
    result = compute_aqi("us", NEW, {"pm25_24h": [325.4, 425.4]})
    assert result.aqi.tolist() == [500, 699]
    assert result.above_scale.tolist() == [False, True]
    # 2015 table: 401 + 99/149.9 * (600.4 - 350.5) = 566.05 -> 566.
    assert sub(OLD, "pm25_24h", [600.4]) == [566]
    assert sub(NEW, "pm25_24h", [425.4], beyond_scale="cap") == [500]
    assert math.isnan(sub(NEW, "pm25_24h", [425.4], beyond_scale="nan")[0])


def test_ozone_8h_above_0_200_needs_the_1h_value() -> None:
    # Table 2 footnote 2: 8-hour O3 does not define AQI >= 301; 1-hour O3 does.
    result = compute_aqi("us", NEW, {"o3_8h": [0.210, 0.210], "o3_1h": [0.410, np.nan]})
    assert result.aqi[0] == 306  # 301 + 199/0.199 * 0.005 = 306
    assert np.isnan(result.aqi[1])
    assert result.not_indexed["o3_8h"].tolist() == [True, True]


def test_ozone_1h_below_0_125_defines_nothing_and_max_is_reported() -> None:
    result = compute_aqi("us", NEW, {"o3_8h": [0.060, 0.080], "o3_1h": [0.100, 0.170]})
    # 8h 0.060: 51 + 49/0.015 * 0.005 = 67.3 -> 67; 1h 0.100 not defined.
    # 8h 0.080 -> 133; 1h 0.170: 151 + 49/0.039 * 0.005 = 157.3 -> 157: the larger is reported.
    assert result.aqi.tolist() == [67, 157]
    assert result.not_indexed["o3_1h"].tolist() == [True, False]
    assert result.primary_keys(1) == ("o3_1h",)


def test_so2_1h_above_304_needs_the_24h_value() -> None:
    # Table 2 footnote 3.
    result = compute_aqi("us", NEW, {"so2_1h": [400.0, 100.0], "so2_24h": [400.0, np.nan]})
    assert result.aqi[0] == 232
    # 1-hour 100 ppb: 101 + 49/109 * 24 = 111.8 -> 112.
    assert result.aqi[1] == 112
    assert result.not_indexed["so2_1h"].tolist() == [True, False]


def test_critical_pollutant_has_no_50_threshold() -> None:
    result = compute_aqi("us", NEW, {"pm25_24h": [4.5], "pm10_24h": [27.0]})
    # PM2.5 4.5: 50/9 * 4.5 = 25; PM10 27: 50/54 * 27 = 25: both critical.
    assert result.aqi.tolist() == [25]
    assert result.primary_keys(0) == ("pm10_24h", "pm25_24h")
    assert result.exceeding == {}


@pytest.mark.parametrize(
    ("pm25", "name_en", "rgb"),
    [
        (9.0, "Good", (0, 228, 0)),
        (9.1, "Moderate", (255, 255, 0)),
        (35.5, "Unhealthy for Sensitive Groups", (255, 126, 0)),
        (55.5, "Unhealthy", (255, 0, 0)),
        (125.5, "Very Unhealthy", (143, 63, 151)),
        (225.5, "Hazardous", (126, 0, 35)),
    ],
)
def test_categories(pm25: float, name_en: str, rgb: tuple[int, int, int]) -> None:
    # Appendix G Table 1; RGB from the TAD colour table.
    category = compute_aqi("us", NEW, {"pm25_24h": [pm25]}).category_at(0)
    assert category is not None
    assert (category.name_en, category.rgb) == (name_en, rgb)


def test_dates_before_2015_12_28_use_the_older_tables() -> None:
    # 2015-12-27 is in force for the 2012 PM2.5 rows (0.0-12.0 Good): 50*5/12 = 20.8 -> 21.
    result = compute_aqi("us", "2015-12-27", {"pm25_24h": [5.0]})
    assert (result.engine_at(0), result.aqi.tolist()) == ("us-epa-2012", [21])
