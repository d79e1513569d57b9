"""Screening one project synchronously: traffic lights per dimension, EP category, reasons."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from greenbri.core.errors import InputError
from greenbri.services.api.access import may_read_dataset
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.services.api.screening_support import layers_for, project_input, rules_of, stack_check_on
from greenbri.usecases.screening import screen_portfolio
from greenbri.usecases.species_near import species_part

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Screening"], responses=PROBLEM_RESPONSES)

EXAMPLE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [116.39, 39.91]},
    "properties": {
        "id": "P1",
        "name": "Solar park",
        "sector": "solar_power",
        "status": "planned",
        "country": "CHN",
    },
}


@router.post(
    "/screenings",
    summary="Screen one project (GeoJSON Feature or an object of project fields)",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The screening result", cacheable=False),
)
def screen_one(
    request: Request,
    project: Annotated[dict[str, Any], Body(description="The project", examples=[EXAMPLE])],
    date: Annotated[dt.date | None, Query(description="Screening date (standards in force); default today")] = None,
) -> Response:  # fmt: skip
    context = get_context(request)
    principal = get_principal(request)
    projects = project_input([project], "request")
    failures = projects.failures
    if failures:
        message, _, hint = failures[0].message.partition(" Fix: ")
        raise InputError(message, hint=hint or "see the project fields in docs/api.md#screening.")
    day = date or dt.date.today()
    outcome = screen_portfolio(
        context.store,
        projects,
        rules_of(context),
        stack_check=stack_check_on(context, day),
        layers=layers_for(context, principal),
        today=day,
        species=species_part(context.store, readable=lambda record: may_read_dataset(principal, record)),
    )
    if outcome.failures:
        message, _, hint = outcome.failures[0].message.partition(" Fix: ")
        raise InputError(message, hint=hint or "correct the project and send it again.")
    result = outcome.to_dict()
    body = {**result["projects"][0], "datasets": result["datasets"], "rules_digest": result["rules_digest"], "screened_on": result["screened_on"]}  # fmt: skip
    return Response(json_bytes(body), media_type="application/json", headers={"Cache-Control": "no-store"})
