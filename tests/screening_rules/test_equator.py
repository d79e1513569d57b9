"""EP4 (July 2020) applicability, category proposal and GHG flags."""

from __future__ import annotations

import pytest
from tests.screening_rules.builders import make_project

from greenbri.core.screening.equator import (
    Applicability,
    ExchangeRate,
    ep4_applicability,
    ghg_flags,
    propose_category,
)
from greenbri.core.screening.ghg import GhgEstimate
from greenbri.core.screening.project import Project
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.vocabulary import RiskClass

APPLIES, NOT, UNKNOWN = Applicability.APPLIES, Applicability.DOES_NOT_APPLY, Applicability.CANNOT_DETERMINE


def financed(kind: str, **fields: object) -> Project:
    return make_project(financing_type=kind, **fields)


@pytest.mark.parametrize(
    ("amount", "expected"), [(10_000_000, APPLIES), (9_999_999, NOT), (825_000_000, APPLIES)]
)
def test_project_finance_boundary_is_us_10_million_inclusive(
    rules: ScreeningRules, amount: float, expected: Applicability
) -> None:
    # EP4 Scope item 2: total Project capital costs of US$10 million or more.
    project = financed("project_finance", investment_amount=amount, investment_currency="USD")
    applicability, reason = ep4_applicability(project, rules.equator)
    assert applicability is expected
    assert reason.rule_id == "EP4-SCOPE-PROJECT-FINANCE" and reason.parameters["threshold_usd"] == 10_000_000


def test_advisory_uses_the_same_capital_cost_threshold(rules: ScreeningRules) -> None:
    project = financed("advisory", investment_amount=10_000_000, investment_currency="USD")
    assert ep4_applicability(project, rules.equator)[0] is APPLIES


def test_other_currencies_cannot_be_determined_without_an_explicit_rate(rules: ScreeningRules) -> None:
    project = financed("project_finance", investment_amount=481_400_000, investment_currency="CNY")
    applicability, reason = ep4_applicability(project, rules.equator)
    assert applicability is UNKNOWN and "CNY" in reason.text.en
    rate = {"CNY": ExchangeRate("CNY", 0.1383, "2023-12-29", "analyst-supplied rate")}
    applicability, reason = ep4_applicability(project, rules.equator, rate)
    assert applicability is APPLIES
    assert (
        reason.parameters["usd_per_unit"] == 0.1383
        and reason.parameters["rate_source"] == "analyst-supplied rate"
    )


def test_missing_amount_is_cannot_determine_not_out_of_scope(rules: ScreeningRules) -> None:
    assert ep4_applicability(financed("project_finance"), rules.equator)[0] is UNKNOWN


def corporate(total: float | None, commitment: float | None, tenor: float | None) -> Project:
    fields: dict[str, object] = {
        "loan_amount": total,
        "institution_commitment": commitment,
        "tenor_years": tenor,
    }
    if total is not None or commitment is not None:
        fields["loan_currency"] = "USD"
    return financed("project_related_corporate_loan", **fields)


@pytest.mark.parametrize(
    ("total", "commitment", "tenor", "expected"),
    [
        (
            50_000_000,
            50_000_000,
            2,
            APPLIES,
        ),  # EP4 Scope 3.ii and 3.iii: each at least US$50 million, tenor >= 2 years
        (49_999_999, 50_000_000, 2, NOT),
        (80_000_000, 25_000_000, 5, NOT),  # a US$25 million own commitment is not enough under EP4
        (80_000_000, 60_000_000, 1.5, NOT),
        (80_000_000, 60_000_000, None, UNKNOWN),
        (None, 60_000_000, 5, UNKNOWN),
    ],
)
def test_project_related_corporate_loan_thresholds(
    rules: ScreeningRules,
    total: float | None,
    commitment: float | None,
    tenor: float | None,
    expected: Applicability,
) -> None:
    assert ep4_applicability(corporate(total, commitment, tenor), rules.equator)[0] is expected


@pytest.mark.parametrize(
    ("kind", "expected", "rule_id"),
    [
        ("bridge_loan", UNKNOWN, "EP4-SCOPE-BRIDGE-LOAN"),
        ("refinancing", UNKNOWN, "EP4-SCOPE-REFINANCING"),
        ("acquisition_finance", UNKNOWN, "EP4-SCOPE-REFINANCING"),
        ("corporate_general", NOT, "EP4-SCOPE-OUT-OF-SCOPE"),
        ("grant", NOT, "EP4-SCOPE-OUT-OF-SCOPE"),
        ("equity", NOT, "EP4-SCOPE-OUT-OF-SCOPE"),
    ],
)
def test_products_other_than_project_finance(
    rules: ScreeningRules, kind: str, expected: Applicability, rule_id: str
) -> None:
    applicability, reason = ep4_applicability(financed(kind), rules.equator)
    assert (applicability, reason.rule_id) == (expected, rule_id)
    assert reason.citations and reason.citations[0].source.id == "ep4-2020"


def test_category_proposal_maps_red_yellow_green_to_a_b_c_for_confirmation(rules: ScreeningRules) -> None:
    proposals = {
        risk: propose_category(risk, False, rules.equator)
        for risk in (RiskClass.RED, RiskClass.YELLOW, RiskClass.GREEN)
    }
    assert {risk: proposal.category for risk, proposal in proposals.items()} == {
        RiskClass.RED: "A",
        RiskClass.YELLOW: "B",
        RiskClass.GREEN: "C",
    }
    assert "irreversible" in proposals[RiskClass.RED].definition.en  # type: ignore[union-attr]
    assert {citation.source.id for citation in proposals[RiskClass.RED].citations} == {
        "ep4-2020",
        "greenbri-operationalisation",
    }
    assert propose_category(RiskClass.YELLOW, True, rules.equator).provisional
    assert propose_category(RiskClass.NO_DATA, True, rules.equator).category is None


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (150_000, 120_000, 180_000, {"ep4-100k": "above", "ifc-ps3-25k": "above"}),
        (90_000, 70_000, 120_000, {"ep4-100k": "straddles", "ifc-ps3-25k": "above"}),
        (20_000, 15_000, 24_999, {"ep4-100k": "below", "ifc-ps3-25k": "below"}),
        (100_000, 100_000, 100_000, {"ep4-100k": "above", "ifc-ps3-25k": "above"}),
    ],
)
def test_ghg_flags_against_100000_and_25000(
    rules: ScreeningRules, value: float, low: float, high: float, expected: dict[str, str]
) -> None:
    flags = ghg_flags(GhgEstimate("estimated", value, low, high), rules.equator)
    assert {flag.id: flag.status for flag in flags} == expected
    assert {flag.id: flag.threshold_t for flag in flags} == {"ep4-100k": 100_000, "ifc-ps3-25k": 25_000}


def test_ghg_flags_without_an_estimate_are_unknown(rules: ScreeningRules) -> None:
    assert {flag.status for flag in ghg_flags(GhgEstimate("no_data"), rules.equator)} == {"unknown"}
