"""Open the store that the ``GREENBRI_STORE`` setting selects.

``embedded`` (the default) is the DuckDB + GeoParquet store in the data directory; a PostgreSQL
URL (``postgresql://user@host:5432/database``) is the PostGIS store on that server.
"""

from __future__ import annotations

from pathlib import Path

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.errors import ConfigurationError

__all__ = ["EMBEDDED", "POSTGRESQL_SCHEMES", "is_postgresql_url", "open_store"]

EMBEDDED = "embedded"
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql_url(setting: str) -> bool:
    """Whether ``setting`` names a PostgreSQL server (a ``postgresql://`` or ``postgres://`` URL)."""
    return setting.startswith(POSTGRESQL_SCHEMES)


def open_store(setting: str, *, data_dir: Path, lock_timeout_s: float = 30.0) -> DatasetStore:
    """The store ``setting`` selects; ``data_dir`` is its directory (embedded) or its cache (PostGIS)."""
    if setting == EMBEDDED:
        return EmbeddedStore(data_dir, lock_timeout_s=lock_timeout_s)
    if is_postgresql_url(setting):
        from greenbri.adapters.stores.postgis import PostgisStore  # psycopg only for this store

        return PostgisStore(setting, data_dir=data_dir, lock_timeout_s=lock_timeout_s)
    raise ConfigurationError(
        "GREENBRI_STORE names no known store.",
        hint="use 'embedded' or a PostgreSQL URL such as postgresql://greenbri@localhost:5432/greenbri.",
    )
