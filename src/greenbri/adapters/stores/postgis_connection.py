"""Connections to the PostGIS store: opening them, masking passwords, per-dataset write locks.

Writers of one dataset take a session-level advisory lock keyed by the dataset id, so two
imports of the same dataset run one after the other while imports of different datasets run
in parallel. The server releases the lock when the session ends, also when the writer is killed.
"""

from __future__ import annotations

import logging
import re
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict

from greenbri.core.errors import StoreError, StoreLockedError

__all__ = ["dataset_lock", "lock_key", "mask_dsn", "open_connection", "scrub"]

logger = logging.getLogger(__name__)

#: First half of every advisory lock key greenbri takes ("grbr"); the second is per dataset.
LOCK_NAMESPACE = 0x67726272
#: Second half of the key serialising schema migrations.
MIGRATION_LOCK = 0
_POLL_S = 0.05
_URL_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*):[^@/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*")


def mask_dsn(dsn: str) -> str:
    """``dsn`` with any password replaced by ``***``, fit for messages and logs."""
    if "://" in dsn:
        masked = _URL_PASSWORD.sub(r"\1:***@", dsn, count=1)
        return _QUERY_PASSWORD.sub(r"\1***", masked)
    try:
        values = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(unparseable connection string)"
    return " ".join(f"{key}={'***' if key == 'password' else value}" for key, value in values.items())


def scrub(text: str, dsn: str) -> str:
    """``text`` without the password of ``dsn`` (for driver errors passed on to users)."""
    try:
        password = conninfo_to_dict(dsn).get("password")
    except psycopg.ProgrammingError:
        return text
    return text.replace(str(password), "***") if password else text


def open_connection(dsn: str, *, search_path: str = "greenbri, public") -> psycopg.Connection:
    """An autocommit connection (callers open transactions explicitly), times in UTC."""
    try:
        return psycopg.connect(
            dsn,
            autocommit=True,
            options=f"-c search_path={search_path.replace(' ', '')} -c TimeZone=UTC",
            application_name="greenbri",
        )
    except psycopg.Error as error:
        raise StoreError(
            f"Cannot connect to the PostGIS store at {mask_dsn(dsn)}: {scrub(str(error).strip(), dsn)}",
            hint="check GREENBRI_STORE and that the server is running; give the password in PGPASSWORD "
            "or ~/.pgpass rather than in the URL.",
        ) from None


def lock_key(dataset_id: str) -> tuple[int, int]:
    """The advisory lock key of a dataset: (namespace, signed 32-bit CRC of the id)."""
    checksum = zlib.crc32(dataset_id.encode("utf-8"))
    return LOCK_NAMESPACE, checksum - (1 << 32) if checksum >= 1 << 31 else checksum


@contextmanager
def dataset_lock(
    connection: psycopg.Connection, dataset_id: str, *, timeout_s: float, location: str
) -> Iterator[None]:
    """Hold the write lock of ``dataset_id`` on ``connection`` for the block.

    Waits up to ``timeout_s`` seconds, then raises :class:`StoreLockedError` naming the
    server process (pid) of the session holding it.
    """
    namespace, key = lock_key(dataset_id)
    deadline = time.monotonic() + timeout_s
    while True:
        row = connection.execute("SELECT pg_try_advisory_lock(%s, %s)", (namespace, key)).fetchone()
        if row and row[0]:
            break
        if time.monotonic() >= deadline:
            raise StoreLockedError(
                f"Dataset {dataset_id!r} in the PostGIS store at {location} is being written by another "
                f"session (server pid {_holder(connection, namespace, key)}); waited {timeout_s:g} s.",
                hint="wait for that import to finish, or raise GREENBRI_LOCK_TIMEOUT_S.",
            )
        time.sleep(_POLL_S)
    try:
        yield
    finally:
        if not connection.closed:
            connection.execute("SELECT pg_advisory_unlock(%s, %s)", (namespace, key))


def _holder(connection: psycopg.Connection, namespace: int, key: int) -> str:
    row = connection.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "
        "AND classid = %s::bigint::oid AND objid = (%s::bigint & 4294967295)::oid",
        (namespace, key),
    ).fetchone()
    return str(row[0]) if row else "unknown"
