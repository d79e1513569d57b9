"""The PostGIS server store: the embedded store's interface on PostgreSQL + PostGIS.

Layout (created by the versioned migrations in ``migrations/``)::

    greenbri.datasets            one row per dataset: the DatasetRecord as JSONB, the same
                                 serialisation as one entry of the embedded store's catalog.json
    greenbri.version_numbers     the highest version number ever handed out, per dataset
    greenbri.version_storage     where each version lives (table name and Arrow schema, or bytes)
    greenbri_versions."<table>"  one table per version: typed columns, geometry(Geometry, 4326)
                                 with a GiST index; named ``<id>@v<N>``
    greenbri_latest."<id>"       one view per dataset over its latest version

One table per version rather than one shared features table: versions have different columns,
typed columns keep the data queryable and round-trip exactly, a delete is a ``DROP TABLE``, and
each GiST index covers one layer. Writers of a dataset take its advisory lock (see
:mod:`~greenbri.adapters.stores.postgis_connection`); the version number is reserved and committed
first, then the data, the catalog row and the view are written in one transaction, so a killed
writer leaves nothing but a gap in the numbers, as in the embedded store. Readers take no lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

from greenbri.adapters.stores import postgis_catalog as catalog
from greenbri.adapters.stores.embedded import WriteOutcome
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.adapters.stores.parquet_files import WrittenFile, version_of, write_frame
from greenbri.adapters.stores.postgis_connection import dataset_lock, mask_dsn, open_connection, scrub
from greenbri.adapters.stores.postgis_migrations import applied_migrations, migrate
from greenbri.adapters.stores.postgis_tables import copy_into_table, read_table
from greenbri.core.catalog import DatasetKind, DatasetRecord, DatasetVersion, FeatureRepair, Provenance
from greenbri.core.errors import DatasetNotFoundError, StoreError, VersionNotFoundError

__all__ = ["PostgisStore"]

logger = logging.getLogger(__name__)

#: Stores version ``number`` inside the publishing transaction; returns (written file or None, file name).
_Writer = Callable[[psycopg.Connection, int], tuple[WrittenFile | None, str]]


class PostgisStore:
    """PostgreSQL + PostGIS store at ``dsn``; see the module docstring.

    ``data_dir`` holds only a cache of exported version files (:meth:`locate`).
    """

    def __init__(self, dsn: str, *, data_dir: Path, lock_timeout_s: float = 30.0) -> None:
        self.dsn = dsn
        self.data_dir = Path(data_dir)
        self.lock_timeout_s = lock_timeout_s
        self.location = mask_dsn(dsn)
        self._migrated = False

    def __repr__(self) -> str:
        return f"PostgisStore({self.location!r})"

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        connection = open_connection(self.dsn)
        try:
            yield connection
        except psycopg.Error as error:
            raise StoreError(
                f"The PostGIS store at {self.location} failed: {scrub(str(error).strip(), self.dsn)}",
                hint="check the server's log; the store is left as it was before this operation.",
            ) from error
        finally:
            connection.close()

    # -- schema --------------------------------------------------------------------------

    def is_initialised(self) -> bool:
        with self._connection() as connection:
            return bool(applied_migrations(connection))

    def initialise(self) -> None:
        """Create or upgrade greenbri's schemas (idempotent)."""
        with self._connection() as connection:
            migrate(connection, location=self.location)
        self._migrated = True

    # -- reading -------------------------------------------------------------------------

    def list_datasets(self) -> list[DatasetRecord]:
        """Every dataset in the catalog, sorted by id."""
        with self._connection() as connection:
            return catalog.load_records(connection)

    def catalog_stamp(self) -> str:
        """Changes whenever a catalog row is written or deleted (row count and a digest of ids and times)."""
        with self._connection() as connection:
            if not applied_migrations(connection):
                return "empty"
            row = connection.execute(
                "SELECT count(*), coalesce(md5(string_agg(id || '@' || updated_at::text, ',' ORDER BY id)), '') "
                "FROM greenbri.datasets"
            ).fetchone()
        return f"{row[0]}-{row[1]}" if row and row[0] else "empty"

    def get(self, dataset_id: str) -> DatasetRecord:
        """The record of ``dataset_id``; :class:`DatasetNotFoundError` if absent."""
        with self._connection() as connection:
            found = catalog.load_records(connection, dataset_id)
            if not found:
                known = ", ".join(record.id for record in catalog.load_records(connection)) or "none"
                raise DatasetNotFoundError(
                    f"No dataset {dataset_id!r} in the PostGIS store at {self.location}.",
                    hint=f"run 'greenbri datasets list' to see the ids (known: {known}).",
                )
            return found[0]

    def read(
        self,
        dataset_id: str,
        version: int | None = None,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        columns: list[str] | None = None,
    ) -> Any:
        """A version as a GeoDataFrame (vector layers) or DataFrame (tables); ``bbox`` filters in the server."""
        found = self.get(dataset_id).require_version(version)
        if found.kind is DatasetKind.DOCUMENT:
            raise StoreError(
                f"Version {found.number} of dataset {dataset_id!r} is a document, not a table.",
                hint="use 'greenbri datasets export' to get the file.",
            )
        with self._connection() as connection:
            stored = catalog.stored_table(connection, dataset_id, found.number)
            try:
                if stored is None:
                    raise psycopg.errors.UndefinedTable()
                return read_table(
                    connection,
                    stored.table_name,
                    stored.schema,
                    stored.geometry_column,
                    bbox=bbox,
                    columns=columns,
                )
            except psycopg.errors.UndefinedTable:
                raise _deleted_while_read(dataset_id, found.number) from None

    def locate(self, dataset_id: str, number: int | None = None) -> tuple[DatasetVersion, Path]:
        """A version (latest by default) and a local file holding it.

        The server has no files: the version is exported once into ``<data_dir>/cache/postgis/``
        (GeoParquet or Parquet as the embedded store writes them, a document as it was imported)
        and the cached file is returned; versions never change, so the cache never goes stale.
        """
        version = self.get(dataset_id).require_version(number)
        identity = [self.location, dataset_id, str(version.number), version.provenance.recorded_at]
        key = hashlib.sha256("\n".join([*identity, version.provenance.input_sha256]).encode()).hexdigest()[
            :20
        ]
        path = self.data_dir / "cache" / "postgis" / key / version.file_name
        if path.is_file():
            return version, path
        path.parent.mkdir(parents=True, exist_ok=True)
        with renamed_into_place(path) as temporary:
            if version.kind is DatasetKind.DOCUMENT:
                with self._connection() as connection:
                    content = catalog.load_document(connection, dataset_id, version.number)
                if content is None:
                    raise _deleted_while_read(dataset_id, version.number)
                temporary.write_bytes(content)
            else:
                write_frame(self.read(dataset_id, version.number), temporary)
        return version, path

    def version_path(self, dataset_id: str, number: int | None = None) -> Path:
        """A local file holding a version (latest by default); see :meth:`locate`."""
        return self.locate(dataset_id, number)[1]

    def connect(self) -> psycopg.Connection:
        """A psycopg connection (autocommit) whose search path starts with one view per dataset.

        View names are the dataset ids (quote them: ``SELECT * FROM "ramsar-ukraine"``); geometry
        columns are PostGIS geometries in EPSG:4326. Unlike the embedded store this is not DuckDB:
        the SQL dialect is PostgreSQL's. Close the connection when done.
        """
        return open_connection(self.dsn, search_path="greenbri_latest, public")

    # -- writing -------------------------------------------------------------------------

    def write_frame_version(
        self,
        record: DatasetRecord,
        provenance: Provenance,
        frame: Any,
        *,
        repairs: tuple[FeatureRepair, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> WriteOutcome:
        """Add a version holding ``frame`` (a GeoDataFrame or DataFrame)."""

        def write(connection: psycopg.Connection, number: int) -> tuple[WrittenFile | None, str]:
            # written as the embedded store writes it, so both record the same schema and extents
            with tempfile.TemporaryDirectory(prefix="greenbri-postgis-") as directory:
                written = write_frame(frame, Path(directory) / "data.parquet")
                data = pq.read_table(Path(directory) / "data.parquet")
            geometry = _geometry_column(data.schema)
            if geometry and "bbox" in data.schema.names:
                data = data.drop_columns(["bbox"])
            stored = catalog.StoredTable(catalog.version_table_name(record.id, number), data.schema, geometry)
            copy_into_table(connection, stored.table_name, data, geometry)
            catalog.save_table(connection, record.id, number, stored)
            return written, "data.parquet"

        return self._write(record, provenance, write, repairs=repairs, warnings=warnings)

    def write_document_version(
        self, record: DatasetRecord, provenance: Provenance, source: Path
    ) -> WriteOutcome:
        """Add a version holding the bytes of the document file ``source``."""

        def write(connection: psycopg.Connection, number: int) -> tuple[WrittenFile | None, str]:
            catalog.save_document(connection, record.id, number, Path(source).read_bytes())
            return None, Path(source).name

        return self._write(record, provenance, write)

    def _write(
        self,
        record: DatasetRecord,
        provenance: Provenance,
        write: _Writer,
        *,
        repairs: tuple[FeatureRepair, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> WriteOutcome:
        if not self._migrated:
            self.initialise()
        with self._connection() as connection, self._locked(connection, record.id):
            found = catalog.load_records(connection, record.id)
            existing = found[0] if found else None
            latest = existing.latest if existing else None
            if existing and latest and latest.provenance.same_input(provenance):
                updated = existing.describe_like(replace(record, kind=latest.kind))
                if updated != existing:
                    catalog.save_record(connection, updated)
                return WriteOutcome(updated, latest, created=False, metadata_updated=updated != existing)
            # committed on its own: a writer killed after this leaves a gap, never a reused number
            number = catalog.reserve_number(connection, existing, record.id)
            with connection.transaction():
                base = existing.describe_like(record) if existing else replace(record, versions=())
                catalog.save_record(connection, base)  # first: version_storage refers to it
                written, file_name = write(connection, number)
                version = version_of(
                    written,
                    number=number,
                    provenance=provenance,
                    file_name=file_name,
                    kind=record.kind,
                    repairs=repairs,
                    warnings=warnings,
                )
                updated = base.with_version(version)
                catalog.save_record(connection, updated)
                catalog.refresh_view(connection, record.id, updated)
            logger.info("stored %s version %d (%d features)", record.id, number, version.feature_count)
            return WriteOutcome(updated, version, created=True)

    @contextmanager
    def _locked(self, connection: psycopg.Connection, dataset_id: str) -> Iterator[None]:
        with dataset_lock(connection, dataset_id, timeout_s=self.lock_timeout_s, location=self.location):
            yield

    def delete(self, dataset_id: str, version: int | None = None) -> DatasetRecord | None:
        """Delete one version, or the whole dataset when ``version`` is None.

        Returns what remains of the record (None when the dataset is gone).
        """
        if not self._migrated:
            self.initialise()
        with self._connection() as connection, self._locked(connection, dataset_id):
            found = catalog.load_records(connection, dataset_id)
            if not found:
                raise DatasetNotFoundError(
                    f"No dataset {dataset_id!r} in the PostGIS store at {self.location}.",
                    hint="run 'greenbri datasets list' to see the ids.",
                )
            record = found[0]
            if version is None:
                numbers, remaining = [item.number for item in record.versions], None
            else:
                numbers = [record.require_version(version).number]
                remaining = record.without_version(version)
            with connection.transaction():
                catalog.refresh_view(connection, dataset_id, remaining)  # first: the view uses the tables
                catalog.delete_versions(connection, dataset_id, numbers)
                if remaining is None:
                    connection.execute("DELETE FROM greenbri.datasets WHERE id = %s", (dataset_id,))
                else:
                    catalog.save_record(connection, remaining)
            return remaining


def _deleted_while_read(dataset_id: str, number: int) -> VersionNotFoundError:
    return VersionNotFoundError(
        f"Version {number} of dataset {dataset_id!r} was deleted while it was being read.",
        hint="run 'greenbri datasets versions' and read a version that exists.",
    )


def _geometry_column(schema: pa.Schema) -> str | None:
    """The primary geometry column named in GeoParquet's ``geo`` metadata, if any."""
    metadata = schema.metadata or {}
    return str(json.loads(metadata[b"geo"])["primary_column"]) if b"geo" in metadata else None
