"""Versioned schema migrations of the PostGIS store.

The SQL files in :mod:`greenbri.adapters.stores.migrations` are named ``NNNN_what.sql`` and
applied in order, each once, recorded in ``greenbri.schema_migrations``. All pending files are
applied in one transaction under an advisory lock, so concurrent first starts apply them once and
a failure applies none. A database migrated by a newer greenbri is refused, not modified.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

from greenbri.adapters.stores.postgis_connection import LOCK_NAMESPACE, MIGRATION_LOCK
from greenbri.core.errors import StoreError

__all__ = ["Migration", "applied_migrations", "available_migrations", "migrate"]

logger = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_BOOKKEEPING = """
CREATE SCHEMA IF NOT EXISTS greenbri;
CREATE TABLE IF NOT EXISTS greenbri.schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class Migration:
    """One SQL file: its number, its name and its statements."""

    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with this greenbri, in order."""
    found = []
    for entry in resources.files("greenbri.adapters.stores.migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    return found


def applied_migrations(connection: psycopg.Connection) -> list[int]:
    """Versions applied to the database, empty when greenbri never ran there."""
    row = connection.execute("SELECT to_regclass('greenbri.schema_migrations') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return []
    return [version for (version,) in connection.execute("SELECT version FROM greenbri.schema_migrations")]


def migrate(connection: psycopg.Connection, *, location: str) -> list[int]:
    """Apply the pending migrations; returns the versions applied (empty when up to date)."""
    known = available_migrations()
    try:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, MIGRATION_LOCK))
            connection.execute(_BOOKKEEPING)
            applied = set(applied_migrations(connection))
            newest = max((migration.version for migration in known), default=0)
            if applied and max(applied) > newest:
                raise StoreError(
                    f"The PostGIS store at {location} has schema version {max(applied)}, newer than this "
                    f"greenbri understands ({newest}).",
                    hint="upgrade greenbri.",
                )
            pending = [migration for migration in known if migration.version not in applied]
            for migration in pending:
                logger.info("applying migration %04d_%s to %s", migration.version, migration.name, location)
                connection.execute(migration.sql.encode("utf-8"))
                connection.execute(
                    "INSERT INTO greenbri.schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
    except psycopg.errors.UndefinedFile:
        raise StoreError(
            f"PostGIS is not installed on the server of the PostGIS store at {location}.",
            hint="install it on the server (Debian: postgresql-15-postgis-3, see scripts/system-packages.sh).",
        ) from None
    except psycopg.errors.InsufficientPrivilege as error:
        raise StoreError(
            f"The user of the PostGIS store at {location} may not create greenbri's schemas: "
            f"{str(error).strip()}",
            hint="have the database owner run 'CREATE EXTENSION postgis' and grant CREATE on the database.",
        ) from None
    return [migration.version for migration in pending]
