"""Concentration units, reference conditions and averaging periods, with the sources of every constant.

A mass concentration (µg/m³) only means something together with the temperature and
pressure the volume refers to; a mixing ratio (ppb = nmol/mol) does not depend on them.
This module converts between the two through the ideal-gas molar volume
``V_m = R·T/p`` at reference conditions the caller *states*; it never guesses them.

* :func:`convert` converts arrays between ``ug/m3``, ``mg/m3``, ``ng/m3``, ``mg/Nm3``,
  ``ppb`` and ``ppm``.
* :func:`change_reference_conditions` re-expresses a gaseous mass concentration given at
  one reference state at another (for example GB 3095-2012 before and after its 2018
  amendment).
* :data:`REFERENCE_CONDITIONS` holds the reference states of the standards greenbri
  uses, each with its citation; :data:`MOLAR_MASSES` the pollutants whose molar mass is
  known, computed from IUPAC atomic weights.
* :class:`AveragingPeriod` is the vocabulary of averaging periods, and
  :func:`check_averaging` refuses to compare a value with a limit of another period.

Every constant carries a :class:`Citation`; ``verified`` says whether the value was
checked against the cited text (or a faithful copy of it) when it was written down.
See ``docs/methodology/units-and-averaging.md``.

Examples
--------
>>> import numpy as np
>>> round(float(convert(1.0, "ppb", "ug/m3", pollutant="so2", conditions="us-epa")), 4)
2.6183
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.errors import InputError

__all__ = [
    "AVOGADRO_CONSTANT_PER_MOL",
    "BOLTZMANN_CONSTANT_J_PER_K",
    "GAS_CONSTANT_CITATION",
    "GAS_CONSTANT_J_PER_MOL_K",
    "MOLAR_MASSES",
    "REFERENCE_CONDITIONS",
    "STANDARD_ATOMIC_WEIGHTS",
    "UNITS",
    "AveragingPeriod",
    "Citation",
    "ConcentrationUnit",
    "MolarMass",
    "ReferenceConditions",
    "change_reference_conditions",
    "check_averaging",
    "convert",
    "molar_mass",
    "parse_averaging",
    "parse_unit",
    "reference_conditions",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Citation:
    """Where a constant or rule comes from.

    Parameters
    ----------
    document
        The document, with its edition or date.
    clause
        The clause, table or section inside it.
    verified
        How the value was checked when it was written down: ``"text"`` (read in the
        document or a faithful copy), ``"secondary"`` (read in a source that quotes or
        applies the document), or ``"recalled"`` (not checked; treat as uncertain).
    note
        Anything a reader needs to apply the value correctly.
    """

    document: str
    clause: str
    verified: str
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.document}, {self.clause} (verified: {self.verified})"
        return f"{text}; {self.note}" if self.note else text


# --------------------------------------------------------------------------------------
# Physical constants
# --------------------------------------------------------------------------------------

_SI_BROCHURE = Citation(
    "BIPM, The International System of Units (SI Brochure), 9th edition, 2019",
    "Table 1, the seven defining constants",
    verified="recalled",
    note="exact by definition since 20 May 2019; CODATA 2018 lists R = 8.314 462 618... J/(mol K) as exact",
)

#: Avogadro constant, exact (SI 2019).
AVOGADRO_CONSTANT_PER_MOL = 6.02214076e23
#: Boltzmann constant, exact (SI 2019).
BOLTZMANN_CONSTANT_J_PER_K = 1.380649e-23
#: Molar gas constant R = N_A·k, exact since the 2019 SI redefinition
#: (CODATA 2018: 8.314 462 618... J/(mol·K)).
GAS_CONSTANT_J_PER_MOL_K = AVOGADRO_CONSTANT_PER_MOL * BOLTZMANN_CONSTANT_J_PER_K
GAS_CONSTANT_CITATION = _SI_BROCHURE

_ATOMIC_WEIGHTS_CITATION = Citation(
    "CIAAW/IUPAC, Standard Atomic Weights 2021 (Prohaska et al., Pure Appl. Chem. 94 (2022) 573-600)",
    "abridged standard atomic weights (five significant figures)",
    verified="secondary",
    note=(
        "the interval values were read on ciaaw.org (H [1.00784, 1.00811], C [12.0096, 12.0116], "
        "N [14.00643, 14.00728], O [15.99903, 15.99977], S [32.059, 32.076]); the abridged values "
        "used here lie inside those intervals but the abridged table itself was not re-read"
    ),
)

#: Abridged standard atomic weights (CIAAW 2021), g/mol, for the elements greenbri needs.
STANDARD_ATOMIC_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"H": 1.0080, "C": 12.011, "N": 14.007, "O": 15.999, "S": 32.06}
)


@dataclass(frozen=True)
class MolarMass:
    """A pollutant's molar mass, computed from its formula and the atomic weights."""

    pollutant: str
    formula: tuple[tuple[str, int], ...]
    grams_per_mol: float
    citation: Citation
    note: str = ""


