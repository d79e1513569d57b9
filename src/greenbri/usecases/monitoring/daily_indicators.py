"""Daily AQI, exceedance days per standard and year, and statistics per station, city and period.

* :func:`daily_aqi`: the daily AQI of each station-day under ``cn`` (HJ 633, keys of its daily
  report: 24-hour means and O3 MDA8) or ``us`` (40 CFR 58 App. G: PM 24-hour, O3 8-hour, SO2 and
  NO2 1-hour maxima). The engine is chosen by each observation date; a station-day no verified
  engine covers (HJ 633-2026 while not verified, China before 2016-01-01, US before 2015-12-28)
  is not computed and carries the reason (the rest of the run goes on), unless an explicit
  ``fallback_engine`` is given (recorded per day).
* :func:`exceedance_days`: per limit of a standard whose averaging greenbri forms from hourly
  data (``24h``, ``mda8``, ``1h``), the days above it per station and calendar year, with the
  valid days and the days the limit was in force. Other averagings are listed as not compared,
  never compared with the wrong series.
* :func:`statistics`: mean, maximum and valid days of a key per station (or city) and period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from greenbri.core.aqi.coverage import CoveredAqi, compute_aqi_where_covered
from greenbri.core.errors import InputError
from greenbri.core.standards.model import Limit, Standard
from greenbri.core.units import convert
from greenbri.usecases.monitoring.derived import STANDARD_RULES, DailySeries

__all__ = ["AQI_KEYS", "Exceedances", "daily_aqi", "exceedance_days", "statistics"]

#: The measurement keys of each standard's daily AQI (HJ 633-2012 clause 5; 40 CFR 58 App. G).
AQI_KEYS: Mapping[str, tuple[str, ...]] = {
    "cn": ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_8h"),
    "us": ("pm25_24h", "pm10_24h", "o3_8h", "so2_1h", "no2_1h"),
}
_SERIES_OF_AVERAGING = {"24h": "24h", "mda8": "8h", "1h": "1h"}
# A mean summed in another order (DuckDB adds in parallel) can land 1e-16 off a limit it equals;
# values within this relative distance of the limit count as equal to it (meeting it).
_REPRESENTATION_TOLERANCE = 1e-9


def daily_aqi(series: DailySeries, standard: str, *, fallback_engine: str | None = None) -> CoveredAqi:
    """AQI of every station-day, shape ``(station, day)``, from ``series`` formed under the standard's rules.

    Station-days outside every engine are marked not computed, with the reason (never an abort).
    """
    if standard not in AQI_KEYS:
        raise InputError(f"Unknown AQI standard {standard!r}.", hint="use cn or us.")
    if series.rules != standard:
        raise InputError(
            f"The {standard} AQI needs daily values formed under the {standard} rules, got {series.rules!r}.",
            hint=f"derive the series with rules=({standard!r},).",
        )
    concentrations = {key: series.values[key] for key in AQI_KEYS[standard] if key in series.values}
    if not concentrations:
        raise InputError(
            "No pollutant of the AQI has daily values.", hint="ingest PM2.5, PM10, O3 ... first."
        )
    dates = np.broadcast_to(series.days, next(iter(concentrations.values())).shape)
    return compute_aqi_where_covered(standard, dates, concentrations, fallback_engine=fallback_engine)


@dataclass(frozen=True)
class Exceedances:
    """Exceedance days of one limit, shape ``(station, year)``."""

    standard_id: str
    limit: Limit
    key: str
    years: NDArray[np.int64]
    exceedance_days: NDArray[np.int64]
    valid_days: NDArray[np.int64]
    in_force_days: NDArray[np.int64]
    counting: str


def _year_sums(
    mask: NDArray[np.bool_], years: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    distinct, starts = np.unique(years, return_index=True)
    sums = np.add.reduceat(mask.astype(np.int64), starts, axis=-1)
    return distinct, np.asarray(sums, dtype=np.int64)


def _in_force(standard: Standard, limit: Limit, days: NDArray[np.datetime64]) -> NDArray[np.bool_]:
    first, last = days[0].item(), days[-1].item()
    return np.array(
        [
            standard.limit_applies(limit, first + dt.timedelta(days=offset))
            for offset in range((last - first).days + 1)
        ]
    )


def exceedance_days(
    series: DailySeries,
    standard: Standard,
    *,
    levels: tuple[str, ...] | None = None,
    conditions: str = "cn-gb3095-2018",
) -> tuple[list[Exceedances], list[dict[str, str]]]:
    """Days above each comparable limit of ``standard`` and the limits not compared (with the reason)."""
    expected = STANDARD_RULES.get(standard.id)
    if expected is not None and expected != series.rules:
        raise InputError(
            f"{standard.id} limits are compared with daily values formed under the {expected!r} rules, "
            f"got {series.rules!r}.",
            hint=f"derive the series with rules=({expected!r},).",
        )
    years = series.years()
    counted: list[Exceedances] = []
    skipped: list[dict[str, str]] = []
    for limit in standard.limits:
        if levels and limit.level not in levels:
            continue
        key = f"{limit.pollutant}_{_SERIES_OF_AVERAGING.get(limit.averaging, '')}"
        if limit.averaging not in _SERIES_OF_AVERAGING or key not in series.values:
            skipped.append(_skip_reason(standard, limit, key in series.values))
            continue
        values = series.values[key]
        if series.units[key] != limit.unit:
            values = convert(
                values, series.units[key], limit.unit, pollutant=limit.pollutant, conditions=conditions
            )
        valid = ~np.isnan(values)
        margin = _REPRESENTATION_TOLERANCE * abs(limit.value)
        with np.errstate(invalid="ignore"):
            if limit.is_maximum:
                broken = valid & (values > limit.value + margin)
            else:
                broken = valid & (values < limit.value - margin)
        distinct, over = _year_sums(broken, years)
        _, valid_days = _year_sums(valid, years)
        _, in_force = _year_sums(_in_force(standard, limit, series.days), years)
        counted.append(
            Exceedances(standard.id, limit, key, distinct, over, valid_days, in_force, series.counting[key])
        )
    return counted, skipped


def _skip_reason(standard: Standard, limit: Limit, has_series: bool) -> dict[str, str]:
    reason = (
        f"greenbri forms no daily {limit.averaging} series to compare with"
        if limit.averaging not in _SERIES_OF_AVERAGING
        else f"no {limit.pollutant} data under the {STANDARD_RULES.get(standard.id, '?')} rules"
    )
    del has_series
    return {
        "standard": standard.id,
        "pollutant": limit.pollutant,
        "averaging": limit.averaging,
        "level": limit.level,
        "reason": reason,
    }


def _period_labels(days: NDArray[np.datetime64], period: str) -> NDArray[np.str_]:
    units = {"year": "Y", "month": "M", "all": None}
    if period not in units:
        raise InputError(f"Unknown period {period!r}.", hint="use year, month or all.")
    unit = units[period]
    if unit is None:
        return np.full(days.shape, f"{days[0]}/{days[-1]}")
    return np.asarray(days.astype(f"datetime64[{unit}]").astype(str))


def statistics(
    series: DailySeries, key: str, *, period: str = "year", groups: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Mean, maximum, 95th percentile (linear) and valid days of ``key``'s daily values per group and period.

    ``groups`` maps station ids to a group (a city); without it each station is its own group.
    A group's values pool the valid station-days of its stations.
    """
    if key not in series.values:
        raise InputError(f"No daily series {key!r}.", hint=f"use one of: {', '.join(sorted(series.values))}.")
    values = series.values[key]
    labels = _period_labels(series.days, period)
    members: dict[str, list[int]] = {}
    for position, station in enumerate(series.stations):
        members.setdefault(groups.get(station, "") if groups else station, []).append(position)
    rows: list[dict[str, Any]] = []
    for group, positions in sorted(members.items()):
        block = values[positions]
        for label in dict.fromkeys(labels.tolist()):
            data = block[:, labels == label]
            data = data[~np.isnan(data)]
            rows.append(_statistic_row(group, label, key, series.units[key], data))
    return rows


def _statistic_row(group: str, label: str, key: str, unit: str, data: NDArray[np.float64]) -> dict[str, Any]:
    empty = data.size == 0
    return {
        "group": group,
        "period": label,
        "key": key,
        "unit": unit,
        "valid_station_days": int(data.size),
        "mean": None if empty else float(data.mean()),
        "max": None if empty else float(data.max()),
        "p95": None if empty else float(np.percentile(data, 95)),
    }
