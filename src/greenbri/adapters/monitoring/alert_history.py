"""Alert state and history on disk, under ``<data dir>/monitoring/alerts/``.

=====================  ===========================================================================
file                   content
=====================  ===========================================================================
``state.json``         every alert and every dedupe key's lifecycle state (watermark, clear run,
                       cooldown, active alert); replaced whole and atomically (temporary file,
                       fsync, rename), so a reader sees the old state or the new one
``history.jsonl``      one JSON object per line, appended: each event (opened, auto_resolved,
                       acknowledged, resolved) and each delivery (delivered, delivery_failed)
``.lock``              an exclusive ``flock`` held while a command changes the state
=====================  ===========================================================================

Times are ISO 8601 in UTC. Re-evaluating the same data opens nothing new: each key's watermark
(the last data time it has seen) is stored with the state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import write_json_atomic
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.catalog import Bilingual
from greenbri.core.errors import MonitoringError
from greenbri.core.monitoring.alerts import Action, Alert, KeyState

__all__ = ["AlertHistory", "AlertState", "alert_to_dict"]

_FORMAT_VERSION = 1
_KEY_SEPARATOR = "|"


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _parse_time(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """An alert as JSON-ready data (times as ISO strings)."""
    data = dataclasses.asdict(alert)
    for key in ("opened_at", "last_firing_at", "resolved_at"):
        data[key] = _time(data[key])
    data["actions"] = [{**action, "at": _time(action["at"])} for action in data["actions"]]
    return data


def _alert_from_dict(data: dict[str, Any]) -> Alert:
    values = dict(data)
    values["name"] = Bilingual(**data["name"])
    values["message"] = Bilingual(**data["message"])
    for key in ("opened_at", "last_firing_at", "resolved_at"):
        values[key] = _parse_time(data[key])
    values["actions"] = tuple(
        Action(item["kind"], item["by"], dt.datetime.fromisoformat(item["at"]), item["note"])
        for item in data["actions"]
    )
    return Alert(**values)


def _key_to_dict(state: KeyState) -> dict[str, Any]:
    return {
        "watermark": _time(state.watermark),
        "clear_run": state.clear_run,
        "cooldown_until": _time(state.cooldown_until),
        "active_alert_id": state.active_alert_id,
        "suppressed": state.suppressed,
    }


def _key_from_dict(key: str, data: dict[str, Any]) -> KeyState:
    rule_id, station_id, parameter = key.split(_KEY_SEPARATOR)
    return KeyState(
        key=(rule_id, station_id, parameter),
        watermark=_parse_time(data["watermark"]),
        clear_run=data["clear_run"],
        cooldown_until=_parse_time(data["cooldown_until"]),
        active_alert_id=data["active_alert_id"],
        suppressed=data["suppressed"],
    )


@dataclasses.dataclass
class AlertState:
    """All alerts by id, and every key's lifecycle state by ``(rule, station, parameter)``."""

    alerts: dict[str, Alert] = dataclasses.field(default_factory=dict)
    keys: dict[tuple[str, str, str], KeyState] = dataclasses.field(default_factory=dict)

    def key_state(self, key: tuple[str, str, str]) -> KeyState:
        return self.keys.get(key) or KeyState(key=key)

    def active(self, key: tuple[str, str, str]) -> Alert | None:
        alert_id = self.key_state(key).active_alert_id
        return self.alerts.get(alert_id) if alert_id else None

    def alert(self, alert_id: str) -> Alert:
        if alert_id not in self.alerts:
            raise MonitoringError(
                f"No alert with id {alert_id!r}.", hint="list alerts with `greenbri monitor alerts list`."
            )
        return self.alerts[alert_id]


class AlertHistory:
    """The alert files of one data directory."""

    def __init__(self, data_dir: Path, *, lock_timeout_s: float = 30.0) -> None:
        self.directory = data_dir / "monitoring" / "alerts"
        self.state_path = self.directory / "state.json"
        self.history_path = self.directory / "history.jsonl"
        self.lock_timeout_s = lock_timeout_s

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the alert files' write lock (one changing command at a time)."""
        with write_lock(self.directory / ".lock", timeout_s=self.lock_timeout_s):
            yield

    def load(self) -> AlertState:
        if not self.state_path.is_file():
            return AlertState()
        data = json.loads(self.state_path.read_text(encoding="utf-8"))
        if data.get("format_version") != _FORMAT_VERSION:
            raise MonitoringError(
                f"{self.state_path}: unknown format_version {data.get('format_version')!r}.",
                hint="this greenbri version reads format 1; upgrade greenbri.",
            )
        alerts = {alert_id: _alert_from_dict(item) for alert_id, item in data["alerts"].items()}
        keys = {}
        for key, item in data["keys"].items():
            state = _key_from_dict(key, item)
            keys[state.key] = state
        return AlertState(alerts, keys)

    def save(self, state: AlertState) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        write_json_atomic(
            self.state_path,
            {
                "format_version": _FORMAT_VERSION,
                "alerts": {alert_id: alert_to_dict(alert) for alert_id, alert in state.alerts.items()},
                "keys": {_KEY_SEPARATOR.join(key): _key_to_dict(item) for key, item in state.keys.items()},
            },
        )

    def append(self, records: list[dict[str, Any]]) -> None:
        """Append history records (one JSON line each), flushed to disk."""
        if not records:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        text = "".join(
            json.dumps(item, ensure_ascii=False, sort_keys=True, default=str) + "\n" for item in records
        )
        with self.history_path.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> list[dict[str, Any]]:
        if not self.history_path.is_file():
            return []
        lines = self.history_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
