"""JSON-ready reports of derived series, daily AQI, exceedance days and statistics (CLI and API)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from greenbri.adapters.standards_files import load_library
from greenbri.usecases.monitoring.daily_indicators import daily_aqi, exceedance_days, statistics
from greenbri.usecases.monitoring.derived import STANDARD_RULES, DailySeries, daily_series
from greenbri.usecases.monitoring.readings_scan import open_parquet_readings
from greenbri.usecases.reports.messages import MESSAGES

__all__ = ["aqi_report", "exceedance_report", "load_series", "series_report", "statistics_report"]


def load_series(
    readings: str | tuple[str, ...],
    rules: tuple[str, ...],
    *,
    stations: tuple[str, ...] | None = None,
    utc_offset_hours: int = 8,
    reference_conditions: str = "cn-gb3095-2018",
) -> dict[str, DailySeries]:
    """Daily series under ``rules`` from contract readings (a Parquet glob, or a list of files)."""
    connection, relation = open_parquet_readings(readings)
    return daily_series(
        connection,
        relation,
        rules=rules,
        utc_offset_hours=utc_offset_hours,
        stations=stations,
        reference_conditions=reference_conditions,
    )


def _number(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def series_report(series: DailySeries) -> dict[str, Any]:
    """One record per station-day with each key's value and valid count."""
    keys = sorted(series.values)
    rows = [
        {
            "station": station,
            "date": str(day),
            **{key: _number(series.values[key][position, number]) for key in keys},
            **{f"{key}_valid": int(series.valid_counts[key][position, number]) for key in keys},
        }
        for position, station in enumerate(series.stations)
        for number, day in enumerate(series.days)
    ]
    return {
        "rules": series.rules,
        "units": dict(series.units),
        "counting": dict(series.counting),
        "days": rows,
    }


def aqi_report(series: DailySeries, standard: str, *, fallback_engine: str | None = None) -> dict[str, Any]:
    """Daily AQI, category (bilingual), primary pollutants and engine per station-day.

    A station-day no engine covers is listed with ``aqi`` null, category NOT COMPUTED and its
    ``not_computed`` reason; ``summary`` counts the computed and not computed days (by reason).
    """
    covered = daily_aqi(series, standard, fallback_engine=fallback_engine)
    result = covered.result
    rows = []
    for position, station in enumerate(series.stations):
        for number, day in enumerate(series.days):
            category = result.category_at((position, number))
            reason = covered.reason_at((position, number))
            rows.append(
                {
                    "station": station,
                    "date": str(day),
                    "aqi": None
                    if np.isnan(result.aqi[position, number])
                    else int(result.aqi[position, number]),
                    "category_en": category.name_en if category else _NO_VALUE["en"][reason is None],
                    "category_zh": category.name_zh if category else _NO_VALUE["zh"][reason is None],
                    "primary": list(result.primary_keys((position, number))),
                    "engine": result.engine_at((position, number)) or None,
                    "not_computed": reason,
                    # HJ 633-2026 clause 5.3.1: a pollutant missing and AQI <= 100, so the AQI is NA
                    "withheld": bool(result.withheld[position, number]),
                }
            )
    summary = {
        "station_days": len(rows),
        "computed": int(covered.computed.sum()),
        "not_computed": covered.not_computed_count,
        "not_computed_reasons": covered.reason_counts(),
    }
    engines = [engine for engine in result.engines if engine]
    return {"standard": standard, "engines": engines, "summary": summary, "days": rows}


#: Category label of a day without an AQI: NO DATA (computed, no pollutant) or NOT COMPUTED.
_NO_VALUE = {
    language: {
        True: getattr(MESSAGES["class.no_data"], language),
        False: getattr(MESSAGES["class.not_computed"], language),
    }
    for language in ("en", "zh")
}


def exceedance_report(
    readings_series: dict[str, DailySeries],
    standard_ids: tuple[str, ...],
    *,
    levels: tuple[str, ...] | None = None,
    standards_dirs: tuple[Path, ...] = (),
    reference_conditions: str = "cn-gb3095-2018",
) -> dict[str, Any]:
    """Exceedance days per limit, station and year for each standard, with the limits not compared."""
    library = load_library(standards_dirs)
    rows: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for standard_id in standard_ids:
        standard = library.get(standard_id)
        counted, not_compared = exceedance_days(
            readings_series[STANDARD_RULES.get(standard_id, "cn")],
            standard,
            levels=levels,
            conditions=reference_conditions,
        )
        skipped.extend(not_compared)
        for item in counted:
            for position, station in enumerate(
                readings_series[STANDARD_RULES.get(standard_id, "cn")].stations
            ):
                for number, year in enumerate(item.years):
                    rows.append(
                        {
                            "standard": standard_id,
                            "pollutant": item.limit.pollutant,
                            "averaging": item.limit.averaging,
                            "level": item.limit.level,
                            "limit": item.limit.value,
                            "unit": item.limit.unit,
                            "source": item.limit.source,
                            "station": station,
                            "year": int(year),
                            "exceedance_days": int(item.exceedance_days[position, number]),
                            "valid_days": int(item.valid_days[position, number]),
                            "in_force_days": int(item.in_force_days[number]),
                            "counting": item.counting,
                        }
                    )
    return {"exceedances": rows, "not_compared": skipped}


def statistics_report(
    series: DailySeries, key: str, *, period: str = "year", groups: dict[str, str] | None = None
) -> dict[str, Any]:
    return {"rules": series.rules, "key": key, "rows": statistics(series, key, period=period, groups=groups)}
