"""A new user screens the 26 AidData GeoGCDF files through the CLI from a fresh data directory
(issue 21 item 2): the preset, value mappings, messages naming each file and its own row, duplicate
ids, and exit codes for all done (0), some failed (9) and nothing done (10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from greenbri.services.cli.errors import NOTHING_DONE, PARTIAL_FAILURE
from greenbri.services.cli.main import app

runner = CliRunner()

#: AidData's Sector.Name of the 26 files: 10 transport, 9 industry/mining/construction, 4 energy,
#: 2 water supply and sanitation, 1 agriculture/forestry/fishing.
SECTOR_COUNTS = {"TRANSPORT AND STORAGE": 10, "INDUSTRY, MINING, CONSTRUCTION": 9, "ENERGY": 4}


@pytest.fixture()
def aiddata_files(shared_data: Path) -> list[str]:
    return sorted(str(path) for path in (shared_data / "projects" / "aiddata").glob("*.geojson"))


def screen(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["screen", *arguments, "--date", "2025-06-30"])
    return result.exit_code, result.stdout, result.stderr


def test_the_preset_screens_what_aiddata_determines_and_names_the_rest(
    data_dir: Path, aiddata_files: list[str]
) -> None:
    code, out, err = screen(*aiddata_files, "--preset", "aiddata", "--json")
    assert code == PARTIAL_FAILURE, err
    result = json.loads(out)
    assert result["summary"]["projects"] == 26
    assert result["summary"]["screened"] == 3  # the water and agriculture projects
    assert result["summary"]["failed"] == 23
    by_id = {item["project_id"]: item for item in result["failures"]}
    # Each failure names its own file and row 1 of that file, never a row counted across the files.
    for identifier, failure in by_id.items():
        assert failure["file"] == f"{identifier}.geojson"
        assert failure["row"] == 1
        assert failure["error"].startswith(
            f"{identifier}.geojson, row 1, project {identifier}, field 'sector'"
        )
        assert "35713.geojson" not in failure["error"] or identifier == "35713"
        assert "--map-values 'sector:" in failure["error"]
    assert "unknown code 'ENERGY'" in by_id["40"]["error"]
    # The judgement mappings are said, with the codebook, on stderr.
    assert "Status 'Completion' -> status operating for 20 row(s) is a judgement" in err
    assert "GCDF 3.0 codebook" in err


def test_value_mappings_on_the_command_line_and_in_a_file_finish_the_job(
    data_dir: Path, aiddata_files: list[str], tmp_path: Path
) -> None:
    mapping = tmp_path / "sectors.csv"
    mapping.write_text(
        'field,value,code\nsector,"INDUSTRY, MINING, CONSTRUCTION",industrial_park\n', encoding="utf-8"
    )
    code, out, err = screen(
        *aiddata_files,
        "--preset",
        "aiddata",
        "--map-values-file",
        str(mapping),
        "--map-values",
        "sector:TRANSPORT AND STORAGE=road",
        "--map-values",
        "sector:ENERGY=hydro_power",
        "--map-values",
        "status:Completion=operating",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["summary"]["screened"] == 26 and result["summary"]["failed"] == 0
    sectors = [item["project"]["sector"] for item in result["projects"]]
    assert sectors.count("road") == SECTOR_COUNTS["TRANSPORT AND STORAGE"]
    assert sectors.count("industrial_park") == SECTOR_COUNTS["INDUSTRY, MINING, CONSTRUCTION"]
    assert sectors.count("hydro_power") == SECTOR_COUNTS["ENERGY"]
    # The user decided Completion: no more warning for it; Implementation is still a judgement.
    assert "Status 'Completion'" not in err
    assert "Status 'Implementation' -> status under_construction for 5 row(s)" in err


def test_nothing_screened_exits_10_and_says_so(data_dir: Path, aiddata_files: list[str]) -> None:
    code, out, err = screen(*aiddata_files[:3], "--map", "Title=name", "--map", "Recipient.ISO-3=country")
    assert code == NOTHING_DONE, err
    assert "nothing screened: all 3 rows failed (exit code 10)" in out
    assert "field 'sector': the required field is missing or empty" in out


def test_a_duplicate_project_id_is_warned_with_both_places(data_dir: Path, aiddata_files: list[str]) -> None:
    pair = [path for path in aiddata_files if Path(path).name in ("58039.geojson", "58113.geojson")]
    copy = data_dir.parent / "copy"
    copy.mkdir()
    (copy / "58039.geojson").write_bytes(Path(pair[0]).read_bytes())
    code, _, err = screen(
        *pair,
        str(copy / "58039.geojson"),
        "--preset",
        "aiddata",
        "--map-values",
        "sector:TRANSPORT AND STORAGE=road",
        "--json",
    )
    assert code == 0, err
    assert re.search(
        r"project id '58039' appears 2 times \(58039\.geojson row 1, 58039\.geojson row 1\)", err
    )


def test_a_bad_mapping_file_names_the_file_and_row(
    data_dir: Path, aiddata_files: list[str], tmp_path: Path
) -> None:
    mapping = tmp_path / "bad.csv"
    mapping.write_text("field,value,code\nsector,ENERGY\n", encoding="utf-8")
    code, _, err = screen(aiddata_files[0], "--preset", "aiddata", "--map-values-file", str(mapping))
    assert code == 2
    assert "bad.csv, row 1: expected field,value,code" in err
    code, _, err = screen(aiddata_files[0], "--map-values", "sector=coal_power")
    assert code == 2
    assert "is not FIELD:VALUE=CODE" in err


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)


@given(
    field_name=_TEXT.filter(lambda text: ":" not in text and text.strip()),
    value=_TEXT,
    code=_TEXT.filter(lambda text: "=" not in text and text.strip()),
)
def test_map_values_reads_back_any_field_value_and_code(field_name: str, value: str, code: str) -> None:
    from greenbri.services.cli.screen_commands import _value_maps

    parsed = _value_maps([f"{field_name}:{value}={code}"], None)
    assert parsed == {field_name.strip(): {value.strip(): code.strip()}}


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6))
def test_rows_are_numbered_within_each_file(run_lengths: list[int]) -> None:
    from greenbri.usecases.project_inputs import _file_rows

    files = [f"file{number % 2}.geojson" for number, length in enumerate(run_lengths) for _ in range(length)]
    names, rows = _file_rows([], files)
    assert names == files
    # adjacent runs alternate between two names (the same name again later is another file)
    assert rows == [row for length in run_lengths for row in range(1, length + 1)]
