"""A throw-away PostgreSQL + PostGIS server for the tests (``--store postgis`` and the store contract).

The Debian packages (scripts/system-packages.sh) provide the binaries; the server runs from a
fresh cluster in a temporary directory on 127.0.0.1 and a free port, with its socket in the same
directory. PostgreSQL refuses to run as root, so when the tests run as root (CI does) the cluster
belongs to the ``postgres`` user the Debian package creates and its commands run through
``runuser``. Durability settings are off: the tests kill clients, never the server.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

SETUP_HINT = "run 'bash scripts/system-packages.sh' as root (CI does) to install PostgreSQL and PostGIS"
DATABASE = "greenbri_test"
#: Holds only PostGIS; never connected to after start, so it can be copied.
TEMPLATE = "greenbri_template"


class ServerUnavailableError(RuntimeError):
    """The binaries or the user needed to start the server are missing."""


def _binaries() -> Path:
    for directory in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
    ):
        version = directory.parent.name
        if (directory / "initdb").is_file() and Path(
            f"/usr/share/postgresql/{version}/extension/postgis.control"
        ).is_file():
            return directory
    raise ServerUnavailableError(f"no PostgreSQL with PostGIS under /usr/lib/postgresql; {SETUP_HINT}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running cluster with a PostGIS database; :meth:`new_database` empties it for the next test."""

    directory: Path
    binaries: Path
    port: int
    run_as: str | None
    _created: int = 0
    running: bool = True

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.is_file() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}\n{tail}")

    def dsn(self, database: str) -> str:
        return f"postgresql://greenbri@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> PostgresServer:
        binaries = _binaries()
        run_as = None
        directory = Path(tempfile.mkdtemp(prefix="greenbri-postgres-"))
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise ServerUnavailableError(
                    f"running as root needs the 'postgres' user; {SETUP_HINT}"
                ) from None
            if shutil.which("runuser") is None:
                raise ServerUnavailableError("running as root needs runuser (util-linux)")
            os.chown(directory, account.pw_uid, account.pw_gid)
            run_as = "postgres"
        server = cls(directory, binaries, _free_port(), run_as)
        data = directory / "data"
        server._run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "greenbri",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = (
            f"-h 127.0.0.1 -p {server.port} -k {directory} -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=60"
        )
        server._run(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(directory / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        with psycopg.connect(server.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
            connection.execute(f"CREATE DATABASE {DATABASE}")
        for database in (TEMPLATE, DATABASE):
            with psycopg.connect(server.dsn(database), autocommit=True) as connection:
                connection.execute("CREATE EXTENSION postgis")
        return server

    def new_database(self) -> str:
        """The session's shared PostGIS database, emptied of greenbri's schemas; returns its DSN.

        Emptying it (ending stray sessions, dropping the schemas) is the fastest way to a clean
        store for one test; tests that need a store of their own beside it use :meth:`create_database`.
        """
        dsn = self.dsn(DATABASE)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            connection.execute("DROP SCHEMA IF EXISTS greenbri, greenbri_versions, greenbri_latest CASCADE")
        return dsn

    def create_database(self) -> str:
        """A new database copied from the PostGIS one (about 20 ms); returns its DSN."""
        self._created += 1
        name = f"{DATABASE}_{os.getpid()}_{self._created}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.dsn(name)

    def drop_database(self, dsn: str) -> None:
        """Drop a database made by :meth:`create_database`, ending its sessions."""
        name = dsn.rsplit("/", 1)[1]
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        self.running = False
        try:
            self._run(
                str(self.binaries / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"
            )
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
