"""Fixtures (imported by the indicator and monitoring API tests) that put real data into the API
test store: two indicator files, the Beijing Dongsi station file, one CNEMC hourly file, and the
alerts the bundled rules open on the CNEMC station 1001A. Ingests are idempotent (same bytes: no-op).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from tests.live_server import serving

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.config import Settings
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.indicators.ingest import ingest_file
from greenbri.usecases.monitoring.alerts import evaluate_alerts, load_alert_rules
from greenbri.usecases.monitoring.ingest import ingest_files

INDICATOR_FILES = ("pm25-air-pollution.csv", "forest-area-as-share-of-land-area.csv")
CNEMC_FILE = Path("air") / "cnemc" / "2022-01-15T08.csv"
ALERT_STATION = "cnemc-1001A"


def dongsi_file(shared_data: Path) -> Path:
    return next((shared_data / "air" / "beijing-multisite").glob("PRSA_Data_Dongsi_*.csv.gz"))


@pytest.fixture(scope="session")
def indicator_data(api_settings: Settings, shared_data: Path) -> Path:
    """The indicator files ingested into the API store; returns their folder."""
    folder = shared_data / "indicators"
    store = IndicatorStore(api_settings.data_dir)
    for name in INDICATOR_FILES:
        ingest_file(store, folder / name)
    return folder


@pytest.fixture(scope="session")
def monitoring_data(api_settings: Settings, shared_data: Path) -> ReadingsStore:
    """Dongsi 2013-2017 (Beijing multi-site) and one CNEMC hour in the API store, and the alerts
    the bundled rules open on station 1001A."""
    store = ReadingsStore(api_settings.data_dir)
    ingest_files(store, [dongsi_file(shared_data)], format_name="beijing")
    ingest_files(store, [shared_data / CNEMC_FILE], format_name="cnemc")
    history = AlertHistory(api_settings.data_dir)
    if not history.load().alerts:
        readings = pd.concat([pd.read_parquet(path) for path in store.files()], ignore_index=True)
        evaluate_alerts(readings[readings["station_id"] == ALERT_STATION], load_alert_rules(), history)
    return store


@pytest.fixture(scope="module")
def live_server(api_settings: Settings, monitoring_data: ReadingsStore) -> Iterator[str]:
    """The API on a real port (for GDAL)."""
    from greenbri.services.api import create_app

    app = create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with serving(app) as address:
        yield address
