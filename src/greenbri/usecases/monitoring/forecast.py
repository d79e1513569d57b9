"""A 24-hour-ahead forecast of hourly concentrations, and its skill against naive baselines.

**Model.** Holt-Winters exponential smoothing (statsmodels ``ExponentialSmoothing``) with an
additive daily season (24 h), no trend, initial states estimated, on ``log1p`` of the hourly
values (concentrations are skewed and positive; the log makes the daily cycle closer to additive),
refitted at each forecast origin on the last ``history_days`` days. Missing hours inside the
window are filled by linear interpolation; a window with more than 25 % missing hours gives no
forecast. The forecast is back-transformed with ``expm1`` (a median-type forecast, biased low for
the mean of a skewed variable; not corrected).

**Baselines.** *Seasonal naive*: the value 24 hours earlier (the last observed day repeated).
*Persistence*: the last valid value, held for 24 hours.

**Evaluation** (:func:`evaluate_forecasts`): at each origin, the three forecasts of the next 24
hours are compared with the observed hours (hours missing in any of them are skipped). Reported:
MAE and RMSE of the hourly values; skill ``1 - MAE_model / MAE_baseline``; and, for the mean of the
24 hours against a 24-hour limit (observed mean valid with at least 20 hours), the hit rate
``hits / (hits + misses)``, the false alarm ratio ``false alarms / (hits + false alarms)`` and the
false alarm rate ``false alarms / (false alarms + correct negatives)``.
``benchmarks/forecast_skill.py`` runs it on the Beijing data; its figures are in
``docs/methodology/monitoring-alerts.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["HORIZON_HOURS", "ForecastSkill", "MethodScore", "evaluate_forecasts", "forecast_next_hours"]

HORIZON_HOURS = 24
SEASON_HOURS = 24
MAX_MISSING_SHARE = 0.25
MIN_VALID_HOURS_FOR_MEAN = 20
METHODS = ("holt_winters", "seasonal_naive", "persistence")
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Forecast:
    """Forecast hours (NaN when none could be made) and whether the optimiser reported convergence."""

    values: FloatArray
    converged: bool


def _filled(window: FloatArray) -> FloatArray | None:
    valid = ~np.isnan(window)
    if valid.mean() < 1 - MAX_MISSING_SHARE or valid.sum() < 2 * SEASON_HOURS:
        return None
    index = np.arange(window.size)
    return np.interp(index, index[valid], window[valid])


def forecast_next_hours(history: FloatArray, horizon: int = HORIZON_HOURS) -> Forecast:
    """Holt-Winters forecast of the ``horizon`` hours after ``history`` (hourly, NaN: missing)."""
    filled = _filled(np.asarray(history, dtype=np.float64))
    if filled is None:
        return Forecast(np.full(horizon, np.nan), False)
    # statsmodels (and scipy under it) take seconds to import: only when a forecast is made.
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    series = np.log1p(np.clip(filled, 0.0, None))
    model = ExponentialSmoothing(
        series, trend=None, seasonal="add", seasonal_periods=SEASON_HOURS, initialization_method="estimated"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fitted = model.fit()
    converged = not any(issubclass(item.category, ConvergenceWarning) for item in caught)
    values = np.expm1(np.asarray(fitted.forecast(horizon), dtype=np.float64))
    return Forecast(np.clip(values, 0.0, None), converged)


def _baselines(history: FloatArray, horizon: int) -> dict[str, FloatArray]:
    last_valid = history[~np.isnan(history)]
    persistence = np.full(horizon, last_valid[-1] if last_valid.size else np.nan)
    seasonal = np.resize(history[-SEASON_HOURS:], horizon)
    return {"seasonal_naive": seasonal, "persistence": persistence}


@dataclass
class MethodScore:
    """Errors of one method, accumulated over origins."""

    absolute_errors: list[float] = field(default_factory=list)
    squared_errors: list[float] = field(default_factory=list)
    mean_errors: list[float] = field(default_factory=list)
    contingency: dict[str, int] = field(
        default_factory=lambda: {"hits": 0, "misses": 0, "false_alarms": 0, "correct_negatives": 0}
    )

    def summary(self) -> dict[str, float | int | None]:
        table = self.contingency
        hits, misses, alarms, negatives = (table[key] for key in table)
        return {
            "mae": float(np.mean(self.absolute_errors)) if self.absolute_errors else None,
            "rmse": float(np.sqrt(np.mean(self.squared_errors))) if self.squared_errors else None,
            "mae_24h_mean": float(np.mean(self.mean_errors)) if self.mean_errors else None,
            "hit_rate": hits / (hits + misses) if hits + misses else None,
            "false_alarm_ratio": alarms / (hits + alarms) if hits + alarms else None,
            "false_alarm_rate": alarms / (alarms + negatives) if alarms + negatives else None,
            **table,
        }


@dataclass(frozen=True)
class ForecastSkill:
    """The outcome of :func:`evaluate_forecasts`."""

    origins: int
    hours_compared: int
    not_converged: int
    no_forecast: int
    scores: dict[str, dict[str, float | int | None]]
    skill_vs_seasonal_naive: float | None
    skill_vs_persistence: float | None
    limit: float

    def to_dict(self) -> dict[str, object]:
        return {
            "model": "Holt-Winters (additive 24 h season, no trend) on log1p, refitted per origin",
            "origins": self.origins,
            "hours_compared": self.hours_compared,
            "not_converged": self.not_converged,
            "no_forecast": self.no_forecast,
            "limit_24h": self.limit,
            "scores": self.scores,
            "skill_vs_seasonal_naive": self.skill_vs_seasonal_naive,
            "skill_vs_persistence": self.skill_vs_persistence,
        }


def _score(score: MethodScore, predicted: FloatArray, observed: FloatArray) -> None:
    error = predicted - observed
    score.absolute_errors.extend(np.abs(error).tolist())
    score.squared_errors.extend((error**2).tolist())


def _score_mean(score: MethodScore, predicted: FloatArray, future: FloatArray, limit: float) -> None:
    valid = ~np.isnan(future)
    if valid.sum() < MIN_VALID_HOURS_FOR_MEAN:
        return
    observed_mean, predicted_mean = float(future[valid].mean()), float(predicted.mean())
    score.mean_errors.append(abs(predicted_mean - observed_mean))
    observed_hit, predicted_hit = observed_mean > limit, predicted_mean > limit
    key = {
        (True, True): "hits",
        (True, False): "misses",
        (False, True): "false_alarms",
        (False, False): "correct_negatives",
    }[(observed_hit, predicted_hit)]
    score.contingency[key] += 1


def evaluate_forecasts(
    series: Iterable[FloatArray],
    origins: Iterable[Iterable[int]],
    *,
    history_days: int = 28,
    limit: float = 75.0,
) -> ForecastSkill:
    """Score the model and the baselines at the given origins (indices into each hourly series).

    ``series`` and ``origins`` pair up: one hourly array per station and the hours of it at which
    a forecast is issued (the forecast covers ``origin .. origin + 23``).
    """
    scores = {method: MethodScore() for method in METHODS}
    counts = {"origins": 0, "hours": 0, "not_converged": 0, "no_forecast": 0}
    window = history_days * 24
    for values, station_origins in zip(series, origins, strict=True):
        for origin in station_origins:
            if origin < window or origin + HORIZON_HOURS > values.size:
                continue
            history, future = values[origin - window : origin], values[origin : origin + HORIZON_HOURS]
            forecast = forecast_next_hours(history)
            counts["origins"] += 1
            counts["not_converged"] += int(not forecast.converged and not np.isnan(forecast.values).any())
            if np.isnan(forecast.values).any():
                counts["no_forecast"] += 1
                continue
            predictions = {"holt_winters": forecast.values, **_baselines(history, HORIZON_HOURS)}
            usable = ~np.isnan(future)
            for prediction in predictions.values():
                usable &= ~np.isnan(prediction)
            counts["hours"] += int(usable.sum())
            complete = not any(np.isnan(prediction).any() for prediction in predictions.values())
            for method, prediction in predictions.items():
                _score(scores[method], prediction[usable], future[usable])
                if complete:
                    _score_mean(scores[method], prediction, future, limit)
    summaries = {method: score.summary() for method, score in scores.items()}
    return ForecastSkill(
        origins=counts["origins"],
        hours_compared=counts["hours"],
        not_converged=counts["not_converged"],
        no_forecast=counts["no_forecast"],
        scores=summaries,
        skill_vs_seasonal_naive=_skill(summaries, "seasonal_naive"),
        skill_vs_persistence=_skill(summaries, "persistence"),
        limit=limit,
    )


def _skill(summaries: dict[str, dict[str, float | int | None]], baseline: str) -> float | None:
    model, reference = summaries["holt_winters"]["mae"], summaries[baseline]["mae"]
    if model is None or not reference:
        return None
    return 1.0 - float(model) / float(reference)
