"""Downloads of a dataset version as GeoJSON, GeoParquet or CSV (documents as they are).

Versions never change, so each export is written once to ``<cache dir>/api-exports`` and served
from there with an ETag naming the version's input digest.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse

from greenbri.core.catalog import AccessLevel, DatasetKind
from greenbri.services.api.context import find_dataset, get_context
from greenbri.services.api.documentation import ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.usecases.export import export_dataset

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Downloads"], responses=PROBLEM_RESPONSES)
_LOCK = threading.Lock()


class DownloadFormat(StrEnum):
    GEOJSON = "geojson"
    GEOPARQUET = "geoparquet"
    CSV = "csv"


_MEDIA = {
    "geojson": "application/geo+json",
    "geoparquet": "application/vnd.apache.parquet",
    "csv": "text/csv",
}
_SUFFIX = {"geojson": ".geojson", "geoparquet": ".parquet", "csv": ".csv"}
_BINARY = {"type": "string", "format": "binary"}


@router.get(
    "/datasets/{dataset_id}/download",
    summary="Download a version as GeoJSON, GeoParquet or CSV",
    response_class=Response,
    responses=ok({**{media: _BINARY for media in _MEDIA.values()}, "application/octet-stream": _BINARY}, "The file", 404),
)  # fmt: skip
def download(
    request: Request,
    dataset_id: Annotated[str, Path(description="A dataset id.")],
    format: Annotated[DownloadFormat, Query(description="geojson (vector layers), geoparquet or csv")] = DownloadFormat.GEOPARQUET,
    version: Annotated[int | None, Query(ge=1, le=2**62, description="A version (default: latest)")] = None,
) -> Response:  # fmt: skip
    record = find_dataset(request, dataset_id)
    context = get_context(request)
    found, source = context.store.locate(record.id, version)
    document = found.kind is DatasetKind.DOCUMENT
    suffix = source.suffix if document else _SUFFIX[format.value]
    name = f"{record.id}-v{found.number}{suffix}"
    target = context.settings.effective_cache_dir / "api-exports" / record.id / name
    with _LOCK:
        if not target.is_file():
            export_dataset(context.store, record.id, target, None if document else format.value, found.number)
    etag = f'"{found.provenance.input_sha256[:24]}-{found.number}-{format.value}"'
    scope = "private" if record.access is AccessLevel.RESTRICTED else "public"
    headers = {"ETag": etag, "Cache-Control": f"{scope}, max-age=86400", "Vary": "Authorization, X-API-Key"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    media = "application/octet-stream" if document else _MEDIA[format.value]
    return FileResponse(target, media_type=media, filename=name, headers=headers)
