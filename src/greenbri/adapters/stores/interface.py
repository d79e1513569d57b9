"""The interface every dataset store implements: what the usecases may ask of a store.

Two stores implement it: :class:`~greenbri.adapters.stores.embedded.EmbeddedStore` (DuckDB +
GeoParquet files, the default) and :class:`~greenbri.adapters.stores.postgis.PostgisStore`
(PostgreSQL + PostGIS). The contract tests in ``tests/store_contract`` run on both.

Portable: the catalog methods, :meth:`DatasetStore.read` (a GeoDataFrame or DataFrame), the writes
and :meth:`DatasetStore.delete`. Two methods differ in kind between the stores:

- :meth:`DatasetStore.locate` gives a local file holding a version. The embedded store's is the
  stored file itself; the PostGIS store exports the version once into a cache under ``data_dir``.
  Treat the file as read-only either way.
- :meth:`DatasetStore.connect` gives a SQL connection with one view per dataset: DuckDB for the
  embedded store, psycopg (PostgreSQL SQL) for PostGIS. Code that needs one dialect must check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from greenbri.adapters.stores.embedded import WriteOutcome
from greenbri.core.catalog import DatasetRecord, DatasetVersion, FeatureRepair, Provenance

__all__ = ["DatasetStore", "WriteOutcome"]


@runtime_checkable
class DatasetStore(Protocol):
    """A catalog of datasets and their immutable, numbered versions."""

    #: A local directory the store may use: its files (embedded) or a cache (server stores).
    data_dir: Path
    #: How long a writer waits for another writer of the same data, in seconds.
    lock_timeout_s: float

    def is_initialised(self) -> bool:
        """Whether the store exists (``greenbri init`` ran or something was written)."""
        ...

    def initialise(self) -> None:
        """Create the store, or bring its layout up to date; idempotent."""
        ...

    def list_datasets(self) -> list[DatasetRecord]:
        """Every dataset, sorted by id."""
        ...

    def get(self, dataset_id: str) -> DatasetRecord:
        """One dataset's record; :class:`~greenbri.core.errors.DatasetNotFoundError` if absent."""
        ...

    def read(
        self,
        dataset_id: str,
        version: int | None = None,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        columns: list[str] | None = None,
    ) -> Any:
        """A version (latest by default) as a GeoDataFrame (EPSG:4326) or DataFrame.

        ``bbox`` (min lon, min lat, max lon, max lat) keeps the features whose bounding box meets it.
        """
        ...

    def locate(self, dataset_id: str, number: int | None = None) -> tuple[DatasetVersion, Path]:
        """A version and a local, read-only file holding it (GeoParquet, Parquet or the document)."""
        ...

    def catalog_stamp(self) -> str:
        """A short text that changes whenever the catalog changes (for caches); ``"empty"`` before any."""
        ...

    def version_path(self, dataset_id: str, number: int | None = None) -> Path:
        """The file of :meth:`locate`."""
        ...

    def connect(self) -> Any:
        """A SQL connection with one view per dataset's latest version (dialect per store)."""
        ...

    def write_frame_version(
        self,
        record: DatasetRecord,
        provenance: Provenance,
        frame: Any,
        *,
        repairs: tuple[FeatureRepair, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> WriteOutcome:
        """Add a version holding ``frame``; the same input bytes and options again is a no-op."""
        ...

    def write_document_version(
        self, record: DatasetRecord, provenance: Provenance, source: Path
    ) -> WriteOutcome:
        """Add a version holding the document file ``source``."""
        ...

    def delete(self, dataset_id: str, version: int | None = None) -> DatasetRecord | None:
        """Delete one version, or the dataset; returns what remains (None when gone)."""
        ...
