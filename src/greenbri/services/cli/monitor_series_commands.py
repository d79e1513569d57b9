"""``greenbri monitor``: the series commands (see :mod:`greenbri.services.cli.monitor_commands`).

``series``, ``aqi``, ``exceedances``, ``stats`` and ``quality`` read the store's published readings,
or contract readings from a Parquet glob (``--readings``); ``water`` classifies
a water-quality table under GB 3838-2002.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from greenbri.adapters.standards_files import load_library
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.monitor_sources import readings_source
from greenbri.services.cli.output import echo_not_computed, print_json, print_table
from greenbri.usecases.monitoring.derived_reports import (
    aqi_report,
    exceedance_report,
    load_series,
    series_report,
    statistics_report,
)
from greenbri.usecases.monitoring.water_quality import classify_water_table, read_india_table

Readings = Annotated[
    str | None,
    typer.Option(help="Parquet glob of readings (default: the store's published readings)."),
]
Stations = Annotated[list[str] | None, typer.Option("--station", help="Only these station ids (repeatable).")]
Offset = Annotated[
    int, typer.Option(help="UTC offset (hours) of the local standard time that defines the day.")
]
Conditions = Annotated[
    str,
    typer.Option(
        help="Reference state of stored gas mass concentrations (cn-gb3095-2012 before 2018-09-01)."
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _readings(readings: str | None) -> str | tuple[str, ...]:
    return readings_source(readings)[0]


@handle_errors
def series_command(
    rules: Annotated[str, typer.Option(help="Daily rules: cn (GB 3095 / HJ 663) or us (40 CFR 50).")] = "cn",
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
    json_output: Json = False,
) -> None:
    """Daily means, MDA8 ozone and daily 1-hour maxima under a standard's capture rules. 日均值序列。"""
    series = load_series(
        _readings(readings),
        (rules,),
        stations=tuple(station or ()),
        utc_offset_hours=utc_offset,
        reference_conditions=reference_conditions,
    )[rules]
    report = series_report(series)
    if json_output:
        print_json(report)
        return
    keys = sorted(series.values)
    print_table(
        f"daily series 日序列 ({rules})",
        ["station", "date", *keys],
        [[row["station"], row["date"], *(row[key] for key in keys)] for row in report["days"]],
    )


@handle_errors
def aqi_series_command(
    standard: Annotated[str, typer.Option(help="cn (HJ 633) or us (EPA).")] = "cn",
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
    fallback_engine: Annotated[
        str | None,
        typer.Option(
            help="Engine for dates no engine covers (CN before 2016, US before 1999-10-04), e.g. hj633-2012."
        ),
    ] = None,
    json_output: Json = False,
) -> None:
    """Daily AQI per station, engine chosen by date. 逐日空气质量指数。"""
    series = load_series(
        _readings(readings),
        (standard,),
        stations=tuple(station or ()),
        utc_offset_hours=utc_offset,
        reference_conditions=reference_conditions,
    )[standard]
    report = aqi_report(series, standard, fallback_engine=fallback_engine)
    if json_output:
        print_json(report)
        return
    print_table(
        f"daily AQI 日AQI ({standard})",
        ["station", "date", "AQI", "category 类别", "primary 首要污染物", "engine"],
        [
            [
                r["station"],
                r["date"],
                r["aqi"],
                f"{r['category_en']} / {r['category_zh']}",
                ", ".join(r["primary"]),
                r["engine"] or r["not_computed"],
            ]
            for r in report["days"]
        ],
    )
    echo_not_computed(report["summary"])


