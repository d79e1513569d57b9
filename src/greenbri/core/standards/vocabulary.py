"""The controlled vocabulary of standard files: every code a standard may use, with its meaning.

A standard file may only use the codes listed here; :func:`greenbri.core.standards.standard_from_dict`
refuses any other. Each mapping goes from the code to a short English description, which
``docs/methodology/standards.md`` repeats. The averaging-period and unit codes are the
same strings :mod:`greenbri.core.units` uses, so values can move between the two modules.

To add a code (a new pollutant a host country regulates, say), add it here with its
description and mention it in the methodology page; data files then may use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "AVERAGING_PERIODS",
    "CERTAINTIES",
    "COMPARATORS",
    "KINDS",
    "LEVELS",
    "MASS_CONCENTRATION_UNITS",
    "POLLUTANTS",
    "REGIONAL_JURISDICTIONS",
    "STATISTICS",
    "UNITS",
    "is_jurisdiction",
]

#: What a standard regulates.
KINDS: Mapping[str, str] = MappingProxyType(
    {
        "ambient_air": "concentrations in ambient (outdoor) air",
        "surface_water": "quality of rivers, lakes and reservoirs",
        "emission": "concentrations in a source's exhaust gas (stack emissions)",
    }
)

#: Pollutants and water-quality items, one code each whatever the medium.
POLLUTANTS: Mapping[str, str] = MappingProxyType(
    {
        # ambient air
        "pm25": "particulate matter, aerodynamic diameter <= 2.5 um (PM2.5)",
        "pm10": "particulate matter, aerodynamic diameter <= 10 um (PM10)",
        "tsp": "total suspended particulates",
        "so2": "sulfur dioxide",
        "no2": "nitrogen dioxide",
        "nox": "nitrogen oxides (expressed as NO2)",
        "co": "carbon monoxide",
        "o3": "ozone",
        "pb": "lead",
        "bap": "benzo[a]pyrene",
        "benzene": "benzene",
        "as": "arsenic",
        "cd": "cadmium",
        "ni": "nickel",
        # stack emissions
        "pm": "particulate matter in exhaust gas (total)",
        # surface water
        "ph": "pH",
        "do": "dissolved oxygen",
        "codmn": "permanganate index (CODMn)",
        "cod": "chemical oxygen demand (COD, dichromate)",
        "bod5": "five-day biochemical oxygen demand (BOD5)",
        "nh3n": "ammonia nitrogen (NH3-N)",
        "tp": "total phosphorus (as P)",
        "tn": "total nitrogen (as N)",
        "cu": "copper",
        "zn": "zinc",
        "fluoride": "fluoride (as F-)",
        "se": "selenium",
        "hg": "mercury",
        "cr6": "hexavalent chromium",
        "cyanide": "cyanide",
        "volatile_phenol": "volatile phenols",
        "petroleum": "petroleum (oils)",
        "anionic_surfactant": "anionic surfactants (LAS)",
        "sulfide": "sulfide",
        "fecal_coliform": "fecal coliform bacteria",
    }
)

#: Averaging periods. The first nine are :class:`greenbri.core.units.AveragingPeriod`'s values.
AVERAGING_PERIODS: Mapping[str, str] = MappingProxyType(
    {
        "10min": "10-minute mean",
        "1h": "1-hour mean",
        "8h": "8-hour mean",
        "mda8": "maximum daily 8-hour mean (the day's highest running 8-hour mean)",
        "24h": "24-hour (daily) mean",
        "month": "monthly mean",
        "quarter": "calendar-quarter mean",
        "peak-season": (
            "ozone peak season: mean of the daily maximum 8-hour means over the six consecutive months "
            "with the highest six-month running mean"
        ),
        "year": "annual (calendar-year) mean",
        "15min": "15-minute mean",
        "rolling-3month": "rolling 3-month mean",
        "grab": "single (grab) water sample, no averaging",
        "operating": "exhaust-gas concentration during normal operation; the source states no averaging period",
    }
)

#: How the values over a period are reduced to the one number compared with the limit.
#: ``percentile`` and ``nth_highest`` take a parameter (the percentile, the rank).
STATISTICS: Mapping[str, str] = MappingProxyType(
    {
        "mean": "the mean over the averaging period (each period's value is compared)",
        "percentile": "the given percentile of the period values in a year",
        "nth_highest": "the n-th highest period value in a year",
        "max": "the highest period value in the compliance period",
        "value": "each single value (a grab sample) is compared",
        "not_stated": "the source states no statistic",
    }
)

#: Statistics that need a numeric parameter.
STATISTICS_WITH_PARAMETER = frozenset({"percentile", "nth_highest"})

#: Units of limit values, with what they measure. Mass concentrations per cubic metre
#: (``ng/m3``, ``ug/m3``, ``mg/m3``) convert into each other without further knowledge;
#: everything else needs the caller's converter.
UNITS: Mapping[str, str] = MappingProxyType(
    {
        "ng/m3": "nanograms per cubic metre",
        "ug/m3": "micrograms per cubic metre",
        "mg/m3": "milligrams per cubic metre",
        "mg/Nm3": "milligrams per normal cubic metre (at the source's stated reference conditions)",
        "ppb": "parts per billion by volume",
        "ppm": "parts per million by volume",
        "mg/L": "milligrams per litre",
        "count/L": "organisms (colony-forming units) per litre",
        "pH": "pH units (dimensionless)",
    }
)

#: Factor to micrograms per cubic metre for the mass-concentration units that convert freely.
MASS_CONCENTRATION_UNITS: Mapping[str, float] = MappingProxyType({"ng/m3": 1e-3, "ug/m3": 1.0, "mg/m3": 1e3})

#: ``<=``: the value must not be above the limit (a maximum). ``>=``: not below it (a minimum,
#: such as dissolved oxygen).
COMPARATORS: Mapping[str, str] = MappingProxyType(
    {
        "<=": "a maximum: the value must not be above the limit",
        ">=": "a minimum: the value must not be below it",
    }
)

#: The grade, class or level of a limit within its standard.
LEVELS: Mapping[str, str] = MappingProxyType(
    {
        "grade_1": "grade I (一级), Chinese ambient air quality standards, class 1 areas",
        "grade_2": "grade II (二级), Chinese ambient air quality standards, class 2 areas",
        "class_I": "water class I (I类)",
        "class_II": "water class II (II类)",
        "class_III": "water class III (III类)",
        "class_IV": "water class IV (IV类)",
        "class_V": "water class V (V类)",
        "AQG": "WHO air quality guideline level",
        "IT-1": "WHO interim target 1",
        "IT-2": "WHO interim target 2",
        "IT-3": "WHO interim target 3",
        "IT-4": "WHO interim target 4",
        "guideline": "guideline value (WHO 2005 guidelines as adopted by IFC)",
        "primary": "US NAAQS primary standard (public health)",
        "secondary": "US NAAQS secondary standard (public welfare)",
        "limit": "EU limit value",
        "indicative_limit": "EU indicative limit value",
        "target": "EU target value",
        "long_term_objective": "EU long-term objective",
        "non_degraded_airshed": "IFC emission guideline for a non-degraded airshed (NDA)",
        "degraded_airshed": "IFC emission guideline for a degraded airshed (DA)",
        "new_unit": "emission limit for new units (Chinese emission standards, e.g. GB 13223-2011 Table 1)",
    }
)

CERTAINTIES: Mapping[str, str] = MappingProxyType(
    {
        "confirmed": "checked against the document or a credible publication of it",
        "uncertain": "not confirmed; the limit's note says what source was used and why it is uncertain",
    }
)

#: Jurisdictions that are not countries. Countries use ISO 3166-1 alpha-3 codes (``CHN``, ``USA``).
REGIONAL_JURISDICTIONS: Mapping[str, str] = MappingProxyType(
    {
        "WHO": "World Health Organization (guidelines, worldwide)",
        "EU": "European Union",
        "IFC": "International Finance Corporation / World Bank Group",
    }
)

_ISO3 = re.compile(r"^[A-Z]{3}$")


def is_jurisdiction(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code (by shape) or one of :data:`REGIONAL_JURISDICTIONS`."""
    return code in REGIONAL_JURISDICTIONS or bool(_ISO3.match(code))
