"""The vectorised ingest path: the same readings whichever CSV pass parsed them, exact civil-time
arithmetic, plain contract types in the stored files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from greenbri.adapters.monitoring.batch import keys_unique
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.times import parse_timezone, parts_to_utc, utc_years
from greenbri.core.monitoring.readings import READING_COLUMNS, QaFlag
from greenbri.usecases.monitoring.ingest import ingest_files

HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"'


def _rows(count: int) -> list[str]:
    # Spans a year boundary (two yearly files), with NA values, a negative value and Feb 29.
    start = pd.Timestamp("2015-12-31 20:00")
    rows = []
    for number in range(count):
        moment = start + pd.Timedelta(hours=number)
        station = "Dongsi" if number % 2 else "Tiantan"
        pm25 = "NA" if number % 7 == 3 else str(10 + number)
        rows.append(
            f"{number + 1},{moment.year},{moment.month},{moment.day},{moment.hour},{pm25},{20 + number % 5},"
            f'-{number % 3},40,500,60,5.5,1020,-10,0,"N",2.1,"{station}"'
        )
    return rows


def _readings(store: ReadingsStore) -> pd.DataFrame:
    with store.connect() as connection:
        frame = (
            connection.execute(
                "SELECT station_id, parameter, time_utc, value, unit, qa_flags FROM readings ORDER BY ALL"
            )
            .to_arrow_table()
            .to_pandas()
        )
    return frame.reset_index(drop=True)


def test_fast_and_fallback_csv_passes_store_the_same_readings(tmp_path: Path) -> None:
    clean = _rows(60)
    broken = list(clean)
    broken[9] = broken[9].replace(f",{20 + 9 % 5},-", ",n/a!,-")  # PM10 of line 11 is text
    stores = {}
    for name, lines in (("clean", clean), ("broken", broken)):
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        stores[name] = ReadingsStore(tmp_path / f"store-{name}")
        report = ingest_files(stores[name], [path], format_name="beijing")
        assert report.totals["readings_stored"] == 60 * 7
    message = next(m for m in report.files[0].messages if m.column == "PM10")
    assert message.row == 11 and "'n/a!' is not a number" in message.message
    fast, fallback = _readings(stores["clean"]), _readings(stores["broken"])
    moment = pd.Timestamp("2016-01-01 05:00", tz="+08:00").tz_convert("UTC")
    changed = (fallback["parameter"] == "pm10") & (fallback["time_utc"] == moment)
    assert changed.sum() == 1
    assert fallback.loc[changed, "qa_flags"].item() == QaFlag.MISSING
    assert np.isnan(fallback.loc[changed, "value"].item())
    pd.testing.assert_frame_equal(fast[~changed], fallback[~changed])
    assert (fast["qa_flags"].to_numpy() & int(QaFlag.NEGATIVE)).sum() > 0


def test_stored_files_have_the_plain_contract_types(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("\n".join([HEADER, *_rows(30)]) + "\n", encoding="utf-8")
    store = ReadingsStore(tmp_path / "store")
    ingest_files(store, [path], format_name="beijing")
    files = store.files()
    assert [file.parent.name for file in files] == ["year=2015", "year=2016"]
    for file in files:
        schema = pq.read_schema(file)
        assert schema.names == list(READING_COLUMNS)
        assert schema.field("station_id").type == pa.string()
        assert schema.field("time_utc").type == pa.timestamp("us", tz="UTC")


def test_time_parts_arithmetic_matches_pandas() -> None:
    rng = np.random.default_rng(7)
    count = 20_000
    parts = [
        rng.integers(low, high, count).astype(float)
        for low, high in ((1890, 2110), (0, 14), (0, 32), (-1, 25))
    ]
    parts[0][::53] = np.nan
    parts[1][:4], parts[2][:4], parts[3][:4] = [2, 2, 2, 2], [29, 29, 29, 29], [0, 0, 0, 0]
    parts[0][:4] = [2000, 1900, 2024, 2023]  # leap, not leap, leap, not leap
    converted = parts_to_utc(*parts, parse_timezone("-03:30"))
    for position in range(count):
        year, month, day, hour = parts[0][position], *(part[position] for part in parts[1:])
        try:
            expected = pd.Timestamp(int(year), int(month), int(day), int(hour)) + pd.Timedelta(minutes=210)
        except (ValueError, OverflowError):
            assert np.isnat(converted.utc[position]) and position in converted.problems
            continue
        assert converted.utc[position] == expected.to_datetime64()
    assert sorted(converted.problems)[:2] == [1, 3]  # 1900-02-29 and 2023-02-29
    valid = converted.utc[~np.isnat(converted.utc)]
    assert (utc_years(valid.view(np.int64)) == valid.astype("datetime64[Y]").astype(int) + 1970).all()


@pytest.mark.parametrize("shuffle", [False, True])
def test_keys_unique_finds_a_repeated_station_and_time(shuffle: bool) -> None:
    times = np.datetime64("2020-01-01T00", "us") + np.arange(1000).astype("timedelta64[h]")
    codes = np.repeat(np.arange(4, dtype=np.int32), 250)
    order = np.random.default_rng(1).permutation(1000) if shuffle else np.arange(1000)
    assert keys_unique(codes[order], times[order])
    codes[10], times[10] = codes[11], times[11]
    assert not keys_unique(codes[order], times[order])
