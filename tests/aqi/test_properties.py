"""Properties (hypothesis): AQI is monotone in each concentration; sub-indices are continuous in a band."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core.aqi import compute_aqi, piecewise_index
from greenbri.core.aqi.cn_hj633 import HJ633_2012, HJ633_2026
from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.registry import engine_by_id
from greenbri.core.aqi.us_epa import US_EPA_2015, US_EPA_2024

# Keys whose index stops at a "not defined" top are drawn only up to that top (above it the
# standard hands over to another averaging period, which is not monotone by design).
CN_DAILY = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_1h", "o3_8h")
# HJ 633-2026 Table 3 note a: the daily report has no O3 1-hour value (and all six pollutants,
# so clause 5.3.1 never withholds here).
CN_2026_DAILY = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h")
US_KEYS = ("o3_8h", "o3_1h", "pm25_24h", "pm10_24h", "co_8h", "so2_1h", "no2_1h")
US_1999_KEYS = ("o3_8h", "o3_1h", "pm25_24h", "pm10_24h", "co_8h", "so2_24h", "no2_1h")

ENGINE_DAYS = {
    "cn": [(HJ633_2012, "2020-01-01", CN_DAILY), (HJ633_2026, "2026-06-01", CN_2026_DAILY)],
    "us": [
        (engine_by_id("us-epa-1999"), "2005-01-01", US_1999_KEYS),
        (engine_by_id("us-epa-2008"), "2009-01-01", US_1999_KEYS),
        (engine_by_id("us-epa-2012"), "2014-01-01", US_KEYS),
        (US_EPA_2015, "2020-01-01", US_KEYS),
        (US_EPA_2024, "2025-01-01", US_KEYS),
    ],
}


def _upper(engine: Engine, key: str) -> float:
    table = engine.tables[key]
    top = float(table.column("c_hi")[-1])
    return top if table.top == "not_defined" else top * 1.3


def _draw(engine: Engine, keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries(
        {key: st.floats(0, _upper(engine, key), allow_nan=False, allow_infinity=False) for key in keys}
    )


@settings(max_examples=150, deadline=None)
@given(data=st.data(), standard=st.sampled_from(["cn", "us"]))
def test_aqi_is_monotone_in_each_concentration(data: st.DataObject, standard: str) -> None:
    engine, day, keys = data.draw(st.sampled_from(ENGINE_DAYS[standard]))
    base = data.draw(_draw(engine, keys))
    key = data.draw(st.sampled_from(keys))
    higher = data.draw(st.floats(base[key], _upper(engine, key), allow_nan=False))
    raised = {**base, key: higher}
    before = compute_aqi(standard, day, {k: [v] for k, v in base.items()}).aqi[0]
    after = compute_aqi(standard, day, {k: [v] for k, v in raised.items()}).aqi[0]
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_cn_iaqi_is_continuous(data: st.DataObject) -> None:
    # HJ 633-2012 bands share their breakpoints: the unrounded IAQI is Lipschitz with the
    # steepest band's slope, across breakpoints too.
    key = data.draw(st.sampled_from(sorted(HJ633_2012.tables)))
    table = HJ633_2012.tables[key]
    top = float(table.column("c_hi")[-1])
    c = data.draw(st.floats(0, top, allow_nan=False))
    step = data.draw(st.floats(0, top / 100, allow_nan=False))
    high = min(c + step, top)
    low_index, high_index = piecewise_index([c, high], table).value
    assert 0 <= high_index - low_index <= float(table.column("slope").max()) * (high - c) + 1e-9


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_us_index_is_continuous_within_a_band(data: st.DataObject) -> None:
    engine = data.draw(st.sampled_from([US_EPA_2015, US_EPA_2024]))
    key = data.draw(st.sampled_from(sorted(engine.tables)))
    table = engine.tables[key]
    band = data.draw(st.integers(0, len(table.rows) - 1))
    row = table.rows[band]
    decimals = table.truncate_decimals or 0
    grid = np.round(np.arange(row.c_lo, row.c_hi + 10.0**-decimals / 2, 10.0**-decimals), decimals)
    points = data.draw(st.lists(st.sampled_from(grid.tolist()), min_size=2, max_size=2))
    low, high = sorted(points)
    low_index, high_index = piecewise_index([low, high], table).value
    slope = (row.i_hi - row.i_lo) / (row.c_hi - row.c_lo)
    assert abs((high_index - low_index) - slope * (high - low)) < 1e-6
