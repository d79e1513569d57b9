"""``greenbri monitor daily``: the store's published readings, locally and on Dask, one table."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.conftest import StoreFactory
from typer.testing import CliRunner

from greenbri.services.cli.main import app

with warnings.catch_warnings():
    # Starlette's TestClient warns once at import that it will move to httpx2; it works as it is.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

runner = CliRunner()
STATIONS = ("Dongsi", "Tiantan", "Huairou")


def _invoke(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture()
def ingested(data_dir: Path, shared_data: Path) -> Path:
    folder = shared_data / "air" / "beijing-multisite"
    files = [str(folder / f"PRSA_Data_{name}_20130301-20170228.csv.gz") for name in STATIONS]
    _invoke("monitor", "ingest", *files, "--format", "beijing", "--json")
    return data_dir


def test_daily_on_dask_equals_local_and_the_aqi_command(ingested: Path, tmp_path: Path) -> None:
    local = json.loads(_invoke("monitor", "daily", "--fallback-engine", "hj633-2012", "--json"))
    assert (local["stations"], local["partitions"], local["execution_engine"]) == (3, 1, "local")
    # the station-days of `monitor series` with any value (1,461 days per station, a few empty)
    series = json.loads(_invoke("monitor", "series", "--json"))
    units = series["units"]
    kept = {
        (row["station"], row["date"]) for row in series["days"] if any(row[key] is not None for key in units)
    }
    assert 4_300 < len(kept) < 3 * 1461
    assert {(row["station_id"], row["day"]) for row in local["days"]} == kept
    assert local["station_days"] == len(local["days"]) == len(kept)
    summary = json.loads(
        _invoke(
            "monitor",
            "daily",
            "--fallback-engine",
            "hj633-2012",
            "--engine",
            "dask",
            "--workers",
            "2",
            "--stations-per-partition",
            "1",
            "--output",
            str(tmp_path / "dask.parquet"),
            "--json",
        )
    )
    assert (summary["partitions"], summary["station_days"]) == (3, len(kept))
    _invoke(
        "monitor", "daily", "--fallback-engine", "hj633-2012", "--output", str(tmp_path / "local.parquet")
    )
    assert pq.read_table(tmp_path / "dask.parquet").equals(pq.read_table(tmp_path / "local.parquet"))

    # every station-day's AQI is the one `monitor aqi` reports (computed over all stations at once)
    aqi = json.loads(_invoke("monitor", "aqi", "--fallback-engine", "hj633-2012", "--json"))
    expected = {(row["station"], row["date"]): row["aqi"] for row in aqi["days"]}
    got = {
        (row["station_id"], row["day"]): None if row["aqi"] is None else int(row["aqi"])
        for row in local["days"]
    }
    assert got == {key: value for key, value in expected.items() if key in got}
    assert sum(value is not None for value in got.values()) > 3 * 1400


def test_daily_says_what_is_missing_or_wrong(data_dir: Path, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["monitor", "daily"])
    assert empty.exit_code != 0 and "no published readings" in empty.stderr
    assert "greenbri monitor ingest" in empty.stderr
    named = runner.invoke(app, ["monitor", "daily", "--output", str(tmp_path / "days.txt")])
    assert named.exit_code != 0 and "FILE.parquet or FILE.csv" in named.stderr
    assert not (tmp_path / "days.txt").exists()
    stray = runner.invoke(app, ["monitor", "daily", "--dataset-id", "my-days"])
    assert stray.exit_code != 0 and "add --publish" in stray.stderr


def test_publish_stores_the_table_as_a_layer_partners_read_through_ogc_api(
    ingested: Path, store_factory: StoreFactory
) -> None:
    first = json.loads(_invoke("monitor", "daily", "--fallback-engine", "hj633-2012", "--publish", "--json"))
    published = first["published"]
    assert (published["dataset_id"], published["version"], published["created"]) == (
        "air-quality-daily-cn",
        1,
        True,
    )
    assert published["unplaced_rows"] == 0
    again = json.loads(_invoke("monitor", "daily", "--fallback-engine", "hj633-2012", "--publish", "--json"))
    assert (again["published"]["version"], again["published"]["created"]) == (1, False)  # same readings
    us = ["--standard", "us", "--fallback-engine", "us-epa-2015"]
    other = json.loads(_invoke("monitor", "daily", "--publish", *us, "--json"))
    assert other["published"]["dataset_id"] == "air-quality-daily-us"

    layer = store_factory.open(ingested).read("air-quality-daily-cn")
    assert len(layer) == first["station_days"]
    assert set(layer["name_en"]) == set(STATIONS)
    dongsi = layer[(layer["name_en"] == "Dongsi") & (layer["day"].astype(str) == "2015-11-28")]
    assert len(dongsi) == 1 and dongsi.iloc[0]["aqi"] == 345  # severe; see tests/monitoring/alerts
    assert (dongsi.iloc[0]["category_en"], dongsi.iloc[0]["category_zh"]) == ("Severely Polluted", "严重污染")
    no_data = layer[layer["category"] == -1]  # days with some values but too few hours for an AQI
    assert len(no_data) > 0 and no_data["aqi"].isna().all()
    assert set(no_data["category_zh"]) == {"无数据"} and set(no_data["category_en"]) == {"NO DATA"}
    assert (dongsi.iloc[0].geometry.x, dongsi.iloc[0].geometry.y) == (116.4174, 39.9289)

    from greenbri.config import load_settings
    from greenbri.services.api import create_app

    with TestClient(create_app(load_settings())) as client:
        items = client.get(
            "/collections/air-quality-daily-cn/items", params={"datetime": "2015-11-28", "limit": 10}
        )
    assert items.status_code == 200, items.text
    features = items.json()["features"]
    assert sorted(feature["properties"]["name_en"] for feature in features) == sorted(STATIONS)
    assert {feature["properties"]["day"] for feature in features} == {"2015-11-28"}


def test_publish_refuses_readings_outside_the_store(ingested: Path) -> None:
    result = runner.invoke(app, ["monitor", "daily", "--publish", "--readings", str(ingested / "x.parquet")])
    assert result.exit_code != 0 and "--publish needs the store's own readings" in result.stderr
