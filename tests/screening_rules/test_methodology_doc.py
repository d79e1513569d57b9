"""The methodology page keeps up with the rules: every rule, source, step, code and rule file is named in it."""

from __future__ import annotations

from pathlib import Path

from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_schema import RULE_FILES
from greenbri.core.screening.vocabulary import FinancingType, Fuel, MitigationMeasure, Sector

PAGE = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "screening.md"


def test_the_page_names_every_rule_source_step_and_code(rules: ScreeningRules) -> None:
    text = PAGE.read_text(encoding="utf-8")
    names = (
        [rule.id for rule in rules.sectors]
        + [rule.id for rule in rules.receptors.rules]
        + [rule.id for rule in rules.exclusions]
        + [rules.stack.id]
        + [rule.id for rule in rules.ghg_climate]
        + [threshold.id for threshold in rules.equator.ghg_thresholds]
        + list(rules.sources)
        + list(rules.next_steps)
        + list(RULE_FILES)
        + [band.id for band in rules.receptors.bands]
        + [
            code.value
            for enum in (Sector, Fuel, FinancingType, MitigationMeasure)
            for code in enum
            if code.value not in ("none",)
        ]
    )
    assert [name for name in names if f"`{name}`" not in text and name not in text] == []


def test_the_page_states_the_thresholds_the_rules_use(rules: ScreeningRules) -> None:
    text = PAGE.read_text(encoding="utf-8")
    equator = rules.equator
    for value in (equator.project_finance_min_usd.value, equator.corporate_loan_min_total_usd.value):
        assert f"{value:,.0f}" in text
    for band in rules.receptors.bands[1:]:
        assert f"{band.max_distance_m:,.0f} m" in text
    for factor in rules.ghg.fuels.values():
        assert f"{factor.kg_co2_per_tj.value:,.0f}" in text
