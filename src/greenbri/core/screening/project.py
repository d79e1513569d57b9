"""A project to screen, and how to build one from a plain record.

A :class:`Project` is what the screening rules look at: its sector and sub-type, capacity with
its unit, fuel, status, host country, money (with currency), how it is financed, its
geometry (EPSG:4326 longitude/latitude, or ``None`` for tabular inputs), the mitigation
measures it declares and the stack-emission figures it reports.

:func:`project_from_mapping` turns a record (a row of a table, a parsed JSON object) into a
project, refusing unknown fields and unknown codes with an
:class:`~greenbri.core.errors.InputError` that names the field and lists the allowed values.

Record fields (``*`` required)::

    id*, name*, sector*, status*, country*       sector/status: vocabulary codes; country: ISO 3166-1 alpha-3
    sub_type                                     free text, e.g. "supercritical", "clinker", "steel"
    capacity, capacity_unit                      both or neither; unit one of CAPACITY_UNITS
    fuel                                         a Fuel code
    investment_amount, investment_currency       total project capital cost; ISO 4217 currency
    financing_type                               a FinancingType code
    loan_amount, institution_commitment,         total aggregate loan, the financier's own share
    loan_currency, tenor_years                   (before syndication) and the loan tenor
    geometry                                     shapely geometry, GeoJSON mapping or WKT; EPSG:4326
    mitigation_measures                          list of MitigationMeasure codes (or "a;b" text)
    stack_emissions                              list of {pollutant, value, unit, averaging,
                                                 statistic?, reference_conditions?, applies_to?}
    capacity_factor, net_efficiency              project-specific values in (0, 1], if known
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from greenbri.core.errors import CoordinateRangeError, GeometryError, InputError
from greenbri.core.screening.vocabulary import (
    CAPACITY_UNITS,
    FinancingType,
    Fuel,
    MitigationMeasure,
    Sector,
    Status,
    allowed,
    parse_code,
)
from greenbri.core.standards.vocabulary import AVERAGING_PERIODS, POLLUTANTS, STATISTICS, UNITS

__all__ = ["Financing", "Money", "Project", "Quantity", "StackEmission", "project_from_mapping"]

_ISO3 = re.compile(r"^[A-Z]{3}$")
E = TypeVar("E", FinancingType, Fuel, MitigationMeasure, Sector, Status)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit (``600 MW``, ``120 km``)."""

    value: float
    unit: str


@dataclass(frozen=True)
class Money:
    """An amount with its ISO 4217 currency code. Nothing converts currencies implicitly."""

    amount: float
    currency: str


@dataclass(frozen=True)
class Financing:
    """How the project is financed, with what the Equator Principles scope needs.

    ``total_loan`` is the total aggregate loan amount; ``institution_commitment`` the screening
    institution's individual commitment before syndication or sell-down; ``tenor_years`` the
    loan tenor. ``type`` is ``None`` when unknown.
    """

    type: FinancingType | None = None
    total_loan: Money | None = None
    institution_commitment: Money | None = None
    tenor_years: float | None = None


@dataclass(frozen=True)
class StackEmission:
    """One stack-emission figure reported for the project (e.g. from its ESIA).

    Codes are those of the standards vocabulary (:mod:`greenbri.core.standards.vocabulary`):
    ``pollutant`` (``so2``, ``nox``, ``pm``...), ``unit`` (``mg/Nm3``...), ``averaging``
    (``operating`` when the source states none) and ``statistic``. ``applies_to`` names the
    scope of limits it should be compared with (``boiler_solid_fuels``...), or ``""``.
    """

    pollutant: str
    value: float
    unit: str
    averaging: str
    statistic: str = "not_stated"
    reference_conditions: str = ""
    applies_to: str = ""


@dataclass(frozen=True)
class Project:
    """A project as the screening rules see it. See the module docstring for the fields."""

    id: str
    name: str
    sector: Sector
    status: Status
    country: str
    sub_type: str = ""
    capacity: Quantity | None = None
    fuel: Fuel | None = None
    investment: Money | None = None
    financing: Financing = Financing()
    geometry: BaseGeometry | None = None
    mitigation_measures: tuple[MitigationMeasure, ...] = ()
    stack_emissions: tuple[StackEmission, ...] = ()
    capacity_factor: float | None = None
    net_efficiency: float | None = None


_REQUIRED = ("id", "name", "sector", "status", "country")
_OPTIONAL = (
    "sub_type",
    "capacity",
    "capacity_unit",
    "fuel",
    "investment_amount",
    "investment_currency",
    "financing_type",
    "loan_amount",
    "institution_commitment",
    "loan_currency",
    "tenor_years",
    "geometry",
    "mitigation_measures",
    "stack_emissions",
    "capacity_factor",
    "net_efficiency",
)
_STACK_REQUIRED = ("pollutant", "value", "unit", "averaging")
_STACK_OPTIONAL = ("statistic", "reference_conditions", "applies_to")


