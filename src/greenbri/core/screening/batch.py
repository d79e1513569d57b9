"""Classify a portfolio at once: one full classification per distinct situation, shared exactly.

What :func:`~greenbri.core.screening.classify.classify` decides (the classes, the exclusion, the
EP4 applicability and category, the next steps) depends on

* the project's fields other than ``id``, ``name`` and ``geometry`` (the geometry only through
  whether there is one: the spatial search has already used it),
* the coverage of each receptor role for the project, and
* for each hit, only the receptor role, the distance band the hit falls in and which receptor
  rules' attribute conditions the feature meets. The receptor's name, id, exact distance and
  the length or area inside only fill the *text* and *parameters* of the reasons.

Findings are combined by "worst class" (:func:`~greenbri.core.screening.vocabulary.worst`),
so several hits with the same (role, band, matching rules) count as one. :func:`classify_batch`
therefore computes, for every project, a **signature** (profile, coverage, the set of hit keys),
runs :func:`classify` on one representative project per distinct signature, and gives every
project of that signature the same :class:`Decision`. Hit keys are computed column-wise from
the :class:`~greenbri.core.screening.geodesic.HitTable` without building hit objects, so a
portfolio of 100,000 projects with a handful of distinct situations costs one pass over the
hit arrays and a handful of classifications.

Two conditions, which the built-in parts meet: a ``stack_check`` passed in reads only the project's
fields other than id, name and geometry (the built-in
:func:`~greenbri.core.screening.stack.strictest_stack_check` reads the country and the stack figures);
and ``projects`` holds its :class:`Project` objects for the whole call (a list or tuple; a sequence
that built a new object on each access could reuse an ``id()``, which the profile interning relies on).

The audit trail of any project (reasons naming each receptor and distance) is
:meth:`BatchClassification.result`, which calls :func:`classify` for that project alone; its
decision equals the shared one (``tests/screening_rules/test_batch.py`` checks this for every
project of real and generated portfolios).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from greenbri.core.errors import InputError
from greenbri.core.screening.classify import classify
from greenbri.core.screening.equator import ExchangeRate
from greenbri.core.screening.geodesic import HitTable
from greenbri.core.screening.hits import Coverage, ReceptorHit
from greenbri.core.screening.project import Project
from greenbri.core.screening.receptor_layer import ReceptorLayer
from greenbri.core.screening.result import ScreeningResult
from greenbri.core.screening.rules import ReceptorRules, ScreeningRules
from greenbri.core.screening.stack import StackCheck
from greenbri.core.screening.vocabulary import Dimension, RiskClass

__all__ = [
    "BatchClassification",
    "Decision",
    "classify_batch",
    "decision_profile",
    "feature_rule_codes",
    "hit_bands",
]

IntArray = NDArray[np.int64]

#: The project fields a decision depends on (all but the id, the name and the geometry).
_PROFILE_FIELDS = tuple(
    field.name for field in dataclasses.fields(Project) if field.name not in ("id", "name", "geometry")
)
_profile_of = operator.attrgetter(*_PROFILE_FIELDS)


@dataclass(frozen=True)
class Decision:
    """What the classification decided for a project, without the reasons' wording.

    ``dimensions`` holds the class of each dimension in :class:`Dimension` order;
    ``next_steps`` the ids of the recommended next steps.
    """

    overall: RiskClass
    incomplete: bool
    dimensions: tuple[RiskClass, ...]
    excluded: bool
    prudent: bool
    equator_applicability: str
    equator_category: str | None
    next_steps: tuple[str, ...]

    @classmethod
    def of(cls, result: ScreeningResult) -> Decision:
        return cls(
            overall=result.overall,
            incomplete=result.incomplete,
            dimensions=tuple(result.dimensions[dimension].risk_class for dimension in Dimension),
            excluded=result.exclusion.excluded,
            prudent=result.exclusion.prudent,
            equator_applicability=result.equator.applicability.value,
            equator_category=result.equator.category.category,
            next_steps=tuple(sorted(step.id for step in result.next_steps)),
        )

    def dimension(self, dimension: Dimension) -> RiskClass:
        return self.dimensions[list(Dimension).index(dimension)]


def hit_bands(table: HitTable, receptors: ReceptorRules) -> IntArray:
    """The index in ``receptors.bands`` of each hit's band (-1: beyond every band), as
    :meth:`~greenbri.core.screening.rules.ReceptorRules.band_of` decides it, column-wise."""
    band = np.full(len(table), -1, dtype=np.int64)
    for index, item in enumerate(receptors.bands):
        reached = table.intersects if item.max_distance_m is None else table.distance_m <= item.max_distance_m
        band[(band < 0) & reached] = index
    return band


def feature_rule_codes(
    layer: ReceptorLayer, rules: ScreeningRules, features: IntArray | None = None
) -> tuple[IntArray, int]:
    """For each of ``features`` (default: every feature of ``layer``), a code of which receptor rules of its role it meets (bit ``k``:
    the ``k``-th rule of the role), and the number of codes (``2 ** rules of the role``).

    Conditions are evaluated with :meth:`AttributeCondition.matches` once per distinct combination
    of the attribute values the conditions read, so the codes mean exactly what
    :meth:`ReceptorRule.matches` means for a hit on that feature.
    """
    role_rules = [rule for rule in rules.receptors.rules if rule.receptor_role is layer.role]
    keys = sorted({condition.key for rule in role_rules for condition in rule.conditions})
    present = [key for key in keys if key in layer.attribute_lists]
    rows = range(len(layer)) if features is None else features.tolist()
    columns = [layer.attribute_lists[key] for key in present]
    combinations = [tuple(column[row] for column in columns) for row in rows]
    code_of: dict[tuple[Any, ...], int] = {}
    codes = np.empty(len(combinations), dtype=np.int64)
    for row, combination in enumerate(combinations):
        code = code_of.get(combination)
        if code is None:
            attributes = dict(zip(present, combination, strict=True))
            code = sum(
                1 << bit
                for bit, rule in enumerate(role_rules)
                if all(condition.matches(attributes) for condition in rule.conditions)
            )
            code_of[combination] = code
        codes[row] = code
    return codes, 1 << len(role_rules)


def _interned(items: Sequence[Any], identity: Callable[[Any], Any], value: Callable[[Any], Any]) -> IntArray:
    """A small integer per distinct ``value(item)``; items with the same ``identity(item)`` (a
    cheap token of the objects they are made of) skip the equality hash of the value."""
    by_identity: dict[Any, int] = {}
    by_value: dict[Any, int] = {}
    numbers = np.empty(len(items), dtype=np.int64)
    for position, item in enumerate(items):
        token = identity(item)
        number = by_identity.get(token)
        if number is None:
            number = by_value.setdefault(value(item), len(by_value))
            by_identity[token] = number
        numbers[position] = number
    return numbers


def _same(item: Any) -> Any:
    return item


def _profile(project: Project) -> tuple[Any, ...]:
    return (*_profile_of(project), project.geometry is None)


def decision_profile(project: Project) -> tuple[Any, ...]:
    """What of ``project`` its classification depends on: every field but the id, the name and the
    geometry, and whether it has a geometry (hashable; equal profiles decide alike)."""
    return _profile(project)


def _profile_identity(project: Project) -> tuple[int, ...]:
    return (*map(id, _profile_of(project)), project.geometry is None)


@dataclass
class BatchClassification:
    """The decision of every project, and the full result of any one on demand."""

    projects: Sequence[Project]
    searched: Sequence[tuple[ReceptorLayer, HitTable]]
    coverage: Sequence[tuple[Coverage, ...]]
    rules: ScreeningRules
    decisions: list[Decision]
    representatives: list[int]
    stack_check: StackCheck | None = None
    exchange_rates: Mapping[str, ExchangeRate] | None = None

    def hits(self, index: int) -> list[ReceptorHit]:
        """The receptor hits of project ``index`` from every searched layer."""
        found: list[ReceptorHit] = []
        for layer, table in self.searched:
            start, stop = np.searchsorted(table.project_index, [index, index + 1])
            if stop > start:
                rows = slice(int(start), int(stop))
                one = HitTable(
                    project_index=np.zeros(stop - start, dtype=table.project_index.dtype),
                    feature_index=table.feature_index[rows],
                    distance_m=table.distance_m[rows],
                    intersects=table.intersects[rows],
                    length_inside_m=table.length_inside_m[rows],
                    area_inside_m2=table.area_inside_m2[rows],
                    n_projects=1,
                    max_distance_m=table.max_distance_m,
                )
                found.extend(one.to_hits(layer)[0])
        return found

    def result(self, index: int) -> ScreeningResult:
        """The full result of project ``index`` (reasons, receptors, GHG, EP4), by :func:`classify`."""
        return classify(
            self.projects[index],
            self.hits(index),
            self.coverage[index],
            self.rules,
            stack_check=self.stack_check,
            exchange_rates=self.exchange_rates,
        )

    @property
    def distinct_situations(self) -> int:
        return len(self.representatives)


def _hit_keys(
    searched: Sequence[tuple[ReceptorLayer, HitTable]], rules: ScreeningRules, n_projects: int
) -> tuple[IntArray, IntArray]:
    """Per project, the sorted distinct hit keys: (row starts per project, keys)."""
    n_bands = len(rules.receptors.bands)
    offset = 0
    projects: list[IntArray] = []
    keys: list[IntArray] = []
    for layer, table in searched:
        if table.n_projects != n_projects:
            raise InputError(
                f"A hit table covers {table.n_projects} projects, the portfolio has {n_projects}.",
                hint="search every layer with the same projects, in the same order.",
            )
        band = hit_bands(table, rules.receptors)
        keep = band >= 0
        features, position = np.unique(table.feature_index[keep], return_inverse=True)
        codes, n_codes = feature_rule_codes(layer, rules, features)
        projects.append(table.project_index[keep].astype(np.int64))
        keys.append(offset + codes[position] * n_bands + band[keep])
        offset += n_codes * n_bands
    project = np.concatenate(projects) if projects else np.empty(0, dtype=np.int64)
    key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    order = np.lexsort((key, project))
    project, key = project[order], key[order]
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = (project[1:] != project[:-1]) | (key[1:] != key[:-1])
    project, key = project[distinct], key[distinct]
    return np.searchsorted(project, np.arange(n_projects + 1)), key


def classify_batch(
    projects: Sequence[Project],
    searched: Sequence[tuple[ReceptorLayer, HitTable]],
    coverage: Sequence[Coverage] | Sequence[tuple[Coverage, ...]],
    rules: ScreeningRules,
    *,
    stack_check: StackCheck | None = None,
    exchange_rates: Mapping[str, ExchangeRate] | None = None,
) -> BatchClassification:
    """Decide every project of a portfolio (see the module docstring).

    Parameters
    ----------
    projects
        The projects, in the order they were searched.
    searched
        Each receptor layer with the :class:`HitTable` of the search of ``projects`` against it.
    coverage
        One tuple of :class:`Coverage` for all projects, or one tuple per project.
    rules, stack_check, exchange_rates
        As for :func:`classify`.
    """
    per_project: Sequence[tuple[Coverage, ...]]
    if not len(coverage) or isinstance(coverage[0], Coverage):
        shared = tuple(item for item in coverage if isinstance(item, Coverage))
        per_project = [shared] * len(projects)
    else:
        per_project = [tuple(item) for item in coverage if not isinstance(item, Coverage)]
        if len(per_project) != len(projects):
            raise InputError(
                f"{len(per_project)} coverage tuples for {len(projects)} projects.",
                hint="give one coverage tuple for all projects or one per project.",
            )
    projects = tuple(projects)  # hold every Project for the call: the interning keys on id()
    starts, keys = _hit_keys(searched, rules, len(projects))
    profile_numbers = _interned(projects, _profile_identity, _profile)
    coverages = _interned(per_project, id, _same)
    bounds = starts.tolist()
    outcome = BatchClassification(projects, searched, per_project, rules, [], [], stack_check, exchange_rates)
    decision_of: dict[tuple[int, int, bytes], Decision] = {}
    decisions = outcome.decisions
    for index, (profile, covered) in enumerate(
        zip(profile_numbers.tolist(), coverages.tolist(), strict=True)
    ):
        signature = (profile, covered, keys[bounds[index] : bounds[index + 1]].tobytes())
        decision = decision_of.get(signature)
        if decision is None:
            decision = Decision.of(outcome.result(index))
            decision_of[signature] = decision
            outcome.representatives.append(index)
        decisions.append(decision)
    return outcome
