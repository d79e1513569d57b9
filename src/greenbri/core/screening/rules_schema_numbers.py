"""Read the numeric rule files: GHG factors (``ghg.json``) and the EP4 parameters (``equator.json``).

Part of :func:`greenbri.core.screening.rules_schema.rules_from_documents`; same conventions (every
number cited, errors naming file and field).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.citation import Citation, Source
from greenbri.core.screening.rules import (
    CapacityFactors,
    EquatorParameters,
    FuelFactor,
    GhgFactors,
    GhgThreshold,
    HeatRate,
    IndustryFactor,
    NetEfficiency,
    PowerFactors,
    ZeroDirect,
)
from greenbri.core.screening.rules_reader import Node
from greenbri.core.screening.vocabulary import CAPACITY_UNITS, Fuel, RiskClass, Sector

__all__ = ["read_equator", "read_ghg"]

_TOLERANCE = 1e-12

#: ``root(documents, file name, required keys) -> Node`` (checks ``format_version``).
Root = Callable[[Mapping[str, Any], str, tuple[str, ...]], Node]
#: ``step_ids(node, key, known steps) -> ids``.
StepIds = Callable[[Node, str, Iterable[str]], tuple[str, ...]]


def _energy_input(node: Node, sources: Mapping[str, Source]) -> NetEfficiency | HeatRate:
    kind = node.text("kind")
    if kind == "net_efficiency":
        node.keys(("kind", "central"), ("best",))
        best = node.cited_value("best", sources, minimum=0.01, maximum=1) if "best" in node.data else None
        return NetEfficiency(node.cited_value("central", sources, minimum=0.01, maximum=1), best)
    if kind == "heat_rate_hhv":
        node.keys(("kind", "btu_per_kwh", "ncv_per_gcv"))
        return HeatRate(
            node.cited_value("btu_per_kwh", sources, minimum=3412.14, maximum=100_000),
            node.cited_value("ncv_per_gcv", sources, minimum=0.5, maximum=1),
        )
    node.fail(f"unknown kind {kind!r}.", "kind", hint="use net_efficiency or heat_rate_hhv.")


def _capacity_factors(node: Node, sources: Mapping[str, Source]) -> CapacityFactors:
    node.keys(("central",), ("low", "high"))
    values = {
        key: node.cited_value(key, sources, minimum=0.001, maximum=1)
        for key in ("central", "low", "high")
        if key in node.data
    }
    factors = CapacityFactors(values["central"], values.get("low"), values.get("high"))
    low = factors.low.value if factors.low else factors.central.value
    high = factors.high.value if factors.high else factors.central.value
    if not (low <= factors.central.value + _TOLERANCE and factors.central.value <= high + _TOLERANCE):
        node.fail("needs low <= central <= high.")
    return factors


def _power(node: Node, sources: Mapping[str, Source]) -> PowerFactors:
    node.keys(("sector", "fuels", "energy_input", "capacity_factor"), ("note",))
    capacity = node.data["capacity_factor"]
    return PowerFactors(
        sector=node.code("sector", Sector),
        fuels=node.codes("fuels", Fuel),
        energy_input=_energy_input(node.child("energy_input"), sources),
        capacity_factor=None
        if capacity is None
        else _capacity_factors(node.child("capacity_factor"), sources),
        note=node.text("note", required=False),
    )


def read_ghg(documents: Mapping[str, Any], sources: Mapping[str, Source], root_of: Root) -> GhgFactors:
    """The GHG factors of ``ghg.json``."""
    root = root_of(documents, "ghg.json", ("fuels", "power", "zero_direct", "industry"))
    fuels: dict[Fuel, FuelFactor] = {}
    for node in root.children("fuels"):
        node.keys(("fuel", "kg_co2_per_tj"))
        fuel = node.code("fuel", Fuel)
        if fuel in fuels:
            node.fail(f"the fuel {fuel.value!r} is listed twice.", "fuel")
        fuels[fuel] = FuelFactor(fuel, node.cited_value("kg_co2_per_tj", sources, minimum=1, maximum=500_000))
    power = tuple(_power(node, sources) for node in root.children("power"))
    if len({item.sector for item in power}) != len(power):
        root.fail("a power sector is listed twice.", "power")
    zero: dict[Sector, ZeroDirect] = {}
    for node in root.children("zero_direct"):
        node.keys(("sector", "citations"))
        sector = node.code("sector", Sector)
        zero[sector] = ZeroDirect(sector, node.citations("citations", sources))
    industry = []
    for node in root.children("industry"):
        node.keys(("sector", "sub_type", "unit", "scope", "t_co2_per_t"))
        unit = node.text("unit")
        if unit not in CAPACITY_UNITS:
            node.fail(f"unknown unit {unit!r}.", "unit", hint=f"use one of: {', '.join(CAPACITY_UNITS)}.")
        industry.append(
            IndustryFactor(
                sector=node.code("sector", Sector),
                sub_type=node.text("sub_type").lower(),
                unit=unit,
                t_co2_per_t=node.cited_value("t_co2_per_t", sources, minimum=0, maximum=100),
                scope=node.text("scope"),
            )
        )
    return GhgFactors(fuels, power, zero, tuple(industry), root.text("note", required=False))


def _date(node: Node, key: str) -> date:
    try:
        return date.fromisoformat(node.text(key))
    except ValueError:
        node.fail(f"must be an ISO date YYYY-MM-DD, not {node.data.get(key)!r}.", key)


def _categories(
    node: Node, sources: Mapping[str, Source]
) -> tuple[dict[RiskClass, str], dict[str, Bilingual], tuple[Citation, ...]]:
    node.keys(("map", "definitions", "citations"))
    mapping = node.child("map")
    mapping.keys(("green", "yellow", "red"))
    category_map = {RiskClass(key): mapping.text(key) for key in ("green", "yellow", "red")}
    definitions_node = node.child("definitions")
    definitions_node.keys(tuple(sorted(set(category_map.values()))))
    definitions = {key: definitions_node.bilingual(key) for key in sorted(set(category_map.values()))}
    return category_map, definitions, node.citations("citations", sources)


def read_equator(
    documents: Mapping[str, Any],
    sources: Mapping[str, Source],
    steps: Iterable[str],
    root_of: Root,
    step_ids: StepIds,
) -> EquatorParameters:
    """The EP4 parameters of ``equator.json``."""
    names = (
        "project_finance_min_capital_cost_usd",
        "advisory_min_capital_cost_usd",
        "corporate_loan_min_total_usd",
        "corporate_loan_min_commitment_usd",
        "corporate_loan_min_tenor_years",
        "bridge_loan_max_tenor_years",
    )
    root = root_of(
        documents,
        "equator.json",
        (
            "effective_from",
            *names,
            "refinancing_criteria",
            "out_of_scope_citation",
            "ghg_thresholds",
            "categories",
        ),
    )
    values = {name: root.cited_value(name, sources, minimum=0, maximum=1e12) for name in names}
    refinancing = root.child("refinancing_criteria")
    refinancing.keys(("citation",))
    thresholds = []
    for node in root.children("ghg_thresholds"):
        node.keys(("id", "threshold_t_co2e_per_year", "text"), ("next_steps",))
        thresholds.append(
            GhgThreshold(
                id=node.text("id"),
                threshold=node.cited_value("threshold_t_co2e_per_year", sources, minimum=0, maximum=1e12),
                text=node.bilingual("text"),
                next_steps=step_ids(node, "next_steps", steps),
            )
        )
    category_map, definitions, category_citations = _categories(root.child("categories"), sources)
    return EquatorParameters(
        effective_from=_date(root, "effective_from"),
        project_finance_min_usd=values["project_finance_min_capital_cost_usd"],
        advisory_min_usd=values["advisory_min_capital_cost_usd"],
        corporate_loan_min_total_usd=values["corporate_loan_min_total_usd"],
        corporate_loan_min_commitment_usd=values["corporate_loan_min_commitment_usd"],
        corporate_loan_min_tenor_years=values["corporate_loan_min_tenor_years"],
        bridge_loan_max_tenor_years=values["bridge_loan_max_tenor_years"],
        refinancing_citations=(refinancing.citation("citation", sources),),
        out_of_scope_citations=(root.citation("out_of_scope_citation", sources),),
        ghg_thresholds=tuple(thresholds),
        category_map=category_map,
        category_definitions=definitions,
        category_citations=category_citations,
    )
