"""Fixtures of the derived-series tests: the Beijing readings as contract Parquet, scanned once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.monitoring.derived.beijing_fixture import write_parquet

from greenbri.usecases.monitoring.derived import DailySeries, daily_series
from greenbri.usecases.monitoring.readings_scan import open_parquet_readings


@pytest.fixture(scope="session")
def beijing(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """(Parquet glob of the 12 stations' readings, the raw wide frame)."""
    target = tmp_path_factory.mktemp("beijing") / "readings"
    return write_parquet(shared_data / "air" / "beijing-multisite", target)


@pytest.fixture(scope="session")
def beijing_series(beijing: tuple[str, pd.DataFrame]) -> dict[str, DailySeries]:
    """greenbri's daily series under the cn and us rules (gases at the pre-2018 273 K state)."""
    connection, relation = open_parquet_readings(beijing[0])
    return daily_series(connection, relation, rules=("cn", "us"), reference_conditions="cn-gb3095-2012")
