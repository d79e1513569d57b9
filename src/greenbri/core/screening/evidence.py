"""The evidence each dimension is decided on: findings, notes and what is missing.

Used by :func:`greenbri.core.screening.classify.classify`. For one dimension, the gatherers in
:data:`GATHERERS` add to an :class:`Evidence`:

* the sector pre-classification (a finding, and the dimension's baseline);
* receptor rules applied to every hit in a band they cover (findings), with missing geometry and
  coverage of required roles recorded as missing evidence; complete spatial evidence is the
  biodiversity baseline;
* stack-check results (pollution): an exceedance is a finding, a result is the pollution baseline;
* the GHG estimate (climate): at or above a threshold is a finding, a known estimate is the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from greenbri.core.catalog import Bilingual, ReceptorRole
from greenbri.core.screening.ghg import GhgEstimate
from greenbri.core.screening.hits import Coverage, ReceptorHit
from greenbri.core.screening.project import Project
from greenbri.core.screening.reasons import DataReference, ParameterValue, Reason
from greenbri.core.screening.rules import Band, ReceptorRule, ScreeningRules, render
from greenbri.core.screening.stack import StackCheckResult, StackStatus
from greenbri.core.screening.vocabulary import SECTOR_LABELS, Dimension, RiskClass

__all__ = ["GATHERERS", "Context", "Evidence", "no_baseline"]


_DIMENSION_LABELS = {
    Dimension.CLIMATE: Bilingual("climate change mitigation", "气候变化减缓"),
    Dimension.POLLUTION: Bilingual("environmental pollution", "环境污染"),
    Dimension.BIODIVERSITY: Bilingual("biodiversity and ecology", "生物多样性与生态"),
}


@dataclass(frozen=True)
class Context:
    """What the gatherers look at: the project, its hits and coverage, the rules, GHG and stack results."""

    project: Project
    hits: tuple[ReceptorHit, ...]
    coverage: Mapping[ReceptorRole, Coverage]
    rules: ScreeningRules
    estimate: GhgEstimate
    stack_results: tuple[StackCheckResult, ...]
    stack_checked: bool


@dataclass
class Evidence:
    """What one dimension has: findings (with a class), notes, missing evidence, and whether it has a baseline."""

    findings: list[Reason] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    missing: list[Reason] = field(default_factory=list)
    baseline: bool = False


def _sector_evidence(dimension: Dimension, context: Context, evidence: Evidence) -> None:
    rule = context.rules.sector_rule(context.project.sector, dimension)
    if rule is None:
        return
    evidence.baseline = True
    evidence.findings.append(
        Reason(
            rule.id,
            rule.text,
            rule.citations,
            dimension=dimension,
            risk_class=rule.risk_class,
            mitigable=rule.mitigable,
            parameters={"sector": context.project.sector.value},
        )
    )


def _feature_id(hit: ReceptorHit) -> str:
    return hit.receptor_id or f"#{hit.feature_index}"


def _hit_finding(rule: ReceptorRule, band: Band, hit: ReceptorHit, context: Context) -> Reason | None:
    effect = rule.effects.get(band.id)
    if effect is None or effect.risk_class is RiskClass.GREEN:
        return None
    dataset = f"{hit.dataset_id}@v{hit.dataset_version}"
    label = band.label()
    values = {
        "receptor_name": hit.name or _feature_id(hit),
        "receptor_id": _feature_id(hit),
        "dataset": dataset,
        "distance_km": f"{hit.distance_m / 1000:.1f}",
    }
    text = Bilingual(
        render(rule.text, {**values, "band": label.en}).en, render(rule.text, {**values, "band": label.zh}).zh
    )
    parameters: dict[str, ParameterValue] = {
        "receptor_role": hit.receptor_role.value,
        "band": band.id,
        "band_max_distance_m": band.max_distance_m,
        "distance_m": hit.distance_m,
        "intersects": hit.intersects,
        "conditions": "; ".join(condition.describe() for condition in rule.conditions) or "any",
        "length_inside_m": hit.length_inside_m,
        "area_inside_m2": hit.area_inside_m2,
    }
    return Reason(
        rule.id,
        text,
        rule.citations + context.rules.receptors.band_citations,
        dimension=rule.dimension,
        risk_class=effect.risk_class,
        mitigable=effect.mitigable,
        data=(DataReference(dataset, (_feature_id(hit),)),),
        parameters=parameters,
    )


def _coverage_gap(role: ReceptorRole, required: bool, dimension: Dimension, context: Context) -> Reason:
    item = context.coverage.get(role)
    datasets = ", ".join(item.datasets) if item and item.datasets else "none"
    effect_en = (
        "the dimension is NO DATA unless red"
        if required
        else "not required: findings of this role may be missing"
    )
    effect_zh = "该维度为“无数据”（红色除外）" if required else "非必需：该类受体的结果可能缺失"
    return Reason(
        f"COVERAGE-{role.value.upper()}",
        Bilingual(
            f"No data covers the project area for receptor role {role.value} (datasets: {datasets}); {effect_en}.",
            f"敏感受体类型 {role.value} 无覆盖项目区域的数据（数据集：{datasets}）；{effect_zh}。",
        ),
        context.rules.greenbri_citation(
            "Results: a receptor role without coverage makes the dimensions depending on it NO DATA, never green"
        ),
        dimension=dimension,
        data=tuple(DataReference(dataset) for dataset in sorted(item.datasets)) if item else (),
        parameters={
            "receptor_role": role.value,
            "required": required,
            "note": item.note if item else "no coverage record",
        },
    )


def _spatial_gaps(
    rules_here: Sequence[ReceptorRule], dimension: Dimension, context: Context, evidence: Evidence
) -> bool:
    """Record missing geometry and coverage; whether the spatial evidence is complete."""
    required = {rule.receptor_role for rule in rules_here if rule.required}
    if context.project.geometry is None:
        evidence.missing.append(
            Reason(
                "SPATIAL-NO-GEOMETRY",
                Bilingual(
                    "The project has no geometry (tabular input): receptor rules cannot be applied.",
                    "项目无空间范围（表格输入）：无法应用敏感受体规则。",
                ),
                context.rules.greenbri_citation(
                    "Results: a project without geometry has no spatial evidence"
                ),
                dimension=dimension,
                parameters={"receptor_roles": ", ".join(sorted(role.value for role in required))},
            )
        )
        return False
    complete = True
    for role in sorted({rule.receptor_role for rule in rules_here}, key=lambda item: item.value):
        item = context.coverage.get(role)
        if item is None or not item.covered:
            gap = _coverage_gap(role, role in required, dimension, context)
            (evidence.missing if role in required else evidence.notes).append(gap)
            complete = complete and role not in required
    return complete


def _receptor_evidence(dimension: Dimension, context: Context, evidence: Evidence) -> None:
    rules_here = [
        rule
        for rule in context.rules.receptors.rules
        if rule.dimension is dimension and rule.applies_to(context.project.sector)
    ]
    if not rules_here:
        return
    complete = _spatial_gaps(rules_here, dimension, context, evidence)
    by_role: dict[ReceptorRole, list[ReceptorRule]] = {}
    for rule in rules_here:
        by_role.setdefault(rule.receptor_role, []).append(rule)
    for hit in context.hits:
        candidates = by_role.get(hit.receptor_role)
        if not candidates:
            continue
        band = context.rules.receptors.band_of(hit)
        if band is None:
            continue
        for rule in candidates:
            finding = _hit_finding(rule, band, hit, context) if rule.matches(hit) else None
            if finding is not None:
                evidence.findings.append(finding)
    if dimension is Dimension.BIODIVERSITY and complete:
        evidence.baseline = True


def _stack_reason(result: StackCheckResult, context: Context) -> Reason:
    rule = context.rules.stack
    emission = result.emission
    parameters: dict[str, ParameterValue] = {
        "pollutant": emission.pollutant,
        "averaging": emission.averaging,
        "value": emission.value,
        "unit": emission.unit,
        "status": result.status.value,
        "standard_id": result.standard_id,
        "jurisdiction": result.jurisdiction,
        "limit": result.limit,
        "limit_unit": result.limit_unit,
        "limit_citation": result.citation,
        "standards_considered": ", ".join(result.considered),
        "jurisdictions_without_emission_standard": ", ".join(result.missing_jurisdictions),
        "note": result.note,
    }
    if result.status is StackStatus.EXCEEDS:
        values = {
            key: str(parameters[key])
            for key in ("pollutant", "averaging", "value", "unit", "limit", "limit_unit")
        }
        text = render(rule.text, {**values, "standard": result.citation})
        return Reason(
            rule.id,
            text,
            rule.citations,
            Dimension.POLLUTION,
            rule.class_on_exceedance,
            mitigable=rule.mitigable,
            parameters=parameters,
        )
    text = Bilingual(
        f"Stack {emission.pollutant} ({emission.averaging}) {emission.value:g} {emission.unit}: {result.status.value}"
        + (
            f" against {result.limit:g} {result.limit_unit} ({result.citation})."
            if result.limit is not None
            else f" ({result.note})."
        ),
        f"烟气 {emission.pollutant}（{emission.averaging}）{emission.value:g} {emission.unit}：{result.status.value}。",
    )
    risk = RiskClass.GREEN if result.status is StackStatus.MEETS else None
    return Reason(f"{rule.id}-CHECK", text, rule.citations, Dimension.POLLUTION, risk, parameters=parameters)


def _stack_evidence(dimension: Dimension, context: Context, evidence: Evidence) -> None:
    if context.project.stack_emissions and not context.stack_checked:
        evidence.notes.append(
            Reason(
                "STACK-NOT-CHECKED",
                Bilingual(
                    "Stack figures were given but no stack check was supplied.",
                    "提供了烟气排放数据，但未提供排放核查。",
                ),
                context.rules.stack.citations,
                dimension=dimension,
            )
        )
    for result in context.stack_results:
        reason = _stack_reason(result, context)
        if result.status in (StackStatus.MEETS, StackStatus.EXCEEDS):
            evidence.baseline = True
        (evidence.findings if result.status is StackStatus.EXCEEDS else evidence.notes).append(reason)


def _ghg_evidence(dimension: Dimension, context: Context, evidence: Evidence) -> None:
    estimate = context.estimate
    if not estimate.known or estimate.t_co2_per_year is None:
        return
    evidence.baseline = True
    for rule in context.rules.ghg_climate:
        if estimate.t_co2_per_year >= rule.threshold_t:
            values = {"value": f"{estimate.t_co2_per_year:,.0f}", "threshold": f"{rule.threshold_t:,.0f}"}
            evidence.findings.append(
                Reason(
                    rule.id,
                    render(rule.text, values),
                    rule.citations,
                    dimension=dimension,
                    risk_class=rule.risk_class,
                    mitigable=rule.mitigable,
                    parameters={
                        "estimate_t_co2_per_year": estimate.t_co2_per_year,
                        "threshold_t_co2e_per_year": rule.threshold_t,
                    },
                )
            )


GATHERERS: Mapping[Dimension, tuple[Callable[[Dimension, Context, Evidence], None], ...]] = {
    Dimension.CLIMATE: (_sector_evidence, _receptor_evidence, _ghg_evidence),
    Dimension.POLLUTION: (_sector_evidence, _receptor_evidence, _stack_evidence),
    Dimension.BIODIVERSITY: (_sector_evidence, _receptor_evidence),
}

_NO_BASELINE = {
    Dimension.CLIMATE: ("no GHG estimate", "无温室气体排放估算"),
    Dimension.POLLUTION: ("no stack-emission check with a result", "无有结果的烟气排放核查"),
    Dimension.BIODIVERSITY: ("no complete spatial evidence", "无完整的空间证据"),
}


def no_baseline(dimension: Dimension, context: Context) -> Reason:
    sector = SECTOR_LABELS[context.project.sector]
    label = _DIMENSION_LABELS[dimension]
    other_en, other_zh = _NO_BASELINE[dimension]
    extra = (
        f" GHG: {context.estimate.note.en}"
        if dimension is Dimension.CLIMATE and context.estimate.note.en
        else ""
    )
    return Reason(
        f"NO-BASELINE-{dimension.value.upper()}",
        Bilingual(
            f"No cited source pre-classifies {sector.en} in the {label.en} dimension, and there is {other_en}.{extra}",
            f"无可引用来源对{sector.zh}在{label.zh}维度进行预分类，且{other_zh}。",
        ),
        context.rules.greenbri_citation(
            "Results: a dimension without a cited pre-classification or other evidence is NO DATA"
        ),
        dimension=dimension,
        parameters={"sector": context.project.sector.value},
    )
