"""The green technology reserve over HTTP: bilingual search (anyone) and entry upload (analyst, admin).

The reserve holds only entries users imported with their sources (greenbri ships none). Uploads go
through the same validation as ``greenbri technologies import``: all or nothing, rows named.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from greenbri.services.api.access import Role
from greenbri.services.api.context import get_context, require_role
from greenbri.services.api.documentation import OBJECT, ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.usecases.technologies import TechnologyCatalogue, import_technologies, search_technologies

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Technologies"], responses=PROBLEM_RESPONSES)


def _catalogue(request: Request) -> TechnologyCatalogue:
    settings = get_context(request).settings
    return TechnologyCatalogue(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def _answer(body: object, status: int = 200) -> Response:
    return Response(json_bytes(body), status_code=status, media_type="application/json",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


@router.get(
    "/technologies",
    summary="Search the green technology reserve in Chinese or English, with facets",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "Matching entries, best first, and facets", cacheable=False),
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words in Chinese or English")],
    category: Annotated[str | None, Query(max_length=60)] = None,
    sector: Annotated[str | None, Query(max_length=60)] = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> Response:  # fmt: skip
    result = search_technologies(
        _catalogue(request).entries(), q, category=category, sector=sector, country=country, limit=limit
    )
    return _answer(result.to_dict())


@router.post(
    "/technologies",
    summary="Add or replace entries (JSON list; each needs a source): all or nothing",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "What was imported", 400, 401, 403, cacheable=False),
)
def upload(
    request: Request,
    entries: Annotated[
        list[dict[str, Any]], Body(description="Entries as in docs/methodology/technologies.md")
    ],
) -> Response:
    require_role(request, Role.ANALYST)
    request.state.audit = "technologies"  # every write is audit-logged by the middleware
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / "request.json"
        path.write_text(json_bytes({"technologies": entries}).decode("utf-8"), encoding="utf-8")
        summary = import_technologies(_catalogue(request), path)
    return _answer({**summary.to_dict(), "source": "request"}, 201)
