"""``greenbri standards``: listing by date, showing limits, the strictest-of comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def run(*arguments: str) -> tuple[int, object, str]:
    result = runner.invoke(app, ["standards", *arguments, "--json"])
    return result.exit_code, (json.loads(result.stdout) if result.exit_code == 0 else None), result.stderr


def test_list_by_date_switches_from_gb3095_2012_to_2026(data_dir: Path) -> None:
    before = run("list", "--date", "2026-02-28", "--jurisdiction", "CHN")[1]
    after = run("list", "--date", "2026-03-01", "--jurisdiction", "CHN")[1]
    assert isinstance(before, list) and isinstance(after, list)
    assert {row["id"] for row in before} == {"cn-gb13223-2011", "cn-gb3095-2012", "cn-gb3838-2002"}
    assert {row["id"] for row in after} == {"cn-gb13223-2011", "cn-gb3095-2026", "cn-gb3838-2002"}


def test_show_gives_each_limit_with_its_clause(data_dir: Path) -> None:
    code, detail, _ = run("show", "cn-gb3095-2012")
    assert code == 0 and isinstance(detail, dict)
    # GB 3095-2012 Table 1: PM2.5 24-hour mean, grade II, 75 ug/m3
    rows = [
        limit
        for limit in detail["limits"]
        if limit["pollutant"] == "pm25" and limit["averaging"] == "24h" and limit["level"] == "grade_2"
    ]
    assert [row["value"] for row in rows] == [75.0]
    assert "Table 1" in rows[0]["source"]


def test_compare_names_the_binding_limit_and_checks_a_value(data_dir: Path) -> None:
    code, result, _ = run(
        "compare", "--pollutant", "pm25", "--averaging", "year", "--date", "2026-06-01",
        "--jurisdiction", "CHN", "--jurisdiction", "USA", "--level", "grade_2", "--level", "primary",
        "--value", "28", "--unit", "ug/m3",
    )  # fmt: skip
    assert code == 0 and isinstance(result, dict)
    by_standard = {row["standard"]: row for row in result["limits"]}
    # GB 3095-2026 transition phase (2026-03-01..2030-12-31): PM2.5 annual grade II 30 ug/m3;
    # NAAQS primary annual PM2.5 9.0 ug/m3 from 2024-05-06 (89 FR 16202).
    assert by_standard["cn-gb3095-2026"]["value"] == 30.0
    assert by_standard["cn-gb3095-2026"]["status"] == "meets"
    assert by_standard["us-naaqs"]["value"] == 9.0
    assert result["strictest"]["standard"] == "us-naaqs"
    assert result["strictest"]["status"] == "exceeds"


def test_a_deployment_adds_a_standard_as_a_file(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = run("show", "who-aqg-2021")[1]
    assert isinstance(bundled, dict)
    local = {**bundled, "id": "xx-local-2025", "jurisdiction": "KAZ", "document_number": "Local 1/2025"}
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "local.json").write_text(json.dumps(local), encoding="utf-8")
    monkeypatch.setenv("GREENBRI_STANDARDS_DIR", str(tmp_path / "standards"))
    listed = run("list", "--jurisdiction", "KAZ")[1]
    assert isinstance(listed, list) and [row["id"] for row in listed] == ["xx-local-2025"]
