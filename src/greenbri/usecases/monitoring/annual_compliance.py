"""Annual and percentile compliance of station readings, per station, year and standard, with a verdict.

For each assessed standard (``id[:level][@phase]``, e.g. ``cn-gb3095-2026:grade_2@transition``)
and each calendar year of the daily series, every limit of that level is assessed under the
standard's regime (:data:`greenbri.core.assessment_forms.STANDARD_FORM_SETS`): HJ 663-2013 for
GB 3095, greenbri's operationalisation of WHO 2021, 40 CFR Part 50 design values for the NAAQS.
A row per station, year and limit gives the statistic, its value (as compared, rounded under the
regime, and unrounded), the capture, the status and the citations; a verdict per station, year
and standard sums them up:

* ``exceeds`` when any assessed limit is exceeded;
* otherwise ``insufficient`` when any limit lacks data (capture below the rule, no data at all,
  or a statistic greenbri cannot compute): NO DATA, never "meets";
* otherwise ``meets``.

Limits are those that apply on 31 December of the year; when the standard (or the chosen phase)
is not in force then, the limits of its nearest day in force are used **as a yardstick**, and the
row says so (``in_force`` false, ``limits_as_of``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greenbri.adapters.standards_files import load_library
from greenbri.core.annual_assessment import AnnualStatistics, AnnualStatus, annual_statistics, judge
from greenbri.core.assessment_forms import STANDARD_FORM_SETS, AnnualForm, NotAssessed, form_for
from greenbri.core.errors import InputError
from greenbri.core.standards.model import Limit, Standard, StandardLibrary
from greenbri.core.units import convert
from greenbri.usecases.monitoring.derived import DailySeries

__all__ = [
    "DEFAULT_ASSESSMENTS",
    "AssessedStandard",
    "annual_compliance",
    "compliance_report",
    "parse_assessment",
    "rules_needed",
]

#: GB 3095-2012 grade II, GB 3095-2026 grade II (transitional limits) and the WHO 2021 guideline levels.
DEFAULT_ASSESSMENTS = ("cn-gb3095-2012:grade_2", "cn-gb3095-2026:grade_2@transition", "who-aqg-2021:AQG")
_SERIES_OF_AVERAGING = {"24h": "24h", "mda8": "8h", "1h": "1h", "year": "24h", "peak-season": "8h"}


@dataclass(frozen=True)
class AssessedStandard:
    """A standard, one of its levels (``None``: every level) and optionally a phase."""

    standard_id: str
    level: str | None = None
    phase: str | None = None

    def label(self) -> str:
        text = self.standard_id + (f":{self.level}" if self.level else "")
        return text + (f"@{self.phase}" if self.phase else "")


def parse_assessment(text: str) -> AssessedStandard:
    """``"cn-gb3095-2026:grade_2@transition"`` -> the standard, level and phase."""
    body, _, phase = text.strip().partition("@")
    standard_id, _, level = body.partition(":")
    if not standard_id:
        raise InputError(
            f"Cannot read the standard {text!r}.",
            hint="write ID:LEVEL@PHASE (level and phase optional), e.g. cn-gb3095-2026:grade_2@transition "
            "or who-aqg-2021:AQG.",
        )
    return AssessedStandard(standard_id, level or None, phase or None)


def rules_needed(assessments: Sequence[AssessedStandard]) -> tuple[str, ...]:
    """The daily rules (``cn``, ``us``) whose series the assessments need."""
    return tuple(sorted({_regime(item.standard_id)[1] for item in assessments}))


def _regime(standard_id: str) -> tuple[str, str]:
    if standard_id not in STANDARD_FORM_SETS:
        raise InputError(
            f"greenbri has no annual assessment rules for {standard_id!r}.",
            hint=f"assess one of: {', '.join(STANDARD_FORM_SETS)}.",
        )
    return STANDARD_FORM_SETS[standard_id]


@functools.cache
def _labels() -> dict[str, tuple[str, str]]:
    # imported here: the catalogue's package (usecases.reports) imports the report renderers on import
    from greenbri.usecases.reports.messages import MESSAGES

    return {
        status.value: (MESSAGES[f"compliance.{status.value}"].en, MESSAGES[f"compliance.{status.value}"].zh)
        for status in AnnualStatus
    }


def _label(status: str) -> dict[str, str]:
    english, chinese = _labels()[status]
    return {"en": english, "zh": chinese}


def _reference_date(standard: Standard, phase_id: str | None, year: int) -> tuple[dt.date, bool]:
    """The day whose limits assess ``year`` (its 31 December, clamped into force) and whether it is in force."""
    end = dt.date(year, 12, 31)
    if phase_id is not None:
        phase = standard.phase(phase_id)
        start, stop = phase.effective_from, phase.effective_to
    else:
        start, stop = standard.effective_from, standard.effective_to
    reference = max(end, start)
    if stop is not None:
        reference = min(reference, stop)
    return reference, reference == end


def _limits(standard: Standard, item: AssessedStandard, on: dt.date) -> tuple[Limit, ...]:
    limits = tuple(
        limit for limit in standard.limits_on(on) if item.level is None or limit.level == item.level
    )
    if not limits and item.level is not None and all(limit.level != item.level for limit in standard.limits):
        levels = sorted({limit.level for limit in standard.limits})
        raise InputError(
            f"{standard.id} has no level {item.level!r}.", hint=f"use one of: {', '.join(levels)}."
        )
    return limits


class _Statistics:
    """Annual statistics per (form, key, unit), computed once for every limit that shares them."""

    def __init__(self, series: DailySeries, conditions: str) -> None:
        self.series = series
        self.conditions = conditions
        self._cache: dict[tuple[AnnualForm, str, str], AnnualStatistics] = {}

    def get(self, form: AnnualForm, limit: Limit) -> tuple[str, AnnualStatistics | None]:
        key = f"{limit.pollutant}_{form.series}"
        if key not in self.series.values:
            return key, None
        cache_key = (form, key, limit.unit)
        if cache_key not in self._cache:
            values = self.series.values[key]
            if self.series.units[key] != limit.unit:
                values = convert(
                    values,
                    self.series.units[key],
                    limit.unit,
                    pollutant=limit.pollutant,
                    conditions=self.conditions,
                )
            self._cache[cache_key] = annual_statistics(values, self.series.days, form)
        return key, self._cache[cache_key]


def _number(value: float) -> float | None:
    """``value`` to 8 significant digits (ppm design values need more than 4 decimals), ``None`` if NaN."""
    return None if np.isnan(value) else float(f"{float(value):.8g}")


def _form_text(form: AnnualForm, limit: Limit) -> dict[str, Any]:
    """The form's description; ``uncertain`` when the limit is, or a rule of the form was recalled, not read."""
    recalled = [
        f"{citation.document}, {citation.clause}"
        for citation in form.citations
        if citation.verified == "recalled"
    ]
    if limit.certainty == "uncertain":
        recalled.insert(0, f"the limit value ({limit.note or 'marked uncertain in the standards library'})")
    return {
        "statistic": form.name,
        "rounding": form.rounding,
        "years_averaged": form.years,
        "capture_rule": form.capture,
        "citations": [str(citation) for citation in form.citations],
        "uncertain": bool(recalled),
        "uncertain_because": recalled,
    }


