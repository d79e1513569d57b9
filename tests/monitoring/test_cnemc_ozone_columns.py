"""The CNEMC ingest decides per file which column holds the hour's ozone, and bad rows are marked.

Every file here is the real ``air/cnemc/2022-01-15T08.csv`` (whose ozone labels are swapped), with
one change each: its labels put right, a published AQI that follows under neither reading, a
pollutant missing, a concentration below zero or above the 1-hour table, a date before any engine.
Hand-computed values cite HJ 633-2012 Table 1 (IAQI = IAQI_lo + (C - BP_lo) / (BP_hi - BP_lo) x 50,
rounded up, clause 4.2.6 of the 2026 text / the 2012 practice the published file reproduces).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.monitoring.readings import QaFlag
from greenbri.services.cli.main import app
from greenbri.usecases.monitoring.ingest import ingest_files
from greenbri.usecases.monitoring.latest_aqi import latest_aqi

Edit = Callable[[list[dict[str, str]]], None]


def _copy(shared_data: Path, target: Path, edit: Edit, *, fieldnames: list[str] | None = None) -> Path:
    with (shared_data / "air" / "cnemc" / "2022-01-15T08.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    edit(rows)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames or header)
        writer.writeheader()
        writer.writerows(rows)
    return target


def _row(rows: list[dict[str, str]], code: str) -> dict[str, str]:
    return next(row for row in rows if row["stationcode"] == code)


def _ingest(path: Path, data_dir: Path) -> tuple[ReadingsStore, Any]:
    store = ReadingsStore(data_dir)
    return store, ingest_files(store, [path], format_name="cnemc")


def _latest(store: ReadingsStore, code: str, **options: Any) -> dict[str, Any]:
    return next(
        row for row in latest_aqi(store, "cn", **options).rows if row["station_id"] == f"cnemc-{code}"
    )


def _flags(store: ReadingsStore, code: str, parameter: str) -> int:
    with store.connect() as connection:
        found = connection.execute(
            "SELECT qa_flags FROM readings WHERE station_id = ? AND parameter = ? AND averaging = '1h'",
            [f"cnemc-{code}", parameter],
        ).fetchall()
    return int(found[0][0])


def test_a_file_with_correct_labels_keeps_them(shared_data: Path, tmp_path: Path) -> None:
    # The same file with the two ozone headers exchanged: now 'o3' is the hour's ozone.
    def swap(rows: list[dict[str, str]]) -> None:
        for row in rows:
            row["o3"], row["o3_24h"] = row["o3_24h"], row["o3"]

    path = _copy(shared_data, tmp_path / "labelled.csv", swap)
    store, report = _ingest(path, tmp_path / "data")
    ozone = report.files[0].provenance["hourly_ozone"]
    assert (ozone["hourly_ozone_column"], ozone["swapped"], ozone["status"]) == ("o3", False, "reproduced")
    assert ozone["reproduced_rows"] == {"o3": 1705, "o3_24h": 1619}
    summary = latest_aqi(store, "cn").summary
    assert summary["matches_published"] == summary["published"] == 1705


def test_where_ozone_decides_nothing_the_labels_are_kept(shared_data: Path, tmp_path: Path) -> None:
    # The first 12 rows (Beijing, a January morning): ozone's IAQI is never the largest.
    path = _copy(shared_data, tmp_path / "beijing.csv", lambda rows: rows.__delitem__(slice(12, None)))
    _, report = _ingest(path, tmp_path / "data")
    ozone = report.files[0].provenance["hourly_ozone"]
    assert ozone["reproduced_rows"] == {"o3": 12, "o3_24h": 12}
    assert (ozone["hourly_ozone_column"], ozone["status"]) == ("o3", "reproduced")


def test_a_published_aqi_no_reading_reproduces_is_flagged_and_the_rest_goes_on(
    shared_data: Path, tmp_path: Path
) -> None:
    # 1001A (line 2): PM2.5 68 ug/m3 -> 50 + (68 - 35) / (75 - 35) x 50 = 91.25 -> 92, as published.
    # Published as 93 instead, it follows under neither ozone reading (O3 IAQI 1 or 10).
    path = _copy(shared_data, tmp_path / "bad.csv", lambda rows: _row(rows, "1001A").update(aqi="93"))
    store, report = _ingest(path, tmp_path / "data")
    ozone = report.files[0].provenance["hourly_ozone"]
    assert (ozone["hourly_ozone_column"], ozone["status"], ozone["rows_not_reproduced"]) == (
        "o3_24h", "not_reproduced", 1
    )  # fmt: skip
    flagged = [m for m in report.files[0].messages if m.outcome == "flagged" and m.column == "aqi"]
    assert [(m.row, m.source) for m in flagged] == [(2, "bad.csv")]
    assert "published AQI 93" in flagged[0].message and "greenbri: 92" in flagged[0].message
    assert _flags(store, "1001A", "pm25") & QaFlag.UNCONFIRMED
    assert not _flags(store, "1002A", "pm25") & QaFlag.UNCONFIRMED
    row = _latest(store, "1001A")
    assert (row["aqi"], row["published_aqi"], row["matches_published"]) == (92, 93.0, False)
    assert "either ozone reading" in row["mismatch_reason"]
    summary = latest_aqi(store, "cn").summary
    assert (summary["matches_published"], summary["differs_from_published"]) == (1704, 1)


def test_a_missing_pollutant_is_the_reason_given(shared_data: Path, tmp_path: Path) -> None:
    # 1001A without PM2.5: PM10 88 -> 50 + (88 - 50) / (150 - 50) x 50 = 69; NO2 71 -> 35.5 -> 36.
    path = _copy(shared_data, tmp_path / "gap.csv", lambda rows: _row(rows, "1001A").update(pm2_5=""))
    store, report = _ingest(path, tmp_path / "data")
    assert report.files[0].provenance["hourly_ozone"]["rows_not_reproduced"] == 1
    row = _latest(store, "1001A")
    assert (row["aqi"], row["primary"], row["missing"]) == (69, ["pm10_24h"], ["pm25"])
    assert row["matches_published"] is False and "no valid hourly PM2.5" in row["mismatch_reason"]
    assert "5.3.1" in row["mismatch_reason"]


def test_a_negative_concentration_is_flagged_and_left_out(shared_data: Path, tmp_path: Path) -> None:
    path = _copy(shared_data, tmp_path / "negative.csv", lambda rows: _row(rows, "1001A").update(pm10="-5"))
    store, report = _ingest(path, tmp_path / "data")
    assert _flags(store, "1001A", "pm10") & QaFlag.NEGATIVE
    assert report.files[0].provenance["hourly_ozone"]["status"] == "reproduced"  # PM2.5 decides: 92
    row = _latest(store, "1001A")
    assert row["aqi"] == 92 and row["matches_published"] is True and "pm10" in row["missing"]


def test_so2_above_the_one_hour_table_is_indexed_from_its_24_hour_mean(
    shared_data: Path, tmp_path: Path
) -> None:
    # HJ 633-2012 Table 1 note (2): SO2 1 h above 800 gets no IAQI; the 24 h mean is reported instead.
    # SO2 24 h 300: 100 + (300 - 150) / (475 - 150) x 50 = 123.08 -> 124, primary "二氧化硫".
    def edit(rows: list[dict[str, str]]) -> None:
        _row(rows, "1001A").update(so2="900", so2_24h="300", aqi="124", primarypollutant="二氧化硫")

    path = _copy(shared_data, tmp_path / "so2.csv", edit)
    store, report = _ingest(path, tmp_path / "data")
    assert report.files[0].provenance["hourly_ozone"]["status"] == "reproduced"
    row = _latest(store, "1001A")
    assert (row["aqi"], row["primary"], row["matches_published"]) == (124, ["so2_24h"], True)


def test_a_date_before_any_engine_is_not_checked_and_not_computed(shared_data: Path, tmp_path: Path) -> None:
    def edit(rows: list[dict[str, str]]) -> None:
        for row in rows:
            row["timepoint"] = "2015-06-01T08:00:00"

    path = _copy(shared_data, tmp_path / "old.csv", edit)
    store, report = _ingest(path, tmp_path / "data")
    ozone = report.files[0].provenance["hourly_ozone"]
    assert (ozone["status"], ozone["hourly_ozone_column"], ozone["rows_not_checked"]) == (
        "not_checked",
        "o3",
        1705,
    )
    assert "no cn AQI engine covers dates before 2016-01-01" in ozone["reason"]
    assert _flags(store, "1001A", "o3") & QaFlag.UNCONFIRMED  # the ozone column is unconfirmed
    latest = latest_aqi(store, "cn")
    # 1,719 stations: with the labels kept, 2600A has an hourly ozone value ('o3' 87) and so a latest hour
    assert latest.summary["not_computed"] == latest.summary["stations"] == 1719
    row = next(row for row in latest.rows if row["station_id"] == "cnemc-1001A")
    assert row["aqi"] is None and row["engine"] is None
    assert "--fallback-engine hj633-2012" in row["not_computed"] and row["matches_published"] is None
    # With the explicit fallback the hour is computed; the unconfirmed ozone column ('o3', as labelled,
    # not the hour's ozone in this file) reproduces only the rows ozone does not decide.
    fallback = latest_aqi(store, "cn", fallback_engine="hj633-2012").summary
    assert (fallback["not_computed"], fallback["matches_published"]) == (0, 1619)


def test_the_ingest_report_and_monitor_latest_on_the_command_line(shared_data: Path, data_dir: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(app, ["monitor", "latest"])
    assert empty.exit_code == 0 and "NO DATA" in empty.stdout and "greenbri monitor ingest" in empty.stdout
    path = str(shared_data / "air" / "cnemc" / "2022-01-15T08.csv")
    shown = runner.invoke(app, ["monitor", "ingest", path, "--format", "cnemc"])
    assert shown.exit_code == 0, shown.output
    assert "hourly ozone from 'o3_24h' (the file's ozone labels are swapped)" in shown.stdout
    assert "every published AQI reproduced" in shown.stdout
    again = json.loads(runner.invoke(app, ["monitor", "ingest", path, "--format", "cnemc", "--json"]).stdout)
    assert again["files"][0]["created"] is False  # the same file: nothing new, the provenance still shown
    assert again["files"][0]["provenance"]["hourly_ozone"]["hourly_ozone_column"] == "o3_24h"
    table = runner.invoke(app, ["monitor", "latest"])
    assert table.exit_code == 0
    assert (
        "1,718 stations (0 NO DATA 无数据); published AQI 1,705: 1,705 equal, 0 differ, 0 not compared"
        in table.stdout
    )


def test_an_unknown_primary_pollutant_name_is_reported(shared_data: Path, tmp_path: Path) -> None:
    path = _copy(
        shared_data, tmp_path / "name.csv", lambda rows: _row(rows, "1001A").update(primarypollutant="PM2.5")
    )
    _, report = _ingest(path, tmp_path / "data")
    warned = [m for m in report.files[0].messages if m.column == "primarypollutant"]
    assert len(warned) == 1 and "PM2.5" in warned[0].message and "in 1 rows only the AQI" in warned[0].message
    assert report.files[0].provenance["hourly_ozone"]["status"] == "reproduced"  # its AQI, 92, still follows
