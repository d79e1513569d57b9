"""The alert lifecycle on hand-made signals: open, persistence, auto-resolve, cooldown, ack/resolve."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import MonitoringError
from greenbri.core.monitoring.alert_rules import AlertRule, Condition, RuleSource
from greenbri.core.monitoring.alerts import KeyState, acknowledge, advance, condition_signal, resolve

START = np.datetime64("2024-01-01T00:00", "us")
NOW = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
RULE = AlertRule(
    id="above-100",
    name=Bilingual("above 100", "高于100"),
    message=Bilingual("{station} {value:g} {unit} > {limit:g}", "{station} {value:g} {unit} > {limit:g}"),
    severity="warning",
    condition=Condition(
        "threshold", parameter="pm25", averaging="1h", operator=">", value=100.0, unit="ug/m3"
    ),
    persistence_periods=2,
    resolve_after_periods=2,
    cooldown_hours=3,
    source=RuleSource("greenbri default", greenbri_default=True),
)
KEY = ("above-100", "s1", "pm25")


def run(values: list[float], rule: AlertRule = RULE, state: KeyState | None = None):  # type: ignore[no-untyped-def]
    times = START + np.arange(len(values)) * np.timedelta64(1, "h")
    signal = condition_signal(rule.condition, times, np.array(values, dtype=np.float64))
    return advance(rule, state or KeyState(KEY), None, signal, "ug/m3")


def hour(index: int) -> dt.datetime:
    return dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=index)


def test_opens_after_persistence_and_resolves_after_clear_hours() -> None:
    state, events, active = run([50, 120, 130, 90, 140, 80, 70, 60])
    assert [(event.kind, event.data_time) for event in events] == [
        ("opened", hour(2)),  # 2 consecutive hours above 100
        ("auto_resolved", hour(6)),  # the one clear hour at 3 does not resolve; 5 and 6 do
    ]
    assert events[1].alert.peak_value == 140.0 and active is None
    assert events[0].alert.message.en == "s1 130 ug/m3 > 100"
    assert state.cooldown_until == hour(9) and state.watermark == hour(7)


def test_missing_hours_neither_resolve_nor_extend() -> None:
    nan = float("nan")
    _, events, _active = run([120, 130, nan, nan, nan, 90, nan, 95])
    assert [event.kind for event in events] == ["opened", "auto_resolved"]
    assert events[1].data_time == hour(7)


def test_cooldown_suppresses_a_short_episode_then_allows_the_next() -> None:
    values = [120, 130, 50, 50, 120, 130, 50, 50, 50, 50, 120, 130]
    state, events, _ = run(values)
    opened = [event.data_time for event in events if event.kind == "opened"]
    assert opened == [hour(1), hour(11)]  # the episode at 4-5 falls in the cooldown until hour 6
    assert state.suppressed == 1


def test_re_evaluation_from_the_watermark_is_idempotent() -> None:
    state, events, active = run([120, 130, 140])
    again, more, _ = advance(
        RULE,
        state,
        active,
        condition_signal(
            RULE.condition, START + np.arange(3) * np.timedelta64(1, "h"), np.array([120.0, 130, 140])
        ),
        "ug/m3",
    )
    assert len(events) == 1 and more == [] and again == state


def test_acknowledge_and_resolve_transitions() -> None:
    state, _events, active = run([120, 130, 140])
    assert active is not None
    acknowledged = acknowledge(active, "duty officer", NOW, "calling the site")
    assert acknowledged.status == "acknowledged" and acknowledged.actions[0].by == "duty officer"
    with pytest.raises(MonitoringError, match="only an open alert"):
        acknowledge(acknowledged, "someone", NOW)
    resolved, key_state = resolve(acknowledged, state, "duty officer", NOW, 3, "fixed")
    assert resolved.status == "resolved" and resolved.resolution == "manual"
    assert resolved.resolved_at == hour(2) and key_state.cooldown_until == hour(5)
    assert key_state.active_alert_id is None
    with pytest.raises(MonitoringError, match="already resolved"):
        resolve(resolved, key_state, "someone", NOW, 3)
    with pytest.raises(MonitoringError):
        acknowledge(resolved, "someone", NOW)


def test_rate_of_rise_and_station_down_signals() -> None:
    rise = dataclasses.replace(RULE.condition, kind="rate_of_rise", value=100.0, window_periods=3)
    times = START + np.arange(6) * np.timedelta64(1, "h")
    signal = condition_signal(rise, times, np.array([10.0, 20, 30, 110, 200, 210]))
    assert signal.state.tolist() == [-1, -1, -1, 1, 1, 1] and signal.value[4] == 180.0
    down = dataclasses.replace(RULE.condition, kind="station_down", silent_periods=2)
    nan = float("nan")
    signal = condition_signal(down, times, np.array([1.0, nan, nan, nan, 2, nan]))
    assert signal.state.tolist() == [0, 0, 1, 1, 0, 0] and signal.value[3] == 3.0


def test_the_day_offset_accepts_every_time_zone_label_ingest_accepts() -> None:
    import datetime as dt

    from greenbri.usecases.monitoring.alert_series import standard_offset

    summer = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    labels = {"+08:00": 8.0, "UTC+8": 8.0, "+0800": 8.0, "Z": 0.0, "Asia/Shanghai": 8.0, "Europe/Berlin": 1.0}
    assert {label: standard_offset(label, summer) for label in labels} == labels
