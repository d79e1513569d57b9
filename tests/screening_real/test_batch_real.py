"""classify_batch on real projects and layers: every project's decision equals classify()'s."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from greenbri.core.screening.batch import Decision, classify_batch
from greenbri.core.screening.geodesic import search
from greenbri.core.screening.vocabulary import MitigationMeasure, RiskClass, Sector, Status
from greenbri.usecases.project_inputs import read_projects
from greenbri.usecases.screening import max_band_m, screen_portfolio

#: Each AidData geometry screened as several kinds of project, to exercise every rule family.
VARIANTS = (
    (Sector.COAL_POWER, Status.PLANNED, ()),
    (Sector.COAL_POWER, Status.UNDER_CONSTRUCTION, (MitigationMeasure.FLUE_GAS_TREATMENT,)),
    (Sector.SOLAR_POWER, Status.PLANNED, ()),
    (Sector.HYDRO_POWER, Status.PLANNED, (MitigationMeasure.ENVIRONMENTAL_FLOW_AND_FISH_PASSAGE,)),
    (Sector.RAILWAY, Status.OPERATING, (MitigationMeasure.WILDLIFE_CROSSINGS,)),
    (Sector.MINING_GOLD, Status.PLANNED, (MitigationMeasure.BIODIVERSITY_ACTION_PLAN,)),
)


@pytest.fixture(scope="module")
def portfolio(reference_store, loaded_layers, rules, aiddata_portfolio: Path):
    projects = read_projects(aiddata_portfolio)
    varied = tuple(
        dataclasses.replace(
            project, id=f"{project.id}-{number}", sector=sector, status=status, mitigation_measures=measures
        )
        for project in projects.projects
        for number, (sector, status, measures) in enumerate(VARIANTS)
    )
    projects = dataclasses.replace(projects, projects=varied, rows=())
    return screen_portfolio(reference_store, projects, rules, layers=loaded_layers)


def test_every_variant_of_the_aiddata_projects_gets_classifys_decision(
    portfolio, loaded_layers, rules
) -> None:
    screened = portfolio.screened
    assert len(screened) == 26 * len(VARIANTS) and portfolio.failures == []
    geometries = np.asarray([item.project.geometry for item in screened], dtype=object)
    searched = [(item.layer, search(item.layer, geometries, max_band_m(rules))) for item in loaded_layers]
    batch = classify_batch(
        [item.project for item in screened], searched, [item.result.coverage for item in screened], rules
    )
    expected = [Decision.of(item.result) for item in screened]
    assert batch.decisions == expected
    # The portfolio is varied enough to mean something: several classes and both exclusion effects.
    assert {decision.overall for decision in expected} >= {RiskClass.RED, RiskClass.NO_DATA}
    assert any(decision.excluded for decision in expected) and any(decision.prudent for decision in expected)


def test_the_full_result_on_demand_names_the_same_receptors(portfolio, loaded_layers, rules) -> None:
    screened = portfolio.screened
    geometries = np.asarray([item.project.geometry for item in screened], dtype=object)
    searched = [(item.layer, search(item.layer, geometries, max_band_m(rules))) for item in loaded_layers]
    batch = classify_batch(
        [item.project for item in screened], searched, [item.result.coverage for item in screened], rules
    )
    for index in range(0, len(screened), 11):
        assert batch.result(index).to_json() == screened[index].result.to_json()
