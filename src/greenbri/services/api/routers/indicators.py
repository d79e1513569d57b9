"""Country indicators (catalog, definition, series) and country groups.

Indicator values live in the indicator store (``<data dir>/indicators/``); everything read from it
is cached per data version (the manifest, replaced whole at every ingest). Indicators and groups
are public: public read, ``Cache-Control: public``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes
from greenbri.usecases.indicators.catalog import all_groups, all_indicators
from greenbri.usecases.indicators.listing import indicator_detail, indicator_rows

__all__ = ["Language", "indicator_store", "indicators_stamp", "router"]

router = APIRouter(prefix="/v1", tags=["Indicators"], responses=PROBLEM_RESPONSES)

Language = Annotated[str, Query(pattern="^(en|zh)$", description="Language of `label` fields: en or zh")]
_BILINGUAL = schema_of(["en", "zh"], en={"type": "string"}, zh={"type": "string"})
_INDICATOR = schema_of(
    ["id", "name", "label", "unit"],
    id={"type": "string"},
    name=_BILINGUAL,
    label={"type": "string"},
    unit={"type": "string"},
    countries={"type": "integer"},
    years={"type": "string", "nullable": True},
)
_GROUP = schema_of(
    ["id", "kind", "name", "label", "member_count"],
    id={"type": "string"},
    kind={"type": "string"},
    name=_BILINGUAL,
    label={"type": "string"},
    member_count={"type": "integer"},
)


def indicator_store(request: Request) -> IndicatorStore:
    settings = get_context(request).settings
    return IndicatorStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def indicators_stamp(request: Request) -> str:
    """Changes whenever an ingest replaces the indicator store's manifest (the data version)."""
    try:
        status = (indicator_store(request).root / "manifest.json").stat()
    except FileNotFoundError:
        return "empty"
    return f"{status.st_mtime_ns}-{status.st_size}"


def _label(name: dict[str, str], lang: str) -> str:
    return name.get(lang) or name.get("en") or name.get("zh") or ""


def _rows(request: Request) -> list[dict[str, Any]]:
    context = get_context(request)
    rows: list[dict[str, Any]] = context.memoised(
        f"indicator-rows|{indicators_stamp(request)}", lambda: indicator_rows(indicator_store(request))
    )
    return rows


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


@router.get(
    "/indicators",
    summary="The indicator catalog with the data held for each",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _INDICATOR}}, "Indicators"),
)
def list_indicators(request: Request, lang: Language = "en") -> Response:
    rows = [{**row, "label": _label(row["name"], lang)} for row in _rows(request)]
    return cached(request, json_bytes(rows), max_age_s=300, private=_private(request))


@router.get(
    "/indicators/{indicator_id}",
    summary="An indicator's definition, sources, coverage and (with `country`) a country's series",
    response_class=Response,
    responses=ok({"application/json": _INDICATOR}, "The indicator", 404),
)
def show_indicator(
    request: Request,
    indicator_id: Annotated[str, Path(max_length=100, description="An indicator id (GET /v1/indicators)")],
    country: Annotated[
        str | None,
        Query(pattern="^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3: add its series [[year, value]]"),
    ] = None,
    lang: Language = "en",
) -> Response:
    store = indicator_store(request)
    if indicator_id not in all_indicators(store):
        raise HTTPException(404, f"There is no indicator {indicator_id!r}; GET /v1/indicators lists them.")
    detail = indicator_detail(store, indicator_id, country.upper() if country else None)
    detail["label"] = _label(detail["name"], lang)
    return cached(request, json_bytes(detail), max_age_s=300, private=_private(request))


@router.get(
    "/groups",
    summary="Country groups: Belt and Road partners, corridors, UN regions, income groups",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _GROUP}}, "Groups"),
)
def list_groups(request: Request, lang: Language = "en") -> Response:
    rows = [
        {**group.to_dict(with_members=False), "label": group.name.pick(lang)}
        for _, group in sorted(all_groups().items())
    ]
    return cached(request, json_bytes(rows), max_age_s=3600, private=_private(request))


@router.get(
    "/groups/{group_id}",
    summary="A country group with its members (ISO3, since, uncertain)",
    response_class=Response,
    responses=ok({"application/json": {**_GROUP, "properties": {**_GROUP["properties"], "members": {"type": "array", "items": OBJECT}}}}, "The group", 404),
)  # fmt: skip
def show_group(
    request: Request,
    group_id: Annotated[str, Path(max_length=100, description="A group id (GET /v1/groups)")],
    lang: Language = "en",
) -> Response:
    groups = all_groups()
    if group_id not in groups:
        raise HTTPException(404, f"There is no group {group_id!r}; GET /v1/groups lists them.")
    group = groups[group_id]
    return cached(
        request,
        json_bytes({**group.to_dict(), "label": group.name.pick(lang)}),
        max_age_s=3600,
        private=_private(request),
    )
