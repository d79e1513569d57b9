"""ReadingsStore: atomic publication (a writer killed before the ledger leaves nothing visible), the
shared single-writer lock, the views, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.adapters.monitoring import store as store_module
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.errors import StoreLockedError
from greenbri.core.monitoring.readings import READING_COLUMNS
from greenbri.services.cli.main import app
from greenbri.usecases.monitoring.ingest import ingest_files


def _cnemc(shared_data: Path) -> Path:
    return shared_data / "air" / "cnemc" / "2022-01-15T08.csv"


def test_a_writer_killed_before_the_ledger_leaves_nothing_visible(
    data_dir: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReadingsStore(data_dir)

    def killed(path: Path, data: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "write_json_atomic", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest_files(store, [_cnemc(shared_data)], format_name="cnemc")
    assert list((store.root / "readings").rglob("*.parquet"))  # renamed into place, but unpublished
    with store.connect() as connection:
        assert connection.execute("SELECT count(*) FROM readings").fetchone() == (0,)
    monkeypatch.undo()
    report = ingest_files(store, [_cnemc(shared_data)], format_name="cnemc")
    assert report.files[0].created
    assert len(list((store.root / "readings").rglob("*.parquet"))) == 1
    with store.connect() as connection:
        assert connection.execute("SELECT count(*) FROM readings").fetchone() == (1719 * 13,)
        assert [row[0] for row in connection.execute("DESCRIBE readings").fetchall()] == list(READING_COLUMNS)


def test_the_write_lock_is_shared_with_the_dataset_store(data_dir: Path, shared_data: Path) -> None:
    store = ReadingsStore(data_dir, lock_timeout_s=0.1)
    with (
        write_lock(data_dir / ".write.lock", timeout_s=1),
        pytest.raises(StoreLockedError, match="another process"),
    ):
        ingest_files(store, [_cnemc(shared_data)], format_name="cnemc")
    assert store.batches() == []


def test_cli_ingest_stations_and_errors(data_dir: Path, shared_data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["monitor", "ingest", str(_cnemc(shared_data)), "--format", "cnemc", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["totals"]["stations_added"] == 1719 and report["files"][0]["created"] is True
    result = runner.invoke(app, ["monitor", "stations", "--country", "CHN", "--json"])
    stations = json.loads(result.stdout)
    assert (
        len(stations) == 1719
        and stations[0]["station_id"] == "cnemc-1001A"
        and stations[0]["name_zh"] == "万寿西宫"
    )
    naive = tmp_path / "naive.csv"
    naive.write_text("time,site,pm25\n2021-05-01T00:00,A,10\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "monitor",
            "ingest",
            str(naive),
            "--time-column",
            "time",
            "--station-column",
            "site",
            "--column",
            "pm25=pm25",
            "--unit",
            "pm25=ug/m3",
        ],
    )
    assert result.exit_code == 2 and "no time zone" in result.stderr
    result = runner.invoke(
        app,
        [
            "monitor",
            "ingest",
            str(naive),
            "--time-column",
            "time",
            "--timezone",
            "+08:00",
            "--station-column",
            "site",
            "--column",
            "pm25=pm25",
            "--unit",
            "pm25=ug/m3",
        ],
    )
    assert result.exit_code == 0 and "stored" in result.stdout
