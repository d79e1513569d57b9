"""The catalog as DCAT 3 in JSON-LD: one ``dcat:Dataset`` per dataset, with its distributions."""

from __future__ import annotations

from typing import Any

from greenbri.core.catalog import DatasetKind, DatasetRecord
from greenbri.core.geometry import split_at_antimeridian

__all__ = ["dcat_catalog"]

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
_MEDIA = {
    "geojson": "application/geo+json",
    "geoparquet": "application/vnd.apache.parquet",
    "csv": "text/csv",
}


def _texts(text: Any) -> list[dict[str, str]]:
    return [
        {"@value": value, "@language": language}
        for language, value in (("en", text.en), ("zh", text.zh))
        if value
    ]


def _distributions(record: DatasetRecord, base: str) -> list[dict[str, Any]]:
    formats: tuple[str, ...] = (
        ("geojson", "geoparquet", "csv") if record.kind is DatasetKind.VECTOR_LAYER else ("geoparquet", "csv")
    )
    if record.kind is DatasetKind.DOCUMENT:
        formats = ("file",)
    rows = [
        {
            "@type": "dcat:Distribution",
            "dct:title": f"{record.id} ({name})",
            "dcat:downloadURL": {"@id": f"{base}/v1/datasets/{record.id}/download?format={name}"},
            "dcat:mediaType": _MEDIA.get(name, "application/octet-stream"),
        }
        for name in formats
    ]
    if record.kind is DatasetKind.VECTOR_LAYER:
        rows.append(
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{record.id} (OGC API - Features)",
                "dcat:accessURL": {"@id": f"{base}/collections/{record.id}"},
                "dct:conformsTo": {"@id": "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"},
                "dcat:mediaType": "application/geo+json",
            }
        )
    return rows


def _dataset(record: DatasetRecord, base: str) -> dict[str, Any]:
    latest = record.latest
    entry: dict[str, Any] = {
        "@id": f"{base}/v1/datasets/{record.id}",
        "@type": "dcat:Dataset",
        "dct:identifier": record.id,
        "dct:title": _texts(record.title),
        "dct:description": _texts(record.description),
        "dcat:theme": record.theme.value,
        "dcat:keyword": [record.theme.value, record.kind.value]
        + ([record.receptor_role.value] if record.receptor_role else []),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": record.source.publisher or "unknown"},
        "dct:license": {"@id": record.licence.url} if record.licence.url else record.licence.name,
        "dct:rights": record.licence.attribution,
        "dct:accessRights": record.access.value,
        "dcat:distribution": _distributions(record, base),
    }
    if record.source.url:
        entry["dct:source"] = {"@id": record.source.url}
    if latest is not None:
        entry["owl:versionInfo"] = str(latest.number)
        entry["dct:modified"] = {"@value": latest.provenance.recorded_at, "@type": "xsd:dateTime"}
        if latest.spatial_extent is not None:
            extent = latest.spatial_extent
            box = (extent.min_lon, extent.min_lat, extent.max_lon, extent.max_lat)
            parts = [
                f"(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
                for west, south, east, north in split_at_antimeridian(box)
            ]  # a box across 180 is two polygons
            polygon = f"POLYGON{parts[0]}" if len(parts) == 1 else f"MULTIPOLYGON({','.join(parts)})"
            entry["dct:spatial"] = {
                "@type": "dct:Location",
                "dcat:bbox": {"@value": polygon, "@type": "gsp:wktLiteral"},
            }
        if latest.temporal_extent is not None:
            entry["dct:temporal"] = {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": latest.temporal_extent.start,
                "dcat:endDate": latest.temporal_extent.end,
            }
    return entry


def dcat_catalog(records: list[DatasetRecord], base: str) -> dict[str, Any]:
    """A ``dcat:Catalog`` of ``records`` (already filtered to what the reader may see)."""
    return {
        "@context": CONTEXT,
        "@id": f"{base}/v1/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": "greenbri catalog", "@language": "en"},
            {"@value": "greenbri 数据目录", "@language": "zh"},
        ],
        "dcat:dataset": [_dataset(record, base) for record in records],
    }
