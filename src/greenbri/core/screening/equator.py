"""Equator Principles (EP4, July 2020): does the financing fall in scope, which category to propose, GHG flags.

**Applicability** follows the EP4 Scope from the project's financing type and amounts:

* project finance and project finance advisory: total project capital cost (the project's
  ``investment``) at least US$10 million;
* project-related corporate loans: total aggregate loan and the institution's own commitment
  each at least US$50 million and tenor at least two years (that most of the loan goes to one
  project under the client's effective operational control cannot be read from the data and is
  stated as a condition);
* bridge loans, refinancing and acquisition finance depend on intentions and the history of the
  underlying project: ``cannot_determine`` with the criteria to check;
* general corporate purpose loans, grants, equity and other products: out of scope.

Only US-dollar amounts are compared. An amount in another currency is converted only with an
explicit :class:`ExchangeRate` from the caller (recorded in the reason); otherwise the answer is
``cannot_determine``. Missing amounts are ``cannot_determine`` too, never "does not apply".

**Category**: EP4 Principle 1 defines categories A, B and C. greenbri *proposes* A for an overall
red, B for yellow and C for green, for the analyst to confirm (EP4 categories also weigh social
risks the traffic light does not); a proposal from an incomplete screening is ``provisional``.

**GHG flags** compare the GHG estimate with the EP4 threshold (100,000 tCO2e/yr: alternatives
analysis, annual public reporting) and the IFC PS3 threshold (25,000 tCO2e/yr: quantification):
``above`` when even the low end of the range reaches it, ``below`` when even the high end stays
under it, ``straddles`` otherwise, ``unknown`` without an estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.citation import Citation
from greenbri.core.screening.ghg import GhgEstimate
from greenbri.core.screening.project import Money, Project
from greenbri.core.screening.reasons import ParameterValue, Reason
from greenbri.core.screening.rules import CitedValue, EquatorParameters, GhgThreshold
from greenbri.core.screening.vocabulary import FinancingType, RiskClass

__all__ = [
    "Applicability",
    "CategoryProposal",
    "EquatorAssessment",
    "ExchangeRate",
    "GhgFlag",
    "assess_equator",
    "ep4_applicability",
    "ghg_flags",
    "propose_category",
]


class Applicability(StrEnum):
    """Whether EP4 applies to the financing."""

    APPLIES = "applies"
    DOES_NOT_APPLY = "does_not_apply"
    CANNOT_DETERMINE = "cannot_determine"


@dataclass(frozen=True)
class ExchangeRate:
    """An explicit rate to US dollars, with its date and source, supplied by the analyst."""

    currency: str
    usd_per_unit: float
    as_of: str
    source: str


@dataclass(frozen=True)
class GhgFlag:
    """One GHG threshold and where the estimate stands against it."""

    id: str
    threshold_t: float
    status: str
    text: Bilingual
    citations: tuple[Citation, ...]
    next_steps: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "threshold_t_co2e_per_year": self.threshold_t,
            "status": self.status,
            "text": self.text.to_dict(),
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class CategoryProposal:
    """greenbri's proposed EP4 category (``None`` when nothing is known) for the analyst to confirm."""

    category: str | None
    provisional: bool
    definition: Bilingual | None
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "provisional": self.provisional,
            "to_be_confirmed_by_analyst": True,
            "definition": self.definition.to_dict() if self.definition else None,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class EquatorAssessment:
    """EP4 applicability with its reasons, the category proposal and the GHG flags."""

    applicability: Applicability
    reasons: tuple[Reason, ...]
    category: CategoryProposal
    ghg_flags: tuple[GhgFlag, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability.value,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "proposed_category": self.category.to_dict(),
            "ghg_flags": [flag.to_dict() for flag in self.ghg_flags],
        }


def _usd(
    money: Money | None, rates: Mapping[str, ExchangeRate]
) -> tuple[float | None, dict[str, ParameterValue]]:
    if money is None:
        return None, {}
    if money.currency == "USD":
        return money.amount, {"amount": money.amount, "currency": "USD"}
    rate = rates.get(money.currency)
    if rate is None:
        return None, {"amount": money.amount, "currency": money.currency, "exchange_rate": None}
    return money.amount * rate.usd_per_unit, {
        "amount": money.amount,
        "currency": money.currency,
        "usd_per_unit": rate.usd_per_unit,
        "rate_as_of": rate.as_of,
        "rate_source": rate.source,
        "amount_usd": money.amount * rate.usd_per_unit,
    }


