"""A store with every file of ``../shared/data/indicators`` ingested once per session (read-only for tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.usecases.indicators.ingest import ingest_folder


def fixed_clock() -> dt.datetime:
    return dt.datetime(2025, 6, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def indicator_folder(shared_data: Path) -> Path:
    return shared_data / "indicators"


@pytest.fixture(scope="session")
def ingested(
    tmp_path_factory: pytest.TempPathFactory, indicator_folder: Path
) -> tuple[IndicatorStore, list[dict]]:
    store = IndicatorStore(tmp_path_factory.mktemp("indicator-store"), clock=fixed_clock)
    return store, ingest_folder(store, indicator_folder)


@pytest.fixture(scope="session")
def indicator_store(ingested: tuple[IndicatorStore, list[dict]]) -> IndicatorStore:
    return ingested[0]
