"""A bounded load test of ``greenbri serve`` on loopback: a fixed number of concurrent requests,
a time cap, and assertions on correctness only (no 5xx; the anonymous rate limit holds per real
client), never on speed.

The server is the real command (a subprocess), so what is tested is what users run: uvicorn's own
proxy-header handling (which believes ``X-Forwarded-For`` from 127.0.0.1) is off, and the header is
believed only from ``GREENBRI_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.live_server import free_port

from greenbri.services.api.access import KeyStore

#: Anonymous requests per minute of the server under test: a burst of 15 (a quarter-minute), then 1/s.
RATE = 60
BURST = RATE // 4
TIME_CAP_S = 120.0
CLIENTS = 4
REQUESTS_PER_CLIENT = 25


@contextmanager
def greenbri_serve(data_dir: Path, **environment: str) -> Iterator[tuple[str, str]]:
    """``greenbri serve`` on a free loopback port; yields (base URL, a key for polling it)."""
    _, token = KeyStore(data_dir / "access").create("poll", "viewer", rate_per_minute=100_000)
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("GREENBRI_")},
        "GREENBRI_DATA_DIR": str(data_dir),
        "GREENBRI_API_ANONYMOUS_RATE_PER_MINUTE": str(RATE),
        **environment,
    }
    command = [str(Path(sys.executable).with_name("greenbri")), "serve", "--no-init", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else "exited"
            try:
                if (
                    httpx.get(f"{base}/conformance", headers={"X-API-Key": token}, timeout=2).status_code
                    == 200
                ):
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "greenbri serve did not answer within 60 s"
            time.sleep(0.2)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()


def _load(base: str, forwarded_for: list[str]) -> tuple[list[tuple[str, int, str | None]], float]:
    """GET /conformance once per entry of ``forwarded_for`` (its X-Forwarded-For), 8 at a time."""
    started = time.monotonic()

    def call(value: str) -> tuple[str, int, str | None]:
        if time.monotonic() - started > TIME_CAP_S:
            pytest.fail(f"the load did not finish within {TIME_CAP_S:.0f} s")
        response = client.get("/conformance", headers={"X-Forwarded-For": value})
        return value, response.status_code, response.headers.get("retry-after")

    with httpx.Client(base_url=base, timeout=30) as client, ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, forwarded_for))
    return results, time.monotonic() - started


def _allowed(elapsed_s: float) -> int:
    """The most requests one bucket can grant in ``elapsed_s``: its burst and the refill, plus one."""
    return BURST + int(elapsed_s * RATE / 60) + 1


def test_a_forged_forwarded_for_does_not_escape_the_anonymous_limit(tmp_path) -> None:
    """Each request claims another address; with no trusted proxy they are all one client."""
    with greenbri_serve(tmp_path) as (base, _):
        forged = [f"198.51.100.{index % 250}, 10.0.{index // 250}.{index % 250}" for index in range(80)]
        results, elapsed = _load(base, forged)
    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {200, 429}, statuses
    assert BURST <= statuses[200] <= _allowed(elapsed), (statuses, elapsed)
    assert all(int(retry) >= 1 for _, status, retry in results if status == 429 and retry)


def test_behind_a_trusted_proxy_each_real_client_has_its_own_limit(tmp_path) -> None:
    """With 127.0.0.1 as the proxy, the right-most address it appends is the client; what a client
    puts before it (forged) changes nothing."""
    with greenbri_serve(tmp_path, GREENBRI_TRUSTED_PROXIES="127.0.0.1") as (base, _):
        calls = [
            f"192.0.2.{attempt % 250}, 203.0.113.{client}"
            for attempt in range(REQUESTS_PER_CLIENT)
            for client in range(1, CLIENTS + 1)
        ]
        results, elapsed = _load(base, calls)
    granted = Counter(value.rsplit(", ", 1)[1] for value, status, _ in results if status == 200)
    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {200, 429}, statuses
    assert len(granted) == CLIENTS, granted
    for client, count in granted.items():
        assert BURST <= count <= _allowed(elapsed), (client, count, elapsed)
