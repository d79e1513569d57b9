"""Monitoring ingests in parallel processes lose no reading and store none twice.

Writers run in forked processes. Three ingest different Beijing stations, a fourth ingests one of
those files again (a no-op once the first has published, or the first publisher of that file if it
wins the lock), a fifth the CNEMC national hour.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.usecases.monitoring.ingest import ingest_files

FORK = multiprocessing.get_context("fork")
STATIONS = ("Dongsi", "Tiantan", "Huairou")
#: Beijing multi-site: 35,064 hourly rows x 7 values (six pollutants and temperature; NA kept, flagged).
READINGS_PER_STATION = 35_064 * 7
#: CNEMC 2022-01-15T08: 1,719 stations x 13 values (see test_store.py).
CNEMC_READINGS = 1_719 * 13


def _beijing(shared_data: Path, station: str) -> Path:
    return shared_data / "air" / "beijing-multisite" / f"PRSA_Data_{station}_20130301-20170228.csv.gz"


def _ingest(data_dir: str, path: str, format_name: str) -> None:
    ingest_files(ReadingsStore(Path(data_dir), lock_timeout_s=120), [Path(path)], format_name=format_name)


def test_parallel_ingests_keep_every_reading_once(data_dir: Path, shared_data: Path) -> None:
    jobs = [(_beijing(shared_data, station), "beijing") for station in STATIONS]
    jobs += [(_beijing(shared_data, STATIONS[0]), "beijing")]  # the same file, twice at once
    jobs += [(shared_data / "air" / "cnemc" / "2022-01-15T08.csv", "cnemc")]
    processes = [FORK.Process(target=_ingest, args=(str(data_dir), str(path), kind)) for path, kind in jobs]
    try:
        for process in processes:
            process.start()
        deadline = time.monotonic() + 300
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        assert [process.exitcode for process in processes] == [0] * len(processes)
    finally:
        for process in processes:  # none left running (holding the write lock) after a failure
            if process.is_alive():
                process.kill()
                process.join()

    store = ReadingsStore(data_dir)
    batches = store.batches()
    assert len(batches) == len(STATIONS) + 1  # the repeated file was one batch, not two
    assert len({batch["input_sha256"] for batch in batches}) == len(batches)
    with store.connect() as connection:
        total = connection.execute("SELECT count(*) FROM readings").fetchone()
        keys = connection.execute(
            "SELECT count(*) FROM (SELECT DISTINCT station_id, parameter, averaging, time_utc FROM readings)"
        ).fetchone()
        per_batch = dict(connection.execute("SELECT batch_id, count(*) FROM readings GROUP BY 1").fetchall())
    assert total == (READINGS_PER_STATION * len(STATIONS) + CNEMC_READINGS,)
    assert keys == total  # no reading stored twice
    assert sorted(per_batch.values()) == sorted([CNEMC_READINGS] + [READINGS_PER_STATION] * len(STATIONS))
