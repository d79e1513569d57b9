"""The result of screening one project, and its stable JSON form.

A :class:`ScreeningResult` holds the overall class, the three :class:`DimensionResult` objects
(class and reasons each), the exclusion check, the GHG estimate, the EP4 assessment, the
coverage of every receptor role, the stack-check results and the recommended next steps, each
next step with the rules that triggered it.

:meth:`ScreeningResult.to_dict` gives plain JSON data with a fixed layout (documented in
``docs/methodology/screening.md``, ``schema_version`` :data:`SCHEMA_VERSION`); lists are sorted,
so the same inputs give byte-identical JSON with ``json.dumps(..., sort_keys=True)``
(:meth:`ScreeningResult.to_json`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.citation import Citation
from greenbri.core.screening.equator import EquatorAssessment
from greenbri.core.screening.ghg import GhgEstimate
from greenbri.core.screening.hits import Coverage
from greenbri.core.screening.reasons import Reason
from greenbri.core.screening.stack import StackCheckResult
from greenbri.core.screening.vocabulary import Dimension, RiskClass

__all__ = ["SCHEMA_VERSION", "DimensionResult", "ExclusionResult", "NextStepResult", "ScreeningResult"]

#: The version of the JSON layout :meth:`ScreeningResult.to_dict` writes.
SCHEMA_VERSION = 1


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [reason.to_dict() for reason in sorted(reasons, key=Reason.sort_key)]


@dataclass(frozen=True)
class DimensionResult:
    """One dimension: its class, the reasons for it and the evidence it lacked.

    ``known_class`` is the worst class among the findings, whatever is missing; ``risk_class``
    is ``no_data`` when evidence is missing and nothing found is red.
    """

    dimension: Dimension
    risk_class: RiskClass
    known_class: RiskClass
    reasons: tuple[Reason, ...]
    missing: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.risk_class.value,
            "known_class": self.known_class.value,
            "reasons": _reasons(self.reasons),
            "missing_evidence": _reasons(self.missing),
        }


@dataclass(frozen=True)
class ExclusionResult:
    """Whether an exclusion rule applies (``excluded``) or a prudent review is required (``prudent``)."""

    excluded: bool
    prudent: bool
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"excluded": self.excluded, "prudent": self.prudent, "reasons": _reasons(self.reasons)}


@dataclass(frozen=True)
class NextStepResult:
    """A recommended next step and the rules (by id) that triggered it."""

    id: str
    text: Bilingual
    citations: tuple[Citation, ...]
    triggered_by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text.to_dict(),
            "citations": [citation.to_dict() for citation in self.citations],
            "triggered_by": sorted(self.triggered_by),
        }


def _coverage(item: Coverage) -> dict[str, Any]:
    return {
        "receptor_role": item.receptor_role.value,
        "datasets": sorted(item.datasets),
        "covered": item.covered,
        "note": item.note,
    }


@dataclass(frozen=True)
class ScreeningResult:
    """Everything the screening concluded about one project. See the module docstring."""

    project_id: str
    overall: RiskClass
    incomplete: bool
    dimensions: Mapping[Dimension, DimensionResult]
    exclusion: ExclusionResult
    ghg: GhgEstimate
    equator: EquatorAssessment
    coverage: tuple[Coverage, ...]
    stack_checks: tuple[StackCheckResult, ...]
    next_steps: tuple[NextStepResult, ...]
    rules_digest: str

    def dimension(self, dimension: Dimension) -> DimensionResult:
        return self.dimensions[dimension]

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON data (schema in ``docs/methodology/screening.md``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "project_id": self.project_id,
            "overall": {"class": self.overall.value, "incomplete": self.incomplete},
            "dimensions": {dimension.value: self.dimensions[dimension].to_dict() for dimension in Dimension},
            "exclusion": self.exclusion.to_dict(),
            "ghg": self.ghg.to_dict(),
            "equator_principles": self.equator.to_dict(),
            "coverage": [
                _coverage(item) for item in sorted(self.coverage, key=lambda item: item.receptor_role.value)
            ],
            "stack_checks": [
                item.to_dict()
                for item in sorted(
                    self.stack_checks,
                    key=lambda item: (item.emission.pollutant, item.emission.averaging, item.emission.value),
                )
            ],
            "next_steps": [step.to_dict() for step in sorted(self.next_steps, key=lambda step: step.id)],
            "rules_digest": self.rules_digest,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text with sorted keys (byte-stable for the same inputs)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, indent=indent)
