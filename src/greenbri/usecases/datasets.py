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
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from greenbri.adapters.readers import read_input
from greenbri.adapters.readers.base import ReadOptions, ReadResult
from greenbri.adapters.sources.base import FetchedInput, PostRead
from greenbri.adapters.stores.embedded import EmbeddedStore
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
from greenbri.core.errors import EmptyInputError, InputError

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
    """What a user (or a connector) says about a dataset being imported."""

    dataset_id: str
    title: Bilingual
    description: Bilingual = field(default_factory=lambda: Bilingual(""))
    kind: DatasetKind | None = None
    theme: Theme = Theme.OTHER
    receptor_role: ReceptorRole | None = None
    source: SourceInfo = field(default_factory=SourceInfo)
    licence: Licence = field(default_factory=Licence)
    access: AccessLevel = AccessLevel.PUBLIC
    organisation: str = ""

    def to_record(self, kind: DatasetKind) -> DatasetRecord:
        return DatasetRecord(
            id=self.dataset_id,
            title=self.title,
            description=self.description,
            kind=self.kind or kind,
            theme=self.theme,
            receptor_role=self.receptor_role,
            source=self.source,
            licence=self.licence,
            access=self.access,
            organisation=self.organisation,
        )


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did."""

    record: DatasetRecord
    version: DatasetVersion
    created: bool
    repairs: tuple[FeatureRepair, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_id": self.record.id,
            "version": self.version.number,
            "created": self.created,
            "feature_count": self.version.feature_count,
            "input_sha256": self.version.provenance.input_sha256,
            "repairs": [repair.to_dict() for repair in self.repairs],
            "warnings": list(self.warnings),
        }


def _options_digest(options: ReadOptions, extra: dict[str, Any]) -> str:
    payload = asdict(options)
    payload["column_mapping"] = dict(sorted(dict(options.column_mapping).items()))
    payload.pop("max_bytes", None)
    payload["extra"] = extra
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _country_polygons(store: EmbeddedStore) -> Any:
    """The bundled country layer, for the swapped lon/lat check, if the store has it."""
    try:
        return store.read("countries", columns=["iso_a3", "geometry"])
    except Exception:  # the check is a courtesy; an import never fails for its lack
        return None


def import_dataset(
    store: EmbeddedStore,
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
    report = progress or (lambda stage: None)
    paths = [paths] if isinstance(paths, Path | str) else list(paths)
    paths = [Path(path) for path in paths]
    if metadata.kind is DatasetKind.DOCUMENT:
        return _import_document(
            store, paths, metadata, command=command, fetched_from=fetched_from, clock=clock
        )
    report(f"reading {', '.join(path.name for path in paths)}")
    result = read_input(paths, options, countries=_country_polygons(store))
    warnings = [*notes, *result.warnings]
    frame = result.frame
    if post_read is not None:
        report("filtering")
        frame, notes = post_read(frame)
        warnings.extend(notes)
        if len(frame) == 0:
            raise EmptyInputError(
                "No rows are left after the source's filters.",
                source=paths[0].name,
                hint="check the input, or relax the connector's filter options.",
            )
    provenance = _provenance(
        result, command, fetched_from, clock, _options_digest(options, post_read_key or {})
    )
    record = metadata.to_record(result.kind)
    report(f"writing {len(frame)} rows")
    outcome = store.write_frame_version(
        record, provenance, frame, repairs=tuple(result.repairs), warnings=tuple(warnings)
    )
    return ImportOutcome(
        outcome.record, outcome.version, outcome.created, tuple(result.repairs), tuple(warnings)
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
    store: EmbeddedStore,
    paths: list[Path],
    metadata: DatasetMetadata,
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
    if source.stat().st_size == 0:
        raise EmptyInputError("The file is empty (0 bytes).", source=source.name, hint="check the download.")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    provenance = Provenance(
        recorded_at=clock().astimezone(UTC).isoformat(timespec="seconds"),
        command=command,
        input_name=source.name,
        input_sha256=digest,
        fetched_from=fetched_from,
        input_format=source.suffix.lstrip(".").lower(),
    )
    outcome = store.write_document_version(metadata.to_record(DatasetKind.DOCUMENT), provenance, source)
    return ImportOutcome(outcome.record, outcome.version, outcome.created, (), ())


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
    )
    return replace(metadata, **{key: value for key, value in overrides.items() if value is not None})


def fetch_dataset(
    store: EmbeddedStore,
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
