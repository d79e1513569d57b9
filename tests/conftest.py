"""Shared fixtures: the real data folder, isolated settings and stores.

The suite runs against either store: ``pytest`` uses the embedded DuckDB + GeoParquet store and
``pytest --store postgis`` the PostGIS store on a throw-away PostgreSQL server (started once for the
session on 127.0.0.1, see ``tests/postgres_server.py``). Tests get their stores from
``store_factory`` (or ``session_store_factory`` for shared fixtures) and their settings from
``data_dir``, which sets ``GREENBRI_STORE`` for the CLI and the API; tests of one store's own files
(the embedded store's layout, the PostGIS tables) open that store by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.postgres_server import PostgresServer, ServerUnavailableError

from greenbri.adapters.stores.factory import EMBEDDED, open_store
from greenbri.adapters.stores.interface import DatasetStore

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPOSITORY.parent / "shared" / "data").resolve()
STORE_KINDS = ("embedded", "postgis")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=STORE_KINDS,
        default="embedded",
        help="the store the suite runs against: embedded (DuckDB + GeoParquet, the default) or "
        "postgis (PostgreSQL + PostGIS from the Debian packages, started by the tests)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"greenbri store under test: {config.getoption('--store')}"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real public files (see its README)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared data folder {SHARED_DATA} is missing; CI provides it beside the repository")
    return SHARED_DATA


@pytest.fixture(scope="session")
def store_kind(pytestconfig: pytest.Config) -> str:
    """``embedded`` or ``postgis``: the ``--store`` option."""
    return str(pytestconfig.getoption("--store"))


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


class StoreFactory:
    """Stores of the kind under test; with PostGIS each data directory gets a database of its own.

    The data directory is the embedded store itself, or the PostGIS store's cache; the same
    directory always opens the same store, so a test's ``data_dir`` and ``open(data_dir)`` agree.
    """

    def __init__(self, kind: str, request: pytest.FixtureRequest) -> None:
        self.kind = kind
        self._request = request
        self._databases: dict[Path, str] = {}
        self._server: PostgresServer | None = None

    def setting(self, directory: Path) -> str:
        """The ``GREENBRI_STORE`` value for ``directory``."""
        if self.kind == "embedded":
            return EMBEDDED
        directory = Path(directory).resolve()
        if directory not in self._databases:
            if self._server is None:
                self._server = self._request.getfixturevalue("postgres_server")
            self._databases[directory] = self._server.create_database()
        return self._databases[directory]

    def environment(self, directory: Path) -> dict[str, str]:
        """``GREENBRI_DATA_DIR`` and ``GREENBRI_STORE`` for a store in ``directory``."""
        return {"GREENBRI_DATA_DIR": str(directory), "GREENBRI_STORE": self.setting(directory)}

    def open(self, directory: Path, **options: Any) -> DatasetStore:
        """The store in (or cached in) ``directory``."""
        return open_store(self.setting(directory), data_dir=Path(directory), **options)

    def close(self) -> None:
        """Drop the databases (a server already stopped at the session's end took them with it);
        every database is tried, the first failure is raised after."""
        failures: list[Exception] = []
        if self._server is not None and self._server.running:
            for dsn in self._databases.values():
                try:
                    self._server.drop_database(dsn)
                except Exception as error:
                    failures.append(error)
        self._databases.clear()
        if failures:
            raise failures[0]


@pytest.fixture()
def store_factory(store_kind: str, request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Opens stores of the kind under test for one test; their databases are dropped after it."""
    factory = StoreFactory(store_kind, request)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def session_store_factory(store_kind: str, request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Opens stores of the kind under test for session-wide fixtures."""
    factory = StoreFactory(store_kind, request)
    yield factory
    factory.close()


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_factory: StoreFactory) -> Path:
    """An empty data directory, set as GREENBRI_DATA_DIR (and its store as GREENBRI_STORE) for the test."""
    directory = tmp_path / "store"
    for variable, value in store_factory.environment(directory).items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("GREENBRI_MIRROR", raising=False)
    return directory


@pytest.fixture()
def dataset_store(data_dir: Path, store_factory: StoreFactory) -> DatasetStore:
    """The (empty) store of ``data_dir``, of the kind under test."""
    return store_factory.open(data_dir)