def _molar_mass(pollutant: str, formula: tuple[tuple[str, int], ...], note: str = "") -> MolarMass:
    grams = sum(STANDARD_ATOMIC_WEIGHTS[element] * count for element, count in formula)
    return MolarMass(pollutant, formula, grams, _ATOMIC_WEIGHTS_CITATION, note)


_NOX_NOTE = (
    "NOx is expressed as NO2: Directive 2008/50/EC Art. 2(24) defines oxides of nitrogen as the sum of "
    "the mixing ratios of NO and NO2 expressed in mass units of NO2 (recalled, not re-read)"
)

#: Molar masses (g/mol) of the gaseous pollutants greenbri converts, keyed by pollutant id.
MOLAR_MASSES: Mapping[str, MolarMass] = MappingProxyType(
    {
        "so2": _molar_mass("so2", (("S", 1), ("O", 2))),
        "no2": _molar_mass("no2", (("N", 1), ("O", 2))),
        "no": _molar_mass("no", (("N", 1), ("O", 1))),
        "nox": _molar_mass("nox", (("N", 1), ("O", 2)), _NOX_NOTE),
        "co": _molar_mass("co", (("C", 1), ("O", 1))),
        "o3": _molar_mass("o3", (("O", 3),)),
        "nh3": _molar_mass("nh3", (("N", 1), ("H", 3))),
        "h2s": _molar_mass("h2s", (("H", 2), ("S", 1))),
        "c6h6": _molar_mass("c6h6", (("C", 6), ("H", 6)), "benzene"),
    }
)

_POLLUTANT_ALIASES: Mapping[str, str] = MappingProxyType({"benzene": "c6h6", "no_x": "nox"})

#: Pollutants that are mixtures of particles: a mixing ratio means nothing for them.
_PARTICULATE = frozenset({"pm2.5", "pm25", "pm10", "tsp", "pb", "bap", "black-carbon"})


def molar_mass(pollutant: str) -> MolarMass:
    """Return the molar mass of ``pollutant`` (``"so2"``, ``"NO2"``, ``"benzene"``...).

    Raises
    ------
    InputError
        The pollutant has no molar mass here (particulate matter, or an unknown id).
    """
    key = pollutant.strip().lower()
    key = _POLLUTANT_ALIASES.get(key, key)
    if key in MOLAR_MASSES:
        return MOLAR_MASSES[key]
    known = ", ".join(sorted(MOLAR_MASSES))
    if key in _PARTICULATE:
        raise InputError(
            f"{pollutant} is particulate matter, a mixture without a molar mass, so it has no mixing ratio.",
            hint="keep particulate matter in mass units (ug/m3 or mg/m3).",
        )
    raise InputError(
        f"No molar mass is known for pollutant {pollutant!r}.",
        hint=f"use one of: {known}.",
    )


# --------------------------------------------------------------------------------------
# Reference conditions
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceConditions:
    """The temperature and pressure that the volume of a mass concentration refers to."""

    name: str
    temperature_k: float
    pressure_kpa: float
    citation: Citation | None = None

    def __post_init__(self) -> None:
        if not (self.temperature_k > 0 and self.pressure_kpa > 0):
            raise InputError(
                f"Reference conditions {self.name!r} need a positive temperature and pressure, "
                f"got {self.temperature_k} K and {self.pressure_kpa} kPa.",
                hint="give the absolute temperature in kelvin and the pressure in kPa.",
            )

    @property
    def molar_volume_l_per_mol(self) -> float:
        """Ideal-gas molar volume R·T/p in litres per mole (J/kPa = L)."""
        return GAS_CONSTANT_J_PER_MOL_K * self.temperature_k / self.pressure_kpa

    def same_state(self, other: ReferenceConditions) -> bool:
        """Whether both describe the same temperature and pressure (names aside)."""
        return self.temperature_k == other.temperature_k and self.pressure_kpa == other.pressure_kpa


