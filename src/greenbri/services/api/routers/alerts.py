"""Early-warning alerts: list (any key), acknowledge and resolve (analyst or admin; audit-logged).

The lifecycle is the alerts use case's (:mod:`greenbri.usecases.monitoring.alerts`, the same as
``greenbri monitor alerts list|ack|resolve``); the alert files are ``<data dir>/monitoring/alerts/``.
Alerts are evaluated by ``greenbri monitor alerts evaluate`` (not by the API). The API delivers the
acknowledgement and resolution events to the log only (no webhooks).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.core.errors import MonitoringError
from greenbri.services.api.access import Role
from greenbri.services.api.context import get_context, require_role
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES, problem_response
from greenbri.services.api.responses import json_bytes
from greenbri.usecases.monitoring.alerts import (
    acknowledge_alert,
    list_alerts,
    load_alert_rules,
    resolve_alert,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1/alerts", tags=["Monitoring"], responses=PROBLEM_RESPONSES)

_ALERT = schema_of(
    ["alert_id", "rule_id", "station_id", "status"],
    alert_id={"type": "string"},
    rule_id={"type": "string"},
    station_id={"type": "string"},
    parameter={"type": "string"},
    severity={"type": "string"},
    status={"type": "string"},
    name=OBJECT,
    message=OBJECT,
)
_NO_CACHE = {"Cache-Control": "private, no-cache"}
AlertId = Annotated[str, Path(max_length=100, description="An alert id (GET /v1/alerts)")]


class AlertAction(BaseModel):
    """An optional note kept with the acknowledgement or resolution."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000)


def _history(request: Request) -> AlertHistory:
    settings = get_context(request).settings
    return AlertHistory(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def _existing(request: Request, alert_id: str) -> AlertHistory:
    history = _history(request)
    if alert_id not in history.load().alerts:
        raise HTTPException(404, f"There is no alert {alert_id!r}; GET /v1/alerts lists them.")
    request.state.audit = f"alert:{alert_id}"
    return history


@router.get(
    "",
    summary="Alerts, oldest first (any API key)",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _ALERT}}, "Alerts", 403, cacheable=False),
)
def alerts(
    request: Request,
    status: Annotated[str | None, Query(pattern="^(open|acknowledged|resolved)$", description="Only this status")] = None,
    station: Annotated[str | None, Query(max_length=100, description="Only this station id")] = None,
) -> Response:  # fmt: skip
    require_role(request, Role.VIEWER)
    rows = list_alerts(_history(request), status, station)
    return Response(json_bytes(rows), media_type="application/json", headers=_NO_CACHE)


def _conflict(request: Request, error: MonitoringError) -> Response:
    """A transition the lifecycle does not allow (e.g. acknowledging twice): 409."""
    return problem_response(
        409,
        "invalid-monitoring-request",
        error.message,
        hint=error.hint or "GET /v1/alerts shows the alert's status.",
        instance=request.url.path,
    )


def _by(request: Request) -> str:
    principal = require_role(request, Role.ANALYST)
    return f"api-key:{principal.key_id}" + (f" ({principal.organisation})" if principal.organisation else "")


@router.post(
    "/{alert_id}/acknowledge",
    summary="Acknowledge an open alert (analyst or admin)",
    response_class=Response,
    responses=ok({"application/json": _ALERT}, "The acknowledged alert", 403, 404, 409, cacheable=False),
)
def acknowledge(
    request: Request, alert_id: AlertId, body: Annotated[AlertAction | None, Body()] = None
) -> Response:
    by = _by(request)
    history = _existing(request, alert_id)
    try:
        alert = acknowledge_alert(history, alert_id, by, (body or AlertAction()).note)
    except MonitoringError as error:
        return _conflict(request, error)
    return Response(json_bytes(alert), media_type="application/json", headers=_NO_CACHE)


@router.post(
    "/{alert_id}/resolve",
    summary="Resolve an open or acknowledged alert (analyst or admin); the rule's cooldown starts",
    response_class=Response,
    responses=ok({"application/json": _ALERT}, "The resolved alert", 403, 404, 409, cacheable=False),
)
def resolve(
    request: Request, alert_id: AlertId, body: Annotated[AlertAction | None, Body()] = None
) -> Response:
    by = _by(request)
    history = _existing(request, alert_id)
    rules = load_alert_rules(None, get_context(request).settings.standards_dir)
    try:
        alert = resolve_alert(history, alert_id, by, rules, (body or AlertAction()).note)
    except MonitoringError as error:
        return _conflict(request, error)
    return Response(json_bytes(alert), media_type="application/json", headers=_NO_CACHE)
