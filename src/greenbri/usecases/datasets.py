"""The dataset verbs: import, fetch, export, list, show, versions, delete.

They take a store (and, for fetching, a connector context) as arguments and
return plain result objects; the CLI, the Python API and later the web API call
these same functions.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from greenbri.adapters.readers import read_input
from greenbri.adapters.readers.base import ReadOptions, ReadResult
from greenbri.adapters.sources.base import FetchedInput, PostRead
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    DatasetRecord,
    DatasetVersion,
    FeatureRepair,
    Licence,
    Provenance,
    ReceptorRole,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import DatasetNotFoundError, EmptyInputError, InputError, InputTooLargeError

__all__ = [
    "Clock",
    "DatasetMetadata",
    "ImportOutcome",
    "fetch_dataset",
    "import_dataset",
    "metadata_from_defaults",
    "utc_now",
]

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
#: Stage reporter: ``progress(stage_description)``; the CLI shows it in a spinner line.
StageReporter = Callable[[str], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DatasetMetadata:
    """What a user (or a connector) says about a dataset being imported.

    A field left as None keeps what the catalog already holds for the dataset
    (or the default for a new one), so re-importing a file with fewer options
    never erases a title, a licence or an attribution. For titles and
    descriptions, an empty language keeps the stored text in that language.
    """

    dataset_id: str
    title: Bilingual | None = None
    description: Bilingual | None = None
    kind: DatasetKind | None = None
    theme: Theme | None = None
    receptor_role: ReceptorRole | None = None
    source: SourceInfo | None = None
    licence: Licence | None = None
    access: AccessLevel | None = None
    organisation: str | None = None
    coverage: tuple[str, ...] | None = None

    def to_record(self, kind: DatasetKind, existing: DatasetRecord | None = None) -> DatasetRecord:
        """The catalog record: these values over the stored ones over the defaults."""

        def pick(value: Any, stored: Any, default: Any) -> Any:
            if value is not None:
                return value
            return stored if existing is not None else default

        def text(value: Bilingual | None, stored: Bilingual | None, default: Bilingual) -> Bilingual:
            if value is None:
                return stored if stored is not None else default
            if stored is None:
                return value
            return Bilingual(value.en or stored.en, value.zh or stored.zh)

        return DatasetRecord(
            id=self.dataset_id,
            title=text(self.title, existing.title if existing else None, Bilingual(self.dataset_id)),
            description=text(self.description, existing.description if existing else None, Bilingual("")),
            kind=kind,
            theme=pick(self.theme, existing and existing.theme, Theme.OTHER),
            receptor_role=pick(self.receptor_role, existing and existing.receptor_role, None),
            source=pick(self.source, existing and existing.source, SourceInfo()),
            licence=pick(self.licence, existing and existing.licence, Licence()),
            access=pick(self.access, existing and existing.access, AccessLevel.PUBLIC),
            organisation=pick(self.organisation, existing and existing.organisation, ""),
            coverage=pick(self.coverage, existing and existing.coverage, ()),
        )


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did."""

    record: DatasetRecord
    version: DatasetVersion
    created: bool
    repairs: tuple[FeatureRepair, ...]
    warnings: tuple[str, ...]
    metadata_updated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_id": self.record.id,
            "version": self.version.number,
            "created": self.created,
            "metadata_updated": self.metadata_updated,
            "feature_count": self.version.feature_count,
            "input_sha256": self.version.provenance.input_sha256,
            "repairs": [repair.to_dict() for repair in self.repairs],
            "warnings": list(self.warnings),
        }


def _options_digest(options: ReadOptions, extra: dict[str, Any]) -> str:
    payload = asdict(options)
    payload["column_mapping"] = dict(sorted(dict(options.column_mapping).items()))
    payload.pop("max_bytes", None)
    if not payload.get("skip_bad_rows"):  # digests from before the option existed stay the same
        payload.pop("skip_bad_rows", None)
    payload["extra"] = extra
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _country_polygons(store: DatasetStore) -> Any:
    """The bundled country layer, for the swapped lon/lat check, if the store has it."""
    try:
        return store.read("countries", columns=["iso_a3", "geometry"])
    except Exception:  # the check is a courtesy; an import never fails for its lack
        return None


