"""The dataset catalog's domain model: what greenbri knows about every dataset.

A :class:`DatasetRecord` describes one dataset (titles in Chinese and English, kind,
theme, receptor role, source, licence, access level) and lists its
:class:`DatasetVersion` objects. Each import creates a version with its own
provenance, schema, extents and feature count; later results name the versions
they used through :class:`DatasetReference`.

Everything here is a frozen value with ``to_dict`` / ``from_dict`` for the JSON
catalog file; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any

from greenbri.core.errors import CatalogError, VersionNotFoundError

__all__ = [
    "AccessLevel",
    "Bilingual",
    "BoundingBox",
    "DatasetKind",
    "DatasetRecord",
    "DatasetReference",
    "DatasetVersion",
    "FeatureRepair",
    "FieldSchema",
    "Licence",
    "Provenance",
    "ReceptorRole",
    "SourceInfo",
    "TemporalExtent",
    "Theme",
    "validate_dataset_id",
]

_DATASET_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


def validate_dataset_id(dataset_id: str) -> str:
    """Return ``dataset_id`` if it is a valid id, else raise :class:`CatalogError`.

    Ids are 1-80 characters of lower-case ASCII letters, digits, ``_`` and ``-``,
    starting with a letter or digit, so they are safe as file and URL names.
    """
    if not _DATASET_ID.match(dataset_id):
        raise CatalogError(
            f"Dataset id {dataset_id!r} is not valid.",
            hint="use 1-80 lower-case letters, digits, '_' or '-', starting with a "
            "letter or digit, e.g. 'ramsar-ukraine'.",
        )
    return dataset_id


class DatasetKind(StrEnum):
    """What shape of data a dataset holds."""

    VECTOR_LAYER = "vector_layer"
    INDICATOR_TABLE = "indicator_table"
    TIME_SERIES = "time_series"
    DOCUMENT = "document"


class Theme(StrEnum):
    """The environmental theme a dataset belongs to."""

    PROTECTED_AREAS = "protected_areas"
    BIODIVERSITY = "biodiversity"
    WETLANDS = "wetlands"
    HERITAGE = "heritage"
    WATER = "water"
    AIR = "air"
    CLIMATE = "climate"
    ENERGY = "energy"
    FORESTS = "forests"
    BOUNDARIES = "boundaries"
    SETTLEMENTS = "settlements"
    INFRASTRUCTURE = "infrastructure"
    PROJECTS = "projects"
    PHYSICAL_GEOGRAPHY = "physical_geography"
    OTHER = "other"


class ReceptorRole(StrEnum):
    """The role a sensitive-area layer plays when projects are screened against it."""

    PROTECTED_AREA = "protected_area"
    WORLD_HERITAGE = "world_heritage"
    WETLAND = "wetland"
    KEY_BIODIVERSITY_AREA = "key_biodiversity_area"
    LAKE = "lake"
    RIVER = "river"
    REEF = "reef"
    GLACIER = "glacier"
    URBAN_AREA = "urban_area"
    SETTLEMENT = "settlement"
    OTHER_SENSITIVE_AREA = "other_sensitive_area"


class AccessLevel(StrEnum):
    """Who may read a dataset."""

    PUBLIC = "public"
    RESTRICTED = "restricted"


def _enum_value(enum_type: type[Enum], value: Any, what: str) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum_type)
        raise CatalogError(f"Unknown {what} {value!r}.", hint=f"use one of: {allowed}.") from None


@dataclass(frozen=True)
class Bilingual:
    """A text in English and Chinese. Both are first-class; either may be empty."""

    en: str
    zh: str = ""

    def pick(self, language: str) -> str:
        """Return the text in ``language`` ('en' or 'zh'), falling back to the other."""
        if language.startswith("zh"):
            return self.zh or self.en
        return self.en or self.zh

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def from_dict(cls, data: dict[str, str] | str) -> Bilingual:
        if isinstance(data, str):
            return cls(en=data)
        return cls(en=data.get("en", ""), zh=data.get("zh", ""))


@dataclass(frozen=True)
class SourceInfo:
    """Where a dataset comes from upstream."""

    url: str = ""
    publisher: str = ""
    upstream_version: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "publisher": self.publisher, "upstream_version": self.upstream_version}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> SourceInfo:
        return cls(**{key: data.get(key, "") for key in ("url", "publisher", "upstream_version")})


@dataclass(frozen=True)
class Licence:
    """The licence a dataset is published under and the attribution it requires."""

    name: str = "unknown"
    url: str = ""
    attribution: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url, "attribution": self.attribution}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Licence:
        return cls(
            name=data.get("name", "unknown"),
            url=data.get("url", ""),
            attribution=data.get("attribution", ""),
        )


@dataclass(frozen=True)
class Provenance:
    """How one version came into the store.

    ``recorded_at`` is an ISO 8601 UTC timestamp; ``command`` the greenbri command
    or API call that made it; ``input_sha256`` the digest of the input bytes (for
    several input files, of their sorted digests); ``options_digest`` the digest of
    the import options and metadata, so that re-running the same import is a no-op.
    """

    recorded_at: str
    command: str
    input_name: str
    input_sha256: str
    fetched_from: str = ""
    input_format: str = ""
    input_encoding: str = ""
    input_crs: str = ""
    options_digest: str = ""

    def same_input(self, incoming: Provenance) -> bool:
        """Whether ``incoming`` describes the same input bytes and options (a re-import is then a no-op)."""
        return (
            bool(incoming.input_sha256)
            and self.input_sha256 == incoming.input_sha256
            and self.options_digest == incoming.options_digest
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "recorded_at": self.recorded_at,
            "command": self.command,
            "input_name": self.input_name,
            "input_sha256": self.input_sha256,
            "fetched_from": self.fetched_from,
            "input_format": self.input_format,
            "input_encoding": self.input_encoding,
            "input_crs": self.input_crs,
            "options_digest": self.options_digest,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Provenance:
        return cls(**data)


@dataclass(frozen=True)
class FieldSchema:
    """One column of a dataset version: its name and its storage type."""

    name: str
    type: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


@dataclass(frozen=True)
class BoundingBox:
    """A longitude/latitude box in EPSG:4326 degrees."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def to_list(self) -> list[float]:
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]

    @classmethod
    def from_list(cls, values: list[float]) -> BoundingBox:
        return cls(*(float(value) for value in values))


