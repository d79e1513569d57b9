"""The species part's effect on a screened project's biodiversity dimension.

:func:`with_species` adds the species findings to the dimension the receptor rules produced:
each triggered species rule becomes a reason (its class, its next step in the text, its citations,
the occurrence layers it used); a species part that is NO DATA becomes missing evidence, so the
dimension is NO DATA unless something found is red (the dimension rule of
:mod:`greenbri.core.screening.classify`). The overall class, the EP4 assessment and the next steps
are then recomputed from the new dimensions.
"""

from __future__ import annotations

from dataclasses import replace

from greenbri.core.biodiversity.proximity import SpeciesScreening
from greenbri.core.biodiversity.rules import SpeciesRule, SpeciesRules
from greenbri.core.catalog import Bilingual
from greenbri.core.screening.classify import overall_class
from greenbri.core.screening.equator import assess_equator
from greenbri.core.screening.next_steps import recommend_next_steps
from greenbri.core.screening.project import Project
from greenbri.core.screening.reasons import DataReference, Reason
from greenbri.core.screening.result import DimensionResult, ScreeningResult
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.vocabulary import Dimension, RiskClass, worst

__all__ = ["with_species"]


def _rule_reason(rule: SpeciesRule, species: SpeciesScreening) -> Reason:
    found = [
        item
        for item in (*species.threatened, *species.listed_apart)
        if item.category
        and item.nearest_m <= rule.within_m
        and any(c.value == item.category for c in rule.categories)
    ]
    listing = "; ".join(f"{item.name} ({item.category}, {item.nearest_m / 1000:.1f} km)" for item in found)
    return Reason(
        rule_id=f"species.{rule.id}",
        text=Bilingual(f"{listing}. {rule.next_step.en}", f"{listing}。{rule.next_step.zh}"),
        citations=rule.citations,
        dimension=Dimension.BIODIVERSITY,
        risk_class=rule.risk_class,
        effective_class=rule.risk_class,
        data=tuple(DataReference(layer) for layer in species.layers),
        parameters={"within_m": rule.within_m, "nearest_m": round(min(item.nearest_m for item in found), 1)},
    )


def _missing(species: SpeciesScreening, rules: SpeciesRules) -> Reason:
    return Reason(
        rule_id="species.no_complete_layer",
        text=Bilingual(
            species.notes[0] if species.notes else "No species occurrence layer is complete for this area.",
            "没有物种分布图层声明覆盖该区域：没有记录不等于没有物种。请导入覆盖该国的完整图层并声明："
            "greenbri species import 文件 --coverage ISO3。",
        ),
        citations=rules.buffer_citations,
        dimension=Dimension.BIODIVERSITY,
        data=tuple(DataReference(layer) for layer in species.layers),
        parameters={"search_buffer_m": species.search_buffer_m},
    )


def with_species(
    project: Project,
    result: ScreeningResult,
    species: SpeciesScreening,
    species_rules: SpeciesRules,
    rules: ScreeningRules,
) -> ScreeningResult:
    """``result`` with the species part folded into its biodiversity dimension."""
    before = result.dimensions[Dimension.BIODIVERSITY]
    found = tuple(_rule_reason(rule, species) for rule in species.triggered)
    missing = (_missing(species, species_rules),) if species.risk_class is RiskClass.NO_DATA else ()
    known = worst([before.known_class, *(reason.risk_class or RiskClass.GREEN for reason in found)])
    all_missing = before.missing + missing
    risk = known if known is RiskClass.RED or not all_missing else RiskClass.NO_DATA
    dimension = DimensionResult(Dimension.BIODIVERSITY, risk, known, before.reasons + found, all_missing)
    dimensions = {**result.dimensions, Dimension.BIODIVERSITY: dimension}
    overall, incomplete = overall_class(dimensions)
    equator = assess_equator(project, overall, incomplete, result.ghg, rules.equator)
    return replace(
        result,
        overall=overall,
        incomplete=incomplete,
        dimensions=dimensions,
        equator=equator,
        next_steps=recommend_next_steps(rules, result.exclusion, dimensions, equator),
    )
