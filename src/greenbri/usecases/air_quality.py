"""AQI of a set of readings on a date, with units converted to what the engine's tables use.

The CLI (``greenbri aqi``) and later the API call :func:`aqi_of_readings`.
A reading is ``key=value[unit]``: the key is a measurement key of the engine
(``pm25_24h``, ``o3_8h``, ``so2_1h`` ...) or a pollutant name that stands for the
averaging of the standard's daily report (``pm25`` -> ``pm25_24h``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from greenbri.core.aqi import compute_aqi, engine_by_id, engines_of
from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.errors import StandardNotVerifiedError
from greenbri.core.errors import InputError
from greenbri.core.units import convert

__all__ = ["DAILY_KEYS", "Reading", "aqi_of_readings", "parse_reading"]

#: A bare pollutant name stands for the averaging of the standard's daily report:
#: HJ 633-2012 clause 5 (daily AQI from 24-hour means and the O3 maximum 8-hour mean);
#: 40 CFR Part 58 Appendix G (PM 24-hour, O3 and CO 8-hour, SO2 and NO2 1-hour).
DAILY_KEYS: dict[str, dict[str, str]] = {
    "cn": {
        "pm25": "pm25_24h",
        "pm10": "pm10_24h",
        "so2": "so2_24h",
        "no2": "no2_24h",
        "co": "co_24h",
        "o3": "o3_8h",
    },
    "us": {
        "pm25": "pm25_24h",
        "pm10": "pm10_24h",
        "so2": "so2_1h",
        "no2": "no2_1h",
        "co": "co_8h",
        "o3": "o3_8h",
    },
}

#: Reference conditions for converting ppb/ppm to mass units, per standard:
#: GB 3095-2012 amendment No. 1 (2018) for China, 40 CFR 50.3 for the US.
_CONDITIONS = {"cn": "cn-gb3095-2018", "us": "us-epa"}

_READING = re.compile(r"^\s*(?P<key>[a-z0-9_]+)\s*=\s*(?P<value>[-+0-9.eE]+)\s*(?P<unit>[a-zA-Zµ/0-9]+)?\s*$")


@dataclass(frozen=True)
class Reading:
    """One concentration given by a user."""

    key: str
    value: float
    unit: str | None


def parse_reading(text: str) -> Reading:
    """``pm25=80`` or ``o3_8h=0.071ppm`` -> :class:`Reading`."""
    match = _READING.match(text)
    if not match:
        raise InputError(
            f"Cannot read {text!r} as a reading.",
            hint="write KEY=VALUE[UNIT], e.g. pm25=80 or o3_8h=0.071ppm or co=1.2mg/m3.",
        )
    unit = match["unit"].replace("µg", "ug") if match["unit"] else None
    return Reading(match["key"].lower(), float(match["value"]), unit)


def _engine(standard: str, date: dt.date, fallback_engine: str | None) -> Engine:
    for engine in engines_of(standard):
        ends = engine.effective_to or dt.date.max
        if engine.effective_from <= date <= ends:
            if engine.verified:
                return engine
            if fallback_engine is None:
                raise StandardNotVerifiedError(
                    f"{engine.not_verified_reason} (engine {engine.engine_id}, in force from "
                    f"{engine.effective_from.isoformat()}).",
                    hint="pass --fallback-engine hj633-2012 to compute with the previous standard, and say so "
                    "when you report the result.",
                )
            return engine_by_id(fallback_engine)
    if fallback_engine:
        return engine_by_id(fallback_engine)
    return engines_of(standard)[-1]


def aqi_of_readings(
    standard: str,
    date: dt.date,
    readings: list[Reading],
    *,
    fallback_engine: str | None = None,
) -> dict[str, Any]:
    """The AQI, its category and each sub-index, as a plain dictionary (JSON-ready)."""
    if standard not in DAILY_KEYS:
        raise InputError(f"Unknown AQI standard {standard!r}.", hint="use cn or us.")
    engine = _engine(standard, date, fallback_engine)
    concentrations: dict[str, np.ndarray] = {}
    converted: dict[str, dict[str, Any]] = {}
    for reading in readings:
        key = DAILY_KEYS[standard].get(reading.key, reading.key)
        table = engine.tables.get(key)
        if table is None:
            known = ", ".join(sorted({*engine.tables, *DAILY_KEYS[standard]}))
            raise InputError(
                f"{engine.engine_id} has no index for {reading.key!r}.", hint=f"use one of: {known}."
            )
        value = np.array([reading.value])
        if reading.unit and reading.unit != table.unit:
            value = convert(
                value, reading.unit, table.unit, pollutant=key.split("_")[0], conditions=_CONDITIONS[standard]
            )
        concentrations[key] = value
        converted[key] = {
            "given": reading.value,
            "given_unit": reading.unit or table.unit,
            "value": float(value[0]),
            "unit": table.unit,
        }
    result = compute_aqi(
        standard, np.array([np.datetime64(date, "D")]), concentrations, fallback_engine=fallback_engine
    )
    return _as_dict(result, converted, standard, date)


def _as_dict(
    result: Any, converted: Mapping[str, dict[str, Any]], standard: str, date: dt.date
) -> dict[str, Any]:
    aqi = float(result.aqi[0])
    category = result.category_at(0)
    return {
        "standard": standard,
        "date": date.isoformat(),
        "engine": result.engine_at(0),
        "aqi": None if np.isnan(aqi) else int(aqi),
        "category": None
        if category is None
        else {
            "en": category.name_en,
            "zh": category.name_zh,
            "colour": category.colour_name_en,
            "rgb": list(category.rgb),
        },
        "primary": list(result.primary_keys(0)),
        "above_scale": bool(result.above_scale[0]),
        "sub_indices": {
            key: {**converted.get(key, {}), "index": None if np.isnan(values[0]) else int(values[0])}
            for key, values in sorted(result.sub_indices.items())
            if key in converted
        },
    }