_CN_2018 = ReferenceConditions(
    "cn-gb3095-2018",
    298.15,
    101.325,
    Citation(
        "GB 3095-2012 Ambient air quality standards, amendment sheet (MEE/SAMR announcement 2018 No. 29), in force 2018-09-01",
        "clause 3.14 as amended: reference state 298.15 K, 1013.25 hPa",
        verified="text",
        note=(
            "applies to SO2, NO2, CO, O3 and NOx; PM10, PM2.5, TSP, Pb and BaP are at the actual "
            "temperature and pressure during monitoring"
        ),
    ),
)
_CN_2012 = ReferenceConditions(
    "cn-gb3095-2012",
    273.0,
    101.325,
    Citation(
        "GB 3095-2012 Ambient air quality standards (as published 2012-02-29, before the 2018 amendment)",
        "clause 3.14 standard state: 273 K, 101.325 kPa",
        verified="text",
        note="the text says 273 K, not 273.15 K; kept as written. Replaced by the 2018 reference state",
    ),
)
_US = ReferenceConditions(
    "us-epa",
    298.15,
    101.325,
    Citation(
        "US 40 CFR 50.3 Reference conditions (as amended 89 FR 10365)",
        "25 °C and 760 mm Hg (1,013.2 millibars)",
        verified="text",
        note=(
            "25 °C = 298.15 K by the definition of the Celsius scale; 760 mm Hg = 101.325 kPa by the "
            "definition of the standard atmosphere (the CFR's 1,013.2 mbar is that value rounded). "
            "Not for PM2.5 or lead, which are at actual conditions"
        ),
    ),
)
_EU = ReferenceConditions(
    "eu-2008-50",
    293.0,
    101.3,
    Citation(
        "Directive 2008/50/EC on ambient air quality",
        "Annex VI, section C (standardisation): gaseous pollutants at 293 K and 101,3 kPa",
        verified="secondary",
        note=(
            "wording read in the UK transposition of the ozone rules (293K and 101.3kPa), not in the "
            "Directive itself; the text says 293 K, not 293.15 K, and is kept as written. Particulate "
            "matter is at ambient conditions"
        ),
    ),
)
_NORMAL = ReferenceConditions(
    "normal",
    273.15,
    101.325,
    Citation(
        "DIN 1343:1990 Reference conditions, normal conditions, normal volume",
        "normal temperature 273.15 K, normal pressure 101325 Pa",
        verified="recalled",
        note=(
            "the 'N' of mg/Nm3. Emission regulations state their own normal state, which may differ in the "
            "last digit (e.g. 273 K or 101.3 kPa); pass that state explicitly with mg/m3 when it matters"
        ),
    ),
)

#: Reference conditions by id.
REFERENCE_CONDITIONS: Mapping[str, ReferenceConditions] = MappingProxyType(
    {c.name: c for c in (_CN_2018, _CN_2012, _US, _EU, _NORMAL)}
)


def reference_conditions(conditions: ReferenceConditions | str) -> ReferenceConditions:
    """Resolve a preset id (see :data:`REFERENCE_CONDITIONS`) or pass conditions through."""
    if isinstance(conditions, ReferenceConditions):
        return conditions
    key = conditions.strip().lower()
    if key in REFERENCE_CONDITIONS:
        return REFERENCE_CONDITIONS[key]
    known = ", ".join(sorted(REFERENCE_CONDITIONS))
    raise InputError(
        f"Unknown reference conditions {conditions!r}.",
        hint=f"use one of: {known}, or ReferenceConditions(name, temperature_k, pressure_kpa).",
    )


# --------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcentrationUnit:
    """A concentration unit: its kind, its factor to the kind's base unit, its own conditions.

    ``kind`` is ``"mass"`` (base µg/m³) or ``"mixing_ratio"`` (base nmol/mol = ppb).
    ``conditions`` is set only for units that carry their reference state in their name
    (``mg/Nm3``).
    """

    symbol: str
    kind: str
    to_base: float
    conditions: ReferenceConditions | None = None


UNITS: Mapping[str, ConcentrationUnit] = MappingProxyType(
    {
        "ug/m3": ConcentrationUnit("ug/m3", "mass", 1.0),
        "mg/m3": ConcentrationUnit("mg/m3", "mass", 1e3),
        "ng/m3": ConcentrationUnit("ng/m3", "mass", 1e-3),
        "mg/Nm3": ConcentrationUnit("mg/Nm3", "mass", 1e3, _NORMAL),
        "ppb": ConcentrationUnit("ppb", "mixing_ratio", 1.0),
        "ppm": ConcentrationUnit("ppm", "mixing_ratio", 1e3),
    }
)

