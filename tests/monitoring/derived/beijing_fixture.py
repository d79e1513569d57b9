"""Contract-shaped Parquet readings built from the raw Beijing multi-site CSV files.

Independent of greenbri's ingest on purpose (to be replaced by the real ingest later): the
hour-beginning local (CST, UTC+8) ``hour`` becomes ``time_utc`` = local - 8 h; CO goes from
ug/m3 to mg/m3 (the store's unit); ``NA`` stays as a null value flagged ``MISSING``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

POLLUTANT_COLUMNS = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3"}
MISSING, NEGATIVE = 1, 2


def read_wide(folder: Path) -> pd.DataFrame:
    """All 12 stations, one row per station-hour; ``local`` is the hour-beginning CST time."""
    frames = [pd.read_csv(path, na_values=["NA"]) for path in sorted(folder.glob("PRSA_Data_*.csv.gz"))]
    wide = pd.concat(frames, ignore_index=True)
    wide["local"] = pd.to_datetime(wide[["year", "month", "day", "hour"]])
    wide["station_id"] = "bj-" + wide["station"].str.lower()
    return wide


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """Contract columns, one row per station, parameter and hour."""
    long = wide.melt(
        id_vars=["station_id", "local"],
        value_vars=list(POLLUTANT_COLUMNS),
        var_name="column",
        value_name="value",
    )
    long["parameter"] = long["column"].map(POLLUTANT_COLUMNS)
    is_co = long["parameter"] == "co"
    long.loc[is_co, "value"] = long.loc[is_co, "value"] / 1000.0
    value = long["value"].to_numpy(dtype=float)
    flags = np.where(np.isnan(value), MISSING, 0) | np.where(value < 0, NEGATIVE, 0)
    return pd.DataFrame(
        {
            "station_id": long["station_id"].astype("string"),
            "parameter": long["parameter"].astype("string"),
            "time_utc": (long["local"] - pd.Timedelta(hours=8))
            .dt.tz_localize("UTC")
            .astype("datetime64[us, UTC]"),
            "source_timezone": pd.Series("+08:00", index=long.index, dtype="string"),
            "averaging": pd.Series("1h", index=long.index, dtype="string"),
            "value": value,
            "unit": np.where(is_co, "mg/m3", "ug/m3"),
            "qa_flags": flags.astype("int32"),
            "batch_id": pd.Series("beijing-fixture", index=long.index, dtype="string"),
        }
    )


def write_parquet(folder: Path, target: Path) -> tuple[str, pd.DataFrame]:
    """Write the readings under ``target`` (one file per year); return the glob and the wide frame."""
    wide = read_wide(folder)
    long = to_long(wide)
    long["unit"] = long["unit"].astype("string")
    for year, part in long.groupby(long["time_utc"].dt.year):
        directory = target / f"year={year}"
        directory.mkdir(parents=True, exist_ok=True)
        part.to_parquet(directory / "part-0.parquet", index=False)
    return str(target / "**" / "*.parquet"), wide
