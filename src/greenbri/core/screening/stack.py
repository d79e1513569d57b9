"""Compare a project's stack-emission figures with the strictest of host-country, Chinese and IFC limits.

:func:`strictest_stack_check` builds a :data:`StackCheck` from standards the caller has already
loaded (e.g. with :func:`greenbri.adapters.standards_files.load_library`), so the
classification itself never reads files. For each :class:`~greenbri.core.screening.project.StackEmission`
it takes the emission standards in force on the date whose jurisdiction is the project's host
country, China (``CHN``) or the IFC, keeps the limits of the same pollutant, averaging period,
statistic and scope (``applies_to``; a figure without a scope is only compared with limits
without one), drops limits whose reference oxygen content differs from the figure's, and
compares the figure with the binding (lowest) limit using
:func:`greenbri.core.compliance.strictest` and :func:`~greenbri.core.compliance.compare`.

Results say which jurisdictions had no emission standard in the library, so a reviewer sees
what "strictest" covered. Nothing is converted between reference conditions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from greenbri.core.compliance import ComplianceStatus, Converter, Observation, compare, strictest
from greenbri.core.errors import StandardError
from greenbri.core.screening.project import Project, StackEmission
from greenbri.core.standards.model import Limit, Standard, Statistic

__all__ = ["StackCheck", "StackCheckResult", "StackStatus", "strictest_stack_check"]

_O2 = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*O2", re.IGNORECASE)


class StackStatus(StrEnum):
    """The outcome for one stack figure."""

    MEETS = "meets"
    EXCEEDS = "exceeds"
    NO_LIMIT = "no_limit"
    NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True)
class StackCheckResult:
    """One stack figure against the binding limit (or why there is none)."""

    emission: StackEmission
    status: StackStatus
    standard_id: str = ""
    jurisdiction: str = ""
    limit: float | None = None
    limit_unit: str = ""
    citation: str = ""
    considered: tuple[str, ...] = ()
    missing_jurisdictions: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pollutant": self.emission.pollutant,
            "averaging": self.emission.averaging,
            "value": self.emission.value,
            "unit": self.emission.unit,
            "status": self.status.value,
            "standard_id": self.standard_id,
            "jurisdiction": self.jurisdiction,
            "limit": self.limit,
            "limit_unit": self.limit_unit,
            "citation": self.citation,
            "considered": list(self.considered),
            "missing_jurisdictions": list(self.missing_jurisdictions),
            "note": self.note,
        }


#: ``check(project) -> results``: what :func:`~greenbri.core.screening.classify.classify` accepts.
StackCheck = Callable[[Project], Sequence[StackCheckResult]]


def _oxygen(text: str) -> float | None:
    match = _O2.search(text)
    return float(match.group(1)) if match else None


def _comparable(limit: Limit, emission: StackEmission) -> bool:
    same_scope = limit.applies_to == emission.applies_to
    figure, reference = _oxygen(emission.reference_conditions), _oxygen(limit.reference_conditions)
    same_oxygen = figure is None or reference is None or figure == reference
    return (
        same_scope
        and same_oxygen
        and limit.pollutant == emission.pollutant
        and limit.averaging == emission.averaging
        and limit.statistic == Statistic(emission.statistic)
    )


def _check_one(
    emission: StackEmission,
    standards: Sequence[Standard],
    jurisdictions: tuple[str, ...],
    on: date,
    convert: Converter | None,
) -> StackCheckResult:
    considered = tuple(standard.id for standard in standards)
    missing = tuple(
        code for code in jurisdictions if not any(item.jurisdiction == code for item in standards)
    )
    filtered = [
        replace(standard, limits=tuple(limit for limit in standard.limits if _comparable(limit, emission)))
        for standard in standards
    ]
    base = StackCheckResult(
        emission, StackStatus.NO_LIMIT, considered=considered, missing_jurisdictions=missing
    )
    try:
        binding = strictest(
            emission.pollutant,
            emission.averaging,
            on,
            filtered,
            statistic=Statistic(emission.statistic),
            convert=convert,
        )
    except StandardError as error:
        return replace(base, status=StackStatus.NOT_COMPARABLE, note=error.message)
    if binding is None:
        note = "no limit of the same pollutant, averaging, statistic, scope (applies_to) and reference O2 in the standards considered"
        return replace(base, note=note)
    observation = Observation(
        emission.pollutant,
        emission.averaging,
        emission.value,
        emission.unit,
        on,
        statistic=Statistic(emission.statistic),
    )
    try:
        result = compare(observation, binding, convert=convert)
    except StandardError as error:
        return replace(base, status=StackStatus.NOT_COMPARABLE, note=error.message)
    status = StackStatus.EXCEEDS if result.status is ComplianceStatus.EXCEEDS else StackStatus.MEETS
    return replace(
        base,
        status=status,
        standard_id=binding.standard_id,
        jurisdiction=binding.standard.jurisdiction,
        limit=binding.limit.value,
        limit_unit=binding.limit.unit,
        citation=binding.citation,
        note=f"reference conditions of the limit: {binding.limit.reference_conditions}"
        if binding.limit.reference_conditions
        else "",
    )


def strictest_stack_check(
    standards: Iterable[Standard],
    *,
    on: date,
    home_jurisdiction: str = "CHN",
    reference_jurisdiction: str = "IFC",
    convert: Converter | None = None,
) -> StackCheck:
    """A stack check against the strictest of the host country's, ``home_jurisdiction``'s and ``reference_jurisdiction``'s limits.

    Parameters
    ----------
    standards
        The standards to choose from (a :class:`~greenbri.core.standards.StandardLibrary` works);
        only ``kind == "emission"`` standards in force on ``on`` are used.
    on
        The date that selects the standards and limits in force.
    convert
        Unit converter for units other than mass concentrations (see :mod:`greenbri.core.compliance`).
    """
    emission_standards = tuple(
        sorted(
            (item for item in standards if item.kind == "emission" and item.is_in_force(on)),
            key=lambda item: item.id,
        )
    )

    def check(project: Project) -> Sequence[StackCheckResult]:
        jurisdictions = tuple(dict.fromkeys((project.country, home_jurisdiction, reference_jurisdiction)))
        chosen = [item for item in emission_standards if item.jurisdiction in jurisdictions]
        return tuple(
            _check_one(emission, chosen, jurisdictions, on, convert) for emission in project.stack_emissions
        )

    return check
