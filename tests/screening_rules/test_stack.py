"""Stack figures against the strictest of host-country, Chinese and IFC emission limits, feeding pollution."""

from __future__ import annotations

from datetime import date

import pytest
from tests.screening_rules.builders import full_coverage, make_project

from greenbri.adapters.standards_files import load_library
from greenbri.core.screening.classify import classify
from greenbri.core.screening.project import Project
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.stack import StackStatus, strictest_stack_check
from greenbri.core.screening.vocabulary import Dimension, RiskClass
from greenbri.core.standards import StandardLibrary

ON = date(2025, 6, 30)


@pytest.fixture(scope="module")
def library() -> StandardLibrary:
    return load_library()


def nox(
    value: float, applies_to: str = "combustion_turbine_natural_gas", conditions: str = "dry gas, 15% O2"
) -> dict[str, object]:
    return {
        "pollutant": "nox",
        "value": value,
        "unit": "mg/Nm3",
        "averaging": "operating",
        "applies_to": applies_to,
        "reference_conditions": conditions,
    }


def gas_plant(*emissions: dict[str, object]) -> Project:
    return make_project(sector="gas_power", capacity=400, fuel="natural_gas", stack_emissions=list(emissions))


def test_a_gas_turbine_above_the_strictest_limit_exceeds_and_pollution_turns_yellow(
    library: StandardLibrary, rules: ScreeningRules
) -> None:
    check = strictest_stack_check(library, on=ON)
    project = gas_plant(nox(60))
    [result] = check(project)
    # GB 13223-2011 Table 1: natural-gas turbines NOx 50 mg/m3 (15% O2, dry) binds, below IFC EHS
    # Thermal Power (2008) Table 6 (B)'s 51 mg/Nm3; Botswana has no emission standard in the library.
    assert (result.status, result.standard_id, result.jurisdiction, result.limit) == (
        StackStatus.EXCEEDS,
        "cn-gb13223-2011",
        "CHN",
        50,
    )
    assert result.missing_jurisdictions == ("BWA",)
    assert {"cn-gb13223-2011", "ifc-ehs-thermal-power-2008"} <= set(result.considered)
    screened = classify(project, [], full_coverage(), rules, stack_check=check)
    pollution = screened.dimension(Dimension.POLLUTION)
    assert pollution.risk_class is RiskClass.YELLOW  # POL-STACK-EXCEEDS-STRICTEST (greenbri default class)
    assert "POL-STACK-EXCEEDS-STRICTEST" in {reason.rule_id for reason in pollution.reasons}
    assert "stack_emission_controls" in {step.id for step in screened.next_steps}


def test_a_coal_boiler_is_held_to_chinas_new_unit_limit_not_the_ifc_airshed_values(
    library: StandardLibrary,
) -> None:
    check = strictest_stack_check(library, on=ON)
    project = make_project(
        sector="coal_power",
        capacity=600,
        fuel="bituminous_coal",
        stack_emissions=[nox(150, "boiler_solid_fuels", "dry gas, 6% O2")],
    )
    [result] = check(project)
    # IFC Table 6 (C) solid fuels: 510 (non-degraded) / 200 (degraded airshed); GB 13223-2011 Table 1
    # coal-fired boilers: NOx 100 mg/m3 at 6% O2. 150 meets the IFC values but not China's.
    assert (result.status, result.standard_id, result.limit) == (StackStatus.EXCEEDS, "cn-gb13223-2011", 100)
    [at_six_percent] = check(
        make_project(
            sector="coal_power",
            capacity=600,
            fuel="bituminous_coal",
            stack_emissions=[nox(90, "boiler_solid_fuels", "dry gas, 6% O2")],
        )
    )
    assert at_six_percent.status is StackStatus.MEETS


def test_a_figure_within_the_limit_gives_pollution_a_green_baseline(
    library: StandardLibrary, rules: ScreeningRules
) -> None:
    check = strictest_stack_check(library, on=ON)
    screened = classify(gas_plant(nox(40)), [], full_coverage(), rules, stack_check=check)
    assert screened.dimension(Dimension.POLLUTION).risk_class is RiskClass.GREEN
    assert screened.stack_checks[0].status is StackStatus.MEETS


def test_without_a_check_or_a_comparable_limit_pollution_stays_no_data(
    library: StandardLibrary, rules: ScreeningRules
) -> None:
    unchecked = classify(gas_plant(nox(40)), [], full_coverage(), rules)
    assert unchecked.dimension(Dimension.POLLUTION).risk_class is RiskClass.NO_DATA
    assert "STACK-NOT-CHECKED" in {
        reason.rule_id for reason in unchecked.dimension(Dimension.POLLUTION).reasons
    }
    check = strictest_stack_check(library, on=ON)
    for emission in (nox(40, applies_to=""), nox(40, conditions="dry gas, 3% O2")):
        [result] = check(gas_plant(emission))
        assert result.status is StackStatus.NO_LIMIT
        screened = classify(gas_plant(emission), [], full_coverage(), rules, stack_check=check)
        assert screened.dimension(Dimension.POLLUTION).risk_class is RiskClass.NO_DATA
