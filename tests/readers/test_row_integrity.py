"""Issue 13 (item 4): a CSV whose rows are not whole is refused with the row named, or its bad rows
left out and reported with --skip-bad-rows. The rules: greenbri.adapters.readers.integrity.

On main, ``datasets import`` and ``screen`` read a short last row as nulls and a cut number as a
shorter number, exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import StoreFactory
from tests.store_state import snapshot
from typer.testing import CliRunner

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.adapters.readers.integrity import scan_rows
from greenbri.core.errors import MalformedInputError
from greenbri.services.cli.main import app
from greenbri.usecases.project_inputs import read_projects

BAD = Path(__file__).parent.parent / "bad_inputs"
runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("short_last_row.csv", 4, "short row"),
        ("cut_number_at_end.csv", 5, "cut at end of file"),
        ("unterminated_quote.csv", 2, "unterminated quote"),
        ("long_row.csv", 3, "long row"),
    ],
)
def test_a_file_with_a_bad_row_is_refused_naming_it(name: str, line: int, reason: str) -> None:
    with pytest.raises(MalformedInputError, match=rf"{name}, line {line}: .*{reason}") as caught:
        read_input(BAD / name)
    assert "--skip-bad-rows" in str(caught.value) and "Nothing from it was stored" in str(caught.value)


def test_skip_bad_rows_reads_the_others_and_names_the_left_out_row() -> None:
    result = read_input(BAD / "short_last_row.csv", ReadOptions(skip_bad_rows=True))
    assert list(result.frame["id"]) == ["P1", "P2"]
    assert [str(row) for _, row in result.skipped_rows] == [
        "line 4: short row: 7 fields where the header has 9"
    ]
    assert any("line 4" in warning and "left out" in warning for warning in result.warnings)
    assert not any("count only the rows kept" in warning for warning in result.warnings)  # it was the last
    middle = read_input(BAD / "long_row.csv", ReadOptions(skip_bad_rows=True))
    assert any("count only the rows kept" in warning for warning in middle.warnings)


def test_screen_input_reports_a_left_out_row_as_a_failed_row_and_keeps_row_numbers() -> None:
    with pytest.raises(MalformedInputError, match=r"line 3: .*long row"):
        read_projects(BAD / "long_row.csv")
    projects = read_projects(BAD / "long_row.csv", skip_bad_rows=True)
    assert [project.id for project in projects.projects] == ["P1", "P3"]
    assert projects.rows == (1, 3)  # P3 is still data row 3
    (failure,) = projects.failures
    assert failure.row == 2 and "long row" in failure.message


def test_datasets_import_refuses_then_skips_and_the_store_is_untouched(
    data_dir: Path, store_factory: StoreFactory
) -> None:
    store = store_factory.open(data_dir)
    store.initialise()
    before = snapshot(store)
    arguments = [
        "datasets",
        "import",
        str(BAD / "cut_number_at_end.csv"),
        "--id",
        "plants",
        "--title-en",
        "P",
    ]
    refused = runner.invoke(app, arguments)
    assert refused.exit_code == 2 and "line 5" in refused.output and "cut at end of file" in refused.output
    assert snapshot(store_factory.open(data_dir)) == before
    done = runner.invoke(app, [*arguments, "--skip-bad-rows", "--json"])
    assert done.exit_code == 0, done.output
    outcome = json.loads(done.stdout)
    assert outcome["version"] == 1 and outcome["feature_count"] == 3
    assert any("line 5" in warning for warning in outcome["warnings"])


# -- properties ---------------------------------------------------------------------------------

_VALUE = st.integers(-99_999, 99_999).map(lambda cents: f"{cents / 100:.2f}")
_ROW = st.tuples(st.from_regex(r"[A-Z][a-z]{0,6}", fullmatch=True), _VALUE, _VALUE)


def _csv(rows: list[tuple[str, str, str]], final_break: bool) -> str:
    text = "name,x,y\n" + "\n".join(",".join(row) for row in rows)
    return text + "\n" if final_break else text


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=12), st.booleans())
def test_a_whole_file_has_no_bad_rows(rows: list[tuple[str, str, str]], final_break: bool) -> None:
    assert scan_rows(_csv(rows, final_break)) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=4, max_size=12), st.data())
def test_a_file_cut_inside_a_row_is_always_caught(
    rows: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    """Every value has two decimals, so a cut anywhere inside a row (from the fourth on) is seen:
    a short row, an empty or unfinished last value, or one with fewer decimals."""
    text = _csv(rows, True)
    starts = [index + 1 for index, char in enumerate(text) if char == "\n"]
    row_starts = starts[3:-1]  # the fourth data row on: rule 4 needs three rows before
    start = data.draw(st.sampled_from(row_starts))
    end = text.index("\n", start)
    cut = data.draw(st.integers(start + 1, end - 1))
    bad = scan_rows(text[:cut])
    assert bad and bad[-1].first_line == text[:cut].count("\n") + 1


def test_screen_refuses_a_short_last_row_and_names_it(data_dir: Path) -> None:
    result = runner.invoke(app, ["screen", str(BAD / "short_last_row.csv")])
    assert result.exit_code == 2
    assert "line 4" in result.output and "short row" in result.output and "--skip-bad-rows" in result.output