def import_dataset(
    store: DatasetStore,
    paths: Path | Sequence[Path],
    metadata: DatasetMetadata,
    options: ReadOptions | None = None,
    *,
    command: str = "greenbri datasets import",
    fetched_from: str = "",
    post_read: PostRead | None = None,
    post_read_key: dict[str, Any] | None = None,
    notes: Sequence[str] = (),
    clock: Clock = utc_now,
    progress: StageReporter | None = None,
) -> ImportOutcome:
    """Read ``paths``, validate and repair, and store the result as a new version.

    All or nothing: any error leaves the store as it was. Importing the same
    bytes with the same options again returns the existing version
    (``created=False``).
    """
    options = options or ReadOptions()
    metadata.to_record(DatasetKind.VECTOR_LAYER)  # validate the id and titles before any work
    existing = _existing(store, metadata.dataset_id)
    report = progress or (lambda stage: None)
    paths = [paths] if isinstance(paths, Path | str) else list(paths)
    paths = [Path(path) for path in paths]
    if metadata.kind is DatasetKind.DOCUMENT:
        return _import_document(
            store, paths, metadata, existing, options, command=command, fetched_from=fetched_from, clock=clock
        )
    report(f"reading {', '.join(path.name for path in paths)}")
    result = read_input(paths, options, countries=_country_polygons(store))
    _check_kind(metadata.kind, result, paths[0])
    warnings = [*notes, *result.warnings]
    frame = result.frame
    if post_read is not None:
        report("filtering")
        frame, filter_notes = post_read(frame)
        warnings.extend(filter_notes)
        if len(frame) == 0:
            raise EmptyInputError(
                "No rows are left after the source's filters.",
                source=paths[0].name,
                hint="check the input, or relax the connector's filter options.",
            )
    _check_reserved_columns(frame, result.kind, paths[0])
    kind = metadata.kind or result.kind
    digest = _options_digest(options, {**(post_read_key or {}), "kind": kind.value})
    provenance = _provenance(result, command, fetched_from, clock, digest)
    record = metadata.to_record(kind, existing)
    report(f"writing {len(frame)} rows")
    outcome = store.write_frame_version(
        record, provenance, frame, repairs=tuple(result.repairs), warnings=tuple(warnings)
    )
    return ImportOutcome(
        outcome.record,
        outcome.version,
        outcome.created,
        tuple(result.repairs) if outcome.created else outcome.version.repairs,
        tuple(warnings) if outcome.created else outcome.version.warnings,
        outcome.metadata_updated,
    )


def _existing(store: DatasetStore, dataset_id: str) -> DatasetRecord | None:
    try:
        return store.get(dataset_id)
    except DatasetNotFoundError:
        return None


def _check_kind(forced: DatasetKind | None, result: ReadResult, path: Path) -> None:
    """A forced kind must fit the data: a vector layer needs geometry, a table must have none."""
    if forced is None or forced is result.kind:
        return
    tabular = (DatasetKind.INDICATOR_TABLE, DatasetKind.TIME_SERIES)
    if forced in tabular and result.kind in tabular:
        return
    raise InputError(
        f"The data read is a {result.kind.value}, but --kind {forced.value} was given.",
        source=path.name,
        hint="leave --kind out to use the detected kind (a document is imported on its own with "
        "--kind document).",
    )


def _check_reserved_columns(frame: Any, kind: DatasetKind, path: Path) -> None:
    """GeoParquet's covering column is named ``bbox``; an attribute of that name cannot be kept."""
    if kind is DatasetKind.VECTOR_LAYER and "bbox" in frame.columns:
        raise InputError(
            "The column 'bbox' is reserved for the bounding boxes greenbri stores with every feature.",
            source=path.name,
            hint="rename it on import, e.g. --map bbox=source_bbox.",
        )


