"""watch: polling on a schedule, resuming after a crash without duplicates, surviving a failing source."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from greenbri.adapters.monitoring.openaq import OpenAQClient
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.watch_sources import CnemcHourlySource, OpenAQSource
from greenbri.core.errors import InputError
from greenbri.usecases.monitoring import watch as watch_module
from greenbri.usecases.monitoring.watch import load_state, parse_every, watch

NOW = datetime(2022, 1, 15, 3, 0, tzinfo=UTC)


class SimulatedCrash(BaseException):
    """Stands for the process being killed (not an Exception: nothing catches it)."""


def _hourly_files(shared_data: Path, directory: Path, hours: list[int]) -> None:
    """Copies of the real CNEMC hour, re-stamped as other hours (stations: the first 50)."""
    directory.mkdir()
    lines = (shared_data / "air" / "cnemc" / "2022-01-15T08.csv").read_text(encoding="utf-8").splitlines()
    for hour in hours:
        body = [line.replace("2022-01-15T08:00:00", f"2022-01-15T{hour:02d}:00:00") for line in lines[1:51]]
        (directory / f"2022-01-15T{hour:02d}.csv").write_text(
            "\n".join([lines[0], *body]) + "\n", encoding="utf-8"
        )


def _count(store: ReadingsStore) -> tuple[int, int]:
    with store.connect() as connection:
        total, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT (station_id, parameter, averaging, time_utc)) FROM readings"
        ).fetchone()
    return total, distinct


def test_parse_every() -> None:
    assert parse_every("1h") == timedelta(hours=1) and parse_every("15m") == timedelta(minutes=15)
    with pytest.raises(InputError, match="--every 1h"):
        parse_every("hourly")


def test_crash_mid_run_resumes_without_duplicates(
    data_dir: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = data_dir.parent / "hourly"
    _hourly_files(shared_data, folder, [8, 9, 10])
    store = ReadingsStore(data_dir)
    source = CnemcHourlySource(str(folder))
    real_ingest = watch_module.ingest_parsed
    calls = []

    def crash_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            real_ingest(*args, **kwargs)  # the batch is stored, then the process dies before the cursor moves
            raise SimulatedCrash
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(watch_module, "ingest_parsed", crash_on_second)
    with pytest.raises(SimulatedCrash):
        watch(store, source, every=timedelta(hours=1), max_runs=1, now=lambda: NOW, sleep=lambda s: None)
    state = load_state(store, "cnemc")
    assert state.cursor == "2022-01-15T08" and state.in_progress == "2022-01-15T09"
    monkeypatch.setattr(watch_module, "ingest_parsed", real_ingest)
    sleeps: list[float] = []
    report = watch(store, source, every=timedelta(hours=1), max_runs=2, now=lambda: NOW, sleep=sleeps.append)
    state = load_state(store, "cnemc")
    assert state.cursor == "2022-01-15T10" and state.in_progress is None and state.runs == 3
    assert [item.created for item in report.files] == [False, True]  # hour 09 was already stored
    assert sleeps == [3600.0]
    total, distinct = _count(store)
    assert total == distinct == 3 * 50 * 13
    assert len(store.batches()) == 3


def test_a_failing_source_is_recorded_and_changes_nothing(data_dir: Path) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    client = OpenAQClient("key", transport=httpx.MockTransport(timeout), max_attempts=1)
    store = ReadingsStore(data_dir)
    report = watch(
        store, OpenAQSource(client, [2178]), every=timedelta(seconds=0.01), max_runs=2, now=lambda: NOW
    )
    state = load_state(store, "openaq")
    assert state.cursor is None and state.runs == 2 and "ConnectTimeout" in (state.last_error or "")
    assert len(report.errors) == 2 and store.batches() == []
    saved = json.loads((store.root / "watch" / "openaq.json").read_text())
    assert saved["last_error"] == state.last_error
