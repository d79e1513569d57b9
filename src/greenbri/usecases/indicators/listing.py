"""``greenbri indicators list|show``: the catalog with the data the store holds for each indicator."""

from __future__ import annotations

from typing import Any

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.usecases.indicators.catalog import all_indicators, get_indicator

__all__ = ["indicator_detail", "indicator_rows"]

_BETTER = {True: "higher", False: "lower", None: "—"}


def indicator_rows(store: IndicatorStore) -> list[dict[str, Any]]:
    """One row per catalog indicator: metadata and coverage (countries, year range); NO DATA shows as empty."""
    values = store.observations()
    countries = values[values["kind"] == "country"]
    coverage = countries.groupby("indicator_id").agg(
        countries=("code", "nunique"), first=("year", "min"), last=("year", "max")
    )
    rows = []
    for indicator in all_indicators(store).values():
        row = coverage.loc[indicator.id].to_dict() if indicator.id in coverage.index else None
        rows.append(
            {
                "id": indicator.id,
                "name": indicator.name.to_dict(),
                "unit": indicator.unit,
                "better": _BETTER[indicator.higher_is_better],
                "sdg": indicator.sdg,
                "theme": indicator.theme,
                "countries": int(row["countries"]) if row is not None else 0,
                "years": f"{int(row['first'])}-{int(row['last'])}" if row is not None else None,
            }
        )
    return sorted(rows, key=lambda row: row["id"])


def indicator_detail(store: IndicatorStore, indicator_id: str, country: str | None = None) -> dict[str, Any]:
    """The indicator's metadata, coverage, source versions, the codebook entry if any, and a country's series."""
    indicator = get_indicator(indicator_id, store)
    values = store.observations([indicator_id])
    detail = indicator.to_dict()
    countries = values[values["kind"] == "country"]
    detail["countries"] = int(countries["code"].nunique())
    detail["aggregates"] = int(values[values["kind"] == "aggregate"]["code"].nunique())
    detail["years"] = f"{int(values['year'].min())}-{int(values['year'].max())}" if not values.empty else None
    detail["source_versions"] = sorted(set(values["source_version"]))
    codebook = store.manifest().get("codebooks", {}).get("owid_co2", {}).get("columns", {})
    owid = next((item.series for item in indicator.inputs if item.format == "owid_co2"), None)
    detail["codebook"] = codebook.get(owid) if owid else None
    if country:
        series = values[values["code"] == country.upper()].sort_values("year")
        detail["series"] = [[int(y), float(v)] for y, v in zip(series["year"], series["value"], strict=True)]
    return detail
