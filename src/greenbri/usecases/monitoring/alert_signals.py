"""Which series a rule reads, and their signals (one :class:`Target` per station).

A series whose unit is not the rule's (or the limit's) is skipped with a reason, never compared:
greenbri does not convert units silently here. An AQI rule reads, per station, the series of its
measurement keys that are present (``pm25_24h`` -> parameter ``pm25``, averaging ``24h``) on one
time grid. A forecast rule issues one forecast per station from the end of its hourly series.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from greenbri.core.aqi import compute_aqi, engine_by_id, engines_of
from greenbri.core.errors import GreenbriError
from greenbri.core.monitoring.alert_rules import AlertRule, Condition
from greenbri.core.monitoring.alerts import FIRING, Signal, aqi_signal, condition_signal, persistence_runs
from greenbri.usecases.monitoring.alert_series import Series, SeriesKey

__all__ = ["Target", "targets_for"]

_Outcome = tuple[list["Target"], list[dict[str, str]]]
SINGLE_SERIES_KINDS = ("threshold", "exceedance", "rate_of_rise", "station_down")


@dataclass(frozen=True)
class Target:
    """The signal of one rule at one station, and the unit of its values."""

    station_id: str
    unit: str
    signal: Signal


def _expected_unit(condition: Condition) -> str | None:
    if condition.kind in ("exceedance", "forecast_exceedance"):
        return condition.limit.unit if condition.limit else None
    return None if condition.kind == "station_down" else condition.unit


def _skip(rule: AlertRule, station_id: str, reason: str) -> dict[str, str]:
    return {"rule_id": rule.id, "station_id": station_id, "reason": reason}


def _matching(rule: AlertRule, series: dict[SeriesKey, Series]) -> tuple[list[Series], list[dict[str, str]]]:
    condition = rule.condition
    chosen, skipped = [], []
    unit = _expected_unit(condition)
    for (_, parameter, averaging), item in sorted(series.items()):
        if (parameter, averaging) != (condition.parameter, condition.series_averaging):
            continue
        if unit is not None and item.unit != unit:
            skipped.append(_skip(rule, item.station_id, f"unit {item.unit} is not the rule's {unit}"))
            continue
        chosen.append(item)
    return chosen, skipped


def _single(rule: AlertRule, series: dict[SeriesKey, Series], forecaster: Callable[..., Any]) -> _Outcome:
    chosen, skipped = _matching(rule, series)
    unit_of = (
        (lambda item: "h" if rule.condition.averaging == "1h" else "d")
        if rule.condition.kind == "station_down"
        else None
    )
    targets = [
        Target(
            item.station_id,
            unit_of(item) if unit_of else item.unit,
            condition_signal(rule.condition, item.times, item.values),
        )
        for item in chosen
    ]
    return targets, skipped


def _aqi(rule: AlertRule, series: dict[SeriesKey, Series], forecaster: Callable[..., Any]) -> _Outcome:
    condition = rule.condition
    # the units of the AQI's tables: the named fallback engine's, else the standard's first engine's
    engine = (
        engine_by_id(condition.fallback_engine)
        if condition.fallback_engine
        else engines_of(condition.standard)[0]
    )
    stations = sorted({station for station, _, _ in series})
    targets, skipped = [], []
    for station in stations:
        present = {}
        for key in condition.measurements:
            parameter = key.rpartition("_")[0]
            item = series.get((station, parameter, condition.averaging))
            if item is None or item.times.size == 0:
                continue
            expected = engine.tables[key].unit if key in engine.tables else item.unit
            if item.unit != expected:
                skipped.append(_skip(rule, station, f"{key} in {item.unit}, the AQI table needs {expected}"))
                continue
            present[key] = item
        if not present:
            continue
        times = np.unique(np.concatenate([item.times for item in present.values()]))
        columns = {}
        for key, item in present.items():
            column = np.full(times.size, np.nan)
            column[np.searchsorted(times, item.times)] = item.values
            columns[key] = column
        first = next(iter(present.values()))
        offset = np.timedelta64(round(first.utc_offset_hours * 60), "m")
        dates = (times + offset).astype("datetime64[D]")
        try:
            result = compute_aqi(
                condition.standard, dates, columns, fallback_engine=condition.fallback_engine
            )
        except GreenbriError as error:
            skipped.append(_skip(rule, station, str(error)))
            continue
        targets.append(Target(station, "AQI", aqi_signal(condition, times, result.aqi, result.category)))
    return targets, skipped


def _forecast(rule: AlertRule, series: dict[SeriesKey, Series], forecaster: Callable[..., Any]) -> _Outcome:
    condition = rule.condition
    assert condition.limit is not None
    chosen, skipped = _matching(rule, series)
    targets = []
    window = condition.history_days * 24
    for item in chosen:
        if item.values.size < window:
            skipped.append(
                _skip(rule, item.station_id, f"fewer than {condition.history_days} days of hourly data")
            )
            continue
        forecast = forecaster(item.values[-window:], condition.horizon_hours)
        values = np.asarray(forecast.values, dtype=np.float64)
        if np.isnan(values).any():
            skipped.append(_skip(rule, item.station_id, "too many missing hours for a forecast"))
            continue
        mean = float(values.mean())
        exceeded = (
            mean > condition.limit.value
            if condition.limit.comparator == "<="
            else mean < condition.limit.value
        )
        state = np.array([FIRING if exceeded else 0], dtype=np.int8)
        signal = Signal(item.times[-1:], state, np.array([mean]), persistence_runs(state))
        targets.append(Target(item.station_id, item.unit, signal))
    return targets, skipped


_DISPATCH = {
    **dict.fromkeys(SINGLE_SERIES_KINDS, _single),
    "aqi_category": _aqi,
    "forecast_exceedance": _forecast,
}


def targets_for(
    rule: AlertRule, series: dict[SeriesKey, Series], forecaster: Callable[..., Any]
) -> tuple[list[Target], list[dict[str, str]]]:
    """The targets of ``rule`` among ``series``, and the series skipped with their reasons."""
    handler: Callable[[AlertRule, dict[SeriesKey, Series], Callable[..., Any]], _Outcome]
    handler = _DISPATCH[rule.condition.kind]
    return handler(rule, series, forecaster)
