"""What only the PostGIS store has: migrations, SQL views, selection by setting, masked passwords."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from tests.store_contract.helpers import RECORD, provenance, wetlands

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.factory import open_store
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.adapters.stores.postgis import PostgisStore
from greenbri.adapters.stores.postgis_catalog import version_table_name
from greenbri.adapters.stores.postgis_connection import mask_dsn
from greenbri.adapters.stores.postgis_migrations import available_migrations
from greenbri.bootstrap import build_dataset_store
from greenbri.config import load_settings
from greenbri.core.errors import ConfigurationError, StoreError


def test_migrations_are_numbered_applied_once_and_a_newer_schema_is_refused(
    postgis_dsn: str, tmp_path: Path
) -> None:
    versions = [migration.version for migration in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    store = PostgisStore(postgis_dsn, data_dir=tmp_path)
    store.initialise()
    store.initialise()
    with psycopg.connect(postgis_dsn, autocommit=True) as connection:
        applied = [
            row[0] for row in connection.execute("SELECT version FROM greenbri.schema_migrations ORDER BY 1")
        ]
        assert applied == versions
        connection.execute("INSERT INTO greenbri.schema_migrations (version, name) VALUES (9999, 'future')")
    with pytest.raises(StoreError, match=r"schema version 9999, newer.*upgrade greenbri"):
        PostgisStore(postgis_dsn, data_dir=tmp_path).initialise()


def test_sql_views_follow_the_latest_version_and_run_spatial_sql(postgis_dsn: str, tmp_path: Path) -> None:
    store = PostgisStore(postgis_dsn, data_dir=tmp_path)
    store.write_frame_version(RECORD, provenance("a"), wetlands(4))
    store.write_frame_version(RECORD, provenance("b"), wetlands(4, offset=100))
    with store.connect() as connection:
        rows = connection.execute(
            'SELECT name FROM "test-wetlands" WHERE ST_Intersects(geometry, ST_SetSRID(ST_Point(101.25, 10.25), 4326))'
        ).fetchall()
        assert rows == [("湿地 1",)]
    store.delete(RECORD.id, version=2)
    with store.connect() as connection:
        assert connection.execute(
            'SELECT count(*) FROM "test-wetlands" WHERE name = %s', ("湿地 1",)
        ).fetchone() == (1,)
    store.delete(RECORD.id)
    with store.connect() as connection:
        assert connection.execute("SELECT to_regclass('greenbri_latest.\"test-wetlands\"')").fetchone() == (
            None,
        )


def test_long_dataset_ids_get_distinct_table_names_within_63_bytes() -> None:
    first, second = "a" * 70 + "-one", "a" * 70 + "-two"
    names = {version_table_name(first, 12), version_table_name(second, 12)}
    assert len(names) == 2
    assert all(len(name.encode()) <= 63 and name.endswith("@v12") for name in names)
    assert version_table_name("ramsar-ukraine", 3) == "ramsar-ukraine@v3"


def test_the_setting_selects_the_store(tmp_path: Path) -> None:
    url = "postgresql://greenbri@db.example.org:5433/greenbri"
    settings = load_settings({"GREENBRI_DATA_DIR": str(tmp_path), "GREENBRI_STORE": url})
    store = build_dataset_store(settings)
    assert isinstance(store, PostgisStore) and isinstance(store, DatasetStore)
    assert (store.dsn, store.data_dir) == (url, tmp_path)
    embedded = build_dataset_store(load_settings({"GREENBRI_DATA_DIR": str(tmp_path)}))
    assert isinstance(embedded, EmbeddedStore) and isinstance(embedded, DatasetStore)
    with pytest.raises(ConfigurationError, match="no known store"):
        open_store("mysql://x", data_dir=tmp_path)


def test_passwords_never_appear_in_settings_errors_or_store_errors(tmp_path: Path) -> None:
    secret = "s3cret-Pa55"
    bad_port = f"postgresql://u:{secret}@h:99999/db"
    assert load_settings({"GREENBRI_DATA_DIR": str(tmp_path), "GREENBRI_STORE": bad_port}).store == bad_port
    with pytest.raises(StoreError) as refused:
        PostgisStore(bad_port, data_dir=tmp_path).list_datasets()
    assert secret not in str(refused.value)
    assert mask_dsn(f"postgresql://u:{secret}@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert mask_dsn(f"postgresql://h/db?user=u&password={secret}&sslmode=require") == (
        "postgresql://h/db?user=u&password=***&sslmode=require"
    )
    assert secret not in mask_dsn(f"host=h user=u password={secret} dbname=db")
    store = PostgisStore(f"postgresql://u:{secret}@127.0.0.1:1/db?connect_timeout=2", data_dir=tmp_path)
    with pytest.raises(StoreError) as failed:
        store.list_datasets()
    assert secret not in str(failed.value) and "PGPASSWORD" in str(failed.value)
    assert secret not in repr(store)
