"""``snapshot(store)``: everything a store holds, to assert that a failed operation changed nothing.

The embedded store is its files (each with the sha256 of its bytes); the PostGIS store is its
catalog rows, its tables and views, the version numbers handed out, and the data of every version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.core.catalog import DatasetKind


def file_snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with the sha256 of its bytes (the write lock aside)."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(directory).rglob("*"))
        if path.is_file() and path.name != ".write.lock"
    }


def _frame_digest(frame: pd.DataFrame) -> str:
    if isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame).assign(
            **{frame.geometry.name: [shapely.to_wkb(geometry, hex=True) for geometry in frame.geometry]}
        )
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def _database_objects(store: Any) -> list[tuple[Any, ...]]:
    connection = store.connect()
    try:
        objects = connection.execute(
            "SELECT table_schema, table_name, table_type FROM information_schema.tables "
            "WHERE table_schema LIKE 'greenbri%' ORDER BY 1, 2"
        ).fetchall()
        numbers = (
            connection.execute("SELECT * FROM greenbri.version_numbers ORDER BY 1").fetchall()
            if any(row[:2] == ("greenbri", "version_numbers") for row in objects)
            else []
        )
    finally:
        connection.close()
    return [*objects, *numbers]


def snapshot(store: Any) -> dict[str, Any]:
    """What ``store`` holds, comparable with ``==``."""
    if isinstance(store, EmbeddedStore):
        return file_snapshot(store.data_dir)
    state: dict[str, Any] = {"objects": _database_objects(store)}
    if not store.is_initialised():
        return state
    for record in store.list_datasets():
        state[record.id] = record.to_dict()
        for version in record.versions:
            if record.kind is DatasetKind.DOCUMENT:
                _, path = store.locate(record.id, version.number)
                state[f"{record.id}@{version.number}"] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[f"{record.id}@{version.number}"] = _frame_digest(store.read(record.id, version.number))
    return state
