"""Trend of a yearly series: Theil-Sen slope with its confidence interval, and OLS with its standard error.

Theil-Sen (Theil 1950, Sen 1968): the slope is the median of the slopes between every pair of
points with different years; the intercept is the median of ``value - slope * year``. Its
confidence interval is Sen's distribution-free one: with ``N`` pairwise slopes sorted and
``C = z * sqrt(n (n - 1) (2 n + 5) / 18)`` (the standard deviation of Kendall's S without ties,
``z = 1.96`` for 95 %), the bounds are the slopes of rank ``(N - C) / 2`` and ``(N + C) / 2 + 1``
(1-based, rounded to the nearest rank and clipped to 1..N). With fewer than 3 points there is no
trend (:data:`MIN_POINTS`).

OLS: the least-squares slope and its standard error ``sqrt(SSE / (n - 2) / Sxx)``.
Both are computed with numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["MIN_POINTS", "Z_95", "Trend", "fit_trend", "recent_window"]

#: Fewest points a trend is fitted to.
MIN_POINTS = 3
#: Standard normal quantile for a two-sided 95 % interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Trend:
    """A fitted trend, slopes in units per year."""

    method: str
    points: int
    first_year: int
    last_year: int
    slope: float
    intercept: float
    slope_low: float
    slope_high: float
    ols_slope: float
    ols_standard_error: float | None

    def value_at(self, year: float) -> float:
        """The Theil-Sen line at ``year``."""
        return self.intercept + self.slope * year

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "points": self.points,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "slope_per_year": self.slope,
            "slope_low_95": self.slope_low,
            "slope_high_95": self.slope_high,
            "ols_slope_per_year": self.ols_slope,
            "ols_standard_error": self.ols_standard_error,
        }


def recent_window(
    years: Sequence[int], values: Sequence[float], window_years: int
) -> tuple[list[int], list[float]]:
    """The points of the last ``window_years`` calendar years up to the latest year, sorted by year."""
    if not years:
        return [], []
    last = max(years)
    pairs = sorted(
        (year, value) for year, value in zip(years, values, strict=True) if year > last - window_years
    )
    return [year for year, _ in pairs], [value for _, value in pairs]


def _rank_bound(position: float, count: int) -> int:
    return min(max(math.floor(position + 0.5), 1), count)


def fit_trend(years: Sequence[int], values: Sequence[float]) -> Trend | None:
    """Fit Theil-Sen and OLS to the series; ``None`` with fewer than :data:`MIN_POINTS` distinct years."""
    if len(set(years)) < MIN_POINTS:
        return None
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    first, second = np.triu_indices(len(x), k=1)
    keep = x[second] != x[first]
    slopes = np.sort((y[second] - y[first])[keep] / (x[second] - x[first])[keep])
    slope = float(np.median(slopes))
    intercept = float(np.median(y - slope * x))
    n = len(x)
    count = len(slopes)
    spread = Z_95 * math.sqrt(n * (n - 1) * (2 * n + 5) / 18.0)
    low = float(slopes[_rank_bound((count - spread) / 2.0, count) - 1])
    high = float(slopes[_rank_bound((count + spread) / 2.0 + 1.0, count) - 1])
    x_mean = float(x.mean())
    sxx = float(((x - x_mean) ** 2).sum())
    ols_slope = float(((x - x_mean) * (y - y.mean())).sum() / sxx)
    ols_intercept = float(y.mean() - ols_slope * x_mean)
    residuals = y - (ols_intercept + ols_slope * x)
    standard_error = math.sqrt(float((residuals**2).sum()) / (n - 2) / sxx) if n > 2 else None
    return Trend(
        method="theil-sen",
        points=n,
        first_year=int(x.min()),
        last_year=int(x.max()),
        slope=slope,
        intercept=intercept,
        slope_low=low,
        slope_high=high,
        ols_slope=ols_slope,
        ols_standard_error=standard_error,
    )
