"""Threatened species near a site and species checklists per country, through the one access rule.

Only occurrence datasets the request's key may read are used (:func:`may_read_dataset`); every
answer cites the datasets and licences it used and leaves out records whose licence does not
permit the requested use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import shapely
from fastapi import APIRouter, Query, Request, Response

from greenbri.core.biodiversity.licences import Use
from greenbri.core.catalog import AccessLevel, DatasetRecord
from greenbri.services.api.access import may_read_dataset
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.usecases.species_near import checklist, species_near

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Species"], responses=PROBLEM_RESPONSES)

UseQuery = Annotated[
    Use, Query(description="What the answer is for: commercial use leaves out CC BY-NC records")
]
AcceptQuery = Annotated[
    list[str] | None,
    Query(max_length=100, description="Dataset keys whose free-text rights the caller has read and accepts"),
]


def _answer(body: object) -> Response:
    return Response(json_bytes(body), media_type="application/json", headers={"Cache-Control": "no-store"})


def _readable(request: Request) -> Callable[[DatasetRecord], bool]:
    """The access rule for the occurrence layers this request consults; consulting a restricted one is
    marked for the audit log (docs/api.md: every read of restricted data is audited)."""
    principal = get_principal(request)

    def readable(record: DatasetRecord) -> bool:
        allowed = may_read_dataset(principal, record)
        if allowed and record.access is AccessLevel.RESTRICTED:
            request.state.audit = f"dataset:{record.id}"
        return allowed

    return readable


@router.get(
    "/species/near",
    summary="Threatened species recorded near a point (CR/EN/VU; NT/DD apart), with the rules' effect",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The species part of the site", cacheable=False),
)
def near(
    request: Request,
    lon: Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, description="Longitude, EPSG:4326")],
    lat: Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, description="Latitude, EPSG:4326")],
    country: Annotated[str, Query(pattern="^[A-Z]{3}$", description="ISO3 country of the site")],
    use: UseQuery = Use.NON_COMMERCIAL,
    accept_rights: AcceptQuery = None,
) -> Response:  # fmt: skip
    result = species_near(
        get_context(request).store,
        [shapely.Point(lon, lat)],
        [country],
        use=use,
        accepted_datasets=set(accept_rights or ()),
        readable=_readable(request),
    )
    body = result.to_dict()
    return _answer({"place": body["places"][0], "sources": body["sources"], "use": body["use"]})


@router.get(
    "/species/checklists/{country}",
    summary="Species recorded in a country, most threatened first, with the datasets and licences to cite",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The checklist", cacheable=False),
)
def country_checklist(
    request: Request, country: str, use: UseQuery = Use.NON_COMMERCIAL, accept_rights: AcceptQuery = None
) -> Response:
    listing = checklist(
        get_context(request).store,
        country,
        use=use,
        accepted_datasets=set(accept_rights or ()),
        readable=_readable(request),
    )
    return _answer(listing.to_dict())
