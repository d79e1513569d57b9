"""The standards verbs: list, show, compare ("strictest of" across jurisdictions).

Standards come from the bundled data files plus any ``*.json`` in
``GREENBRI_STANDARDS_DIR`` (a deployment's own host-country standards).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from greenbri.adapters.standards_files import load_library
from greenbri.core.compliance import strictest
from greenbri.core.errors import InputError
from greenbri.core.standards import StandardLibrary, StandardLimit, standard_to_dict
from greenbri.core.units import UNITS, convert

__all__ = ["compare_limits", "load_standards", "standard_detail", "standards_table"]

#: Mixing ratios and mass concentrations are compared at 298.15 K and 101.325 kPa, the reference
#: state of both GB 3095-2012 amendment No. 1 (2018) for gases and 40 CFR 50.3.
COMPARISON_CONDITIONS = "us-epa"


def load_standards(extra_dir: Path | None) -> StandardLibrary:
    return load_library([extra_dir] if extra_dir else [])


def standards_table(
    library: StandardLibrary, on: dt.date | None = None, jurisdiction: str | None = None
) -> list[dict[str, Any]]:
    """One row per standard (in force on ``on`` when given)."""
    standards = (
        library.in_force(on, jurisdiction)
        if on
        else [s for s in library if jurisdiction in (None, s.jurisdiction)]
    )
    return [
        {
            "id": standard.id,
            "jurisdiction": standard.jurisdiction,
            "kind": standard.kind,
            "title": standard.title.to_dict(),
            "document_number": standard.document_number,
            "effective_from": standard.effective_from.isoformat(),
            "effective_to": standard.effective_to.isoformat() if standard.effective_to else None,
            "phases": [phase.id for phase in standard.phases],
            "limit_count": len(standard.limits),
            "uncertain_count": sum(limit.certainty != "confirmed" for limit in standard.limits),
        }
        for standard in standards
    ]


def standard_detail(library: StandardLibrary, standard_id: str) -> dict[str, Any]:
    return standard_to_dict(library.get(standard_id))


def _converter(value: float, from_unit: str, to_unit: str, pollutant: str) -> float:
    if from_unit not in UNITS or to_unit not in UNITS:
        raise InputError(
            f"Cannot convert {from_unit} to {to_unit}.", hint="compare limits given in the same unit."
        )
    converted = convert(
        np.array([value]), from_unit, to_unit, pollutant=pollutant, conditions=COMPARISON_CONDITIONS
    )
    return float(converted[0])


def _row(item: StandardLimit, unit: str, value: float | None) -> dict[str, Any]:
    limit = item.limit
    in_unit = (
        _converter(limit.value, limit.unit, unit, limit.pollutant) if limit.unit != unit else limit.value
    )
    row: dict[str, Any] = {
        "standard": item.standard_id,
        "jurisdiction": item.standard.jurisdiction,
        "level": limit.level,
        "statistic": str(limit.statistic),
        "comparator": limit.comparator,
        "value": limit.value,
        "unit": limit.unit,
        "value_in_unit": in_unit,
        "phase": limit.phase,
        "applies_to": limit.applies_to,
        "exceedances_allowed": limit.exceedances_allowed,
        "citation": item.citation,
        "certainty": limit.certainty,
    }
    if value is not None:
        meets = value <= in_unit if limit.is_maximum else value >= in_unit
        row["status"] = "meets" if meets else "exceeds"
        row["margin"] = value - in_unit
    return row


def compare_limits(
    library: StandardLibrary,
    pollutant: str,
    averaging: str,
    on: dt.date,
    *,
    jurisdictions: Sequence[str] = (),
    levels: Sequence[str] = (),
    value: float | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """Every applicable limit for ``pollutant`` over ``averaging`` on ``on``, and the binding (strictest) one.

    ``jurisdictions`` and ``levels`` narrow the candidates (e.g. CHN + WHO + IFC, levels grade_2 and AQG).
    With ``value`` (in ``unit``), each limit says whether the value meets it, and by what margin.
    """
    chosen = [
        standard
        for standard in library.in_force(on)
        if not jurisdictions or standard.jurisdiction in jurisdictions
    ]
    candidates = [
        StandardLimit(standard, limit)
        for standard in chosen
        for limit in standard.limits_on(on)
        if limit.pollutant == pollutant
        and limit.averaging == averaging
        and (not levels or limit.level in levels)
    ]
    if value is not None and (math.isnan(value) or unit is None):
        raise InputError(
            "A value to compare needs a number and a unit.", hint="pass --value 30 --unit ug/m3."
        )
    if not candidates:
        return {
            "pollutant": pollutant,
            "averaging": averaging,
            "date": on.isoformat(),
            "limits": [],
            "strictest": None,
            "status": "NO DATA" if value is None else "NO LIMIT",
        }
    target_unit = unit or candidates[0].limit.unit
    filtered = StandardLibrary(
        [
            replace(standard, limits=tuple(item.limit for item in candidates if item.standard is standard))
            for standard in chosen
            if any(item.standard is standard for item in candidates)
        ]
    )
    binding = strictest(pollutant, averaging, on, filtered, convert=_converter)
    rows = sorted(
        (_row(item, target_unit, value) for item in candidates),
        key=lambda row: (row["value_in_unit"], row["standard"]),
    )
    return {
        "pollutant": pollutant,
        "averaging": averaging,
        "date": on.isoformat(),
        "unit": target_unit,
        "limits": rows,
        "strictest": None if binding is None else _row(binding, target_unit, value),
    }
