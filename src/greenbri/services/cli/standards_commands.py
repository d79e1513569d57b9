"""``greenbri standards list|show|compare``. 环境标准。"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from greenbri.core.standards import StandardLibrary
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.usecases.standards import compare_limits, load_standards, standard_detail, standards_table

app = typer.Typer(
    help="Environmental standards with effective dates and citations. 环境标准。", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[str | None, typer.Option(help="Only what is in force on this date, YYYY-MM-DD.")]


def _library() -> StandardLibrary:
    return load_standards(settings_from().standards_dir)


@app.command("list")
@handle_errors
def list_command(
    date: DateOption = None, jurisdiction: str | None = None, json_output: JsonOption = False
) -> None:
    """List the standards (optionally those in force on a date)."""
    rows = standards_table(_library(), dt.date.fromisoformat(date) if date else None, jurisdiction)
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} standards 标准",
        ["id", "jurisdiction", "title / 标题", "in force", "limits", "uncertain"],
        [
            [
                row["id"],
                row["jurisdiction"],
                f"{row['title']['en']}\n{row['title']['zh']}",
                f"{row['effective_from']} – {row['effective_to'] or ''}",
                row["limit_count"],
                row["uncertain_count"],
            ]
            for row in rows
        ],
    )


@app.command("show")
@handle_errors
def show_command(standard_id: str, json_output: JsonOption = False) -> None:
    """Show a standard: dates, phases and every limit with its clause."""
    detail = standard_detail(_library(), standard_id)
    if json_output:
        print_json(detail)
        return
    console.print(
        f"[bold]{detail['id']}[/] {detail['document_number']} — {detail['title']['en']} / {detail['title']['zh']}"
    )
    console.print(
        f"  {detail['issuing_body']}; in force {detail['effective_from']} – {detail.get('effective_to') or ''}"
    )
    for phase in detail.get("phases", []):
        console.print(f"  phase {phase['id']}: {phase['effective_from']} – {phase.get('effective_to') or ''}")
    print_table(
        "limits 限值",
        ["pollutant", "averaging", "statistic", "limit", "level", "phase", "source", "certainty"],
        [
            [
                limit["pollutant"],
                limit["averaging"],
                limit["statistic"] if isinstance(limit["statistic"], str) else limit["statistic"].get("kind"),
                f"{limit['comparator']} {limit['value']:g} {limit['unit']}",
                limit["level"],
                limit.get("phase") or "",
                limit["source"],
                limit.get("certainty", "confirmed"),
            ]
            for limit in detail["limits"]
        ],
    )


@app.command("compare")
@handle_errors
def compare_command(
    pollutant: Annotated[str, typer.Option(help="e.g. pm25, pm10, so2, no2, o3, co.")],
    averaging: Annotated[str, typer.Option(help="e.g. year, 24h, 8h, mda8, 1h.")],
    date: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    jurisdiction: Annotated[
        list[str] | None, typer.Option(help="Only these (repeat), e.g. CHN WHO IFC USA EU.")
    ] = None,
    level: Annotated[
        list[str] | None, typer.Option(help="Only these levels (repeat), e.g. grade_2 AQG.")
    ] = None,
    value: Annotated[float | None, typer.Option(help="A measured value to check against each limit.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of --value, e.g. ug/m3.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Compare limits across jurisdictions on a date and name the binding (strictest) one."""
    on = dt.date.fromisoformat(date) if date else dt.date.today()
    result = compare_limits(
        _library(),
        pollutant,
        averaging,
        on,
        jurisdictions=jurisdiction or (),
        levels=level or (),
        value=value,
        unit=unit,
    )
    if json_output:
        print_json(result)
        return
    if not result["limits"]:
        console.print(
            f"No limit for {pollutant} over {averaging} on {on} in the chosen standards ({result['status']})."
        )
        return
    columns = ["standard", "level", "statistic", "limit", f"in {result['unit']}", "certainty"]
    if value is not None:
        columns.append("status")
    print_table(
        f"{pollutant} {averaging} on {on}",
        columns,
        [
            [
                row["standard"],
                row["level"],
                row["statistic"],
                f"{row['comparator']} {row['value']:g} {row['unit']}",
                f"{row['value_in_unit']:.4g}",
                row["certainty"],
                *([f"{row['status']} ({row['margin']:+.4g})"] if value is not None else []),
            ]
            for row in result["limits"]
        ],
    )
    binding = result["strictest"]
    console.print(
        f"binding 最严限值: {binding['standard']} {binding['level']} {binding['comparator']} {binding['value']:g} {binding['unit']} — {binding['citation']}"
    )
