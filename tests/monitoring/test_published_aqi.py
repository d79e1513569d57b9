"""``choose_hourly_ozone`` decides from the data, not from the labels: exchanging the two candidate
columns of any set of real rows exchanges the decision (hypothesis over rows of the real CNEMC hour)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.adapters.monitoring.cnemc import PRIMARY_NAMES
from greenbri.core.monitoring.published_aqi import choose_hourly_ozone

HOURLY = {"pm25": "pm2_5", "pm10": "pm10", "so2": "so2", "no2": "no2", "co": "co"}


def _number(text: str) -> float:
    return float(text) if text not in ("", "—") else np.nan


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / "air" / "cnemc" / "2022-01-15T08.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _decide(rows: list[dict[str, str]], first: str, second: str):
    days = np.full(len(rows), np.datetime64("2022-01-15", "D"))
    hourly = {parameter: np.array([_number(r[column]) for r in rows]) for parameter, column in HOURLY.items()}
    candidates = {
        name: np.array([_number(r[column]) for r in rows])
        for name, column in ((first, "o3"), (second, "o3_24h"))
    }
    primary = [tuple(sorted(PRIMARY_NAMES[n] for n in r["primarypollutant"].split(",") if n)) for r in rows]
    published = np.array([_number(r["aqi"]) for r in rows])
    return choose_hourly_ozone(days, hourly, candidates, published, primary)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_exchanging_the_columns_exchanges_the_decision(rows, data) -> None:
    picked = data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=1, max_size=60, unique=True))
    chosen = [rows[i] for i in picked]
    as_labelled = _decide(chosen, "o3", "o3_24h")
    exchanged = _decide(chosen, "o3_24h", "o3")  # the same data, the labels the other way round
    assert as_labelled.reproduced_rows["o3"] == exchanged.reproduced_rows["o3_24h"]
    assert as_labelled.reproduced_rows["o3_24h"] == exchanged.reproduced_rows["o3"]
    if as_labelled.reproduced_rows["o3"] != as_labelled.reproduced_rows["o3_24h"]:
        assert as_labelled.column != exchanged.column and as_labelled.swapped == exchanged.swapped
    assert as_labelled.status == exchanged.status