class _Record:
    """Reads one record, naming the project and field in every error."""

    def __init__(self, record: Mapping[str, Any], source: str | None) -> None:
        self.data = record
        self.source = source
        self.label = f"project {record.get('id')!r}" if record.get("id") not in (None, "") else "project"

    def fail(self, key: str, message: str, hint: str | None = None) -> NoReturn:
        raise InputError(message, source=self.source, location=f"{self.label}, field {key!r}", hint=hint)

    def missing(self, key: str) -> bool:
        value = self.data.get(key)
        return value is None or (isinstance(value, str) and not value.strip()) or _is_nan(value)

    def text(self, key: str) -> str:
        if self.missing(key):
            return ""
        value = self.data[key]
        if not isinstance(value, str | int):
            self.fail(key, f"must be text, not {value!r}.")
        return str(value).strip()

    def code(self, key: str, enum_type: type[E]) -> E | None:
        if self.missing(key):
            return None
        value = parse_code(enum_type, self.text(key))
        if value is None:
            self.fail(key, f"unknown code {self.data[key]!r}.", hint=f"use one of: {allowed(enum_type)}.")
        return value

    def number(self, key: str, *, positive: bool = False, fraction: bool = False) -> float | None:
        if self.missing(key):
            return None
        raw = self.data[key]
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = float(raw)
        except (TypeError, ValueError):
            self.fail(key, f"must be a number, not {raw!r}.")
        if not math.isfinite(value):
            self.fail(key, f"must be a finite number, not {raw!r}.")
        if fraction and not 0 < value <= 1:
            self.fail(key, f"must be a fraction in (0, 1], not {value!r}.", hint="give 0.85 for 85%.")
        if positive and value < 0:
            self.fail(key, f"must not be negative, not {value!r}.")
        return value

    def currency(self, key: str) -> str:
        code = self.text(key).upper()
        if not re.match(r"^[A-Z]{3}$", code):
            self.fail(
                key,
                f"must be an ISO 4217 currency code, not {self.data.get(key)!r}.",
                hint="e.g. USD, CNY, EUR.",
            )
        return code


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _check_keys(reader: _Record) -> None:
    for key in reader.data:
        if key not in _REQUIRED + _OPTIONAL:
            reader.fail(key, "unknown field.", hint=f"allowed fields: {', '.join(_REQUIRED + _OPTIONAL)}.")
    for key in _REQUIRED:
        if reader.missing(key):
            reader.fail(key, "the required field is missing or empty.")


def _required_code(reader: _Record, key: str, enum_type: type[E]) -> E:
    value = reader.code(key, enum_type)
    if value is None:  # pragma: no cover - _check_keys has refused a missing required field
        reader.fail(key, "the required field is missing or empty.")
    return value


def _capacity(reader: _Record) -> Quantity | None:
    value = reader.number("capacity", positive=True)
    unit = reader.text("capacity_unit")
    if value is None and not unit:
        return None
    if value is None or not unit:
        reader.fail(
            "capacity" if value is None else "capacity_unit", "capacity and capacity_unit go together."
        )
    if unit not in CAPACITY_UNITS:
        reader.fail(
            "capacity_unit", f"unknown unit {unit!r}.", hint=f"use one of: {', '.join(CAPACITY_UNITS)}."
        )
    return Quantity(value, unit)


def _money(reader: _Record, amount_key: str, currency_key: str) -> Money | None:
    amount = reader.number(amount_key, positive=True)
    if amount is None:
        return None
    if reader.missing(currency_key):
        reader.fail(
            currency_key,
            f"{amount_key} is given without a currency.",
            hint="give an ISO 4217 code, e.g. USD.",
        )
    return Money(amount, reader.currency(currency_key))


def _financing(reader: _Record) -> Financing:
    return Financing(
        type=reader.code("financing_type", FinancingType),
        total_loan=_money(reader, "loan_amount", "loan_currency"),
        institution_commitment=_money(reader, "institution_commitment", "loan_currency"),
        tenor_years=reader.number("tenor_years", positive=True),
    )


