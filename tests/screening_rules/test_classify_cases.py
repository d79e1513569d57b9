"""Hand cases for the classification, each naming the rule (and its source) it checks."""

from __future__ import annotations

import random

from tests.screening_rules.builders import full_coverage, hit, make_project

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.classify import classify
from greenbri.core.screening.result import ScreeningResult
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.vocabulary import Dimension, RiskClass

CLIMATE, POLLUTION, BIODIVERSITY = Dimension.CLIMATE, Dimension.POLLUTION, Dimension.BIODIVERSITY
RED, YELLOW, GREEN, NO_DATA = RiskClass.RED, RiskClass.YELLOW, RiskClass.GREEN, RiskClass.NO_DATA


def rule_ids(result: ScreeningResult, dimension: Dimension) -> set[str]:
    return {reason.rule_id for reason in result.dimension(dimension).reasons}


def coal(**fields: object) -> dict[str, object]:
    return {"sector": "coal_power", "capacity": 600, "fuel": "bituminous_coal", **fields}


# --- Exclusion: Xi Jinping, UNGA 21 Sept 2021; 发改开放〔2022〕408号 Part III ------------------------


def test_new_overseas_coal_power_is_excluded_and_climate_red(rules: ScreeningRules) -> None:
    result = classify(make_project(**coal(status="planned", country="BWA")), [], full_coverage(), rules)
    assert result.exclusion.excluded and not result.exclusion.prudent
    assert [reason.rule_id for reason in result.exclusion.reasons] == ["EXCLUDE-NEW-OVERSEAS-COAL-POWER"]
    sources = {citation.source.id for citation in result.exclusion.reasons[0].citations}
    assert {"xi-unga-2021-09-21", "ndrc-2022-408"} <= sources
    # BRIGC Baseline Study red list: coal-fired power; climate red, not mitigable.
    assert result.dimension(CLIMATE).risk_class is RED
    assert "SECTOR-COAL_POWER-CLIMATE" in rule_ids(result, CLIMATE)
    assert result.overall is RED
    assert "decline_new_overseas_coal" in {step.id for step in result.next_steps}


def test_coal_under_construction_gets_the_prudent_flag_not_the_exclusion(rules: ScreeningRules) -> None:
    result = classify(make_project(**coal(status="under_construction")), [], full_coverage(), rules)
    assert result.exclusion.prudent and not result.exclusion.excluded
    assert [reason.rule_id for reason in result.exclusion.reasons] == [
        "PRUDENT-OVERSEAS-COAL-UNDER-CONSTRUCTION"
    ]
    assert "prudent_coal_review" in {step.id for step in result.next_steps}


def test_operating_and_domestic_coal_are_neither_excluded_nor_prudent(rules: ScreeningRules) -> None:
    for fields in (coal(status="operating"), coal(status="planned", country="CHN")):
        result = classify(make_project(**fields), [], full_coverage(), rules)
        assert not result.exclusion.excluded and not result.exclusion.prudent
        assert result.dimension(CLIMATE).risk_class is RED  # the sector pre-classification still applies


# --- Traffic light: BRIGC green list (solar, wind) and "infringes on areas of ecological importance" ----


def test_solar_park_without_receptors_and_with_full_coverage_is_green(rules: ScreeningRules) -> None:
    result = classify(make_project(), [], full_coverage(), rules)
    assert {dimension: result.dimension(dimension).risk_class for dimension in Dimension} == {
        CLIMATE: GREEN,
        POLLUTION: GREEN,
        BIODIVERSITY: GREEN,
    }
    assert result.overall is GREEN and not result.incomplete
    assert result.ghg.t_co2_per_year == 0.0
    assert result.equator.category.category == "C" and not result.equator.category.provisional


def test_solar_park_inside_an_iucn_ii_protected_area_is_red(rules: ScreeningRules) -> None:
    park = hit(ReceptorRole.PROTECTED_AREA, 0, iucn_category="II")
    result = classify(make_project(), [park], full_coverage(), rules)
    biodiversity = result.dimension(BIODIVERSITY)
    assert biodiversity.risk_class is RED
    assert {"BIO-PROTECTED-AREA", "BIO-PROTECTED-AREA-STRICT"} <= rule_ids(result, BIODIVERSITY)
    assert result.overall is RED
    finding = next(reason for reason in biodiversity.reasons if reason.rule_id == "BIO-PROTECTED-AREA-STRICT")
    assert finding.parameters["band"] == "intersects" and finding.data[0].dataset == "layer@v1"
    assert finding.data[0].feature_ids == ("protected_area-0",)
    assert "thirdpole-2020-12" in {citation.source.id for citation in finding.citations}
    assert result.equator.category.category == "A"


