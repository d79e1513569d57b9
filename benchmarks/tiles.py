"""Vector tiles of the bundled layers: bytes and milliseconds per tile, cold and warm, new path vs former.

Run: ``.venv/bin/python benchmarks/tiles.py [--layers countries settlements]``

A fresh store in a temporary folder gets the bundled reference layers (``initialise_store``):
``countries`` (Natural Earth 1:10m, 245 polygons, 547,218 vertices) and ``settlements`` (GeoNames,
33,961 points). Tiles are requested through the app (FastAPI ``TestClient``, in process, no
network): every tile of zooms 0-2 and the tiles over East Asia at zooms 3-6 (the dashboard's
first views). Each path runs in a fresh app: a *cold* pass (first request of each tile: the former
path loads the layer table; the new one builds each zoom's simplified table on first use, then
the tile), then a *warm* pass over the same tiles. The former path (every vertex, no
precomputation, no tile cache) is the same code as before, reached through
``TileMaker(simplify=False)`` with an empty cache. Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.config import load_settings
from greenbri.services.api import create_app
from greenbri.services.api.context import ApiOptions
from greenbri.services.api.tile_cache import TileCache, TileMaker, tile_maker, use_tile_maker
from greenbri.usecases.initialise import initialise_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

#: Zooms 0-2 whole; 3-6 over East Asia (lon 100-125, lat 20-45), where the dashboard opens.
EAST_ASIA = (100.0, 20.0, 125.0, 45.0)


def tiles() -> list[tuple[int, int, int]]:
    import math

    found = [(z, x, y) for z in range(3) for x in range(2**z) for y in range(2**z)]
    west, south, east, north = EAST_ASIA
    for z in range(3, 7):
        n = 2**z

        def column(lon: float, n: int = n) -> int:
            return min(n - 1, int((lon + 180) / 360 * n))

        def row(lat: float, n: int = n) -> int:
            rad = math.radians(lat)
            return min(n - 1, int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n))

        found += [
            (z, x, y)
            for x in range(column(west), column(east) + 1)
            for y in range(row(north), row(south) + 1)
        ]
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(
    data_dir: Path, layer: str, simplify: bool, wanted: list[tuple[int, int, int]]
) -> dict[str, list[tuple[int, int, float]]]:
    """{"cold"|"warm": [(zoom, bytes, ms)]} in a fresh app."""
    settings = load_settings({"GREENBRI_DATA_DIR": str(data_dir), "HOME": str(data_dir.parent)})
    app = create_app(settings, options=ApiOptions(anonymous_rate_per_minute=100_000_000))
    results: dict[str, list[tuple[int, int, float]]] = {"cold": [], "warm": []}
    with TestClient(app) as client:
        context = app.state.context
        if not simplify:
            use_tile_maker(context, TileMaker(context.features, TileCache(max_bytes=0), simplify=False))
        for phase in ("cold", "warm"):
            for z, x, y in wanted:
                started = time.perf_counter()
                response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                results[phase].append((z, len(response.content), elapsed))
        if simplify:
            cache = tile_maker(context).cache
            print(
                f"  tile cache: {cache.hits} hits, {cache.misses} misses, {len(cache)} tiles, {cache.size_bytes:,} bytes"
            )
    return results


def report(
    layer: str, old: dict[str, list[tuple[int, int, float]]], new: dict[str, list[tuple[int, int, float]]]
) -> None:
    print(f"\n{layer}: per zoom, mean KB per tile and p50 ms (cold / warm), former -> new")
    print(
        f"{'z':>2} {'tiles':>5} {'KB old':>8} {'KB new':>8} {'cold old':>9} {'cold new':>9} {'warm old':>9} {'warm new':>9}"
    )
    for z in sorted({row[0] for row in new["cold"]}):

        def pick(
            result: dict[str, list[tuple[int, int, float]]], phase: str, z: int = z
        ) -> list[tuple[int, int, float]]:
            return [row for row in result[phase] if row[0] == z]

        oc, nc, ow, nw = pick(old, "cold"), pick(new, "cold"), pick(old, "warm"), pick(new, "warm")
        print(
            f"{z:>2} {len(nc):>5} {statistics.mean(r[1] for r in oc) / 1024:>8.1f} {statistics.mean(r[1] for r in nc) / 1024:>8.1f}"
            f" {statistics.median(r[2] for r in oc):>9.1f} {statistics.median(r[2] for r in nc):>9.1f}"
            f" {statistics.median(r[2] for r in ow):>9.1f} {statistics.median(r[2] for r in nw):>9.2f}"
        )
    for phase in ("cold", "warm"):
        o = [r[2] for r in old[phase]]
        n = [r[2] for r in new[phase]]
        ob, nb = sum(r[1] for r in old[phase]), sum(r[1] for r in new[phase])
        print(
            f"all {phase}: bytes {ob / 1024:,.0f} KB -> {nb / 1024:,.0f} KB (x{ob / max(nb, 1):.1f} smaller);"
            f" ms p50 {statistics.median(o):.1f} -> {statistics.median(n):.2f},"
            f" p99 {percentile(o, 0.99):.1f} -> {percentile(n, 0.99):.2f}, total {sum(o) / 1000:.2f} s -> {sum(n) / 1000:.2f} s"
            f" (x{sum(o) / max(sum(n), 1e-9):.1f} faster)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", nargs="+", default=["countries", "settlements"])
    arguments = parser.parse_args(argv)
    wanted = tiles()
    with tempfile.TemporaryDirectory(prefix="greenbri-tiles-") as folder:
        data_dir = Path(folder) / "store"
        initialise_store(EmbeddedStore(data_dir))
        print(f"{len(wanted)} tiles per layer (z0-2 all, z3-6 over East Asia {EAST_ASIA})")
        for layer in arguments.layers:
            print(f"{layer}: former path")
            old = run(data_dir, layer, False, wanted)
            print(f"{layer}: new path")
            new = run(data_dir, layer, True, wanted)
            report(layer, old, new)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
