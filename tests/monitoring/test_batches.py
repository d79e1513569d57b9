"""Batches of the readings store: a missing reading does not block the true value, and a batch can be
listed, shown and removed (exactly its readings, atomically, audit-logged) from the CLI and the API.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from greenbri.adapters.monitoring import reconcile as reconcile_module
from greenbri.adapters.monitoring import store as store_module
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.tabular import TableMapping
from greenbri.core.errors import BatchNotFoundError
from greenbri.services.api.audit import AuditLog
from greenbri.services.cli.main import app
from greenbri.usecases.monitoring.batches import remove_batch
from greenbri.usecases.monitoring.ingest import ingest_files

MAPPING = TableMapping(
    source="table",
    timezone="+08:00",
    time_column="time",
    station_column="site",
    parameters={"pm25": "pm25"},
    units={"pm25": "ug/m3"},
)
CLI_OPTIONS = ["--time-column", "time", "--timezone", "+08:00", "--station-column", "site"]
CLI_OPTIONS += ["--column", "pm25=pm25", "--unit", "pm25=ug/m3"]


def _file(directory: Path, name: str, values: list[str]) -> Path:
    lines = ["time,site,pm25", *(f"2021-05-01T{hour:02d}:00,A,{value}" for hour, value in enumerate(values))]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values(store: ReadingsStore) -> list[tuple[str, float | None, str]]:
    with store.connect() as connection:
        rows = connection.execute(
            "SELECT strftime(time_utc AT TIME ZONE 'UTC', '%H'), value, batch_id FROM readings ORDER BY 1"
        ).fetchall()
    return [(hour, value, batch) for hour, value, batch in rows]


def _named(store: ReadingsStore) -> list[str]:
    """The readings files the ledger names, and the ones on disk (the same when nothing is left over)."""
    return sorted(name for entry in store.batches() for name in entry["files"].get("readings", []))


def _ingest(store: ReadingsStore, path: Path) -> str:
    report = ingest_files(store, [path], format_name="table", mapping=MAPPING)
    return report.files[0].batch_id


@pytest.mark.parametrize("matcher", ["integer keys", "sql join"])
def test_a_real_value_supersedes_a_stored_missing_one(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, matcher: str
) -> None:
    if matcher == "sql join":  # the path taken when the keys do not fit an int64
        monkeypatch.setattr(reconcile_module, "stored_matches_by_keys", lambda *args: None)
    store = ReadingsStore(data_dir)
    bad = _ingest(store, _file(tmp_path, "bad.csv", ["", "12", ""]))
    report = ingest_files(
        store, [_file(tmp_path, "good.csv", ["10", "12", "14"])], format_name="table", mapping=MAPPING
    )
    good = report.files[0]
    # Before: the two missing readings blocked 10 and 14 ("conflict", nothing stored).
    assert good.counts["readings_rejected_conflict"] == 0
    assert good.counts["readings_superseding"] == 2 and good.counts["readings_stored"] == 2
    assert good.counts["readings_skipped_existing"] == 1
    assert [(m.outcome, "bad.csv" in m.message) for m in good.messages] == [("superseded", True)]
    assert _values(store) == [("16", 10.0, good.batch_id), ("17", 12.0, bad), ("18", 14.0, good.batch_id)]
    entry = next(entry for entry in store.batches() if entry["id"] == bad)
    assert entry["superseded"] == [{"by": good.batch_id, "readings": 2}]
    # Only the files the ledger names are on disk (the rewritten one replaced the original).
    on_disk = sorted(
        path.relative_to(store.root).as_posix() for path in store.root.glob("readings/*/*.parquet")
    )
    assert on_disk == _named(store)
    # A missing value arriving later adds nothing and conflicts with nothing.
    late = ingest_files(
        store, [_file(tmp_path, "late.csv", ["", "", ""])], format_name="table", mapping=MAPPING
    )
    assert late.files[0].counts["readings_skipped_existing"] == 3
    assert late.files[0].counts["readings_rejected_conflict"] == 0


def test_a_conflict_names_the_batch_and_file_that_hold_the_other_value(
    data_dir: Path, tmp_path: Path
) -> None:
    store = ReadingsStore(data_dir)
    first = _ingest(store, _file(tmp_path, "first.csv", ["10"]))
    report = ingest_files(
        store, [_file(tmp_path, "second.csv", ["11"])], format_name="table", mapping=MAPPING
    )
    (message,) = report.files[0].messages
    assert message.outcome == "rejected"
    assert f"batch {first}, file first.csv" in message.message
    assert "greenbri monitor batches remove that batch" in message.message


def test_removing_a_batch_removes_exactly_its_readings_and_lets_a_corrected_file_in(
    data_dir: Path, tmp_path: Path
) -> None:
    store = ReadingsStore(data_dir)
    other = _ingest(store, _file(tmp_path, "other.csv", ["", "", "", "7"]))
    wrong = _ingest(store, _file(tmp_path, "wrong.csv", ["99", "99", "99"]))
    assert [value for _, value, _ in _values(store)] == [99.0, 99.0, 99.0, 7.0]
    audit = AuditLog(data_dir / "audit")
    removed = remove_batch(store, wrong, actor={"user": "tester"}, audit=audit.record)
    assert removed["readings_removed"] == 3 and removed["input_name"] == "wrong.csv"
    assert _values(store) == [("19", 7.0, other)]  # the superseded missing readings stay gone
    (line,) = audit.entries()
    assert line["user"] == "tester" and line["resource"] == f"monitoring-batch:{wrong}"
    assert line["readings_removed"] == 3 and line["input_name"] == "wrong.csv" and "time" in line
    corrected = ingest_files(
        store, [_file(tmp_path, "corrected.csv", ["10", "11", "12"])], format_name="table", mapping=MAPPING
    )
    assert corrected.files[0].counts["readings_stored"] == 3
    assert [value for _, value, _ in _values(store)] == [10.0, 11.0, 12.0, 7.0]
    # The same wrong file can come back too (its earlier batch no longer counts as stored).
    again = ingest_files(store, [tmp_path / "wrong.csv"], format_name="table", mapping=MAPPING)
    assert again.files[0].created and again.files[0].counts["readings_rejected_conflict"] == 3
    # The stored value was the right one after all: remove the corrected batch, retry wrong.csv's
    # rejected readings. The same bytes again are a no-op that says how to retry.
    remove_batch(store, corrected.files[0].batch_id, actor={}, audit=audit.record)
    retry = ingest_files(store, [tmp_path / "wrong.csv"], format_name="table", mapping=MAPPING)
    assert not retry.files[0].created
    (note,) = retry.files[0].messages
    assert f"greenbri monitor batches remove {wrong}" in note.message and "3 conflicting" in note.message
    remove_batch(store, wrong, actor={}, audit=audit.record)
    retried = ingest_files(store, [tmp_path / "wrong.csv"], format_name="table", mapping=MAPPING)
    assert retried.files[0].counts["readings_stored"] == 3
    assert [value for _, value, _ in _values(store)] == [99.0, 99.0, 99.0, 7.0]
    with pytest.raises(BatchNotFoundError, match="greenbri monitor batches list"):
        remove_batch(store, "table-0000", actor={}, audit=audit.record)


def test_a_killed_remover_leaves_the_old_state(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReadingsStore(data_dir)
    batch = _ingest(store, _file(tmp_path, "a.csv", ["1", "2"]))
    before = (store.batches(), _values(store))

    def killed(path: Path, data: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "write_json_atomic", killed)
    with pytest.raises(KeyboardInterrupt):
        remove_batch(store, batch, actor={}, audit=AuditLog(data_dir / "audit").record)
    monkeypatch.undo()
    assert (store.batches(), _values(store)) == before
    assert not (data_dir / "audit").exists()  # nothing was removed, nothing is claimed


def test_a_killed_superseding_writer_leaves_the_old_state(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReadingsStore(data_dir)
    _ingest(store, _file(tmp_path, "bad.csv", ["", "5"]))
    before = (store.batches(), _values(store))

    def killed(path: Path, data: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "write_json_atomic", killed)
    with pytest.raises(KeyboardInterrupt):
        _ingest(store, _file(tmp_path, "good.csv", ["4", "5"]))
    monkeypatch.undo()
    assert (store.batches(), _values(store)) == before
    good = _ingest(store, tmp_path / "good.csv")  # the next writer sweeps what was left
    assert [value for _, value, _ in _values(store)] == [4.0, 5.0]
    on_disk = sorted(
        path.relative_to(store.root).as_posix() for path in store.root.glob("readings/*/*.parquet")
    )
    assert on_disk == _named(store) and good


def test_cli_batches_list_show_remove(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = _file(tmp_path, "wrong.csv", ["99"])
    assert runner.invoke(app, ["monitor", "ingest", str(path), *CLI_OPTIONS]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["monitor", "batches", "list", "--json"]).stdout)
    assert [(row["input_name"], row["readings_stored"]) for row in listed] == [("wrong.csv", 1)]
    batch = listed[0]["id"]
    shown = json.loads(runner.invoke(app, ["monitor", "batches", "show", batch, "--json"]).stdout)
    assert shown["files"]["readings"] and shown["input_sha256"]
    refused = runner.invoke(app, ["monitor", "batches", "remove", batch], input="n\n")
    assert refused.exit_code == 1 and len(ReadingsStore(data_dir).batches()) == 1
    result = runner.invoke(app, ["monitor", "batches", "remove", batch, "--yes", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["readings_removed"] == 1
    assert ReadingsStore(data_dir).batches() == []
    (line,) = AuditLog(data_dir / "audit").entries()
    assert line["via"] == "cli" and line["action"] == "remove-monitoring-batch" and line["user"]
    missing = runner.invoke(app, ["monitor", "batches", "show", batch])
    assert missing.exit_code == 4 and "monitor batches list" in missing.stderr


values = st.lists(st.sampled_from(["", "1", "2"]), min_size=1, max_size=6)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=values, second=values)
def test_property_a_real_value_is_never_lost_to_a_missing_one(
    tmp_path_factory: pytest.TempPathFactory, first: list[str], second: list[str]
) -> None:
    """Whatever two files say for the same hours, after ingesting both the store holds, for each hour:
    the first file's real value if it had one, else the second file's real value, else missing; and
    a conflict is reported exactly where both had different real values."""
    folder = tmp_path_factory.mktemp("property")
    store = ReadingsStore(folder / "store")
    _ingest(store, _file(folder, "first.csv", first))
    report = ingest_files(store, [_file(folder, "second.csv", second)], format_name="table", mapping=MAPPING)
    stored = {int(hour) - 16: value for hour, value, _ in _values(store)}
    for hour in range(max(len(first), len(second))):
        a = first[hour] if hour < len(first) else None
        b = second[hour] if hour < len(second) else None
        real = [float(value) for value in (a, b) if value]
        assert stored.get(hour) == (real[0] if real else None)
    conflicts = sum(1 for a, b in zip(first, second, strict=False) if a and b and a != b)
    assert report.files[0].counts["readings_rejected_conflict"] == conflicts
