"""One out-of-range coordinate fails its own row, not the portfolio: the row is named (file, row,
field, fix), the other projects are screened, and ``greenbri screen`` exits 9 (partial failure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.adapters.readers import ReadOptions, read_input
from greenbri.core.errors import CoordinateRangeError
from greenbri.services.cli.errors import PARTIAL_FAILURE
from greenbri.services.cli.main import app
from greenbri.usecases.project_inputs import read_projects

HEADER = "id,name,sector,status,country,longitude,latitude"
ROWS = [
    "p1,Plant A,solar_power,planned,CHN,116.4,39.9",
    "p2,Plant B,solar_power,planned,CHN,216.4,39.9",
    "p3,Plant C,solar_power,planned,THA,100.5,13.7",
    "p4,Plant D,solar_power,planned,THA,100.5,-93.0",
]


def _portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_out_of_range_rows_fail_alone(tmp_path: Path) -> None:
    projects = read_projects(_portfolio(tmp_path))
    assert [project.id for project in projects.projects] == ["p1", "p3"]
    assert [(failure.row, failure.project_id) for failure in projects.failures] == [(2, "p2"), (4, "p4")]
    first, second = (failure.message for failure in projects.failures)
    assert "portfolio.csv, row 2, column 'longitude'" in first and "216.4" in first and "Fix:" in first
    assert "portfolio.csv, row 4, column 'latitude'" in second and "-93" in second


def test_a_geojson_feature_out_of_range_fails_alone(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {
                "id": project_id,
                "name": project_id,
                "sector": "solar_power",
                "status": "planned",
                "country": "THA",
            },
            "geometry": {"type": "Point", "coordinates": coordinates},
        }
        for project_id, coordinates in (("ok", [100.5, 13.7]), ("far", [100.5, 113.7]))
    ]
    path = tmp_path / "portfolio.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    projects = read_projects(path)
    assert [project.id for project in projects.projects] == ["ok"]
    (failure,) = projects.failures
    assert failure.project_id == "far" and "portfolio.geojson, feature 1 (id=far)" in failure.message
    assert "lat 113.7" in failure.message


def test_imports_still_refuse_the_file(tmp_path: Path) -> None:
    with pytest.raises(CoordinateRangeError, match=r"216\.4"):
        read_input(_portfolio(tmp_path), ReadOptions())


def test_screen_exits_with_partial_failure_and_screens_the_rest(
    tmp_path: Path, reference_store, monkeypatch: pytest.MonkeyPatch, session_store_factory
) -> None:
    for variable, value in session_store_factory.environment(reference_store.data_dir).items():
        monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["screen", str(_portfolio(tmp_path)), "--json", "--date", "2025-06-30"])
    assert result.exit_code == PARTIAL_FAILURE == 9, result.stderr
    body = json.loads(result.stdout)
    assert [item["project"]["id"] for item in body["projects"]] == ["p1", "p3"]
    assert [failure["row"] for failure in body["failures"]] == [2, 4]
