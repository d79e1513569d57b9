"""Scale-out figures in one run: local vs Dask engines for screening and monitoring; PostGIS vs DuckDB store.

Run: ``.venv/bin/python benchmarks/scale.py [--points N] [--lines N] [--polygons N] [--stations N]
[--hours N] [--workers 2] [--partition-size N] [--no-postgis]``

1. **Screening** (data of ``benchmarks/screening.py``, same seed: star polygons, points, lines,
   10 km): the search per partition of projects (``search_partition``) plus ``classify_batch``,
   with the local engine (one process) and with a Dask ``LocalCluster`` of ``--workers``
   single-threaded processes (the layer is shipped to each worker once per job). The hit tables are
   compared: the two engines must give identical results.
2. **Monitoring aggregation** (readings of ``benchmarks/monitoring_data.py``, same seed, contract
   Parquet): daily values and CN AQI per station (``aggregate_daily``), local vs Dask; the tables
   are compared.
3. **Stores**: the receptor polygons are imported into the embedded store and into a throw-away
   PostGIS server (started as the tests start it; needs scripts/system-packages.sh), then
   ``load_receptor_layers`` + ``screen_portfolio`` screen a portfolio of points from each store,
   end to end (reading the layer from the store, indexing it, searching and classifying).

Times are wall-clock, best of ``--repeats`` for the engines. Dask times include shipping the data
to the workers but not starting the cluster (reported separately). Not a test.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screening as screening_data
from monitoring_data import write_readings

from greenbri.adapters.engines import DaskEngine, Engine, LocalEngine, partition_bounds
from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.batch import classify_batch
from greenbri.core.screening.geodesic import ReceptorLayer
from greenbri.core.screening.hits import Coverage
from greenbri.core.screening.partition import SharedLayers, join_partitions, search_costs, search_partition
from greenbri.core.screening.rules_files import load_rules
from greenbri.usecases.monitoring.aggregate import AggregationInputs, aggregate_daily


def screen_with(
    engine: Engine, layer: ReceptorLayer, projects: np.ndarray, partition_size: int
) -> tuple[float, list]:
    rules = load_rules()
    screened = screening_data.make_projects(projects)
    coverage = (Coverage(layer.role, (layer.reference,), True),)
    start = time.perf_counter()
    bounds = partition_bounds(len(projects), partition_size, search_costs(projects))
    chunks = [projects[a:b] for a, b in bounds]
    tables = join_partitions(
        engine.map_partitions(
            search_partition, SharedLayers((layer,), 10_000.0), chunks, shared_key=f"{layer.reference}:10000"
        ),
        1,
    )
    classify_batch(screened, [(layer, tables[0])], coverage, rules)
    return time.perf_counter() - start, tables


def same_tables(left: list, right: list) -> bool:
    return all(
        np.array_equal(a.project_index, b.project_index)
        and np.array_equal(a.feature_index, b.feature_index)
        and np.array_equal(a.distance_m, b.distance_m)
        for a, b in zip(left, right, strict=True)
    )


def best_of(repeats: int, run):  # type: ignore[no-untyped-def]
    results = [run() for _ in range(repeats)]
    return min(results, key=lambda item: item[0])


def screening_part(args: argparse.Namespace, dask: DaskEngine) -> None:
    receptors = screening_data.make_receptors(args.polygons)
    projects = np.concatenate(
        [screening_data.make_points(args.points), screening_data.make_lines(args.lines)]
    )
    layer = ReceptorLayer(
        receptors,
        ids=np.arange(len(receptors)),
        names=np.full(len(receptors), ""),
        attributes={
            "iucn_category": np.array(screening_data.IUCN_CATEGORIES)[
                np.arange(len(receptors)) % len(screening_data.IUCN_CATEGORIES)
            ]
        },
        dataset_id="synthetic-polygons",
        version=1,
        role=ReceptorRole.PROTECTED_AREA,
    )
    count = len(projects)
    local_s, local_tables = best_of(
        args.repeats, lambda: screen_with(LocalEngine(), layer, projects, args.partition_size)
    )
    dask_s, dask_tables = best_of(
        args.repeats, lambda: screen_with(dask, layer, projects, args.partition_size)
    )
    print(
        f"screening {count:,} projects vs {len(receptors):,} polygons: local engine {local_s:.2f} s = "
        f"{count / local_s:,.0f} projects/s; Dask {args.workers} workers {dask_s:.2f} s = {count / dask_s:,.0f} "
        f"projects/s; Dask/local speed ratio {local_s / dask_s:.2f}; identical hits: "
        f"{same_tables(local_tables, dask_tables)}"
    )


def monitoring_part(args: argparse.Namespace, dask: DaskEngine, folder: Path) -> None:
    readings = folder / "readings"
    write_readings(readings, stations=args.stations, hours=args.hours)
    glob = str(readings / "**" / "*.parquet")
    inputs = AggregationInputs(glob, rules="cn", fallback_engine="hj633-2012")
    count = args.stations * 6 * args.hours

    def run(engine: Engine) -> tuple[float, object]:
        start = time.perf_counter()
        table = aggregate_daily(inputs, engine=engine, stations_per_partition=args.stations_per_partition)
        return time.perf_counter() - start, table

    local_s, local_table = best_of(args.repeats, lambda: run(LocalEngine()))
    dask_s, dask_table = best_of(args.repeats, lambda: run(dask))
    print(
        f"monitoring aggregation of {count:,} hourly readings ({args.stations:,} stations x 6 pollutants x "
        f"{args.hours:,} h): local engine {local_s:.2f} s = {count / local_s / 1e6:.2f} M readings/s; Dask "
        f"{args.workers} workers {dask_s:.2f} s = {count / dask_s / 1e6:.2f} M readings/s; Dask/local speed "
        f"ratio {local_s / dask_s:.2f}; identical tables: {local_table.equals(dask_table)}"
    )


def stores_part(args: argparse.Namespace, folder: Path) -> None:
    import geopandas as gpd
    from stores import _server_module  # benchmarks/stores.py: the tests' throw-away server

    from greenbri.adapters.stores.embedded import EmbeddedStore
    from greenbri.adapters.stores.postgis import PostgisStore
    from greenbri.core.catalog import Bilingual, DatasetRecord, Provenance
    from greenbri.usecases.project_inputs import ProjectInput
    from greenbri.usecases.screening import load_receptor_layers, screen_portfolio

    receptors = screening_data.make_receptors(args.store_polygons)
    frame = gpd.GeoDataFrame(
        {"name": [f"area {k}" for k in range(len(receptors))], "iucn_cat": "II"}, geometry=receptors, crs=4326
    )
    record = DatasetRecord(
        id="protected-areas",
        title=Bilingual("synthetic protected areas"),
        receptor_role=ReceptorRole.PROTECTED_AREA,
    )
    points = screening_data.make_points(args.store_points)
    portfolio = ProjectInput(
        projects=tuple(screening_data.make_projects(points)),
        failures=(),
        input_sha256="",
        input_name="synthetic",
    )
    rules = load_rules()
    server = _server_module().PostgresServer.start()
    try:
        stores = {
            "embedded (DuckDB + GeoParquet)": EmbeddedStore(folder / "store"),
            "PostGIS": PostgisStore(server.new_database(), data_dir=folder / "pgcache"),
        }
        for name, store in stores.items():
            store.initialise()
            start = time.perf_counter()
            store.write_frame_version(record, Provenance("now", "benchmark", "synthetic", "0" * 64), frame)
            written = time.perf_counter() - start
            start = time.perf_counter()
            layers = load_receptor_layers(store)
            loaded = time.perf_counter() - start
            start = time.perf_counter()
            outcome = screen_portfolio(store, portfolio, rules, layers=layers)
            screened = time.perf_counter() - start
            total = loaded + screened
            print(
                f"store {name}: import {len(frame):,} polygons {written:.2f} s; read + index the layer "
                f"{loaded:.2f} s; screen {len(outcome.screened):,} projects (full results) {screened:.2f} s; "
                f"end to end {total:.2f} s = {len(points) / total:,.0f} projects/s"
            )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--polygons", type=int, default=200_000)
    parser.add_argument("--partition-size", type=int, default=10_000)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--hours", type=int, default=8_333)
    parser.add_argument("--stations-per-partition", type=int, default=25)
    parser.add_argument("--store-polygons", type=int, default=20_000)
    parser.add_argument("--store-points", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-postgis", action="store_true")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__}")
    start = time.perf_counter()
    with DaskEngine(workers=args.workers) as dask:
        print(
            f"Dask LocalCluster of {args.workers} single-threaded workers started in {time.perf_counter() - start:.1f} s"
        )
        screening_part(args, dask)
        with tempfile.TemporaryDirectory() as folder:
            monitoring_part(args, dask, Path(folder))
    if not args.no_postgis:
        with tempfile.TemporaryDirectory() as folder:
            stores_part(args, Path(folder))


if __name__ == "__main__":
    main()
