"""Threatened species recorded near projects: the species part of the biodiversity dimension.

For each project, :func:`screen_species` lists the species with occurrence records within the
search buffer (exact geodesic distances from :func:`greenbri.core.screening.geodesic.search`):
threatened species (CR, EN, VU) and, apart, Near Threatened and Data Deficient ones, each with
the nearest record's distance, the record count, the year range and the coordinate uncertainty.
The rules (:mod:`.rules`) turn records within their distance into a class and next steps.

Absence of records is never evidence of absence: without a triggered rule the species part is
GREEN only when an occurrence layer declares itself complete for the project's area (catalog
``coverage``), and NO DATA otherwise. Records whose licence does not permit the output's use are
left out and counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from greenbri.core.biodiversity.licences import LicenceClass, Use, permits
from greenbri.core.biodiversity.redlist import (
    LISTED_APART,
    THREATENED,
    RedListCategory,
    parse_category,
    severity_rank,
)
from greenbri.core.biodiversity.rules import SpeciesRule, SpeciesRules
from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.geodesic import ReceptorLayer, search
from greenbri.core.screening.vocabulary import RiskClass, worst

__all__ = ["OccurrenceLayer", "SpeciesNear", "SpeciesScreening", "occurrence_layer", "screen_species"]

#: The attribute columns a layer needs.
_COLUMNS = (
    "taxon_key",
    "scientific_name",
    "species",
    "red_list_category",
    "year",
    "coordinate_uncertainty_m",
    "dataset_key",
    "licence_class",
)


@dataclass(frozen=True)
class OccurrenceLayer:
    """One occurrence dataset version, indexed, and whether it is complete for a project."""

    layer: ReceptorLayer
    #: ``("global",)``, ISO 3166-1 alpha-3 codes, ``("none",)`` or empty (undeclared: not complete).
    coverage: tuple[str, ...]

    def complete_for(self, country: str) -> bool:
        return "global" in self.coverage or (bool(country) and country in self.coverage)


def occurrence_layer(
    lon: Sequence[float],
    lat: Sequence[float],
    attributes: Mapping[str, Sequence[Any]],
    *,
    dataset_id: str,
    version: int,
    coverage: Sequence[str] = (),
    ids: Sequence[Any] | None = None,
) -> OccurrenceLayer:
    """Index occurrence points (EPSG:4326) with the attribute columns ``_COLUMNS``."""
    missing = [name for name in _COLUMNS if name not in attributes]
    if missing:
        raise KeyError(f"occurrence layer {dataset_id}@v{version} lacks columns {missing}")
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    names = attributes["species"]
    layer = ReceptorLayer(
        points,
        ids=ids if ids is not None else range(len(points)),
        names=names,
        attributes={name: attributes[name] for name in _COLUMNS},
        dataset_id=dataset_id,
        version=version,
        # The search needs a role; occurrence points are never classified by the receptor rules.
        role=ReceptorRole.OTHER_SENSITIVE_AREA,
    )
    return OccurrenceLayer(layer, tuple(coverage))


@dataclass(frozen=True)
class SpeciesNear:
    """One species with records within the search buffer of a project."""

    taxon_key: str
    name: str
    category: str
    record_count: int
    nearest_m: float
    first_year: int | None
    last_year: int | None
    min_uncertainty_m: float | None
    max_uncertainty_m: float | None
    datasets: tuple[str, ...]
    #: The nearest record's position (EPSG:4326), for maps.
    nearest_lon: float = float("nan")
    nearest_lat: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "taxon_key": self.taxon_key,
            "name": self.name,
            "red_list_category": self.category,
            "record_count": self.record_count,
            "nearest_m": round(self.nearest_m, 1),
            "first_year": self.first_year,
            "last_year": self.last_year,
            "min_uncertainty_m": self.min_uncertainty_m,
            "max_uncertainty_m": self.max_uncertainty_m,
            "datasets": list(self.datasets),
            "nearest_record": [round(self.nearest_lon, 6), round(self.nearest_lat, 6)],
        }


@dataclass(frozen=True)
class SpeciesScreening:
    """The species part for one project."""

    risk_class: RiskClass
    threatened: tuple[SpeciesNear, ...]
    listed_apart: tuple[SpeciesNear, ...]
    other_species: int
    triggered: tuple[SpeciesRule, ...]
    complete: bool
    layers: tuple[str, ...]
    excluded_by_licence: int
    search_buffer_m: float
    #: Keys of every dataset with a permitted record within the search buffer (what the output must cite).
    datasets: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "risk_class": self.risk_class.value,
            "search_buffer_m": self.search_buffer_m,
            "threatened": [item.to_dict() for item in self.threatened],
            "listed_apart": [item.to_dict() for item in self.listed_apart],
            "other_species": self.other_species,
            "rules": [
                {
                    "id": rule.id,
                    "next_step": rule.next_step.to_dict(),
                    "citations": [citation.to_dict() for citation in rule.citations],
                }
                for rule in self.triggered
            ],
            "complete": self.complete,
            "layers": list(self.layers),
            "excluded_by_licence": self.excluded_by_licence,
            "datasets": list(self.datasets),
            "notes": list(self.notes),
        }


@dataclass
class _Group:
    name: str
    category: str = ""
    distances: list[float] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    uncertainties: list[float] = field(default_factory=list)
    datasets: set[str] = field(default_factory=set)
    nearest: tuple[float, float] = (float("nan"), float("nan"))
    nearest_m: float = float("inf")

    def add(
        self,
        category: str,
        distance: float,
        year: Any,
        uncertainty: Any,
        dataset: str,
        point: tuple[float, float],
    ) -> None:
        if severity_rank(category) < severity_rank(self.category):
            self.category = category
        if distance < self.nearest_m:
            self.nearest, self.nearest_m = point, distance
        self.distances.append(distance)
        if _number(year):
            self.years.append(int(year))
        if _number(uncertainty):
            self.uncertainties.append(float(uncertainty))
        if dataset:
            self.datasets.add(dataset)

    def summary(self, key: str) -> SpeciesNear:
        return SpeciesNear(
            taxon_key=key,
            name=self.name,
            category=self.category,
            record_count=len(self.distances),
            nearest_m=self.nearest_m,
            first_year=min(self.years) if self.years else None,
            last_year=max(self.years) if self.years else None,
            min_uncertainty_m=min(self.uncertainties) if self.uncertainties else None,
            max_uncertainty_m=max(self.uncertainties) if self.uncertainties else None,
            datasets=tuple(sorted(self.datasets)),
            nearest_lon=self.nearest[0],
            nearest_lat=self.nearest[1],
        )


def _number(value: Any) -> bool:
    return value is not None and value == value and str(value) != ""


def _category(value: Any) -> str:
    try:
        category = parse_category(value)
    except ValueError:
        return ""
    return category.value if category else ""


def _collect(
    layer: ReceptorLayer,
    rows: Any,
    distances: Any,
    use: Use,
    accepted: Collection[str],
    groups: dict[str, _Group],
) -> int:
    columns = layer.attribute_lists
    excluded = 0
    for row, distance in zip(rows, distances, strict=True):
        dataset = str(columns["dataset_key"][row] or "")
        if not permits(
            LicenceClass(columns["licence_class"][row] or "unspecified"),
            use,
            dataset=dataset,
            accepted=accepted,
        ):
            excluded += 1
            continue
        name = str(columns["species"][row] or columns["scientific_name"][row] or "")
        key = str(columns["taxon_key"][row] or name)
        group = groups.setdefault(key, _Group(name))
        group.add(
            _category(columns["red_list_category"][row]),
            float(distance),
            columns["year"][row],
            columns["coordinate_uncertainty_m"][row],
            dataset,
            (float(shapely.get_x(layer.geometries[row])), float(shapely.get_y(layer.geometries[row]))),
        )
    return excluded


def _sorted(items: list[SpeciesNear]) -> tuple[SpeciesNear, ...]:
    return tuple(sorted(items, key=lambda item: (severity_rank(item.category), item.nearest_m, item.name)))


def _decide(
    species: list[SpeciesNear], rules: SpeciesRules, complete: bool
) -> tuple[RiskClass, tuple[SpeciesRule, ...]]:
    triggered = tuple(
        rule
        for rule in rules.rules
        if any(
            item.nearest_m <= rule.within_m and RedListCategory(item.category) in rule.categories
            for item in species
            if item.category
        )
    )
    if triggered:
        return worst(rule.risk_class for rule in triggered), triggered
    return (RiskClass.GREEN if complete else RiskClass.NO_DATA), ()


def screen_species(
    layers: Sequence[OccurrenceLayer],
    projects: Sequence[Any],
    countries: Sequence[str],
    rules: SpeciesRules,
    *,
    use: Use = Use.NON_COMMERCIAL,
    accepted_datasets: Collection[str] = (),
) -> list[SpeciesScreening]:
    """The species part of every project (shapely geometries, EPSG:4326; ISO3 ``countries``)."""
    per_project: list[dict[str, _Group]] = [{} for _ in projects]
    excluded = [0] * len(projects)
    for item in layers:
        table = search(item.layer, projects, rules.search_buffer_m)
        for index, rows in enumerate(table.project_rows()):
            excluded[index] += _collect(
                item.layer,
                table.feature_index[rows].tolist(),
                table.distance_m[rows].tolist(),
                use,
                accepted_datasets,
                per_project[index],
            )
    references = tuple(item.layer.reference for item in layers)
    return [
        _screening(groups, rules, any(item.complete_for(country) for item in layers), references, dropped)
        for groups, country, dropped in zip(per_project, countries, excluded, strict=True)
    ]


def _screening(
    groups: dict[str, _Group], rules: SpeciesRules, complete: bool, references: tuple[str, ...], excluded: int
) -> SpeciesScreening:
    species = [group.summary(key) for key, group in groups.items()]
    threatened = [item for item in species if item.category and RedListCategory(item.category) in THREATENED]
    apart = [item for item in species if item.category and RedListCategory(item.category) in LISTED_APART]
    risk_class, triggered = _decide(species, rules, complete)
    notes: list[str] = []
    if risk_class is RiskClass.NO_DATA:
        notes.append(
            "No threatened species record within the rules' distances, but no occurrence layer is declared "
            "complete for this area: absence of records is not evidence of absence. Import a layer that is "
            "complete for the country and declare it: greenbri species import FILE --coverage ISO3."
        )
    if not references:
        notes.append(
            "No occurrence layer in the catalog: greenbri species import FILE.zip (a GBIF download)."
        )
    if excluded:
        notes.append(f"{excluded} record(s) left out because their licence does not permit this use.")
    return SpeciesScreening(
        risk_class=risk_class,
        threatened=_sorted(threatened),
        listed_apart=_sorted(apart),
        other_species=len(species) - len(threatened) - len(apart),
        triggered=triggered,
        complete=complete,
        layers=references,
        excluded_by_licence=excluded,
        search_buffer_m=rules.search_buffer_m,
        datasets=tuple(sorted({key for group in groups.values() for key in group.datasets})),
        notes=tuple(notes),
    )
