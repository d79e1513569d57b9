"""Local and Dask engines give the same screening hits; a worker killed mid-job loses nothing."""

from __future__ import annotations

import itertools
import os
import signal
import time

import numpy as np
import pytest
import shapely
from distributed import get_task_stream
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_the_local_cluster_workers_keep_the_allocator_defaults_and_their_copies(
    dask_engine: DaskEngine,
) -> None:
    if "MALLOC_TRIM_THRESHOLD_" in os.environ:
        pytest.skip("this process sets MALLOC_TRIM_THRESHOLD_ itself; the workers inherit it")
    dask_engine.client.wait_for_workers(2, timeout=60)  # a worker killed by an earlier test restarts
    settings = dask_engine.client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(settings) == 2 and set(settings.values()) == {None}
    assert not dask_engine.client.amm.running()  # no ReduceReplicas dropping the shipped layers


def test_a_copy_lost_by_one_worker_is_shipped_to_it_again(dask_engine: DaskEngine) -> None:
    shared = SharedLayers(layers(), 5_000.0)
    chunks = [projects(200)[start : start + 50] for start in range(0, 200, 50)]
    dask_engine.client.wait_for_workers(2, timeout=60)
    first = dask_engine.map_partitions(search_partition, shared, chunks, shared_key="layers@v2")
    shipped = dask_engine._shipped["layers@v2"]
    holders = dask_engine.client.who_has(shipped)[shipped.key]
    assert len(holders) == 2
    # what a remote scheduler's memory manager does between jobs: drop one worker's copy
    dask_engine.client.run_on_scheduler(
        lambda dask_scheduler, key, worker: dask_scheduler.request_remove_replicas(
            worker, [key], stimulus_id="test-drop"
        ),
        key=shipped.key,
        worker=holders[0],
    )

    def dropped() -> bool:  # by the scheduler and by the worker itself (a copy must not race the drop)
        held = dask_engine.client.run(
            lambda dask_worker, key: key in dask_worker.data, key=shipped.key, workers=[holders[0]]
        )
        return len(dask_engine.client.who_has(shipped)[shipped.key]) == 1 and not any(held.values())

    for _ in range(100):
        if dropped():
            break
        time.sleep(0.1)
    assert dropped()
    with get_task_stream(client=dask_engine.client) as stream:
        second = dask_engine.map_partitions(search_partition, shared, chunks, shared_key="layers@v2")
    assert len(dask_engine.client.who_has(shipped)[shipped.key]) == 2
    # copied to the worker before the job, not fetched by one of its tasks while the others wait
    assert [part["action"] for task in stream.data for part in task["startstops"]] == ["compute"] * 4
    assert dask_engine._shipped["layers@v2"] is shipped  # copied between workers, not shipped anew
    assert all(same(a, b) for a, b in zip(join_partitions(first, 2), join_partitions(second, 2), strict=True))


def test_weighted_partitions_spread_costly_projects_and_keep_order() -> None:
    points, lines = [1.0] * 10_000, [53.0] * 500  # the benchmark's mix: points, then long lines
    by_count = partition_bounds(10_500, 1_000)
    weighted = partition_bounds(10_500, 1_000, points + lines)
    for bounds in (by_count, weighted):
        assert bounds[0][0] == 0 and bounds[-1][1] == 10_500
        assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(bounds))
        assert all(0 < stop - start <= 1_000 for start, stop in bounds)
    assert sum(1 for start, _ in by_count if start >= 10_000) == 1  # every line in one task
    costs = [sum((points + lines)[start:stop]) for start, stop in weighted]
    share = sum(points + lines) / 11
    assert sum(1 for start, _ in weighted if start >= 10_000) >= 3
    assert max(costs) <= share + 53 and len(weighted) <= 2 * 11 + 1
    with pytest.raises(ValueError, match="3 weights for 4 items"):
        partition_bounds(4, 2, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="not negative"):
        partition_bounds(2, 2, [1.0, -1.0])


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(
        st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 20_000, allow_nan=False)), min_size=1, max_size=400
    ),
    partition_size=st.integers(1, 60),
)
def test_weighted_partitions_cover_everything_and_stay_few(weights: list[float], partition_size: int) -> None:
    bounds = partition_bounds(len(weights), partition_size, weights)
    by_count = -(-len(weights) // partition_size)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(weights)
    assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(bounds))
    assert all(0 < stop - start <= partition_size for start, stop in bounds)
    assert len(bounds) <= 2 * by_count + 1  # 21 heavy lines among points gave 31 for 11 before


def test_weighted_partitions_of_heavy_lines_among_points_and_of_zero_weights() -> None:
    weights = [1.0] * 11_000
    for index in range(0, 11_000, 524):  # 21 lines of 12,000 vertices spread among the points
        weights[index] = 12_000.0
    assert len(partition_bounds(11_000, 1_000, weights)) <= 2 * 11 + 1
    assert partition_bounds(10_000, 100, [0.0] * 10_000) == partition_bounds(10_000, 100)
