"""The indicator catalog and country groups as the use cases see them: bundled plus the user's own."""

from __future__ import annotations

import json
from pathlib import Path

from greenbri.adapters.indicators.reference import country_reference
from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import CatalogError
from greenbri.core.indicators.data_files import catalog_indicators, groups_from_document, seed_groups
from greenbri.core.indicators.groups import CountryGroup
from greenbri.core.indicators.model import Indicator, indicator_from_document

__all__ = ["all_groups", "all_indicators", "get_indicator", "series_index"]


def all_indicators(store: IndicatorStore | None = None) -> dict[str, Indicator]:
    """The bundled catalog plus indicators defined by mappings at ingest (stored in the manifest)."""
    result = dict(catalog_indicators())
    if store is not None:
        for key, document in sorted(store.manifest().get("custom_indicators", {}).items()):
            result.setdefault(key, indicator_from_document(document, f"custom indicator {key}"))
    return result


def get_indicator(indicator_id: str, store: IndicatorStore | None = None) -> Indicator:
    indicators = all_indicators(store)
    if indicator_id not in indicators:
        raise CatalogError(
            f"Unknown indicator {indicator_id!r}.",
            hint="list the indicators with `greenbri indicators list`.",
        )
    return indicators[indicator_id]


def series_index(indicators: dict[str, Indicator]) -> dict[tuple[str, str], str]:
    """(format, series) -> indicator id, from the catalog's inputs."""
    return {
        (item.format, item.series): indicator.id
        for indicator in indicators.values()
        for item in indicator.inputs
    }


def all_groups(user_groups: Path | None = None, *, with_reference: bool = True) -> dict[str, CountryGroup]:
    """Bundled groups, UN regions and income groups (reference), and the groups in ``user_groups`` (JSON)."""
    groups = dict(seed_groups())
    if with_reference:
        groups.update(country_reference().reference_groups())
    if user_groups is not None:
        try:
            document = json.loads(Path(user_groups).read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise CatalogError(
                f"Cannot read the group file {user_groups}: {error}.",
                hint='give a JSON file {"groups": [{"id", "name", "source", "members"}]}.',
            ) from None
        groups.update(groups_from_document(document, str(user_groups)))
    return groups
