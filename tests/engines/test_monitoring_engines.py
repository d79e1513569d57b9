"""Monitoring aggregation per partition: the same daily table for any partitioning, locally or on Dask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.monitoring.derived.beijing_fixture import write_parquet

from greenbri.adapters.engines import DaskEngine, LocalEngine
from greenbri.core.errors import InputError
from greenbri.usecases.monitoring.aggregate import AggregationInputs, aggregate_daily
from greenbri.usecases.monitoring.daily_indicators import daily_aqi
from greenbri.usecases.monitoring.derived import daily_series
from greenbri.usecases.monitoring.readings_scan import open_parquet_readings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def readings(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_parquet(shared_data / "air" / "beijing-multisite", tmp_path_factory.mktemp("beijing") / "r")[
        0
    ]


def test_partitions_and_engines_give_one_table_equal_to_a_single_scan(readings: str) -> None:
    inputs = AggregationInputs(readings, rules="cn", fallback_engine="hj633-2012")
    whole = aggregate_daily(inputs, stations_per_partition=12)
    split = aggregate_daily(inputs, engine=LocalEngine(), stations_per_partition=5)
    with DaskEngine(workers=2) as engine:
        remote = aggregate_daily(inputs, engine=engine, stations_per_partition=3)
    assert whole.equals(split) and whole.equals(remote)
    assert set(whole.column_names) >= {"station_id", "day", "pm25_24h", "o3_8h", "aqi", "category", "engine"}
    assert len(set(whole["station_id"].to_pylist())) == 12
    # The same as the derived series and AQI over all stations at once, for every station-day kept.
    connection, relation = open_parquet_readings(readings)
    series = daily_series(connection, relation, rules=("cn",))["cn"]
    aqi = daily_aqi(series, "cn", fallback_engine="hj633-2012").result.aqi
    station = {name: index for index, name in enumerate(series.stations)}
    day = {value: index for index, value in enumerate(series.days.tolist())}
    rows = whole.to_pydict()
    expected = [
        aqi[station[name], day[when]] for name, when in zip(rows["station_id"], rows["day"], strict=True)
    ]
    assert np.array_equal(np.asarray(rows["aqi"], dtype=float), np.asarray(expected), equal_nan=True)


def test_bad_partition_sizes_are_refused(readings: str) -> None:
    with pytest.raises(InputError, match="stations per partition"):
        aggregate_daily(AggregationInputs(readings), stations_per_partition=0)
