"""Recognise entities that are not countries: World Bank aggregates, OWID regions, historical states.

Indicator files mix countries with aggregates (``WLD`` World, ``HIC`` High income, ``EAS`` East
Asia & Pacific, OWID's ``OWID_WRL``, name-only rows such as ``Africa`` or ``European Union (27)``).
:func:`classify_entity` sorts every row into one of :data:`ENTITY_KINDS`; only ``country`` rows are
ranked and compared as countries. Aggregate values are kept (the world value of a profile comes
from the source's own World row, never from a sum greenbri makes).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "ENTITY_KINDS",
    "HISTORICAL_ENTITIES",
    "WORLD_BANK_AGGREGATES",
    "WORLD_CODES",
    "EntityClass",
    "classify_entity",
    "normalise_name",
]

ENTITY_KINDS = ("country", "aggregate", "historical", "unknown")

#: World Bank aggregate codes (WDI "Country" table rows whose region is empty), with their English names.
WORLD_BANK_AGGREGATES: dict[str, str] = {
    "AFE": "Africa Eastern and Southern",
    "AFW": "Africa Western and Central",
    "ARB": "Arab World",
    "CEB": "Central Europe and the Baltics",
    "CSS": "Caribbean small states",
    "EAP": "East Asia & Pacific (excluding high income)",
    "EAR": "Early-demographic dividend",
    "EAS": "East Asia & Pacific",
    "ECA": "Europe & Central Asia (excluding high income)",
    "ECS": "Europe & Central Asia",
    "EMU": "Euro area",
    "EUU": "European Union",
    "FCS": "Fragile and conflict affected situations",
    "HIC": "High income",
    "HPC": "Heavily indebted poor countries (HIPC)",
    "IBD": "IBRD only",
    "IBT": "IDA & IBRD total",
    "IDA": "IDA total",
    "IDB": "IDA blend",
    "IDX": "IDA only",
    "INX": "Not classified",
    "LAC": "Latin America & Caribbean (excluding high income)",
    "LCN": "Latin America & Caribbean",
    "LDC": "Least developed countries: UN classification",
    "LIC": "Low income",
    "LMC": "Lower middle income",
    "LMY": "Low & middle income",
    "LTE": "Late-demographic dividend",
    "MEA": "Middle East & North Africa",
    "MIC": "Middle income",
    "MNA": "Middle East & North Africa (excluding high income)",
    "NAC": "North America",
    "OED": "OECD members",
    "OSS": "Other small states",
    "PRE": "Pre-demographic dividend",
    "PSS": "Pacific island small states",
    "PST": "Post-demographic dividend",
    "SAS": "South Asia",
    "SSA": "Sub-Saharan Africa (excluding high income)",
    "SSF": "Sub-Saharan Africa",
    "SST": "Small states",
    "TEA": "East Asia & Pacific (IDA & IBRD countries)",
    "TEC": "Europe & Central Asia (IDA & IBRD countries)",
    "TLA": "Latin America & the Caribbean (IDA & IBRD countries)",
    "TMN": "Middle East & North Africa (IDA & IBRD countries)",
    "TSA": "South Asia (IDA & IBRD)",
    "TSS": "Sub-Saharan Africa (IDA & IBRD countries)",
    "UMC": "Upper middle income",
    "WLD": "World",
}

#: Codes and names that stand for the whole world in the sources greenbri reads.
WORLD_CODES = frozenset({"WLD", "OWID_WRL"})
WORLD_NAMES = frozenset({"world"})

#: States that no longer exist: kept, never ranked as today's countries.
HISTORICAL_ENTITIES = frozenset(
    {"ussr", "czechoslovakia", "yugoslavia", "serbia and montenegro", "east germany", "west germany"}
)

#: Region and group names that appear without an ISO code (OWID, BP/Energy Institute, Ember, CAIT).
_AGGREGATE_NAMES = frozenset(
    {
        "world",
        "africa",
        "asia",
        "europe",
        "oceania",
        "north america",
        "south america",
        "antarctica",
        "european union",
        "european union (27)",
        "european union (28)",
        "eu-27",
        "eu-28",
        "eu27",
        "eu28",
        "asia pacific",
        "cis",
        "middle east",
        "non-oecd",
        "oecd",
        "central america",
        "eastern africa",
        "middle africa",
        "western africa",
        "central africa",
        "northern africa",
        "southern africa",
        "international transport",
        "kuwaiti oil fires",
        "international aviation",
        "international shipping",
        "high-income countries",
        "low-income countries",
        "lower-middle-income countries",
        "upper-middle-income countries",
        "high income",
        "low income",
        "lower middle income",
        "upper middle income",
        "g20",
        "g7",
        "opec",
        "asean",
        "south and central america",
        "central and south america",
        "australia and new zealand",
        "bunkers",
        "statistical differences",
        "persian gulf",
        "middle east (bp)",
        "africa (bp)",
        "eastern europe",
        "western europe",
        "latin america and caribbean",
        "asia and oceania",
        "eurasia",
        "micronesia (region)",
    }
)
_AGGREGATE_PATTERNS = (
    re.compile(r"^other\b"),
    re.compile(r"\(excl\.?"),
    re.compile(r"\bincome\b"),
    re.compile(r"\((bp|ember|ei|shift|eia|fao|un|wb|who|owid)\)$"),
    re.compile(r"^total\b"),
    re.compile(r"^rest of\b"),
    re.compile(r"\bcountries\b"),
    re.compile(r"\(27\)|\(28\)"),
    re.compile(
        r"\(un sdg\)|\(sids\)|^developing regions$|annex b$|^statistical differences?$|^antarctic fisheries$"
    ),
)
#: Codes some publishers use for a country greenbri codes differently (the World Bank's Kosovo).
CODE_ALIASES = {"XKX": "KOS"}
#: ISO 3166-3 codes of states that no longer exist.
HISTORICAL_CODES = frozenset({"ANT", "SCG", "CSK", "SUN", "YUG", "DDR"})


@dataclass(frozen=True)
class EntityClass:
    """What a row's entity is: ``kind`` (one of :data:`ENTITY_KINDS`) and its code (ISO3 for countries)."""

    kind: str
    code: str
    is_world: bool = False


