"""The controlled vocabulary of project screening: every code a project or a rule file may use.

Projects (:mod:`greenbri.core.screening.project`) and rule files
(:mod:`greenbri.core.screening.rules`) may only use the codes listed here; anything else is
refused with an error that lists the allowed codes. Each code has an English and a Chinese
label, which ``docs/methodology/screening.md`` repeats.

To add a code (a sector, a fuel, a mitigation measure), add it here with its labels (and, for a
measure, the standard it corresponds to) and mention it in the methodology page; projects and
rule files may then use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import TypeVar

from greenbri.core.catalog import Bilingual

__all__ = [
    "CAPACITY_UNITS",
    "FUEL_LABELS",
    "MEASURE_LABELS",
    "MEASURE_STANDARDS",
    "SECTOR_LABELS",
    "Certainty",
    "Dimension",
    "FinancingType",
    "Fuel",
    "MitigationMeasure",
    "RiskClass",
    "Sector",
    "Status",
    "allowed",
    "parse_code",
    "worst",
]

E = TypeVar("E", bound=Enum)


def allowed(enum_type: type[Enum]) -> str:
    """The codes of ``enum_type`` as a comma-separated list, for error messages."""
    return ", ".join(str(member.value) for member in enum_type)


class Dimension(StrEnum):
    """The three dimensions of the BRIGC traffic-light classification."""

    CLIMATE = "climate"
    POLLUTION = "pollution"
    BIODIVERSITY = "biodiversity"


class RiskClass(StrEnum):
    """A traffic-light class, or ``no_data`` when the evidence needed is missing."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NO_DATA = "no_data"

    @property
    def severity(self) -> int:
        """0 green, 1 yellow, 2 red; ``no_data`` has no severity (-1)."""
        return _SEVERITY[self]

    def step_down(self) -> RiskClass:
        """One step towards green (red -> yellow -> green); green and no_data stay."""
        return {RiskClass.RED: RiskClass.YELLOW, RiskClass.YELLOW: RiskClass.GREEN}.get(self, self)


_SEVERITY = {RiskClass.GREEN: 0, RiskClass.YELLOW: 1, RiskClass.RED: 2, RiskClass.NO_DATA: -1}


def worst(classes: Iterable[RiskClass]) -> RiskClass:
    """The most severe known class (no_data ignored); green for an empty sequence."""
    known = [item for item in classes if item is not RiskClass.NO_DATA]
    return max(known, key=lambda item: item.severity) if known else RiskClass.GREEN


class Certainty(StrEnum):
    """Whether a cited value or rule was checked against its source."""

    CONFIRMED = "confirmed"
    UNCERTAIN = "uncertain"


class Status(StrEnum):
    """Where a project is in its life."""

    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under_construction"
    OPERATING = "operating"
    DECOMMISSIONED = "decommissioned"


class FinancingType(StrEnum):
    """How the project is financed; drives Equator Principles (EP4) applicability."""

    PROJECT_FINANCE = "project_finance"
    PROJECT_RELATED_CORPORATE_LOAN = "project_related_corporate_loan"
    BRIDGE_LOAN = "bridge_loan"
    REFINANCING = "refinancing"
    ACQUISITION_FINANCE = "acquisition_finance"
    ADVISORY = "advisory"
    CORPORATE_GENERAL = "corporate_general"
    GRANT = "grant"
    EQUITY = "equity"
    OTHER = "other"


class Sector(StrEnum):
    """What the project is. Mining is split by mineral."""

    COAL_POWER = "coal_power"
    GAS_POWER = "gas_power"
    OIL_POWER = "oil_power"
    HYDRO_POWER = "hydro_power"
    SOLAR_POWER = "solar_power"
    WIND_POWER = "wind_power"
    NUCLEAR_POWER = "nuclear_power"
    BIOMASS_POWER = "biomass_power"
    GEOTHERMAL_POWER = "geothermal_power"
    TRANSMISSION_LINE = "transmission_line"
    RAILWAY = "railway"
    ROAD = "road"
    BRIDGE = "bridge"
    TUNNEL = "tunnel"
    PORT = "port"
    AIRPORT = "airport"
    PIPELINE = "pipeline"
    MINING_COAL = "mining_coal"
    MINING_COPPER = "mining_copper"
    MINING_IRON = "mining_iron"
    MINING_GOLD = "mining_gold"
    MINING_BAUXITE = "mining_bauxite"
    MINING_NICKEL = "mining_nickel"
    MINING_LITHIUM = "mining_lithium"
    MINING_OTHER = "mining_other"
    METAL_SMELTING = "metal_smelting"
    PETROCHEMICAL = "petrochemical"
    OIL_REFINERY = "oil_refinery"
    CEMENT = "cement"
    INDUSTRIAL_PARK = "industrial_park"
    WATER_SUPPLY = "water_supply"
    WASTEWATER = "wastewater"
    WASTE_TO_ENERGY = "waste_to_energy"
    AGRICULTURE = "agriculture"
    FORESTRY = "forestry"
    TELECOM = "telecom"
    BUILDING = "building"
    OTHER = "other"


