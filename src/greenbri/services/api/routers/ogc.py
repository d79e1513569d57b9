"""OGC API - Features Part 1 (Core, GeoJSON, OpenAPI 3.0): every visible vector layer is a collection.

Paths: ``/`` (landing page), ``/conformance``, ``/collections``, ``/collections/{collectionId}``,
``/collections/{collectionId}/items`` (``bbox``, ``datetime``, ``limit``, ``offset``, and any property
as an equality filter) and ``/collections/{collectionId}/items/{featureId}``. The API definition is
at ``/api``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from greenbri.core.catalog import DatasetKind, DatasetRecord
from greenbri.core.errors import InputError
from greenbri.services.api.context import find_dataset, get_context, get_principal, visible_datasets
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.features import OUTPUT_CRS, ItemsQuery, properties_of, temporal_column
from greenbri.services.api.html_views import render, wants_html
from greenbri.services.api.ogc_query import (
    CRS84,
    bbox_in_crs84,
    output_crs,
    properties_chosen,
    sort_order,
    the_filter,
)
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes, page_links

__all__ = ["CONFORMANCE", "router"]

router = APIRouter(tags=["OGC API - Features"], responses=PROBLEM_RESPONSES)

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
]
GEOJSON = "application/geo+json"
_RESERVED = {"bbox", "datetime", "limit", "offset", "f", "lang", "bbox-crs", "crs", "filter", "filter-lang", "filter-crs", "sortby", "properties"}  # fmt: skip
#: The items ``limit``: the default a client gets without one and the largest a page can be. GDAL's
#: OAPIF driver (3.8 and later) and QGIS read both from the ``limit`` schema in the API definition.
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000

CollectionId = Annotated[str, Path(alias="collectionId", description="A collection (dataset) id.")]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _language(request: Request) -> str:
    return "zh" if request.headers.get("accept-language", "").lower().startswith("zh") else "en"


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


def geometry_type(request: Request, record: DatasetRecord) -> str:
    """The one GeoJSON geometry type of a layer's features (``Geometry`` when they mix)."""
    context = get_context(request)
    version, path = context.store.locate(record.id, record.latest.number if record.latest else None)
    return context.features.geometry_type(path, version)


