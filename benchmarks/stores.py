"""Import throughput of the embedded store and the PostGIS store, for the same inputs.

Run: ``.venv/bin/python benchmarks/stores.py [--dsn postgresql://...] [--rows N]``

Without ``--dsn`` a throw-away PostgreSQL server is started as the tests start it (needs the
packages of scripts/system-packages.sh). For each case, both stores receive the same frame; the
numbers are the store's write (``write_frame_version``), the read of the whole version and a
bounding-box read, best of ``--repeats``. Real files come from ../shared/data. Not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.postgis import PostgisStore
from greenbri.core.catalog import Bilingual, DatasetRecord, Provenance

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BOX = (100.0, 20.0, 110.0, 30.0)


def synthetic_points(rows: int) -> gpd.GeoDataFrame:
    generator = np.random.default_rng(20261121)
    return gpd.GeoDataFrame(
        {
            "name": [f"site {index}" for index in range(rows)],
            "value": generator.random(rows),
            "year": generator.integers(1990, 2024, rows),
        },
        geometry=gpd.points_from_xy(generator.uniform(-180, 180, rows), generator.uniform(-90, 90, rows)),
        crs="EPSG:4326",
    )


def cases(rows: int) -> dict[str, Callable[[], Any]]:
    return {
        f"synthetic points ({rows:,})": lambda: synthetic_points(rows),
        "populated places (points)": lambda: (
            read_input(SHARED / "natural-earth" / "ne_10m_populated_places.geojson.gz").frame
        ),
        "lakes (polygons)": lambda: read_input(SHARED / "natural-earth" / "ne_10m_lakes.geojson.gz").frame,
        "power plants (CSV points)": lambda: (
            read_input(
                SHARED / "power-plants" / "gppd_wri_collected_2018-06.csv",
                ReadOptions(allow_missing_geometry=True),
            ).frame
        ),
    }


def best(action: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(store: Any, frame: Any, repeats: int, case: int) -> tuple[float, float, float]:
    record = DatasetRecord(id=f"case-{case}", title=Bilingual("benchmark"))
    counter = iter(range(10_000))

    def write() -> None:
        digest = f"{next(counter):064d}"
        store.write_frame_version(record, Provenance("now", "benchmark", "x", digest), frame)

    write_s = best(write, repeats)
    read_s = best(lambda: store.read(record.id), repeats)
    box_s = best(lambda: store.read(record.id, bbox=BOX), repeats)
    return write_s, read_s, box_s


def _server_module() -> Any:
    """The tests' throw-away server helper, loaded by path (it is not part of the package)."""
    path = Path(__file__).resolve().parents[1] / "tests" / "postgres_server.py"
    spec = importlib.util.spec_from_file_location("postgres_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["postgres_server"] = module
    spec.loader.exec_module(module)
    return module


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="a PostGIS database to use (default: start a throw-away server)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=2)
    options = parser.parse_args(arguments)
    server = None
    if options.dsn is None:
        server = _server_module().PostgresServer.start()
    try:
        dsn = options.dsn or server.new_database()  # type: ignore[union-attr]
        directory = Path(tempfile.mkdtemp(prefix="greenbri-bench-"))
        stores = {
            "embedded": EmbeddedStore(directory / "embedded"),
            "postgis": PostgisStore(dsn, data_dir=directory / "postgis"),
        }
        print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
        print("| input | rows | store | write rows/s | read rows/s | bbox read ms |")
        print("|---|---:|---|---:|---:|---:|")
        for index, (name, load) in enumerate(cases(options.rows).items()):
            frame = load()
            for label, store in stores.items():
                write_s, read_s, box_s = measure(store, frame, options.repeats, index)
                rows = len(frame)
                print(
                    f"| {name} | {rows:,} | {label} | {rows / write_s:,.0f} | {rows / read_s:,.0f} | {box_s * 1000:.0f} |"
                )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
