"""The species verbs: import occurrences, threatened species near places, country checklists.

Occurrences are a catalog dataset like any other (a versioned GeoParquet point layer, served by
OGC API): one row per record with taxon, rank, Red List category, date, basis of record,
coordinate uncertainty, the record's dataset key, licence and the dataset's title and citation.
Every output names the datasets and licences it used and leaves out records whose licence does
not permit its use (:mod:`greenbri.core.biodiversity.licences`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from greenbri.adapters.biodiversity.dwca import ArchiveDataset, read_dwca
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.licences import LicenceClass, Use, permits
from greenbri.core.biodiversity.occurrence import OCCURRENCE_COLUMNS, Occurrence, RecordProblem
from greenbri.core.biodiversity.proximity import (
    OccurrenceLayer,
    SpeciesScreening,
    occurrence_layer,
    screen_species,
)
from greenbri.core.biodiversity.redlist import LISTED_APART, THREATENED, RedListCategory, severity_rank
from greenbri.core.biodiversity.rules import SpeciesRules, load_species_rules
from greenbri.core.catalog import (
    Bilingual,
    DatasetKind,
    DatasetRecord,
    Licence,
    Provenance,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import DatasetNotFoundError, EmptyInputError, InputError
from greenbri.usecases.datasets import Clock, DatasetMetadata, utc_now

__all__ = [
    "DATASET_COLUMNS",
    "Checklist",
    "SpeciesImport",
    "SpeciesNearResult",
    "checklist",
    "import_occurrences",
    "load_occurrence_layers",
    "occurrence_frame",
    "species_near",
    "write_occurrences",
]

logger = logging.getLogger(__name__)

#: Columns naming each record's dataset for citation, beside :data:`OCCURRENCE_COLUMNS`.
DATASET_COLUMNS = ("dataset_title", "dataset_citation")
#: How many per-record problems a stored version keeps in its warnings (the CLI prints them all).
_STORED_PROBLEMS = 50


@dataclass(frozen=True)
class SpeciesImport:
    """What an occurrence import did."""

    record: DatasetRecord
    version: int
    created: bool
    rows_read: int
    imported: int
    problems: tuple[RecordProblem, ...]
    datasets: tuple[ArchiveDataset, ...]
    warnings: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        fatal = sum(1 for problem in self.problems if problem.fatal)
        return {
            "dataset_id": self.record.id,
            "version": self.version,
            "created": self.created,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "skipped": fatal,
            "coverage": list(self.record.coverage),
            "problems": [problem.to_dict() for problem in self.problems],
            "datasets": [dataset.to_dict() for dataset in self.datasets],
            "warnings": list(self.warnings),
        }


def occurrence_frame(occurrences: Iterable[Occurrence], datasets: Mapping[str, ArchiveDataset]) -> Any:
    """The point layer of ``occurrences`` (GeoDataFrame, EPSG:4326), with dataset titles and citations."""
    import geopandas as gpd
    import pandas as pd

    items = list(occurrences)
    rows = []
    for item in items:
        row = item.row()
        dataset = datasets.get(item.dataset_key)
        row["dataset_title"] = dataset.title if dataset else ""
        row["dataset_citation"] = dataset.citation if dataset else ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*OCCURRENCE_COLUMNS, *DATASET_COLUMNS])
    frame["year"] = frame["year"].astype("Int64")
    frame["coordinate_uncertainty_m"] = frame["coordinate_uncertainty_m"].astype("Float64")
    geometry = gpd.points_from_xy([item.lon for item in items], [item.lat for item in items], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _existing(store: DatasetStore, dataset_id: str) -> DatasetRecord | None:
    try:
        return store.get(dataset_id)
    except DatasetNotFoundError:
        return None


def write_occurrences(
    store: DatasetStore,
    occurrences: Sequence[Occurrence],
    datasets: Mapping[str, ArchiveDataset],
    metadata: DatasetMetadata,
    *,
    input_name: str,
    input_sha256: str,
    command: str,
    fetched_from: str = "",
    warnings: Sequence[str] = (),
    clock: Clock = utc_now,
) -> tuple[DatasetRecord, int, bool]:
    """Store ``occurrences`` as a new version of ``metadata.dataset_id`` (all or nothing)."""
    if not occurrences:
        raise EmptyInputError(
            "No record could be placed on the map, so there is nothing to store.",
            source=input_name,
            hint="see the per-record problems listed; records need decimalLatitude and decimalLongitude.",
        )
    options = json.dumps({"reader": "darwin-core", "coverage": list(metadata.coverage or ())}, sort_keys=True)
    provenance = Provenance(
        recorded_at=clock().astimezone(UTC).isoformat(timespec="seconds"),
        command=command,
        input_name=input_name,
        input_sha256=input_sha256,
        fetched_from=fetched_from,
        input_format="dwca",
        input_crs="EPSG:4326",
        options_digest=hashlib.sha256(options.encode("utf-8")).hexdigest(),
    )
    record = metadata.to_record(DatasetKind.VECTOR_LAYER, _existing(store, metadata.dataset_id))
    frame = occurrence_frame(occurrences, datasets)
    outcome = store.write_frame_version(record, provenance, frame, warnings=tuple(warnings))
    return outcome.record, outcome.version.number, outcome.created


def _metadata(dataset_id: str, coverage: Sequence[str], citation: str, source_url: str) -> DatasetMetadata:
    return DatasetMetadata(
        dataset_id=dataset_id,
        title=Bilingual(f"Species occurrences ({dataset_id})", f"物种分布记录（{dataset_id}）"),
        description=Bilingual(
            "Species occurrence records (points) with taxon, IUCN Red List category, date, basis of record, "
            "coordinate uncertainty, and each record's dataset, licence and citation.",
            "物种分布记录（点）：分类单元、IUCN 红色名录等级、日期、记录依据、坐标不确定度，以及每条记录的数据集、许可与引用。",
        ),
        theme=Theme.BIODIVERSITY,
        source=SourceInfo(url=source_url, publisher="GBIF.org and the publishing institutions"),
        licence=Licence(name="per record (column licence)", attribution=citation),
        coverage=tuple(coverage),
    )


def import_occurrences(
    store: DatasetStore,
    path: Path,
    dataset_id: str = "species-occurrences",
    *,
    coverage: Sequence[str] = ("none",),
    command: str = "greenbri species import",
    clock: Clock = utc_now,
) -> SpeciesImport:
    """Import a Darwin Core Archive (a GBIF download) as a version of ``dataset_id``.

    ``coverage`` declares where the records are complete (``global``, ISO3 codes, or ``none`` —
    the default: a download is a sample and its silence proves nothing).
    """
    path = Path(path)
    content = read_dwca(path, today=clock().date())
    problems = tuple(content.problems)
    fatal = [problem for problem in problems if problem.fatal]
    notes = [
        *content.warnings,
        *(problem.text(path.name) for problem in problems[:_STORED_PROBLEMS]),
    ]
    if len(problems) > _STORED_PROBLEMS:
        notes.append(f"... and {len(problems) - _STORED_PROBLEMS} more record problem(s).")
    summary = f"{path.name}: {content.rows_read} records read, {len(content.occurrences)} imported, {len(fatal)} skipped."
    citation = content.citation or "GBIF.org occurrence download"
    record, version, created = write_occurrences(
        store,
        content.occurrences,
        content.datasets,
        _metadata(dataset_id, coverage, citation, "https://www.gbif.org/"),
        input_name=path.name,
        input_sha256=_sha256(path),
        command=command,
        warnings=[summary, *notes],
        clock=clock,
    )
    used = {item.dataset_key for item in content.occurrences}
    return SpeciesImport(
        record=record,
        version=version,
        created=created,
        rows_read=content.rows_read,
        imported=len(content.occurrences),
        problems=problems,
        datasets=tuple(content.datasets[key] for key in sorted(used) if key in content.datasets),
        warnings=tuple(content.warnings),
        source=path.name,
    )


# -- reading occurrence layers ------------------------------------------------------------------


def _is_occurrence_record(record: DatasetRecord) -> bool:
    return (
        record.kind is DatasetKind.VECTOR_LAYER
        and record.theme is Theme.BIODIVERSITY
        and not record.receptor_role
    )


def _occurrence_records(store: DatasetStore, dataset_ids: Sequence[str] | None) -> list[DatasetRecord]:
    if dataset_ids:
        return [store.get(dataset_id) for dataset_id in dataset_ids]
    return [record for record in store.list_datasets() if _is_occurrence_record(record) and record.versions]


@dataclass
class _Loaded:
    layers: list[OccurrenceLayer] = field(default_factory=list)
    frames: list[Any] = field(default_factory=list)


def load_occurrence_layers(store: DatasetStore, dataset_ids: Sequence[str] | None = None) -> _Loaded:
    """Every occurrence dataset (or those named), indexed for the geodesic search."""
    loaded = _Loaded()
    needed = [*OCCURRENCE_COLUMNS, *DATASET_COLUMNS]
    for record in _occurrence_records(store, dataset_ids):
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


def _sources(frames: Sequence[Any], keys: Collection[str]) -> list[dict[str, str]]:
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
) -> SpeciesNearResult:
    """Threatened species recorded near each geometry (ISO3 ``countries`` decide completeness)."""
    rules = rules or load_species_rules()
    loaded = load_occurrence_layers(store, dataset_ids)
    screenings = screen_species(
        loaded.layers, geometries, countries, rules, use=use, accepted_datasets=accepted_datasets
    )
    keys = {
        key
        for screening in screenings
        for item in (*screening.threatened, *screening.listed_apart)
        for key in item.datasets
    }
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
) -> Checklist:
    """Species with records whose ``countryCode`` is ``country`` (ISO3 or ISO2), most threatened first."""
    import pandas as pd

    code = _alpha2(country)
    loaded = load_occurrence_layers(store, dataset_ids)
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