def collection(request: Request, record: DatasetRecord) -> dict[str, Any]:
    """The collection document of one vector layer."""
    version = record.latest
    assert version is not None
    url = f"{_base(request)}/collections/{record.id}"
    spatial = version.spatial_extent.to_list() if version.spatial_extent else [-180.0, -90.0, 180.0, 90.0]
    extent: dict[str, Any] = {"spatial": {"bbox": [spatial], "crs": CRS84}}
    if version.temporal_extent is not None:
        extent["temporal"] = {"interval": [version.temporal_extent.to_list()]}
    links = [
        {"href": url, "rel": "self", "type": "application/json", "title": "this collection"},
        {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": "features"},
        {
            "href": f"{url}/queryables",
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "type": "application/schema+json",
            "title": "queryables",
        },
        # The draft relation GDAL's OAPIF driver looks for; it asks for JSON (see queryables()).
        {"href": f"{url}/queryables", "rel": "queryables", "type": "application/json", "title": "queryables"},
        {
            "href": f"{_base(request)}/tiles/{record.id}/{{z}}/{{x}}/{{y}}.mvt",
            "rel": "item",
            "type": "application/vnd.mapbox-vector-tile",
            "title": "vector tiles (WebMercatorQuad)",
            "templated": True,
        },
    ]
    if record.licence.url:
        links.append(
            {"href": record.licence.url, "rel": "license", "type": "text/html", "title": record.licence.name}
        )
    return {
        "id": record.id,
        "title": record.title.pick(_language(request)),
        "titles": record.title.to_dict(),
        "description": record.description.pick(_language(request)),
        "itemType": "feature",
        "crs": list(OUTPUT_CRS),
        "storageCrs": CRS84,
        "geometryType": geometry_type(request, record),
        "extent": extent,
        "version": version.number,
        "featureCount": version.feature_count,
        "attribution": record.licence.attribution,
        "temporalProperty": temporal_column(version),
        "links": links,
    }


_HTML: dict[str, Any] = {"type": "string"}
Format = Annotated[
    str | None,
    Query(
        description="json (default) or html; a browser asking for text/html gets html",
        pattern="^(json|html)$",
    ),
]
_COLLECTION = schema_of(["id", "links"], id={"type": "string"}, title={"type": "string"}, links="links")


@router.get(
    "/",
    summary="Landing page",
    response_class=Response,
    responses=ok({"application/json": OBJECT, "text/html": _HTML}, "Landing page"),
)
def landing(request: Request, f: Format = None) -> Response:
    base = _base(request)
    body = {
        "title": "greenbri — green Belt and Road eco-environmental data / 绿色“一带一路”生态环境大数据",
        "description": "OGC API - Features, vector tiles and the greenbri REST API (/v1).",
        "links": [
            {"href": f"{base}/", "rel": "self", "type": "application/json", "title": "this document"},
            {"href": f"{base}/api", "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "the API definition"},
            {"href": f"{base}/docs", "rel": "service-doc", "type": "text/html", "title": "the API documentation"},
            {"href": f"{base}/conformance", "rel": "conformance", "type": "application/json", "title": "conformance classes"},
            {"href": f"{base}/collections", "rel": "data", "type": "application/json", "title": "collections"},
        ],
    }  # fmt: skip
    if wants_html(request, f):
        return render(
            request,
            "landing",
            private=_private(request),
            title=body["title"],
            description=body["description"],
        )
    return cached(request, json_bytes(body), private=_private(request))


@router.get(
    "/conformance",
    summary="Conformance classes",
    response_class=Response,
    responses=ok(
        {
            "application/json": schema_of(
                ["conformsTo"], conformsTo={"type": "array", "items": {"type": "string"}}
            )
        },
        "Conformance",
    ),
)
def conformance(request: Request) -> Response:
    return cached(request, json_bytes({"conformsTo": CONFORMANCE}), max_age_s=3600)


@router.get(
    "/collections",
    summary="Collections: every visible vector layer",
    response_class=Response,
    responses=ok(
        {
            "application/json": schema_of(
                ["collections", "links"], collections={"type": "array", "items": _COLLECTION}, links="links"
            ),
            "text/html": _HTML,
        },
        "Collections",
    ),
)
def collections(request: Request, f: Format = None) -> Response:
    return collections_response(request, f)


def collections_response(
    request: Request, f: str | None, extra: tuple[dict[str, Any], ...] = (), skip: str | None = None
) -> Response:
    """``/collections``: every visible vector layer, then ``extra`` collections (JSON or HTML)."""
    records = visible_datasets(request, DatasetKind.VECTOR_LAYER)
    url = f"{_base(request)}/collections"
    listed = [collection(request, record) for record in records if record.latest and record.id != skip]
    body = {
        "collections": [*listed, *extra],
        "links": [{"href": url, "rel": "self", "type": "application/json", "title": "collections"}],
    }
    if wants_html(request, f):
        return render(request, "collections", private=_private(request), title="Collections / 数据集合", description="", collections=body["collections"])  # fmt: skip
    return cached(request, json_bytes(body), private=_private(request))


@router.get(
    "/collections/{collectionId}",
    summary="One collection",
    response_class=Response,
    responses=ok({"application/json": _COLLECTION, "text/html": _HTML}, "The collection", 404),
)
def collection_detail(request: Request, collection_id: CollectionId, f: Format = None) -> Response:
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    body = collection(request, record)
    if wants_html(request, f):
        return render(
            request,
            "collection",
            private=_private(request),
            title=body["title"],
            description=body["description"],
            collection=body,
        )
    return cached(request, json_bytes(body), private=_private(request))


def _instant(text: str) -> str | None:
    if text in ("", ".."):
        return None
    try:
        value = (
            dt.datetime.fromisoformat(text)
            if "T" in text or " " in text
            else dt.datetime.fromisoformat(text + "T00:00:00+00:00")
        )
    except ValueError:
        raise InputError(
            f"datetime {text!r} is not an RFC 3339 date or date-time.",
            hint="use e.g. 2024-05-01, 2024-05-01T00:00:00Z, 2024-01-01/2024-12-31 or 2024-01-01/..",
        ) from None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _is_date(text: str) -> bool:
    return bool(text) and text != ".." and "T" not in text and " " not in text and not text.endswith("Z")


def _last_instant(text: str) -> str | None:
    """An interval's end: a date means through its last microsecond (the next midnight is the next day)."""
    end = _instant(text)
    if end is None or not _is_date(text):
        return end
    return (dt.datetime.fromisoformat(end) + dt.timedelta(days=1) - dt.timedelta(microseconds=1)).isoformat()


def _interval(text: str | None) -> tuple[str | None, str | None] | None:
    if text is None:
        return None
    if "/" in text:
        start, _, end = text.partition("/")
        return _instant(start), _last_instant(end)
    return _instant(text), _last_instant(text)


def _filters(request: Request, record: DatasetRecord) -> tuple[tuple[str, str], ...]:
    assert record.latest is not None
    names = {name for name, _ in properties_of(record.latest)}
    chosen = []
    for name, value in sorted(request.query_params.multi_items()):
        if name in _RESERVED:
            continue
        if name not in names:
            raise InputError(
                f"Unknown query parameter {name!r} for collection {record.id!r}.",
                hint="use bbox, datetime, limit, offset, or a property name as a filter: "
                + ", ".join(sorted(names))
                + ".",
            )
        chosen.append((name, value))
    return tuple(chosen)


_FEATURE = schema_of(["type", "geometry", "properties"], type={"type": "string", "enum": ["Feature"]}, id={"type": "integer"}, geometry={"type": ["object", "null"]} , properties={"type": ["object", "null"]})  # fmt: skip
_FEATURES = schema_of(["type", "features"], type={"type": "string", "enum": ["FeatureCollection"]}, features={"type": "array", "items": _FEATURE}, numberMatched={"type": "integer"}, numberReturned={"type": "integer"}, links="links")  # fmt: skip


_CRS_TEXT = "A CRS URI: " + ", ".join(OUTPUT_CRS) + " (EPSG:4326 is latitude, longitude)"
Crs = Annotated[str | None, Query(description="Output CRS (Part 2). " + _CRS_TEXT)]


def _queryables(version: Any) -> set[str]:
    return {name for name, _ in properties_of(version)}


@router.get(
    "/collections/{collectionId}/items",
    summary="Features of a collection",
    response_class=Response,
    responses=ok({GEOJSON: _FEATURES, "text/html": _HTML}, "A page of features (GeoJSON, or HTML)", 404),
)
def items(
    request: Request,
    collection_id: CollectionId,
    bbox: Annotated[str | None, Query(description="minx,miny,maxx,maxy in bbox-crs (default CRS84)")] = None,
    datetime: Annotated[
        str | None, Query(description="RFC 3339 instant or interval (a/b, ../b, a/..)")
    ] = None,
    limit: Annotated[
        int,
        Query(
            ge=1,
            description=f"Features per page (default {DEFAULT_LIMIT}; above {MAX_LIMIT} means {MAX_LIMIT})",
            json_schema_extra={"maximum": MAX_LIMIT},
        ),
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Features to skip")] = 0,
    crs: Crs = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs", description="CRS of bbox. " + _CRS_TEXT)] = None,
    filter: Annotated[
        str | None,
        Query(
            max_length=4000,
            description="CQL2 filter (Part 3), e.g. population > 1000000; see /queryables. At most 4,000 "
            "characters and 12 levels of nesting",
        ),
    ] = None,
    filter_lang: Annotated[
        Literal["cql2-text", "cql2-json", "cql-text"] | None,
        Query(
            alias="filter-lang",
            description="The filter's language: cql2-text (default) or cql2-json; cql-text, the draft name "
            "GDAL's OAPIF driver looks for and sends, is read as cql2-text",
        ),
    ] = None,
    filter_crs: Annotated[
        str | None, Query(alias="filter-crs", description="CRS of filter geometries: CRS84")
    ] = None,
    sortby: Annotated[
        str | None, Query(description="Sort keys: name or -name (descending), comma-separated")
    ] = None,
    properties: Annotated[str | None, Query(description="The properties to return, comma-separated")] = None,
    f: Annotated[
        str | None,
        Query(
            description="Output format: json or geojson (default), or html", pattern="^(json|geojson|html)$"
        ),
    ] = None,
) -> Response:
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    context = get_context(request)
    version, path = context.store.locate(record.id, record.latest.number if record.latest else None)
    names = _queryables(version)
    chosen_crs = output_crs(crs)
    query = ItemsQuery(
        bbox=bbox_in_crs84(bbox, bbox_crs),
        interval=_interval(datetime),
        filters=_filters(request, record),
        limit=min(limit, context.options.max_items),
        offset=offset,
        condition=the_filter(filter, "cql2-text" if filter_lang == "cql-text" else filter_lang, filter_crs),
        sort=sort_order(sortby, names),
        properties=properties_chosen(properties, names),
        crs=chosen_crs,
    )
    matched, features = context.features.items(path, version, query)
    links = page_links(request, offset, query.limit, len(features), matched, GEOJSON)
    links.append({"href": f"{_base(request)}/collections/{record.id}", "rel": "collection", "type": "application/json", "title": "the collection"})  # fmt: skip
    if wants_html(request, f):
        pages = {link["rel"]: link["href"] for link in links}
        return render(request, "items", private=_private(request), title=record.title.pick(_language(request)), description="",
                      matched=matched, features=[json.loads(text) for text in features], columns=query.properties or [name for name, _ in properties_of(version)],
                      previous=pages.get("prev"), next=pages.get("next"))  # fmt: skip
    head = json.dumps({"type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(features), "links": links}, ensure_ascii=False, sort_keys=True)  # fmt: skip
    body = (head[:-1] + ',"features":[' + ",".join(features) + "]}").encode("utf-8")
    response = cached(request, body, GEOJSON, private=_private(request))
    response.headers["Content-Crs"] = f"<{chosen_crs}>"
    return response


@router.get(
    "/collections/{collectionId}/queryables",
    summary="Queryable properties of a collection (JSON Schema)",
    response_class=Response,
    responses=ok({"application/schema+json": OBJECT}, "The queryables", 404),
)
def queryables(request: Request, collection_id: CollectionId) -> Response:
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    version = record.latest
    assert version is not None
    url = f"{_base(request)}/collections/{record.id}/queryables"
    fields: dict[str, Any] = {
        "geometry": {
            "title": "geometry",
            "format": "geometry-" + geometry_type(request, record).lower().replace("geometry", "any"),
            "x-ogc-role": "primary-geometry",
        }
    }
    for name, kind in properties_of(version):
        fields[name] = {"title": name, **_json_type(kind)}
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": record.title.pick(_language(request)),
        "properties": fields,
        "additionalProperties": False,
        # The draft (2021) form GDAL's OAPIF driver reads to learn which properties it may filter on.
        "queryables": [
            {"id": name, "type": fields[name].get("type", "string")} for name in fields if name != "geometry"
        ],
    }
    accept = request.headers.get("accept", "")
    kind = (
        "application/json" if "json" in accept and "schema+json" not in accept else "application/schema+json"
    )
    return cached(request, json_bytes(body), kind, private=_private(request))


def _json_type(kind: str) -> dict[str, Any]:
    """The JSON Schema of a stored column type (Arrow names: int64, double, string, timestamp[...])."""
    if kind.startswith("timestamp"):
        return {"type": "string", "format": "date-time", "x-ogc-role": "primary-instant"}
    if kind.startswith("date"):
        return {"type": "string", "format": "date"}
    if kind.startswith(("int", "uint")):
        return {"type": "integer"}
    if kind.startswith(("float", "double", "decimal")):
        return {"type": "number"}
    if kind == "bool":
        return {"type": "boolean"}
    return {"type": "string"}


@router.get(
    "/collections/{collectionId}/items/{featureId}",
    summary="One feature",
    response_class=Response,
    responses=ok({GEOJSON: _FEATURE}, "The feature (GeoJSON)", 404),
)
def item(
    request: Request,
    collection_id: CollectionId,
    feature_id: Annotated[
        int, Path(alias="featureId", ge=1, le=2**62, description="Feature id (row number)")
    ],
    crs: Crs = None,
) -> Response:
    record = find_dataset(request, collection_id, DatasetKind.VECTOR_LAYER)
    context = get_context(request)
    version, path = context.store.locate(record.id, record.latest.number if record.latest else None)
    chosen_crs = output_crs(crs)
    text = context.features.item(path, version, feature_id, ItemsQuery(crs=chosen_crs))
    if text is None:
        from fastapi import HTTPException

        raise HTTPException(404, f"Collection {record.id!r} has no feature {feature_id}.")
    feature = json.loads(text)
    base = f"{_base(request)}/collections/{record.id}"
    feature["links"] = [
        {"href": f"{base}/items/{feature_id}", "rel": "self", "type": GEOJSON, "title": "this feature"},
        {"href": base, "rel": "collection", "type": "application/json", "title": "the collection"},
    ]
    response = cached(request, json_bytes(feature), GEOJSON, private=_private(request))
    response.headers["Content-Crs"] = f"<{chosen_crs}>"
    return response