SECTOR_LABELS: Mapping[Sector, Bilingual] = MappingProxyType(
    {
        Sector.COAL_POWER: Bilingual("coal-fired power", "燃煤发电"),
        Sector.GAS_POWER: Bilingual("gas-fired power", "燃气发电"),
        Sector.OIL_POWER: Bilingual("oil-fired power", "燃油发电"),
        Sector.HYDRO_POWER: Bilingual("hydropower", "水电"),
        Sector.SOLAR_POWER: Bilingual("solar power", "太阳能发电"),
        Sector.WIND_POWER: Bilingual("wind power", "风电"),
        Sector.NUCLEAR_POWER: Bilingual("nuclear power", "核电"),
        Sector.BIOMASS_POWER: Bilingual("biomass power", "生物质发电"),
        Sector.GEOTHERMAL_POWER: Bilingual("geothermal power", "地热发电"),
        Sector.TRANSMISSION_LINE: Bilingual("transmission line", "输电线路"),
        Sector.RAILWAY: Bilingual("railway", "铁路"),
        Sector.ROAD: Bilingual("road", "公路"),
        Sector.BRIDGE: Bilingual("bridge", "桥梁"),
        Sector.TUNNEL: Bilingual("tunnel", "隧道"),
        Sector.PORT: Bilingual("port", "港口"),
        Sector.AIRPORT: Bilingual("airport", "机场"),
        Sector.PIPELINE: Bilingual("pipeline", "管道"),
        Sector.MINING_COAL: Bilingual("coal mining", "煤矿开采"),
        Sector.MINING_COPPER: Bilingual("copper mining", "铜矿开采"),
        Sector.MINING_IRON: Bilingual("iron ore mining", "铁矿开采"),
        Sector.MINING_GOLD: Bilingual("gold mining", "金矿开采"),
        Sector.MINING_BAUXITE: Bilingual("bauxite mining", "铝土矿开采"),
        Sector.MINING_NICKEL: Bilingual("nickel mining", "镍矿开采"),
        Sector.MINING_LITHIUM: Bilingual("lithium mining", "锂矿开采"),
        Sector.MINING_OTHER: Bilingual("other mining", "其他矿产开采"),
        Sector.METAL_SMELTING: Bilingual("metal smelting", "金属冶炼"),
        Sector.PETROCHEMICAL: Bilingual("petrochemical", "石油化工"),
        Sector.OIL_REFINERY: Bilingual("oil refinery", "炼油厂"),
        Sector.CEMENT: Bilingual("cement", "水泥"),
        Sector.INDUSTRIAL_PARK: Bilingual("industrial park", "工业园区"),
        Sector.WATER_SUPPLY: Bilingual("water supply", "供水"),
        Sector.WASTEWATER: Bilingual("wastewater", "污水处理"),
        Sector.WASTE_TO_ENERGY: Bilingual("waste-to-energy", "垃圾焚烧发电"),
        Sector.AGRICULTURE: Bilingual("agriculture", "农业"),
        Sector.FORESTRY: Bilingual("forestry", "林业"),
        Sector.TELECOM: Bilingual("telecommunications", "电信"),
        Sector.BUILDING: Bilingual("building", "建筑"),
        Sector.OTHER: Bilingual("other", "其他"),
    }
)


class Fuel(StrEnum):
    """Fuels, named after the rows of IPCC 2006 Vol. 2 Ch. 2 Table 2.2 where they have one."""

    BITUMINOUS_COAL = "bituminous_coal"
    SUB_BITUMINOUS_COAL = "sub_bituminous_coal"
    LIGNITE = "lignite"
    ANTHRACITE = "anthracite"
    NATURAL_GAS = "natural_gas"
    GAS_DIESEL_OIL = "gas_diesel_oil"
    RESIDUAL_FUEL_OIL = "residual_fuel_oil"
    CRUDE_OIL = "crude_oil"
    BIOMASS = "biomass"
    MUNICIPAL_WASTE = "municipal_waste"
    URANIUM = "uranium"
    NONE = "none"


FUEL_LABELS: Mapping[Fuel, Bilingual] = MappingProxyType(
    {
        Fuel.BITUMINOUS_COAL: Bilingual("other bituminous coal", "其他烟煤"),
        Fuel.SUB_BITUMINOUS_COAL: Bilingual("sub-bituminous coal", "次烟煤"),
        Fuel.LIGNITE: Bilingual("lignite", "褐煤"),
        Fuel.ANTHRACITE: Bilingual("anthracite", "无烟煤"),
        Fuel.NATURAL_GAS: Bilingual("natural gas", "天然气"),
        Fuel.GAS_DIESEL_OIL: Bilingual("gas/diesel oil", "柴油"),
        Fuel.RESIDUAL_FUEL_OIL: Bilingual("residual fuel oil", "渣油（重油）"),
        Fuel.CRUDE_OIL: Bilingual("crude oil", "原油"),
        Fuel.BIOMASS: Bilingual("biomass", "生物质"),
        Fuel.MUNICIPAL_WASTE: Bilingual("municipal solid waste", "城市生活垃圾"),
        Fuel.URANIUM: Bilingual("uranium (nuclear fuel)", "铀（核燃料）"),
        Fuel.NONE: Bilingual("no fuel (wind, solar, hydro, ...)", "无燃料（风、光、水等）"),
    }
)

