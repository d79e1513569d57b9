"""``greenbri plans list|show|record|evaluate``: the plans' items, their statuses and the evaluation."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenbri.core.errors import InputError
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

if TYPE_CHECKING:
    from greenbri.usecases.plans import PlanStores

app = typer.Typer(
    help="Track the plans: goals, tasks, key projects, evidence and evaluation. 规划实施跟踪评估。",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LanguageOption = Annotated[str, typer.Option("--lang", "-l", help="Language: en or zh.")]


def _stores() -> PlanStores:
    from greenbri.bootstrap import build_plan_stores  # heavy imports only when a command runs

    return build_plan_stores(settings_from())


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option} {text!r} is not a date.", location=option, hint="write YYYY-MM-DD."
        ) from None


def _pick(text: dict[str, str], language: str) -> str:
    return text["zh"] if language.startswith("zh") else text["en"]


@app.command("list")
@handle_errors
def list_command(
    document: Annotated[
        str | None, typer.Option(help="Only this document (plan2017, opinions2022, ...).")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only goal, task, key_project or target.")] = None,
    json_output: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """List the goals, tasks, key projects and targets with their clauses. 列出规划条目。"""
    from greenbri.usecases.plans import list_items

    rows = list_items(_stores().plans, document, kind)
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} items",
        ["id", "kind", "group", "name", "clause", "due"],
        [
            [r["id"], r["kind"], r["group"], _pick(r["name"], language), r["clause"], r["due"] or ""]
            for r in rows
        ],
    )


@app.command("show")
@handle_errors
def show_command(
    item_id: Annotated[str, typer.Argument(help="Item id (see `greenbri plans list`).")],
    json_output: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """One item: citation, owners, partners, milestones, status and its history. 查看条目。"""
    from greenbri.usecases.plans import show_item

    item = show_item(_stores(), item_id)
    if json_output:
        print_json(item)
        return
    console.print(f"[bold]{item['id']}[/] {_pick(item['name'], language)}")
    console.print(
        f"  {_pick(item['document']['title'], language)} ({item['document']['date']}), {item['clause']}"
    )
    for key in ("owners", "partners", "period"):
        value = item[key]
        console.print(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    for milestone in item["milestones"]:
        console.print(f"  milestone {milestone['id']}: due {milestone['due']} ({milestone['clause']})")
    status = item["status"] + (" — NO DATA: no evidence recorded" if item["no_evidence"] else "")
    console.print(f"  status: {status}")
    if item["fill_command"]:
        console.print(f"  record one with: {item['fill_command']}")
    for record in item["history"]:
        evidence = "; ".join(f"{e['kind']}={e['reference']}" for e in record["evidence"])
        console.print(
            f"  {record['as_of']} {record['status']} by {record['recorded_by']} "
            f"(recorded {record['recorded_at']}): {evidence} {record['note']}"
        )


@app.command("record")
@handle_errors
def record_command(
    item_id: Annotated[str, typer.Argument(help="Item id.")],
    status: Annotated[str, typer.Option(help="not_started, in_progress, completed, stalled or unknown.")],
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            "-e",
            help="KIND=REFERENCE, repeatable: document=PATH, link=URL, dataset_version=ID@vN, "
            "indicator_value=INDICATOR:ISO3:YEAR, target_evaluation=TARGET_ID, greenbri_result=catalog|monitoring.",
        ),
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="Date the status describes (default today).")] = None,
    milestone: Annotated[str | None, typer.Option(help="A milestone of the item.")] = None,
    note: Annotated[str, typer.Option(help="A note (required for unknown without evidence).")] = "",
    by: Annotated[str | None, typer.Option(help="Who records it (default: the user name).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a status with evidence (appended; nothing is overwritten). 记录进展及证据。"""
    from greenbri.usecases.plans import parse_evidence, record_status

    record = record_status(
        _stores(),
        item_id,
        status,
        parse_evidence(evidence or []),
        by=by or f"cli:{getpass.getuser()}",
        as_of=_date(as_of, "--as-of"),
        note=note,
        milestone=milestone,
    )
    if json_output:
        print_json(record)
        return
    console.print(
        f"recorded {record['item_id']}: {record['status']} as of {record['as_of']} by {record['recorded_by']}"
    )
    for item in record["evidence"]:
        console.print(f"  evidence {item['kind']}={item['reference']}: {item['detail']}")


def _print_evaluation(result: dict[str, Any]) -> None:
    print_table(
        f"Evaluation at {result['as_of']} 评估日期",
        [
            "document",
            "group",
            "items",
            *result["summary"]["by_group"][0]["statuses"],
            "overdue",
            "no evidence",
        ],
        [
            [s["document"], s["group"], s["items"], *s["statuses"].values(), s["overdue"], s["no_evidence"]]
            for s in result["summary"]["by_group"]
        ],
    )
    console.print(f"overdue 逾期: {', '.join(result['overdue']) or 'none'}")
    for row in result["items"]:
        if "target_evaluation" in row:
            evaluation = row["target_evaluation"]
            measured = evaluation.get("measured_by") or "none"
            console.print(
                f"  target {row['target_id']}: {evaluation.get('status')} (target tracker; measured by {measured})"
            )


@app.command("evaluate")
@handle_errors
def evaluate_command(
    as_of: Annotated[str, typer.Option(help="Evaluation date, e.g. 2025-12-31.")],
    output: Annotated[Path | None, typer.Option(help="Folder for the HTML/PDF reports.")] = None,
    formats: Annotated[str, typer.Option("--format", help="Report formats: html, pdf or html,pdf.")] = "html",
    languages: Annotated[str, typer.Option("--lang", "-l", help="Languages: en, zh or en,zh.")] = "en",
    json_output: JsonOption = False,
) -> None:
    """Evaluate the plans at a date from the recorded evidence and the target tracker. 规划实施评估。"""
    from greenbri.usecases.plans import evaluate

    date = _date(as_of, "--as-of")
    assert date is not None
    result = evaluate(_stores(), date)
    if output is not None:
        from greenbri.usecases.reports.plans_report import write_plan_reports

        result["reports"] = [
            str(path) for path in write_plan_reports(result, output, formats.split(","), languages.split(","))
        ]
    if json_output:
        print_json(result)
        return
    _print_evaluation(result)
    for path in result.get("reports", []):
        console.print(f"wrote {path}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="plans")
