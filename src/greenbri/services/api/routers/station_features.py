"""Monitoring stations as the OGC API - Features collection ``stations`` (GeoJSON points).

The collection is not a catalog dataset: its features are the readings store's stations (one per
station, id = station id, CRS84). This router comes before the OGC router in ``ROUTERS`` so that
``/collections`` lists every vector layer *and* ``stations``, and ``/collections/stations...``
answers here. Items take ``bbox``, ``limit``, ``offset`` and property filters (``country=CHN``);
pages link to the next one (what GDAL's OAPIF driver follows).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from greenbri.core.errors import InputError
from greenbri.core.monitoring.readings import STATION_COLUMNS
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.features import OUTPUT_CRS
from greenbri.services.api.monitoring_support import in_bbox, station_rows
from greenbri.services.api.ogc_query import CRS84, bbox_in_crs84, output_crs, point_in
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes, page_links
from greenbri.services.api.routers.ogc import (
    DEFAULT_LIMIT,
    GEOJSON,
    MAX_LIMIT,
    collections_response,
)

__all__ = ["COLLECTION_ID", "router"]

router = APIRouter(tags=["OGC API - Features"], responses=PROBLEM_RESPONSES)

COLLECTION_ID = "stations"
_BASE = f"/collections/{COLLECTION_ID}"
_RESERVED = {"bbox", "datetime", "limit", "offset", "f", "bbox-crs", "crs"}
_PROPERTIES = [name for name in STATION_COLUMNS if name not in ("station_id",)]
_FEATURE = schema_of(["type", "geometry", "properties"], type={"type": "string", "enum": ["Feature"]}, id={"type": "string"}, geometry={"type": "object", "nullable": True}, properties={"type": "object", "nullable": True})  # fmt: skip
_FEATURES = schema_of(["type", "features"], type={"type": "string", "enum": ["FeatureCollection"]}, features={"type": "array", "items": _FEATURE}, numberMatched={"type": "integer"}, numberReturned={"type": "integer"}, links="links")  # fmt: skip


def _url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + _BASE


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


def station_collection(request: Request) -> dict[str, Any]:
    rows = [row for row in station_rows(request) if row.get("longitude") is not None]
    box = [-180.0, -90.0, 180.0, 90.0]
    if rows:
        lons, lats = [row["longitude"] for row in rows], [row["latitude"] for row in rows]
        box = [min(lons), min(lats), max(lons), max(lats)]
    chinese = request.headers.get("accept-language", "").lower().startswith("zh")
    url = _url(request)
    return {
        "id": COLLECTION_ID,
        "title": "监测站点" if chinese else "Monitoring stations",
        "titles": {"en": "Monitoring stations", "zh": "监测站点"},
        "description": "Air and water monitoring stations of the readings store / 监测数据库中的空气和水质监测站点",
        "itemType": "feature",
        "crs": list(OUTPUT_CRS),
        "geometryType": "Point",
        "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [box], "crs": CRS84}},
        "featureCount": len(station_rows(request)),
        "temporalProperty": None,
        "links": [
            {"href": url, "rel": "self", "type": "application/json", "title": "this collection"},
            {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": "features"},
        ],
    }


def _feature(row: dict[str, Any], crs: str = CRS84) -> dict[str, Any]:
    lon, lat = row.get("longitude"), row.get("latitude")
    geometry = None
    if lon is not None and lat is not None:
        geometry = {"type": "Point", "coordinates": point_in(crs, float(lon), float(lat))}
    return {"type": "Feature", "id": row["station_id"], "geometry": geometry, "properties": dict(row)}


@router.get("/collections", response_class=Response, include_in_schema=False)
def collections_with_stations(
    request: Request, f: Annotated[str | None, Query(pattern="^(json|html)$")] = None
) -> Response:
    """``/collections`` of the OGC router (documented there) with the stations added."""
    return collections_response(request, f, (station_collection(request),), skip=COLLECTION_ID)


@router.get(
    _BASE,
    summary="The monitoring stations collection",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The collection"),
)
def stations_collection(request: Request) -> Response:
    return cached(request, json_bytes(station_collection(request)), private=_private(request))


def _filters(request: Request) -> list[tuple[str, str]]:
    chosen = []
    for name, value in sorted(request.query_params.multi_items()):
        if name in _RESERVED:
            continue
        if name not in _PROPERTIES:
            raise InputError(
                f"Unknown query parameter {name!r} for collection {COLLECTION_ID!r}.",
                hint="use bbox, limit, offset, or a property name as a filter: "
                + ", ".join(_PROPERTIES)
                + ".",
            )
        chosen.append((name, value))
    return chosen


@router.get(
    f"{_BASE}/items",
    summary="Monitoring stations as GeoJSON points",
    response_class=Response,
    responses=ok({GEOJSON: _FEATURES}, "A page of stations (GeoJSON)"),
)
def station_items(
    request: Request,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat (CRS84)")] = None,
    datetime: Annotated[str | None, Query(max_length=100, description="Accepted and ignored: stations have no time property")] = None,
    limit: Annotated[int, Query(ge=1, description=f"Features per page (default {DEFAULT_LIMIT}; above {MAX_LIMIT} means {MAX_LIMIT})", json_schema_extra={"maximum": MAX_LIMIT})] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Features to skip")] = 0,
    crs: Annotated[str | None, Query(description="Output CRS: CRS84 (default), EPSG:4326 (lat, lon) or EPSG:3857")] = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs", description="CRS of bbox: CRS84 (default), EPSG:4326 or EPSG:3857")] = None,
    f: Annotated[str | None, Query(description="Output format: json or geojson (the only one)", pattern="^(json|geojson)$")] = None,
) -> Response:  # fmt: skip
    chosen_crs = output_crs(crs)
    box = bbox_in_crs84(bbox, bbox_crs)
    filters = _filters(request)
    rows = [
        row
        for row in station_rows(request)
        if in_bbox(row, box) and all(str(row.get(name)) == value for name, value in filters)
    ]
    limit = min(limit, get_context(request).options.max_items)
    page = rows[offset : offset + limit]
    links = page_links(request, offset, limit, len(page), len(rows), GEOJSON)
    links.append({"href": _url(request), "rel": "collection", "type": "application/json", "title": "the collection"})  # fmt: skip
    body = {
        "type": "FeatureCollection",
        "numberMatched": len(rows),
        "numberReturned": len(page),
        "links": links,
        "features": [_feature(row, chosen_crs) for row in page],
    }
    response = cached(request, json_bytes(body), GEOJSON, private=_private(request))
    response.headers["Content-Crs"] = f"<{chosen_crs}>"
    return response


@router.get(
    f"{_BASE}/items/{{featureId}}",
    summary="One monitoring station (GeoJSON)",
    response_class=Response,
    responses=ok({GEOJSON: _FEATURE}, "The station", 404),
)
def station_item(
    request: Request,
    feature_id: Annotated[str, Path(alias="featureId", max_length=100, description="A station id")],
) -> Response:
    for row in station_rows(request):
        if row["station_id"] == feature_id:
            feature = _feature(row)
            feature["links"] = [
                {"href": f"{_url(request)}/items/{feature_id}", "rel": "self", "type": GEOJSON, "title": "this feature"},
                {"href": _url(request), "rel": "collection", "type": "application/json", "title": "the collection"},
            ]  # fmt: skip
            return cached(request, json_bytes(feature), GEOJSON, private=_private(request))
    raise HTTPException(404, f"Collection {COLLECTION_ID!r} has no feature {feature_id!r}.")
