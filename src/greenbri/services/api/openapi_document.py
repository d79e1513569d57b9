"""The OpenAPI document as OpenAPI 3.0.3 (the OGC ``oas30`` conformance class; what GDAL reads).

FastAPI writes OpenAPI 3.1; the differences that matter here are rewritten: ``anyOf`` with
``{"type": "null"}`` becomes ``nullable``, type lists become one type plus ``nullable``,
``examples`` lists become ``example``, ``const`` becomes a one-value ``enum``, ``info.summary``
(3.1 only) joins the description. FastAPI's automatic 422 responses are dropped: validation
problems are 400 here. tests/api/test_openapi_contract.py validates the result with
openapi-spec-validator.
"""

from __future__ import annotations

from typing import Any

__all__ = ["as_openapi_30", "with_page_size"]


def _schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _schema(value) for key, value in node.items()}
    for combiner in ("anyOf", "oneOf"):
        options = node.get(combiner)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [option for option in options if option != {"type": "null"}]
            del node[combiner]
            node["nullable"] = True
            if len(rest) == 1:
                node.update(rest[0]) if "$ref" not in rest[0] else node.update({"allOf": rest})
            else:
                node[combiner] = rest
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [item for item in kind if item != "null"]
        if len(kinds) == 1:
            node["type"] = kinds[0]
        else:
            del node["type"]
            node["anyOf"] = [{"type": item} for item in kinds]
        if "null" in kind:
            node["nullable"] = True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if isinstance(node.get("examples"), list) and "paths" not in node:
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    return node


def as_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = _schema(document)
    converted["openapi"] = "3.0.3"
    info = converted.get("info", {})
    summary = info.pop("summary", None)
    if summary:
        info["description"] = f"{summary}. {info.get('description', '')}".strip()
    for operations in converted.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("422", None)
    schemas = converted.get("components", {}).get("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return converted


def with_page_size(document: dict[str, Any], max_items: int) -> dict[str, Any]:
    """Every items ``limit`` schema states this server's maximum (``GREENBRI_API_MAX_ITEMS``) and a
    default no larger: GDAL (3.8+) and QGIS take their page size from these two numbers."""
    for path, operations in document.get("paths", {}).items():
        if not path.endswith("/items"):
            continue
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter.get("name") == "limit" and "maximum" in schema:
                schema["maximum"] = max_items
                schema["default"] = min(schema.get("default", max_items), max_items)
    return document
