"""DuckDB connections with the spatial extension loaded offline.

The extension binary comes from the ``duckdb-extension-spatial`` wheel, pinned to
the same version as ``duckdb``; it is loaded from site-packages, so no network is
needed (DuckDB's own ``INSTALL spatial`` would download it).
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from greenbri.core.errors import StoreError

__all__ = ["connect", "spatial_extension_path"]

logger = logging.getLogger(__name__)


@cache
def spatial_extension_path() -> Path:
    """Path of the spatial extension binary that matches the installed DuckDB."""
    version = duckdb.__version__
    package = resources.files("duckdb_extension_spatial")
    candidate = Path(str(package)) / "extensions" / f"v{version}" / "spatial.duckdb_extension"
    if not candidate.is_file():
        raise StoreError(
            f"The DuckDB spatial extension for DuckDB {version} is not installed (looked in {candidate}).",
            hint=f"install the matching wheel: pip install duckdb=={version} "
            f"duckdb-extension-spatial=={version}.",
        )
    return candidate


def connect(database: str = ":memory:", *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB connection with the spatial extension loaded."""
    connection = duckdb.connect(database, read_only=read_only)
    extension = spatial_extension_path()
    connection.execute(f"LOAD '{extension.as_posix()}'")
    logger.debug("loaded DuckDB spatial extension from %s", extension)
    return connection
