"""The dataset catalog: listing with search and paging, detail, versions, and a DCAT JSON-LD export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from greenbri.core.catalog import DatasetKind, DatasetRecord, Theme
from greenbri.services.api.context import find_dataset, get_principal, visible_datasets
from greenbri.services.api.dcat import dcat_catalog
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes, page_links
from greenbri.usecases.catalog_views import dataset_summary, record_detail, version_rows

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Catalog"], responses=PROBLEM_RESPONSES)

DatasetId = Annotated[str, Path(description="A dataset id.")]

_LIST = schema_of(
    ["datasets", "numberMatched", "numberReturned", "links"],
    datasets={"type": "array", "items": OBJECT},
    numberMatched={"type": "integer"},
    numberReturned={"type": "integer"},
    links="links",
)


def _matches(record: DatasetRecord, text: str) -> bool:
    words = " ".join(
        (record.id, record.title.en, record.title.zh, record.description.en, record.description.zh)
    ).lower()
    return all(word in words for word in text.lower().split())


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


@router.get(
    "/datasets",
    summary="List and search datasets",
    response_class=Response,
    responses=ok({"application/json": _LIST}, "A page of datasets"),
)
def list_datasets(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Words that must all appear in the id, titles or descriptions (en or zh)")] = None,
    theme: Annotated[Theme | None, Query(description="Only this theme")] = None,
    kind: Annotated[DatasetKind | None, Query(description="Only this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> Response:  # fmt: skip
    records = [
        record
        for record in visible_datasets(request, kind)
        if (theme is None or record.theme is theme) and (not q or _matches(record, q))
    ]
    page = records[offset : offset + limit]
    body: dict[str, Any] = {
        "datasets": [dataset_summary(record) for record in page],
        "numberMatched": len(records),
        "numberReturned": len(page),
        "links": page_links(request, offset, limit, len(page), len(records), "application/json"),
    }
    next_links = [link["href"] for link in body["links"] if link["rel"] == "next"]
    headers = {"Link": f'<{next_links[0]}>; rel="next"'} if next_links else None
    return cached(request, json_bytes(body), private=_private(request), headers=headers)


@router.get(
    "/datasets/{dataset_id}",
    summary="Everything about a dataset",
    response_class=Response,
    responses=ok(
        {"application/json": schema_of(["id", "title"], id={"type": "string"}, title=OBJECT)},
        "The dataset",
        404,
    ),
)
def show_dataset(
    request: Request,
    dataset_id: DatasetId,
    version: Annotated[int | None, Query(ge=1, le=2**62, description="A version (default: latest)")] = None,
) -> Response:  # fmt: skip
    record = find_dataset(request, dataset_id)
    detail: dict[str, Any] = record_detail(record, version)
    return cached(request, json_bytes(detail), private=_private(request))


@router.get(
    "/datasets/{dataset_id}/versions",
    summary="A dataset's versions and their provenance",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": OBJECT}}, "Versions", 404),
)
def list_versions(request: Request, dataset_id: DatasetId) -> Response:
    record = find_dataset(request, dataset_id)
    return cached(request, json_bytes(version_rows(record)), private=_private(request))


@router.get(
    "/catalog.jsonld",
    summary="The catalog as DCAT (JSON-LD)",
    response_class=Response,
    responses=ok({"application/ld+json": OBJECT}, "DCAT catalog"),
)
def catalog_jsonld(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    body = dcat_catalog(visible_datasets(request), base)
    return cached(request, json_bytes(body), "application/ld+json", private=_private(request))
