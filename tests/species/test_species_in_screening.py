"""The species part folded into the biodiversity dimension of a screening, tested both ways.

Receptor coverage is complete (tests/screening_rules/builders.full_coverage) so the dimension's
baseline is known; the occurrence records are CONSTRUCTED (no real file holds a threatened species).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyproj import Geod
from tests.screening_rules.builders import full_coverage, make_project
from tests.species.builders import constructed_record

from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.dimension import with_species
from greenbri.core.biodiversity.licences import LicenceClass
from greenbri.core.biodiversity.proximity import occurrence_layer, screen_species
from greenbri.core.biodiversity.rules import load_species_rules
from greenbri.core.catalog import Theme
from greenbri.core.screening.classify import classify
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.vocabulary import Dimension, RiskClass
from greenbri.usecases.datasets import DatasetMetadata
from greenbri.usecases.project_inputs import ProjectInput
from greenbri.usecases.reports import write_reports
from greenbri.usecases.screening import screen_portfolio
from greenbri.usecases.species import write_occurrences
from greenbri.usecases.species_near import species_part

GEOD = Geod(ellps="WGS84")
RULES = load_rules()
SPECIES_RULES = load_species_rules()
PROJECT = make_project()  # a solar park in Botswana at 26.6, -22.5


def _layer(distance_m: float, category: str, coverage: tuple[str, ...]) -> object:
    lon, lat, _ = GEOD.fwd(26.6, -22.5, 45.0, distance_m)
    attributes = {
        "taxon_key": ["t1"],
        "scientific_name": ["Constructed species"],
        "species": ["Constructed species"],
        "red_list_category": [category],
        "year": [2010],
        "coordinate_uncertainty_m": [30.0],
        "dataset_key": ["constructed"],
        "licence_class": ["CC-BY-4.0"],
    }
    return occurrence_layer([lon], [lat], attributes, dataset_id="constructed", version=1, coverage=coverage)


def _screen(distance_m: float, category: str, coverage: tuple[str, ...]) -> tuple[object, object]:
    base = classify(PROJECT, [], full_coverage(), RULES)
    species = screen_species(
        [_layer(distance_m, category, coverage)], [PROJECT.geometry], ["BWA"], SPECIES_RULES
    )[0]
    return base, with_species(PROJECT, base, species, SPECIES_RULES, RULES)


def test_baseline_is_green_with_complete_receptor_coverage() -> None:
    base = classify(PROJECT, [], full_coverage(), RULES)
    assert base.dimensions[Dimension.BIODIVERSITY].risk_class is RiskClass.GREEN


@pytest.mark.parametrize("category", ["CR", "EN"])
def test_critically_endangered_or_endangered_near_makes_yellow_with_the_ps6_step(category: str) -> None:
    _, result = _screen(4_000.0, category, ("BWA",))
    dimension = result.dimensions[Dimension.BIODIVERSITY]
    assert dimension.risk_class is RiskClass.YELLOW
    reason = next(r for r in dimension.reasons if r.rule_id == "species.cr-en-within-10km")
    assert "critical habitat" in reason.text.en and "Constructed species" in reason.text.en
    assert reason.citations[0].source.id == "ifc-ps6-2012"
    assert reason.parameters["nearest_m"] == pytest.approx(4_000.0, abs=0.1)
    assert result.overall is RiskClass.YELLOW


def test_far_records_in_a_complete_layer_leave_the_dimension_as_it_was() -> None:
    base, result = _screen(30_000.0, "EN", ("BWA",))
    assert result.dimensions[Dimension.BIODIVERSITY] == base.dimensions[Dimension.BIODIVERSITY]
    assert result.overall is base.overall


def test_far_records_in_an_incomplete_layer_make_no_data_never_green() -> None:
    _, result = _screen(30_000.0, "EN", ("none",))
    dimension = result.dimensions[Dimension.BIODIVERSITY]
    assert dimension.risk_class is RiskClass.NO_DATA
    assert [r.rule_id for r in dimension.missing] == ["species.no_complete_layer"]
    assert result.overall is RiskClass.NO_DATA and result.incomplete


def test_near_records_in_an_incomplete_layer_are_still_found() -> None:
    _, result = _screen(2_000.0, "EN", ("none",))
    dimension = result.dimensions[Dimension.BIODIVERSITY]
    # a record found opens the rule whatever the layer's completeness: completeness only matters for absence
    assert dimension.known_class is RiskClass.YELLOW and dimension.risk_class is RiskClass.YELLOW
    assert not [r for r in dimension.missing if r.rule_id.startswith("species.")]


def clock() -> datetime:
    return datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_screen_portfolio_lists_species_and_folds_them_in(dataset_store: DatasetStore) -> None:
    projects = ProjectInput(projects=(PROJECT,), failures=(), input_sha256="x", input_name="constructed")
    assert species_part(dataset_store) is None  # no occurrence layer: the screening is as before
    plain = screen_portfolio(dataset_store, projects, RULES).to_dict()["projects"][0]
    assert "species" not in plain
    lon, lat, _ = GEOD.fwd(26.6, -22.5, 90.0, 5_000.0)
    records = [
        constructed_record(
            lon,
            lat,
            "EN",
            1,
            LicenceClass.CC_BY,
            2012,
        )
    ]
    metadata = DatasetMetadata("constructed-species", coverage=("BWA",), theme=Theme.BIODIVERSITY)
    write_occurrences(
        dataset_store,
        records,
        {},
        metadata,
        input_name="constructed",
        input_sha256=hashlib.sha256(b"c").hexdigest(),
        command="test",
        clock=clock,
    )
    part = species_part(dataset_store)
    assert part is not None
    screened = screen_portfolio(dataset_store, projects, RULES, species=part).to_dict()
    project = screened["projects"][0]
    assert [s["name"] for s in project["species"]["threatened"]] == ["Species EN"]
    assert project["species"]["threatened"][0]["nearest_m"] == pytest.approx(5_000.0, abs=0.1)
    rule_ids = [r["rule_id"] for r in project["dimensions"]["biodiversity"]["reasons"]]
    assert "species.cr-en-within-10km" in rule_ids
    assert "constructed-species@v1" in screened["datasets"]


@pytest.mark.parametrize(
    ("language", "heading", "category"),
    [
        ("en", "Threatened species recorded near the project", "Endangered"),
        ("zh", "项目附近记录到的受威胁物种", "濒危"),
    ],
)
def test_the_project_report_has_the_species_table(
    dataset_store: DatasetStore, tmp_path: Path, language: str, heading: str, category: str
) -> None:
    lon, lat, _ = GEOD.fwd(26.6, -22.5, 90.0, 5_000.0)
    records = [constructed_record(lon, lat, "EN", 1, LicenceClass.CC_BY, 2012)]
    metadata = DatasetMetadata("constructed-species", coverage=("none",), theme=Theme.BIODIVERSITY)
    write_occurrences(
        dataset_store,
        records,
        {},
        metadata,
        input_name="constructed",
        input_sha256=hashlib.sha256(b"r").hexdigest(),
        command="test",
        clock=clock,
    )
    projects = ProjectInput(projects=(PROJECT,), failures=(), input_sha256="x", input_name="constructed")
    portfolio = screen_portfolio(dataset_store, projects, RULES, species=species_part(dataset_store))
    written = write_reports(dataset_store, portfolio, [], tmp_path, formats=["html"], language=language)
    page = next(path for path in written if PROJECT.id in path.name and path.suffix == ".html")
    html = page.read_text(encoding="utf-8")
    assert heading in html and "Species EN" in html and category in html and "5.00" in html


def test_the_map_draws_the_nearest_record_of_each_listed_species(dataset_store: DatasetStore) -> None:
    from greenbri.usecases.reports.documents import _species_points
    from greenbri.usecases.reports.figures import figure_style
    from greenbri.usecases.reports.maps import MapLayers, project_map

    near = GEOD.fwd(26.6, -22.5, 90.0, 5_000.0)[:2]
    farther = GEOD.fwd(26.6, -22.5, 90.0, 7_000.0)[:2]
    records = [
        constructed_record(*farther, "EN", 1, LicenceClass.CC_BY, 2012),
        constructed_record(*near, "EN", 2, LicenceClass.CC_BY, 2013),
    ]
    metadata = DatasetMetadata("constructed-species", coverage=("BWA",), theme=Theme.BIODIVERSITY)
    write_occurrences(
        dataset_store,
        records,
        {},
        metadata,
        input_name="constructed",
        input_sha256=hashlib.sha256(b"m").hexdigest(),
        command="test",
        clock=clock,
    )
    projects = ProjectInput(projects=(PROJECT,), failures=(), input_sha256="x", input_name="constructed")
    item = screen_portfolio(dataset_store, projects, RULES, species=species_part(dataset_store)).screened[0]
    points = _species_points(item)
    assert len(points) == 1 and points[0][2] == "EN"
    assert points[0][:2] == pytest.approx(near, abs=1e-9)  # the nearer of the two records
    style = figure_style("en")
    plain = project_map(MapLayers(PROJECT.geometry, [], [], (10_000.0,)), style)
    marked = project_map(MapLayers(PROJECT.geometry, [], [], (10_000.0,), species=points), style)
    assert plain != marked
