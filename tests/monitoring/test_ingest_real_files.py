"""Ingest of the real files in ../shared/data: Beijing multi-site, one CNEMC hour, India water quality.

Expected numbers are computed here independently of greenbri, with the csv module.
"""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.compute as pc
import pytest

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.monitoring.readings import READING_COLUMNS, QaFlag
from greenbri.usecases.monitoring.ingest import ingest_files

BEIJING_COLUMNS = {
    "PM2.5": "pm25",
    "PM10": "pm10",
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3": "o3",
    "TEMP": "temperature",
}
CNEMC_CODES = {
    "Wanshouxigong": "1001A",
    "Dingling": "1002A",
    "Dongsi": "1003A",
    "Tiantan": "1004A",
    "Nongzhanguan": "1005A",
    "Guanyuan": "1006A",
    "Wanliu": "1007A",
    "Shunyi": "1008A",
    "Huairou": "1009A",
    "Changping": "1010A",
    "Aotizhongxin": "1011A",
    "Gucheng": "1012A",
}


def _beijing_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "air" / "beijing-multisite").glob("PRSA_Data_*.csv.gz"))


def _cnemc_file(shared_data: Path) -> Path:
    return shared_data / "air" / "cnemc" / "2022-01-15T08.csv"


@pytest.fixture(scope="module")
def beijing(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ReadingsStore, object]:
    store = ReadingsStore(tmp_path_factory.mktemp("beijing"))
    report = ingest_files(store, _beijing_files(shared_data), format_name="beijing")
    return store, report


def _raw_counts(shared_data: Path) -> dict[str, dict[str, int]]:
    """Per station: rows, and missing values per parameter."""
    counts: dict[str, dict[str, int]] = {}
    for path in _beijing_files(shared_data):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                station = counts.setdefault(row["station"], {"rows": 0})
                station["rows"] += 1
                for column, parameter in BEIJING_COLUMNS.items():
                    if row[column] == "NA":
                        station[parameter] = station.get(parameter, 0) + 1
    return counts


@pytest.mark.slow
def test_all_twelve_beijing_stations_ingest_with_exact_counts(beijing, shared_data: Path) -> None:
    store, report = beijing
    raw = _raw_counts(shared_data)
    assert sum(station["rows"] for station in raw.values()) == 420_768
    assert report.totals["input_rows"] == 420_768
    assert report.totals["readings_stored"] == 420_768 * len(BEIJING_COLUMNS)
    with store.connect() as connection:
        stored = connection.execute(
            "SELECT station_id, parameter, count(*), count(*) FILTER (WHERE qa_flags & 1 = 1) "
            "FROM readings GROUP BY ALL"
        ).fetchall()
        assert [row[0] for row in connection.execute("DESCRIBE readings").fetchall()] == list(READING_COLUMNS)
    by_key = {(station, parameter): (total, missing) for station, parameter, total, missing in stored}
    assert len({station for station, _ in by_key}) == 12
    for name, counts in raw.items():
        station_id = f"cnemc-{CNEMC_CODES[name]}"
        for parameter in BEIJING_COLUMNS.values():
            assert by_key[(station_id, parameter)] == (counts["rows"], counts.get(parameter, 0)), (
                name,
                parameter,
            )


@pytest.mark.slow
def test_beijing_reading_is_converted_to_utc_and_co_to_mg_per_m3(beijing, shared_data: Path) -> None:
    store, _ = beijing
    path = next(p for p in _beijing_files(shared_data) if "Dongsi" in p.name)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if (r["year"], r["month"], r["day"], r["hour"]) == ("2015", "7", "1", "3")
        )
    with store.connect() as connection:
        table = connection.execute(
            "SELECT parameter, value, unit, source_timezone, averaging, epoch_us(time_utc) AS micros FROM readings "
            "WHERE station_id = 'cnemc-1003A' AND time_utc = TIMESTAMPTZ '2015-06-30 19:00:00+00:00'"
        ).to_arrow_table()
    values = {r["parameter"]: r for r in table.to_pylist()}
    expected_micros = int(datetime(2015, 6, 30, 19, tzinfo=UTC).timestamp()) * 1_000_000  # 03:00 at UTC+8
    assert values["pm25"]["micros"] == expected_micros
    assert values["pm25"]["value"] == pytest.approx(float(row["PM2.5"]))
    assert values["co"]["value"] == pytest.approx(float(row["CO"]) / 1000.0)
    assert values["co"]["unit"] == "mg/m3"
    assert values["temperature"]["unit"] == "degC"
    assert {r["source_timezone"] for r in values.values()} == {"+08:00"}
    assert {r["averaging"] for r in values.values()} == {"1h"}