@handle_errors
def exceedances_command(
    standard: Annotated[
        list[str] | None,
        typer.Option(help="Standard ids (repeatable; default cn-gb3095-2012, who-aqg-2021, us-naaqs)."),
    ] = None,
    level: Annotated[
        list[str] | None, typer.Option(help="Only these levels, e.g. grade_2, AQG, primary.")
    ] = None,
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
    json_output: Json = False,
) -> None:
    """Exceedance days per limit, station and year; limits that cannot be compared are listed. 超标天数。"""
    standards = tuple(standard or ("cn-gb3095-2012", "who-aqg-2021", "us-naaqs"))
    settings = settings_from()
    series = load_series(
        _readings(readings),
        ("cn", "us"),
        stations=tuple(station or ()),
        utc_offset_hours=utc_offset,
        reference_conditions=reference_conditions,
    )
    extra = (settings.standards_dir,) if settings.standards_dir else ()
    report = exceedance_report(
        series,
        standards,
        levels=tuple(level) if level else None,
        standards_dirs=extra,
        reference_conditions=reference_conditions,
    )
    if json_output:
        print_json(report)
        return
    print_table(
        "exceedance days 超标天数",
        ["standard", "pollutant", "averaging", "level", "limit", "station", "year", "days", "valid", "in force"],
        [
            [r["standard"], r["pollutant"], r["averaging"], r["level"], f"{r['limit']:g} {r['unit']}", r["station"],
             r["year"], r["exceedance_days"], r["valid_days"], r["in_force_days"]]
            for r in report["exceedances"]
        ],
    )  # fmt: skip
    print_table(
        "not compared 未比较",
        ["standard", "pollutant", "averaging", "level", "reason"],
        [
            [r["standard"], r["pollutant"], r["averaging"], r["level"], r["reason"]]
            for r in report["not_compared"]
        ],
    )


@handle_errors
def compliance_command(
    standard: Annotated[
        list[str] | None,
        typer.Option(
            help="ID:LEVEL@PHASE, level and phase optional (repeatable; default cn-gb3095-2012:grade_2, "
            "cn-gb3095-2026:grade_2@transition, who-aqg-2021:AQG; also us-naaqs:primary)."
        ),
    ] = None,
    year: Annotated[list[int] | None, typer.Option(help="Only these calendar years (repeatable).")] = None,
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    reference_conditions: Conditions = "cn-gb3095-2018",
    json_output: Json = False,
) -> None:
    """Annual means and percentile statistics per station and year against each standard, with a verdict;
    years whose data capture fails the rule are INSUFFICIENT, never compared. 年度达标评价。"""
    from greenbri.usecases.monitoring.annual_compliance import (
        DEFAULT_ASSESSMENTS,
        compliance_report,
        parse_assessment,
        rules_needed,
    )
    from greenbri.usecases.reports.messages import MESSAGES

    texts = tuple(standard or DEFAULT_ASSESSMENTS)
    settings = settings_from()
    series = load_series(
        _readings(readings),
        rules_needed([parse_assessment(text) for text in texts]),
        stations=tuple(station or ()),
        utc_offset_hours=utc_offset,
        reference_conditions=reference_conditions,
    )
    report = compliance_report(
        series,
        texts,
        standards_dirs=(settings.standards_dir,) if settings.standards_dir else (),
        reference_conditions=reference_conditions,
        years=tuple(year or ()),
    )
    if json_output:
        print_json(report)
        return

    def heading(key: str) -> str:
        return f"{MESSAGES[key].en} {MESSAGES[key].zh}"

    print_table(
        heading("heading.annual_compliance"),
        ["station", "year", "standard", "pollutant", "statistic", "value", "limit", "status 状态", "valid days", "reason"],
        [
            [r["station"], r["year"], r["assessment"], r["pollutant"], r.get("statistic", ""),
             "" if r["value"] is None else f"{r['value']:g}",
             f"{r['limit']:g} {r['unit']}", f"{r['status_label']['en']} / {r['status_label']['zh']}",
             r.get("valid_days"), r["reason"]]
            for r in report["rows"]
        ],
    )  # fmt: skip
    print_table(
        heading("heading.annual_verdicts"),
        ["station", "year", "standard", "verdict 结论", "in force", "exceeded", "insufficient"],
        [
            [r["station"], r["year"], r["assessment"], f"{r['verdict_label']['en']} / {r['verdict_label']['zh']}",
             r["in_force"], ", ".join(r["exceeded"]), ", ".join(r["insufficient"])]
            for r in report["verdicts"]
        ],
    )  # fmt: skip
    print_table(
        heading("heading.not_assessed"),
        ["standard", "pollutant", "averaging", "level", "reason"],
        [
            [r["standard"], r["pollutant"], r["averaging"], r["level"], r["reason"]]
            for r in report["not_assessed"]
        ],
    )


