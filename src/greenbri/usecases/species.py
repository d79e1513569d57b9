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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from greenbri.adapters.biodiversity.dwca import ArchiveDataset, read_dwca
from greenbri.adapters.sources.gbif import GbifApi
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.licences import LicenceClass, classify_licence
from greenbri.core.biodiversity.occurrence import (
    OCCURRENCE_COLUMNS,
    Occurrence,
    RecordProblem,
    clean_occurrence,
)
from greenbri.core.catalog import (
    AccessLevel,
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
    "SpeciesImport",
    "coverage_from_text",
    "fetch_occurrences",
    "import_occurrences",
    "occurrence_frame",
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


def _access(occurrences: Sequence[Occurrence]) -> AccessLevel:
    """Public only when every record carries a licence GBIF uses (CC0, CC BY, CC BY-NC).

    Records under free-text rights (older archives) may forbid redistribution (the Peabody Museum's
    EML in the real 2013 download does), so such a layer is restricted: the API and OGC API serve it
    to admins only until someone who has read the rights makes it public.
    """
    if any(item.licence_class is LicenceClass.UNSPECIFIED for item in occurrences):
        return AccessLevel.RESTRICTED
    return AccessLevel.PUBLIC


def _metadata(
    dataset_id: str, coverage: Sequence[str], citation: str, source_url: str, access: AccessLevel
) -> DatasetMetadata:
    return DatasetMetadata(
        access=access,
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
        _metadata(dataset_id, coverage, citation, "https://www.gbif.org/", _access(content.occurrences)),
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


def _api_datasets(records: Sequence[Mapping[str, Any]]) -> dict[str, ArchiveDataset]:
    """Per dataset key: the name GBIF gives in the records, the record licence, the dataset page."""
    datasets: dict[str, ArchiveDataset] = {}
    for record in records:
        key = str(record.get("datasetKey") or "")
        if not key or key in datasets:
            continue
        title = str(record.get("datasetName") or f"GBIF dataset {key}")
        licence = str(record.get("license") or "")
        datasets[key] = ArchiveDataset(
            key=key,
            title=title,
            rights="",
            licence=licence,
            licence_class=classify_licence(licence),
            citation=f"{title}. Occurrence dataset https://www.gbif.org/dataset/{key} accessed via GBIF.org.",
        )
    return datasets


def fetch_occurrences(
    store: DatasetStore,
    api: GbifApi,
    dataset_id: str,
    *,
    taxon_key: int | None = None,
    country: str | None = None,
    geometry: str | None = None,
    max_records: int = 10_000,
    coverage: Sequence[str] = ("none",),
    command: str = "greenbri species fetch",
    clock: Clock = utc_now,
) -> SpeciesImport:
    """Search GBIF (paging to the end of records or ``max_records``) and store the records as a version."""
    search = api.search_occurrences(
        taxon_key=taxon_key, country=country, geometry=geometry, max_records=max_records
    )
    today = clock().date()
    cleaned = [
        clean_occurrence(record, row=number, today=today) for number, record in enumerate(search.records, 1)
    ]
    occurrences = [item for item in cleaned if isinstance(item, Occurrence)]
    problems = [item for item in cleaned if isinstance(item, RecordProblem)]
    problems.extend(problem for item in occurrences for problem in item.problems)
    name = f"{api.base_url}/occurrence/search?" + "&".join(
        f"{k}={v}" for k, v in sorted(search.query.items())
    )
    canonical = json.dumps(list(search.records), sort_keys=True, default=str)
    datasets = _api_datasets(search.records)
    summary = f"{name}: {len(search.records)} records fetched of {search.count}, {len(occurrences)} imported."
    notes = [summary, *search.notes, *(problem.text("GBIF") for problem in problems[:_STORED_PROBLEMS])]
    record, version, created = write_occurrences(
        store,
        occurrences,
        datasets,
        _metadata(
            dataset_id,
            coverage,
            "GBIF.org occurrence search; cite each dataset (column dataset_citation)",
            api.base_url,
            _access(occurrences),
        ),
        input_name=name,
        input_sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        command=command,
        fetched_from=api.base_url,
        warnings=notes,
        clock=clock,
    )
    used = {item.dataset_key for item in occurrences}
    return SpeciesImport(
        record=record,
        version=version,
        created=created,
        rows_read=len(search.records),
        imported=len(occurrences),
        problems=tuple(problems),
        datasets=tuple(datasets[key] for key in sorted(used) if key in datasets),
        warnings=tuple(search.notes),
        source=name,
    )


def coverage_from_text(text: str) -> tuple[str, ...]:
    """``none``, ``global`` or ISO 3166-1 alpha-3 codes joined by commas, checked."""
    import pycountry

    values = tuple(part.strip() for part in text.split(",") if part.strip())
    if values in (("none",), ("global",)):
        return values
    unknown = [code for code in values if pycountry.countries.get(alpha_3=code.upper()) is None]
    if not values or unknown:
        raise InputError(
            f"--coverage {text!r}: {', '.join(unknown) or 'nothing'} is not 'none', 'global' or ISO 3166-1 "
            "alpha-3 codes.",
            hint="declare where the layer is complete: none (a sample), global, or e.g. CHN,KAZ.",
        )
    return tuple(code.upper() for code in values)
