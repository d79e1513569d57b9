"""Series quality checks on synthetic cases, properties and the real Beijing data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenbri.core.errors import InputError
from greenbri.core.monitoring.quality import (
    DEFAULT_THRESHOLDS,
    inconsistent_mask,
    series_flags,
    silent_periods,
    spike_mask,
    stuck_mask,
)
from greenbri.core.monitoring.readings import QaFlag

NAN = np.nan


def test_a_flat_line_is_stuck_only_when_long_enough_and_unbroken() -> None:
    values = np.array([1.0, 9.0, 9.0, 9.0, NAN, 9.0, 9.0, 9.0, 9.0, 3.0])
    assert stuck_mask(values, minimum_hours=4).astype(int).tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert not stuck_mask(values, minimum_hours=4, floor=9.0).any()


def test_a_spike_needs_both_neighbours() -> None:
    values = np.array([[10.0, 200.0, 12.0, 11.0, 300.0, NAN, 500.0]])
    assert spike_mask(values, factor=4.0, minimum_jump=50.0).astype(int).tolist() == [[0, 1, 0, 0, 0, 0, 0]]
    assert not spike_mask(values, factor=4.0, minimum_jump=500.0).any()


def test_pm25_above_pm10_flags_both() -> None:
    flags = series_flags({"pm25": np.array([[50.0, 80.0, NAN]]), "pm10": np.array([[60.0, 70.0, 10.0]])})
    assert (flags["pm25"] & QaFlag.INCONSISTENT).astype(bool).tolist() == [[False, True, False]]
    assert flags["pm10"].tolist() == flags["pm25"].tolist()
    with pytest.raises(InputError, match="shape"):
        inconsistent_mask([1.0], [1.0, 2.0])


def test_silent_periods() -> None:
    valid = np.array([[1, 0, 0, 0, 1, 0, 0], [0, 0, 0, 1, 1, 1, 1]], dtype=bool)
    events = silent_periods(valid, minimum_hours=2)
    assert events.series.tolist() == [0, 0, 1]
    assert events.first_hour.tolist() == [1, 5, 0]
    assert events.hours.tolist() == [3, 2, 3]
    with pytest.raises(InputError):
        silent_periods(valid, minimum_hours=0)


@given(st.lists(st.one_of(st.none(), st.floats(0, 1000)), min_size=1, max_size=60), st.integers(1, 10))
def test_flags_never_touch_missing_values(raw: list[float | None], hours: int) -> None:
    values = np.array([NAN if value is None else value for value in raw])
    assert not (stuck_mask(values, minimum_hours=hours) & np.isnan(values)).any()
    assert not (spike_mask(values) & np.isnan(values)).any()
    # a longer minimum run never flags more
    assert stuck_mask(values, minimum_hours=hours + 1).sum() <= stuck_mask(values, minimum_hours=hours).sum()


def _station(wide: pd.DataFrame, station: str) -> pd.DataFrame:
    return wide[wide["station_id"] == station].set_index("local").asfreq("h")


def test_real_beijing_examples(beijing: tuple[str, pd.DataFrame]) -> None:
    wide = beijing[1]
    dongsi = _station(wide, "bj-dongsi")
    fine, coarse = dongsi["PM2.5"].to_numpy(), dongsi["PM10"].to_numpy()
    inconsistent = inconsistent_mask(fine, coarse)
    assert 0 < inconsistent.sum() < 0.1 * np.isfinite(fine).sum()  # rare, but real
    first = int(np.argmax(inconsistent))
    assert fine[first] > coarse[first]
    flags = series_flags({"pm25": fine[None, :], "pm10": coarse[None, :]}, DEFAULT_THRESHOLDS)
    assert ((flags["pm25"] & QaFlag.INCONSISTENT) != 0).sum() == inconsistent.sum()
    valid = np.stack(
        [
            _station(wide, s)[list(["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"])].notna().any(axis=1)
            for s in sorted(wide["station_id"].unique())
        ]
    )
    events = silent_periods(valid.to_numpy() if hasattr(valid, "to_numpy") else valid, minimum_hours=6)
    assert events.hours.size > 0 and (events.hours >= 6).all()
