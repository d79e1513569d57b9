"""Country profiles (JSON, HTML, PDF), policy targets and their evaluation, the composite index.

Everything derived from the indicator store is cached per data version (the store's manifest
stamp): the profile context of a group, the target evaluation and the composite index (with its
sensitivity check, the slow part) are computed once per ingest, and the responses carry strong
ETags (304 on If-None-Match).
"""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from greenbri.core.errors import InputError
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes
from greenbri.services.api.routers.indicators import Language, indicator_store, indicators_stamp
from greenbri.usecases.indicators.composite_index import compute_index
from greenbri.usecases.indicators.profile_report import render_profile_html
from greenbri.usecases.indicators.profiles import build_profile, profile_context, world_series
from greenbri.usecases.indicators.tracking import evaluate_targets, list_targets

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Indicators"], responses=PROBLEM_RESPONSES)

GroupId = Annotated[str, Query(max_length=100, description="Group to rank within (GET /v1/groups)")]


class ProfileFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


_PROFILE = schema_of(
    ["country", "group", "indicators", "summary"],
    country=OBJECT,
    group=OBJECT,
    groups={"type": "array", "items": OBJECT},
    indicators={"type": "array", "items": OBJECT},
    summary=schema_of(["en", "zh"], en={"type": "string"}, zh={"type": "string"}),
)
_EVALUATION = schema_of(
    ["target", "status", "measured_by"],
    target={"type": "string"},
    status={"type": "string"},
    measured_by={"type": "string", "enum": ["indicator", "proxy", "none"]},
)
_INDEX = schema_of(
    ["methodology", "group", "indicators", "countries", "sensitivity"],
    methodology=OBJECT,
    group={"type": "string"},
    indicators=OBJECT,
    countries={"type": "array", "items": OBJECT},
    sensitivity=OBJECT,
)


def _memo(request: Request, name: str, build: Any) -> Any:
    return get_context(request).memoised(f"{name}|{indicators_stamp(request)}", build)


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


@router.get(
    "/countries/{iso3}/profile",
    summary="A country's environmental profile: latest values, trends, ranks, summary (en/zh)",
    response_class=Response,
    responses=ok(
        {
            "application/json": _PROFILE,
            "text/html": {"type": "string"},
            "application/pdf": {"type": "string", "format": "binary"},
        },
        "The profile (JSON; `format=html|pdf` downloads the rendered profile)",
        404,
    ),
)
def country_profile(
    request: Request,
    iso3: Annotated[str, Path(pattern="^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3, e.g. PAK")],
    format: Annotated[ProfileFormat, Query(description="json (default), html or pdf")] = ProfileFormat.JSON,
    lang: Language = "en",
    group: GroupId = "bri_partners",
) -> Response:
    store = indicator_store(request)
    shared = _memo(request, f"indicator-profiles:{group}", lambda: profile_context(store, group_id=group))
    code = iso3.upper()
    if code not in shared["reference"].countries:
        raise HTTPException(
            404, f"There is no country {code!r}: give an ISO 3166-1 alpha-3 code such as PAK."
        )
    profile = build_profile(shared, code)
    if format is ProfileFormat.JSON:
        return cached(request, json_bytes(profile), max_age_s=300, private=_private(request))
    html = render_profile_html(profile, lang, world_series=world_series(shared))
    name = f"{code}.{lang}.{format.value}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format is ProfileFormat.HTML:
        body = html.encode("utf-8")
        return cached(
            request,
            body,
            "text/html; charset=utf-8",
            max_age_s=300,
            headers=disposition,
            private=_private(request),
        )
    from greenbri.usecases.reports.rendering import to_pdf

    with tempfile.TemporaryDirectory(prefix="greenbri-profile-") as folder:
        pdf = to_pdf(html, FilePath(folder) / name).read_bytes()
    return cached(
        request, pdf, "application/pdf", max_age_s=300, headers=disposition, private=_private(request)
    )


@router.get(
    "/targets",
    summary="Policy targets with their citations",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": OBJECT}}, "Targets"),
)
def targets(request: Request) -> Response:
    return cached(request, json_bytes(list_targets()), max_age_s=3600, private=_private(request))


@router.get(
    "/targets/evaluation",
    summary="Status of each target (progress on the stored data)",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _EVALUATION}}, "Status per target"),
)
def targets_evaluation(
    request: Request,
    target: Annotated[list[str] | None, Query(description="Only these target ids (repeat)")] = None,
    proxy: Annotated[bool, Query(description="Use a target's proxy indicator when its own has no data")] = True,
) -> Response:  # fmt: skip
    store = indicator_store(request)
    rows = _memo(request, f"indicator-targets:{proxy}", lambda: evaluate_targets(store, use_proxy=proxy))
    if target:
        unknown = sorted(set(target) - {row["target"] for row in rows})
        if unknown:
            raise InputError(f"Unknown targets {unknown}.", hint="list the ids with GET /v1/targets.")
        rows = [row for row in rows if row["target"] in set(target)]
    return cached(request, json_bytes(rows), max_age_s=300, private=_private(request))


@router.get(
    "/index",
    summary="The composite eco-environmental index of a group, with its sensitivity to the weights",
    response_class=Response,
    responses=ok({"application/json": _INDEX}, "The index"),
)
def composite_index(request: Request, group: GroupId = "bri_partners") -> Response:
    store = indicator_store(request)
    result = _memo(request, f"indicator-index:{group}", lambda: compute_index(store, group_id=group))
    return cached(request, json_bytes(result), max_age_s=300, private=_private(request))
