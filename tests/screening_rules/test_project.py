"""project_from_mapping: clear errors naming the field and the allowed values."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point

from greenbri.core.errors import CoordinateRangeError, GeometryError, InputError
from greenbri.core.screening.project import project_from_mapping
from greenbri.core.screening.vocabulary import FinancingType, MitigationMeasure, Sector, Status

BASE: dict[str, Any] = {"id": "x1", "name": "X", "sector": "railway", "status": "planned", "country": "KEN"}


def build(**fields: Any) -> Any:
    return project_from_mapping({**BASE, **fields}, source="projects.csv")


def test_a_full_record() -> None:
    project = build(
        capacity="472",
        capacity_unit="km",
        investment_amount=3_200_000_000,
        investment_currency="usd",
        financing_type="project_related_corporate_loan",
        loan_amount=3.2e9,
        institution_commitment=1.0e9,
        loan_currency="USD",
        tenor_years=15,
        geometry="LINESTRING (39.66 -4.04, 36.82 -1.29)",
        mitigation_measures="wildlife_crossings; biodiversity_action_plan",
        country="ken",
    )
    assert (project.sector, project.status, project.country) == (Sector.RAILWAY, Status.PLANNED, "KEN")
    assert project.capacity is not None and (project.capacity.value, project.capacity.unit) == (472.0, "km")
    assert project.investment is not None and project.investment.currency == "USD"
    assert (
        project.financing.type is FinancingType.PROJECT_RELATED_CORPORATE_LOAN
        and project.financing.tenor_years == 15
    )
    assert project.mitigation_measures == (
        MitigationMeasure.BIODIVERSITY_ACTION_PLAN,
        MitigationMeasure.WILDLIFE_CROSSINGS,
    )
    assert project.geometry is not None and project.geometry.geom_type == "LineString"


@pytest.mark.parametrize(
    ("fields", "field", "allowed"),
    [
        ({"sector": "coal"}, "sector", "coal_power"),
        ({"status": "built"}, "status", "under_construction"),
        ({"fuel": "coal"}, "fuel", "bituminous_coal"),
        ({"financing_type": "loan"}, "financing_type", "project_finance"),
        ({"mitigation_measures": ["tree planting"]}, "mitigation_measures", "wildlife_crossings"),
        ({"capacity": 3, "capacity_unit": "GW"}, "capacity_unit", "MW"),
        ({"colour": "red"}, "colour", "mitigation_measures"),
    ],
)
def test_unknown_codes_and_fields_name_the_field_and_the_allowed_values(
    fields: dict[str, Any], field: str, allowed: str
) -> None:
    with pytest.raises(InputError) as caught:
        build(**fields)
    text = str(caught.value)
    assert f"field {field!r}" in text and allowed in text and "projects.csv" in text and "'x1'" in text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"country": "Kenya"}, "country"),
        ({"capacity": 10}, "capacity_unit"),
        ({"capacity": "ten", "capacity_unit": "MW"}, "capacity"),
        ({"investment_amount": 5e6}, "investment_currency"),
        ({"investment_amount": 5e6, "investment_currency": "dollars"}, "investment_currency"),
        ({"capacity_factor": 85}, "capacity_factor"),
        (
            {
                "stack_emissions": [
                    {"pollutant": "soot", "value": 1, "unit": "mg/Nm3", "averaging": "operating"}
                ]
            },
            "pollutant",
        ),
        ({"stack_emissions": [{"pollutant": "nox", "unit": "mg/Nm3", "averaging": "operating"}]}, "value"),
    ],
)
def test_bad_values_are_refused_with_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError, match=field):
        build(**fields)


def test_invalid_and_out_of_range_geometries_are_refused() -> None:
    with pytest.raises(GeometryError):
        build(geometry="POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))")
    with pytest.raises(GeometryError):
        build(geometry="not wkt")
    with pytest.raises(CoordinateRangeError):
        build(geometry=Point(200, 10))


def test_missing_values_from_tables_are_missing_not_errors() -> None:
    project = build(capacity=float("nan"), capacity_unit="", fuel=None, geometry="")
    assert project.capacity is None and project.fuel is None and project.geometry is None


def test_stack_emissions_are_read_with_the_standards_vocabulary() -> None:
    project = build(
        stack_emissions=[
            {
                "pollutant": "nox",
                "value": 380,
                "unit": "mg/Nm3",
                "averaging": "operating",
                "applies_to": "boiler_solid_fuels",
                "reference_conditions": "dry, 6% O2",
            }
        ]
    )
    emission = project.stack_emissions[0]
    assert (emission.pollutant, emission.value, emission.statistic, emission.applies_to) == (
        "nox",
        380.0,
        "not_stated",
        "boiler_solid_fuels",
    )