@pytest.mark.slow
def test_beijing_stations_have_codes_and_coordinates_from_the_cnemc_file(beijing, shared_data: Path) -> None:
    store, _ = beijing
    with _cnemc_file(shared_data).open(encoding="utf-8") as handle:
        published = {r["stationcode"]: r for r in csv.DictReader(handle)}
    stations = {row["station_id"]: row for row in store.stations().to_pylist()}
    assert len(stations) == 12
    for name, code in CNEMC_CODES.items():
        station = stations[f"cnemc-{code}"]
        assert station["name_en"] == name
        assert station["name_zh"] == published[code]["positionname"]
        assert station["longitude"] == pytest.approx(float(published[code]["longitude"]))
        assert station["latitude"] == pytest.approx(float(published[code]["latitude"]))


@pytest.mark.slow
def test_ingesting_the_same_files_again_adds_nothing(beijing, shared_data: Path) -> None:
    store, first = beijing
    files_before = sorted(store.root.rglob("*.parquet"))
    again = ingest_files(store, _beijing_files(shared_data), format_name="beijing")
    assert [item.created for item in again.files] == [False] * 12
    assert [item.batch_id for item in again.files] == [item.batch_id for item in first.files]
    assert sorted(store.root.rglob("*.parquet")) == files_before
    assert len(store.batches()) == 12


def test_cnemc_hour_creates_1719_stations_and_keeps_published_aqi(data_dir: Path, shared_data: Path) -> None:
    with _cnemc_file(shared_data).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1719
    store = ReadingsStore(data_dir)
    report = ingest_files(store, [_cnemc_file(shared_data)], format_name="cnemc")
    assert report.totals["stations_added"] == 1719 == store.stations().num_rows
    assert report.totals["input_rows"] == 1719
    assert report.totals["readings_stored"] == 1719 * 13  # 6 hourly + 5 daily + O3 8h + published AQI
    with store.connect() as connection:
        aqi = connection.execute(
            "SELECT value, epoch_us(time_utc) FROM readings WHERE station_id = 'cnemc-1001A' AND parameter = 'aqi'"
        ).fetchall()
        day = connection.execute(
            "SELECT value, epoch_us(time_utc) FROM readings "
            "WHERE station_id = 'cnemc-1001A' AND parameter = 'pm25' AND averaging = '24h'"
        ).fetchall()
        publication = connection.execute(
            "SELECT aqi, primary_pollutant, o3_24h FROM publications WHERE station_id = 'cnemc-1001A'"
        ).fetchall()
    first = next(r for r in rows if r["stationcode"] == "1001A")
    # 08:00 CST ends the hour 07:00-08:00 CST = 2022-01-14T23:00Z; the 24 h mean starts 2022-01-14T00:00Z.
    assert aqi == [(float(first["aqi"]), int(datetime(2022, 1, 14, 23, tzinfo=UTC).timestamp() * 1e6))]
    assert day == [(float(first["pm2_5_24h"]), int(datetime(2022, 1, 14, 0, tzinfo=UTC).timestamp() * 1e6))]
    assert publication == [(float(first["aqi"]), first["primarypollutant"], float(first["o3_24h"]))]
    missing = sum(
        1 for r in rows for column in ("pm10", "pm2_5", "o3", "no2", "so2", "co") if r[column] == ""
    )
    flagged = store.batches()[0]["rows"]["readings_flagged"]
    assert flagged >= missing > 0


def test_india_water_quality_station_years(data_dir: Path, shared_data: Path) -> None:
    path = shared_data / "water" / "india_water_quality_2003-2014.csv"
    with path.open(encoding="latin-1") as handle:
        rows = list(csv.DictReader(handle))
    without_code = sum(1 for r in rows if r["STATION CODE"].strip() in ("", "NAN"))
    store = ReadingsStore(data_dir)
    report = ingest_files(store, [path], format_name="water-india")
    counts = report.totals
    assert counts["input_rows"] == len(rows) == 1991
    assert counts["input_rows_rejected"] == without_code
    kept = len(rows) - without_code
    assert (
        counts["readings_stored"]
        + counts["readings_rejected_conflict"]
        + counts["readings_skipped_duplicate"]
        == kept * 8
    )
    messages = report.files[0].messages
    assert any("no station id" in m.message and m.row for m in messages)
    with store.connect() as connection:
        units = dict(
            connection.execute("SELECT parameter, any_value(unit) FROM readings GROUP BY ALL").fetchall()
        )
        start = connection.execute(
            "SELECT DISTINCT epoch_us(time_utc) FROM readings WHERE averaging = '1y' AND station_id = 'india-wq-1393'"
        ).fetchall()
    assert units["dissolved_oxygen"] == "mg/l" and units["conductivity"] == "umho/cm"
    # 1 January 2014 00:00 at +05:30 is 2013-12-31T18:30Z
    assert (int(datetime(2013, 12, 31, 18, 30, tzinfo=UTC).timestamp() * 1e6),) in start
    assert pc.sum(store.stations().column("station_id").is_valid()).as_py() == store.stations().num_rows
    assert int(QaFlag.MISSING) == 1
