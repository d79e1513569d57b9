"""``greenbri monitor alerts``: rules, evaluate, list, ack, resolve with --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from greenbri.services.cli.main import app

from .conftest import ReadingsLoader

runner = CliRunner()


def invoke(*arguments: str) -> object:
    result = runner.invoke(app, ["monitor", "alerts", *arguments])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_alert_commands(data_dir: Path, beijing_readings: ReadingsLoader, tmp_path: Path) -> None:
    folder = tmp_path / "readings"
    folder.mkdir()
    beijing_readings("Dongsi", "2015-11-25", "2015-12-02", ("pm25", "pm10")).to_parquet(
        folder / "dongsi.parquet"
    )
    rules = invoke("rules", "--json")
    assert any(rule["id"] == "aqi-24h-severely-polluted" for rule in rules)  # type: ignore[union-attr]

    report = invoke("evaluate", "--readings", str(folder / "*.parquet"), "--json")
    assert report["evaluated"] > 0 and report["events"]  # type: ignore[index]
    again = invoke("evaluate", "--readings", str(folder / "*.parquet"), "--json")
    assert again["events"] == []  # type: ignore[index]

    open_alerts = invoke("list", "--status", "open", "--json")
    assert open_alerts
    alert_id = open_alerts[0]["alert_id"]  # type: ignore[index]
    acknowledged = invoke("ack", alert_id, "--by", "duty officer", "--note", "checking", "--json")
    assert acknowledged["status"] == "acknowledged"  # type: ignore[index]
    resolved = invoke("resolve", alert_id, "--by", "duty officer", "--json")
    assert resolved["status"] == "resolved"  # type: ignore[index]

    failed = runner.invoke(app, ["monitor", "alerts", "ack", alert_id, "--by", "x"])
    assert failed.exit_code == 8 and "only an open alert" in failed.output
    missing = runner.invoke(
        app, ["monitor", "alerts", "evaluate", "--readings", str(tmp_path / "none/*.parquet")]
    )
    assert missing.exit_code == 8
