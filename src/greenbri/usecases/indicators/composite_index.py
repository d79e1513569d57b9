"""``greenbri index compute``: the composite index of a country group, with its sensitivity check.

Data step (here): for each indicator of the methodology, each group member's latest value within
``latest_within_years`` of the group's most recent year for that indicator. Maths (core,
:mod:`greenbri.core.indicators.composite`): direction, optional log, percentile min-max to 0-100,
weighted mean over the indicators a country has (NO DATA below ``min_coverage`` of the weight),
ranks, and the sensitivity of the ranking to the weights.
"""

from __future__ import annotations

from typing import Any

from greenbri.adapters.indicators.reference import country_reference
from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import InputError
from greenbri.core.indicators.composite import (
    IndexResult,
    aggregate,
    competition_ranks,
    normalise,
    sensitivity,
)
from greenbri.core.indicators.data_files import index_methodology
from greenbri.usecases.indicators.catalog import all_groups, all_indicators

__all__ = ["compute_index"]


def _latest_values(
    store: IndicatorStore, indicator_id: str, codes: set[str], within: int
) -> dict[str, tuple[int, float]]:
    values = store.observations([indicator_id])
    values = values[values["code"].isin(codes) & (values["kind"] == "country")]
    latest = values.sort_values("year").groupby("code").tail(1)
    if latest.empty:
        return {}
    newest = int(latest["year"].max())
    return {
        str(code): (int(year), float(value))
        for code, year, value in zip(latest["code"], latest["year"], latest["value"], strict=True)
        if int(year) >= newest - within
    }


def compute_index(
    store: IndicatorStore, *, group_id: str = "bri_partners", draws: int | None = None
) -> dict[str, Any]:
    """The index for every member of the group, ranks, the methodology used and the sensitivity check."""
    method = index_methodology()
    groups = all_groups()
    if group_id not in groups:
        raise InputError(f"unknown group {group_id!r}.", hint=f"use one of: {', '.join(sorted(groups))}.")
    codes = set(groups[group_id].codes)
    indicators = all_indicators(store)
    scores: dict[str, dict[str, float]] = {}
    used: dict[str, dict[str, Any]] = {}
    for item in method["indicators"]:
        indicator = indicators[item["id"]]
        latest = _latest_values(store, indicator.id, codes, int(method["latest_within_years"]))
        if indicator.higher_is_better is None:
            raise InputError(
                f"the index indicator {indicator.id} has no better direction.", hint="fix the methodology."
            )
        normalisation = method["normalisation"]
        scores[indicator.id] = normalise(
            {code: value for code, (_, value) in latest.items()},
            higher_is_better=indicator.higher_is_better,
            transform=item["transform"],
            percentiles=(float(normalisation["low_percentile"]), float(normalisation["high_percentile"])),
        )
        years = [year for year, _ in latest.values()]
        used[indicator.id] = {
            "countries": len(latest),
            "years": [min(years), max(years)] if years else None,
            "weight": item["weight"],
            "transform": item["transform"],
            "category": item["category"],
        }
    weights = {item["id"]: float(item["weight"]) for item in method["indicators"]}
    results = aggregate(scores, weights, min_coverage=float(method["min_coverage"]))
    for code in sorted(codes - set(results)):
        results[code] = IndexResult(None, 0.0, ())
    ranks = competition_ranks({code: result.score for code, result in results.items()})
    reference = country_reference()
    rows = [
        {
            "iso3": code,
            "name": reference.countries[code].name.to_dict()
            if code in reference.countries
            else {"en": code, "zh": code},
            "score": result.score,
            "rank": ranks.get(code),
            "coverage": result.coverage,
            "indicators": {name: scores[name][code] for name in result.indicators_used},
            "status": "scored" if result.score is not None else "no_data",
        }
        for code, result in results.items()
    ]
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["iso3"]))
    settings = method["sensitivity"]
    check = sensitivity(
        scores,
        weights,
        min_coverage=float(method["min_coverage"]),
        draws=int(settings["random_draws"] if draws is None else draws),
        seed=int(settings["seed"]),
    )
    return {
        "methodology": method,
        "group": group_id,
        "indicators": used,
        "countries": rows,
        "sensitivity": check,
    }
