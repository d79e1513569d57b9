"""Evaluating alert rules over one series, and the alert lifecycle. Pure and deterministic.

**Signals.** A rule's condition turns a regular series (one station, one parameter, one
averaging; NaN where missing) into a :class:`Signal`: per step ``FIRING``, ``CLEAR`` or
``UNKNOWN`` (the value needed is missing), the value reported, and ``run``: how many
consecutive steps have been firing, which is what ``persistence_periods`` is checked against.
Everything here is vectorised with numpy; only the lifecycle walks over *runs* of steps.

**Lifecycle.** ``open -> acknowledged -> resolved`` (``open -> resolved`` too). At most one
alert per dedupe key ``(rule, station, parameter)`` is open or acknowledged. Time is *data time*
(the ``time_utc`` of the steps), so re-evaluating the same data gives the same result:

* an alert **opens** at the first step after the key's watermark where the condition has held for
  ``persistence_periods`` consecutive steps, no alert of the key is active and the cooldown is over;
* it **auto-resolves** at the step that completes ``resolve_after_periods`` consecutive *clear*
  steps (``UNKNOWN`` steps, i.e. missing data, neither clear nor extend an alert);
* **cooldown**: after an alert of a key resolves at data time ``R`` (automatically, or manually,
  when ``R`` is the key's watermark), no alert of that key opens before ``R + cooldown_hours``;
  a firing episode that starts and ends inside the cooldown is counted as ``suppressed``;
* acknowledging and resolving by hand record who, when (wall-clock time) and a note; an
  acknowledged alert still auto-resolves. Any other transition raises
  :class:`~greenbri.core.errors.MonitoringError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import MonitoringError
from greenbri.core.monitoring.alert_rules import AlertRule, Condition

__all__ = [
    "CLEAR",
    "FIRING",
    "UNKNOWN",
    "Action",
    "Alert",
    "AlertEvent",
    "KeyState",
    "Signal",
    "acknowledge",
    "advance",
    "condition_signal",
    "persistence_runs",
    "resolve",
]

FIRING, CLEAR, UNKNOWN = 1, 0, -1
FloatArray = NDArray[np.float64]
TimeArray = NDArray[np.datetime64]


@dataclass(frozen=True)
class Signal:
    """A condition over a regular series: ``times`` (UTC ``datetime64[us]``), state, value, run."""

    times: TimeArray
    state: NDArray[np.int8]
    value: FloatArray
    run: NDArray[np.int64]


def persistence_runs(state: NDArray[np.int8]) -> NDArray[np.int64]:
    """How many consecutive steps, ending at each step, have been firing (0 where not firing)."""
    firing = state == FIRING
    index = np.arange(state.size, dtype=np.int64)
    last_other = np.maximum.accumulate(np.where(firing, -1, index))
    return np.where(firing, index - last_other, 0)


def _compare(values: FloatArray, operator: str, threshold: float) -> NDArray[np.int8]:
    known = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        hit = {
            ">": values > threshold,
            ">=": values >= threshold,
            "<": values < threshold,
            "<=": values <= threshold,
        }[operator]
    return np.where(known, hit.astype(np.int8), np.int8(UNKNOWN)).astype(np.int8)


def _signal(times: TimeArray, state: NDArray[np.int8], value: FloatArray) -> Signal:
    return Signal(times, state, value, persistence_runs(state))


def condition_signal(condition: Condition, times: TimeArray, values: FloatArray) -> Signal:
    """The signal of a single-series condition (all kinds but ``aqi_category`` and forecasts).

    ``values`` are in the condition's unit, NaN where missing, one per step of ``times``.
    """
    kind = condition.kind
    if kind == "threshold":
        return _signal(times, _compare(values, condition.operator, condition.value), values)
    if kind == "exceedance" and condition.limit is not None:
        operator = ">" if condition.limit.comparator == "<=" else "<"
        return _signal(times, _compare(values, operator, condition.limit.value), values)
    if kind == "rate_of_rise":
        window = condition.window_periods
        rise = np.full(values.shape, np.nan)
        rise[window:] = values[window:] - values[:-window]
        return _signal(times, _compare(rise, ">=", condition.value), rise)
    if kind == "station_down":
        missing = np.isnan(values).astype(np.int8)
        silent = persistence_runs(missing).astype(np.float64)
        state = (silent >= condition.silent_periods).astype(np.int8)
        return _signal(times, state, silent)
    raise MonitoringError(f"A {kind} condition is not evaluated on a single series here.")


def aqi_signal(
    condition: Condition, times: TimeArray, sub_indices: FloatArray, category: NDArray[np.int8]
) -> Signal:
    """The signal of an ``aqi_category`` condition from computed AQI and category codes (-1: no data)."""
    state = np.where(category < 0, UNKNOWN, category >= condition.at_or_above).astype(np.int8)
    return _signal(times, state, sub_indices)


@dataclass(frozen=True)
class Action:
    """A manual step of the lifecycle: ``acknowledged`` or ``resolved``, by whom, when, and why."""

    kind: str
    by: str
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class Alert:
    """One alert of a dedupe key. ``opened_at``, ``last_firing_at``, ``resolved_at`` are data times."""

    alert_id: str
    rule_id: str
    station_id: str
    parameter: str
    severity: str
    status: str
    name: Bilingual
    message: Bilingual
    opened_at: dt.datetime
    last_firing_at: dt.datetime
    value_at_open: float
    peak_value: float
    unit: str
    resolved_at: dt.datetime | None = None
    resolution: str = ""
    actions: tuple[Action, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule_id, self.station_id, self.parameter)


@dataclass(frozen=True)
class KeyState:
    """What the lifecycle remembers per dedupe key between evaluations."""

    key: tuple[str, str, str]
    watermark: dt.datetime | None = None
    clear_run: int = 0
    cooldown_until: dt.datetime | None = None
    active_alert_id: str | None = None
    suppressed: int = 0


@dataclass(frozen=True)
class AlertEvent:
    """Something that happened to an alert: ``opened``, ``auto_resolved``, ``acknowledged``, ``resolved``."""

    kind: str
    alert: Alert
    data_time: dt.datetime


def _datetime(value: np.datetime64) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value.astype("datetime64[s]"))).replace(tzinfo=dt.UTC)


def _message(rule: AlertRule, station_id: str, value: float, unit: str, time: dt.datetime) -> Bilingual:
    condition = rule.condition
    limits = {"station_down": float(condition.silent_periods), "aqi_category": float(condition.at_or_above)}
    limit = condition.limit.value if condition.limit else limits.get(condition.kind, condition.value)
    fields = {"station": station_id, "value": value, "unit": unit, "limit": limit, "time": time.isoformat()}
    return Bilingual(rule.message.en.format(**fields), rule.message.zh.format(**fields))


def _open(rule: AlertRule, station_id: str, signal: Signal, first: int, last: int, unit: str) -> Alert:
    opened = _datetime(signal.times[first])
    value = float(signal.value[first])
    alert_id = f"{rule.id}:{station_id}:{rule.parameter}:{opened.strftime('%Y%m%dT%H%MZ')}"
    return Alert(
        alert_id=alert_id,
        rule_id=rule.id,
        station_id=station_id,
        parameter=rule.parameter,
        severity=rule.severity,
        status="open",
        name=rule.name,
        message=_message(rule, station_id, value, unit, opened),
        opened_at=opened,
        last_firing_at=_datetime(signal.times[last]),
        value_at_open=value,
        peak_value=float(np.nanmax(signal.value[first : last + 1])),
        unit=unit,
    )


def _runs(state: NDArray[np.int8]) -> list[tuple[int, int, int]]:
    """``(state, first, last)`` of each run of equal states (indices into ``state``)."""
    if state.size == 0:
        return []
    starts = np.flatnonzero(np.diff(state)) + 1
    firsts = np.concatenate(([0], starts))
    lasts = np.concatenate((starts - 1, [state.size - 1]))
    return [(int(state[a]), int(a), int(b)) for a, b in zip(firsts, lasts, strict=True)]


def advance(
    rule: AlertRule, state: KeyState, active: Alert | None, signal: Signal, unit: str
) -> tuple[KeyState, list[AlertEvent], Alert | None]:
    """Walk the steps of ``signal`` after ``state.watermark``; return the new state, events, active alert."""
    station_id = state.key[1]
    known = signal.state != UNKNOWN
    if state.watermark is not None:
        known &= signal.times > np.datetime64(state.watermark.replace(tzinfo=None), "us")
    steps = np.flatnonzero(known)
    if steps.size == 0:
        return state, [], active
    events: list[AlertEvent] = []
    cooldown = dt.timedelta(hours=rule.cooldown_hours)
    clear_run, until, suppressed = state.clear_run, state.cooldown_until, state.suppressed
    for value, first, last in _runs(signal.state[steps]):
        indices = steps[first : last + 1]
        if value == FIRING:
            clear_run = 0
            if active is not None:
                peak = max(active.peak_value, float(np.nanmax(signal.value[indices])))
                last_time = _datetime(signal.times[indices[-1]])
                active = dataclasses.replace(active, peak_value=peak, last_firing_at=last_time)
                continue
            ready = indices[signal.run[indices] >= rule.persistence_periods]
            allowed = ready
            if until is not None:
                allowed = ready[signal.times[ready] >= np.datetime64(until.replace(tzinfo=None), "us")]
            if allowed.size:
                active = _open(rule, station_id, signal, int(allowed[0]), int(indices[-1]), unit)
                events.append(AlertEvent("opened", active, active.opened_at))
            elif ready.size:
                suppressed += 1
        elif active is not None:
            needed = rule.resolve_after_periods - clear_run
            if indices.size < needed:
                clear_run += int(indices.size)
                continue
            when = _datetime(signal.times[indices[needed - 1]])
            resolved = dataclasses.replace(active, status="resolved", resolved_at=when, resolution="auto")
            events.append(AlertEvent("auto_resolved", resolved, when))
            active, clear_run, until = None, 0, when + cooldown
    new_state = KeyState(
        key=state.key,
        watermark=_datetime(signal.times[steps[-1]]),
        clear_run=clear_run if active is not None else 0,
        cooldown_until=until,
        active_alert_id=active.alert_id if active is not None else None,
        suppressed=suppressed,
    )
    return new_state, events, active


def acknowledge(alert: Alert, by: str, at: dt.datetime, note: str = "") -> Alert:
    """``open -> acknowledged``; anything else raises :class:`MonitoringError`."""
    if alert.status != "open":
        raise MonitoringError(
            f"Alert {alert.alert_id} is {alert.status}; only an open alert can be acknowledged.",
            hint="list open alerts with `greenbri monitor alerts list --status open`.",
        )
    action = Action("acknowledged", by, at, note)
    return dataclasses.replace(alert, status="acknowledged", actions=(*alert.actions, action))


def resolve(
    alert: Alert, state: KeyState, by: str, at: dt.datetime, cooldown_hours: float, note: str = ""
) -> tuple[Alert, KeyState]:
    """``open|acknowledged -> resolved`` by hand; the cooldown runs from the key's watermark."""
    if alert.status == "resolved":
        raise MonitoringError(
            f"Alert {alert.alert_id} is already resolved.", hint="a resolved alert cannot change again."
        )
    when = state.watermark or alert.last_firing_at
    action = Action("resolved", by, at, note)
    resolved = dataclasses.replace(
        alert, status="resolved", resolved_at=when, resolution="manual", actions=(*alert.actions, action)
    )
    until = when + dt.timedelta(hours=cooldown_hours)
    return resolved, dataclasses.replace(state, active_alert_id=None, clear_run=0, cooldown_until=until)