def _provenance(
    result: ReadResult, command: str, fetched_from: str, clock: Clock, options_digest: str
) -> Provenance:
    return Provenance(
        recorded_at=clock().astimezone(UTC).isoformat(timespec="seconds"),
        command=command,
        input_name=", ".join(path.name for path in result.input_paths),
        input_sha256=result.input_sha256,
        fetched_from=fetched_from,
        input_format=result.input_format,
        input_encoding=result.encoding,
        input_crs=result.source_crs,
        options_digest=options_digest,
    )


def _import_document(
    store: DatasetStore,
    paths: list[Path],
    metadata: DatasetMetadata,
    existing: DatasetRecord | None,
    options: ReadOptions,
    *,
    command: str,
    fetched_from: str,
    clock: Clock,
) -> ImportOutcome:
    if len(paths) != 1:
        raise InputError(
            "A document dataset takes exactly one file.", hint="import each document on its own."
        )
    source = paths[0]
    if not source.is_file():
        raise InputError("The file does not exist.", source=str(source), hint="check the path.")
    size = source.stat().st_size
    if size == 0:
        raise EmptyInputError("The file is empty (0 bytes).", source=source.name, hint="check the download.")
    if size > options.max_bytes:
        raise InputTooLargeError(
            f"The file is {size:,} bytes, more than the limit of {options.max_bytes:,} bytes.",
            source=source.name,
            hint="raise GREENBRI_MAX_INPUT_BYTES if the document is expected to be this large.",
        )
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    provenance = Provenance(
        recorded_at=clock().astimezone(UTC).isoformat(timespec="seconds"),
        command=command,
        input_name=source.name,
        input_sha256=digest.hexdigest(),
        fetched_from=fetched_from,
        input_format=source.suffix.lstrip(".").lower(),
        options_digest=_options_digest(ReadOptions(), {"kind": DatasetKind.DOCUMENT.value}),
    )
    record = metadata.to_record(DatasetKind.DOCUMENT, existing)
    outcome = store.write_document_version(record, provenance, source)
    return ImportOutcome(outcome.record, outcome.version, outcome.created, (), (), outcome.metadata_updated)


def metadata_from_defaults(fetched: FetchedInput, **overrides: Any) -> DatasetMetadata:
    """The catalog metadata a connector proposes, with the user's overrides applied."""
    defaults = fetched.defaults
    metadata = DatasetMetadata(
        dataset_id=defaults.dataset_id,
        title=defaults.title,
        description=defaults.description,
        kind=defaults.kind,
        theme=defaults.theme,
        receptor_role=defaults.receptor_role,
        source=defaults.source,
        licence=defaults.licence,
        access=defaults.access,
        coverage=defaults.coverage,
    )
    return replace(metadata, **{key: value for key, value in overrides.items() if value is not None})


def fetch_dataset(
    store: DatasetStore,
    connector: Any,
    context: Any,
    *,
    overrides: dict[str, Any] | None = None,
    clock: Clock = utc_now,
    progress: StageReporter | None = None,
) -> ImportOutcome:
    """Fetch a connector's input (mirror or upstream) and import it."""
    report = progress or (lambda stage: None)
    report(f"fetching {connector.name}")
    fetched: FetchedInput = connector.fetch(context)
    metadata = metadata_from_defaults(fetched, **(overrides or {}))
    return import_dataset(
        store,
        list(fetched.paths),
        metadata,
        fetched.defaults.read_options,
        command=f"greenbri datasets fetch {connector.name}",
        fetched_from=fetched.fetched_from,
        post_read=fetched.post_read,
        post_read_key={"connector": connector.name, "options": dict(getattr(context, "options", {}) or {})},
        notes=fetched.notes,
        clock=clock,
        progress=progress,
    )
