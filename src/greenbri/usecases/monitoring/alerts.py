"""Early warning: evaluate alert rules over readings, keep the lifecycle, deliver to log and webhooks.

The verbs of ``greenbri monitor alerts``: :func:`load_alert_rules`, :func:`evaluate_alerts`,
:func:`list_alerts`, :func:`acknowledge_alert`, :func:`resolve_alert`. Rules are the bundled
``greenbri/core/monitoring/alert_rules.json`` unless a rule file is given; webhooks come from a
JSON file (:func:`load_webhooks`). The lifecycle and the cooldown are those of
:mod:`greenbri.core.monitoring.alerts`; ``docs/methodology/monitoring-alerts.md`` explains both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.resources
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from greenbri.adapters.monitoring.alert_history import AlertHistory, AlertState, alert_to_dict
from greenbri.adapters.monitoring.webhooks import Webhook, WebhookSender
from greenbri.adapters.standards_files import load_library
from greenbri.core.errors import AlertRuleError, ConfigurationError, DeliveryError
from greenbri.core.monitoring.alert_rules import SEVERITIES, AlertRule, bind_limits, rules_from_document
from greenbri.core.monitoring.alerts import AlertEvent, acknowledge, advance, resolve
from greenbri.usecases.monitoring.alert_series import series_from_readings
from greenbri.usecases.monitoring.alert_signals import Target, targets_for
from greenbri.usecases.monitoring.forecast import Forecast, forecast_next_hours

__all__ = [
    "AlertDelivery",
    "EvaluationReport",
    "acknowledge_alert",
    "evaluate_alerts",
    "list_alerts",
    "load_alert_rules",
    "load_webhooks",
    "resolve_alert",
]

logger = logging.getLogger("greenbri.alerts")


def load_alert_rules(
    rules_file: Path | None = None, standards_dir: Path | None = None
) -> tuple[AlertRule, ...]:
    """The rules of ``rules_file`` (default: the bundled rules), with their standard limits bound."""
    if rules_file is None:
        name = "alert_rules.json"
        text = (
            importlib.resources.files("greenbri.core.monitoring").joinpath(name).read_text(encoding="utf-8")
        )
    else:
        name, text = str(rules_file), rules_file.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AlertRuleError(
            f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).",
            hint="fix the JSON syntax.",
        ) from None
    rules = rules_from_document(document, name)
    return bind_limits(rules, load_library([standards_dir] if standards_dir else []), name)


def load_webhooks(path: Path, environment: Mapping[str, str]) -> list[Webhook]:
    """Webhooks of a JSON file ``{"webhooks": [{"url", "secret_env", "min_severity", "name"}]}``.

    A secret is read from the environment variable named by ``secret_env`` (never from the file).
    """
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["webhooks"]
        webhooks = []
        for index, item in enumerate(items):
            unknown = set(item) - {"url", "secret_env", "min_severity", "name"}
            if unknown or not str(item["url"]).startswith(("http://", "https://")):
                raise ValueError(f"webhooks[{index}]: unknown keys {sorted(unknown)} or a URL not http(s)")
            secret = environment.get(item["secret_env"], "") if item.get("secret_env") else ""
            if item.get("secret_env") and not secret:
                raise ValueError(f"webhooks[{index}]: the variable {item['secret_env']} is not set")
            severity = item.get("min_severity", "info")
            if severity not in SEVERITIES:
                raise ValueError(f"webhooks[{index}].min_severity must be one of {', '.join(SEVERITIES)}")
            webhooks.append(Webhook(item["url"], secret, severity, item.get("name", "")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(
            f"The webhook file {path} is unusable: {error}.",
            hint='write {"webhooks": [{"url": "https://...", "secret_env": "VARIABLE", "min_severity": '
            '"warning"}]} and set the variable.',
        ) from None
    return webhooks


class AlertDelivery:
    """Sends events to the log (always) and to every webhook whose ``min_severity`` they reach."""

    def __init__(self, webhooks: Sequence[Webhook] = (), sender: WebhookSender | None = None) -> None:
        self.webhooks = list(webhooks)
        self.sender = sender if sender is not None or not webhooks else WebhookSender()

    def deliver(self, events: Sequence[AlertEvent], now: dt.datetime) -> list[dict[str, Any]]:
        """Deliver ``events``; return one history record per webhook delivery (failures are values)."""
        records = []
        for event in events:
            alert = event.alert
            log = logger.warning if event.kind == "opened" else logger.info
            log("alert %s %s: %s / %s", event.kind, alert.alert_id, alert.message.en, alert.message.zh)
            name = f"alert.{event.kind}"
            payload = {
                "event": name,
                "data_time": event.data_time.isoformat(),
                "alert": alert_to_dict(alert),
            }
            for webhook in self.webhooks:
                if SEVERITIES.index(alert.severity) < SEVERITIES.index(webhook.min_severity):
                    continue
                record = {"time": now.isoformat(), "alert_id": alert.alert_id, "event": event.kind}
                record["target"] = webhook.name or webhook.url
                try:
                    assert self.sender is not None
                    attempts = self.sender.send(webhook, name, f"{alert.alert_id}/{event.kind}", payload)
                    records.append({**record, "kind": "delivered", "attempts": attempts})
                except DeliveryError as error:
                    logger.error("%s", error)
                    records.append({**record, "kind": "delivery_failed", "error": str(error)})
        return records


@dataclasses.dataclass
class EvaluationReport:
    """What an evaluation did: events, what was evaluated or skipped, and deliveries."""

    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    evaluated: int = 0
    skipped: list[dict[str, str]] = dataclasses.field(default_factory=list)
    deliveries: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @property
    def failed_deliveries(self) -> int:
        return sum(item["kind"] == "delivery_failed" for item in self.deliveries)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "failed_deliveries": self.failed_deliveries}


def _event_record(event: AlertEvent, now: dt.datetime) -> dict[str, Any]:
    return {
        "time": now.isoformat(),
        "kind": event.kind,
        "alert_id": event.alert.alert_id,
        "data_time": event.data_time.isoformat(),
        "alert": alert_to_dict(event.alert),
    }


def _apply(state: AlertState, rule: AlertRule, target: Target) -> list[AlertEvent]:
    key = (rule.id, target.station_id, rule.parameter)
    key_state, events, active = advance(
        rule, state.key_state(key), state.active(key), target.signal, target.unit
    )
    for event in events:
        state.alerts[event.alert.alert_id] = event.alert
    if active is not None:
        state.alerts[active.alert_id] = active
    state.keys[key] = key_state
    return events


def evaluate_alerts(
    readings: pd.DataFrame,
    rules: Sequence[AlertRule],
    history: AlertHistory,
    *,
    delivery: AlertDelivery | None = None,
    until: dt.datetime | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    forecaster: Callable[..., Forecast] = forecast_next_hours,
) -> EvaluationReport:
    """Evaluate every enabled rule on every matching series of ``readings`` (contract columns).

    Only steps after each key's watermark are walked, so evaluating the same data again opens
    nothing. Readings should reach back over the longest persistence, rate or forecast window.
    """
    series = series_from_readings(readings, until)
    report = EvaluationReport()
    with history.locked():
        state = history.load()
        events: list[AlertEvent] = []
        for rule in (rule for rule in rules if rule.enabled):
            targets, skipped = targets_for(rule, series, forecaster)
            report.skipped.extend(skipped)
            for target in targets:
                events.extend(_apply(state, rule, target))
                report.evaluated += 1
        events.sort(key=lambda event: (event.data_time, event.alert.alert_id))
        history.save(state)
        stamp = now()
        history.append([_event_record(event, stamp) for event in events])
        report.events = [{"kind": event.kind, **alert_to_dict(event.alert)} for event in events]
        report.deliveries = (delivery or AlertDelivery()).deliver(events, stamp)
        history.append(report.deliveries)
    return report


def list_alerts(
    history: AlertHistory, status: str | None = None, station: str | None = None
) -> list[dict[str, Any]]:
    """Alerts (optionally of one status or station), oldest first."""
    alerts = history.load().alerts.values()
    chosen = [
        alert
        for alert in alerts
        if (status is None or alert.status == status) and (station is None or alert.station_id == station)
    ]
    return [
        alert_to_dict(alert) for alert in sorted(chosen, key=lambda alert: (alert.opened_at, alert.alert_id))
    ]


def acknowledge_alert(
    history: AlertHistory,
    alert_id: str,
    by: str,
    note: str = "",
    *,
    delivery: AlertDelivery | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Acknowledge an open alert (who, when, note); returns the alert."""
    stamp = now or dt.datetime.now(dt.UTC)
    with history.locked():
        state = history.load()
        alert = acknowledge(state.alert(alert_id), by, stamp, note)
        state.alerts[alert_id] = alert
        return _record_manual(
            history, state, AlertEvent("acknowledged", alert, alert.last_firing_at), delivery, stamp
        )