@dataclass(frozen=True)
class TemporalExtent:
    """First and last time covered, as ISO 8601 strings."""

    start: str
    end: str

    def to_list(self) -> list[str]:
        return [self.start, self.end]


@dataclass(frozen=True)
class FeatureRepair:
    """What was repaired in one feature during import."""

    feature: int
    feature_id: str
    problem: str
    action: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "feature_id": self.feature_id,
            "problem": self.problem,
            "action": self.action,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureRepair:
        return cls(
            feature=int(data["feature"]),
            feature_id=str(data.get("feature_id", "")),
            problem=str(data["problem"]),
            action=str(data["action"]),
        )


@dataclass(frozen=True)
class DatasetVersion:
    """One immutable version of a dataset."""

    number: int
    provenance: Provenance
    schema: tuple[FieldSchema, ...]
    feature_count: int
    spatial_extent: BoundingBox | None = None
    temporal_extent: TemporalExtent | None = None
    crs: str = ""
    repairs: tuple[FeatureRepair, ...] = ()
    warnings: tuple[str, ...] = ()
    file_name: str = "data.parquet"
    kind: DatasetKind = DatasetKind.VECTOR_LAYER

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind.value,
            "provenance": self.provenance.to_dict(),
            "schema": [column.to_dict() for column in self.schema],
            "feature_count": self.feature_count,
            "spatial_extent": self.spatial_extent.to_list() if self.spatial_extent else None,
            "temporal_extent": self.temporal_extent.to_list() if self.temporal_extent else None,
            "crs": self.crs,
            "repairs": [repair.to_dict() for repair in self.repairs],
            "warnings": list(self.warnings),
            "file_name": self.file_name,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetVersion:
        spatial = data.get("spatial_extent")
        temporal = data.get("temporal_extent")
        return cls(
            number=int(data["number"]),
            provenance=Provenance.from_dict(data["provenance"]),
            schema=tuple(FieldSchema(**column) for column in data.get("schema", [])),
            feature_count=int(data["feature_count"]),
            spatial_extent=BoundingBox.from_list(spatial) if spatial else None,
            temporal_extent=TemporalExtent(*temporal) if temporal else None,
            crs=data.get("crs", ""),
            repairs=tuple(FeatureRepair.from_dict(item) for item in data.get("repairs", [])),
            warnings=tuple(data.get("warnings", [])),
            file_name=data.get("file_name", "data.parquet"),
            kind=_enum_value(DatasetKind, data.get("kind", "vector_layer"), "dataset kind"),
        )


