"""``any_store``: every contract test runs once on the embedded store and once on PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.store_contract.postgres_server import PostgresServer, ServerUnavailableError

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.postgis import PostgisStore


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL + PostGIS server for the session; a missing installation fails the tests."""
    try:
        server = PostgresServer.start()
    except ServerUnavailableError as error:
        pytest.fail(f"cannot start PostgreSQL for the PostGIS store tests: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def postgis_dsn(postgres_server: PostgresServer) -> str:
    """The DSN of a PostGIS database holding nothing of greenbri's, for one test."""
    return postgres_server.new_database()


@pytest.fixture(params=["embedded", "postgis"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """An empty store of each kind."""
    if request.param == "embedded":
        return EmbeddedStore(tmp_path / "store")
    return PostgisStore(request.getfixturevalue("postgis_dsn"), data_dir=tmp_path / "store")
