"""The plans over HTTP: items, status histories and the evaluation (anyone, through the access rule),
recording a status (analyst or admin; audit-logged).

The verbs are :mod:`greenbri.usecases.plans` (the same as ``greenbri plans``). Access goes
through the one rule (:func:`~greenbri.services.api.context.require_role` and
:func:`~greenbri.core.access.may_read_dataset`): evidence that cites a restricted dataset
the caller may not see is shown as ``restricted`` with no detail, and who recorded a status is
shown to key holders only. Over HTTP, evidence may not name
a file on the server (``document``); use ``link`` or a ``dataset_version`` of an imported document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from greenbri.bootstrap import build_plan_stores
from greenbri.core.errors import InputError
from greenbri.services.api.access import Role, may_read_dataset
from greenbri.services.api.context import get_context, get_principal, require_role
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.usecases.plans import PlanStores, evaluate, list_items, record_status, show_item

__all__ = ["router"]

router = APIRouter(prefix="/v1/plans", tags=["Plans"], responses=PROBLEM_RESPONSES)

_NO_CACHE = {"Cache-Control": "private, no-cache"}
_ITEM = schema_of(["id", "kind", "name", "clause"], id={"type": "string"}, kind={"type": "string"}, name=OBJECT,
                  clause={"type": "string"})  # fmt: skip
ItemId = Annotated[str, Path(max_length=100, description="An item id (GET /v1/plans/items)")]
#: Evidence kinds the API accepts (``document`` would name a file on the server).
API_EVIDENCE = ("link", "dataset_version", "indicator_value", "target_evaluation", "greenbri_result")


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=40)
    reference: str = Field(min_length=1, max_length=2000)


class RecordIn(BaseModel):
    """A status with its evidence; ``as_of`` defaults to today."""

    model_config = ConfigDict(extra="forbid")
    status: str = Field(max_length=40)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)
    as_of: dt.date | None = None
    milestone: str | None = Field(default=None, max_length=100)
    note: str = Field(default="", max_length=2000)


def _stores(request: Request) -> PlanStores:
    context = get_context(request)
    return build_plan_stores(context.settings, dataset_store=context.store)


def _existing(request: Request, item_id: str) -> PlanStores:
    stores = _stores(request)
    if item_id not in stores.plans.item_ids():
        raise HTTPException(
            404, f"There is no item {item_id!r} in the plans; GET /v1/plans/items lists them."
        )
    return stores


def _readable(request: Request) -> set[str]:
    principal = get_principal(request)
    return {record.id for record in get_context(request).datasets() if may_read_dataset(principal, record)}


def _visible(evidence: list[dict[str, Any]], readable: set[str]) -> list[dict[str, Any]]:
    shown = []
    for item in evidence:
        if item["kind"] == "dataset_version" and item["reference"].split("@")[0] not in readable:
            shown.append({"kind": "dataset_version", "reference": "restricted", "detail": {}})
        elif item["kind"] == "greenbri_result" and "versions" in item["detail"]:
            versions = [v for v in item["detail"]["versions"] if v.split("@")[0] in readable]
            shown.append({**item, "detail": {"datasets": len(versions), "versions": versions}})
        else:
            shown.append(item)
    return shown


def _masked(record: dict[str, Any], readable: set[str], keyed: bool) -> dict[str, Any]:
    """A status record (or an evaluation row) as this caller may see it: evidence through the access
    rule, the recorder shown to key holders only, and the same for every milestone record in it."""
    shown = dict(record)
    if "evidence" in shown:
        shown["evidence"] = _visible(shown["evidence"], readable)
    if not keyed and shown.get("recorded_by"):
        shown["recorded_by"] = "—"
    if isinstance(shown.get("milestones"), list):
        shown["milestones"] = [
            _masked(milestone, readable, keyed) if isinstance(milestone, dict) else milestone
            for milestone in shown["milestones"]
        ]
    return shown


def _json(payload: Any) -> Response:
    return Response(json_bytes(payload), media_type="application/json", headers=_NO_CACHE)


@router.get(
    "/items",
    summary="The goals, tasks, key projects and targets of the plans, with their clauses (anyone)",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _ITEM}}, "Items", cacheable=False),
)
def items(
    request: Request,
    document: Annotated[str | None, Query(max_length=100, description="Only this document")] = None,
    kind: Annotated[str | None, Query(pattern="^(goal|task|key_project|target)$", description="Only this kind")] = None,
) -> Response:  # fmt: skip
    return _json(list_items(_stores(request).plans, document, kind))


@router.get(
    "/items/{item_id}",
    summary="One item with its citation and its status history (anyone; evidence through the access rule)",
    response_class=Response,
    responses=ok({"application/json": _ITEM}, "The item", 404, cacheable=False),
)
def item(request: Request, item_id: ItemId) -> Response:
    shown = show_item(_existing(request, item_id), item_id)
    readable, keyed = _readable(request), get_principal(request).at_least(Role.VIEWER)
    shown["history"] = [_masked(r, readable, keyed) for r in shown["history"]]
    return _json(shown)


@router.post(
    "/items/{item_id}/records",
    summary="Record a status with evidence (analyst or admin); appended, never overwritten",
    response_class=Response,
    status_code=201,
    responses=ok(
        {"application/json": OBJECT}, "The record as stored", 400, 401, 403, 404, status=201, cacheable=False
    ),
)
def record(request: Request, item_id: ItemId, body: Annotated[RecordIn, Body()]) -> Response:
    principal = require_role(request, Role.ANALYST)
    stores = _existing(request, item_id)
    request.state.audit = f"plan-item:{item_id}"
    readable = _readable(request)
    for evidence in body.evidence:
        if evidence.kind not in API_EVIDENCE:
            raise InputError(f"evidence kind {evidence.kind!r} is not accepted over HTTP.", location="evidence",
                             hint=f"use one of {', '.join(API_EVIDENCE)}.")  # fmt: skip
        if evidence.kind == "dataset_version" and evidence.reference.split("@")[0] not in readable:
            raise InputError(f"evidence dataset_version={evidence.reference}: no such dataset visible to this key.",
                             location="evidence", hint="cite a dataset this key can read (GET /v1/catalog).")  # fmt: skip
    by = f"api-key:{principal.key_id}" + (f" ({principal.organisation})" if principal.organisation else "")
    stored = record_status(
        stores,
        item_id,
        body.status,
        [(e.kind, e.reference) for e in body.evidence],
        by=by,
        as_of=body.as_of,
        note=body.note,
        milestone=body.milestone,
    )
    shown = _masked(stored, readable, keyed=True)  # e.g. a catalog result lists only what this key may read
    return Response(json_bytes(shown), status_code=201, media_type="application/json", headers=_NO_CACHE)


@router.get(
    "/evaluation",
    summary="The evaluation of the plans at a date, from the recorded evidence and the target tracker (anyone)",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The evaluation", 400, cacheable=False),
)
def evaluation(
    request: Request,
    as_of: Annotated[dt.date, Query(description="Evaluation date, e.g. 2025-12-31")],
) -> Response:
    result = evaluate(_stores(request), as_of)
    readable, keyed = _readable(request), get_principal(request).at_least(Role.VIEWER)
    result["items"] = [_masked(row, readable, keyed) for row in result["items"]]
    return _json(result)