@handle_errors
def stats_command(
    key: Annotated[str, typer.Argument(help="Daily series key, e.g. pm25_24h, o3_8h, no2_1h.")],
    rules: Annotated[str, typer.Option(help="Daily rules: cn or us.")] = "cn",
    period: Annotated[str, typer.Option(help="year, month or all.")] = "year",
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    json_output: Json = False,
) -> None:
    """Mean, maximum, 95th percentile and valid days of a daily series per station and period. 统计。"""
    series = load_series(
        _readings(readings), (rules,), stations=tuple(station or ()), utc_offset_hours=utc_offset
    )[rules]
    report = statistics_report(series, key, period=period)
    if json_output:
        print_json(report)
        return
    print_table(
        f"statistics 统计 {key} ({rules})",
        ["station", "period", "valid days", "mean", "max", "p95", "unit"],
        [
            [r["group"], r["period"], r["valid_station_days"], r["mean"], r["max"], r["p95"], r["unit"]]
            for r in report["rows"]
        ],
    )


@handle_errors
def quality_command(
    readings: Readings = None,
    station: Stations = None,
    utc_offset: Offset = 8,
    json_output: Json = False,
) -> None:
    """Series quality per station and pollutant: stuck, spike, PM2.5 > PM10 hours and station-down events. 质控。"""
    from greenbri.usecases.monitoring.quality_report import quality_report
    from greenbri.usecases.monitoring.readings_scan import open_parquet_readings

    connection, relation = open_parquet_readings(_readings(readings))
    try:
        rows = quality_report(
            connection, relation, utc_offset_hours=utc_offset, stations=tuple(station or ()) or None
        )
    finally:
        connection.close()
    if json_output:
        print_json(rows)
        return
    print_table(
        "series quality 序列质控 (flags are reported, values are never dropped)",
        [
            "station",
            "parameter",
            "valid h",
            "stuck h",
            "spike h",
            "PM2.5>PM10 h",
            "down events",
            "longest down h",
        ],
        [
            [
                r["station"],
                r["parameter"],
                r["valid_hours"],
                r["stuck_hours"],
                r["spike_hours"],
                r["inconsistent_hours"],
                r["down_events"],
                r["longest_down_hours"],
            ]
            for r in rows
        ],
    )


@handle_errors
def water_command(
    table: Annotated[Path, typer.Argument(help="Water-quality table (CPCB India layout, latin-1).")],
    json_output: Json = False,
) -> None:
    """GB 3838-2002 class per station-year and parameter; missing is NO DATA. 地表水水质类别。"""
    records = classify_water_table(read_india_table(table), load_library().get("cn-gb3838-2002"))
    if json_output:
        print_json({"standard": "cn-gb3838-2002", "records": records})
        return
    print_table(
        "GB 3838-2002 classes 水质类别",
        ["station", "year", "overall 综合", "complete", "do", "ph", "bod5", "fecal_coliform"],
        [
            [r["station"], r["year"], f"{r['overall']['en']} / {r['overall']['zh']}", r["overall_complete"],
             *(r["classes"][name]["zh"] for name in ("do", "ph", "bod5", "fecal_coliform"))]
            for r in records
        ],
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``monitor`` group."""
    app.command("series")(series_command)
    app.command("aqi")(aqi_series_command)
    app.command("exceedances")(exceedances_command)
    app.command("compliance")(compliance_command)
    app.command("stats")(stats_command)
    app.command("quality")(quality_command)
    app.command("water")(water_command)
