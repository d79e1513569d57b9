"""Read the bundled indicator catalog, country groups, targets and index methodology (``data/*.json``).

The documents are package data read with :mod:`importlib.resources`; nothing is read at import
time. Each loader checks the document and raises :class:`~greenbri.core.errors.CatalogError` or
:class:`~greenbri.core.errors.StandardError` naming the file and the entry.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any

from greenbri.core.errors import CatalogError
from greenbri.core.indicators.groups import CountryGroup, group_from_document
from greenbri.core.indicators.model import Indicator, indicator_from_document
from greenbri.core.indicators.targets import Target, target_from_document

__all__ = [
    "bundled_document",
    "catalog_indicators",
    "groups_from_document",
    "index_methodology",
    "seed_groups",
    "seed_targets",
]

PACKAGE = "greenbri.core.indicators"


def bundled_document(name: str) -> Any:
    """The parsed JSON document ``data/<name>``."""
    text = importlib.resources.files(PACKAGE).joinpath("data", name).read_text("utf-8")
    return json.loads(text)


@functools.cache
def catalog_indicators() -> dict[str, Indicator]:
    """The bundled indicator catalog by id."""
    document = bundled_document("indicators.json")
    result: dict[str, Indicator] = {}
    for index, item in enumerate(document["indicators"]):
        indicator = indicator_from_document(item, f"indicators.json, indicators[{index}]")
        if indicator.id in result:
            raise CatalogError(
                f"indicators.json: the id {indicator.id!r} is used twice.", hint="make ids unique."
            )
        result[indicator.id] = indicator
    return result


def groups_from_document(document: Mapping[str, Any], name: str) -> dict[str, CountryGroup]:
    """Groups by id from a groups document (bundled or a user's file named ``name``)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("groups"), list):
        raise CatalogError(
            f"{name}: expected an object with a 'groups' list.", hint='write {"groups": [...]}.'
        )
    result: dict[str, CountryGroup] = {}
    for index, item in enumerate(document["groups"]):
        group = group_from_document(item, f"{name}, groups[{index}]")
        result[group.id] = group
    return result


@functools.cache
def seed_groups() -> dict[str, CountryGroup]:
    """The bundled groups: Belt and Road partners and the six economic corridors."""
    return groups_from_document(bundled_document("groups.json"), "groups.json")


@functools.cache
def seed_targets() -> dict[str, Target]:
    """The bundled targets by id."""
    document = bundled_document("targets.json")
    return {
        target.id: target
        for index, item in enumerate(document["targets"])
        for target in [target_from_document(item, f"targets.json, targets[{index}]")]
    }


@functools.cache
def index_methodology() -> dict[str, Any]:
    """The composite index methodology document."""
    document: dict[str, Any] = bundled_document("index_methodology.json")
    return document
