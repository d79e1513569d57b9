"""Compare observations with the limits of environmental standards, and find the binding limit.

Observations are plain records (:class:`Observation`): pollutant, averaging period,
statistic, value, unit and date. :func:`assess` compares them with every limit of the
chosen standards that applies on the assessment date and returns an :class:`Assessment`:
one :class:`ComplianceResult` per limit and matching observation, with the exceedance
(``True`` when the value breaks the limit: above a maximum, below a minimum), the margin
(value - limit, in the limit's unit) and the ratio (value / limit). A limit that no
observation matches, or whose observation has no value, gets a result with status
``NO_DATA``: missing data is never reported as meeting a limit.

Rules that keep the comparison honest:

* an observation is only compared with a limit of the same pollutant, averaging period and
  statistic; :func:`compare` *refuses* a mismatch (a 24-hour mean against an annual limit)
  with :class:`~greenbri.core.errors.StandardError`, and :func:`assess` never pairs them;
* units must match or convert: mass concentrations per cubic metre (``ng/m3``, ``ug/m3``,
  ``mg/m3``) convert here; anything else (``ppb`` to ``ug/m3`` needs a molar mass and
  reference conditions) needs the caller's ``convert(value, from_unit, to_unit, pollutant)``
  callable, for example one built on :func:`greenbri.core.units.convert`;
* reference conditions (298.15 K vs 293 K...) are *not* adjusted: each limit carries its own
  in ``Limit.reference_conditions``, and results name the limit.

For limits that allow some exceedances per year (EU PM10 24-hour: 35),
:meth:`Assessment.allowance_counts` counts exceedances per calendar year.

:func:`strictest` names the binding limit for a pollutant and averaging period on a date:
the lowest maximum (or the highest minimum), with its standard and clause.

Examples
--------
>>> from datetime import date
>>> from greenbri.core.catalog import Bilingual
>>> from greenbri.core.standards import Limit, Standard, Statistic
>>> annual = Limit("pm25", "year", Statistic("mean"), 5.0, "ug/m3", "<=", "AQG", source="Table 0.1")
>>> who = Standard("who", "WHO", "ambient_air", Bilingual("WHO"), "WHO", "AQG 2021", date(2021, 9, 22),
...                limits=(annual,))
>>> result = assess([Observation("pm25", "year", 7.5, "ug/m3", date(2025, 12, 31))], [who], on=date(2026, 1, 1))
>>> result.results[0].status.value, result.results[0].margin, result.results[0].ratio
('exceeds', 2.5, 1.5)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from greenbri.core.errors import StandardError
from greenbri.core.standards.model import Limit, Standard, StandardLibrary, StandardLimit, Statistic
from greenbri.core.standards.vocabulary import MASS_CONCENTRATION_UNITS

__all__ = [
    "AllowanceCount",
    "Assessment",
    "ComplianceResult",
    "ComplianceStatus",
    "Converter",
    "Observation",
    "assess",
    "compare",
    "convert_to_unit",
    "strictest",
]

#: ``convert(value, from_unit, to_unit, pollutant) -> value`` for units this module cannot convert.
Converter = Callable[[float, str, str, str], float]


@dataclass(frozen=True)
class Observation:
    """One observed value: e.g. the 2025 annual mean of PM2.5 at a site.

    ``value = None`` (or NaN) means the value is missing; it yields ``NO_DATA`` results.
    ``statistic`` says what the value is (default: the mean over ``averaging``); ``date`` is
    the day the value belongs to (for a period, any day in it, conventionally the last).
    """

    pollutant: str
    averaging: str
    value: float | None
    unit: str
    date: date
    statistic: Statistic = field(default_factory=lambda: Statistic("mean"))
    site: str = ""

    @property
    def is_missing(self) -> bool:
        return self.value is None or math.isnan(self.value)


class ComplianceStatus(StrEnum):
    """The outcome of comparing one observation with one limit."""

    MEETS = "meets"
    EXCEEDS = "exceeds"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class ComplianceResult:
    """One limit compared with one observation (or with none: ``NO_DATA``).

    ``value`` is the observation in the limit's unit; ``margin = value - limit`` and
    ``ratio = value / limit``. For a maximum a positive margin is an exceedance; for a
    minimum (dissolved oxygen) a negative margin is.
    """

    standard_id: str
    limit: Limit
    citation: str
    status: ComplianceStatus
    observation: Observation | None = None
    value: float | None = None
    margin: float | None = None
    ratio: float | None = None
    reason: str = ""

    @property
    def exceedance(self) -> bool | None:
        """``True`` if the value breaks the limit, ``False`` if it meets it, ``None`` without data."""
        if self.status is ComplianceStatus.NO_DATA:
            return None
        return self.status is ComplianceStatus.EXCEEDS


@dataclass(frozen=True)
class AllowanceCount:
    """Exceedances of a limit with an allowance (``exceedances_allowed``) in one calendar year.

    ``allowance_exceeded`` is definitive when ``True``. When ``False`` it only covers the
    values given: with ``missing > 0``, or fewer values than periods in the year, it does not
    show that the limit is met.
    """

    standard_id: str
    limit: Limit
    year: int
    exceedances: int
    allowed: int
    values: int
    missing: int

    @property
    def allowance_exceeded(self) -> bool:
        return self.exceedances > self.allowed


@dataclass(frozen=True)
class Assessment:
    """The results of :func:`assess`, sorted by standard id, limit and observation."""

    on: date
    results: tuple[ComplianceResult, ...]
    unmatched: tuple[Observation, ...] = ()
    not_in_force: tuple[str, ...] = ()

    def with_status(self, status: ComplianceStatus) -> tuple[ComplianceResult, ...]:
        return tuple(result for result in self.results if result.status is status)

    def allowance_counts(self) -> tuple[AllowanceCount, ...]:
        """Per limit with an allowance and per calendar year: exceedances counted against it."""
        groups: dict[tuple[str, Limit, int], list[ComplianceResult]] = defaultdict(list)
        for result in self.results:
            if result.limit.exceedances_allowed is not None and result.observation is not None:
                groups[(result.standard_id, result.limit, result.observation.date.year)].append(result)
        counts = [
            AllowanceCount(
                standard_id=standard_id,
                limit=limit,
                year=year,
                exceedances=sum(result.status is ComplianceStatus.EXCEEDS for result in results),
                allowed=limit.exceedances_allowed or 0,
                values=sum(result.status is not ComplianceStatus.NO_DATA for result in results),
                missing=sum(result.status is ComplianceStatus.NO_DATA for result in results),
            )
            for (standard_id, limit, year), results in groups.items()
        ]
        return tuple(
            sorted(counts, key=lambda count: (count.standard_id, count.limit.describe(), count.year))
        )


def convert_to_unit(
    value: float, from_unit: str, to_unit: str, pollutant: str, convert: Converter | None = None
) -> float:
    """``value`` re-expressed in ``to_unit``: mass units here, anything else through ``convert``."""
    if from_unit == to_unit:
        return value
    if from_unit in MASS_CONCENTRATION_UNITS and to_unit in MASS_CONCENTRATION_UNITS:
        return value * MASS_CONCENTRATION_UNITS[from_unit] / MASS_CONCENTRATION_UNITS[to_unit]
    if convert is None:
        raise StandardError(
            f"Cannot compare {pollutant} in {from_unit} with a limit in {to_unit}.",
            hint=(
                "convert the values first, or pass convert=(value, from_unit, to_unit, pollutant) -> value "
                "(e.g. built on greenbri.core.units.convert with the limit's reference conditions)."
            ),
        )
    return float(convert(value, from_unit, to_unit, pollutant))


def _check_comparable(observation: Observation, limit: Limit) -> None:
    for what, seen, wanted in (
        ("pollutant", observation.pollutant, limit.pollutant),
        ("averaging period", observation.averaging, limit.averaging),
        ("statistic", str(observation.statistic), str(limit.statistic)),
    ):
        if seen != wanted:
            raise StandardError(
                f"Refusing to compare a {observation.averaging} {observation.statistic} value of "
                f"{observation.pollutant} with the limit '{limit.describe()}': the {what} differs "
                f"({seen} vs {wanted}).",
                hint=f"compare values of the same {what}; aggregate the observations first if needed.",
            )


def compare(
    observation: Observation, standard_limit: StandardLimit, *, convert: Converter | None = None
) -> ComplianceResult:
    """Compare one observation with one limit.

    Raises
    ------
    StandardError
        If the pollutant, averaging period or statistic differ, or the units cannot be converted.
    """
    limit = standard_limit.limit
    _check_comparable(observation, limit)
    if observation.is_missing or observation.value is None:
        return ComplianceResult(
            standard_limit.standard_id,
            limit,
            standard_limit.citation,
            ComplianceStatus.NO_DATA,
            observation=observation,
            reason="the observed value is missing",
        )
    value = convert_to_unit(observation.value, observation.unit, limit.unit, limit.pollutant, convert)
    return ComplianceResult(
        standard_limit.standard_id,
        limit,
        standard_limit.citation,
        ComplianceStatus.MEETS if limit.is_met_by(value) else ComplianceStatus.EXCEEDS,
        observation=observation,
        value=value,
        margin=value - limit.value,
        ratio=value / limit.value if limit.value != 0 else None,
    )


def _standards_for(
    standards: StandardLibrary | Iterable[Standard], on: date, jurisdictions: Collection[str] | None
) -> tuple[tuple[Standard, ...], tuple[str, ...]]:
    chosen = tuple(standards)
    if jurisdictions is not None:
        chosen = tuple(standard for standard in chosen if standard.jurisdiction in jurisdictions)
    in_force = tuple(standard for standard in chosen if standard.is_in_force(on))
    if isinstance(standards, StandardLibrary):
        return in_force, ()
    return in_force, tuple(standard.id for standard in chosen if not standard.is_in_force(on))


def _matches(observation: Observation, limit: Limit) -> bool:
    return (
        observation.pollutant == limit.pollutant
        and observation.averaging == limit.averaging
        and observation.statistic == limit.statistic
    )


def assess(
    observations: Sequence[Observation],
    standards: StandardLibrary | Iterable[Standard],
    *,
    on: date,
    jurisdictions: Collection[str] | None = None,
    pollutants: Collection[str] | None = None,
    convert: Converter | None = None,
) -> Assessment:
    """Compare ``observations`` with every limit of ``standards`` that applies on ``on``.

    Parameters
    ----------
    observations
        The observed values. Each is compared with every applicable limit of the same
        pollutant, averaging period and statistic; observation dates are reported, not used
        to select limits.
    standards
        The standards to apply, or a :class:`StandardLibrary` (then all its standards in force
        on ``on``). Given standards that are not in force on ``on`` are listed in
        :attr:`Assessment.not_in_force`.
    on
        The assessment date that selects the standards, phases and limits.
    jurisdictions
        Keep only standards of these jurisdictions (``{"CHN", "WHO"}``).
    pollutants
        Keep only limits for these pollutants; by default every limit is reported, so a
        pollutant without observations shows up as ``NO_DATA``.
    convert
        Converter for units other than mass concentrations (see :func:`convert_to_unit`).
    """
    in_force, not_in_force = _standards_for(standards, on, jurisdictions)
    results: list[ComplianceResult] = []
    matched: set[int] = set()
    for standard in in_force:
        for limit in standard.limits_on(on):
            if pollutants is not None and limit.pollutant not in pollutants:
                continue
            standard_limit = StandardLimit(standard, limit)
            hits = [(index, item) for index, item in enumerate(observations) if _matches(item, limit)]
            matched.update(index for index, _ in hits)
            results.extend(compare(item, standard_limit, convert=convert) for _, item in hits)
            if not hits:
                results.append(_no_observation(standard_limit))
    unmatched = tuple(item for index, item in enumerate(observations) if index not in matched)
    return Assessment(on=on, results=tuple(results), unmatched=unmatched, not_in_force=not_in_force)


def _no_observation(standard_limit: StandardLimit) -> ComplianceResult:
    limit = standard_limit.limit
    return ComplianceResult(
        standard_id=standard_limit.standard_id,
        limit=limit,
        citation=standard_limit.citation,
        status=ComplianceStatus.NO_DATA,
        reason=f"no observation of {limit.pollutant} over {limit.averaging} as {limit.statistic}",
    )


def strictest(
    pollutant: str,
    averaging: str,
    on: date,
    standards: StandardLibrary | Iterable[Standard],
    *,
    statistic: Statistic | None = None,
    convert: Converter | None = None,
) -> StandardLimit | None:
    """The binding limit for ``pollutant`` over ``averaging`` on ``on``: the lowest maximum or highest minimum.

    Candidates are all limits of ``standards`` that apply on ``on`` (optionally only those of
    ``statistic``); values are compared in the unit of the first candidate. Ties go to the
    standard id first in alphabetical order. ``None`` if no limit applies.

    Raises
    ------
    StandardError
        If maximum and minimum limits are mixed, or a unit cannot be converted.
    """
    candidates = [
        StandardLimit(standard, limit)
        for standard in sorted(standards, key=lambda item: item.id)
        for limit in standard.limits_on(on)
        if limit.pollutant == pollutant
        and limit.averaging == averaging
        and (statistic is None or limit.statistic == statistic)
    ]
    if not candidates:
        return None
    comparators = {candidate.limit.comparator for candidate in candidates}
    if len(comparators) > 1:
        raise StandardError(
            f"The limits for {pollutant} over {averaging} mix maxima and minima; there is no single strictest one."
        )
    unit = candidates[0].limit.unit

    def in_unit(candidate: StandardLimit) -> float:
        return convert_to_unit(candidate.limit.value, candidate.limit.unit, unit, pollutant, convert)

    if candidates[0].limit.is_maximum:
        return min(candidates, key=in_unit)
    return max(candidates, key=in_unit)
