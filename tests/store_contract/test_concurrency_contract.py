"""Concurrent writers, killed writers and readers during writes, on both stores.

Writers run in forked processes (the modules are already imported, so they start at once).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import psycopg
import pytest
from tests.store_contract.helpers import RECORD, provenance, wetlands

from greenbri.adapters.stores import embedded, postgis, postgis_catalog
from greenbri.adapters.stores.factory import open_store
from greenbri.adapters.stores.locking import write_lock
from greenbri.adapters.stores.postgis_connection import dataset_lock, open_connection
from greenbri.core.errors import StoreLockedError

FORK = multiprocessing.get_context("fork")
PROCESSES = 4
IMPORTS_EACH = 3


def _setting(store: Any) -> str:
    return store.dsn if isinstance(store, postgis.PostgisStore) else "embedded"


def _import_many(setting: str, data_dir: str, index: int) -> None:
    store = open_store(setting, data_dir=data_dir, lock_timeout_s=60)  # type: ignore[arg-type]
    for attempt in range(IMPORTS_EACH):
        store.write_frame_version(RECORD, provenance(f"{index}{attempt}"), wetlands(2 + index))
    own = RECORD.__class__.from_dict({**RECORD.to_dict(), "id": f"own-{index}", "versions": []})
    store.write_frame_version(own, provenance("f"), wetlands(1))


def test_parallel_imports_lose_no_version_and_duplicate_none(any_store: Any) -> None:
    any_store.initialise()
    processes = [
        FORK.Process(target=_import_many, args=(_setting(any_store), str(any_store.data_dir), index))
        for index in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * PROCESSES
    record = any_store.get(RECORD.id)
    assert [version.number for version in record.versions] == list(range(1, PROCESSES * IMPORTS_EACH + 1))
    digests = {version.provenance.input_sha256[:2] for version in record.versions}
    assert digests == {f"{index}{attempt}" for index in range(PROCESSES) for attempt in range(IMPORTS_EACH)}
    for version in record.versions:
        assert len(any_store.read(RECORD.id, version.number)) == version.feature_count
    assert {item.id for item in any_store.list_datasets()} == {
        RECORD.id,
        *(f"own-{i}" for i in range(PROCESSES)),
    }


def _crash_before_publishing(setting: str, data_dir: str) -> None:
    def crash(*arguments: Any) -> None:
        os._exit(9)

    embedded.write_json_atomic = crash  # type: ignore[assignment]
    postgis_catalog.refresh_view = crash  # type: ignore[assignment]
    open_store(setting, data_dir=data_dir).write_frame_version(RECORD, provenance("f"), wetlands(4))  # type: ignore[arg-type]


def _large_write(setting: str, data_dir: str, started: Any) -> None:
    def announce(original: Any) -> Any:
        def wrapper(*arguments: Any, **keywords: Any) -> Any:
            started.set()
            return original(*arguments, **keywords)

        return wrapper

    embedded.write_frame = announce(embedded.write_frame)  # type: ignore[assignment]
    postgis.copy_into_table = announce(postgis.copy_into_table)  # type: ignore[assignment]
    count = 200_000
    frame = gpd.GeoDataFrame(
        {"name": ["x"] * count, "area_ha": np.arange(count, dtype="float64")},
        geometry=gpd.points_from_xy(np.arange(count) % 170, np.ones(count)),
        crs="EPSG:4326",
    )
    open_store(setting, data_dir=data_dir).write_frame_version(RECORD, provenance("e"), frame)  # type: ignore[arg-type]


def _orphan_tables(store: Any) -> int:
    if not isinstance(store, postgis.PostgisStore):
        return 0
    with psycopg.connect(store.dsn) as connection:
        row = connection.execute(
            "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'greenbri_versions') - "
            "(SELECT count(*) FROM greenbri.version_storage WHERE table_name IS NOT NULL)"
        ).fetchone()
    return int(row[0]) if row else -1


@pytest.mark.parametrize("how", ["exit-before-publishing", "sigkill-during-a-large-write"])
def test_a_killed_writer_leaves_the_previous_version_in_force(any_store: Any, how: str) -> None:
    any_store.write_frame_version(RECORD, provenance("a"), wetlands(3))
    before = any_store.get(RECORD.id)
    arguments = (_setting(any_store), str(any_store.data_dir))
    if how == "exit-before-publishing":
        process = FORK.Process(target=_crash_before_publishing, args=arguments)
        process.start()
        process.join(timeout=60)
        assert process.exitcode == 9
    else:
        started = FORK.Event()
        process = FORK.Process(target=_large_write, args=(*arguments, started))
        process.start()
        assert started.wait(timeout=60)
        os.kill(process.pid or 0, signal.SIGKILL)
        process.join(timeout=60)
        assert process.exitcode == -signal.SIGKILL
    assert any_store.get(RECORD.id) == before
    assert len(any_store.read(RECORD.id)) == 3
    # the next writer carries on; a number the killed writer reserved is never handed out again
    # (the embedded store reserves it once the data is written, the PostGIS store before)
    after = any_store.write_frame_version(RECORD, provenance("b"), wetlands(2))
    reserved = how == "exit-before-publishing" or isinstance(any_store, postgis.PostgisStore)
    assert after.version.number == (3 if reserved else 2)
    assert _orphan_tables(any_store) == 0


@contextmanager
def _another_writer(store: Any) -> Iterator[None]:
    if isinstance(store, postgis.PostgisStore):
        store.initialise()
        with (
            open_connection(store.dsn) as connection,
            dataset_lock(connection, RECORD.id, timeout_s=1, location=store.location),
        ):
            yield
    else:
        with write_lock(store.data_dir / ".write.lock", timeout_s=1):
            yield


def test_a_second_writer_waits_then_gets_a_clear_error(any_store: Any) -> None:
    any_store.lock_timeout_s = 0.3
    with (
        _another_writer(any_store),
        pytest.raises(StoreLockedError, match=r"pid \d+.*GREENBRI_LOCK_TIMEOUT_S"),
    ):
        any_store.write_frame_version(RECORD, provenance("a"), wetlands(1))
    assert any_store.list_datasets() == []


def test_readers_never_see_a_half_written_version(any_store: Any) -> None:
    any_store.write_frame_version(RECORD, provenance("0"), wetlands(50))
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            frame = any_store.read(RECORD.id)
            if len(frame) != 50 or frame.geometry.isna().any():
                failures.append(f"saw {len(frame)} rows")

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for index in range(1, 5):
        any_store.write_frame_version(RECORD, provenance(str(index)), wetlands(50, offset=index))
    stop.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert any_store.get(RECORD.id).latest.number == 5
