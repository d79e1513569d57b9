"""The Holt-Winters forecast on a small real slice, compared with the naive baselines (not asserted to win)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.usecases.monitoring.alerts import evaluate_alerts, load_alert_rules
from greenbri.usecases.monitoring.forecast import evaluate_forecasts, forecast_next_hours

from .conftest import ReadingsLoader, raw_beijing


def test_skill_is_reported_against_both_baselines(shared_data: Path) -> None:
    raw = raw_beijing(shared_data, "Dongsi")
    values = raw["PM2.5"].to_numpy(dtype=np.float64)
    start = int(np.flatnonzero(raw["local_time"] == "2016-12-01 00:00")[0])
    origins = range(start, start + 8 * 24, 24)  # eight local midnights, 2016-12-01 .. 08
    skill = evaluate_forecasts([values], [origins], history_days=14)
    assert skill.origins == 8 and skill.hours_compared > 100
    for method in ("holt_winters", "seasonal_naive", "persistence"):
        assert skill.scores[method]["mae"] > 0 and skill.scores[method]["rmse"] >= skill.scores[method]["mae"]
    assert skill.skill_vs_seasonal_naive is not None and math.isfinite(skill.skill_vs_seasonal_naive)
    assert skill.skill_vs_persistence is not None and math.isfinite(skill.skill_vs_persistence)
    assert set(skill.to_dict()) >= {"skill_vs_seasonal_naive", "skill_vs_persistence", "scores"}


def test_too_many_missing_hours_give_no_forecast() -> None:
    history = np.full(14 * 24, np.nan)
    history[:24] = 50.0
    assert np.isnan(forecast_next_hours(history).values).all()


def test_forecast_rule_fires_during_a_real_episode(beijing_readings: ReadingsLoader, tmp_path: Path) -> None:
    """Dongsi, data up to 2015-12-01 08:00 local, PM2.5 above 400 ug/m3 for two days."""
    rule = next(rule for rule in load_alert_rules() if rule.id == "pm25-24h-forecast-gb3095-grade2")
    history = AlertHistory(tmp_path)
    report = evaluate_alerts(beijing_readings("Dongsi", "2015-11-02", "2015-12-01 09:00"), [rule], history)
    (event,) = report.events
    assert event["opened_at"] == "2015-12-01T00:00:00+00:00" and event["value_at_open"] > 75
