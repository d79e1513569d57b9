"""Species near places and country checklists, from the occurrence layers in the catalog.

Every output names the datasets (key, title, citation) and licences it used and leaves out the
records whose licence does not permit its use.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.licences import LicenceClass, Use, permits
from greenbri.core.biodiversity.occurrence import OCCURRENCE_COLUMNS
from greenbri.core.biodiversity.proximity import (
    OccurrenceLayer,
    SpeciesScreening,
    occurrence_layer,
    screen_species,
)
from greenbri.core.biodiversity.redlist import LISTED_APART, THREATENED, RedListCategory, severity_rank
from greenbri.core.biodiversity.rules import SpeciesRules, load_species_rules
from greenbri.core.catalog import DatasetKind, DatasetRecord, Theme
from greenbri.core.errors import InputError
from greenbri.usecases.screening import SpeciesPart
from greenbri.usecases.species import DATASET_COLUMNS

#: The caller's access rule: whether a dataset may be used for the requester.
Readable = Callable[[DatasetRecord], bool]

__all__ = [
    "Checklist",
    "SpeciesNearResult",
    "checklist",
    "load_occurrence_layers",
    "species_near",
    "species_part",
]


# -- reading occurrence layers ------------------------------------------------------------------


def _is_occurrence_record(record: DatasetRecord) -> bool:
    return (
        record.kind is DatasetKind.VECTOR_LAYER
        and record.theme is Theme.BIODIVERSITY
        and not record.receptor_role
    )


def _occurrence_records(
    store: DatasetStore, dataset_ids: Sequence[str] | None, readable: Readable | None
) -> list[DatasetRecord]:
    if dataset_ids:
        records = [store.get(dataset_id) for dataset_id in dataset_ids]
    else:
        records = [
            record for record in store.list_datasets() if _is_occurrence_record(record) and record.versions
        ]
    return [record for record in records if readable is None or readable(record)]


@dataclass
class _Loaded:
    layers: list[OccurrenceLayer] = field(default_factory=list)
    frames: list[Any] = field(default_factory=list)


def load_occurrence_layers(
    store: DatasetStore, dataset_ids: Sequence[str] | None = None, readable: Readable | None = None
) -> _Loaded:
    """Every occurrence dataset (or those named) that ``readable`` allows, indexed for the geodesic search.

    ``readable`` is the caller's access rule (the API passes its one rule for the request's key).
    """
    loaded = _Loaded()
    needed = [*OCCURRENCE_COLUMNS, *DATASET_COLUMNS]
    for record in _occurrence_records(store, dataset_ids, readable):
        frame = store.read(record.id)
        missing = [name for name in needed if name not in frame.columns]
        if missing:
            if dataset_ids:
                raise InputError(
                    f"Dataset {record.id!r} is not an occurrence layer: it lacks the columns {missing}.",
                    hint="import occurrences with 'greenbri species import FILE.zip'.",
                )
            continue
        version = record.versions[-1].number
        loaded.frames.append(frame)
        loaded.layers.append(
            occurrence_layer(
                frame.geometry.x.to_numpy(),
                frame.geometry.y.to_numpy(),
                {
                    name: frame[name].astype(object).where(frame[name].notna(), None).tolist()
                    for name in needed
                },
                dataset_id=record.id,
                version=version,
                coverage=record.coverage,
                ids=frame["occurrence_id"].astype(str).tolist(),
            )
        )
    return loaded


def _sources(frames: Sequence[Any], keys: Collection[str]) -> list[dict[str, Any]]:
    """The datasets behind ``keys``: key, title, citation, licence(s) — what every output must cite."""
    found: dict[str, dict[str, Any]] = {}
    for frame in frames:
        part = frame[frame["dataset_key"].isin(list(keys))]
        for row in part[["dataset_key", "dataset_title", "dataset_citation", "licence_class"]].itertuples(
            index=False
        ):
            entry = found.setdefault(
                row.dataset_key,
                {
                    "key": row.dataset_key,
                    "title": row.dataset_title,
                    "citation": row.dataset_citation,
                    "licences": set(),
                },
            )
            entry["licences"].add(row.licence_class)
    return [{**entry, "licences": sorted(entry["licences"])} for _, entry in sorted(found.items())]


@dataclass(frozen=True)
class SpeciesNearResult:
    """The species part for each place, and the datasets it cites."""

    screenings: tuple[SpeciesScreening, ...]
    sources: tuple[dict[str, Any], ...]
    use: Use

    def to_dict(self) -> dict[str, Any]:
        return {
            "use": self.use.value,
            "places": [screening.to_dict() for screening in self.screenings],
            "sources": list(self.sources),
        }


def species_near(
    store: DatasetStore,
    geometries: Sequence[Any],
    countries: Sequence[str],
    *,
    rules: SpeciesRules | None = None,
    use: Use = Use.NON_COMMERCIAL,
    accepted_datasets: Collection[str] = (),
    dataset_ids: Sequence[str] | None = None,
    readable: Readable | None = None,
) -> SpeciesNearResult:
    """Threatened species recorded near each geometry (ISO3 ``countries`` decide completeness)."""
    rules = rules or load_species_rules()
    loaded = load_occurrence_layers(store, dataset_ids, readable)
    screenings = screen_species(
        loaded.layers, geometries, countries, rules, use=use, accepted_datasets=accepted_datasets
    )
    keys = {key for screening in screenings for key in screening.datasets}
    return SpeciesNearResult(tuple(screenings), tuple(_sources(loaded.frames, keys)), use)


# -- checklists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    """The species recorded in a country: name, category, record count, years; and the sources."""

    country: str
    species: tuple[dict[str, Any], ...]
    sources: tuple[dict[str, Any], ...]
    excluded_by_licence: int
    layers: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "species": list(self.species),
            "threatened_species": sum(1 for item in self.species if item["threatened"]),
            "excluded_by_licence": self.excluded_by_licence,
            "layers": list(self.layers),
            "sources": list(self.sources),
        }


def _alpha2(country: str) -> str:
    import pycountry

    code = country.strip().upper()
    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else pycountry.countries.get(alpha_2=code)
    if found is None:
        raise InputError(
            f"Unknown country code {country!r}.",
            hint="give an ISO 3166-1 alpha-3 (CHN) or alpha-2 (CN) code.",
        )
    return str(found.alpha_2)


def checklist(
    store: DatasetStore,
    country: str,
    *,
    use: Use = Use.NON_COMMERCIAL,
    accepted_datasets: Collection[str] = (),
    dataset_ids: Sequence[str] | None = None,
    readable: Readable | None = None,
) -> Checklist:
    """Species with records whose ``countryCode`` is ``country`` (ISO3 or ISO2), most threatened first."""
    import pandas as pd

    code = _alpha2(country)
    loaded = load_occurrence_layers(store, dataset_ids, readable)
    species: dict[str, dict[str, Any]] = {}
    excluded = 0
    keys: set[str] = set()
    for frame in loaded.frames:
        for row in frame[frame["country_code"] == code].itertuples(index=False):
            if not permits(
                LicenceClass(row.licence_class or "unspecified"),
                use,
                dataset=row.dataset_key,
                accepted=accepted_datasets,
            ):
                excluded += 1
                continue
            name = row.species or row.scientific_name
            entry = species.setdefault(
                row.taxon_key or name,
                {
                    "taxon_key": row.taxon_key,
                    "name": name,
                    "red_list_category": "",
                    "record_count": 0,
                    "years": [],
                },
            )
            category = "" if pd.isna(row.red_list_category) else str(row.red_list_category)
            if severity_rank(category) < severity_rank(entry["red_list_category"]):
                entry["red_list_category"] = category
            entry["record_count"] += 1
            if not pd.isna(row.year):
                entry["years"].append(int(row.year))
            keys.add(row.dataset_key)
    items = []
    for entry in species.values():
        years = entry.pop("years")
        category = entry["red_list_category"]
        items.append(
            {
                **entry,
                "first_year": min(years) if years else None,
                "last_year": max(years) if years else None,
                "threatened": bool(category) and RedListCategory(category) in THREATENED,
                "listed_apart": bool(category) and RedListCategory(category) in LISTED_APART,
            }
        )
    items.sort(key=lambda item: (severity_rank(item["red_list_category"]), item["name"]))
    return Checklist(
        country=code,
        species=tuple(items),
        sources=tuple(_sources(loaded.frames, keys)),
        excluded_by_licence=excluded,
        layers=tuple(layer.layer.reference for layer in loaded.layers),
    )


def species_part(
    store: DatasetStore,
    *,
    readable: Readable | None = None,
    use: Use = Use.NON_COMMERCIAL,
    accepted_datasets: Collection[str] = (),
) -> SpeciesPart | None:
    """The species part for :func:`greenbri.usecases.screening.screen_portfolio`; None without occurrence layers.

    Without any occurrence layer the screening is as before (its report says the species part was not
    assessed); with one, every project gets the species part, NO DATA where no layer is complete.
    """
    loaded = load_occurrence_layers(store, None, readable)
    if not loaded.layers:
        return None
    return SpeciesPart(tuple(loaded.layers), load_species_rules(), use, frozenset(accepted_datasets))
