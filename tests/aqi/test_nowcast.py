"""NowCast for hourly PM (EPA "PM NowCast" fact sheet; EPA-454/B-24-002 section IV).

The worked example is EPA's own ("Computing the NowCast" training slides): 12 hourly PM2.5
values, oldest first, 50 80 75 90 82 53 64 74 21 10 16 13; range 80, scaled rate 80/90,
weight 1 - 80/90 = 0.11 -> floored to 0.5; NowCast 17.4 ug/m3.
"""

from __future__ import annotations

import numpy as np
import pytest

from greenbri.core.aqi import AqiInputError, compute_aqi, nowcast

EPA_EXAMPLE = [50, 80, 75, 90, 82, 53, 64, 74, 21, 10, 16, 13]


def test_epa_worked_example() -> None:
    value = nowcast(EPA_EXAMPLE)[-1]
    assert round(float(value), 1) == 17.4
    # Its AQI (2024 table): truncate to 17.4, 51 + 49/26.3 * 8.3 = 66.46 -> 66.
    assert compute_aqi("us", "2024-06-01", {"pm25_24h": [value]}).aqi.tolist() == [66]


def test_steady_air_gives_the_plain_average() -> None:
    # c_min == c_max: w = 1, the NowCast is the 12-hour average.
    assert nowcast([20.0] * 12)[-1] == pytest.approx(20.0)


def test_weight_between_half_and_one() -> None:
    # Hours ago 0 and 1 are 12 and 8: w = 8/12 = 0.667 (above the floor), two hours only.
    w = 8 / 12
    expected = (12 + w * 8) / (1 + w)
    assert nowcast([8.0, 12.0])[-1] == pytest.approx(expected)


def test_two_of_three_most_recent_hours_are_required() -> None:
    hours = np.array([10.0] * 12 + [np.nan, 10.0, np.nan])
    result = nowcast(hours)
    assert not np.isnan(result[11])
    assert not np.isnan(result[12])  # hours 12(missing), 11, 10 -> 2 valid
    assert not np.isnan(result[13])  # 13, 12(missing), 11 -> 2 valid
    assert np.isnan(result[14])  # 14(missing), 13, 12(missing) -> 1 valid
    assert np.isnan(nowcast([5.0])[0])  # one hour of history only


def test_missing_older_hours_are_skipped() -> None:
    hours = [np.nan] * 10 + [10.0, 30.0]
    w = max(10 / 30, 0.5)
    assert nowcast(hours)[-1] == pytest.approx((30 + w * 10) / (1 + w))


def test_stations_by_hours() -> None:
    rng = np.random.default_rng(7)
    data = rng.uniform(0, 100, size=(5, 48))
    table = nowcast(data)
    assert table.shape == (5, 48)
    for station in range(5):
        np.testing.assert_allclose(table[station], nowcast(data[station]))
    # Only the last 12 hours matter.
    changed = data.copy()
    changed[:, :30] = 999.0
    np.testing.assert_allclose(nowcast(changed)[:, 41:], table[:, 41:])


def test_zero_air() -> None:
    assert nowcast([0.0] * 12)[-1] == 0.0


def test_bad_shape() -> None:
    with pytest.raises(AqiInputError):
        nowcast(np.zeros((2, 3, 4)))
