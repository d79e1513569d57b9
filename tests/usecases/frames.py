"""Comparing two tables feature by feature, attribute by attribute."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely


def _normalised(series: pd.Series) -> list[Any]:
    values = []
    for value in series.tolist():
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            values.append(None)
        elif isinstance(value, pd.Timestamp):
            values.append(value.isoformat())
        elif (isinstance(value, float | np.floating) and float(value).is_integer()) or isinstance(
            value, np.integer
        ):
            values.append(int(value))
        elif isinstance(value, str) and value == "":
            values.append(None)
        else:
            values.append(value)
    return values


def assert_same_records(expected: pd.DataFrame, actual: pd.DataFrame, *, tolerance: float = 1e-9) -> None:
    """Same row count, same attribute columns and values, same geometries (within ``tolerance`` degrees)."""
    assert len(actual) == len(expected), f"{len(actual)} rows instead of {len(expected)}"
    expected_columns = [column for column in expected.columns if column != "geometry"]
    actual_columns = [column for column in actual.columns if column != "geometry"]
    assert sorted(actual_columns) == sorted(expected_columns)
    for column in expected_columns:
        left, right = _normalised(expected[column]), _normalised(actual[column])
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if isinstance(a, float) or isinstance(b, float):
                assert a is not None and b is not None and np.isclose(a, b, rtol=1e-12), (column, index, a, b)
            else:
                assert a == b or str(a) == str(b), (column, index, a, b)
    if "geometry" in expected.columns:
        left = np.asarray(expected.geometry.values, dtype=object)
        right = np.asarray(actual.geometry.values, dtype=object)
        same = shapely.equals_exact(shapely.normalize(left), shapely.normalize(right), tolerance=tolerance)
        same |= shapely.is_missing(left) & shapely.is_missing(right)
        assert bool(np.all(same)), f"geometries differ at rows {np.flatnonzero(~same)[:10].tolist()}"
