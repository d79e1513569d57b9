"""Local and Dask engines give the same screening hits; a worker killed mid-job loses nothing."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest
import shapely

from greenbri.adapters.engines import DaskEngine, LocalEngine, engine_from_options, partition_bounds
from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import InputError
from greenbri.core.screening.geodesic import HitTable, ReceptorLayer, search
from greenbri.core.screening.partition import SharedLayers, join_partitions, search_partition

pytestmark = pytest.mark.slow


def squares(count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lon, lat, half = rng.uniform(60, 80, count), rng.uniform(30, 45, count), rng.uniform(0.005, 0.1, count)
    return shapely.box(lon - half, lat - half, lon + half, lat + half)


def layers() -> tuple[ReceptorLayer, ...]:
    return tuple(
        ReceptorLayer(
            squares(3_000, seed),
            ids=np.arange(3_000),
            names=np.array([f"{role.value} {k}" for k in range(3_000)]),
            dataset_id=role.value,
            version=1,
            role=role,
        )
        for seed, role in ((1, ReceptorRole.PROTECTED_AREA), (2, ReceptorRole.WETLAND))
    )


def projects(count: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    return shapely.points(rng.uniform(60, 80, count), rng.uniform(30, 45, count))


def same(left: HitTable, right: HitTable) -> bool:
    return (
        left.n_projects == right.n_projects
        and np.array_equal(left.project_index, right.project_index)
        and np.array_equal(left.feature_index, right.feature_index)
        and np.array_equal(left.distance_m, right.distance_m)
        and np.array_equal(left.intersects, right.intersects)
    )


@pytest.fixture(scope="module")
def dask_engine():
    engine = DaskEngine(workers=2)
    yield engine
    engine.close()


def test_partitions_joined_equal_one_search_and_dask_equals_local(dask_engine: DaskEngine) -> None:
    shared = SharedLayers(layers(), 10_000.0)
    points = projects(3_000)
    whole = [search(layer, points, shared.max_distance_m) for layer in shared.layers]
    chunks = [points[start:stop] for start, stop in partition_bounds(len(points), 250)]
    local = join_partitions(LocalEngine().map_partitions(search_partition, shared, chunks), 2)
    done: list[int] = []
    remote = join_partitions(
        dask_engine.map_partitions(search_partition, shared, chunks, progress=done.append), 2
    )
    assert len(done) == len(chunks) == 12
    assert sum(len(table) for table in whole) > 1_000
    assert all(same(a, b) for a, b in zip(whole, local, strict=True))
    assert all(same(a, b) for a, b in zip(whole, remote, strict=True))


def test_a_worker_killed_mid_job_is_retried_without_lost_or_duplicated_results(
    dask_engine: DaskEngine,
) -> None:
    shared = SharedLayers(layers(), 30_000.0)
    points = projects(2_000)
    chunks = [points[start:stop] for start, stop in partition_bounds(len(points), 50)]
    expected = join_partitions(LocalEngine().map_partitions(search_partition, shared, chunks), 2)
    pids = dask_engine.client.run(os.getpid)
    killed: list[int] = []

    def kill_one(_: int) -> None:
        if not killed:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    results = dask_engine.map_partitions(search_partition, shared, chunks, progress=kill_one)
    assert killed and killed[0] not in dask_engine.client.run(os.getpid).values()
    got = join_partitions(results, 2)
    assert len(results) == len(chunks)
    assert all(same(a, b) for a, b in zip(expected, got, strict=True))


def test_engine_options_are_checked() -> None:
    assert isinstance(engine_from_options("local"), LocalEngine)
    with pytest.raises(InputError, match="Unknown engine 'spark'"):
        engine_from_options("spark")
    with pytest.raises(InputError, match="--scheduler needs --engine dask"):
        engine_from_options("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(InputError, match="not positive"):
        partition_bounds(10, 0)


def test_a_named_shared_input_is_shipped_once_and_reused(dask_engine: DaskEngine) -> None:
    shared = SharedLayers(layers(), 5_000.0)
    chunks = [projects(400)[start : start + 100] for start in range(0, 400, 100)]
    first = dask_engine.map_partitions(search_partition, shared, chunks, shared_key="layers@v1")
    shipped = dict(dask_engine._shipped)
    second = dask_engine.map_partitions(search_partition, shared, chunks, shared_key="layers@v1")
    assert list(shipped) == ["layers@v1"] and dask_engine._shipped == shipped
    assert all(same(a, b) for a, b in zip(join_partitions(first, 2), join_partitions(second, 2), strict=True))