def _reason(
    rule_id: str, en: str, zh: str, citations: tuple[Citation, ...], **parameters: ParameterValue
) -> Reason:
    return Reason(rule_id, Bilingual(en, zh), citations, parameters=parameters)


def _capital_cost(
    project: Project, minimum: CitedValue, rule_id: str, rates: Mapping[str, ExchangeRate]
) -> tuple[Applicability, Reason]:
    amount, money = _usd(project.investment, rates)
    threshold = minimum.value
    if amount is None:
        why = (
            "no total project capital cost"
            if project.investment is None
            else f"the amount is in {project.investment.currency} and no exchange rate was given"
        )
        return Applicability.CANNOT_DETERMINE, _reason(
            rule_id,
            f"EP4 scope cannot be determined: {why} (threshold US${threshold:,.0f}).",
            f"无法判断是否适用赤道原则：{'缺少项目总投资' if project.investment is None else '金额非美元且未提供汇率'}（门槛 {threshold:,.0f} 美元）。",
            minimum.citations,
            threshold_usd=threshold,
            **money,
        )
    applies = amount >= threshold
    return (Applicability.APPLIES if applies else Applicability.DOES_NOT_APPLY), _reason(
        rule_id,
        f"Total project capital cost US${amount:,.0f} is {'at or above' if applies else 'below'} US${threshold:,.0f}.",
        f"项目总投资 {amount:,.0f} 美元{'达到' if applies else '低于'} {threshold:,.0f} 美元门槛。",
        minimum.citations,
        threshold_usd=threshold,
        **money,
    )


def _corporate_loan(
    project: Project, params: EquatorParameters, rates: Mapping[str, ExchangeRate]
) -> tuple[Applicability, Reason]:
    financing = project.financing
    total, total_money = _usd(financing.total_loan, rates)
    commitment, commitment_money = _usd(financing.institution_commitment, rates)
    checks = (
        (total, params.corporate_loan_min_total_usd),
        (commitment, params.corporate_loan_min_commitment_usd),
        (financing.tenor_years, params.corporate_loan_min_tenor_years),
    )
    citations = tuple(citation for _, cited in checks for citation in cited.citations)
    parameters: dict[str, ParameterValue] = {
        "total_loan_usd": total,
        "institution_commitment_usd": commitment,
        "tenor_years": financing.tenor_years,
        "min_total_usd": params.corporate_loan_min_total_usd.value,
        "min_commitment_usd": params.corporate_loan_min_commitment_usd.value,
        "min_tenor_years": params.corporate_loan_min_tenor_years.value,
        "total_loan_currency": total_money.get("currency"),
        "commitment_currency": commitment_money.get("currency"),
    }
    if any(value is not None and value < cited.value for value, cited in checks):
        return Applicability.DOES_NOT_APPLY, Reason(
            "EP4-SCOPE-CORPORATE-LOAN",
            Bilingual(
                "A project-related corporate loan criterion (total, own commitment or tenor) is below the EP4 threshold.",
                "项目相关公司贷款的某项标准（总额、自身承诺额或期限）低于赤道原则门槛。",
            ),
            citations,
            parameters=parameters,
        )
    if any(value is None for value, _ in checks):
        return Applicability.CANNOT_DETERMINE, Reason(
            "EP4-SCOPE-CORPORATE-LOAN",
            Bilingual(
                "Cannot determine: the total loan, the institution's commitment (in US$ or with a rate) or the tenor is missing.",
                "无法判断：缺少贷款总额、本机构承诺额（美元或提供汇率）或贷款期限。",
            ),
            citations,
            parameters=parameters,
        )
    return Applicability.APPLIES, Reason(
        "EP4-SCOPE-CORPORATE-LOAN",
        Bilingual(
            "Total loan, own commitment and tenor meet the EP4 thresholds; EP4 applies if most of the loan goes to a single project under the client's effective operational control (not checked).",
            "贷款总额、自身承诺额和期限均达到赤道原则门槛；若贷款主要用于客户有效运营控制的单一项目，则适用赤道原则（未核实）。",
        ),
        citations,
        parameters=parameters,
    )


