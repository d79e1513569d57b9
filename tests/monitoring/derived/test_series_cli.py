"""``greenbri monitor series|aqi|exceedances|stats|water`` through Typer's CliRunner, with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def _json(arguments: list[str]) -> dict:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_aqi_and_exceedances(beijing: tuple[str, pd.DataFrame], data_dir: Path) -> None:
    common = ["--readings", beijing[0], "--station", "bj-dongsi"]
    aqi = _json(["monitor", "aqi", *common, "--fallback-engine", "hj633-2012", "--json"])
    assert aqi["engines"] == ["hj633-2012"] and len(aqi["days"]) == 1461
    assert aqi["days"][0]["station"] == "bj-dongsi" and aqi["days"][0]["category_zh"]
    report = _json(
        ["monitor", "exceedances", *common, "--standard", "cn-gb3095-2012", "--level", "grade_2", "--json"]
    )
    pm25 = [r for r in report["exceedances"] if r["pollutant"] == "pm25" and r["averaging"] == "24h"]
    assert [r["year"] for r in pm25] == [2013, 2014, 2015, 2016, 2017]
    reasons = {(r["pollutant"], r["averaging"]): r["reason"] for r in report["not_compared"]}
    assert reasons[("pm25", "year")] == "greenbri forms no daily year series to compare with"
    assert reasons[("tsp", "24h")] == "no tsp data under the cn rules"
    stats = _json(["monitor", "stats", "pm25_24h", *common, "--json"])
    assert stats["rows"][0]["group"] == "bj-dongsi" and stats["rows"][0]["valid_station_days"] > 250
    series = _json(["monitor", "series", *common, "--rules", "us", "--json"])
    assert series["units"]["o3_8h"] == "ppm"


@pytest.mark.slow
def test_water_and_errors(shared_data: Path, data_dir: Path) -> None:
    report = _json(
        ["monitor", "water", str(shared_data / "water" / "india_water_quality_2003-2014.csv"), "--json"]
    )
    assert report["records"][0]["overall"]["zh"] == "II类"
    missing = runner.invoke(app, ["monitor", "aqi", "--readings", str(data_dir / "none" / "*.parquet")])
    assert missing.exit_code == 2


def test_the_commands_read_only_published_readings(data_dir: Path, shared_data: Path) -> None:
    from greenbri.adapters.monitoring.store import ReadingsStore
    from greenbri.usecases.monitoring.ingest import ingest_files

    store = ReadingsStore(data_dir)
    ingest_files(store, [shared_data / "air" / "cnemc" / "2022-01-15T08.csv"], format_name="cnemc")
    before = _json(["monitor", "series", "--json"])
    # what a writer killed before the ledger leaves: a readings file no batch names
    published = store.files()[0]
    leftover = published.with_name("killed-writer.parquet")
    leftover.write_bytes(published.read_bytes())
    after = _json(["monitor", "series", "--json"])
    assert after == before
    assert any(row["pm25_24h_valid"] for row in before["days"])
