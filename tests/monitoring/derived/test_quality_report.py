"""Series quality report on the 12 Beijing stations, checked against the raw files."""

from __future__ import annotations

import pandas as pd

from greenbri.usecases.monitoring.quality_report import quality_report
from greenbri.usecases.monitoring.readings_scan import open_parquet_readings


def test_inconsistent_and_valid_hours_match_the_raw_files(beijing: tuple[str, pd.DataFrame]) -> None:
    glob, wide = beijing
    connection, relation = open_parquet_readings(glob)
    rows = {(row["station"], row["parameter"]): row for row in quality_report(connection, relation)}
    assert len(rows) == 12 * 6
    both = wide.dropna(subset=["PM2.5", "PM10"])
    # PM2.5 is part of PM10: an hour with PM2.5 > PM10 is flagged on both, never dropped.
    inconsistent = (both["PM2.5"] > both["PM10"]).groupby(both["station_id"]).sum()
    valid = wide["PM2.5"].notna().groupby(wide["station_id"]).sum()
    for station in valid.index:
        pm25, pm10 = rows[(station, "pm25")], rows[(station, "pm10")]
        assert pm25["valid_hours"] == valid[station]
        assert pm25["inconsistent_hours"] == pm10["inconsistent_hours"] == inconsistent[station]
    assert sum(row["inconsistent_hours"] for row in rows.values()) > 0
    # Dongsi's PM2.5 has the 58-hour gap of 2016-06-04 14:00 .. 06-06 19:00 among its silent runs.
    assert rows[("bj-dongsi", "pm25")]["longest_down_hours"] >= 58
