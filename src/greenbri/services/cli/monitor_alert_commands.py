"""``greenbri monitor alerts``: early-warning rules, evaluation and the alert lifecycle. 预警。

``alerts rules`` lists the rules; ``alerts evaluate`` runs them over stored readings (Parquet files
with the reading columns) and delivers new events to the log and the configured webhooks;
``alerts list``, ``alerts ack`` and ``alerts resolve`` manage the alerts. Every command takes
``--json``. The rule file and the webhook file can be given by option or by environment variable
(``GREENBRI_ALERT_RULES``, ``GREENBRI_ALERT_WEBHOOKS``).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.core.errors import DeliveryError, MonitoringError
from greenbri.core.monitoring.alert_rules import AlertRule
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.monitor_sources import readings_source
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.usecases.monitoring.alerts import (
    AlertDelivery,
    acknowledge_alert,
    evaluate_alerts,
    list_alerts,
    load_alert_rules,
    load_webhooks,
    resolve_alert,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", envvar="GREENBRI_ALERT_RULES", help="Alert rule file (JSON); default: the bundled rules."
    ),
]
WebhooksOption = Annotated[
    Path | None,
    typer.Option(
        "--webhooks", envvar="GREENBRI_ALERT_WEBHOOKS", help="Webhook file (JSON); default: log only."
    ),
]

alerts_app = typer.Typer(
    help="Early warning: alert rules, evaluation, acknowledgement and resolution. 预警。",
    no_args_is_help=True,
)


def _history() -> AlertHistory:
    settings = settings_from()
    return AlertHistory(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def _delivery(webhooks: Path | None) -> AlertDelivery:
    return AlertDelivery(load_webhooks(webhooks, os.environ) if webhooks else ())


def _rules(rules: Path | None) -> tuple[AlertRule, ...]:
    return load_alert_rules(rules, settings_from().standards_dir)


def _read_readings(pattern: str | None) -> pd.DataFrame:
    """The readings of ``pattern`` (a glob), or the store's published readings."""
    source, _batches = readings_source(pattern)
    files = sorted(glob.glob(source, recursive=True)) if isinstance(source, str) else list(source)
    if not files:
        raise MonitoringError(
            f"No readings found at {pattern}.",
            hint="ingest readings first (`greenbri monitor ingest`) or pass --readings 'DIR/**/*.parquet'.",
        )
    return pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)


def _print_alerts(rows: list[dict[str, Any]], title: str) -> None:
    print_table(
        title,
        ["id", "status", "severity", "station", "opened (UTC)", "peak", "message / 信息"],
        [
            [
                row["alert_id"],
                row["status"],
                row["severity"],
                row["station_id"],
                row["opened_at"],
                f"{row['peak_value']:.1f} {row['unit']}",
                f"{row['message']['en']}\n{row['message']['zh']}",
            ]
            for row in rows
        ],
    )


@alerts_app.command("rules")
@handle_errors
def rules_command(rules: RulesOption = None, json_output: JsonOption = False) -> None:
    """List the alert rules with their conditions and sources."""
    summaries = [rule.summary() for rule in _rules(rules)]
    if json_output:
        print_json(summaries)
        return
    print_table(
        f"{len(summaries)} alert rules 预警规则",
        ["id", "name / 名称", "severity", "kind", "cooldown h", "source"],
        [
            [
                item["id"],
                f"{item['name']['en']}\n{item['name']['zh']}",
                item["severity"],
                item["condition"]["kind"],
                f"{item['cooldown_hours']:g}",
                item["source"],
            ]
            for item in summaries
        ],
    )


@alerts_app.command("evaluate")
@handle_errors
def evaluate_command(
    readings: Annotated[
        str | None,
        typer.Option(help="Parquet glob of readings (default: the store's published readings)."),
    ] = None,
    rules: RulesOption = None,
    webhooks: WebhooksOption = None,
    deliver: Annotated[
        bool, typer.Option(help="Send new events to the webhooks (--no-deliver: log only).")
    ] = True,
    json_output: JsonOption = False,
) -> None:
    """Run the rules over the readings; open, update and auto-resolve alerts; deliver new events."""
    delivery = _delivery(webhooks) if deliver else AlertDelivery()
    report = evaluate_alerts(_read_readings(readings), _rules(rules), _history(), delivery=delivery)
    if json_output:
        print_json(report.to_dict())
    else:
        opened = [event for event in report.events if event["kind"] == "opened"]
        console.print(
            f"{report.evaluated} rule-station series evaluated; {len(opened)} alerts opened, "
            f"{len(report.events) - len(opened)} resolved; {len(report.skipped)} skipped."
        )
        for item in report.skipped:
            console.print(f"  skipped {item['rule_id']} at {item['station_id']}: {item['reason']}")
    if report.failed_deliveries:
        raise DeliveryError(
            f"{report.failed_deliveries} webhook deliveries failed (the alerts are saved).",
            hint="see the log and history.jsonl; check the receivers.",
        )


@alerts_app.command("list")
@handle_errors
def list_command(
    status: Annotated[str | None, typer.Option(help="open, acknowledged or resolved.")] = None,
    station: Annotated[str | None, typer.Option(help="Only this station id.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List alerts, oldest first."""
    if status not in (None, "open", "acknowledged", "resolved"):
        raise MonitoringError(f"Unknown status {status!r}.", hint="use open, acknowledged or resolved.")
    rows = list_alerts(_history(), status, station)
    if json_output:
        print_json(rows)
        return
    _print_alerts(rows, f"{len(rows)} alerts 预警")


@alerts_app.command("ack")
@handle_errors
def ack_command(
    alert_id: str,
    by: Annotated[str, typer.Option(help="Who acknowledges.")],
    note: Annotated[str, typer.Option(help="Why, or what is being done.")] = "",
    webhooks: WebhooksOption = None,
    json_output: JsonOption = False,
) -> None:
    """Acknowledge an open alert."""
    alert = acknowledge_alert(_history(), alert_id, by, note, delivery=_delivery(webhooks))
    if json_output:
        print_json(alert)
        return
    _print_alerts([alert], "acknowledged 已确认")


@alerts_app.command("resolve")
@handle_errors
def resolve_command(
    alert_id: str,
    by: Annotated[str, typer.Option(help="Who resolves.")] = "operator",
    note: Annotated[str, typer.Option(help="Why.")] = "",
    rules: RulesOption = None,
    webhooks: WebhooksOption = None,
    json_output: JsonOption = False,
) -> None:
    """Resolve an open or acknowledged alert (its rule's cooldown starts)."""
    alert = resolve_alert(_history(), alert_id, by, _rules(rules), note, delivery=_delivery(webhooks))
    if json_output:
        print_json(alert)
        return
    _print_alerts([alert], "resolved 已解除")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``monitor`` group."""
    app.add_typer(alerts_app, name="alerts")
