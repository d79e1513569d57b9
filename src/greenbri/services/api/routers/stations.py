"""Monitoring stations and their readings: list, detail, raw series with QA flags, daily series,
daily AQI, exceedance days, and the latest real-time AQI of every station (the monitoring map).

Monitoring data are public (public read, ``Cache-Control: public``); every response has a strong ETag.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from greenbri.core.monitoring.readings import PARAMETERS, QaFlag
from greenbri.services.api.context import get_context, get_principal
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.monitoring_support import (
    clip_days,
    find_station,
    in_bbox,
    monitoring_stamp,
    parse_bbox,
    parse_instant,
    readings_store,
    station_daily_series,
    station_rows,
)
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import cached, json_bytes, page_links
from greenbri.usecases.monitoring.annual_compliance import (
    DEFAULT_ASSESSMENTS,
    compliance_report,
    parse_assessment,
    rules_needed,
)
from greenbri.usecases.monitoring.derived import STANDARD_RULES
from greenbri.usecases.monitoring.derived_reports import aqi_report, exceedance_report, series_report
from greenbri.usecases.monitoring.latest_aqi import METHODS, latest_aqi

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["Monitoring"], responses=PROBLEM_RESPONSES)

StationId = Annotated[str, Path(max_length=100, description="A station id, e.g. cnemc-1003A")]
Start = Annotated[dt.date | None, Query(description="First local day (YYYY-MM-DD)")]
End = Annotated[dt.date | None, Query(description="Last local day (YYYY-MM-DD), inclusive")]
Offset = Annotated[int, Query(ge=-12, le=14, description="UTC offset (hours) of the local day; China: 8")]
Conditions = Annotated[
    str,
    Query(
        pattern="^cn-gb3095-(2012|2018)$",
        description="Reference state of stored gas mass concentrations (cn-gb3095-2012 before 2018-09-01)",
    ),
]
Fallback = Annotated[str | None, Query(max_length=40, description="Engine for dates without a verified one, e.g. hj633-2012")]  # fmt: skip
Limit = Annotated[int, Query(ge=1, le=10_000, description="Items per page")]
Skip = Annotated[int, Query(ge=0, le=2**62, description="Items to skip")]

_STATION = schema_of(["station_id"], station_id={"type": "string"}, longitude={"type": "number", "nullable": True}, latitude={"type": "number", "nullable": True}, name_en={"type": "string", "nullable": True}, name_zh={"type": "string", "nullable": True})  # fmt: skip
_PAGE = schema_of(["numberMatched", "numberReturned", "links"], numberMatched={"type": "integer"}, numberReturned={"type": "integer"}, links="links")  # fmt: skip
_DAYS = schema_of(["days"], days={"type": "array", "items": OBJECT})
_LATEST = schema_of(
    ["station_id", "time_utc", "aqi", "category", "colour", "primary"],
    station_id={"type": "string"},
    time_utc={"type": "string"},
    aqi={"type": "integer", "nullable": True},
    category={**schema_of(["en", "zh"], en={"type": "string"}, zh={"type": "string"}), "nullable": True},
    colour={"type": "string", "nullable": True},
    primary={"type": "array", "items": {"type": "string"}},
)


def _paged(request: Request, name: str, rows: list[dict[str, Any]], limit: int, offset: int) -> Response:
    page = rows[offset : offset + limit]
    links = page_links(request, offset, limit, len(page), len(rows), "application/json")
    body = {name: page, "numberMatched": len(rows), "numberReturned": len(page), "links": links}
    following = [link["href"] for link in links if link["rel"] == "next"]
    headers = {"Link": f'<{following[0]}>; rel="next"'} if following else None
    return cached(request, json_bytes(body), headers=headers, private=_private(request))


def _private(request: Request) -> bool:
    return not get_principal(request).anonymous


@router.get(
    "/stations",
    summary="Monitoring stations (paged; filter by country and bbox)",
    response_class=Response,
    responses=ok({"application/json": {**_PAGE, "properties": {**_PAGE["properties"], "stations": {"type": "array", "items": _STATION}}}}, "A page of stations"),
)  # fmt: skip
def list_stations(
    request: Request,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description="ISO3 country code")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat (CRS84)")] = None,
    limit: Limit = 100,
    offset: Skip = 0,
) -> Response:
    box = parse_bbox(bbox)
    rows = [
        row
        for row in station_rows(request)
        if (country is None or str(row.get("country") or "").upper() == country.upper()) and in_bbox(row, box)
    ]
    return _paged(request, "stations", rows, limit, offset)


@router.get(
    "/stations/{station_id}",
    summary="A station, with the parameters and periods of its readings",
    response_class=Response,
    responses=ok({"application/json": _STATION}, "The station", 404),
)
def show_station(request: Request, station_id: StationId) -> Response:
    station = dict(find_station(request, station_id))
    connection = readings_store(request).connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        rows = connection.execute(
            "SELECT parameter, averaging, unit, min(time_utc), max(time_utc), count(*), count(value) "
            "FROM readings WHERE station_id = ? GROUP BY ALL ORDER BY ALL",
            [station_id],
        ).fetchall()
    finally:
        connection.close()
    station["coverage"] = [
        {"parameter": parameter, "averaging": averaging, "unit": unit, "first_utc": first.isoformat(),
         "last_utc": last.isoformat(), "readings": readings, "values": values}
        for parameter, averaging, unit, first, last, readings, values in rows
    ]  # fmt: skip
    return cached(request, json_bytes(station), private=_private(request))


def _flags(bits: int) -> list[str]:
    return [str(flag.name).lower() for flag in QaFlag if flag and bits & flag]


@router.get(
    "/stations/{station_id}/series",
    summary="Raw readings of one parameter with their QA flags (paged)",
    response_class=Response,
    responses=ok({"application/json": {**_PAGE, "properties": {**_PAGE["properties"], "readings": {"type": "array", "items": OBJECT}}}}, "A page of readings", 404),
)  # fmt: skip
def station_series(
    request: Request,
    station_id: StationId,
    parameter: Annotated[str, Query(max_length=40, description="e.g. pm25, pm10, so2, no2, o3, co, aqi")],
    start: Annotated[str | None, Query(max_length=40, description="From (RFC 3339 date or date-time, UTC)")] = None,
    end: Annotated[str | None, Query(max_length=40, description="Before (RFC 3339, exclusive)")] = None,
    averaging: Annotated[str, Query(pattern="^(1h|8h|24h|1y)$", description="Averaging period")] = "1h",
    limit: Limit = 1000,
    offset: Skip = 0,
) -> Response:  # fmt: skip
    find_station(request, station_id)
    clauses = ["station_id = ?", "parameter = ?", "averaging = ?"]
    values: list[object] = [station_id, parameter, averaging]
    for text, name, operator in ((start, "start", ">="), (end, "end", "<")):
        moment = parse_instant(text, name)
        if moment is not None:
            clauses.append(f"time_utc {operator} ?")
            values.append(moment)
    where = " AND ".join(clauses)
    connection = readings_store(request).connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        matched = connection.execute(f"SELECT count(*) FROM readings WHERE {where}", values).fetchone()
        rows = connection.execute(
            f"SELECT time_utc, value, unit, qa_flags, source_timezone FROM readings WHERE {where} "
            "ORDER BY time_utc LIMIT ? OFFSET ?",
            [*values, limit, offset],
        ).fetchall()
    finally:
        connection.close()
    total = int(matched[0]) if matched else 0
    readings = [
        {"time_utc": time.isoformat(), "value": value, "unit": unit, "qa_flags": flags, "qa": _flags(flags),
         "source_timezone": zone}
        for time, value, unit, flags, zone in rows
    ]  # fmt: skip
    links = page_links(request, offset, limit, len(readings), total, "application/json")
    names = PARAMETERS.get(parameter)
    body = {
        "station_id": station_id,
        "parameter": parameter,
        "parameter_name": {"en": names[0], "zh": names[1]} if names else None,
        "averaging": averaging,
        "time": "start of the averaging period, UTC / 平均时段起始时间（UTC）",
        "readings": readings,
        "numberMatched": total,
        "numberReturned": len(readings),
        "links": links,
    }
    following = [link["href"] for link in links if link["rel"] == "next"]
    headers = {"Link": f'<{following[0]}>; rel="next"'} if following else None
    return cached(request, json_bytes(body), headers=headers, private=_private(request))


@router.get(
    "/stations/{station_id}/daily",
    summary="Daily means, O3 MDA8 and daily 1-hour maxima under a standard's capture rules",
    response_class=Response,
    responses=ok({"application/json": _DAYS}, "Daily series", 404),
)
def station_daily(
    request: Request,
    station_id: StationId,
    rules: Annotated[str, Query(pattern="^(cn|us)$", description="cn (GB 3095 / HJ 663) or us (40 CFR 50)")] = "cn",
    start: Start = None,
    end: End = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
) -> Response:  # fmt: skip
    find_station(request, station_id)
    series = station_daily_series(request, station_id, (rules,), utc_offset_hours=utc_offset, reference_conditions=reference_conditions)  # fmt: skip
    return cached(
        request, json_bytes(series_report(clip_days(series[rules], start, end))), private=_private(request)
    )


@router.get(
    "/stations/{station_id}/aqi",
    summary="Daily AQI, category (en/zh), primary pollutants and engine per day",
    response_class=Response,
    responses=ok({"application/json": _DAYS}, "Daily AQI", 404),
)
def station_aqi(
    request: Request,
    station_id: StationId,
    standard: Annotated[str, Query(pattern="^(cn|us)$", description="cn (HJ 633) or us (EPA)")] = "cn",
    start: Start = None,
    end: End = None,
    fallback_engine: Fallback = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
) -> Response:  # fmt: skip
    find_station(request, station_id)
    series = station_daily_series(request, station_id, (standard,), utc_offset_hours=utc_offset, reference_conditions=reference_conditions)  # fmt: skip
    report = aqi_report(clip_days(series[standard], start, end), standard, fallback_engine=fallback_engine)
    return cached(request, json_bytes(report), private=_private(request))


@router.get(
    "/stations/{station_id}/exceedances",
    summary="Exceedance days per limit and year (limits that cannot be compared are listed)",
    response_class=Response,
    responses=ok({"application/json": schema_of(["exceedances", "not_compared"], exceedances={"type": "array", "items": OBJECT}, not_compared={"type": "array", "items": OBJECT})}, "Exceedance days", 404),
)  # fmt: skip
def station_exceedances(
    request: Request,
    station_id: StationId,
    standard: Annotated[list[str] | None, Query(description="Standard ids (repeat; default cn-gb3095-2012, who-aqg-2021, us-naaqs)")] = None,
    level: Annotated[list[str] | None, Query(description="Only these levels, e.g. grade_2, AQG, primary")] = None,
    start: Start = None,
    end: End = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
) -> Response:  # fmt: skip
    find_station(request, station_id)
    standards = tuple(dict.fromkeys(standard or ("cn-gb3095-2012", "who-aqg-2021", "us-naaqs")))
    rules = tuple(sorted({STANDARD_RULES.get(name, "cn") for name in standards}))
    series = station_daily_series(request, station_id, rules, utc_offset_hours=utc_offset, reference_conditions=reference_conditions)  # fmt: skip
    clipped = {name: clip_days(item, start, end) for name, item in series.items()}
    settings = get_context(request).settings
    report = exceedance_report(
        clipped,
        standards,
        levels=tuple(level) if level else None,
        standards_dirs=(settings.standards_dir,) if settings.standards_dir else (),
        reference_conditions=reference_conditions,
    )
    return cached(request, json_bytes(report), private=_private(request))


@router.get(
    "/stations/{station_id}/compliance",
    summary="Annual and percentile compliance per year and standard, with a verdict (insufficient data is never compared)",
    response_class=Response,
    responses=ok({"application/json": schema_of(["verdicts", "rows", "not_assessed", "summary"], verdicts={"type": "array", "items": OBJECT}, rows={"type": "array", "items": OBJECT}, not_assessed={"type": "array", "items": OBJECT}, summary=OBJECT)}, "Annual compliance", 404),
)  # fmt: skip
def station_compliance(
    request: Request,
    station_id: StationId,
    standard: Annotated[list[str] | None, Query(description="id[:level][@phase] (repeat; default cn-gb3095-2012:grade_2, cn-gb3095-2026:grade_2@transition, who-aqg-2021:AQG)")] = None,
    year: Annotated[list[int] | None, Query(description="Only these calendar years (repeat)")] = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
) -> Response:  # fmt: skip
    find_station(request, station_id)
    texts = tuple(dict.fromkeys(item[:100] for item in standard or DEFAULT_ASSESSMENTS))
    rules = rules_needed([parse_assessment(text) for text in texts])
    series = station_daily_series(request, station_id, rules, utc_offset_hours=utc_offset, reference_conditions=reference_conditions)  # fmt: skip
    settings = get_context(request).settings
    report = compliance_report(
        series,
        texts,
        standards_dirs=(settings.standards_dir,) if settings.standards_dir else (),
        reference_conditions=reference_conditions,
        years=tuple(year or ()),
    )
    return cached(request, json_bytes(report), private=_private(request))


@router.get(
    "/aqi/latest",
    summary="The latest real-time AQI of every station (the monitoring map)",
    response_class=Response,
    responses=ok({"application/json": {**_PAGE, "properties": {**_PAGE["properties"], "standard": {"type": "string"}, "method": {"type": "string"}, "stations": {"type": "array", "items": _LATEST}}}}, "Latest AQI per station"),
)  # fmt: skip
def aqi_latest(
    request: Request,
    standard: Annotated[str, Query(pattern="^(cn|us)$", description="cn (HJ 633 real-time) or us (PM NowCast)")] = "cn",
    fallback_engine: Fallback = None,
    utc_offset: Offset = 8,
    limit: Limit = 10_000,
    offset: Skip = 0,
) -> Response:  # fmt: skip
    names = {row["station_id"]: row for row in station_rows(request)}
    key = f"monitoring-latest-aqi:{standard}:{fallback_engine}:{utc_offset}|{monitoring_stamp(request)}"
    store = readings_store(request)
    latest = get_context(request).memoised(
        key, lambda: latest_aqi(store, standard, fallback_engine=fallback_engine, utc_offset_hours=utc_offset)
    )
    rows: list[dict[str, Any]] = latest.rows
    records = [
        {**row, **{field: names.get(row["station_id"], {}).get(field) for field in ("name_en", "name_zh", "longitude", "latitude", "country", "city")}}
        for row in rows
    ]  # fmt: skip
    page = records[offset : offset + limit]
    links = page_links(request, offset, limit, len(page), len(records), "application/json")
    body = {"standard": standard, "method": METHODS[standard], "summary": latest.summary, "stations": page, "numberMatched": len(records), "numberReturned": len(page), "links": links}  # fmt: skip
    return cached(request, json_bytes(body), max_age_s=60, private=_private(request))
