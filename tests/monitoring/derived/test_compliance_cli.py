"""``greenbri monitor compliance`` through Typer's CliRunner: --json, the bilingual table, bad input."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def test_compliance_json_and_table(beijing: tuple[str, pd.DataFrame]) -> None:
    common = ["monitor", "compliance", "--readings", beijing[0], "--station", "bj-dongsi"]
    common += ["--reference-conditions", "cn-gb3095-2012"]
    result = runner.invoke(app, [*common, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["assessments"] == [
        "cn-gb3095-2012:grade_2",
        "cn-gb3095-2026:grade_2@transition",
        "who-aqg-2021:AQG",
    ]
    verdicts = {(v["assessment"], v["year"]): v["verdict"] for v in report["verdicts"]}
    assert verdicts[("cn-gb3095-2012:grade_2", 2015)] == "exceeds"
    assert verdicts[("cn-gb3095-2012:grade_2", 2016)] == "insufficient"  # July 2016: 24 valid PM2.5 days
    assert report["summary"] == {"exceeds": 6, "insufficient": 9}
    reasons = {(r["pollutant"], r["averaging"]): r["reason"] for r in report["not_assessed"]}
    assert "hourly assessment" in reasons[("so2", "1h")]
    us = runner.invoke(app, [*common, "--standard", "us-naaqs:primary", "--year", "2016", "--json"])
    assert us.exit_code == 0, us.output
    pm25 = next(
        r for r in json.loads(us.stdout)["rows"] if (r["pollutant"], r["averaging"]) == ("pm25", "year")
    )
    assert pm25["years_averaged"] == 3 and pm25["status"] == "exceeds" and pm25["unit"] == "ug/m3"
    assert json.loads(us.stdout)["summary"] == {"exceeds": 1}  # --year filters the verdicts and the summary
    table = runner.invoke(app, [*common, "--year", "2016"], env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert (
        "年度达标评价" in table.stdout and "数据不足" in table.stdout and "2016-07: 24 of 27" in table.stdout
    )


def test_compliance_refuses_an_unknown_standard_or_level(beijing: tuple[str, pd.DataFrame]) -> None:
    common = ["monitor", "compliance", "--readings", beijing[0], "--station", "bj-dongsi"]
    unknown = runner.invoke(app, [*common, "--standard", "eu-2008-50"])
    assert unknown.exit_code == 2 and "no annual assessment rules" in unknown.output
    level = runner.invoke(app, [*common, "--standard", "who-aqg-2021:IT-9"])
    assert level.exit_code == 2 and "AQG" in level.output
