"""Property: moving a project away from every receptor never makes a dimension riskier."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening_rules.builders import full_coverage, hit, make_project

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.classify import classify
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.vocabulary import Dimension, MitigationMeasure, RiskClass

RULES: ScreeningRules = load_rules()
SECTORS = ("solar_power", "coal_power", "railway", "metal_smelting", "hydro_power", "bridge", "telecom")
ATTRIBUTES: st.SearchStrategy[dict[str, object]] = st.sampled_from(
    [
        {},
        {"iucn_category": "II"},
        {"iucn_category": "Ia"},
        {"iucn_category": "V"},
        {"danger": True},
        {"population": 250_000},
        {"population": 20_000},
    ]
)
DISTANCES = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=80_000, allow_nan=False))


@st.composite
def hits_and_moves(draw: st.DrawFn) -> tuple[list[ReceptorHit], list[ReceptorHit]]:
    roles = draw(st.lists(st.sampled_from(list(ReceptorRole)), min_size=0, max_size=8))
    before, after = [], []
    for index, role in enumerate(roles):
        distance = draw(DISTANCES)
        original = replace(hit(role, distance, index=index), attributes=draw(ATTRIBUTES))
        delta = draw(st.floats(min_value=0.0, max_value=60_000, allow_nan=False))
        moved = replace(original, distance_m=distance + delta, intersects=original.intersects and delta == 0)
        before.append(original)
        after.append(moved)
    return before, after


def severity(risk: RiskClass) -> int:
    return risk.severity


@settings(max_examples=150, deadline=None)
@given(
    moves=hits_and_moves(),
    sector=st.sampled_from(SECTORS),
    measures=st.lists(
        st.sampled_from([measure.value for measure in MitigationMeasure]), max_size=3, unique=True
    ),
    gaps=st.lists(st.sampled_from(list(ReceptorRole)), max_size=3, unique=True),
)
def test_moving_away_from_every_receptor_never_makes_a_dimension_riskier(
    moves: tuple[list[ReceptorHit], list[ReceptorHit]],
    sector: str,
    measures: list[str],
    gaps: list[ReceptorRole],
) -> None:
    before_hits, after_hits = moves
    project = make_project(sector=sector, capacity=None, capacity_unit=None, mitigation_measures=measures)
    coverage = full_coverage(except_roles=gaps)
    before = classify(project, before_hits, coverage, RULES)
    after = classify(project, after_hits, coverage, RULES)
    for dimension in Dimension:
        old, new = before.dimension(dimension), after.dimension(dimension)
        assert severity(new.known_class) <= severity(old.known_class)
        if new.risk_class is RiskClass.RED:
            assert old.risk_class is RiskClass.RED
        if old.risk_class is not RiskClass.NO_DATA and new.risk_class is not RiskClass.NO_DATA:
            assert severity(new.risk_class) <= severity(old.risk_class)
    if after.overall is RiskClass.RED:
        assert before.overall is RiskClass.RED


@settings(max_examples=60, deadline=None)
@given(moves=hits_and_moves(), sector=st.sampled_from(SECTORS))
def test_classification_is_deterministic_and_independent_of_hit_order(
    moves: tuple[list[ReceptorHit], list[ReceptorHit]], sector: str
) -> None:
    hits, _ = moves
    project = make_project(sector=sector, capacity=None, capacity_unit=None)
    assert (
        classify(project, hits, full_coverage(), RULES).to_json()
        == classify(project, hits[::-1], full_coverage(), RULES).to_json()
    )
