"""Environmental standards as values: a standard, its phases and its limits, and a library of them.

A :class:`Standard` is one document (GB 3095-2012, the WHO 2021 guidelines, 40 CFR part 50...)
with the dates it is in force and, where it is introduced in stages, its :class:`Phase` objects.
Each :class:`Limit` is one number of it: a pollutant, an averaging period, a statistic, a
value with its unit, whether it is a maximum or a minimum, the grade or class it belongs to,
and the table or clause it comes from, with a ``certainty`` that says whether it was checked.

Which limits apply on a date follows three rules, applied together:

1. the standard is in force: ``effective_from <= date <= effective_to`` (open-ended if
   ``effective_to`` is ``None``); a standard with phases is in force only while one of them is;
2. a limit tied to a phase applies only during that phase; a limit with ``phase = None``
   applies during the whole life of the standard;
3. a limit with its own ``effective_from`` / ``effective_to`` (a level revised within the same
   document, such as the US annual PM2.5 standard) applies only between them.

A :class:`StandardLibrary` holds many standards and answers "what is in force on this date"
and "which limits apply to this pollutant and averaging period". Standards are read from
JSON files by :func:`greenbri.core.standards.standard_from_dict` (format in
``docs/methodology/standards.md``); everything here is pure and deterministic.

Examples
--------
>>> from datetime import date
>>> from greenbri.core.catalog import Bilingual
>>> limit = Limit("pm25", "year", Statistic("mean"), 5.0, "ug/m3", "<=", "AQG", source="Table 0.1")
>>> standard = Standard(
...     "example", "WHO", "ambient_air", Bilingual("Example"), "WHO", "doc-1", date(2021, 9, 22),
...     limits=(limit,),
... )
>>> [item.value for item in standard.limits_on(date(2026, 1, 1))]
[5.0]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import StandardError

__all__ = [
    "Limit",
    "Phase",
    "Standard",
    "StandardLibrary",
    "StandardLimit",
    "Statistic",
]


def _covers(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class Statistic:
    """How the values over an averaging period are reduced to the number compared with a limit.

    ``kind`` is a code of :data:`~greenbri.core.standards.vocabulary.STATISTICS`; ``parameter``
    is the percentile (``98`` for the 98th) or the rank (``4`` for the fourth-highest), else ``None``.
    """

    kind: str
    parameter: float | None = None

    def __str__(self) -> str:
        if self.kind == "percentile" and self.parameter is not None:
            return f"percentile {self.parameter:g}"
        if self.kind == "nth_highest" and self.parameter is not None:
            return f"{self.parameter:g}th highest"
        return self.kind


@dataclass(frozen=True)
class Phase:
    """A stage of a standard introduced in steps, with its own dates (``effective_to`` inclusive)."""

    id: str
    name: Bilingual
    effective_from: date
    effective_to: date | None = None

    def covers(self, on: date) -> bool:
        """Whether ``on`` falls within this phase."""
        return _covers(self.effective_from, self.effective_to, on)


@dataclass(frozen=True)
class Limit:
    """One limit value of a standard.

    Parameters
    ----------
    pollutant, averaging, unit, comparator, level
        Codes of the controlled vocabulary (:mod:`greenbri.core.standards.vocabulary`).
    statistic
        How period values are reduced to the compared number.
    value
        The limit value, in ``unit``.
    source
        The table or clause of the document the value comes from (required: no citation, no limit).
    certainty
        ``"confirmed"`` or ``"uncertain"``; an uncertain limit's ``note`` says what source was
        used and why it is uncertain.
    phase
        The id of the :class:`Phase` the limit belongs to, or ``None`` for the whole standard.
    effective_from, effective_to
        Dates of this limit alone when they differ from the standard's (inclusive).
    exceedances_allowed
        How many period values may exceed ``value`` per calendar year (EU PM10: 35), if any.
    years_averaged
        Over how many years the statistic is averaged (US NAAQS design values: 3).
    applies_to
        A narrower scope within the standard (``"lake_reservoir"``, ``"boiler_solid_fuels"``), or ``""``.
    reference_conditions
        Temperature and pressure the concentration refers to, as the source states them.
    """

    pollutant: str
    averaging: str
    statistic: Statistic
    value: float
    unit: str
    comparator: str
    level: str
    source: str
    certainty: str = "confirmed"
    phase: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    exceedances_allowed: int | None = None
    years_averaged: int = 1
    applies_to: str = ""
    reference_conditions: str = ""
    note: str = ""

    @property
    def is_maximum(self) -> bool:
        """Whether the limit is a maximum (``<=``); otherwise it is a minimum (``>=``)."""
        return self.comparator == "<="

    def is_met_by(self, value: float) -> bool:
        """Whether ``value`` (in this limit's unit) meets the limit; equal to the limit meets it."""
        if math.isnan(value):
            raise StandardError("A missing (NaN) value cannot meet or exceed a limit.")
        return value <= self.value if self.is_maximum else value >= self.value

    def describe(self) -> str:
        """A one-line description: ``"pm25 year mean <= 5 ug/m3 (AQG)"``."""
        text = (
            f"{self.pollutant} {self.averaging} {self.statistic} {self.comparator} {self.value:g} {self.unit}"
        )
        qualifiers = [self.level]
        if self.applies_to:
            qualifiers.append(self.applies_to)
        if self.phase:
            qualifiers.append(f"phase {self.phase}")
        return f"{text} ({', '.join(qualifiers)})"


@dataclass(frozen=True)
class Standard:
    """A standard or guideline document and its limits.

    ``id`` is a stable lower-case id (``"cn-gb3095-2012"``); ``jurisdiction`` an ISO 3166-1 alpha-3
    code or ``"WHO"``, ``"EU"``, ``"IFC"``; ``kind`` one of ``ambient_air``, ``surface_water``,
    ``emission``. Dates are inclusive; ``effective_to = None`` means still in force.
    """

    id: str
    jurisdiction: str
    kind: str
    title: Bilingual
    issuing_body: str
    document_number: str
    effective_from: date
    url: str = ""
    effective_to: date | None = None
    phases: tuple[Phase, ...] = ()
    limits: tuple[Limit, ...] = ()
    notes: str = ""

    def covers(self, on: date) -> bool:
        """Whether ``on`` lies between the standard's effective dates."""
        return _covers(self.effective_from, self.effective_to, on)

    def phase_on(self, on: date) -> Phase | None:
        """The phase in force on ``on``, or ``None`` (no phases, or between or outside them)."""
        if not self.covers(on):
            return None
        return next((phase for phase in self.phases if phase.covers(on)), None)

    def phase(self, phase_id: str) -> Phase:
        """The phase with id ``phase_id``."""
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        known = ", ".join(phase.id for phase in self.phases) or "none"
        raise StandardError(f"Standard {self.id!r} has no phase {phase_id!r}.", hint=f"its phases: {known}.")

    def is_in_force(self, on: date) -> bool:
        """Whether the standard is in force on ``on``: within its dates and, if phased, within a phase."""
        if not self.covers(on):
            return False
        return not self.phases or self.phase_on(on) is not None

    def limit_applies(self, limit: Limit, on: date) -> bool:
        """Whether ``limit`` (one of this standard's) applies on ``on`` (see the module docstring)."""
        if not self.is_in_force(on) or not _covers(limit.effective_from, limit.effective_to, on):
            return False
        if limit.phase is None:
            return True
        current = self.phase_on(on)
        return current is not None and current.id == limit.phase

    def limits_on(self, on: date) -> tuple[Limit, ...]:
        """The limits that apply on ``on``, in file order."""
        return tuple(limit for limit in self.limits if self.limit_applies(limit, on))


@dataclass(frozen=True)
class StandardLimit:
    """A limit together with the standard it belongs to, so results can name both."""

    standard: Standard
    limit: Limit

    @property
    def standard_id(self) -> str:
        return self.standard.id

    @property
    def citation(self) -> str:
        """Document and clause: ``"GB 3095-2012, Table 1"``."""
        return f"{self.standard.document_number}, {self.limit.source}"

    def describe(self) -> str:
        return f"{self.standard.id}: {self.limit.describe()} [{self.citation}]"


class StandardLibrary:
    """A set of standards with unique ids, answering questions by date.

    Iterating yields the standards sorted by id, so every answer is deterministic.
    """

    def __init__(self, standards: Iterable[Standard] = ()) -> None:
        by_id: dict[str, Standard] = {}
        for standard in standards:
            if standard.id in by_id:
                raise StandardError(
                    f"Two standards have the id {standard.id!r}.",
                    hint="give every standard file its own id.",
                )
            by_id[standard.id] = standard
        self._by_id = dict(sorted(by_id.items()))

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Standard]:
        return iter(self._by_id.values())

    def __contains__(self, standard_id: object) -> bool:
        return standard_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, standard_id: str) -> Standard:
        """The standard with id ``standard_id``; :class:`StandardError` listing the known ids if absent."""
        try:
            return self._by_id[standard_id]
        except KeyError:
            raise StandardError(
                f"No standard with id {standard_id!r}.",
                hint=f"known standards: {', '.join(self._by_id) or 'none'}.",
            ) from None

    def in_force(self, on: date, jurisdiction: str | None = None) -> tuple[Standard, ...]:
        """The standards in force on ``on`` (honouring phases), optionally for one jurisdiction."""
        return tuple(
            standard
            for standard in self
            if standard.is_in_force(on) and (jurisdiction is None or standard.jurisdiction == jurisdiction)
        )

    def limits_for(
        self, pollutant: str, averaging: str, on: date, *, jurisdiction: str | None = None
    ) -> tuple[StandardLimit, ...]:
        """Every limit for ``pollutant`` over ``averaging`` that applies on ``on``, by standard id."""
        return tuple(
            StandardLimit(standard, limit)
            for standard in self.in_force(on, jurisdiction)
            for limit in standard.limits_on(on)
            if limit.pollutant == pollutant and limit.averaging == averaging
        )
