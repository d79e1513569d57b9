"""The screening rules as values: what the data files say, checked and ready for :func:`classify`.

A :class:`ScreeningRules` object holds every rule the classification applies, each with its
citations (:class:`~greenbri.core.screening.citation.Citation`):

* :class:`SectorRule` — the sector pre-classification per dimension (BRIGC traffic-light lists);
* :class:`ReceptorRules` — distance :class:`Band` definitions and :class:`ReceptorRule` objects
  (receptor role x attribute conditions x band -> class in one dimension);
* :class:`ExclusionRule` — new overseas coal power excluded, coal under construction 'prudent';
* :class:`MitigationEffect` — which declared measure moves which dimension one step;
* :class:`StackRule` and :class:`GhgClimateRule` — what stack exceedances and large GHG
  estimates do to the pollution and climate dimensions;
* :class:`GhgFactors` — emission factors, efficiencies and capacity factors for the GHG estimate;
* :class:`EquatorParameters` — the EP4 scope thresholds, GHG thresholds and category proposal;
* :class:`NextStep` — the recommended next steps rules point to.

The values are built from JSON by :func:`greenbri.core.screening.rules_schema.rules_from_documents`
(pure) and read from disk by :func:`greenbri.core.screening.rules_files.load_rules`. Everything
here is frozen and deterministic.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from greenbri.core.catalog import Bilingual, ReceptorRole
from greenbri.core.screening.citation import Citation, Source
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.vocabulary import (
    Dimension,
    Fuel,
    MitigationMeasure,
    RiskClass,
    Sector,
    Status,
)

__all__ = [
    "AttributeCondition",
    "Band",
    "BandEffect",
    "CapacityFactors",
    "CitedValue",
    "EquatorParameters",
    "ExclusionRule",
    "FuelFactor",
    "GhgClimateRule",
    "GhgFactors",
    "GhgThreshold",
    "HeatRate",
    "IndustryFactor",
    "MitigationEffect",
    "NetEfficiency",
    "NextStep",
    "PowerFactors",
    "ReceptorRule",
    "ReceptorRules",
    "ScreeningRules",
    "SectorRule",
    "StackRule",
    "ZeroDirect",
    "placeholders",
    "render",
]


def placeholders(text: Bilingual) -> set[str]:
    """The ``{name}`` placeholders used in either language of ``text``."""
    names: set[str] = set()
    for template in (text.en, text.zh):
        names.update(name for _, name, _, _ in string.Formatter().parse(template) if name)
    return names


def render(text: Bilingual, values: Mapping[str, str]) -> Bilingual:
    """``text`` with its placeholders filled from ``values`` (checked when the rules were loaded)."""
    return Bilingual(text.en.format_map(values), text.zh.format_map(values))


@dataclass(frozen=True)
class CitedValue:
    """A number with the citation(s) it comes from; ``range_percent`` is a symmetric uncertainty."""

    value: float
    citations: tuple[Citation, ...]
    range_percent: float | None = None

    @property
    def low(self) -> float:
        return self.value * (1 - (self.range_percent or 0) / 100)

    @property
    def high(self) -> float:
        return self.value * (1 + (self.range_percent or 0) / 100)


@dataclass(frozen=True)
class SectorRule:
    """The pre-classification of one sector in one dimension."""

    id: str
    sector: Sector
    dimension: Dimension
    risk_class: RiskClass
    mitigable: bool
    text: Bilingual
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Band:
    """A distance band. ``intersects`` has no distance; the others end at ``max_distance_m``."""

    id: str
    max_distance_m: float | None = None

    def label(self) -> Bilingual:
        if self.max_distance_m is None:
            return Bilingual("intersects the project", "与项目相交")
        km = self.max_distance_m / 1000
        return Bilingual(f"within {km:g} km of the project", f"在项目{km:g}公里范围内")


@dataclass(frozen=True)
class BandEffect:
    """What a hit in one band does: the class it gives and whether a measure may move it."""

    risk_class: RiskClass
    mitigable: bool


@dataclass(frozen=True)
class AttributeCondition:
    """A condition on one receptor attribute: ``in`` a list, ``equals`` a value, or at least ``min``."""

    key: str
    operator: str
    values: tuple[Any, ...]

    def matches(self, attributes: Mapping[str, Any]) -> bool:
        if self.key not in attributes or attributes[self.key] is None:
            return False
        value = attributes[self.key]
        if self.operator == "min":
            return isinstance(value, int | float) and not isinstance(value, bool) and value >= self.values[0]
        if self.operator == "equals":
            return bool(value == self.values[0])
        return value in self.values

    def describe(self) -> str:
        if self.operator == "in":
            return f"{self.key} in {list(self.values)}"
        return f"{self.key} {'>=' if self.operator == 'min' else '=='} {self.values[0]!r}"


@dataclass(frozen=True)
class ReceptorRule:
    """Receptors of one role (matching the conditions) near a project give a class per band.

    ``required``: when the role has no coverage, the dimension is NO DATA (unless red). ``sectors``:
    the sectors the rule applies to (``None``: all).
    """

    id: str
    receptor_role: ReceptorRole
    dimension: Dimension
    required: bool
    conditions: tuple[AttributeCondition, ...]
    effects: Mapping[str, BandEffect]
    text: Bilingual
    citations: tuple[Citation, ...]
    next_steps: tuple[str, ...] = ()
    sectors: frozenset[Sector] | None = None

    def applies_to(self, sector: Sector) -> bool:
        return self.sectors is None or sector in self.sectors

    def matches(self, hit: ReceptorHit) -> bool:
        return hit.receptor_role is self.receptor_role and all(
            condition.matches(hit.attributes) for condition in self.conditions
        )


@dataclass(frozen=True)
class ReceptorRules:
    """The distance bands (nearest first) and the receptor rules."""

    bands: tuple[Band, ...]
    band_citations: tuple[Citation, ...]
    rules: tuple[ReceptorRule, ...]

    def band_of(self, hit: ReceptorHit) -> Band | None:
        """The band a hit falls in: ``intersects`` if it intersects, else the nearest band reaching it."""
        for band in self.bands:
            if band.max_distance_m is None:
                if hit.intersects:
                    return band
            elif hit.distance_m <= band.max_distance_m:
                return band
        return None

    @property
    def largest_buffer_m(self) -> float:
        return max((band.max_distance_m or 0.0) for band in self.bands)


@dataclass(frozen=True)
class ExclusionRule:
    """A sector and status that is excluded (``excluded``) or needs a prudent review (``prudent``)."""

    id: str
    effect: str
    sectors: frozenset[Sector]
    statuses: frozenset[Status]
    overseas_only: bool
    text: Bilingual
    citations: tuple[Citation, ...]
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class MitigationEffect:
    """A measure that moves mitigable contributions in ``dimension`` one step (for ``sectors``, or all)."""

    measure: MitigationMeasure
    dimension: Dimension
    citations: tuple[Citation, ...]
    sectors: frozenset[Sector] | None = None

    def applies_to(self, sector: Sector) -> bool:
        return self.sectors is None or sector in self.sectors


@dataclass(frozen=True)
class StackRule:
    """The class a stack figure above the strictest applicable limit gives the pollution dimension."""

    id: str
    class_on_exceedance: RiskClass
    mitigable: bool
    text: Bilingual
    citations: tuple[Citation, ...]
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class GhgClimateRule:
    """A GHG estimate at or above ``threshold_t`` (tCO2e/yr) gives the climate dimension ``risk_class``."""

    id: str
    threshold_t: float
    risk_class: RiskClass
    mitigable: bool
    text: Bilingual
    citations: tuple[Citation, ...]
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class FuelFactor:
    """The default CO2 emission factor of a fuel, kg CO2 per TJ (net calorific value)."""

    fuel: Fuel
    kg_co2_per_tj: CitedValue


@dataclass(frozen=True)
class NetEfficiency:
    """Net electrical efficiency (LHV); ``best`` is the efficient end used for the low estimate."""

    central: CitedValue
    best: CitedValue | None = None


@dataclass(frozen=True)
class HeatRate:
    """A heat rate on the higher-heating-value basis and the factor from gross to net calorific value."""

    btu_per_kwh: CitedValue
    ncv_per_gcv: CitedValue


@dataclass(frozen=True)
class CapacityFactors:
    """Capacity factor: central value and, when the source gives them, low and high."""

    central: CitedValue
    low: CitedValue | None = None
    high: CitedValue | None = None


@dataclass(frozen=True)
class PowerFactors:
    """How to estimate the CO2 of a fuel-fired power sector."""

    sector: Sector
    fuels: frozenset[Fuel]
    energy_input: NetEfficiency | HeatRate
    capacity_factor: CapacityFactors | None
    note: str = ""


@dataclass(frozen=True)
class ZeroDirect:
    """A power technology without fuel combustion: no direct (scope 1) CO2."""

    sector: Sector
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class IndustryFactor:
    """Tonnes of CO2 per tonne of product for one sector and product (``sub_type``)."""

    sector: Sector
    sub_type: str
    unit: str
    t_co2_per_t: CitedValue
    scope: str


@dataclass(frozen=True)
class GhgFactors:
    """Everything the GHG estimate uses."""

    fuels: Mapping[Fuel, FuelFactor]
    power: tuple[PowerFactors, ...]
    zero_direct: Mapping[Sector, ZeroDirect]
    industry: tuple[IndustryFactor, ...]
    note: str = ""

    def power_for(self, sector: Sector) -> PowerFactors | None:
        return next((item for item in self.power if item.sector is sector), None)

    def industry_for(self, sector: Sector, sub_type: str) -> IndustryFactor | None:
        wanted = sub_type.strip().lower()
        return next(
            (item for item in self.industry if item.sector is sector and item.sub_type == wanted), None
        )


@dataclass(frozen=True)
class GhgThreshold:
    """A GHG threshold (tCO2e/yr) that triggers requirements (EP4 100,000; IFC PS3 25,000)."""

    id: str
    threshold: CitedValue
    text: Bilingual
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class EquatorParameters:
    """The Equator Principles (EP4) numbers greenbri applies, each cited."""

    effective_from: date
    project_finance_min_usd: CitedValue
    advisory_min_usd: CitedValue
    corporate_loan_min_total_usd: CitedValue
    corporate_loan_min_commitment_usd: CitedValue
    corporate_loan_min_tenor_years: CitedValue
    bridge_loan_max_tenor_years: CitedValue
    refinancing_citations: tuple[Citation, ...]
    out_of_scope_citations: tuple[Citation, ...]
    ghg_thresholds: tuple[GhgThreshold, ...]
    category_map: Mapping[RiskClass, str]
    category_definitions: Mapping[str, Bilingual]
    category_citations: tuple[Citation, ...]


@dataclass(frozen=True)
class NextStep:
    """A recommended next step, with the document that asks for it."""

    id: str
    text: Bilingual
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ScreeningRules:
    """Every rule the screening applies. ``digest`` identifies the exact rule files used."""

    sources: Mapping[str, Source]
    sectors: tuple[SectorRule, ...]
    receptors: ReceptorRules
    home_country: str
    exclusions: tuple[ExclusionRule, ...]
    mitigation: tuple[MitigationEffect, ...]
    stack: StackRule
    ghg_climate: tuple[GhgClimateRule, ...]
    ghg: GhgFactors
    equator: EquatorParameters
    next_steps: Mapping[str, NextStep]
    digest: str = ""
    files: tuple[str, ...] = field(default=())

    def greenbri_citation(self, section: str) -> tuple[Citation, ...]:
        """A citation of greenbri's own methodology (the ``operationalisation`` source) at ``section``."""
        source = next((item for item in self.sources.values() if item.kind == "operationalisation"), None)
        return (Citation(source, section),) if source else ()

    def sector_rule(self, sector: Sector, dimension: Dimension) -> SectorRule | None:
        """The pre-classification of ``sector`` in ``dimension``, or None if no cited source gives one."""
        return next(
            (rule for rule in self.sectors if rule.sector is sector and rule.dimension is dimension), None
        )

    def effects_for(
        self, dimension: Dimension, sector: Sector, measures: tuple[MitigationMeasure, ...]
    ) -> tuple[MitigationEffect, ...]:
        """The mitigation effects that the declared ``measures`` have in ``dimension`` for ``sector``."""
        return tuple(
            effect
            for effect in self.mitigation
            if effect.dimension is dimension and effect.measure in measures and effect.applies_to(sector)
        )
