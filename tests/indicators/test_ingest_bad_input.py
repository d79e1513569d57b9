"""Issue 13 (items 3, 4, 8): indicator files that are cut, misnamed or not indicator files at all.

Each test failed on main before the fix: a truncated copy replaced the stored source (exit 0), two
Chinese file names were one source, a short last row was stored with the missing value dropped, a
long field crashed with a traceback, a folder without files and a file of the wrong kind exited 0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.store_state import file_snapshot
from typer.testing import CliRunner

from greenbri.adapters.indicators.store import IndicatorStore, source_key
from greenbri.core.errors import (
    EmptyInputError,
    EncodingError,
    InputError,
    MalformedInputError,
    ShrinkingSourceError,
    UnknownFormatError,
)
from greenbri.services.cli.main import app
from greenbri.usecases.indicators.ingest import ingest_file

BAD = Path(__file__).parent.parent / "bad_inputs"
runner = CliRunner()


@pytest.fixture()
def kba(shared_data: Path, tmp_path: Path) -> Path:
    """A private copy of a real OWID grapher file (5,796 rows; its last line has no line break)."""
    copy = tmp_path / "in" / "per_KBA_protected.csv"
    copy.parent.mkdir()
    shutil.copy(shared_data / "indicators" / "per_KBA_protected.csv", copy)
    return copy


def _first_lines(path: Path, share: float) -> bytes:
    lines = path.read_bytes().splitlines(keepends=True)
    return b"".join(lines[: int(len(lines) * share)])


def test_a_truncated_copy_cut_mid_row_is_refused_and_the_store_is_unchanged(
    kba: Path, tmp_path: Path
) -> None:
    store = IndicatorStore(tmp_path / "store")
    first = ingest_file(store, kba)
    before = file_snapshot(store.root)
    data = kba.read_bytes()
    kba.write_bytes(data[: len(data) // 10 - 2])  # a tenth of the bytes, the last row cut in its year
    with pytest.raises(MalformedInputError, match=r"line \d+.*short row") as caught:
        ingest_file(store, kba)
    assert "per_KBA_protected.csv" in str(caught.value) and "--skip-bad-rows" in str(caught.value)
    assert file_snapshot(store.root) == before
    assert len(store.observations()) == first["rows"]


def test_a_copy_that_drops_most_rows_is_refused_unless_allowed(kba: Path, tmp_path: Path) -> None:
    store = IndicatorStore(tmp_path / "store")
    first = ingest_file(store, kba)
    before = file_snapshot(store.root)
    kba.write_bytes(_first_lines(kba, 0.1))  # whole lines: a tenth of the rows, every row whole
    with pytest.raises(ShrinkingSourceError, match=r"--allow-shrink") as caught:
        ingest_file(store, kba)
    assert f"{first['rows']:,}" in str(caught.value)
    assert file_snapshot(store.root) == before
    allowed = ingest_file(store, kba, allow_shrink=True)
    assert allowed["status"] == "ingested" and allowed["version"] == 2
    assert 0 < allowed["rows"] < first["rows"] / 2


def test_a_value_cut_at_the_end_of_the_file_is_refused(tmp_path: Path) -> None:
    """The last row keeps all its fields but its value lost digits ('87.9' -> '87.'): refused."""
    path = tmp_path / "terrestrial-protected-areas.csv"
    header = "Entity,Code,Year,Terrestrial protected areas (% of total land area)\n"
    rows = "".join(f"China,CHN,{year},15.{year % 10}\n" for year in range(2010, 2020))
    path.write_text(header + rows + "China,CHN,2020,15.", "utf-8")
    with pytest.raises(MalformedInputError, match=r"line 12: .*cut at end of file.*'15\.'"):
        ingest_file(IndicatorStore(tmp_path / "store"), path)
    path.write_text(header + rows + "China,CHN,2020,15.5", "utf-8")  # whole, no final line break: fine
    assert ingest_file(IndicatorStore(tmp_path / "store"), path)["rows"] == 11


def test_an_unterminated_quote_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "terrestrial-protected-areas.csv"
    path.write_text(
        "Entity,Code,Year,Terrestrial protected areas (% of total land area)\n"
        'China,CHN,2019,15.6\n"India,IND,2020,5.1\nJapan,JPN,2020,20.5\n',
        "utf-8",
    )
    with pytest.raises(MalformedInputError, match=r"line 3: .*unterminated quote"):
        ingest_file(IndicatorStore(tmp_path / "store"), path)


def test_a_short_last_row_is_refused_or_skipped_and_reported(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "terrestrial-protected-areas.csv"
    path.write_text(
        "Entity,Code,Year,Terrestrial protected areas (% of total land area)\n"
        "China,CHN,2019,15.6\nChina,CHN,2020,15.7\nIndia,IND",
        "utf-8",
    )
    refused = runner.invoke(app, ["indicators", "ingest", str(path)])
    assert refused.exit_code == 2 and "line 4" in refused.output and "short row" in refused.output
    skipped = runner.invoke(app, ["indicators", "ingest", str(path), "--skip-bad-rows", "--json"])
    assert skipped.exit_code == 0, skipped.output
    (result,) = json.loads(skipped.stdout)
    assert result["rows"] == 2 and any("line 4" in note for note in result["notes"])


def test_two_chinese_file_names_are_two_sources(tmp_path: Path) -> None:
    store = IndicatorStore(tmp_path / "store")
    for name, indicator, value in (
        ("指标一.csv", "cn_surface_water_good_share", 89.4),
        ("指标二.csv", "forest_share", 24.0),
    ):
        data = tmp_path / name
        data.write_text(f"nation,yr,share\nChina,2023,{value}\n", "utf-8")
        mapping = tmp_path / f"{name}.json"
        mapping.write_text(
            json.dumps(
                {
                    "indicator": indicator,
                    "country_column": "nation",
                    "country_is": "name",
                    "year_column": "yr",
                    "value_column": "share",
                }
            ),
            "utf-8",
        )
        assert ingest_file(store, data, mapping_path=mapping)["status"] == "ingested"
    stored = store.observations()
    assert sorted(stored["indicator_id"]) == ["cn_surface_water_good_share", "forest_share"]
    assert sorted(store.manifest()["sources"]) == ["指标一.csv", "指标二.csv"]


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
@example("指标一.csv", "指标二.csv")
@example("a b.csv", "a_b.csv")
def test_different_file_names_never_share_a_source_key(first: str, second: str) -> None:
    if first != second:
        assert source_key(first) != source_key(second)


def test_same_bytes_under_another_name_are_recognised(kba: Path, tmp_path: Path) -> None:
    store = IndicatorStore(tmp_path / "store")
    ingest_file(store, kba)
    other = tmp_path / "kba-copy.csv"
    shutil.copy(kba, other)
    again = ingest_file(store, other)
    assert again["status"] == "unchanged" and again["same_content_as"] == "per_KBA_protected.csv"
    assert len(store.manifest()["sources"]) == 1


def test_a_long_field_even_in_the_header_is_read_not_a_traceback(tmp_path: Path) -> None:
    result = ingest_file(IndicatorStore(tmp_path / "store"), BAD / "long_field.csv")
    assert result["status"] == "ingested" and result["rows"] == 2


def test_a_gbk_file_is_decoded_not_refused_as_not_utf8(tmp_path: Path) -> None:
    store = IndicatorStore(tmp_path / "store")
    result = ingest_file(store, BAD / "gbk_encoded.csv")
    assert result["rows"] == 2
    assert set(store.observations()["name"]) == {"中国", "巴基斯坦"}


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("empty.csv", EmptyInputError, "the file is empty"),
        ("blank.csv", EmptyInputError, "only blank text"),
        ("not_a_table.csv", EncodingError, "not really a text table|control characters"),
    ],
)
def test_bad_files_name_their_cause(tmp_path: Path, name: str, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        ingest_file(IndicatorStore(tmp_path / "store"), BAD / name)


def test_folders_and_files_of_the_wrong_kind_exit_non_zero(tmp_path: Path, data_dir: Path) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    (empty / "readme.txt").write_text("no indicators", "utf-8")
    workbook = tmp_path / "indicators.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    cases = {
        str(empty): "holds no .csv or .json file",
        str(workbook): "not an indicator file",
        str(tmp_path / "missing.csv"): "no such file",
    }
    for argument, words in cases.items():
        result = runner.invoke(app, ["indicators", "ingest", argument])
        assert result.exit_code == 2, result.output
        assert words in result.output and "Fix:" in result.output
    with pytest.raises(InputError, match="not a file"):
        ingest_file(IndicatorStore(tmp_path / "store"), empty)
    with pytest.raises(UnknownFormatError):
        ingest_file(IndicatorStore(tmp_path / "store"), workbook)