def resolve_alert(
    history: AlertHistory,
    alert_id: str,
    by: str,
    rules: Sequence[AlertRule],
    note: str = "",
    *,
    delivery: AlertDelivery | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Resolve an open or acknowledged alert by hand; the rule's cooldown starts at the key's watermark."""
    stamp = now or dt.datetime.now(dt.UTC)
    cooldowns = {rule.id: rule.cooldown_hours for rule in rules}
    with history.locked():
        state = history.load()
        alert = state.alert(alert_id)
        key_state = state.key_state(alert.key)
        alert, resolved_key = resolve(alert, key_state, by, stamp, cooldowns.get(alert.rule_id, 0.0), note)
        state.alerts[alert_id] = alert
        if key_state.active_alert_id == alert_id:
            state.keys[alert.key] = resolved_key
        assert alert.resolved_at is not None
        return _record_manual(
            history, state, AlertEvent("resolved", alert, alert.resolved_at), delivery, stamp
        )


def _record_manual(
    history: AlertHistory,
    state: AlertState,
    event: AlertEvent,
    delivery: AlertDelivery | None,
    now: dt.datetime,
) -> dict[str, Any]:
    history.save(state)
    history.append([_event_record(event, now)])
    history.append((delivery or AlertDelivery()).deliver([event], now))
    return alert_to_dict(event.alert)
