"""Environmental standards (list, show, compare) and the AQI of readings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from greenbri.core.standards import StandardLibrary
from greenbri.services.api.context import get_context
from greenbri.services.api.documentation import OBJECT, ok
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes
from greenbri.usecases.air_quality import aqi_of_readings, parse_reading
from greenbri.usecases.standards import compare_limits, load_standards, standard_detail, standards_table

__all__ = ["library", "router"]

router = APIRouter(prefix="/v1", tags=["Standards and AQI"], responses=PROBLEM_RESPONSES)
_DAY = Query(description="A date, YYYY-MM-DD (default: today)")


def library(request: Request) -> StandardLibrary:
    """The standards (bundled plus GREENBRI_STANDARDS_DIR), loaded once per server."""
    context = get_context(request)
    loaded: StandardLibrary = context.memoised(
        "standards|", lambda: load_standards(context.settings.standards_dir)
    )
    return loaded


@router.get(
    "/standards",
    summary="List standards",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": OBJECT}}, "Standards"),
)
def list_standards(
    request: Request,
    date: Annotated[dt.date | None, Query(description="Only those in force on this date")] = None,
    jurisdiction: Annotated[str | None, Query(max_length=20, description="e.g. CHN, WHO, IFC, USA, EU")] = None,
) -> Response:  # fmt: skip
    return cached(request, json_bytes(standards_table(library(request), date, jurisdiction)), max_age_s=3600)


@router.get(
    "/standards/compare",
    summary="Compare limits across jurisdictions; the binding one",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "Comparison"),
)
def compare(
    request: Request,
    pollutant: Annotated[str, Query(max_length=20, description="e.g. pm25, pm10, so2, no2, o3, co")],
    averaging: Annotated[str, Query(max_length=20, description="e.g. year, 24h, 8h, 1h")],
    date: Annotated[dt.date | None, _DAY] = None,
    jurisdiction: Annotated[list[str] | None, Query(description="Only these (repeat)")] = None,
    level: Annotated[list[str] | None, Query(description="Only these levels (repeat)")] = None,
    value: Annotated[float | None, Query(allow_inf_nan=False, description="A measured value")] = None,
    unit: Annotated[str | None, Query(max_length=20, description="Unit of value, e.g. ug/m3")] = None,
) -> Response:  # fmt: skip
    result = compare_limits(
        library(request),
        pollutant,
        averaging,
        date or dt.date.today(),
        jurisdictions=jurisdiction or (),
        levels=level or (),
        value=value,
        unit=unit,
    )
    return cached(request, json_bytes(result), max_age_s=3600)


@router.get(
    "/standards/{standard_id}",
    summary="A standard with every limit and its clause",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The standard", 404),
)
def show_standard(
    request: Request, standard_id: Annotated[str, Path(description="A standard id")]
) -> Response:
    chosen = library(request)
    if standard_id not in {standard.id for standard in chosen}:
        raise HTTPException(404, f"There is no standard {standard_id!r}; GET /v1/standards lists them.")
    return cached(request, json_bytes(standard_detail(chosen, standard_id)), max_age_s=3600)


@router.get(
    "/aqi",
    summary="AQI, category and primary pollutant of readings",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The AQI"),
)
def aqi(
    request: Request,
    reading: Annotated[list[str], Query(description="KEY=VALUE[UNIT], repeat: pm25=80, o3=0.071ppm")],
    standard: Annotated[str, Query(pattern="^(cn|us)$", description="cn (HJ 633) or us (EPA)")] = "cn",
    date: Annotated[dt.date | None, _DAY] = None,
    fallback_engine: Annotated[str | None, Query(max_length=40, description="e.g. hj633-2012")] = None,
) -> Response:  # fmt: skip
    result = aqi_of_readings(
        standard,
        date or dt.date.today(),
        [parse_reading(text) for text in reading],
        fallback_engine=fallback_engine,
    )
    return cached(request, json_bytes(result), max_age_s=3600)
