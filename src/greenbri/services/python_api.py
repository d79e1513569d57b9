"""greenbri for notebooks and scripts: the same verbs as the CLI, returning (Geo)DataFrames.

>>> import greenbri
>>> platform = greenbri.open("/tmp/greenbri-demo")        # doctest: +SKIP
>>> platform.init()                                       # doctest: +SKIP
>>> platform.datasets()[["id", "feature_count"]]          # doctest: +SKIP
>>> countries = platform.read("countries")                # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from greenbri.adapters.sources import get_connector
from greenbri.bootstrap import build_fetch_context, build_store, read_options
from greenbri.config import ENVIRONMENT_VARIABLES, Settings, load_settings
from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    Licence,
    ReceptorRole,
    SourceInfo,
    Theme,
)
from greenbri.usecases.catalog_views import dataset_summary, record_detail, version_rows
from greenbri.usecases.datasets import DatasetMetadata, ImportOutcome, fetch_dataset, import_dataset
from greenbri.usecases.export import export_dataset
from greenbri.usecases.initialise import initialise_store

__all__ = ["Greenbri", "open_platform"]


class Greenbri:
    """One greenbri store and its verbs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = build_store(settings)

    def init(self, view: str | None = None) -> list[ImportOutcome]:
        """Create the store and load the bundled reference layers (``greenbri init``)."""
        return initialise_store(self.store, view=view or self.settings.boundary_view)

    def datasets(self) -> pd.DataFrame:
        """The catalog, one row per dataset (``greenbri datasets list``)."""
        rows = [dataset_summary(record) for record in self.store.list_datasets()]
        for row in rows:
            title = row.pop("title")
            row["title_en"], row["title_zh"] = title["en"], title["zh"]
        return pd.DataFrame(rows)

    def show(self, dataset_id: str, version: int | None = None) -> dict[str, Any]:
        """Everything the catalog knows about a dataset (``greenbri datasets show``)."""
        return record_detail(self.store.get(dataset_id), version)

    def versions(self, dataset_id: str) -> pd.DataFrame:
        """Its versions with their provenance (``greenbri datasets versions``)."""
        return pd.DataFrame(version_rows(self.store.get(dataset_id)))

    def read(
        self,
        dataset_id: str,
        version: int | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> Any:
        """A version as a GeoDataFrame (vector layers) or DataFrame (tables)."""
        return self.store.read(dataset_id, version, bbox=bbox)

    def sql(self, query: str) -> pd.DataFrame:
        """Run SQL over the latest versions (each dataset is a view named by its id).

        The dialect is the store's: DuckDB (spatial) on the embedded store, PostgreSQL + PostGIS on
        the PostGIS store, where geometries come back as hex EWKB and quoted names need double quotes.
        Meant for queries; a statement that returns no rows gives an empty frame.
        """
        connection = self.store.connect()
        try:
            result = connection.execute(query)
            if hasattr(result, "fetchdf"):  # DuckDB
                frame: pd.DataFrame = result.fetchdf()
                return frame
            if result.description is None:  # no result set (e.g. SET, CREATE)
                return pd.DataFrame()
            columns = [column.name for column in result.description]
            return pd.DataFrame(result.fetchall(), columns=columns)
        finally:
            connection.close()

    def import_file(
        self,
        paths: Path | str | Sequence[Path | str],
        dataset_id: str,
        *,
        title_en: str | None = None,
        title_zh: str = "",
        theme: Theme | str | None = None,
        kind: DatasetKind | str | None = None,
        receptor_role: ReceptorRole | str | None = None,
        source: SourceInfo | None = None,
        licence: Licence | None = None,
        access: AccessLevel | str | None = None,
        **options: Any,
    ) -> ImportOutcome:
        """Import files as a new version (``greenbri datasets import``); ``options`` are ReadOptions fields."""
        metadata = DatasetMetadata(
            dataset_id=dataset_id,
            title=Bilingual(title_en or "", title_zh) if (title_en or title_zh) else None,
            kind=DatasetKind(kind) if kind else None,
            theme=Theme(theme) if theme else None,
            receptor_role=ReceptorRole(receptor_role) if receptor_role else None,
            source=source,
            licence=licence,
            access=AccessLevel(access) if access else None,
        )
        path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(path) for path in paths]
        return import_dataset(
            self.store,
            path_list,
            metadata,
            read_options(self.settings, **options),
            command="greenbri.Greenbri.import_file",
        )

    def fetch(
        self, source: str, options: Mapping[str, str] | None = None, dataset_id: str | None = None
    ) -> ImportOutcome:
        """Fetch from an upstream source or the mirror and import (``greenbri datasets fetch``)."""
        context = build_fetch_context(self.settings, options)
        return fetch_dataset(self.store, get_connector(source), context, overrides={"dataset_id": dataset_id})

    def export(
        self,
        dataset_id: str,
        destination: Path | str,
        export_format: str = "geojson",
        version: int | None = None,
    ) -> Path:
        """Write a version as GeoJSON, GeoParquet or CSV (``greenbri datasets export``)."""
        return export_dataset(self.store, dataset_id, Path(destination), export_format, version)

    def delete(self, dataset_id: str, version: int | None = None) -> None:
        """Delete a dataset or one version (``greenbri datasets delete``)."""
        self.store.delete(dataset_id, version)


def open_platform(
    data_dir: Path | str | None = None, environment: Mapping[str, str] | None = None
) -> Greenbri:
    """Open the store in ``data_dir`` (default: GREENBRI_DATA_DIR or the user data directory)."""
    values = dict(os.environ if environment is None else environment)
    if data_dir is not None:
        values[ENVIRONMENT_VARIABLES["data_dir"]] = str(data_dir)
    return Greenbri(load_settings(values))
