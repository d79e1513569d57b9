"""Throughput and latency of the API on loopback: OGC items (bbox, 100 features) and one-project screening.

Run: ``.venv/bin/python benchmarks/api.py [--clients N] [--seconds S] [--no-pygeoapi]``
(pygeoapi comes with the ``bench`` extra: ``uv pip install -e '.[dev,bench]'``).

A fresh store in a temporary folder gets the bundled reference layers; the layer is
``settlements`` (GeoNames places, 33,961 points). greenbri is started with ``uvicorn`` in a
subprocess (one worker, as ``greenbri serve`` runs it); ``--clients`` threads, each with its own
keep-alive HTTP connection, send requests for ``--seconds`` each round. Items requests rotate
through eight fixed boxes (10 by 10 degrees) in East and South Asia that each hold more than 100 places, with
``limit=100``. Screening requests post one planned solar plant at rotating points near Beijing.

The comparison is pygeoapi (Parquet provider, also under uvicorn with one worker) serving the
same places from a copy of the same GeoParquet file with flat ``x``/``y`` columns (its provider
filters on plain columns), same boxes, same limit, same clients, same run. pygeoapi has no
screening, so that figure stands alone. Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import httpx

BOXES = [  # each holds 169-1,122 places
    (110.0, 25.0, 120.0, 35.0),
    (75.0, 20.0, 85.0, 30.0),
    (100.0, 10.0, 110.0, 20.0),
    (120.0, 30.0, 130.0, 40.0),
    (70.0, 15.0, 80.0, 25.0),
    (105.0, 25.0, 115.0, 35.0),
    (85.0, 20.0, 95.0, 30.0),
    (115.0, 20.0, 125.0, 30.0),
]
PROJECT = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
    "properties": {
        "id": "B1",
        "name": "Bench solar",
        "sector": "solar_power",
        "status": "planned",
        "country": "CHN",
    },
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server at {url} exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not start within {timeout_s:.0f} s")


def start_greenbri(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    script = textwrap.dedent(
        f"""
        import uvicorn
        from greenbri.config import load_settings
        from greenbri.services.api import create_app
        from greenbri.services.api.context import ApiOptions
        settings = load_settings({{"GREENBRI_DATA_DIR": {str(data_dir)!r}}})
        app = create_app(settings, options=ApiOptions(anonymous_rate_per_minute=10**9))
        uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning")
        """
    )
    return subprocess.Popen([sys.executable, "-c", script])


def start_pygeoapi(source: Path, folder: Path, port: int) -> subprocess.Popen[bytes]:
    config = folder / "pygeoapi.yml"
    url = "https://example.org"
    settings = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"], "terms_of_service": url, "url": url},
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": url},
            "contact": {"name": "bench"},
        },
        "resources": {
            "settlements": {
                "type": "collection",
                "title": "settlements",
                "description": "GeoNames places",
                "keywords": ["places"],
                "extents": {"spatial": {"bbox": [-180, -90, 180, 90], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
                "providers": [
                    {"type": "feature", "name": "Parquet", "data": {"source": str(source)}, "id_field": "geonameid", "x_field": "x", "y_field": "y"}
                ],
            }
        },
    }  # fmt: skip
    config.write_text(json.dumps(settings), encoding="utf-8")  # YAML is a superset of JSON
    openapi = folder / "pygeoapi-openapi.yml"
    environment = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pygeoapi")),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        check=True,
        env=environment,
    )
    command = [sys.executable, "-m", "uvicorn", "pygeoapi.starlette_app:APP", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(command, env=environment)


def load(clients: int, seconds: float, request: callable) -> dict[str, float]:  # type: ignore[valid-type]
    """Run ``request(client, index)`` from ``clients`` threads for ``seconds``; latencies in ms."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def worker(number: int) -> None:
        with httpx.Client(timeout=60) as client:
            index = number
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = request(client, index)
                latencies[number].append((time.perf_counter() - started) * 1000)
                failures[number] += response.status_code != 200
                index += clients

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(value for part in latencies for value in part)
    return {
        "requests": len(every),
        "failed": sum(failures),
        "per_second": len(every) / elapsed,
        "p50_ms": statistics.median(every),
        "p99_ms": every[min(len(every) - 1, int(len(every) * 0.99))],
    }


