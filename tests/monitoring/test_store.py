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


def test_a_large_batch_in_one_year_is_written_as_parts(
    data_dir: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from greenbri.adapters.monitoring import store_files

    monkeypatch.setattr(store_files, "SPLIT_ROWS", 1000)
    monkeypatch.setattr(store_files, "_ROW_GROUP_SIZE", 1024)
    monkeypatch.setattr(store_module, "WRITERS", 2)
    store = ReadingsStore(data_dir)
    report = ingest_files(store, [_cnemc(shared_data)], format_name="cnemc")
    batch = report.files[0].batch_id
    files = sorted(path.name for path in (store.root / "readings").rglob("*.parquet"))
    assert files == [f"{batch}-0.parquet", f"{batch}-1.parquet"]
    assert sorted(Path(name).name for name in store.batches()[0]["files"]["readings"]) == files
    with store.connect() as connection:
        assert connection.execute("SELECT count(*) FROM readings").fetchone() == (1719 * 13,)
        distinct = (
            "SELECT count(*) FROM (SELECT DISTINCT station_id, parameter, averaging, time_utc FROM readings)"
        )
        assert connection.execute(distinct).fetchone() == (1719 * 13,)
    again = ingest_files(store, [_cnemc(shared_data)], format_name="cnemc")
    assert not again.files[0].created


def test_integer_key_matching_agrees_with_the_sql_join(tmp_path: Path) -> None:
    """Incoming readings with repeated keys, plain and dictionary strings, missing values, another
    unit and stored stations the input lacks: the numpy matcher finds what the SQL join finds."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    from greenbri.adapters.monitoring.batch import READING_SCHEMA
    from greenbri.adapters.monitoring.reconcile import _stored_matches
    from greenbri.adapters.monitoring.reconcile_keys import stored_matches_by_keys
    from greenbri.adapters.monitoring.store_files import write_parquet

    rng = np.random.default_rng(7)

    def readings(count: int, stations: list[str], batch: str | None) -> pa.Table:
        values = np.round(rng.integers(0, 4, count).astype(float), 1)
        values[rng.random(count) < 0.2] = np.nan
        times = np.datetime64("2021-12-31T20:00", "us") + rng.integers(0, 12, count) * np.timedelta64(1, "h")
        return pa.table(
            {
                "station_id": pa.array(rng.choice(stations, count)).dictionary_encode(),
                "parameter": pa.array(rng.choice(["pm25", "o3"], count)),
                "time_utc": pa.array(times).cast(pa.timestamp("us", tz="UTC")),
                "source_timezone": pa.array(["UTC"] * count),
                "averaging": pa.array(rng.choice(["1h", "24h"], count)),
                "value": pa.array(values, from_pandas=True),
                "unit": pa.array(rng.choice(["ug/m3", "ppb"], count, p=[0.9, 0.1])),
                "qa_flags": pa.array(np.zeros(count, np.int32)),
                "batch_id": pa.array([batch] * count, pa.string()),
            },
            schema=READING_SCHEMA,
        )

    files = []
    for number, year in enumerate((2021, 2022)):
        stored = readings(300, ["a", "b", "z"], f"batch-{number}")
        keys = stored.select(["station_id", "parameter", "averaging", "time_utc"]).to_pylist()
        first = {str(sorted(key.items())): index for index, key in reversed(list(enumerate(keys)))}
        stored = stored.take(pa.array(sorted(first.values())))  # a store holds each key once
        path = tmp_path / "readings" / f"year={year}" / f"batch-{number}.parquet"
        path.parent.mkdir(parents=True)
        write_parquet(stored, path)
        files.append(path)
    repeated = readings(500, ["b", "a", "c"], None)
    keys = repeated.select(["station_id", "parameter", "averaging", "time_utc"]).to_pylist()
    unique = {str(sorted(key.items())): index for index, key in enumerate(keys)}
    for incoming in (repeated, repeated.take(pa.array(sorted(unique.values())))):
        count = incoming.num_rows
        incoming = incoming.append_column("source_row", pa.array(np.arange(count) + 2))
        matches = stored_matches_by_keys(incoming, files)
        assert matches is not None
        connection = duckdb.connect()
        connection.register("incoming", incoming.append_column("_index", pa.array(np.arange(count))))
        expected = _stored_matches(connection, incoming, files)
        assert len(expected) > 50
        assert sorted(zip(matches.index.tolist(), matches.same.tolist(), strict=True)) == sorted(
            zip(expected.column("_index").to_pylist(), expected.column("same").to_pylist(), strict=True)
        )
        wrong = expected.filter(pa.compute.invert(expected.column("same")))
        order = [("_index", "ascending"), ("batch_id", "ascending")]
        assert (
            matches.conflicts.sort_by(order).to_pylist()
            == wrong.select(["_index", "stored_value", "stored_unit", "batch_id"]).sort_by(order).to_pylist()
        )


def test_overlap_found_by_the_sql_join_when_keys_do_not_fit_an_int64(
    data_dir: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from greenbri.adapters.monitoring import reconcile as reconcile_module

    source = _cnemc(shared_data)
    store = ReadingsStore(data_dir)
    ingest_files(store, [source], format_name="cnemc")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = tmp_path / source.name
    changed.write_text("".join(lines) + "\n", encoding="utf-8")  # other bytes, the same readings
    outcomes = []
    for fits in (True, False):
        if not fits:
            monkeypatch.setattr(reconcile_module, "stored_matches_by_keys", lambda *args: None)
        other = ReadingsStore(tmp_path / f"store-{fits}")
        ingest_files(other, [source], format_name="cnemc")
        report = ingest_files(other, [changed], format_name="cnemc")
        outcomes.append(report.files[0].counts)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0]["readings_skipped_existing"] == 1719 * 13
    assert outcomes[0]["readings_stored"] == 0


def test_the_same_bytes_under_another_name_are_a_no_op(
    data_dir: Path, shared_data: Path, tmp_path: Path
) -> None:
    """A name the ledger does not know is hashed while it is parsed; known bytes still store nothing."""
    store = ReadingsStore(data_dir)
    first = ingest_files(store, [_cnemc(shared_data)], format_name="cnemc").files[0]
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(_cnemc(shared_data).read_bytes())
    files_before = sorted(store.root.rglob("*.parquet"))
    again = ingest_files(store, [renamed], format_name="cnemc").files[0]
    assert (again.created, again.batch_id) == (False, first.batch_id)
    assert sorted(store.root.rglob("*.parquet")) == files_before
    assert len(store.batches()) == 1
