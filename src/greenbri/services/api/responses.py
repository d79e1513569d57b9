"""JSON responses with strong ETags, conditional GET (304) and caching headers; paging links."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

__all__ = ["cached", "json_bytes", "page_links", "plain", "self_url"]

#: Responses differ by key and language, so caches must keep them apart.
VARY = "Accept, Accept-Language, Authorization, X-API-Key"


def plain(value: Any) -> Any:
    """A value JSON can carry: dates as ISO 8601, NaN as null, decimals as floats, bytes as hex."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if hasattr(value, "item"):
        return plain(value.item())
    return value


def json_bytes(payload: Any) -> bytes:
    """Deterministic JSON: sorted keys, UTF-8 (Chinese text stays readable)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def cached(
    request: Request,
    body: bytes,
    media_type: str = "application/json",
    *,
    private: bool = False,
    max_age_s: int = 60,
    headers: dict[str, str] | None = None,
) -> Response:
    """``body`` with a strong ETag (its SHA-256); 304 when If-None-Match names it.

    Public data is cacheable by shared caches; anything read with a key (``private``) only by the client.
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    scope = "private" if private else "public"
    common = {"ETag": etag, "Cache-Control": f"{scope}, max-age={max_age_s}", "Vary": VARY, **(headers or {})}
    wanted = request.headers.get("if-none-match", "")
    if etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*":
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


def self_url(request: Request, **replacements: Any) -> str:
    """The request's URL with some query parameters replaced (None removes one)."""
    query = dict(request.query_params.multi_items())
    for name, value in replacements.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    base = str(request.url.replace(query=""))
    return f"{base}?{urlencode(sorted(query.items()))}" if query else base


def page_links(
    request: Request, offset: int, limit: int, returned: int, matched: int, media_type: str
) -> list[dict[str, str]]:
    """self, next (when more remain) and prev links of one page."""
    links = [{"href": self_url(request), "rel": "self", "type": media_type, "title": "this page"}]
    if offset + returned < matched:
        links.append(
            {
                "href": self_url(request, offset=offset + limit, limit=limit),
                "rel": "next",
                "type": media_type,
                "title": "next page",
            }
        )
    if offset > 0:
        links.append(
            {
                "href": self_url(request, offset=max(0, offset - limit), limit=limit),
                "rel": "prev",
                "type": media_type,
                "title": "previous page",
            }
        )
    return links
