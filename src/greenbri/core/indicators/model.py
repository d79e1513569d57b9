"""Indicator metadata and observations.

An :class:`Indicator` is a catalog entry (what is measured, in which unit, which way is better,
where it comes from). An :class:`Observation` is one value of one indicator for one country (or
aggregate) and year, with the version of the source it was read from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import CatalogError

__all__ = ["Indicator", "IndicatorInput", "Observation", "indicator_from_document"]


@dataclass(frozen=True)
class IndicatorInput:
    """Where an indicator is found in an ingested file: the file's format and its series key.

    ``series`` is the value column (wide formats), the indicator code (World Bank API, SDMX) or
    ``VAR|label`` (OECD files).
    """

    format: str
    series: str


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalog."""

    id: str
    name: Bilingual
    unit: str
    #: True if a higher value is better, False if lower is better, None if neither (e.g. population).
    higher_is_better: bool | None
    definition: Bilingual
    source: str
    licence: str
    theme: str
    sdg: str | None = None
    inputs: tuple[IndicatorInput, ...] = ()
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
            "definition": self.definition.to_dict(),
            "source": self.source,
            "licence": self.licence,
            "theme": self.theme,
            "sdg": self.sdg,
            "inputs": [{"format": item.format, "series": item.series} for item in self.inputs],
            "notes": self.notes,
        }


@dataclass(frozen=True, order=True)
class Observation:
    """One value: ``indicator_id`` for ``country_iso3`` in ``year``, read from ``source_version``."""

    indicator_id: str
    country_iso3: str
    year: int
    value: float
    source_version: str = field(default="", compare=False)


def _bilingual(value: Any, where: str) -> Bilingual:
    if not isinstance(value, Mapping) or not isinstance(value.get("en"), str):
        raise CatalogError(
            f"{where} must be an object with 'en' and 'zh' texts.", hint="write {'en': ..., 'zh': ...}."
        )
    return Bilingual(en=value["en"], zh=str(value.get("zh", "")))


_REQUIRED = ("id", "name", "unit", "higher_is_better", "definition", "source", "licence", "theme")


def indicator_from_document(document: Mapping[str, Any], where: str) -> Indicator:
    """An :class:`Indicator` from one catalog JSON object; :class:`CatalogError` naming ``where``."""
    missing = [key for key in _REQUIRED if key not in document]
    if missing:
        raise CatalogError(
            f"{where}: missing fields {missing}.", hint=f"every indicator needs {list(_REQUIRED)}."
        )
    better = document["higher_is_better"]
    if better is not None and not isinstance(better, bool):
        raise CatalogError(f"{where}: higher_is_better must be true, false or null.", hint="fix the value.")
    inputs: Sequence[Any] = document.get("inputs", [])
    return Indicator(
        id=str(document["id"]),
        name=_bilingual(document["name"], f"{where}.name"),
        unit=str(document["unit"]),
        higher_is_better=better,
        definition=_bilingual(document["definition"], f"{where}.definition"),
        source=str(document["source"]),
        licence=str(document["licence"]),
        theme=str(document["theme"]),
        sdg=document.get("sdg"),
        inputs=tuple(
            IndicatorInput(format=str(item["format"]), series=str(item["series"])) for item in inputs
        ),
        notes=str(document.get("notes", "")),
    )