@dataclass(frozen=True)
class DatasetReference:
    """A pointer to one version of one dataset, for results to cite what they used."""

    dataset_id: str
    version: int
    input_sha256: str

    def __str__(self) -> str:
        return f"{self.dataset_id}@v{self.version}"


@dataclass(frozen=True)
class DatasetRecord:
    """Everything the catalog knows about one dataset, versions included.

    ``coverage`` declares where the dataset is complete, so that the absence of a feature
    means absence on the ground: ``("global",)``, ISO 3166-1 alpha-3 codes, or ``("none",)``
    for a sample that proves nothing by absence. Empty means undeclared: screening then falls
    back to the dataset's spatial extent.
    """

    id: str
    title: Bilingual
    description: Bilingual = field(default_factory=lambda: Bilingual(""))
    kind: DatasetKind = DatasetKind.VECTOR_LAYER
    theme: Theme = Theme.OTHER
    receptor_role: ReceptorRole | None = None
    source: SourceInfo = field(default_factory=SourceInfo)
    licence: Licence = field(default_factory=Licence)
    access: AccessLevel = AccessLevel.PUBLIC
    organisation: str = ""
    versions: tuple[DatasetVersion, ...] = ()
    coverage: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        validate_dataset_id(self.id)
        if not (self.title.en or self.title.zh):
            raise CatalogError(
                f"Dataset {self.id!r} has no title.",
                hint="give a title in English, Chinese or both.",
            )

    @property
    def latest(self) -> DatasetVersion | None:
        """The newest version, or None if every version was deleted."""
        return max(self.versions, key=lambda version: version.number) if self.versions else None

    def version(self, number: int | None = None) -> DatasetVersion | None:
        """The version with ``number``, or the latest when ``number`` is None."""
        if number is None:
            return self.latest
        for version in self.versions:
            if version.number == number:
                return version
        return None

    def require_version(self, number: int | None = None) -> DatasetVersion:
        """:meth:`version`, or :class:`VersionNotFoundError` naming the versions there are."""
        version = self.version(number)
        if version is None:
            numbers = ", ".join(str(item.number) for item in self.versions) or "none"
            raise VersionNotFoundError(
                f"Dataset {self.id!r} has no version {number if number is not None else '(any)'}.",
                hint=f"its versions are: {numbers}.",
            )
        return version

    def reference(self, number: int | None = None) -> DatasetReference | None:
        """A :class:`DatasetReference` to a version (latest by default)."""
        version = self.version(number)
        if version is None:
            return None
        return DatasetReference(self.id, version.number, version.provenance.input_sha256)

    def with_version(self, version: DatasetVersion) -> DatasetRecord:
        kept = tuple(item for item in self.versions if item.number != version.number)
        return replace(self, versions=tuple(sorted((*kept, version), key=lambda item: item.number)))

    def without_version(self, number: int) -> DatasetRecord:
        return replace(self, versions=tuple(item for item in self.versions if item.number != number))

    def describe_like(self, other: DatasetRecord) -> DatasetRecord:
        """This record's versions with ``other``'s descriptive metadata."""
        return replace(other, versions=self.versions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.to_dict(),
            "description": self.description.to_dict(),
            "kind": self.kind.value,
            "theme": self.theme.value,
            "receptor_role": self.receptor_role.value if self.receptor_role else None,
            "source": self.source.to_dict(),
            "licence": self.licence.to_dict(),
            "access": self.access.value,
            "organisation": self.organisation,
            "coverage": list(self.coverage),
            "versions": [version.to_dict() for version in self.versions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetRecord:
        role = data.get("receptor_role")
        return cls(
            id=data["id"],
            title=Bilingual.from_dict(data["title"]),
            description=Bilingual.from_dict(data.get("description", "")),
            kind=_enum_value(DatasetKind, data.get("kind", "vector_layer"), "dataset kind"),
            theme=_enum_value(Theme, data.get("theme", "other"), "theme"),
            receptor_role=_enum_value(ReceptorRole, role, "receptor role") if role else None,
            source=SourceInfo.from_dict(data.get("source", {})),
            licence=Licence.from_dict(data.get("licence", {})),
            access=_enum_value(AccessLevel, data.get("access", "public"), "access level"),
            organisation=data.get("organisation", ""),
            coverage=tuple(data.get("coverage", ())),
            versions=tuple(DatasetVersion.from_dict(item) for item in data.get("versions", [])),
        )