def _limit_text(item: AssessedStandard, standard: Standard, limit: Limit) -> dict[str, Any]:
    return {
        "standard": standard.id,
        "assessment": item.label(),
        "pollutant": limit.pollutant,
        "averaging": limit.averaging,
        "limit_statistic": str(limit.statistic),
        "level": limit.level,
        "phase": limit.phase,
        "limit": limit.value,
        "unit": limit.unit,
        "comparator": limit.comparator,
        "source": f"{standard.document_number}, {limit.source}",
        "certainty": limit.certainty,
    }


def _rows_for_limit(
    item: AssessedStandard,
    standard: Standard,
    limit: Limit,
    form: AnnualForm,
    stats: _Statistics,
    year_index: int,
    context: dict[str, Any],
) -> list[dict[str, Any]]:
    key, result = stats.get(form, limit)
    base = {**_limit_text(item, standard, limit), **_form_text(form, limit), "key": key, **context}
    rows = []
    for position, station in enumerate(stats.series.stations):
        row = {**base, "station": station}
        if result is None:
            status = AnnualStatus.NO_DATA
            row |= {
                "value": None,
                "value_unrounded": None,
                "valid_days": 0,
                "possible_days": None,
                "reason": f"no {key} values under the {stats.series.rules} daily rules: ingest hourly "
                f"{limit.pollutant} readings (greenbri monitor ingest)",
            }
        else:
            raw = float(result.values[position, year_index])
            row |= {
                "valid_days": int(result.valid_days[position, year_index]),
                "possible_days": int(result.possible_days[position, year_index]),
                "value_unrounded": _number(raw),
            }
            shortfall = result.shortfall[position * result.years.size + year_index]
            if np.isnan(raw):
                status = AnnualStatus.INSUFFICIENT
                row |= {"value": None, "reason": "insufficient data capture: " + "; ".join(shortfall)}
            else:
                compared, status = judge(raw, limit, form)
                row |= {"value": _number(compared), "reason": ""}
        row |= {"status": status.value, "status_label": _label(status.value)}
        rows.append(row)
    return rows


def _not_computed_rows(
    item: AssessedStandard,
    standard: Standard,
    limit: Limit,
    reason: NotAssessed,
    stations: Sequence[str],
    context: dict[str, Any],
) -> list[dict[str, Any]]:
    status = AnnualStatus.NOT_COMPUTED.value
    base = {**_limit_text(item, standard, limit), **context, "status": status, "status_label": _label(status)}
    extra = {
        "value": None,
        "value_unrounded": None,
        "reason": reason.reason,
        "citations": [str(reason.citation)] if reason.citation else [],
    }
    return [{**base, **extra, "station": station} for station in stations]