def normalise_name(name: str) -> str:
    """Lower case, straight apostrophes, single spaces: the key names are matched on."""
    text = name.replace("\u2019", "'").replace("\u00a0", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def _is_aggregate_name(key: str) -> bool:
    return key in _AGGREGATE_NAMES or any(pattern.search(key) for pattern in _AGGREGATE_PATTERNS)


def classify_entity(
    code: str,
    name: str,
    *,
    countries: Collection[str],
    names: dict[str, str] | None = None,
) -> EntityClass:
    """Classify one entity by its code (if any) and name.

    Parameters
    ----------
    code
        The row's code: ISO 3166-1 alpha-3, a World Bank aggregate code, an ``OWID_`` code, or ''.
    name
        The row's entity name (used when the code is empty or unknown).
    countries
        The ISO3 codes greenbri treats as countries or territories.
    names
        Normalised name -> ISO3, for rows without a usable code.
    """
    clean = CODE_ALIASES.get(code.strip().upper(), code.strip().upper())
    key = normalise_name(name)
    if clean in HISTORICAL_CODES:
        return EntityClass("historical", clean)
    if clean in WORLD_CODES or (not clean and key in WORLD_NAMES):
        return EntityClass("aggregate", clean or "WORLD", is_world=True)
    if clean in countries:
        return EntityClass("country", clean)
    if clean.startswith("OWID_"):
        own = clean.removeprefix("OWID_")
        if own in countries:  # OWID_KOS is Kosovo, which greenbri codes KOS
            return EntityClass("country", own)
        kind = "historical" if key in HISTORICAL_ENTITIES else "aggregate"
        return EntityClass(kind, clean)
    if clean in WORLD_BANK_AGGREGATES:
        return EntityClass("aggregate", clean)
    if key in HISTORICAL_ENTITIES:
        return EntityClass("historical", clean or key)
    if names is not None and key in names:
        return EntityClass("country", names[key])
    if _is_aggregate_name(key):
        return EntityClass("aggregate", clean or key)
    return EntityClass("unknown", clean or key)
