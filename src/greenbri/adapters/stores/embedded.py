"""The embedded default store: GeoParquet files and a JSON catalog in one directory.

Layout of the data directory::

    catalog.json                    the catalog: every dataset and its versions
    .write.lock                     the single-writer lock
    datasets/<id>/v<N>/data.parquet one immutable file per version
    staging/<token>/                versions being written (never read)

A write happens under the lock in three steps: the version is written and
flushed in ``staging/``, renamed into ``datasets/<id>/v<N>``, and the catalog is
replaced atomically. A process killed at any point leaves the previous catalog
in force, and every version it names intact; leftovers in ``staging/`` and
unnamed version directories are swept by the next writer. Readers take no lock.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import (
    fsync_directory,
    fsync_tree,
    renamed_into_place,
    sweep_partials,
    write_json_atomic,
)
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.catalog import (
    DatasetKind,
    DatasetRecord,
    DatasetVersion,
    FeatureRepair,
    Provenance,
)
from greenbri.core.errors import DatasetNotFoundError, StoreError, VersionNotFoundError

__all__ = ["CATALOG_FORMAT", "EmbeddedStore", "WriteOutcome"]

logger = logging.getLogger(__name__)

#: Version of the catalog file's layout; bumped with a migration when it changes.
CATALOG_FORMAT = 1


# DuckDB, pyarrow and geopandas are imported when a version is read, written or queried, not when the
# catalog is listed (``greenbri datasets list`` starts fast). Module-level names, so tests can wrap them.
def connect() -> Any:
    from greenbri.adapters.stores.duckdb_engine import connect as duckdb_connect

    return duckdb_connect()


def read_frame(*arguments: Any, **keywords: Any) -> Any:
    from greenbri.adapters.stores import parquet_files

    return parquet_files.read_frame(*arguments, **keywords)


def version_of(*arguments: Any, **keywords: Any) -> Any:
    from greenbri.adapters.stores import parquet_files

    return parquet_files.version_of(*arguments, **keywords)


def write_frame(*arguments: Any, **keywords: Any) -> Any:
    from greenbri.adapters.stores import parquet_files

    return parquet_files.write_frame(*arguments, **keywords)


@dataclass(frozen=True)
class WriteOutcome:
    """The result of :meth:`EmbeddedStore.write_version`."""

    record: DatasetRecord
    version: DatasetVersion
    created: bool
    metadata_updated: bool = False


class EmbeddedStore:
    """DuckDB + GeoParquet store in ``data_dir``; see the module docstring."""

    def __init__(self, data_dir: Path, *, lock_timeout_s: float = 30.0) -> None:
        self.data_dir = Path(data_dir)
        self.lock_timeout_s = lock_timeout_s

    # -- paths -------------------------------------------------------------------------

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.json"

    def catalog_stamp(self) -> str:
        """Changes whenever the catalog file is replaced (modification time and size)."""
        try:
            status = self.catalog_path.stat()
        except FileNotFoundError:
            return "empty"
        return f"{status.st_mtime_ns}-{status.st_size}"

    def version_directory(self, dataset_id: str, number: int) -> Path:
        return self.data_dir / "datasets" / dataset_id / f"v{number}"

    def version_path(self, dataset_id: str, number: int | None = None) -> Path:
        """Path of the file holding a version (latest by default)."""
        return self.locate(dataset_id, number)[1]

    def locate(self, dataset_id: str, number: int | None = None) -> tuple[DatasetVersion, Path]:
        """A version (latest by default) and the path of its file, resolved from one catalog read."""
        version = self.get(dataset_id).require_version(number)
        return version, self.version_directory(dataset_id, version.number) / version.file_name

    # -- reading -----------------------------------------------------------------------

    def is_initialised(self) -> bool:
        return self.catalog_path.is_file()

    def _load_catalog(self) -> dict[str, DatasetRecord]:
        if not self.catalog_path.is_file():
            return {}
        try:
            data = json.loads(self.catalog_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise StoreError(
                f"The catalog {self.catalog_path} is not valid JSON ({error}).",
                hint="restore it from a backup; greenbri only ever replaces it whole.",
            ) from None
        if data.get("format", 0) > CATALOG_FORMAT:
            raise StoreError(
                f"The catalog {self.catalog_path} has format {data['format']}, newer than this greenbri "
                f"understands ({CATALOG_FORMAT}).",
                hint="upgrade greenbri.",
            )
        return {item["id"]: DatasetRecord.from_dict(item) for item in data.get("datasets", [])}

    def list_datasets(self) -> list[DatasetRecord]:
        """Every dataset in the catalog, sorted by id."""
        return [record for _, record in sorted(self._load_catalog().items())]

    def get(self, dataset_id: str) -> DatasetRecord:
        """The record of ``dataset_id``; :class:`DatasetNotFoundError` if absent."""
        catalog = self._load_catalog()
        if dataset_id not in catalog:
            known = ", ".join(sorted(catalog)) or "none"
            raise DatasetNotFoundError(
                f"No dataset {dataset_id!r} in the catalog at {self.data_dir}.",
                hint=f"run 'greenbri datasets list' to see the ids (known: {known}).",
            )
        return catalog[dataset_id]

    def read(
        self,
        dataset_id: str,
        version: int | None = None,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        columns: list[str] | None = None,
    ) -> Any:
        """A version as a GeoDataFrame (vector layers) or DataFrame (tables)."""
        found, path = self.locate(dataset_id, version)
        if found.kind is DatasetKind.DOCUMENT:
            raise StoreError(
                f"Version {found.number} of dataset {dataset_id!r} is a document, not a table.",
                hint="use 'greenbri datasets export' to get the file.",
            )
        try:
            return read_frame(path, vector=found.kind is DatasetKind.VECTOR_LAYER, bbox=bbox, columns=columns)
        except FileNotFoundError:
            raise VersionNotFoundError(
                f"Version {found.number} of dataset {dataset_id!r} was deleted while it was being read.",
                hint="run 'greenbri datasets versions' and read a version that exists.",
            ) from None

    def connect(self) -> Any:
        """An in-memory DuckDB connection with one view per dataset's latest version.

        View names are the dataset ids (quote them: ``SELECT * FROM "ramsar-ukraine"``);
        geometry columns are GEOMETRY values.
        """
        connection = connect()
        for record in self.list_datasets():
            latest = record.latest
            if latest is None or latest.kind is DatasetKind.DOCUMENT:
                continue
            location = self.version_directory(record.id, latest.number) / latest.file_name
            path = location.as_posix().replace("'", "''")
            connection.execute(f"CREATE VIEW \"{record.id}\" AS SELECT * FROM read_parquet('{path}')")
        return connection

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[dict[str, DatasetRecord]]:
        with write_lock(self.data_dir / ".write.lock", timeout_s=self.lock_timeout_s):
            catalog = self._load_catalog()
            self._sweep(catalog)
            yield catalog

    def _publish(self, catalog: dict[str, DatasetRecord]) -> None:
        write_json_atomic(
            self.catalog_path,
            {"format": CATALOG_FORMAT, "datasets": [catalog[key].to_dict() for key in sorted(catalog)]},
        )

    def _sweep(self, catalog: dict[str, DatasetRecord], *, quiet: bool = False) -> None:
        """Remove what interrupted writes (or a delete) left behind: staging and unnamed versions."""
        shutil.rmtree(self.data_dir / "staging", ignore_errors=True)
        sweep_partials(self.data_dir)
        sweep_partials(self.data_dir / "datasets")
        for leftover in self.data_dir.glob(".catalog.json.*.tmp"):  # written by earlier versions
            leftover.unlink(missing_ok=True)
        datasets = self.data_dir / "datasets"
        if not datasets.is_dir():
            return
        for directory in sorted(path for path in datasets.iterdir() if path.is_dir()):
            record = catalog.get(directory.name)
            named = {f"v{item.number}" for item in record.versions} if record else set()
            for version_directory in sorted(directory.iterdir()):
                if version_directory.name not in named:
                    if not quiet:
                        logger.warning("removing unpublished leftover %s", version_directory)
                    shutil.rmtree(version_directory, ignore_errors=True)
            if not named:
                shutil.rmtree(directory, ignore_errors=True)

    def initialise(self) -> None:
        """Create the directory and an empty catalog if there is none."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._writing() as catalog:
            if not self.catalog_path.is_file():
                self._publish(catalog)

    def write_version(
        self,
        record: DatasetRecord,
        provenance: Provenance,
        write: Callable[[Path], tuple[Any, str]],
        *,
        repairs: tuple[FeatureRepair, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> WriteOutcome:
        """Add a version of ``record`` made by ``write(directory) -> (WrittenFile | None, file name)``.

        If the latest version came from the same input bytes and options (same
        ``input_sha256`` and ``options_digest``), nothing is written and the
        existing version is returned with ``created=False``: re-running an import
        is idempotent. The record's descriptive metadata replaces the stored one.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._writing() as catalog:
            existing = catalog.get(record.id)
            latest = existing.latest if existing else None
            if existing and latest and latest.provenance.same_input(provenance):
                updated = existing.describe_like(replace(record, kind=latest.kind))
                changed = updated != existing
                if changed:
                    catalog[record.id] = updated
                    self._publish(catalog)
                return WriteOutcome(updated, latest, created=False, metadata_updated=changed)
            number = self._next_number(record.id, existing)
            staging = self.data_dir / "staging" / secrets.token_hex(8)
            staging.mkdir(parents=True)
            try:
                written, file_name = write(staging)
                fsync_tree(staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            version = version_of(
                written,
                number=number,
                provenance=provenance,
                file_name=file_name,
                kind=record.kind,
                repairs=repairs,
                warnings=warnings,
            )
            self._remember(record.id, number)
            target = self.version_directory(record.id, number)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging.rename(target)
            fsync_directory(target.parent)
            base = existing.describe_like(record) if existing else replace(record, versions=())
            updated = base.with_version(version)
            catalog[record.id] = updated
            self._publish(catalog)
            logger.info("stored %s version %d (%d features)", record.id, number, version.feature_count)
            return WriteOutcome(updated, version, created=True)

    def _next_number(self, dataset_id: str, existing: DatasetRecord | None) -> int:
        numbers = [item.number for item in existing.versions] if existing else []
        directory = self.data_dir / "datasets" / dataset_id
        if directory.is_dir():
            numbers += [int(path.name[1:]) for path in directory.iterdir() if path.name[1:].isdigit()]
        history = self._history(dataset_id)
        return max([0, *numbers, history]) + 1

    def _history(self, dataset_id: str) -> int:
        """Highest version number ever used, so a deleted number is never reused."""
        path = self.data_dir / "datasets" / f".{dataset_id}.last-version"
        text = path.read_text().strip() if path.is_file() else ""
        return int(text) if text.isdigit() else 0

    def _remember(self, dataset_id: str, number: int) -> None:
        path = self.data_dir / "datasets" / f".{dataset_id}.last-version"
        path.parent.mkdir(parents=True, exist_ok=True)
        with renamed_into_place(path, durable=True) as temporary:
            temporary.write_text(str(max(number, self._history(dataset_id))), encoding="ascii")

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

        def write(directory: Path) -> tuple[Any, str]:
            return write_frame(frame, directory / "data.parquet"), "data.parquet"

        return self.write_version(record, provenance, write, repairs=repairs, warnings=warnings)

    def write_document_version(
        self, record: DatasetRecord, provenance: Provenance, source: Path
    ) -> WriteOutcome:
        """Add a version holding a copy of the document file ``source``."""

        def write(directory: Path) -> tuple[Any, str]:
            shutil.copyfile(source, directory / source.name)
            return None, source.name

        return self.write_version(record, provenance, write)

    def delete(self, dataset_id: str, version: int | None = None) -> DatasetRecord | None:
        """Delete one version, or the whole dataset when ``version`` is None.

        Returns what remains of the record (None when the dataset is gone).
        """
        with self._writing() as catalog:
            if dataset_id not in catalog:
                raise DatasetNotFoundError(
                    f"No dataset {dataset_id!r} in the catalog at {self.data_dir}.",
                    hint="run 'greenbri datasets list' to see the ids.",
                )
            record = catalog[dataset_id]
            if version is None:
                del catalog[dataset_id]
                remaining = None
            else:
                record.require_version(version)
                remaining = record.without_version(version)
                catalog[dataset_id] = remaining
            self._publish(catalog)
            self._sweep(catalog, quiet=True)
            return remaining