def _geometry(reader: _Record) -> BaseGeometry | None:
    if reader.missing("geometry"):
        return None
    raw = reader.data["geometry"]
    try:
        if isinstance(raw, BaseGeometry):
            geometry = raw
        elif isinstance(raw, str):
            geometry = shapely.from_wkt(raw)
        elif isinstance(raw, Mapping):
            geometry = shape(raw)
        else:
            raise TypeError(type(raw).__name__)
    except (TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as error:
        raise GeometryError(
            f"cannot read the geometry ({error}).",
            source=reader.source,
            location=f"{reader.label}, field 'geometry'",
            hint="give a shapely geometry, a GeoJSON geometry object or WKT, in EPSG:4326.",
        ) from None
    return _checked_geometry(reader, geometry)


def _checked_geometry(reader: _Record, geometry: BaseGeometry) -> BaseGeometry:
    where = f"{reader.label}, field 'geometry'"
    if geometry.is_empty:
        raise GeometryError("the geometry is empty.", source=reader.source, location=where)
    if not geometry.is_valid:
        raise GeometryError(
            f"the geometry is invalid ({shapely.is_valid_reason(geometry)}).",
            source=reader.source,
            location=where,
            hint="repair it on import (greenbri repairs imported layers) or fix the source.",
        )
    min_x, min_y, max_x, max_y = geometry.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise CoordinateRangeError(
            f"coordinates fall outside longitude -180..180 / latitude -90..90 (bounds {geometry.bounds}).",
            source=reader.source,
            location=where,
            hint="give longitude/latitude in EPSG:4326, longitude first.",
        )
    return geometry


def _listed(reader: _Record, key: str) -> list[Any]:
    if reader.missing(key):
        return []
    raw = reader.data[key]
    if isinstance(raw, str):
        return [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
    if isinstance(raw, Sequence):
        return list(raw)
    reader.fail(key, f"must be a list, not {raw!r}.")


def _measures(reader: _Record) -> tuple[MitigationMeasure, ...]:
    measures = []
    for item in _listed(reader, "mitigation_measures"):
        measure = parse_code(MitigationMeasure, item)
        if measure is None:
            reader.fail(
                "mitigation_measures",
                f"unknown measure {item!r}.",
                hint=f"use: {allowed(MitigationMeasure)}.",
            )
        measures.append(measure)
    return tuple(sorted(set(measures)))


def _stack_emission(reader: _Record, index: int, raw: Any) -> StackEmission:
    key = f"stack_emissions[{index}]"
    if not isinstance(raw, Mapping):
        reader.fail(key, f"must be an object, not {raw!r}.")
    item = _Record(raw, reader.source)
    item.label = f"{reader.label}, {key}"
    for name in raw:
        if name not in _STACK_REQUIRED + _STACK_OPTIONAL:
            item.fail(
                name, "unknown field.", hint=f"allowed: {', '.join(_STACK_REQUIRED + _STACK_OPTIONAL)}."
            )
    for name, vocabulary in (("pollutant", POLLUTANTS), ("unit", UNITS), ("averaging", AVERAGING_PERIODS)):
        if item.text(name) not in vocabulary:
            item.fail(name, f"unknown code {raw.get(name)!r}.", hint=f"use one of: {', '.join(vocabulary)}.")
    statistic = item.text("statistic") or "not_stated"
    if statistic not in STATISTICS:
        item.fail("statistic", f"unknown code {statistic!r}.", hint=f"use one of: {', '.join(STATISTICS)}.")
    value = item.number("value", positive=True)
    if value is None:
        item.fail("value", "the value is missing.")
    return StackEmission(
        pollutant=item.text("pollutant"),
        value=value,
        unit=item.text("unit"),
        averaging=item.text("averaging"),
        statistic=statistic,
        reference_conditions=item.text("reference_conditions"),
        applies_to=item.text("applies_to"),
    )


def project_from_mapping(record: Mapping[str, Any], *, source: str | None = None) -> Project:
    """Build a :class:`Project` from a record, checking every field.

    Parameters
    ----------
    record
        The fields listed in the module docstring. Empty strings, ``None`` and NaN count as missing.
    source
        The input's name (a file name), repeated in error messages.

    Raises
    ------
    InputError
        Naming the project and the field, with the allowed values: an unknown field, a missing
        required field, an unknown code, a number out of range, a capacity without unit, an amount
        without currency. :class:`~greenbri.core.errors.GeometryError` and
        :class:`~greenbri.core.errors.CoordinateRangeError` for unusable geometries.
    """
    reader = _Record(record, source)
    _check_keys(reader)
    country = reader.text("country").upper()
    if not _ISO3.match(country):
        reader.fail(
            "country", f"must be an ISO 3166-1 alpha-3 code, not {record.get('country')!r}.", hint="e.g. BWA."
        )
    stack = tuple(
        _stack_emission(reader, index, raw) for index, raw in enumerate(_listed(reader, "stack_emissions"))
    )
    return Project(
        id=reader.text("id"),
        name=reader.text("name"),
        sector=_required_code(reader, "sector", Sector),
        status=_required_code(reader, "status", Status),
        country=country,
        sub_type=reader.text("sub_type"),
        capacity=_capacity(reader),
        fuel=reader.code("fuel", Fuel),
        investment=_money(reader, "investment_amount", "investment_currency"),
        financing=_financing(reader),
        geometry=_geometry(reader),
        mitigation_measures=_measures(reader),
        stack_emissions=stack,
        capacity_factor=reader.number("capacity_factor", fraction=True),
        net_efficiency=reader.number("net_efficiency", fraction=True),
    )