def test_a_biodiversity_action_plan_does_not_lift_an_intersection_with_a_protected_area(
    rules: ScreeningRules,
) -> None:
    park = hit(ReceptorRole.PROTECTED_AREA, 0, iucn_category="II")
    result = classify(
        make_project(mitigation_measures=["biodiversity_action_plan"]), [park], full_coverage(), rules
    )
    assert result.dimension(BIODIVERSITY).risk_class is RED


def test_strict_protected_area_within_10_km_is_yellow_but_other_categories_only_within_1_km(
    rules: ScreeningRules,
) -> None:
    strict = classify(
        make_project(), [hit(ReceptorRole.PROTECTED_AREA, 5_000, iucn_category="Ib")], full_coverage(), rules
    )
    other = classify(
        make_project(), [hit(ReceptorRole.PROTECTED_AREA, 5_000, iucn_category="V")], full_coverage(), rules
    )
    assert strict.dimension(BIODIVERSITY).risk_class is YELLOW
    assert other.dimension(BIODIVERSITY).risk_class is GREEN


# --- NO DATA: never green, never hiding red --------------------------------------------------------


def test_missing_protected_area_coverage_makes_biodiversity_no_data_never_green(
    rules: ScreeningRules,
) -> None:
    result = classify(make_project(), [], full_coverage(except_roles=[ReceptorRole.PROTECTED_AREA]), rules)
    biodiversity = result.dimension(BIODIVERSITY)
    assert biodiversity.risk_class is NO_DATA
    assert {reason.rule_id for reason in biodiversity.missing} == {"COVERAGE-PROTECTED_AREA"}
    # Overall: the worst known class, with the visible incomplete flag.
    assert result.overall is NO_DATA and result.incomplete
    assert result.equator.category.provisional
    assert "obtain_missing_data" in {step.id for step in result.next_steps}


def test_a_role_absent_from_the_coverage_list_counts_as_not_covered(rules: ScreeningRules) -> None:
    coverage = [item for item in full_coverage() if item.receptor_role is not ReceptorRole.WORLD_HERITAGE]
    assert classify(make_project(), [], coverage, rules).dimension(BIODIVERSITY).risk_class is NO_DATA


def test_missing_key_biodiversity_area_coverage_is_noted_but_not_required(rules: ScreeningRules) -> None:
    result = classify(
        make_project(), [], full_coverage(except_roles=[ReceptorRole.KEY_BIODIVERSITY_AREA]), rules
    )
    biodiversity = result.dimension(BIODIVERSITY)
    assert biodiversity.risk_class is GREEN
    assert "COVERAGE-KEY_BIODIVERSITY_AREA" in {reason.rule_id for reason in biodiversity.reasons}


def test_red_is_red_even_when_coverage_is_missing(rules: ScreeningRules) -> None:
    park = hit(ReceptorRole.PROTECTED_AREA, 0)
    result = classify(make_project(), [park], full_coverage(except_roles=[ReceptorRole.WETLAND]), rules)
    assert result.dimension(BIODIVERSITY).risk_class is RED
    assert result.overall is RED and not result.incomplete


def test_a_project_without_geometry_has_no_spatial_evidence(rules: ScreeningRules) -> None:
    result = classify(make_project(geometry=None), [], full_coverage(), rules)
    assert result.dimension(BIODIVERSITY).risk_class is NO_DATA
    assert "SPATIAL-NO-GEOMETRY" in {reason.rule_id for reason in result.dimension(BIODIVERSITY).missing}
    assert result.dimension(CLIMATE).risk_class is GREEN  # sector pre-classification needs no geometry


def test_a_sector_without_cited_pre_classification_is_no_data_in_climate_and_pollution(
    rules: ScreeningRules,
) -> None:
    result = classify(
        make_project(sector="telecom", capacity=None, capacity_unit=None), [], full_coverage(), rules
    )
    assert result.dimension(CLIMATE).risk_class is NO_DATA
    assert result.dimension(POLLUTION).risk_class is NO_DATA
    assert result.dimension(BIODIVERSITY).risk_class is GREEN  # complete spatial evidence is a baseline
    assert result.overall is NO_DATA and result.incomplete
    assert result.ghg.status == "no_data" and result.ghg.t_co2_per_year is None


def test_overall_is_no_data_when_every_dimension_is(rules: ScreeningRules) -> None:
    result = classify(
        make_project(sector="telecom", geometry=None, capacity=None, capacity_unit=None), [], [], rules
    )
    assert {result.dimension(dimension).risk_class for dimension in Dimension} == {NO_DATA}
    assert result.overall is NO_DATA and result.incomplete
    assert result.equator.category.category is None


# --- Mitigation: internationally recognised measures move a dimension one step ---------------------------


