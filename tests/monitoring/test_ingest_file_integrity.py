"""Issue 13 (items 4, 8): monitoring files that are not whole, not UTF-8, empty or have a huge field.

On main, a value cut at the end of the file and an unterminated quote were stored (the quote
swallowed the rows after it), a GBK file and an over-long field were called "truncated or corrupt",
and an empty file "a column the mapping names is not in the file".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.monitoring.test_ingest_bad_input import HEADER, _beijing_rows, _snapshot
from typer.testing import CliRunner

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.errors import EmptyInputError, EncodingError, MalformedInputError
from greenbri.services.cli.main import app
from greenbri.usecases.monitoring.ingest import ingest_files

BAD = Path(__file__).parent.parent / "bad_inputs"


@pytest.fixture()
def store(data_dir: Path) -> ReadingsStore:
    return ReadingsStore(data_dir)


def _beijing(path: Path, lines: list[str], *, end: str = "\n") -> Path:
    path.write_text("\n".join([HEADER, *lines]) + end, encoding="utf-8")
    return path


def _stored(store: ReadingsStore) -> list[float]:
    with store.connect() as connection:
        rows = connection.execute(
            "SELECT value FROM readings WHERE parameter = 'pm25' AND value IS NOT NULL ORDER BY time_utc"
        ).fetchall()
    return [value for (value,) in rows]


def test_a_value_cut_at_the_end_of_the_file_is_refused(store: ReadingsStore, tmp_path: Path) -> None:
    lines = _beijing_rows(6)
    lines[-1] = lines[-1][: lines[-1].rindex(",") + 1]  # the last field (the station) cut to nothing
    path = _beijing(tmp_path / "cut.csv", lines, end="")
    with pytest.raises(MalformedInputError, match=r"line 7: .*cut at end of file") as caught:
        ingest_files(store, [path], format_name="beijing")
    assert "--skip-bad-rows" in str(caught.value)
    assert not store.ledger_path.exists()


@pytest.mark.parametrize(
    ("line", "damage", "reason"),
    [
        (4, lambda row: row.replace('"N"', '"N'), "bad quoting"),  # '"N,2.1,"Dongsi"'
        (4, lambda row: row[:-1], "bad quoting"),  # '"Dongsi' runs on into the next rows
        (7, lambda row: row[:-1], "unterminated quote"),  # the last row: the file ends inside it
    ],
)
def test_quotes_that_do_not_pair_up_are_refused_with_their_line(
    store: ReadingsStore, tmp_path: Path, line: int, damage: Any, reason: str
) -> None:
    lines = _beijing_rows(6)
    lines[line - 2] = damage(lines[line - 2])
    path = _beijing(tmp_path / "quote.csv", lines)
    with pytest.raises(MalformedInputError, match=rf"line {line}: .*{reason}"):
        ingest_files(store, [path], format_name="beijing")
    assert not store.ledger_path.exists()


def test_skip_bad_rows_stores_the_whole_rows_at_their_own_lines(store: ReadingsStore, tmp_path: Path) -> None:
    lines = _beijing_rows(8)
    lines[2] = lines[2][:25]  # line 4: a short row in the middle
    lines[-1] = lines[-1][:30]  # line 9: the last row cut short
    lines[4] = lines[4].replace(",14,20,", ",abc,20,")  # line 6: PM2.5 is text (flagged, by its line)
    path = _beijing(tmp_path / "damaged.csv", lines, end="")
    with pytest.raises(MalformedInputError, match=r"line 4: .*short row"):
        ingest_files(store, [path], format_name="beijing")
    report = ingest_files(store, [path], format_name="beijing", skip_bad_rows=True)
    left_out = [m for m in report.files[0].messages if "left out" in m.message]
    assert [(m.row, m.outcome) for m in left_out] == [(4, "rejected"), (9, "rejected")]
    flagged = [m for m in report.files[0].messages if "not a number" in m.message]
    assert [m.row for m in flagged] == [6]  # the rows after a left-out row keep their line numbers
    assert _stored(store) == [10.0, 11.0, 13.0, 15.0, 16.0]  # lines 2, 3, 5, 7, 8 (line 6: missing)


def test_a_gbk_file_is_named_as_gbk_and_reads_with_the_encoding(
    store: ReadingsStore, tmp_path: Path, shared_data: Path
) -> None:
    original = shared_data / "air" / "cnemc" / "2022-01-15T08.csv"
    gbk = tmp_path / "2022-01-15T08.csv"
    gbk.write_bytes(original.read_text("utf-8").encode("gbk"))
    with pytest.raises(EncodingError, match=r"not utf-8 text.*looks like gbk.*--encoding gbk"):
        ingest_files(store, [gbk], format_name="cnemc")
    assert not store.ledger_path.exists()
    read = ingest_files(store, [gbk], format_name="cnemc", encoding="gbk").totals
    other = ingest_files(ReadingsStore(tmp_path / "utf8"), [original], format_name="cnemc").totals
    assert read["readings_stored"] == other["readings_stored"] > 0


@pytest.mark.parametrize(("name", "words"), [("empty.csv", "is empty"), ("blank.csv", "only blank lines")])
def test_an_empty_file_is_called_empty(store: ReadingsStore, name: str, words: str) -> None:
    with pytest.raises(EmptyInputError, match=words):
        ingest_files(store, [BAD / name], format_name="beijing")


def test_a_field_longer_than_the_reader_block_is_named(store: ReadingsStore, tmp_path: Path) -> None:
    lines = _beijing_rows(3)
    lines[1] = lines[1].replace('"Dongsi"', '"' + "D" * (40 << 20) + '"')  # 40 MiB: more than two blocks
    path = _beijing(tmp_path / "long.csv", lines)
    before = _snapshot(store)
    with pytest.raises(MalformedInputError, match=r"field is too long.*16 MiB") as caught:
        ingest_files(store, [path], format_name="beijing")
    assert "truncated" not in str(caught.value)
    assert _snapshot(store) == before


def test_the_cli_names_the_encoding_and_takes_encoding_and_skip_options(
    data_dir: Path, tmp_path: Path, shared_data: Path
) -> None:
    runner = CliRunner()
    gbk = tmp_path / "2022-01-15T08.csv"
    gbk.write_bytes((shared_data / "air" / "cnemc" / "2022-01-15T08.csv").read_text("utf-8").encode("gbk"))
    refused = runner.invoke(app, ["monitor", "ingest", str(gbk), "--format", "cnemc"])
    assert refused.exit_code == 2 and "--encoding gbk" in refused.output
    read = runner.invoke(
        app, ["monitor", "ingest", str(gbk), "--format", "cnemc", "--encoding", "gbk", "--json"]
    )
    assert read.exit_code == 0, read.output
    lines = _beijing_rows(4)
    lines[1] = lines[1][:20]
    damaged = _beijing(tmp_path / "damaged.csv", lines)
    skipped = runner.invoke(
        app, ["monitor", "ingest", str(damaged), "--format", "beijing", "--skip-bad-rows"]
    )
    assert skipped.exit_code == 0, skipped.output
    assert "line 3" in skipped.output and "left out" in skipped.output
