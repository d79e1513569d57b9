"""Country environmental profiles: latest value, trend, rank in the group, region and world comparison, summary.

For each indicator with data for the country:

* latest value and year, and the source version of that value;
* trend: Theil-Sen slope (95 % interval) and OLS slope with its standard error over the last
  ``window_years`` years (:mod:`greenbri.core.indicators.trend`); fewer than 3 points: no trend;
* rank among the group's members (default: Belt and Road partners) that have a value within
  :data:`COMPARABLE_YEARS` of the group's most recent year (1 = best by the indicator's direction;
  for indicators with no better direction, 1 = largest);
* region: the median of the latest values of the countries of the same UN region (same year rule);
* world: the source's own World row (``WLD`` / ``OWID_WRL``) for the country's latest year.

The summary sentences are generated from these numbers in Chinese and English.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import pandas as pd

from greenbri.adapters.indicators.reference import country_reference
from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import InputError
from greenbri.core.indicators.groups import CountryGroup
from greenbri.core.indicators.model import Indicator
from greenbri.core.indicators.trend import fit_trend, recent_window
from greenbri.usecases.indicators.catalog import all_groups, all_indicators
from greenbri.usecases.indicators.summaries import summary

__all__ = ["COMPARABLE_YEARS", "build_profile", "build_profiles", "profile_context", "world_series"]

COMPARABLE_YEARS = 5
DEFAULT_GROUP = "bri_partners"


Series = list[tuple[int, float, str]]


def _index(values: pd.DataFrame) -> dict[str, dict[str, Series]]:
    """code -> indicator -> [(year, value, source_version)] sorted by year (plain Python: fast to read)."""
    index: dict[str, dict[str, Series]] = {}
    ordered = values.sort_values(["code", "indicator_id", "year"], kind="stable")
    for code, indicator_id, year, value, version in zip(
        ordered["code"].tolist(),
        ordered["indicator_id"].tolist(),
        ordered["year"].tolist(),
        ordered["value"].tolist(),
        ordered["source_version"].tolist(),
        strict=True,
    ):
        index.setdefault(code, {}).setdefault(indicator_id, []).append(
            (int(year), float(value), str(version))
        )
    return index


def profile_context(store: IndicatorStore, *, group_id: str = DEFAULT_GROUP) -> dict[str, Any]:
    """What every profile of a run shares: values by country, the world rows, indicators, groups."""
    values = store.observations()
    if values.empty:
        raise InputError(
            "the indicator store is empty.", hint="ingest files first: greenbri indicators ingest PATH."
        )
    groups = all_groups()
    if group_id not in groups:
        raise InputError(f"unknown group {group_id!r}.", hint=f"use one of: {', '.join(sorted(groups))}.")
    by_code = _index(values[values["kind"].isin(["country", "aggregate"])])
    reference = country_reference()
    countries = {code: series for code, series in by_code.items() if code in reference.countries}
    return {
        "by_country": countries,
        "world": by_code.get("WLD", {}),
        "indicators": all_indicators(store),
        "groups": groups,
        "group": groups[group_id],
        "reference": reference,
        "tables": {},
    }


def _comparable_latest(context: dict[str, Any], indicator_id: str, codes: frozenset[str]) -> dict[str, float]:
    """code -> latest value, for ``codes`` with a value within :data:`COMPARABLE_YEARS` of their most recent year."""
    key = (indicator_id, codes)
    if key not in context["tables"]:
        latest = {
            code: context["by_country"][code][indicator_id][-1]
            for code in codes
            if indicator_id in context["by_country"].get(code, {})
        }
        newest = max((year for year, _, _ in latest.values()), default=0)
        context["tables"][key] = {
            code: value for code, (year, value, _) in latest.items() if year >= newest - COMPARABLE_YEARS
        }
    table: dict[str, float] = context["tables"][key]
    return table


def _rank(context: dict[str, Any], indicator: Indicator, iso3: str) -> dict[str, Any] | None:
    table = _comparable_latest(context, indicator.id, frozenset(context["group"].codes))
    if iso3 not in table:
        return None
    value = table[iso3]
    ascending = indicator.higher_is_better is False
    better = sum(1 for other in table.values() if (other < value if ascending else other > value))
    return {"position": better + 1, "of": len(table), "best_is": "lowest" if ascending else "highest"}


def _region(context: dict[str, Any], indicator: Indicator, iso3: str) -> dict[str, Any] | None:
    reference = context["reference"]
    region = reference.countries[iso3].region
    if not region:
        return None
    members = frozenset(
        code for code, info in reference.countries.items() if info.region == region and not info.part_of
    )
    table = _comparable_latest(context, indicator.id, members)
    if not table:
        return None
    return {"name": region, "median": float(statistics.median(table.values())), "countries": len(table)}


def _world(context: dict[str, Any], indicator: Indicator, year: int) -> dict[str, Any] | None:
    rows: Series = context["world"].get(indicator.id, [])
    if not rows:
        return None
    same = [row for row in rows if row[0] == year]
    chosen = same[-1] if same else rows[-1]
    return {"value": chosen[1], "year": chosen[0], "source_version": chosen[2]}


def _indicator_entry(
    context: dict[str, Any], indicator: Indicator, series: Series, iso3: str, window_years: int
) -> dict[str, Any]:
    last_year, last_value, last_version = series[-1]
    years, values = recent_window([row[0] for row in series], [row[1] for row in series], window_years)
    trend = fit_trend(years, values)
    return {
        "id": indicator.id,
        "name": indicator.name.to_dict(),
        "unit": indicator.unit,
        "higher_is_better": indicator.higher_is_better,
        "latest": {"value": last_value, "year": last_year, "source_version": last_version},
        "series": [[year, value] for year, value, _ in series],
        "trend": trend.to_dict() if trend else None,
        "rank": _rank(context, indicator, iso3),
        "region": _region(context, indicator, iso3),
        "world": _world(context, indicator, last_year),
    }


def _memberships(groups: dict[str, CountryGroup], iso3: str) -> list[dict[str, Any]]:
    rows = []
    for group in groups.values():
        member = group.member(iso3)
        if member is not None:
            rows.append(
                {
                    "id": group.id,
                    "name": group.name.to_dict(),
                    "kind": group.kind,
                    "since": member.since,
                    "uncertain": member.uncertain or group.uncertain,
                }
            )
    return sorted(rows, key=lambda row: (row["kind"], row["id"]))


def build_profile(context: dict[str, Any], iso3: str, *, window_years: int = 10) -> dict[str, Any]:
    """The profile of ``iso3`` (a dict ready for JSON)."""
    iso3 = iso3.upper()
    reference = context["reference"]
    if iso3 not in reference.countries:
        raise InputError(
            f"unknown country code {iso3!r}.", hint="give an ISO 3166-1 alpha-3 code such as PAK or KAZ."
        )
    own: dict[str, Series] = context["by_country"].get(iso3, {})
    entries = [
        _indicator_entry(context, context["indicators"][indicator_id], series, iso3, window_years)
        for indicator_id, series in sorted(own.items())
        if indicator_id in context["indicators"]
    ]
    info = reference.countries[iso3]
    profile = {
        "country": {
            "iso3": iso3,
            "name": info.name.to_dict(),
            "un_region": info.region,
            "un_subregion": info.subregion,
            "income_group": info.income_group,
        },
        "group": {"id": context["group"].id, "name": context["group"].name.to_dict()},
        "groups": _memberships(context["groups"], iso3),
        "indicators": entries,
        "method": {
            "trend": "Theil-Sen slope with Sen's 95 % interval; OLS slope and standard error",
            "window_years": window_years,
            "comparable_years": COMPARABLE_YEARS,
        },
    }
    profile["summary"] = summary(profile)
    return profile


def world_series(context: dict[str, Any]) -> dict[str, list[list[float]]]:
    """indicator -> [[year, value]] of the sources' own World rows (for charts)."""
    return {
        indicator: [[year, value] for year, value, _ in rows]
        for indicator, rows in sorted(context["world"].items())
    }


def build_profiles(
    store: IndicatorStore,
    countries: Sequence[str] | None = None,
    *,
    group_id: str = DEFAULT_GROUP,
    window_years: int = 10,
) -> list[dict[str, Any]]:
    """Profiles of ``countries`` (default: every member of the group with data), in ISO3 order."""
    context = profile_context(store, group_id=group_id)
    with_data = set(context["by_country"])
    codes = (
        sorted(code.upper() for code in countries)
        if countries
        else [c for c in context["group"].codes if c in with_data]
    )
    return [build_profile(context, code, window_years=window_years) for code in codes]
