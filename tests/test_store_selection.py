"""``--store`` really selects the store every test's settings and CLI use."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import StoreFactory
from typer.testing import CliRunner

from greenbri.adapters.stores.embedded import EmbeddedStore
from greenbri.adapters.stores.postgis import PostgisStore
from greenbri.bootstrap import build_store
from greenbri.config import load_settings
from greenbri.services.cli.main import app


def test_the_settings_and_the_cli_use_the_store_under_test(
    data_dir: Path, store_kind: str, store_factory: StoreFactory
) -> None:
    expected = PostgisStore if store_kind == "postgis" else EmbeddedStore
    assert isinstance(build_store(load_settings()), expected)
    assert isinstance(store_factory.open(data_dir), expected)
    result = CliRunner().invoke(app, ["init", "--json"])
    assert result.exit_code == 0, result.stderr
    # the embedded store keeps its catalog in the data directory; PostGIS keeps it in the database
    assert (data_dir / "catalog.json").is_file() is (store_kind == "embedded")
    assert [record.id for record in store_factory.open(data_dir).list_datasets()] == [
        "admin1-subdivisions",
        "countries",
        "settlements",
    ]
