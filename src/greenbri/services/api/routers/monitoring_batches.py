"""Monitoring batches (one ingested file each): list and show (any API key), remove (admin; audit-logged).

The verbs are the batches use case's (:mod:`greenbri.usecases.monitoring.batches`, the same as
``greenbri monitor batches list|show|remove``). A removal is written to the audit log twice: the
request (who, status) by the access middleware, and the change (the batch, its file, the readings
removed) by the use case.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from greenbri.services.api.access import Role
from greenbri.services.api.context import get_context, require_role
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.monitoring_support import readings_store
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.usecases.monitoring.batches import list_batches, remove_batch, show_batch

__all__ = ["router"]

router = APIRouter(prefix="/v1/monitoring/batches", tags=["Monitoring"], responses=PROBLEM_RESPONSES)

_BATCH = schema_of(
    ["id", "source", "input_name", "readings_stored"],
    id={"type": "string"},
    source={"type": "string"},
    input_name={"type": "string"},
    created_at={"type": "string"},
    readings_stored={"type": "integer"},
    readings_superseded={"type": "integer"},
)
_NO_CACHE = {"Cache-Control": "private, no-cache"}
BatchId = Annotated[str, Path(max_length=200, description="A batch id (GET /v1/monitoring/batches)")]


@router.get(
    "",
    summary="Ingested monitoring batches, oldest first (any API key)",
    response_class=Response,
    responses=ok(
        {"application/json": {"type": "array", "items": _BATCH}}, "Batches", 401, 403, cacheable=False
    ),
)
def batches(
    request: Request,
    source: Annotated[str | None, Query(max_length=100, description="Only this source, e.g. cnemc")] = None,
) -> Response:
    require_role(request, Role.VIEWER)
    rows = list_batches(readings_store(request), source)
    return Response(json_bytes(rows), media_type="application/json", headers=_NO_CACHE)


@router.get(
    "/{batch_id}",
    summary="One batch: counts, messages, files, what superseded its missing readings (any API key)",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The batch's ledger entry", 401, 403, 404, cacheable=False),
)
def batch(request: Request, batch_id: BatchId) -> Response:
    require_role(request, Role.VIEWER)
    entry = show_batch(readings_store(request), batch_id)
    return Response(json_bytes(entry), media_type="application/json", headers=_NO_CACHE)


@router.delete(
    "/{batch_id}",
    summary="Remove a batch's readings (admin; atomic, audit-logged); a corrected file can then be ingested",
    response_class=Response,
    responses=ok({"application/json": _BATCH}, "The removed batch", 401, 403, 404, cacheable=False),
)
def remove(request: Request, batch_id: BatchId) -> Response:
    principal = require_role(request, Role.ADMIN)
    request.state.audit = f"monitoring-batch:{batch_id}"
    actor = {
        "key_id": principal.key_id,
        "role": principal.role.value,
        "organisation": principal.organisation or None,
        "via": "api",
    }
    removed = remove_batch(
        readings_store(request), batch_id, actor=actor, audit=get_context(request).audit.record
    )
    return Response(json_bytes(removed), media_type="application/json", headers=_NO_CACHE)
