"""Annual direct CO2 of energy and industry projects, from cited factors; NO DATA, never 0, when unknown.

Power plants burning fuel::

    energy_in [TJ/MWh] = 0.0036 / net_efficiency                       (1 MWh = 3.6 GJ)
                       = heat_rate [Btu/kWh] x 1055.05585262 J/Btu x 1e-9 x ncv_per_gcv
                                                                       (heat rate on HHV basis)
    t CO2/yr = capacity [MW] x 8760 h x capacity_factor x energy_in x EF [kg CO2/TJ] / 1000

with the fuel's IPCC 2006 default emission factor (Vol. 2 Ch. 2 Table 2.2). The range takes the
low capacity factor with the best efficiency (low) and the high capacity factor with the
central efficiency (high), where the sources give them. A project's own ``capacity_factor`` or
``net_efficiency`` replaces the default (and its range). 8760 h is 365 x 24.

Technologies without fuel combustion (solar, wind, nuclear) have no direct CO2 (0, cited).
Industry: capacity [t/yr] x factor [t CO2/t product] for the products with a cited factor
(cement clinker, steel). Anything else — an unknown sector or fuel, a capacity in another
unit, a missing capacity factor — gives ``no_data`` with the reason.

Only CO2 is estimated: the result is a lower bound of CO2e (see ``ghg.json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.citation import Citation
from greenbri.core.screening.project import Project
from greenbri.core.screening.rules import CitedValue, GhgFactors, HeatRate, NetEfficiency, PowerFactors
from greenbri.core.screening.vocabulary import FUEL_LABELS, SECTOR_LABELS

__all__ = ["HOURS_PER_YEAR", "GhgEstimate", "GhgFactorUsed", "estimate_ghg"]

#: Hours in a (non-leap) year: 365 x 24.
HOURS_PER_YEAR = 8760.0
#: 1 MWh = 3.6 GJ = 0.0036 TJ.
TJ_PER_MWH = 0.0036
#: The International Table British thermal unit, in joules.
JOULES_PER_BTU = 1055.05585262


@dataclass(frozen=True)
class GhgFactorUsed:
    """One factor that went into an estimate, with its citations (or ``project data``)."""

    name: str
    value: float
    unit: str
    citations: tuple[Citation, ...] = ()
    low: float | None = None
    high: float | None = None
    from_project: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "from_project": self.from_project,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class GhgEstimate:
    """An annual CO2 estimate (``status == "estimated"``) or the reason there is none (``no_data``)."""

    status: str
    t_co2_per_year: float | None = None
    low: float | None = None
    high: float | None = None
    method: str = ""
    scope: str = ""
    factors: tuple[GhgFactorUsed, ...] = ()
    note: Bilingual = field(default_factory=lambda: Bilingual(""))

    @property
    def known(self) -> bool:
        return self.status == "estimated" and self.t_co2_per_year is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "gas": "CO2",
            "unit": "t CO2/yr",
            "value": self.t_co2_per_year,
            "low": self.low,
            "high": self.high,
            "method": self.method,
            "scope": self.scope,
            "factors": [factor.to_dict() for factor in self.factors],
            "note": self.note.to_dict(),
        }


def _no_data(en: str, zh: str) -> GhgEstimate:
    return GhgEstimate(status="no_data", note=Bilingual(en, zh))


def _used(
    name: str, unit: str, cited: CitedValue, low: float | None = None, high: float | None = None
) -> GhgFactorUsed:
    return GhgFactorUsed(name, cited.value, unit, cited.citations, low, high)


def _project_value(name: str, value: float, unit: str) -> GhgFactorUsed:
    return GhgFactorUsed(name, value, unit, from_project=True)


def _energy_input(project: Project, power: PowerFactors) -> tuple[float, float, GhgFactorUsed]:
    """(central, best) TJ of fuel per MWh, and the factor used."""
    if project.net_efficiency is not None:
        value = TJ_PER_MWH / project.net_efficiency
        return value, value, _project_value("net_efficiency", project.net_efficiency, "fraction (LHV)")
    energy = power.energy_input
    if isinstance(energy, NetEfficiency):
        central = energy.central.value
        best = energy.best.value if energy.best else central
        citations = energy.central.citations + (energy.best.citations if energy.best else ())
        factor = GhgFactorUsed(
            "net_efficiency", central, "fraction (LHV)", citations, min(central, best), max(central, best)
        )
        return TJ_PER_MWH / central, TJ_PER_MWH / best, factor
    return _heat_rate(energy)


def _heat_rate(energy: HeatRate) -> tuple[float, float, GhgFactorUsed]:
    tj_per_mwh = energy.btu_per_kwh.value * JOULES_PER_BTU * 1e-9 * energy.ncv_per_gcv.value
    factor = GhgFactorUsed(
        "heat_rate_hhv x ncv_per_gcv",
        tj_per_mwh,
        f"TJ (NCV) per MWh, from {energy.btu_per_kwh.value:g} Btu/kWh (HHV) x {energy.ncv_per_gcv.value:g}",
        energy.btu_per_kwh.citations + energy.ncv_per_gcv.citations,
    )
    return tj_per_mwh, tj_per_mwh, factor


def _capacity_factor(
    project: Project, power: PowerFactors
) -> tuple[float, float, float, GhgFactorUsed] | None:
    if project.capacity_factor is not None:
        value = project.capacity_factor
        return value, value, value, _project_value("capacity_factor", value, "fraction")
    factors = power.capacity_factor
    if factors is None:
        return None
    low = factors.low.value if factors.low else factors.central.value
    high = factors.high.value if factors.high else factors.central.value
    citations = factors.central.citations + tuple(
        citation for item in (factors.low, factors.high) if item for citation in item.citations
    )
    used = GhgFactorUsed("capacity_factor", factors.central.value, "fraction", citations, low, high)
    return factors.central.value, low, high, used


def _thermal(project: Project, power: PowerFactors, factors: GhgFactors) -> GhgEstimate:
    sector = SECTOR_LABELS[project.sector]
    if project.capacity is None or project.capacity.unit != "MW":
        return _no_data(
            f"{sector.en}: the capacity in MW is needed.", f"{sector.zh}：需要以兆瓦计的装机容量。"
        )
    if project.fuel is None or project.fuel not in power.fuels or project.fuel not in factors.fuels:
        allowed = ", ".join(sorted(fuel.value for fuel in power.fuels if fuel in factors.fuels))
        return _no_data(
            f"{sector.en}: the fuel is unknown or has no cited factor; give one of: {allowed}.",
            f"{sector.zh}：燃料未知或无可引用的排放因子；可选：{allowed}。",
        )
    capacity = _capacity_factor(project, power)
    if capacity is None:
        return _no_data(
            f"{sector.en}: no cited default capacity factor; give the plant's capacity_factor. {power.note}".strip(),
            f"{sector.zh}：无可引用的默认容量因子，请提供项目的容量因子。",
        )
    cf, cf_low, cf_high, cf_used = capacity
    energy_central, energy_best, energy_used = _energy_input(project, power)
    emission_factor = factors.fuels[project.fuel].kg_co2_per_tj
    mw = project.capacity.value

    def tonnes(capacity_factor: float, energy: float) -> float:
        return mw * HOURS_PER_YEAR * capacity_factor * energy * emission_factor.value / 1000

    fuel = FUEL_LABELS[project.fuel]
    return GhgEstimate(
        status="estimated",
        t_co2_per_year=tonnes(cf, energy_central),
        low=tonnes(cf_low, energy_best),
        high=tonnes(cf_high, energy_central),
        method="capacity_MW x 8760 h x capacity_factor x TJ_fuel_per_MWh x EF_kgCO2_per_TJ / 1000",
        scope="scope 1, fuel combustion, CO2 only",
        factors=(
            GhgFactorUsed("capacity", mw, "MW", from_project=True),
            cf_used,
            energy_used,
            _used(f"emission_factor ({fuel.en})", "kg CO2/TJ (NCV)", emission_factor),
        ),
        note=Bilingual(power.note),
    )


def _zero_direct(project: Project, factors: GhgFactors) -> GhgEstimate:
    entry = factors.zero_direct[project.sector]
    return GhgEstimate(
        status="estimated",
        t_co2_per_year=0.0,
        low=0.0,
        high=0.0,
        method="no fuel combustion: no direct CO2",
        scope="scope 1, CO2 only; life-cycle emissions not included",
        factors=(GhgFactorUsed("direct_emission_factor", 0.0, "g CO2/kWh", entry.citations),),
    )


def _industry(project: Project, factors: GhgFactors) -> GhgEstimate:
    sector = SECTOR_LABELS[project.sector]
    entry = factors.industry_for(project.sector, project.sub_type)
    if entry is None:
        products = ", ".join(
            sorted(item.sub_type for item in factors.industry if item.sector is project.sector)
        )
        return _no_data(
            f"{sector.en}: no cited factor for sub_type {project.sub_type!r}; cited products: {products}.",
            f"{sector.zh}：子类型 {project.sub_type!r} 无可引用的排放因子；已有：{products}。",
        )
    if project.capacity is None or project.capacity.unit != entry.unit:
        return _no_data(
            f"{sector.en}: the capacity in {entry.unit} of {entry.sub_type} is needed.",
            f"{sector.zh}：需要以 {entry.unit} 计的{entry.sub_type}产能。",
        )
    factor = entry.t_co2_per_t
    amount = project.capacity.value
    return GhgEstimate(
        status="estimated",
        t_co2_per_year=amount * factor.value,
        low=amount * factor.low,
        high=amount * factor.high,
        method=f"capacity_{entry.unit.replace('/', '_per_')} x t_CO2_per_t_{entry.sub_type}",
        scope=entry.scope,
        factors=(
            GhgFactorUsed("capacity", amount, entry.unit, from_project=True),
            _used(
                f"emission_factor ({entry.sub_type})",
                f"t CO2/t {entry.sub_type}",
                factor,
                factor.low,
                factor.high,
            ),
        ),
    )


def estimate_ghg(project: Project, factors: GhgFactors) -> GhgEstimate:
    """The annual direct CO2 of ``project`` (see the module docstring), or ``no_data`` with the reason."""
    if project.sector in factors.zero_direct:
        return _zero_direct(project, factors)
    power = factors.power_for(project.sector)
    if power is not None:
        return _thermal(project, power, factors)
    if any(item.sector is project.sector for item in factors.industry):
        return _industry(project, factors)
    sector = SECTOR_LABELS[project.sector]
    return _no_data(
        f"No cited GHG factor for the sector {sector.en}: the estimate is NO DATA, not zero.",
        f"{sector.zh}行业无可引用的温室气体排放因子：估算为“无数据”，而非零。",
    )
