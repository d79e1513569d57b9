"""Coverage declarations, per-project failures and input quirks in screening."""

from __future__ import annotations

from pathlib import Path

from greenbri.usecases.project_inputs import read_projects
from greenbri.usecases.screening import screen_portfolio

ROWS = (
    "id,name,sector,status,country,wkt\n"
    "1,Solar near Kyiv,solar_power,planned,UKR,POINT (30.52 50.45)\n"
    "2,Broken,solar_power,planned,UKR,GEOMETRYCOLLECTION (POINT (30 50))\n"
    ",No id,solar_power,planned,UKR,POINT (30 50)\n"
    '4,Across the antimeridian,road,planned,RUS,"LINESTRING (179.5 65, -179.5 65)"\n'
)


def test_a_bad_row_is_reported_with_its_row_and_the_rest_carry_on(
    reference_store, loaded_layers, rules, tmp_path: Path
) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(ROWS, encoding="utf-8")
    projects = read_projects(path)
    assert [project.id for project in projects.projects] == ["1", "2", "4"]  # numeric ids stay text, not 1.0
    portfolio = screen_portfolio(reference_store, projects, rules, layers=loaded_layers)
    assert [item.project.id for item in portfolio.screened] == ["1"]
    failures = {failure.row: failure.message for failure in portfolio.failures}
    assert sorted(failures) == [2, 3, 4]
    assert "GeometryCollection cannot be screened" in failures[2]
    assert "'id'" in failures[3]
    assert "antimeridian" in failures[4]


def test_a_sample_layer_never_vouches_for_absence(
    reference_store, loaded_layers, rules, tmp_path: Path
) -> None:
    # ramsar-ukraine is a 7-site sample (coverage 'none'): a project in Ukraine far from those sites
    # must not be told that there is no wetland; GeoNames settlements are complete (coverage 'global').
    path = tmp_path / "kyiv.csv"
    path.write_text(ROWS.splitlines()[0] + "\n" + ROWS.splitlines()[1] + "\n", encoding="utf-8")
    portfolio = screen_portfolio(reference_store, read_projects(path), rules, layers=loaded_layers)
    coverage = {item.receptor_role.value: item for item in portfolio.screened[0].result.coverage}
    assert not coverage["wetland"].covered
    assert "ramsar-ukraine@v1: coverage none" in coverage["wetland"].note
    assert coverage["settlement"].covered and "settlements@v1" in coverage["settlement"].datasets
    assert coverage["world_heritage"].covered
    assert portfolio.screened[0].result.overall.value == "no_data"
