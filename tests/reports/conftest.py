"""A real screening for the report tests: COFI v2.2 against a store built from ../shared/data.

The store holds the bundled layers (countries, GeoNames settlements) and four Natural Earth /
UNESCO receptor layers fetched through the mirror path, with a fixed clock; the screening
date is fixed too, so every report is reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import StoreFactory
from tests.reports.screenings import screened

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.http import HttpClient
from greenbri.adapters.sources.mirror import Mirror
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.screening.rules_files import load_rules
from greenbri.usecases.datasets import fetch_dataset
from greenbri.usecases.initialise import initialise_store
from greenbri.usecases.project_inputs import read_projects
from greenbri.usecases.reports import ReportInputs, report_inputs
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening, screen_portfolio

SCREENED_ON = dt.date(2025, 6, 30)
RECEPTOR_LAYERS = (
    "natural-earth-rivers",
    "natural-earth-lakes",
    "natural-earth-urban-areas",
    "unesco-world-heritage",
)


def _clock() -> dt.datetime:
    return dt.datetime(2025, 6, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def report_store(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, session_store_factory: StoreFactory
) -> DatasetStore:
    root = tmp_path_factory.mktemp("report-store")
    store = session_store_factory.open(root / "store")
    initialise_store(store, clock=_clock)
    context = FetchContext(
        client=HttpClient(max_attempts=1),
        mirror=Mirror.from_setting(str(shared_data)),
        cache_dir=root / "cache",
    )
    for name in RECEPTOR_LAYERS:
        fetch_dataset(store, get_connector(name), context, clock=_clock)
    return store


@pytest.fixture(scope="session")
def portfolio(report_store: DatasetStore, shared_data: Path) -> PortfolioScreening:
    projects = read_projects(shared_data / "power-plants" / "COFI_v2.2_2023-10.xlsx", preset="cofi")
    return screen_portfolio(report_store, projects, load_rules(), today=SCREENED_ON)


@pytest.fixture(scope="session")
def inputs(report_store: DatasetStore) -> ReportInputs:
    return report_inputs(report_store)


@pytest.fixture(scope="session")
def merowe(portfolio: PortfolioScreening) -> ProjectScreening:
    """Merowe dam, Sudan (COFI SDN2021005): hydropower, red, the Nile 1.72 km away."""
    return screened(portfolio, "SDN2021005")
