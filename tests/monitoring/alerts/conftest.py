"""Readings in the contract layout built from the raw Beijing multi-site files (a stand-in for ingest).

The raw files are hour-beginning local time (CST, UTC+8) with ``NA`` for missing values; CO is
given in ug/m3 and converted to mg/m3 (the unit greenbri stores CO in). Missing values are kept as
rows with a null value and the MISSING flag, as ingest does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenbri.core.monitoring.readings import QaFlag

BEIJING = "air/beijing-multisite/PRSA_Data_{station}_20130301-20170228.csv.gz"
COLUMNS = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3"}

ReadingsLoader = Callable[..., pd.DataFrame]


def raw_beijing(shared_data: Path, station: str) -> pd.DataFrame:
    frame = pd.read_csv(shared_data / BEIJING.format(station=station))
    local = pd.to_datetime(frame[["year", "month", "day", "hour"]])
    return frame.assign(local_time=local)


def contract_readings(
    raw: pd.DataFrame, start: str, end: str, parameters: Sequence[str] = ("pm25",)
) -> pd.DataFrame:
    """Readings of ``raw`` with local times in ``[start, end)`` for ``parameters``."""
    chosen = raw[(raw["local_time"] >= start) & (raw["local_time"] < end)]
    frames = []
    for column, parameter in COLUMNS.items():
        if parameter not in parameters:
            continue
        values = chosen[column].astype(np.float64) / (1000.0 if parameter == "co" else 1.0)
        frames.append(
            pd.DataFrame(
                {
                    "station_id": "beijing-" + chosen["station"].str.lower(),
                    "parameter": parameter,
                    "time_utc": (chosen["local_time"] - pd.Timedelta(hours=8)).dt.tz_localize("UTC"),
                    "source_timezone": "+08:00",
                    "averaging": "1h",
                    "value": values,
                    "unit": "mg/m3" if parameter == "co" else "ug/m3",
                    "qa_flags": np.where(values.isna(), int(QaFlag.MISSING), 0).astype(np.int32),
                    "batch_id": "test",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def beijing_readings(shared_data: Path) -> ReadingsLoader:
    """``beijing_readings(station, start, end, parameters)``: contract readings from the raw file."""
    cache: dict[str, pd.DataFrame] = {}

    def load(station: str, start: str, end: str, parameters: Sequence[str] = ("pm25",)) -> pd.DataFrame:
        if station not in cache:
            cache[station] = raw_beijing(shared_data, station)
        return contract_readings(cache[station], start, end, parameters)

    return load
