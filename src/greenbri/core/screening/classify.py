"""Classify a project in the three BRIGC dimensions from its sector, nearby receptors, stack figures and GHG.

:func:`classify` is pure and deterministic: it takes the project, the receptor hits and the
coverage from the spatial search (:mod:`greenbri.core.screening.hits`), the loaded rules and,
optionally, an injected stack check, and returns a
:class:`~greenbri.core.screening.result.ScreeningResult`.

How a dimension gets its class
------------------------------
1. **Findings** (each a :class:`~greenbri.core.screening.reasons.Reason` with a class): the
   sector pre-classification; receptor rules for every hit in a band they cover; a stack figure
   above the strictest limit (pollution); a GHG estimate at or above a climate threshold (climate).
2. **Mitigation**: a declared measure with an effect in the dimension (for the sector) moves
   every *mitigable* finding one step (red to yellow, yellow to green); findings marked not
   mitigable keep their class. Measures do not add up.
3. **Evidence**: a dimension needs a *baseline* — a sector pre-classification, or else
   (biodiversity) complete spatial evidence, (pollution) a stack check with a result, (climate) a
   GHG estimate — and, where receptor rules apply, the project's geometry and coverage of every
   *required* receptor role. What is lacking is listed as missing evidence.
4. **Class**: ``red`` if any finding is red after mitigation (whatever is missing); otherwise
   ``no_data`` if evidence is missing; otherwise the worst finding (``green`` when none).

Overall class: ``red`` if any dimension is red; otherwise the worst class among the dimensions
that are not ``no_data`` (``no_data`` only if all three are), with ``incomplete = True``
whenever any dimension is ``no_data``. NO DATA therefore never reads as green, and never hides
a red.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.equator import ExchangeRate, assess_equator
from greenbri.core.screening.evidence import GATHERERS, Context, Evidence, no_baseline
from greenbri.core.screening.ghg import estimate_ghg
from greenbri.core.screening.hits import Coverage, ReceptorHit
from greenbri.core.screening.next_steps import recommend_next_steps
from greenbri.core.screening.project import Project
from greenbri.core.screening.reasons import Reason
from greenbri.core.screening.result import DimensionResult, ExclusionResult, ScreeningResult
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.stack import StackCheck
from greenbri.core.screening.vocabulary import Dimension, RiskClass, worst

__all__ = ["classify", "overall_class"]


def _mitigate(dimension: Dimension, context: Context, evidence: Evidence) -> list[Reason]:
    effects = context.rules.effects_for(
        dimension, context.project.sector, context.project.mitigation_measures
    )
    findings = []
    for finding in evidence.findings:
        risk = finding.risk_class or RiskClass.GREEN
        moved = bool(effects) and finding.mitigable and risk in (RiskClass.RED, RiskClass.YELLOW)
        parameters = (
            {
                **finding.parameters,
                "mitigated_by": ", ".join(sorted(effect.measure.value for effect in effects)),
            }
            if moved
            else finding.parameters
        )
        findings.append(
            replace(finding, effective_class=risk.step_down() if moved else risk, parameters=parameters)
        )
    for effect in effects:
        evidence.notes.append(
            Reason(
                f"MITIGATION-{effect.measure.value.upper()}",
                Bilingual(
                    f"Declared measure {effect.measure.value} moves mitigable findings in this dimension one step.",
                    f"已申报的措施 {effect.measure.value} 使本维度可缓解的结果降低一级。",
                ),
                effect.citations,
                dimension=dimension,
                parameters={"measure": effect.measure.value},
            )
        )
    return findings


def _dimension(dimension: Dimension, context: Context) -> DimensionResult:
    evidence = Evidence()
    for gather in GATHERERS[dimension]:
        gather(dimension, context, evidence)
    if not evidence.baseline:
        evidence.missing.append(no_baseline(dimension, context))
    findings = _mitigate(dimension, context, evidence)
    known = worst([finding.effective_class or RiskClass.GREEN for finding in findings])
    risk = known if known is RiskClass.RED or not evidence.missing else RiskClass.NO_DATA
    return DimensionResult(dimension, risk, known, tuple(findings + evidence.notes), tuple(evidence.missing))


def _exclusion(project: Project, rules: ScreeningRules) -> ExclusionResult:
    reasons = []
    effects = set()
    for rule in rules.exclusions:
        overseas = project.country != rules.home_country
        if (
            project.sector in rule.sectors
            and project.status in rule.statuses
            and (overseas or not rule.overseas_only)
        ):
            effects.add(rule.effect)
            reasons.append(
                Reason(
                    rule.id,
                    rule.text,
                    rule.citations,
                    parameters={
                        "sector": project.sector.value,
                        "status": project.status.value,
                        "country": project.country,
                    },
                )
            )
    return ExclusionResult("excluded" in effects, "prudent" in effects, tuple(reasons))


def overall_class(dimensions: Mapping[Dimension, DimensionResult]) -> tuple[RiskClass, bool]:
    """Red if any dimension is red; otherwise NO DATA if any dimension lacks data (missing data is
    never low risk, so an incomplete screening is never shown green or yellow overall); otherwise
    the worst class. ``incomplete`` says whether any dimension is NO DATA."""
    classes = [result.risk_class for result in dimensions.values()]
    incomplete = RiskClass.NO_DATA in classes
    if RiskClass.RED in classes:
        return RiskClass.RED, incomplete
    if incomplete:
        return RiskClass.NO_DATA, True
    return worst(classes), False


def classify(
    project: Project,
    hits: Sequence[ReceptorHit],
    coverage: Sequence[Coverage],
    rules: ScreeningRules,
    *,
    stack_check: StackCheck | None = None,
    exchange_rates: Mapping[str, ExchangeRate] | None = None,
) -> ScreeningResult:
    """Screen one project. See the module docstring for the rules of combination.

    Parameters
    ----------
    project
        The project (:func:`~greenbri.core.screening.project.project_from_mapping`).
    hits, coverage
        Receptors near the project and the coverage of every receptor role, from the spatial
        search. A role absent from ``coverage`` counts as not covered.
    rules
        The loaded rules (:func:`~greenbri.core.screening.rules_files.load_rules`).
    stack_check
        Compares the project's stack figures with limits
        (:func:`~greenbri.core.screening.stack.strictest_stack_check`); without it, stack figures
        are noted but not used.
    exchange_rates
        Explicit rates to US dollars for the EP4 thresholds, by currency code.
    """
    hits_sorted = tuple(
        sorted(
            hits,
            key=lambda hit: (
                hit.receptor_role.value,
                hit.dataset_id,
                hit.dataset_version,
                hit.feature_index,
                hit.distance_m,
            ),
        )
    )
    context = Context(
        project=project,
        hits=hits_sorted,
        coverage={item.receptor_role: item for item in coverage},
        rules=rules,
        estimate=estimate_ghg(project, rules.ghg),
        stack_results=tuple(stack_check(project))
        if stack_check is not None and project.stack_emissions
        else (),
        stack_checked=stack_check is not None,
    )
    dimensions = {dimension: _dimension(dimension, context) for dimension in Dimension}
    overall, incomplete = overall_class(dimensions)
    exclusion = _exclusion(project, rules)
    equator = assess_equator(project, overall, incomplete, context.estimate, rules.equator, exchange_rates)
    return ScreeningResult(
        project_id=project.id,
        overall=overall,
        incomplete=incomplete,
        dimensions=dimensions,
        exclusion=exclusion,
        ghg=context.estimate,
        equator=equator,
        coverage=tuple(coverage),
        stack_checks=context.stack_results,
        next_steps=recommend_next_steps(rules, exclusion, dimensions, equator),
        rules_digest=rules.digest,
    )
