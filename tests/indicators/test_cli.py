"""``greenbri indicators|profile|targets|index`` through Typer's CliRunner, with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.services.cli.main import app

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture()
def ingested_env(indicator_store: IndicatorStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREENBRI_DATA_DIR", str(indicator_store.root.parent))


def run(*arguments: str) -> object:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_then_unchanged(data_dir: Path, indicator_folder: Path) -> None:
    path = str(indicator_folder / "terrestrial-protected-areas.csv")
    first = run("indicators", "ingest", path, "--json")
    second = run("indicators", "ingest", path, "--json")
    assert first[0]["status"] == "ingested" and second[0]["status"] == "unchanged"


def test_ingest_error_exit_code(data_dir: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", "utf-8")
    result = runner.invoke(app, ["indicators", "ingest", str(odd)])
    assert result.exit_code != 0 and "odd.csv" in result.output


def test_list_show_targets_profile_index(ingested_env: None) -> None:
    rows = run("indicators", "list", "--json")
    assert {row["id"]: row["countries"] for row in rows}["cn_rail_freight_share"] == 0
    detail = run("indicators", "show", "pm25_exposure", "--country", "PAK", "--json")
    assert detail["series"] and detail["sdg"] == "11.6.2"
    targets = run("targets", "list", "--json")
    assert len(targets) == 12
    evaluated = {row["target"]: row for row in run("targets", "evaluate", "--json")}
    assert evaluated["beautiful_china_waste_free_2027"]["status"] == "insufficient_data"
    assert evaluated["beautiful_china_pm25_2027"]["measured_by"] == "proxy"
    profile = run("profile", "PAK", "--json", "--lang", "zh")
    assert profile["country"]["iso3"] == "PAK"
    index = run("index", "compute", "--json", "--draws", "5")
    scored = [row for row in index["countries"] if row["score"] is not None]
    assert scored[0]["rank"] == 1 and len(index["sensitivity"]["scenarios"]) == 1 + 7 + 5
