"""Catalog records as plain dictionaries for listings, detail pages and JSON output."""

from __future__ import annotations

from typing import Any

from greenbri.core.catalog import DatasetRecord
from greenbri.core.errors import VersionNotFoundError

__all__ = ["catalog_summary", "dataset_summary", "record_detail", "version_rows"]


def dataset_summary(record: DatasetRecord) -> dict[str, Any]:
    """One line of a dataset listing."""
    latest = record.latest
    return {
        "id": record.id,
        "title": record.title.to_dict(),
        "kind": record.kind.value,
        "theme": record.theme.value,
        "receptor_role": record.receptor_role.value if record.receptor_role else None,
        "access": record.access.value,
        "latest_version": latest.number if latest else None,
        "version_count": len(record.versions),
        "feature_count": latest.feature_count if latest else 0,
        "licence": record.licence.name,
    }


def record_detail(record: DatasetRecord, version: int | None = None) -> dict[str, Any]:
    """Everything about a dataset, with one version (latest by default) in full."""
    detail = record.to_dict()
    chosen = record.version(version)
    if version is not None and chosen is None:
        raise VersionNotFoundError(
            f"Dataset {record.id!r} has no version {version}.",
            hint=f"its versions are: {', '.join(str(v.number) for v in record.versions) or 'none'}.",
        )
    detail["version"] = chosen.to_dict() if chosen else None
    detail["version_numbers"] = [item.number for item in record.versions]
    del detail["versions"]
    return detail


def version_rows(record: DatasetRecord) -> list[dict[str, Any]]:
    return [
        {
            "number": version.number,
            "recorded_at": version.provenance.recorded_at,
            "feature_count": version.feature_count,
            "input_name": version.provenance.input_name,
            "input_sha256": version.provenance.input_sha256,
            "command": version.provenance.command,
            "fetched_from": version.provenance.fetched_from,
        }
        for version in record.versions
    ]


def catalog_summary(records: list[DatasetRecord]) -> dict[str, Any]:
    """Totals for the start-up banner: datasets by kind and theme, features."""
    by_kind: dict[str, int] = {}
    by_theme: dict[str, int] = {}
    for record in records:
        by_kind[record.kind.value] = by_kind.get(record.kind.value, 0) + 1
        by_theme[record.theme.value] = by_theme.get(record.theme.value, 0) + 1
    return {
        "dataset_count": len(records),
        "feature_count": sum(record.latest.feature_count for record in records if record.latest),
        "by_kind": dict(sorted(by_kind.items())),
        "by_theme": dict(sorted(by_theme.items())),
        "datasets": [dataset_summary(record) for record in records],
    }
