"""Bad input: each problem is flagged or rejected with a message naming the row; nothing stored changes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.tabular import TableMapping
from greenbri.core.errors import InputError, MalformedInputError, ReadingConflictError
from greenbri.core.monitoring.readings import QaFlag
from greenbri.usecases.monitoring.ingest import ingest_files

HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"'


def _beijing_rows(count: int, *, start_day: int = 1, station: str = "Dongsi") -> list[str]:
    rows = []
    for number in range(count):
        day, hour = start_day + number // 24, number % 24
        rows.append(
            f'{number + 1},2014,3,{day},{hour},{10 + number},20,3,40,500,60,5.5,1020,-10,0,"N",2.1,"{station}"'
        )
    return rows


def _write(path: Path, lines: list[str], *, compress: bool = False) -> Path:
    text = "\n".join([HEADER, *lines]) + "\n"
    if compress:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _snapshot(store: ReadingsStore) -> tuple[list[Path], str]:
    ledger = store.ledger_path.read_text() if store.ledger_path.exists() else ""
    return sorted(store.root.rglob("*.parquet")), ledger


def _values(store: ReadingsStore, parameter: str = "pm25") -> dict[int, float | None]:
    with store.connect() as connection:
        rows = connection.execute(
            "SELECT epoch_us(time_utc), value FROM readings WHERE parameter = ? ORDER BY 1", [parameter]
        ).fetchall()
    return dict(rows)


@pytest.fixture()
def store(data_dir: Path) -> ReadingsStore:
    return ReadingsStore(data_dir)


def test_changed_value_is_a_conflict_named_by_line_and_the_store_keeps_its_value(
    store: ReadingsStore, tmp_path: Path
) -> None:
    first = _write(tmp_path / "first.csv", _beijing_rows(48))
    ingest_files(store, [first], format_name="beijing")
    before = _values(store)
    changed = _beijing_rows(48)
    changed[9] = changed[9].replace(",19,20,", ",999,20,")  # PM2.5 of data row 10 (line 11)
    late = _beijing_rows(24, start_day=3)  # late data with new keys
    report = ingest_files(store, [_write(tmp_path / "second.csv", changed + late)], format_name="beijing")
    counts = report.totals
    assert counts["readings_rejected_conflict"] == 1
    assert counts["readings_stored"] == 24 * 7
    assert counts["readings_skipped_existing"] == 48 * 7 - 1
    conflict = next(m for m in report.files[0].messages if m.outcome == "rejected")
    assert conflict.row == 11 and "999 ug/m3 here but 19 ug/m3 in the store" in conflict.message
    after = _values(store)
    assert {key: after[key] for key in before} == before
    assert len(after) == 72


def test_strict_mode_rejects_the_whole_file(store: ReadingsStore, tmp_path: Path) -> None:
    ingest_files(store, [_write(tmp_path / "first.csv", _beijing_rows(24))], format_name="beijing")
    before = _snapshot(store)
    changed = _beijing_rows(24)
    changed[0] = changed[0].replace(",10,20,", ",11,20,")
    with pytest.raises(ReadingConflictError, match="line 2"):
        ingest_files(
            store,
            [_write(tmp_path / "second.csv", changed + _beijing_rows(5, start_day=9))],
            format_name="beijing",
            strict=True,
        )
    assert _snapshot(store) == before


def test_truncated_gzip_is_rejected_and_nothing_changes(store: ReadingsStore, tmp_path: Path) -> None:
    ingest_files(
        store, [_write(tmp_path / "good.csv.gz", _beijing_rows(24), compress=True)], format_name="beijing"
    )
    before = _snapshot(store)
    whole = _write(tmp_path / "whole.csv.gz", _beijing_rows(2000, start_day=2), compress=True).read_bytes()
    truncated = tmp_path / "cut.csv.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(MalformedInputError, match=r"cut\.csv\.gz.*truncated"):
        ingest_files(store, [truncated], format_name="beijing")
    assert _snapshot(store) == before


def test_last_row_cut_short_is_rejected_with_its_line(store: ReadingsStore, tmp_path: Path) -> None:
    lines = _beijing_rows(10)
    lines[-1] = lines[-1][:20]
    with pytest.raises(MalformedInputError, match="line 11"):
        ingest_files(store, [_write(tmp_path / "cut.csv", lines)], format_name="beijing")
    assert not store.ledger_path.exists()


def test_naive_times_without_a_time_zone_are_rejected(store: ReadingsStore, tmp_path: Path) -> None:
    path = tmp_path / "naive.csv"
    path.write_text("time,site,pm25\n2021-05-01T00:00,A,10\n2021-05-01T01:00,A,12\n", encoding="utf-8")
    mapping = TableMapping(
        time_column="time", station_column="site", parameters={"pm25": "pm25"}, units={"pm25": "ug/m3"}
    )
    with pytest.raises(InputError, match=r"no time zone.*line 2.*--timezone"):
        ingest_files(store, [path], format_name="table", mapping=mapping)
    aware = tmp_path / "aware.csv"
    aware.write_text(
        "time,site,pm25\n2021-05-01T00:00+08:00,A,10\n2021-05-01T01:00Z,A,12\n", encoding="utf-8"
    )
    report = ingest_files(store, [aware], format_name="table", mapping=mapping)
    assert report.totals["readings_stored"] == 2


def test_text_in_a_numeric_column_is_stored_as_missing_and_named(
    store: ReadingsStore, tmp_path: Path
) -> None:
    lines = _beijing_rows(5)
    lines[2] = lines[2].replace(",12,20,", ",broken,20,")
    report = ingest_files(store, [_write(tmp_path / "text.csv", lines)], format_name="beijing")
    message = next(m for m in report.files[0].messages if m.column == "PM2.5")
    assert message.row == 4 and message.outcome == "flagged" and "'broken' is not a number" in message.message
    with store.connect() as connection:
        value, flags = connection.execute(
            "SELECT value, qa_flags FROM readings WHERE parameter = 'pm25' AND epoch_us(time_utc) = "
            "epoch_us(TIMESTAMPTZ '2014-03-01 02:00:00+08:00')"
        ).fetchone()
    assert value is None and flags & QaFlag.MISSING


def test_duplicate_rows_with_different_values_are_both_rejected(store: ReadingsStore, tmp_path: Path) -> None:
    lines = _beijing_rows(4)
    twin = lines[1].replace(",11,20,", ",15,20,")
    report = ingest_files(
        store, [_write(tmp_path / "twins.csv", [*lines, twin, lines[2]])], format_name="beijing"
    )
    counts = report.totals
    rejected = sorted(m.row for m in report.files[0].messages if m.outcome == "rejected")
    assert rejected == [3, 6]  # the PM2.5 readings of lines 3 and 6 disagree
    assert (
        counts["readings_skipped_duplicate"] == 7 + 6
    )  # line 7 repeats line 4; line 6's other values repeat line 3
    assert 11.0 not in _values(store).values() and 15.0 not in _values(store).values()


@pytest.mark.parametrize(
    ("local", "reason"),
    [("2021-03-28T02:30", "does not exist"), ("2021-10-31T02:30", "is ambiguous")],
)
def test_daylight_saving_gaps_and_repeats_are_rejected(
    store: ReadingsStore, tmp_path: Path, local: str, reason: str
) -> None:
    path = tmp_path / "berlin.csv"
    path.write_text(f"time,site,no2\n2021-03-28T01:30,B,20\n{local},B,21\n", encoding="utf-8")
    mapping = TableMapping(
        timezone="Europe/Berlin",
        time_column="time",
        station_column="site",
        parameters={"no2": "no2"},
        units={"no2": "ug/m3"},
    )
    report = ingest_files(store, [path], format_name="table", mapping=mapping)
    message = next(m for m in report.files[0].messages if m.outcome == "rejected")
    assert message.row == 3 and reason in message.message
    assert report.totals["readings_stored"] == 1


def test_unknown_unit_is_refused(store: ReadingsStore, tmp_path: Path) -> None:
    path = tmp_path / "unit.csv"
    path.write_text("time,site,no2\n2021-03-01T01:00Z,B,20\n", encoding="utf-8")
    mapping = TableMapping(
        time_column="time", station_column="site", parameters={"no2": "no2"}, units={"no2": "furlongs"}
    )
    with pytest.raises(InputError, match="Unknown unit 'furlongs'"):
        ingest_files(store, [path], format_name="table", mapping=mapping)


def test_long_layout_mixed_units_convert_or_are_refused(store: ReadingsStore, tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    pd.DataFrame(
        {
            "time": ["2021-03-01T01:00Z", "2021-03-01T02:00Z", "2021-03-01T01:00Z"],
            "site": ["C", "C", "C"],
            "pollutant": ["co", "co", "pm25"],
            "value": ["800", "1.1", "35"],
            "unit": ["ug/m3", "mg/m3", "µg/m³"],
        }
    ).to_excel(path, index=False)
    mapping = TableMapping(
        time_column="time",
        station_column="site",
        layout="long",
        parameter_column="pollutant",
        value_column="value",
        unit_column="unit",
    )
    ingest_files(store, [path], format_name="table", mapping=mapping)
    assert sorted(_values(store, "co").values()) == [pytest.approx(0.8), pytest.approx(1.1)]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "time,site,pollutant,value,unit\n2021-03-01T01:00Z,C,no2,20,ppb\n2021-03-01T02:00Z,C,no2,40,ug/m3\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"units ppb and ug/m3"):
        ingest_files(store, [mixed], format_name="table", mapping=mapping)


def test_a_station_whose_name_changes_is_reported_and_its_history_kept(
    store: ReadingsStore, tmp_path: Path
) -> None:
    def table(name: str, hour: int) -> Path:
        path = tmp_path / f"{name}.csv"
        path.write_text(f"time,code,name,pm25\n2021-03-01T0{hour}:00Z,S1,{name},5\n", encoding="utf-8")
        return path

    mapping = TableMapping(
        time_column="time",
        station_column="code",
        station_name_column="name",
        parameters={"pm25": "pm25"},
        units={"pm25": "ug/m3"},
    )
    ingest_files(store, [table("Riverside", 1)], format_name="table", mapping=mapping)
    report = ingest_files(store, [table("Riverside North", 2)], format_name="table", mapping=mapping)
    warning = next(m for m in report.files[0].messages if m.outcome == "warning")
    assert "name_en changed from 'Riverside' to 'Riverside North'" in warning.message
    assert store.batches()[-1]["station_changes"] == [
        {"station_id": "S1", "field": "name_en", "old": "Riverside", "new": "Riverside North"}
    ]
    assert store.stations().column("name_en").to_pylist() == ["Riverside North"]
