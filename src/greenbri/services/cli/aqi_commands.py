"""``greenbri aqi``: the AQI of readings under the standard in force on a date. 空气质量指数。"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.usecases.air_quality import aqi_of_readings, parse_reading


@handle_errors
def aqi_command(
    readings: Annotated[
        list[str], typer.Argument(help="KEY=VALUE[UNIT], e.g. pm25=80 pm10=120 o3=0.071ppm co_8h=4.4ppm.")
    ],
    standard: Annotated[str, typer.Option(help="cn (HJ 633) or us (EPA).")] = "cn",
    date: Annotated[str | None, typer.Option(help="Observation date, YYYY-MM-DD (default: today).")] = None,
    fallback_engine: Annotated[
        str | None,
        typer.Option(
            help="Engine for a date no engine covers (CN before 2016, US before 1999-10-04), e.g. hj633-2012."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """AQI, category and primary pollutant of readings, by the standard in force on the date."""
    day = dt.date.fromisoformat(date) if date else dt.date.today()
    result = aqi_of_readings(
        standard, day, [parse_reading(text) for text in readings], fallback_engine=fallback_engine
    )
    if json_output:
        print_json(result)
        return
    category = result["category"] or _no_category_label(withheld=result["withheld"])
    console.print(
        f"AQI [bold]{result['aqi'] if result['aqi'] is not None else 'NA'}[/] "
        f"{category['en']} / {category['zh']} — {result['engine']} on {result['date']}; "
        f"primary 首要污染物: {', '.join(result['primary']) or '—'}",
        highlight=False,
    )
    print_table(
        "sub-indices 分指数",
        ["key", "given", "value used", "index"],
        [
            [
                key,
                f"{item['given']:g} {item['given_unit']}",
                f"{item['value']:.4g} {item['unit']}",
                item["index"],
            ]
            for key, item in result["sub_indices"].items()
        ],
    )
    for note in result["notes"]:
        console.print(f"note: {note}", highlight=False)


def _no_category_label(*, withheld: bool) -> dict[str, str]:
    """NO DATA, or NA when HJ 633-2026 clause 5.3.1 withholds the AQI, from the one label catalogue."""
    from greenbri.usecases.reports.messages import MESSAGES  # rare path; the reports package is heavy

    label = MESSAGES["class.aqi_withheld" if withheld else "class.no_data"]
    return {"en": label.en, "zh": label.zh}
