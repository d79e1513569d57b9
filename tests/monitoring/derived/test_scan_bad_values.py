"""An infinite or absurd reading does not break the daily scan: it is simply not a valid hour."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from greenbri.usecases.monitoring.readings_scan import open_parquet_readings, scan_daily


def test_non_finite_and_huge_values_are_left_out_of_the_day(tmp_path: Path) -> None:
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    values = [10.0] * 20 + [float("inf"), 1e15, 30.0, 40.0]
    rows = len(values)
    table = pa.table(
        {
            "station_id": ["S1"] * rows,
            "parameter": ["pm25"] * rows,
            "time_utc": pa.array(
                [start + dt.timedelta(hours=hour) for hour in range(rows)], pa.timestamp("us", "UTC")
            ),
            "source_timezone": ["UTC"] * rows,
            "averaging": ["1h"] * rows,
            "value": values,
            "unit": ["ug/m3"] * rows,
            "qa_flags": pa.array([0] * rows, pa.int32()),
            "batch_id": ["b1"] * rows,
        }
    )
    pq.write_table(table, tmp_path / "readings.parquet")
    connection, relation = open_parquet_readings(str(tmp_path / "*.parquet"))
    grids = scan_daily(connection, relation, utc_offset_hours=0)
    assert int(grids.counts[0, 0, 0]) == 22
    assert np.isclose(grids.sums[0, 0, 0], 10.0 * 20 + 30.0 + 40.0)
    assert grids.maxima[0, 0, 0] == 40.0
