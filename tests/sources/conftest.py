"""Fixtures for the connector tests: the shared real-data mirror and offline HTTP clients.

No test here uses the network: every HttpClient runs on an ``httpx.MockTransport``
and records its back-off sleeps instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.http import HttpClient
from greenbri.adapters.sources.mirror import DirectoryMirror

MIRROR_ROOT = (Path(__file__).resolve().parents[2].parent / "shared" / "data").resolve()

Handler = Callable[[httpx.Request], httpx.Response]


def no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected HTTP request in an offline test: {request.method} {request.url}")


class ClientFactory:
    """Builds HttpClients on a MockTransport; ``sleeps`` collects the waits they asked for."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, handler: Handler = no_network, **kwargs: Any) -> HttpClient:
        kwargs.setdefault("random", lambda: 0.5)
        return HttpClient(transport=httpx.MockTransport(handler), sleep=self.sleeps.append, **kwargs)


@pytest.fixture
def client_factory() -> ClientFactory:
    return ClientFactory()


@pytest.fixture
def shared_mirror() -> Path:
    """The real public data at ../shared/data, used as a directory mirror."""
    if not MIRROR_ROOT.is_dir():
        pytest.fail(f"the shared data folder {MIRROR_ROOT} is missing; CI provides it beside the repository")
    return MIRROR_ROOT


@pytest.fixture
def mirror_context(
    shared_mirror: Path, tmp_path: Path, client_factory: ClientFactory
) -> Callable[..., FetchContext]:
    """``mirror_context(options)``: a FetchContext on the shared mirror, offline, with a fresh cache."""

    def build(options: Mapping[str, str] | None = None) -> FetchContext:
        return FetchContext(
            client=client_factory(),
            mirror=DirectoryMirror(shared_mirror),
            cache_dir=tmp_path / "cache",
            options=dict(options or {}),
        )

    return build
