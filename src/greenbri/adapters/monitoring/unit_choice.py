"""Which unit a parameter is stored in, and the factor from the source's unit.

A source unit is first spelled the greenbri way (``µg/m³`` -> ``ug/m3``, ``°C`` -> ``degC``). If it
can be converted to the parameter's unit in :data:`~greenbri.core.monitoring.readings.PARAMETERS`
without extra assumptions (mass to mass, ppb to ppm: :func:`greenbri.core.units.convert`), it is;
otherwise (ppb to ug/m3 needs a reference temperature and pressure) the source unit is kept and
recorded in each reading's ``unit``. A unit greenbri does not know is refused.
"""

from __future__ import annotations

from greenbri.core.errors import InputError
from greenbri.core.monitoring.readings import PARAMETERS
from greenbri.core.units import UNITS, convert, parse_unit

__all__ = ["normalise_unit", "storage_unit"]

# Spellings of the non-concentration units in PARAMETERS (keys lower case, spaces removed).
_OTHER_UNITS: dict[str, str] = {
    "1": "1",
    "-": "1",
    "degc": "degC",
    "°c": "degC",
    "c": "degC",
    "celsius": "degC",
    "mg/l": "mg/l",
    "umho/cm": "umho/cm",
    "umhos/cm": "umho/cm",
    "µmho/cm": "umho/cm",
    "µmhos/cm": "umho/cm",
    "us/cm": "umho/cm",  # 1 S = 1 mho
    "µs/cm": "umho/cm",
    "mpn/100ml": "MPN/100ml",
}


def normalise_unit(unit: str, *, source: str | None = None, column: str | None = None) -> str:
    """The greenbri spelling of ``unit``; :class:`InputError` when it is not a known unit."""
    text = unit.strip()
    key = text.lower().replace(" ", "")
    if key in _OTHER_UNITS:
        return _OTHER_UNITS[key]
    try:
        return parse_unit(text).symbol
    except InputError:
        known = sorted({*UNITS, *_OTHER_UNITS.values()})
        raise InputError(
            f"Unknown unit {unit!r}.",
            source=source,
            location=f"column {column!r}" if column else None,
            hint=f"give the unit with --unit PARAMETER=UNIT; known units: {', '.join(known)}.",
        ) from None


def storage_unit(parameter: str, unit: str) -> tuple[str, float]:
    """``(unit stored, factor)``: stored value = source value x factor.

    ``unit`` must already be normalised (:func:`normalise_unit`).
    """
    target = PARAMETERS[parameter][2] if parameter in PARAMETERS else unit
    if unit == target:
        return unit, 1.0
    if unit in UNITS and target in UNITS:
        try:
            return target, float(convert(1.0, unit, target))
        except InputError:  # needs reference conditions: keep the source unit
            return unit, 1.0
    return unit, 1.0
