"""GHG estimates computed by hand from the cited factors (the factors are asserted too, so a data change shows here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.screening_rules.builders import make_project

from greenbri.core.screening.ghg import estimate_ghg
from greenbri.core.screening.project import project_from_mapping
from greenbri.core.screening.rules import NetEfficiency, ScreeningRules
from greenbri.core.screening.vocabulary import Fuel, Sector

# Cited factors (see src/greenbri/core/screening/data/ghg.json):
EF_BITUMINOUS = 94_600  # kg CO2/TJ, IPCC 2006 Vol. 2 Ch. 2 Table 2.2, Other Bituminous Coal
EF_NATURAL_GAS = 56_100  # kg CO2/TJ, same table, Natural Gas
ETA_COAL, ETA_COAL_BEST = 0.33, 0.45  # IEA (2012) HELE roadmap: global average; HELE routinely
CF_COAL, CF_COAL_LOW, CF_COAL_HIGH = (
    0.491,
    0.405,
    0.605,
)  # EIA EPA Table 4.08.A coal: 2021; 2020 (min); 2014 (max)
HEAT_RATE_GAS, NCV_PER_GCV_GAS = (
    7_740,
    0.9,
)  # EIA EPA Table 8.1 natural gas 2022 (Btu/kWh HHV); IPCC Vol. 2 Ch. 1
CF_GAS = 0.55  # EIA EPA Table 4.08.A natural gas combined cycle, 2021


def test_the_cited_factors_are_the_ones_in_the_data(rules: ScreeningRules) -> None:
    factors = rules.ghg
    assert factors.fuels[Fuel.BITUMINOUS_COAL].kg_co2_per_tj.value == EF_BITUMINOUS
    assert factors.fuels[Fuel.NATURAL_GAS].kg_co2_per_tj.value == EF_NATURAL_GAS
    assert factors.fuels[Fuel.LIGNITE].kg_co2_per_tj.value == 101_000
    assert factors.fuels[Fuel.GAS_DIESEL_OIL].kg_co2_per_tj.value == 74_100
    assert factors.fuels[Fuel.RESIDUAL_FUEL_OIL].kg_co2_per_tj.value == 77_400
    coal = factors.power_for(Sector.COAL_POWER)
    assert (
        coal is not None and isinstance(coal.energy_input, NetEfficiency) and coal.capacity_factor is not None
    )
    assert coal.energy_input.central.value == ETA_COAL and coal.energy_input.best is not None
    assert coal.energy_input.best.value == ETA_COAL_BEST
    capacity = coal.capacity_factor
    assert capacity.low is not None and capacity.high is not None
    assert (capacity.central.value, capacity.low.value, capacity.high.value) == (
        CF_COAL,
        CF_COAL_LOW,
        CF_COAL_HIGH,
    )


def morupule_b(shared_data: Path) -> dict[str, object]:
    """AidData project 40: ICBC export credit for the 600 MW Morupule B coal plant, Botswana."""
    feature = json.loads((shared_data / "projects" / "aiddata" / "40.geojson").read_text(encoding="utf-8"))[
        "features"
    ][0]
    properties = feature["properties"]
    assert "600MW Morupule B" in properties["Title"]
    return {
        "id": f"aiddata-{properties['id']}",
        "name": "Morupule B Power Plant",
        "sector": "coal_power",
        "status": "operating",  # AidData: Completion (2014)
        "country": properties["Recipient.ISO-3"],
        "capacity": 600,  # from the title
        "capacity_unit": "MW",
        "fuel": "bituminous_coal",  # analyst's assumption: AidData does not give the coal rank
        "geometry": feature["geometry"],
    }


def test_morupule_b_600_mw_coal_by_hand(rules: ScreeningRules, shared_data: Path) -> None:
    project = project_from_mapping(morupule_b(shared_data))
    assert project.country == "BWA"
    # t CO2/yr = MW x 8760 h x CF x (0.0036 TJ/MWh / efficiency) x EF kg/TJ / 1000
    central = 600 * 8760 * CF_COAL * (0.0036 / ETA_COAL) * EF_BITUMINOUS / 1000
    low = 600 * 8760 * CF_COAL_LOW * (0.0036 / ETA_COAL_BEST) * EF_BITUMINOUS / 1000
    high = 600 * 8760 * CF_COAL_HIGH * (0.0036 / ETA_COAL) * EF_BITUMINOUS / 1000
    assert central == pytest.approx(2_663_278, abs=1)  # about 2.66 Mt CO2/yr
    estimate = estimate_ghg(project, rules.ghg)
    assert estimate.status == "estimated"
    assert estimate.t_co2_per_year == pytest.approx(central, rel=1e-12)
    assert estimate.low == pytest.approx(low, rel=1e-12)
    assert estimate.high == pytest.approx(high, rel=1e-12)
    cited = {citation.source.id for factor in estimate.factors for citation in factor.citations}
    assert {"ipcc-2006-v2", "iea-2012-hele", "eia-epa-4-08-a"} <= cited


def test_project_values_replace_the_defaults_and_the_range(rules: ScreeningRules) -> None:
    project = make_project(
        sector="coal_power", capacity=600, fuel="bituminous_coal", capacity_factor=0.8, net_efficiency=0.38
    )
    estimate = estimate_ghg(project, rules.ghg)
    expected = 600 * 8760 * 0.8 * (0.0036 / 0.38) * EF_BITUMINOUS / 1000
    assert estimate.t_co2_per_year == pytest.approx(expected) == estimate.low == estimate.high
    assert {factor.name for factor in estimate.factors if factor.from_project} == {
        "capacity",
        "capacity_factor",
        "net_efficiency",
    }


def test_gas_power_from_the_heat_rate_by_hand(rules: ScreeningRules) -> None:
    project = make_project(sector="gas_power", capacity=400, fuel="natural_gas")
    tj_per_mwh = (
        HEAT_RATE_GAS * 1055.05585262 * 1e-9 * NCV_PER_GCV_GAS
    )  # Btu/kWh -> J/kWh -> TJ/MWh, HHV -> NCV
    expected = 400 * 8760 * CF_GAS * tj_per_mwh * EF_NATURAL_GAS / 1000
    assert expected == pytest.approx(794_600, rel=1e-5)  # 412 kg CO2/MWh x 1,927,200 MWh
    assert estimate_ghg(project, rules.ghg).t_co2_per_year == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"sector": "telecom"}, "sector"),
        ({"sector": "coal_power"}, "fuel"),
        ({"sector": "coal_power", "fuel": "natural_gas"}, "fuel"),
        ({"sector": "coal_power", "fuel": "lignite", "capacity": 5, "capacity_unit": "km"}, "MW"),
        ({"sector": "oil_power", "fuel": "gas_diesel_oil"}, "capacity_factor"),
        ({"sector": "cement", "capacity": 1e6, "capacity_unit": "t/yr", "sub_type": "cement"}, "sub_type"),
        ({"sector": "hydro_power"}, "sector"),
    ],
)
def test_unknown_sector_fuel_or_factor_is_no_data_never_zero(
    rules: ScreeningRules, fields: dict[str, object], why: str
) -> None:
    estimate = estimate_ghg(make_project(**fields), rules.ghg)
    assert estimate.status == "no_data" and estimate.t_co2_per_year is None
    assert why in estimate.note.en and estimate.note.zh


def test_oil_power_with_the_plant_capacity_factor(rules: ScreeningRules) -> None:
    project = make_project(sector="oil_power", capacity=50, fuel="residual_fuel_oil", capacity_factor=0.6)
    expected = 50 * 8760 * 0.6 * (11_166 * 1055.05585262e-9 * 0.95) * 77_400 / 1000
    assert estimate_ghg(project, rules.ghg).t_co2_per_year == pytest.approx(expected)


def test_solar_and_wind_have_zero_direct_emissions_with_a_citation(rules: ScreeningRules) -> None:
    for sector in ("solar_power", "wind_power", "nuclear_power"):
        estimate = estimate_ghg(make_project(sector=sector), rules.ghg)
        assert estimate.t_co2_per_year == 0.0 and estimate.factors[0].citations


def test_steel_and_clinker_per_tonne_of_product(rules: ScreeningRules) -> None:
    steel = estimate_ghg(
        make_project(sector="metal_smelting", sub_type="Steel", capacity=2e6, capacity_unit="t/yr"), rules.ghg
    )
    # IPCC EFDB 214098 (2006 GL Vol. 3 Table 4.1): 1.06 t CO2/t steel, +/-25%
    assert steel.t_co2_per_year == pytest.approx(2.12e6)
    assert steel.low == pytest.approx(1.59e6)
    assert steel.high == pytest.approx(2.65e6)
    clinker = estimate_ghg(
        make_project(sector="cement", sub_type="clinker", capacity=1e6, capacity_unit="t/yr"), rules.ghg
    )
    assert clinker.t_co2_per_year == pytest.approx(520_000)  # IPCC 2006 Vol. 3 Ch. 2 Tier 1: 0.52 t/t clinker
