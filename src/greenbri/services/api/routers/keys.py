"""API keys (admin): create, list, revoke; and ``/v1/whoami`` for any caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from greenbri.services.api.access import Role
from greenbri.services.api.context import get_context, get_principal, require_role
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Access"], responses=PROBLEM_RESPONSES)
_NO_STORE = {"Cache-Control": "no-store"}
_KEY = schema_of(
    ["id", "role"], id={"type": "string"}, role={"type": "string"}, organisation={"type": "string"}
)


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    organisation: str = Field(default="", max_length=200)
    rate_per_minute: int | None = Field(default=None, ge=1, le=1_000_000)


@router.get(
    "/whoami",
    summary="The caller's key id, role and organisation",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The caller", cacheable=False),
)
def whoami(request: Request) -> Response:
    principal = get_principal(request)
    body = {"key_id": principal.key_id or None, "role": principal.role.value, "organisation": principal.organisation or None}  # fmt: skip
    return Response(json_bytes(body), media_type="application/json", headers=_NO_STORE)


@router.post(
    "/keys",
    summary="Create a key (admin); the token is shown only in this response",
    status_code=201,
    response_class=Response,
    responses=ok({"application/json": _KEY}, "The key and its token", 403, status=201, cacheable=False),
)
def create_key(request: Request, body: Annotated[KeyRequest, Body()]) -> Response:
    require_role(request, Role.ADMIN)
    key, token = get_context(request).keys.create(
        body.name, body.role, body.organisation, body.rate_per_minute
    )
    request.state.audit = f"key:{key.id}"
    return Response(json_bytes({**key.public_view(), "token": token}), status_code=201, media_type="application/json", headers=_NO_STORE)  # fmt: skip


@router.get(
    "/keys",
    summary="Every key, revoked ones included (admin)",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _KEY}}, "Keys", 403, cacheable=False),
)
def list_keys(request: Request) -> Response:
    require_role(request, Role.ADMIN)
    keys = [key.public_view() for key in get_context(request).keys.all_keys()]
    return Response(json_bytes(keys), media_type="application/json", headers=_NO_STORE)


@router.delete(
    "/keys/{key_id}",
    summary="Revoke a key (admin)",
    response_class=Response,
    responses=ok({"application/json": _KEY}, "The revoked key", 403, 404, cacheable=False),
)
def revoke_key(request: Request, key_id: Annotated[str, Path(max_length=64)]) -> Response:
    require_role(request, Role.ADMIN)
    key = get_context(request).keys.revoke(key_id)
    if key is None:
        raise HTTPException(404, f"There is no key {key_id!r}; GET /v1/keys lists them.")
    return Response(json_bytes(key.public_view()), media_type="application/json", headers=_NO_STORE)
