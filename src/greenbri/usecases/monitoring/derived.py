"""Daily series of a standard from hourly readings: 24-hour means, MDA8 ozone, daily 1-hour maxima.

Each series follows the data-capture rule of the standard it will be compared with
(:data:`DAILY_RULES`, built on :mod:`greenbri.core.averaging`): a day that misses its rule
has NaN (NO DATA), never a value averaged over too few hours. Keys are AQI measurement keys:

* ``<pollutant>_24h``: the mean of the natural local day's valid hours;
* ``o3_8h``: the maximum daily 8-hour mean of ozone under the standard's convention;
* ``<pollutant>_1h``: the day's highest valid hourly value (for 1-hour limits and US SO2/NO2 AQI).

One DuckDB scan gives every 24-hour mean and 1-hour maximum; ozone's hourly values are
fetched once more for the running 8-hour means (see :mod:`.readings_scan`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
from numpy.typing import NDArray

from greenbri.core.averaging import DAILY_CAPTURE_RULES, MDA8_CONVENTIONS, daily_max_8h_mean
from greenbri.core.errors import InputError
from greenbri.core.units import Citation, convert
from greenbri.usecases.monitoring.readings_scan import (
    DEFAULT_EXCLUDED_FLAGS,
    DailyGrids,
    hourly_grid,
    scan_daily,
)

__all__ = ["DAILY_RULES", "STANDARD_RULES", "DailyRules", "DailySeries", "daily_series", "series_from_grids"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DailyRules:
    """How a standard forms daily values from hourly ones.

    ``capture_24h`` and ``mda8`` name entries of :data:`greenbri.core.averaging.DAILY_CAPTURE_RULES`
    and :data:`~greenbri.core.averaging.MDA8_CONVENTIONS`; ``min_hours_1h_max`` is the number of
    valid hours a day needs for its 1-hour maximum to count; ``units`` the unit of each
    pollutant's daily values (the unit of the standard's limits and AQI tables).
    """

    name: str
    capture_24h: str
    mda8: str
    min_hours_1h_max: int
    units: Mapping[str, str]
    pollutants_24h: tuple[str, ...]
    pollutants_1h: tuple[str, ...]
    citation: Citation


DAILY_RULES: Mapping[str, DailyRules] = {
    "cn": DailyRules(
        "cn",
        capture_24h="cn-gb3095",
        mda8="cn-hj663",
        min_hours_1h_max=1,
        units={
            "pm25": "ug/m3",
            "pm10": "ug/m3",
            "so2": "ug/m3",
            "no2": "ug/m3",
            "o3": "ug/m3",
            "co": "mg/m3",
        },
        pollutants_24h=("pm25", "pm10", "so2", "no2", "co"),
        pollutants_1h=("so2", "no2", "co", "o3"),
        citation=Citation(
            "GB 3095-2012; HJ 663-2013",
            "Table 4 data validity (24-hour: 20 h; 8-hour: 6 h); HJ 663 O3 MDA8 of the natural day",
            verified="secondary",
            note="every valid hourly value is compared with a 1-hour limit, so a 1-hour maximum needs one valid hour",
        ),
    ),
    "us": DailyRules(
        "us",
        capture_24h="us-pm25",
        mda8="us-app-u",
        min_hours_1h_max=18,
        units={"pm25": "ug/m3", "pm10": "ug/m3", "so2": "ppb", "no2": "ppb", "o3": "ppm", "co": "ppm"},
        pollutants_24h=("pm25", "pm10"),
        pollutants_1h=("so2", "no2", "co"),
        citation=Citation(
            "40 CFR Part 50 Appendices N, U, S, T",
            "App. N 3.0(c) 24-hour PM 75 % (18 h); App. U O3 MDA8; App. S (NO2) and App. T (SO2): a daily "
            "maximum 1-hour value needs 75 % of the day's hours (18)",
            verified="recalled",
            note=(
                "App. S/T also keep a day with fewer hours when its maximum exceeds the level; not implemented. "
                "The App. N 18-hour rule is applied to PM10 too (App. K is written for 24-hour samples)"
            ),
        ),
    ),
}

#: Which daily rules each standard's limits are compared under. WHO 2021 states no data-capture
#: rule: greenbri uses the national network's own (China's) for it.
STANDARD_RULES: Mapping[str, str] = {
    "cn-gb3095-2012": "cn",
    "cn-gb3095-2026": "cn",
    "who-aqg-2021": "cn",
    "us-naaqs": "us",
}


@dataclass(frozen=True)
class DailySeries:
    """Daily values per key, shape ``(station, day)``, NaN where the day fails its rule."""

    rules: str
    stations: tuple[str, ...]
    days: NDArray[np.datetime64]
    values: Mapping[str, FloatArray]
    valid_counts: Mapping[str, NDArray[np.int64]]
    units: Mapping[str, str]
    counting: Mapping[str, str]

    def years(self) -> NDArray[np.int64]:
        """The calendar year of each day."""
        return np.asarray(self.days.astype("datetime64[Y]").astype(np.int64) + 1970, dtype=np.int64)


def _rules(name: str) -> DailyRules:
    if name not in DAILY_RULES:
        raise InputError(f"Unknown daily rules {name!r}.", hint=f"use one of: {', '.join(DAILY_RULES)}.")
    return DAILY_RULES[name]


def _in_unit(values: FloatArray, pollutant: str, unit: str, target: str, conditions: str) -> FloatArray:
    if unit == target:
        return values
    return convert(values, unit, target, pollutant=pollutant, conditions=conditions)


def series_from_grids(
    grids: DailyGrids,
    rules_name: str,
    *,
    ozone_hourly: FloatArray | None = None,
    reference_conditions: str = "cn-gb3095-2018",
) -> DailySeries:
    """Apply a standard's daily rules to scanned aggregates (and ozone's hourly grid for MDA8)."""
    rules = _rules(rules_name)
    minimum = DAILY_CAPTURE_RULES[rules.capture_24h].min_valid_hours
    values: dict[str, FloatArray] = {}
    counts: dict[str, NDArray[np.int64]] = {}
    units: dict[str, str] = {}
    counting: dict[str, str] = {}
    for pollutant in rules.pollutants_24h:
        index = grids.index(pollutant)
        if index is None:
            continue
        valid = grids.counts[index]
        met = valid >= minimum
        mean = np.divide(grids.sums[index], valid, out=np.full(valid.shape, np.nan), where=met)
        key = f"{pollutant}_24h"
        values[key] = _in_unit(
            mean, pollutant, grids.units[index], rules.units[pollutant], reference_conditions
        )
        counts[key], units[key] = valid.astype(np.int64), rules.units[pollutant]
        counting[key] = f"24-hour mean, {rules.capture_24h} rule (>= {minimum} valid hours)"
    for pollutant in rules.pollutants_1h:
        index = grids.index(pollutant)
        if index is None:
            continue
        valid = grids.counts[index]
        highest = np.where(valid >= rules.min_hours_1h_max, grids.maxima[index], np.nan)
        key = f"{pollutant}_1h"
        values[key] = _in_unit(
            highest, pollutant, grids.units[index], rules.units[pollutant], reference_conditions
        )
        counts[key], units[key] = valid.astype(np.int64), rules.units[pollutant]
        counting[key] = f"daily maximum 1-hour value (>= {rules.min_hours_1h_max} valid hours)"
    ozone = grids.index("o3")
    if ozone is not None and ozone_hourly is not None:
        hours = grids.days[0].astype("datetime64[h]") + np.arange(grids.days.size * 24)
        aggregate = daily_max_8h_mean(ozone_hourly, hours, rules.mda8)
        values["o3_8h"] = _in_unit(
            aggregate.values, "o3", grids.units[ozone], rules.units["o3"], reference_conditions
        )
        counts["o3_8h"], units["o3_8h"] = aggregate.valid_count, rules.units["o3"]
        convention = MDA8_CONVENTIONS[rules.mda8]
        counting["o3_8h"] = (
            f"maximum daily 8-hour mean, {rules.mda8} convention (>= {convention.min_valid_windows} valid windows)"
        )
    return DailySeries(rules.name, grids.stations, grids.days, values, counts, units, counting)


def daily_series(
    connection: duckdb.DuckDBPyConnection,
    relation: str = "readings",
    *,
    rules: tuple[str, ...] = ("cn", "us"),
    utc_offset_hours: int = 8,
    excluded_flags: int = DEFAULT_EXCLUDED_FLAGS,
    stations: tuple[str, ...] | None = None,
    reference_conditions: str = "cn-gb3095-2018",
) -> dict[str, DailySeries]:
    """Daily series under each of ``rules`` (``"cn"``, ``"us"``) from one scan of the readings.

    ``utc_offset_hours`` is the local standard time that defines the day (China: +8, the
    natural day in Beijing time). ``reference_conditions`` is the reference state of the
    stored gaseous mass concentrations, used only to convert them to ppb/ppm for the US
    (Chinese data before 2018-09-01: ``cn-gb3095-2012``, 273 K).
    """
    grids = scan_daily(
        connection,
        relation,
        utc_offset_hours=utc_offset_hours,
        excluded_flags=excluded_flags,
        stations=stations,
    )
    ozone = None
    if grids.index("o3") is not None:
        ozone = hourly_grid(connection, relation, "o3", grids, excluded_flags=excluded_flags).values
    return {
        name: series_from_grids(grids, name, ozone_hourly=ozone, reference_conditions=reference_conditions)
        for name in rules
    }