def ep4_applicability(
    project: Project, params: EquatorParameters, exchange_rates: Mapping[str, ExchangeRate] | None = None
) -> tuple[Applicability, Reason]:
    """Whether EP4 applies to the project's financing, with the reason (see the module docstring)."""
    rates = dict(exchange_rates or {})
    kind = project.financing.type
    if kind is FinancingType.PROJECT_FINANCE:
        return _capital_cost(project, params.project_finance_min_usd, "EP4-SCOPE-PROJECT-FINANCE", rates)
    if kind is FinancingType.ADVISORY:
        return _capital_cost(project, params.advisory_min_usd, "EP4-SCOPE-ADVISORY", rates)
    if kind is FinancingType.PROJECT_RELATED_CORPORATE_LOAN:
        return _corporate_loan(project, params, rates)
    if kind is FinancingType.BRIDGE_LOAN:
        return Applicability.CANNOT_DETERMINE, _reason(
            "EP4-SCOPE-BRIDGE-LOAN",
            "A bridge loan is in scope when its tenor is under two years and it is intended to be refinanced by in-scope project finance or a project-related corporate loan: check the intent.",
            "过桥贷款期限短于两年且拟由适用的项目融资或项目相关公司贷款再融资时适用：请核实融资意图。",
            params.bridge_loan_max_tenor_years.citations,
            tenor_years=project.financing.tenor_years,
            max_tenor_years=params.bridge_loan_max_tenor_years.value,
        )
    if kind in (FinancingType.REFINANCING, FinancingType.ACQUISITION_FINANCE):
        return Applicability.CANNOT_DETERMINE, _reason(
            "EP4-SCOPE-REFINANCING",
            "Project-related refinance or acquisition finance is in scope when the underlying project was financed under the EP, has not changed materially in scale or scope and is not yet completed: check these.",
            "项目相关再融资或并购融资在原项目按赤道原则融资、规模或范围无重大变化且尚未完工时适用：请核实。",
            params.refinancing_citations,
        )
    if kind is None:
        return Applicability.CANNOT_DETERMINE, _reason(
            "EP4-SCOPE-UNKNOWN-FINANCING",
            "The financing type is not given.",
            "未提供融资类型。",
            params.out_of_scope_citations,
        )
    return Applicability.DOES_NOT_APPLY, _reason(
        "EP4-SCOPE-OUT-OF-SCOPE",
        f"The financing type {kind.value} is not one of the five EP4 financial products.",
        f"融资类型 {kind.value} 不属于赤道原则适用的五类金融产品。",
        params.out_of_scope_citations,
        financing_type=kind.value,
    )


def propose_category(overall: RiskClass, incomplete: bool, params: EquatorParameters) -> CategoryProposal:
    """greenbri's proposed EP4 category from the overall class (``None`` if the overall class is unknown)."""
    category = params.category_map.get(overall)
    return CategoryProposal(
        category=category,
        provisional=incomplete or category is None,
        definition=params.category_definitions.get(category) if category else None,
        citations=params.category_citations,
    )


def _flag(threshold: GhgThreshold, estimate: GhgEstimate) -> GhgFlag:
    limit = threshold.threshold.value
    if not estimate.known or estimate.t_co2_per_year is None:
        status = "unknown"
    else:
        low = estimate.low if estimate.low is not None else estimate.t_co2_per_year
        high = estimate.high if estimate.high is not None else estimate.t_co2_per_year
        status = "above" if low >= limit else "below" if high < limit else "straddles"
    return GhgFlag(
        threshold.id, limit, status, threshold.text, threshold.threshold.citations, threshold.next_steps
    )


def ghg_flags(estimate: GhgEstimate, params: EquatorParameters) -> tuple[GhgFlag, ...]:
    """Each GHG threshold with ``above`` / ``below`` / ``straddles`` / ``unknown``."""
    return tuple(_flag(threshold, estimate) for threshold in params.ghg_thresholds)


def assess_equator(
    project: Project,
    overall: RiskClass,
    incomplete: bool,
    estimate: GhgEstimate,
    params: EquatorParameters,
    exchange_rates: Mapping[str, ExchangeRate] | None = None,
) -> EquatorAssessment:
    """Applicability, category proposal and GHG flags together."""
    applicability, reason = ep4_applicability(project, params, exchange_rates)
    return EquatorAssessment(
        applicability, (reason,), propose_category(overall, incomplete, params), ghg_flags(estimate, params)
    )