def test_wildlife_crossings_move_a_railway_from_yellow_to_green(rules: ScreeningRules) -> None:
    railway = {"sector": "railway", "capacity": 120, "capacity_unit": "km"}
    before = classify(make_project(**railway), [], full_coverage(), rules)
    after = classify(
        make_project(**railway, mitigation_measures=["wildlife_crossings"]), [], full_coverage(), rules
    )
    assert before.dimension(BIODIVERSITY).risk_class is YELLOW  # SECTOR-RAILWAY-BIODIVERSITY
    assert after.dimension(BIODIVERSITY).risk_class is GREEN
    assert "MITIGATION-WILDLIFE_CROSSINGS" in rule_ids(after, BIODIVERSITY)
    finding = next(
        reason
        for reason in after.dimension(BIODIVERSITY).reasons
        if reason.rule_id == "SECTOR-RAILWAY-BIODIVERSITY"
    )
    assert (finding.risk_class, finding.effective_class) == (YELLOW, GREEN)


def test_a_measure_only_works_in_its_dimension_and_for_its_sectors(rules: ScreeningRules) -> None:
    railway = {"sector": "railway", "capacity": 120, "capacity_unit": "km"}
    for measure in ("environmental_flow_and_fish_passage", "wastewater_treatment"):
        result = classify(make_project(**railway, mitigation_measures=[measure]), [], full_coverage(), rules)
        assert result.dimension(BIODIVERSITY).risk_class is YELLOW


def test_a_measure_moves_one_step_only_and_measures_do_not_add_up(rules: ScreeningRules) -> None:
    hydro = {"sector": "hydro_power", "capacity": 160}
    measures = ["environmental_flow_and_fish_passage", "biodiversity_action_plan"]
    result = classify(make_project(**hydro, mitigation_measures=measures), [], full_coverage(), rules)
    assert result.dimension(BIODIVERSITY).risk_class is YELLOW  # red -> yellow, not green


def test_world_heritage_in_danger_within_1_km_is_not_mitigable(rules: ScreeningRules) -> None:
    site = hit(ReceptorRole.WORLD_HERITAGE, 800, danger=True)
    result = classify(
        make_project(mitigation_measures=["biodiversity_action_plan"]), [site], full_coverage(), rules
    )
    assert result.dimension(BIODIVERSITY).risk_class is YELLOW


# --- Pollution: settlements near emitting projects, water bodies --------------------------------------


def test_large_settlement_within_10_km_of_a_smelter_is_yellow_but_not_of_a_solar_park(
    rules: ScreeningRules,
) -> None:
    town = hit(ReceptorRole.SETTLEMENT, 8_000, population=250_000)
    smelter = make_project(sector="metal_smelting", capacity=None, capacity_unit=None, sub_type="copper")
    assert "POL-SETTLEMENT-LARGE" in rule_ids(classify(smelter, [town], full_coverage(), rules), POLLUTION)
    solar = classify(make_project(), [town], full_coverage(), rules)
    assert solar.dimension(POLLUTION).risk_class is GREEN


def test_crossing_a_river_gives_the_pollution_dimension_a_yellow(rules: ScreeningRules) -> None:
    river = hit(ReceptorRole.RIVER, 0)
    result = classify(
        make_project(sector="bridge", capacity=0.5, capacity_unit="km"), [river], full_coverage(), rules
    )
    assert result.dimension(POLLUTION).known_class is YELLOW
    assert "POL-RIVER" in rule_ids(result, POLLUTION)
    assert result.dimension(POLLUTION).risk_class is NO_DATA  # no cited pollution baseline for bridges


# --- Determinism and JSON -------------------------------------------------------------------------------


def test_the_json_is_identical_whatever_the_order_of_the_hits(rules: ScreeningRules) -> None:
    hits = [
        hit(role, distance, index=index)
        for index, (role, distance) in enumerate(
            [
                (ReceptorRole.PROTECTED_AREA, 500),
                (ReceptorRole.WETLAND, 3000),
                (ReceptorRole.WORLD_HERITAGE, 0),
                (ReceptorRole.SETTLEMENT, 200),
            ]
        )
    ]
    project = make_project(**coal(status="operating"))
    first = classify(project, hits, full_coverage(), rules).to_json()
    shuffled = list(hits)
    random.Random(7).shuffle(shuffled)
    assert classify(project, shuffled, list(reversed(full_coverage())), rules).to_json() == first


def test_to_dict_has_the_documented_top_level_layout(rules: ScreeningRules) -> None:
    data = classify(make_project(), [], full_coverage(), rules).to_dict()
    assert sorted(data) == sorted(
        [
            "schema_version",
            "project_id",
            "overall",
            "dimensions",
            "exclusion",
            "ghg",
            "equator_principles",
            "coverage",
            "stack_checks",
            "next_steps",
            "rules_digest",
        ]
    )
    assert data["schema_version"] == 1 and sorted(data["dimensions"]) == [
        "biodiversity",
        "climate",
        "pollution",
    ]
    assert data["rules_digest"] == rules.digest
