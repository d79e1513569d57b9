"""Mapbox Vector Tiles of every visible vector layer (WebMercatorQuad), and TileJSON to find them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response

from greenbri.core.catalog import DatasetKind, DatasetVersion
from greenbri.services.api.context import find_dataset, get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes
from greenbri.services.api.tile_cache import tile_maker

__all__ = ["MVT", "router"]

router = APIRouter(prefix="/tiles", tags=["Vector tiles"], responses=PROBLEM_RESPONSES)
MVT = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22

CollectionId = Annotated[str, Path(alias="collectionId", description="A collection (dataset) id.")]


@router.get(
    "/{collectionId}/tilejson.json",
    summary="TileJSON 3.0 of a layer",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "TileJSON", 404),
)
def tilejson(request: Request, collection_id: CollectionId) -> Response:
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    version = record.latest
    assert version is not None
    base = str(request.base_url).rstrip("/")
    body = {
        "tilejson": "3.0.0",
        "name": record.title.en or record.title.zh,
        "attribution": record.licence.attribution,
        "tiles": [f"{base}/tiles/{record.id}/{{z}}/{{x}}/{{y}}.mvt"],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": _bounds(version),
        "vector_layers": [{"id": record.id, "fields": {column.name: column.type for column in version.schema if column.name not in ("geometry", "bbox")}}],
    }  # fmt: skip
    return cached(request, json_bytes(body), private=not get_principal(request).anonymous)


def _bounds(version: DatasetVersion) -> list[float]:
    """TileJSON bounds: the extent, or every longitude when it crosses 180 (TileJSON 3.0 bounds do
    not wrap)."""
    if version.spatial_extent is None:
        return [-180, -85.05, 180, 85.05]
    west, south, east, north = version.spatial_extent.to_list()
    return [west, south, east, north] if west <= east else [-180.0, south, 180.0, north]


@router.get(
    "/{collectionId}/{z}/{x}/{y}.mvt",
    summary="One vector tile (layer named by the collection id)",
    response_class=Response,
    responses=ok(MVT, "The tile (empty when no feature falls in it)", 404),
)
def tile(
    request: Request,
    collection_id: CollectionId,
    z: Annotated[int, Path(ge=0, le=MAX_ZOOM, description="Zoom level")],
    x: Annotated[int, Path(ge=0, le=2**MAX_ZOOM - 1, description="Column")],
    y: Annotated[int, Path(ge=0, le=2**MAX_ZOOM - 1, description="Row (from the north)")],
) -> Response:  # fmt: skip
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    if x >= 2**z or y >= 2**z:
        raise HTTPException(
            404, f"Tile {z}/{x}/{y} is outside the tile matrix (0 to {2**z - 1} at zoom {z})."
        )
    context = get_context(request)
    version, path = context.store.locate(record.id, record.latest.number if record.latest else None)
    # Only after find_dataset: a restricted layer's tiles are cached but never served to outsiders.
    body = tile_maker(context).tile(path, version, record.id, z, x, y)
    return cached(request, body, MVT, private=not get_principal(request).anonymous, max_age_s=3600)