_UNIT_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "µg/m3": "ug/m3",  # micro sign U+00B5
        "μg/m3": "ug/m3",  # Greek mu U+03BC
        "ug/m^3": "ug/m3",
        "mg/m^3": "mg/m3",
        "ng/m^3": "ng/m3",
        "mg/Nm^3": "mg/Nm3",
        "nmol/mol": "ppb",
        "umol/mol": "ppm",
        "µmol/mol": "ppm",
        "μmol/mol": "ppm",
        "ppbv": "ppb",
        "ppmv": "ppm",
    }
)


def _unit_lookup() -> Mapping[str, str]:
    table = {symbol.lower(): symbol for symbol in UNITS}
    table.update({alias.lower(): symbol for alias, symbol in _UNIT_ALIASES.items()})
    return MappingProxyType(table)


_UNIT_LOOKUP = _unit_lookup()


def parse_unit(unit: str | ConcentrationUnit) -> ConcentrationUnit:
    """Resolve a unit symbol (``"ug/m3"``, ``"µg/m³"``, ``"PPB"``, ``"mg/Nm3"``...), case-insensitively."""
    if isinstance(unit, ConcentrationUnit):
        return unit
    symbol = _UNIT_LOOKUP.get(unit.strip().replace("³", "3").lower())
    if symbol is None:
        raise InputError(
            f"Unknown concentration unit {unit!r}.",
            hint=f"use one of: {', '.join(UNITS)}.",
        )
    return UNITS[symbol]


