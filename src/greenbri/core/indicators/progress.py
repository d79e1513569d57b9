"""Progress towards a target: distance, required versus observed rate, projection and status.

Method (documented in ``docs/methodology/indicators.md``):

1. The latest observation (year ``y0``, value ``v0``) is judged against the target under the
   target's rounding rule. If it meets it: ``achieved``.
2. Otherwise, if ``y0`` is already past the target year: ``off_track`` (missed).
3. The trend is fitted by Theil-Sen to the observations of the last ``window_years`` years up to
   ``y0`` (:func:`~greenbri.core.indicators.trend.fit_trend`). With fewer than 3 points:
   ``insufficient_data``.
4. Projection to the target year: the Theil-Sen line; its interval uses the 95 % bounds of the
   slope, pivoting on the line's value at ``y0``.
5. Status: ``on_track`` if the central projection and the pessimistic end of the interval both meet
   the target; ``at_risk`` if only the central projection or only the optimistic end does;
   ``off_track`` otherwise.

No data at all is ``insufficient_data``: missing data is never counted as progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from greenbri.core.indicators.targets import Target, apply_rounding, meets
from greenbri.core.indicators.trend import Trend, fit_trend, recent_window

__all__ = ["STATUSES", "Evaluation", "evaluate_target", "progress_fraction"]

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "insufficient_data")
DEFAULT_WINDOW_YEARS = 10


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of one target against one series."""

    target: Target
    status: str
    reason: str
    latest_year: int | None = None
    latest_value: float | None = None
    judged_value: str | None = None
    distance: float | None = None
    required_rate: float | None = None
    observed_rate: float | None = None
    projection: float | None = None
    projection_low: float | None = None
    projection_high: float | None = None
    progress: float | None = None
    trend: Trend | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.id,
            "indicator": self.target.indicator,
            "scope": self.target.scope,
            "status": self.status,
            "reason": self.reason,
            "latest_year": self.latest_year,
            "latest_value": self.latest_value,
            "judged_value": self.judged_value,
            "rounding": self.target.rounding,
            "distance_to_target": self.distance,
            "required_rate_per_year": self.required_rate,
            "observed_rate_per_year": self.observed_rate,
            "projection_target_year": self.projection,
            "projection_low_95": self.projection_low,
            "projection_high_95": self.projection_high,
            "progress_from_baseline": self.progress,
            "trend": self.trend.to_dict() if self.trend else None,
            "uncertain_target": self.target.uncertain,
        }


def progress_fraction(baseline: float, latest: float, target: float) -> float | None:
    """Share of the way from ``baseline`` to ``target``: 0 at the baseline, 1 at the target."""
    if baseline == target:
        return None
    return (latest - baseline) / (target - baseline)


def _baseline(target: Target, years: Sequence[int], values: Sequence[float]) -> float | None:
    if target.baseline_value is not None:
        return float(target.baseline_value)
    if target.baseline_year is not None and target.baseline_year in years:
        return float(values[list(years).index(target.baseline_year)])
    return None


def physical_range(unit: str) -> tuple[float | None, float | None]:
    """The values a quantity in ``unit`` can take: shares (``%...``) 0-100, concentrations (``...g/m3``,
    ``µg/m³``) and counts of persons or hectares at least 0; otherwise unbounded (emissions, indices of
    change and the like may be negative)."""
    text = unit.strip().lower()
    if text.startswith("%"):
        return 0.0, 100.0
    if "g/m" in text or text in ("persons", "ha"):
        return 0.0, None
    return None, None


def _within(value: float, bounds: tuple[float | None, float | None]) -> float:
    low, high = bounds
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def evaluate_target(
    target: Target,
    years: Sequence[int],
    values: Sequence[float],
    *,
    window_years: int = DEFAULT_WINDOW_YEARS,
    bounds: tuple[float | None, float | None] = (None, None),
) -> Evaluation:
    """Evaluate ``target`` against the yearly series ``(years, values)`` (any order, no missing values).

    ``bounds`` (see :func:`physical_range`) clip the projection and its interval: a straight line
    extended to the target year must not promise a negative concentration or a share above 100 %.
    """
    if not years:
        return Evaluation(target, "insufficient_data", "no observations of the indicator for this scope")
    pairs = sorted(zip(years, values, strict=True))
    latest_year, latest_value = pairs[-1]
    distance = target.target_value - latest_value
    baseline = _baseline(target, years, values)
    common: dict[str, Any] = {
        "latest_year": latest_year,
        "latest_value": latest_value,
        "judged_value": str(apply_rounding(latest_value, target.rounding)),
        "distance": distance,
        "progress": progress_fraction(baseline, latest_value, target.target_value)
        if baseline is not None
        else None,
    }
    if meets(latest_value, target):
        return Evaluation(
            target, "achieved", "the latest value meets the target under its rounding rule", **common
        )
    remaining = target.target_year - latest_year
    if remaining <= 0:
        return Evaluation(
            target, "off_track", "the target year has passed without the target being met", **common
        )
    common["required_rate"] = distance / remaining
    window_years_list, window_values = recent_window(
        [y for y, _ in pairs], [v for _, v in pairs], window_years
    )
    trend = fit_trend(window_years_list, window_values)
    if trend is None:
        return Evaluation(
            target,
            "insufficient_data",
            f"fewer than 3 observations in the last {window_years} years: no projection",
            **common,
        )
    anchor = trend.value_at(latest_year)
    central = _within(trend.value_at(target.target_year), bounds)
    ends = sorted(
        (
            _within(anchor + trend.slope_low * remaining, bounds),
            _within(anchor + trend.slope_high * remaining, bounds),
        )
    )
    pessimistic, optimistic = (ends[0], ends[1]) if target.higher_is_better else (ends[1], ends[0])
    if meets(central, target) and meets(pessimistic, target):
        status, reason = "on_track", "the projection and its whole 95 % interval meet the target"
    elif meets(central, target) or meets(optimistic, target):
        status, reason = "at_risk", "only part of the projection's 95 % interval meets the target"
    else:
        status, reason = "off_track", "the projection and its 95 % interval miss the target"
    return Evaluation(
        target,
        status,
        reason,
        observed_rate=trend.slope,
        projection=central,
        projection_low=ends[0],
        projection_high=ends[1],
        trend=trend,
        **common,
    )
