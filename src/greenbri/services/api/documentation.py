"""The OpenAPI side of the routes: response content per status, and a few JSON Schemas."""

from __future__ import annotations

from typing import Any

from greenbri.services.api.problems import problems

__all__ = ["LINK", "OBJECT", "ok", "schema_of"]

OBJECT: dict[str, Any] = {"type": "object"}
LINK: dict[str, Any] = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "title": {"type": "string"},
        "templated": {"type": "boolean"},
    },
}
_LINKS = {"type": "array", "items": LINK}


def schema_of(required: list[str], **properties: Any) -> dict[str, Any]:
    """An object schema; properties given as JSON Schemas (``"links"`` means a list of links)."""
    resolved = {name: (_LINKS if value == "links" else value) for name, value in properties.items()}
    return {"type": "object", "required": required, "properties": resolved}


def ok(
    media_types: dict[str, dict[str, Any]] | str,
    description: str,
    *extra_statuses: int,
    status: int = 200,
    cacheable: bool = True,
) -> dict[int | str, dict[str, Any]]:
    """``responses`` for an operation: the success content, 304 when cacheable, and extra problems."""
    content = (
        {media_types: {"schema": {"type": "string", "format": "binary"}}}
        if isinstance(media_types, str)
        else {name: {"schema": schema} for name, schema in media_types.items()}
    )
    responses: dict[int | str, dict[str, Any]] = {status: {"description": description, "content": content}}
    return {**responses, **problems(*((304,) if cacheable else ()), *extra_statuses)}