def _as_float_array(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _mass_conditions(
    unit: ConcentrationUnit, given: ReferenceConditions | None, role: str
) -> ReferenceConditions | None:
    """The reference state of the mass side: the unit's own, else the one the caller gave."""
    if unit.conditions is None:
        return given
    if given is not None and not given.same_state(unit.conditions):
        raise InputError(
            f"{unit.symbol} is defined at {unit.conditions.temperature_k} K and "
            f"{unit.conditions.pressure_kpa} kPa, but conditions {given.name!r} were given for the {role} side.",
            hint=f"drop the conditions argument, or use mg/m3 with conditions={given.name!r}.",
        )
    return unit.conditions


def _missing_conditions(from_unit: ConcentrationUnit, to_unit: ConcentrationUnit) -> InputError:
    return InputError(
        f"Converting {from_unit.symbol} to {to_unit.symbol} needs the reference temperature and pressure "
        "of the mass concentration, and none were given.",
        hint=(
            "pass conditions= one of "
            + ", ".join(sorted(REFERENCE_CONDITIONS))
            + " (e.g. 'cn-gb3095-2018' for Chinese gaseous pollutants since 2018-09-01)."
        ),
    )


def convert(
    values: ArrayLike,
    from_unit: str | ConcentrationUnit,
    to_unit: str | ConcentrationUnit,
    *,
    pollutant: str | None = None,
    conditions: ReferenceConditions | str | None = None,
) -> FloatArray:
    """Convert concentrations between units, element-wise over any array shape.

    Parameters
    ----------
    values
        Concentrations in ``from_unit``; NaN stays NaN.
    from_unit, to_unit
        Unit symbols, see :data:`UNITS`.
    pollutant
        Needed when one side is a mixing ratio (ppb, ppm) and the other a mass unit.
    conditions
        The reference state of the mass concentration (a preset id or
        :class:`ReferenceConditions`). Needed between mass and mixing-ratio units, and
        between ``mg/Nm3`` and another mass unit; ``mg/Nm3`` carries its own state.

    Returns
    -------
    numpy.ndarray
        float64 array of the same shape, in ``to_unit``.

    Notes
    -----
    ``c[µg/m³] = x[ppb] · M[g/mol] / V_m[L/mol]`` with ``V_m = R·T/p``. Between two mass
    units without their own state (µg/m³ ↔ mg/m³) both sides are at the same, unstated,
    conditions and only the factor 1000 applies.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    given = None if conditions is None else reference_conditions(conditions)
    data = _as_float_array(values)
    base = data * source.to_base
    if source.kind == target.kind == "mixing_ratio":
        return base / target.to_base
    if source.kind == target.kind == "mass":
        return _mass_to_mass(base, source, target, given) / target.to_base
    mass_unit = source if source.kind == "mass" else target
    state = _mass_conditions(mass_unit, given, "mass")
    if state is None:
        raise _missing_conditions(source, target)
    if pollutant is None:
        raise InputError(
            f"Converting {source.symbol} to {target.symbol} needs the pollutant's molar mass.",
            hint=f"pass pollutant= one of {', '.join(sorted(MOLAR_MASSES))}.",
        )
    micrograms_per_m3_per_ppb = molar_mass(pollutant).grams_per_mol / state.molar_volume_l_per_mol
    if source.kind == "mixing_ratio":
        return base * micrograms_per_m3_per_ppb / target.to_base
    return base / micrograms_per_m3_per_ppb / target.to_base


def _mass_to_mass(
    base: FloatArray,
    source: ConcentrationUnit,
    target: ConcentrationUnit,
    given: ReferenceConditions | None,
) -> FloatArray:
    """µg/m³ at the source state to µg/m³ at the target state."""
    if source.conditions is None and target.conditions is None:
        return base
    source_state = source.conditions or given
    target_state = target.conditions or given
    if source_state is None or target_state is None:
        raise _missing_conditions(source, target)
    return base * (source_state.molar_volume_l_per_mol / target_state.molar_volume_l_per_mol)


def change_reference_conditions(
    values: ArrayLike,
    from_conditions: ReferenceConditions | str,
    to_conditions: ReferenceConditions | str,
) -> FloatArray:
    """Re-express a gaseous mass concentration at other reference conditions.

    The amount of gas is the same, so ``c₂ = c₁ · V_m,1 / V_m,2``. Only for gases: a
    particulate mass concentration at actual conditions is not a gas volume.
    """
    source, target = reference_conditions(from_conditions), reference_conditions(to_conditions)
    return _as_float_array(values) * (source.molar_volume_l_per_mol / target.molar_volume_l_per_mol)


# --------------------------------------------------------------------------------------
# Averaging periods
# --------------------------------------------------------------------------------------


class AveragingPeriod(StrEnum):
    """The averaging period a value or a limit is defined over."""

    MINUTES_10 = "10min"
    HOUR_1 = "1h"
    HOUR_8 = "8h"
    DAILY_MAX_8H = "mda8"
    HOUR_24 = "24h"
    MONTH = "month"
    QUARTER = "quarter"
    PEAK_SEASON = "peak-season"
    YEAR = "year"


_PERIOD_ALIASES: Mapping[str, AveragingPeriod] = MappingProxyType(
    {
        "10-minute": AveragingPeriod.MINUTES_10,
        "1-hour": AveragingPeriod.HOUR_1,
        "hourly": AveragingPeriod.HOUR_1,
        "1小时平均": AveragingPeriod.HOUR_1,
        "8-hour": AveragingPeriod.HOUR_8,
        "8小时平均": AveragingPeriod.HOUR_8,
        "maximum-daily-8-hour-mean": AveragingPeriod.DAILY_MAX_8H,
        "max-daily-8h": AveragingPeriod.DAILY_MAX_8H,
        "日最大8小时平均": AveragingPeriod.DAILY_MAX_8H,
        "24-hour": AveragingPeriod.HOUR_24,
        "daily": AveragingPeriod.HOUR_24,
        "1d": AveragingPeriod.HOUR_24,
        "24小时平均": AveragingPeriod.HOUR_24,
        "monthly": AveragingPeriod.MONTH,
        "月平均": AveragingPeriod.MONTH,
        "quarterly": AveragingPeriod.QUARTER,
        "季平均": AveragingPeriod.QUARTER,
        "annual": AveragingPeriod.YEAR,
        "calendar-year": AveragingPeriod.YEAR,
        "1y": AveragingPeriod.YEAR,
        "年平均": AveragingPeriod.YEAR,
    }
)


def parse_averaging(period: str | AveragingPeriod) -> AveragingPeriod:
    """Resolve an averaging period from its id (``"24h"``) or a known alias (``"daily"``)."""
    if isinstance(period, AveragingPeriod):
        return period
    key = period.strip().lower().replace(" ", "-")
    try:
        return AveragingPeriod(key)
    except ValueError:
        pass
    if key in _PERIOD_ALIASES:
        return _PERIOD_ALIASES[key]
    raise InputError(
        f"Unknown averaging period {period!r}.",
        hint=f"use one of: {', '.join(p.value for p in AveragingPeriod)}.",
    )


def check_averaging(
    value_period: str | AveragingPeriod, limit_period: str | AveragingPeriod
) -> AveragingPeriod:
    """Return the common period, or raise when a value and a limit average over different periods.

    A daily mean compared with an annual limit (or an 8-hour running mean with a
    daily-maximum-8-hour limit) is a category error, never a comparison.
    """
    value, limit = parse_averaging(value_period), parse_averaging(limit_period)
    if value is not limit:
        raise InputError(
            f"A value averaged over {value.value!r} cannot be compared with a limit defined over {limit.value!r}.",
            hint=(
                f"aggregate the data to {limit.value!r} first (greenbri.core.averaging), "
                "or pick the limit for the value's period."
            ),
        )
    return value
