"""How many requests a default GIS download of each OGC collection takes, against the anonymous rate limit.

Run: ``.venv/bin/python benchmarks/ogc_paging.py [LAYER ...]`` (default: countries settlements).

A fresh store in a temporary folder gets the bundled reference layers; the app runs with its
default options (anonymous limit 300 requests a minute, a burst of 75) on loopback, wrapped in a
counter of items requests and their statuses. Two clients read each layer with default options:
the GDAL bundled with pyogrio (3.8 and later read their page size from the API definition's
``limit`` schema) in a subprocess, and the system ``ogr2ogr`` (Debian bookworm: GDAL 3.6, which
always pages by 10). Printed per client and layer: features read, items requests, 429 answers,
seconds. Not a test: tests/api/test_real_clients.py asserts the GDAL 3.8+ case.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live_server import serving

from greenbri.bootstrap import build_store
from greenbri.config import load_settings
from greenbri.services.api import create_app
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.initialise import initialise_store

_READ = "import pyogrio, sys; print(len(pyogrio.read_dataframe('OAPIF:' + sys.argv[1], layer=sys.argv[2])))"


class Counter:
    """ASGI wrapper: the statuses of items requests."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.statuses: list[int] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/items"):
            await self.app(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await self.app(scope, receive, sending)


def _features(path: Path) -> int | str:
    try:
        return len(json.loads(path.read_text())["features"])
    except (OSError, ValueError):
        return "none"


def main(layers: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="greenbri-paging-") as folder:
        settings = load_settings({"GREENBRI_DATA_DIR": folder, "HOME": folder})
        initialise_store(build_store(settings))
        options = ApiOptions()
        print(
            f"anonymous limit {options.anonymous_rate_per_minute}/min, burst {options.anonymous_rate_per_minute // 4}"
        )
        for layer in layers:
            for client in ("gdal-pyogrio", "ogr2ogr-system"):
                counter = Counter(create_app(settings, options=options))
                with serving(counter) as address:
                    start = time.monotonic()
                    if client == "gdal-pyogrio":
                        done = subprocess.run([sys.executable, "-c", _READ, address, layer], capture_output=True, text=True, check=False)  # fmt: skip
                        read: int | str = done.stdout.strip() or "failed"
                    else:
                        target = Path(folder) / f"{layer}.geojson"
                        subprocess.run(["ogr2ogr", "-f", "GeoJSON", str(target), f"OAPIF:{address}", layer], capture_output=True, check=False)  # fmt: skip
                        read = _features(target)
                        target.unlink(missing_ok=True)
                    seconds = time.monotonic() - start
                print(f"{layer:12} {client:15} features {read!s:>6}  items requests {len(counter.statuses):5}  429s {counter.statuses.count(429):4}  {seconds:6.1f} s")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:] or ["countries", "settlements"])
