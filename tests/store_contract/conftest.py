"""``any_store``: every contract test runs once on the embedded store and once on PostGIS,
whichever store the rest of the suite runs against (``--store``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.postgres_server import PostgresServer

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.postgis import PostgisStore


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