def _verdict(rows: list[dict[str, Any]]) -> str:
    statuses = {row["status"] for row in rows}
    if AnnualStatus.EXCEEDS.value in statuses:
        return AnnualStatus.EXCEEDS.value
    if statuses & {
        AnnualStatus.INSUFFICIENT.value,
        AnnualStatus.NO_DATA.value,
        AnnualStatus.NOT_COMPUTED.value,
    }:
        return AnnualStatus.INSUFFICIENT.value
    return AnnualStatus.MEETS.value if statuses else AnnualStatus.NO_DATA.value


def _assess_one(
    item: AssessedStandard, library: StandardLibrary, series: Mapping[str, DailySeries], conditions: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    standard = library.get(item.standard_id)
    form_set, rules = _regime(item.standard_id)
    if rules not in series:
        raise InputError(
            f"{item.standard_id} needs daily values under the {rules!r} rules.", hint="derive them."
        )
    daily = series[rules]
    stats = _Statistics(daily, conditions)
    years = sorted({int(year) for year in daily.years()})
    rows: list[dict[str, Any]] = []
    outside: dict[tuple[str, str, str], dict[str, Any]] = {}
    for year_index, year in enumerate(years):
        reference, in_force = _reference_date(standard, item.phase, year)
        context = {
            "year": year,
            "in_force": in_force,
            "limits_as_of": reference.isoformat(),
            "form_set": form_set,
        }
        for limit in _limits(standard, item, reference):
            form = form_for(form_set, limit)
            if isinstance(form, AnnualForm):
                rows.extend(_rows_for_limit(item, standard, limit, form, stats, year_index, context))
            elif form.counts_against_verdict:
                rows.extend(_not_computed_rows(item, standard, limit, form, daily.stations, context))
            else:
                outside[(limit.pollutant, limit.averaging, limit.level)] = {
                    **_limit_text(item, standard, limit),
                    "reason": form.reason,
                    "citations": [str(form.citation)] if form.citation else [],
                }
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["station"], row["year"]), []).append(row)
    verdicts = []
    for station in daily.stations:
        for year in years:
            mine = grouped.get((station, year), [])
            verdicts.append(_verdict_row(item, station, year, mine, _verdict(mine)))
    return rows, verdicts, list(outside.values())


def _verdict_row(
    item: AssessedStandard, station: str, year: int, rows: list[dict[str, Any]], verdict: str
) -> dict[str, Any]:
    def keys(status: str) -> list[str]:
        return sorted(f"{row['pollutant']} {row['averaging']}" for row in rows if row["status"] == status)

    return {
        "assessment": item.label(),
        "standard": item.standard_id,
        "station": station,
        "year": year,
        "verdict": verdict,
        "verdict_label": _label(verdict),
        "in_force": bool(rows and rows[0]["in_force"]),
        "exceeded": keys(AnnualStatus.EXCEEDS.value),
        "insufficient": sorted(
            {
                *keys(AnnualStatus.INSUFFICIENT.value),
                *keys(AnnualStatus.NO_DATA.value),
                *keys(AnnualStatus.NOT_COMPUTED.value),
            }
        ),
        "met": keys(AnnualStatus.MEETS.value),
    }


def annual_compliance(
    series: Mapping[str, DailySeries],
    assessments: Sequence[AssessedStandard],
    library: StandardLibrary,
    *,
    reference_conditions: str = "cn-gb3095-2018",
    years: Sequence[int] = (),
) -> dict[str, Any]:
    """Rows per station, year and limit, verdicts per station, year and standard, and limits outside the assessment.

    ``series`` maps daily rules (``cn``, ``us``) to daily series (see :func:`rules_needed`);
    ``reference_conditions`` is the reference state of stored gas mass concentrations, used
    when a limit is in another unit (ppb, ppm). ``years`` keeps only those years in the report
    (3-year statistics still use the years before them).
    """
    rows: list[dict[str, Any]] = []
    verdicts: list[dict[str, Any]] = []
    outside: list[dict[str, Any]] = []
    for item in assessments:
        more_rows, more_verdicts, more_outside = _assess_one(item, library, series, reference_conditions)
        rows.extend(more_rows)
        verdicts.extend(more_verdicts)
        outside.extend(more_outside)
    if years:
        rows = [row for row in rows if row["year"] in years]
        verdicts = [verdict for verdict in verdicts if verdict["year"] in years]
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict["verdict"]] = counts.get(verdict["verdict"], 0) + 1
    return {
        "assessments": [item.label() for item in assessments],
        "verdicts": verdicts,
        "rows": rows,
        "not_assessed": outside,
        "summary": dict(sorted(counts.items())),
    }


def compliance_report(
    series: Mapping[str, DailySeries],
    assessments: Sequence[str],
    *,
    standards_dirs: Sequence[Path] = (),
    reference_conditions: str = "cn-gb3095-2018",
    years: Sequence[int] = (),
) -> dict[str, Any]:
    """:func:`annual_compliance` of ``assessments`` (``id[:level][@phase]`` texts) with the standards library."""
    items = [parse_assessment(text) for text in assessments]
    library = load_library(tuple(standards_dirs))
    return annual_compliance(series, items, library, reference_conditions=reference_conditions, years=years)
