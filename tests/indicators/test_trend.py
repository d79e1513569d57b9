"""Theil-Sen and OLS on hand-computed series."""

from __future__ import annotations

import pytest

from greenbri.core.indicators.trend import fit_trend, recent_window


def test_exact_line_has_that_slope_and_zero_error() -> None:
    trend = fit_trend([2000, 2001, 2002, 2003], [10.0, 12.0, 14.0, 16.0])
    assert trend is not None
    assert trend.slope == pytest.approx(2.0)
    assert trend.intercept == pytest.approx(10.0 - 2.0 * 2000)
    assert trend.ols_slope == pytest.approx(2.0)
    assert trend.ols_standard_error == pytest.approx(0.0, abs=1e-12)
    assert trend.slope_low == trend.slope_high == pytest.approx(2.0)


def test_theil_sen_ignores_one_outlier_by_hand() -> None:
    # Pairwise slopes of (0,0),(1,1),(2,2),(3,30): 1, 1, 10, 1, 14.5, 28 -> sorted 1,1,1,10,14.5,28, median 5.5.
    trend = fit_trend([0, 1, 2, 3], [0.0, 1.0, 2.0, 30.0])
    assert trend is not None
    assert trend.slope == pytest.approx(5.5)
    # OLS: x mean 1.5, y mean 8.25, Sxy = (-1.5)(-8.25)+(-0.5)(-7.25)+(0.5)(-6.25)+(1.5)(21.75) = 45.5, Sxx = 5.
    assert trend.ols_slope == pytest.approx(9.1)
    # Sen's interval with n = 4: C = 1.96 * sqrt(4*3*13/18) = 5.77; ranks (6-5.77)/2 -> 1 and (6+5.77)/2+1 -> 7 -> 6.
    assert (trend.slope_low, trend.slope_high) == (pytest.approx(1.0), pytest.approx(28.0))


def test_too_few_points_gives_no_trend() -> None:
    assert fit_trend([2020, 2021], [1.0, 2.0]) is None
    assert fit_trend([2020, 2020, 2020], [1.0, 2.0, 3.0]) is None


def test_recent_window_keeps_the_last_years() -> None:
    years, values = recent_window([2015, 2010, 2020, 2018], [1.0, 0.0, 3.0, 2.0], 5)
    assert years == [2018, 2020] and values == [2.0, 3.0]