#: Units a project's capacity may be given in.
CAPACITY_UNITS: Mapping[str, Bilingual] = MappingProxyType(
    {
        "MW": Bilingual("megawatts (electric, nameplate)", "兆瓦（电，装机）"),
        "km": Bilingual("kilometres of length", "公里（长度）"),
        "t/yr": Bilingual("tonnes of product per year", "吨产品/年"),
        "m3/d": Bilingual("cubic metres per day", "立方米/日"),
        "ha": Bilingual("hectares of area", "公顷（面积）"),
        "TEU/yr": Bilingual("twenty-foot equivalent units per year", "标准箱/年"),
        "passengers/yr": Bilingual("passengers per year", "旅客人次/年"),
        "bbl/d": Bilingual("barrels per day", "桶/日"),
    }
)


class MitigationMeasure(StrEnum):
    """Mitigation measures a project can declare; each corresponds to a named standard."""

    FLUE_GAS_TREATMENT = "flue_gas_treatment"
    WASTEWATER_TREATMENT = "wastewater_treatment"
    DUST_AND_TAILINGS_MANAGEMENT = "dust_and_tailings_management"
    BIODIVERSITY_ACTION_PLAN = "biodiversity_action_plan"
    ENVIRONMENTAL_FLOW_AND_FISH_PASSAGE = "environmental_flow_and_fish_passage"
    WILDLIFE_CROSSINGS = "wildlife_crossings"


MEASURE_LABELS: Mapping[MitigationMeasure, Bilingual] = MappingProxyType(
    {
        MitigationMeasure.FLUE_GAS_TREATMENT: Bilingual(
            "flue-gas desulphurisation, NOx control and particulate removal designed to the IFC emission guidelines",
            "按国际金融公司排放指南设计的烟气脱硫、脱硝和除尘",
        ),
        MitigationMeasure.WASTEWATER_TREATMENT: Bilingual(
            "wastewater treatment designed to the IFC effluent guidelines",
            "按国际金融公司排水指南设计的污水处理",
        ),
        MitigationMeasure.DUST_AND_TAILINGS_MANAGEMENT: Bilingual(
            "dust control and tailings management to the IFC mining guidelines",
            "按国际金融公司采矿指南的扬尘控制和尾矿管理",
        ),
        MitigationMeasure.BIODIVERSITY_ACTION_PLAN: Bilingual(
            "biodiversity action plan following the mitigation hierarchy (IFC PS6)",
            "遵循减缓层级的生物多样性行动计划（IFC 绩效标准6）",
        ),
        MitigationMeasure.ENVIRONMENTAL_FLOW_AND_FISH_PASSAGE: Bilingual(
            "environmental flow regime and fish passage for dams", "大坝生态流量与过鱼设施"
        ),
        MitigationMeasure.WILDLIFE_CROSSINGS: Bilingual(
            "wildlife crossings and habitat-connectivity measures on linear infrastructure",
            "线性基础设施的野生动物通道与生境连通措施",
        ),
    }
)

#: The standard each measure corresponds to (document and section).
MEASURE_STANDARDS: Mapping[MitigationMeasure, str] = MappingProxyType(
    {
        MitigationMeasure.FLUE_GAS_TREATMENT: (
            "IFC EHS Guidelines for Thermal Power Plants (19 Dec 2008), section 1.1 and Table 6; "
            "IFC EHS General Guidelines (30 Apr 2007), section 1.1 Air Emissions"
        ),
        MitigationMeasure.WASTEWATER_TREATMENT: "IFC EHS General Guidelines (30 Apr 2007), section 1.3 Wastewater and Ambient Water Quality",
        MitigationMeasure.DUST_AND_TAILINGS_MANAGEMENT: "IFC EHS Guidelines for Mining (10 Dec 2007), section 1.1 Environment",
        MitigationMeasure.BIODIVERSITY_ACTION_PLAN: (
            "IFC Performance Standard 6 (1 Jan 2012): mitigation hierarchy, protection of natural and critical habitat"
        ),
        MitigationMeasure.ENVIRONMENTAL_FLOW_AND_FISH_PASSAGE: (
            "IFC Performance Standard 6 (1 Jan 2012): protection of natural and critical habitat (aquatic habitat)"
        ),
        MitigationMeasure.WILDLIFE_CROSSINGS: (
            "IFC Performance Standard 6 (1 Jan 2012): habitat fragmentation under protection of natural habitat"
        ),
    }
)


def parse_code(enum_type: type[E], value: object) -> E | None:
    """``enum_type(value)`` or None when ``value`` is not one of its codes."""
    try:
        return enum_type(value)
    except ValueError:
        return None
