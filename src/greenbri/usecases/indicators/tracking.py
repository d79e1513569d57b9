"""``greenbri targets list|evaluate``: the seed targets and their progress on the stored data.

A target is evaluated on its own indicator for its scope. When that series is not in the store
and the target names a ``proxy_indicator`` (e.g. the World Bank PM2.5 exposure for China's
city-monitoring PM2.5 target), the proxy is used if ``use_proxy`` is set and the result says so
(``measured_by: proxy`` with the target's proxy note): an indicative status, not an official one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import InputError
from greenbri.core.indicators.data_files import catalog_indicators, seed_targets
from greenbri.core.indicators.progress import evaluate_target, physical_range
from greenbri.core.indicators.targets import Target

__all__ = ["evaluate_targets", "list_targets"]


def _select(target_ids: Sequence[str] | None) -> list[Target]:
    targets = seed_targets()
    if not target_ids:
        return [targets[key] for key in sorted(targets)]
    unknown = [key for key in target_ids if key not in targets]
    if unknown:
        raise InputError(f"unknown targets {unknown}.", hint="list them with `greenbri targets list`.")
    return [targets[key] for key in target_ids]


def list_targets() -> list[dict[str, Any]]:
    """Every seed target with its citation."""
    return [target.to_dict() for target in _select(None)]


def evaluate_targets(
    store: IndicatorStore,
    target_ids: Sequence[str] | None = None,
    *,
    use_proxy: bool = True,
    window_years: int = 10,
    until_year: int | None = None,
) -> list[dict[str, Any]]:
    """Evaluate targets (all by default) against the store's values (only years up to ``until_year``
    if given: the evaluation as it stood then)."""
    chosen = _select(target_ids)
    wanted = {t.indicator for t in chosen} | {t.proxy_indicator for t in chosen if t.proxy_indicator}
    values = store.observations(wanted)
    if until_year is not None:
        values = values[values["year"].astype(int) <= until_year]
    units = {key: item.unit for key, item in catalog_indicators().items()}
    results = []
    for target in chosen:
        measured_by, indicator = "indicator", target.indicator
        rows = values[(values["indicator_id"] == indicator) & (values["code"] == target.scope)]
        if rows.empty and use_proxy and target.proxy_indicator:
            measured_by, indicator = "proxy", target.proxy_indicator
            rows = values[(values["indicator_id"] == indicator) & (values["code"] == target.scope)]
        evaluation = evaluate_target(
            target,
            rows["year"].astype(int).tolist(),
            rows["value"].astype(float).tolist(),
            window_years=window_years,
            bounds=physical_range(units.get(indicator, "")),
        )
        result = evaluation.to_dict()
        result.update(
            {
                "name": target.name.to_dict(),
                "measured_by": measured_by if not rows.empty else "none",
                "measured_indicator": indicator if not rows.empty else None,
                "proxy_note": target.proxy_note if measured_by == "proxy" and not rows.empty else "",
                "source_version": str(rows.sort_values("year")["source_version"].iloc[-1])
                if not rows.empty
                else None,
                "target_value": target.target_value,
                "target_year": target.target_year,
                "comparator": target.comparator,
                "qualifier": target.qualifier,
                "citation": target.citation.to_dict(),
            }
        )
        results.append(result)
    return results
