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

from greenbri.core.aqi import compute_aqi, engine_by_id, engines_of, round_half_even
from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.errors import DateOutOfCoverageError, StandardNotVerifiedError
from greenbri.core.aqi.registry import engine_in_force
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
    engine = engine_in_force(standard, date)
    if engine is not None and engine.verified:
        return engine
    if fallback_engine:
        return engine_by_id(fallback_engine)
    if engine is not None:
        raise StandardNotVerifiedError(
            f"{engine.not_verified_reason} (engine {engine.engine_id}, in force from "
            f"{engine.effective_from.isoformat()}).",
            hint="pass --fallback-engine ENGINE to compute with another engine, and say so when you report it.",
        )
    spans = ", ".join(
        f"{e.engine_id} {e.effective_from.isoformat()}..{e.effective_to.isoformat() if e.effective_to else ''}"
        for e in engines_of(standard)
    )
    raise DateOutOfCoverageError(
        f"No {standard} AQI engine covers {date.isoformat()}.",
        hint=f"greenbri's {standard} engines: {spans}. Give a date inside one, or pass --fallback-engine ENGINE "
        "to compute with one of them anyway (and say so when you report the result).",
    )


def _daily_key(engine: Engine, standard: str, name: str) -> str:
    """The measurement key a bare pollutant name stands for under ``engine``.

    The daily report's key (:data:`DAILY_KEYS`), or, where the engine's period has no such
    table, the pollutant's only table (US SO2 before 2010-08-23: ``so2_24h``, the 1999 daily
    SO2 index). A full key is returned unchanged.
    """
    key = DAILY_KEYS[standard].get(name, name)
    if key in engine.tables or name not in DAILY_KEYS[standard]:
        return key
    only = [candidate for candidate in engine.tables if candidate.split("_")[0] == name]
    return only[0] if len(only) == 1 else key


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
        key = _daily_key(engine, standard, reading.key)
        table = engine.tables.get(key)
        if table is None:
            known = ", ".join(sorted({*engine.tables, *DAILY_KEYS[standard]}))
            raise InputError(
                f"{engine.engine_id} has no index for {reading.key!r}.", hint=f"use one of: {known}."
            )
        if reading.value < 0:
            raise InputError(
                f"Reading {reading.key}={reading.value:g} is below zero: a concentration cannot be negative.",
                hint="give the measured concentration (0 or more); an instrument's negative value is a zero "
                "drift to be flagged, not a concentration.",
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
    return _as_dict(result, converted, standard, date, engine_by_id(result.engine_at(0)))


def _notes(result: Any, converted: Mapping[str, dict[str, Any]], engine: Engine) -> list[str]:
    """What a reader must know about this result, in words (empty when nothing is special)."""
    notes = []
    for key, item in sorted(converted.items()):
        table = engine.tables[key]
        top = table.rows[-1]
        if table.round_decimals is not None:
            used = float(round_half_even([item["value"]], table.round_decimals)[0])
            if used != item["value"]:
                notes.append(
                    f"{key}={item['value']:g} {table.unit} is indexed as {used:g} (rounded by GB/T 8170, "
                    f"{table.citation.document} clause 4.2.2)."
                )
        if item["value"] > top.c_hi:
            what = {
                "scale": f"the index is capped at {top.i_hi} (beyond the index)"
                if engine.beyond_scale == "cap"
                else "the index extends the last band (beyond the AQI)",
                "not_defined": "the standard defines no index for it; give the other averaging period",
                "top_index": f"the standard counts it as {top.i_hi} ({table.citation.location})",
            }[table.top]
            notes.append(
                f"{key}={item['value']:g} {table.unit} is above the table's top ({top.c_hi:g} {table.unit}): {what}."
            )
        elif bool(result.not_indexed.get(key, np.zeros(1, dtype=bool))[0]):
            notes.append(f"{key}={item['value']:g} {table.unit} has no index in {engine.engine_id}.")
    if bool(result.withheld[0]):
        missing = sorted(engine.required_pollutants - {key.split("_")[0] for key in converted})
        notes.append(
            f"AQI withheld (NA): {', '.join(missing)} not given and the AQI of the others is not above "
            f"{engine.incomplete_published_above} (HJ 633-2026 clause 5.3.1). Give all six pollutants to get it."
        )
    return notes


def _as_dict(
    result: Any, converted: Mapping[str, dict[str, Any]], standard: str, date: dt.date, engine: Engine
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
        "withheld": bool(result.withheld[0]),
        "notes": _notes(result, converted, engine),
        "sub_indices": {
            key: {**converted.get(key, {}), "index": None if np.isnan(values[0]) else int(values[0])}
            for key, values in sorted(result.sub_indices.items())
            if key in converted
        },
    }