def items_request(base: str, collection: str) -> callable:  # type: ignore[valid-type]
    def request(client: httpx.Client, index: int) -> httpx.Response:
        west, south, east, north = BOXES[index % len(BOXES)]
        params = {"bbox": f"{west},{south},{east},{north}", "limit": "100", "f": "json"}
        response = client.get(f"{base}/collections/{collection}/items", params=params)
        assert response.status_code != 200 or len(response.json()["features"]) == 100, (
            "a box held fewer than 100"
        )
        return response

    return request


def screening_request(base: str) -> callable:  # type: ignore[valid-type]
    def request(client: httpx.Client, index: int) -> httpx.Response:
        project = {**PROJECT, "geometry": {"type": "Point", "coordinates": [116.0 + (index % 50) / 50, 39.9]}}
        return client.post(f"{base}/v1/screenings", json=project, params={"date": "2025-06-01"})

    return request


def flat_copy(store_dir: Path, target: Path) -> Path:
    """The settlements GeoParquet with plain x/y columns, for pygeoapi's Parquet provider."""
    import geopandas as gpd
    import pandas as pd

    from greenbri.adapters.stores.embedded import EmbeddedStore

    frame = gpd.read_parquet(EmbeddedStore(store_dir).version_path("settlements"))
    frame["x"], frame["y"] = frame.geometry.x, frame.geometry.y
    frame = frame.drop(columns=["bbox"], errors="ignore")
    for name in frame.columns:  # pygeoapi's provider does not know Arrow's large_string
        if name != frame.geometry.name and not pd.api.types.is_numeric_dtype(frame[name]):
            frame[name] = frame[name].astype(object)
    frame.to_parquet(target, write_covering_bbox=False)
    return target


def report(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} {figures['per_second']:8.1f} req/s   p50 {figures['p50_ms']:7.1f} ms   "
        f"p99 {figures['p99_ms']:7.1f} ms   ({figures['requests']:.0f} requests, {figures['failed']:.0f} failed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-pygeoapi", action="store_true")
    arguments = parser.parse_args()
    from greenbri.adapters.stores.embedded import EmbeddedStore
    from greenbri.usecases.initialise import initialise_store

    with tempfile.TemporaryDirectory(prefix="greenbri-bench-") as folder:
        root = Path(folder)
        initialise_store(EmbeddedStore(root / "store"))
        servers = []
        try:
            port = free_port()
            servers.append(start_greenbri(root / "store", port))
            greenbri = f"http://127.0.0.1:{port}"
            wait_until_up(f"{greenbri}/conformance", servers[-1])
            print(
                f"{arguments.clients} clients, {arguments.seconds:.0f} s per measurement, loopback, one worker each"
            )
            load(arguments.clients, 2, items_request(greenbri, "settlements"))  # warm up
            ours = load(arguments.clients, arguments.seconds, items_request(greenbri, "settlements"))
            report("greenbri OGC items (bbox, 100)", ours)
            load(arguments.clients, 2, screening_request(greenbri))
            report("greenbri screening (1 project)", load(arguments.clients, arguments.seconds, screening_request(greenbri)))  # fmt: skip
            if arguments.no_pygeoapi:
                return
            other_port = free_port()
            source = flat_copy(root / "store", root / "settlements-flat.parquet")
            servers.append(start_pygeoapi(source, root, other_port))
            pygeoapi = f"http://127.0.0.1:{other_port}"
            wait_until_up(f"{pygeoapi}/conformance", servers[-1])
            load(arguments.clients, 2, items_request(pygeoapi, "settlements"))
            theirs = load(arguments.clients, arguments.seconds, items_request(pygeoapi, "settlements"))
            report("pygeoapi OGC items (bbox, 100)", theirs)
            print(
                f"ratio greenbri / pygeoapi: throughput {ours['per_second'] / theirs['per_second']:.2f}x, "
                f"p50 latency {ours['p50_ms'] / theirs['p50_ms']:.2f}x, p99 latency {ours['p99_ms'] / theirs['p99_ms']:.2f}x"
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
