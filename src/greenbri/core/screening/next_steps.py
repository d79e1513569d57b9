"""Recommended next steps, each with the rules that triggered it.

Receptor, exclusion, stack and GHG-climate rules name their next steps in the rule files; a finding
of class yellow or red (before mitigation) triggers them. The classification adds
``obtain_missing_data`` for every piece of missing evidence, the steps of GHG flags that are
``above`` or ``straddles`` their threshold, ``full_esia`` for a proposed EP4 category A
(``EP4-CATEGORY-A``), ``confirm_ep4_category`` unless EP4 clearly does not apply
(``EP4-CATEGORY-PROPOSAL``) and ``check_ep4_scope`` when applicability cannot be determined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from greenbri.core.screening.equator import Applicability, EquatorAssessment
from greenbri.core.screening.reasons import Reason
from greenbri.core.screening.result import DimensionResult, ExclusionResult, NextStepResult
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.vocabulary import Dimension, RiskClass

__all__ = ["recommend_next_steps"]


def _rule_steps(rules: ScreeningRules) -> dict[str, tuple[str, ...]]:
    steps: dict[str, tuple[str, ...]] = {rule.id: rule.next_steps for rule in rules.receptors.rules}
    steps.update({rule.id: rule.next_steps for rule in rules.exclusions})
    steps.update({rule.id: rule.next_steps for rule in rules.ghg_climate})
    steps[rules.stack.id] = rules.stack.next_steps
    return steps


def _triggers(
    rules: ScreeningRules,
    exclusion: ExclusionResult,
    dimensions: Mapping[Dimension, DimensionResult],
    equator: EquatorAssessment,
) -> dict[str, set[str]]:
    by_rule = _rule_steps(rules)
    triggers: dict[str, set[str]] = defaultdict(set)
    fired: Iterable[Reason] = list(exclusion.reasons) + [
        reason
        for result in dimensions.values()
        for reason in result.reasons
        if reason.risk_class in (RiskClass.YELLOW, RiskClass.RED)
    ]
    for reason in fired:
        for step in by_rule.get(reason.rule_id, ()):
            triggers[step].add(reason.rule_id)
    for result in dimensions.values():
        for reason in result.missing:
            triggers["obtain_missing_data"].add(reason.rule_id)
    for flag in equator.ghg_flags:
        if flag.status in ("above", "straddles"):
            for step in flag.next_steps:
                triggers[step].add(flag.id)
    if equator.category.category == "A":
        triggers["full_esia"].add("EP4-CATEGORY-A")
    if equator.applicability is not Applicability.DOES_NOT_APPLY:
        triggers["confirm_ep4_category"].add("EP4-CATEGORY-PROPOSAL")
    if equator.applicability is Applicability.CANNOT_DETERMINE:
        triggers["check_ep4_scope"].update(reason.rule_id for reason in equator.reasons)
    return triggers


def recommend_next_steps(
    rules: ScreeningRules,
    exclusion: ExclusionResult,
    dimensions: Mapping[Dimension, DimensionResult],
    equator: EquatorAssessment,
) -> tuple[NextStepResult, ...]:
    """Every recommended next step with the rule ids (or EP4 flags) that triggered it, sorted by step id."""
    triggers = _triggers(rules, exclusion, dimensions, equator)
    return tuple(
        NextStepResult(
            step, rules.next_steps[step].text, rules.next_steps[step].citations, tuple(sorted(triggers[step]))
        )
        for step in sorted(triggers)
        if step in rules.next_steps
    )
