"""What an AQI engine is: one standard's tables and rules over one period of force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from greenbri.core.aqi.kernel import BeyondScale, IndexRounding
from greenbri.core.aqi.tables import BreakpointTable, Category, Citation

__all__ = ["Engine", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A special rule of a standard, stated in words with its citation (rendered in the docs)."""

    name: str
    text: str
    citation: Citation


@dataclass(frozen=True)
class Engine:
    """The tables and rules of one standard over one period.

    Parameters
    ----------
    engine_id
        Stable id, e.g. ``"hj633-2012"``, ``"us-epa-2024"``.
    standard
        ``"cn"`` or ``"us"``.
    title
        Human-readable name with the documents it implements.
    effective_from, effective_to
        First and last observation day it applies to (``effective_to`` ``None``: open).
    verified
        ``False`` when the breakpoints in force are not verified in this version: the
        engine then refuses to compute (see :class:`~greenbri.core.aqi.errors.StandardNotVerifiedError`).
    tables
        Breakpoint table by measurement key.
    categories
        Categories, best first.
    rounding
        How sub-indices are rounded after the lookup.
    beyond_scale
        Default policy above the top of the scale.
    primary_above
        Primary pollutants are named only when the AQI is above this (CN: 50); ``None``:
        always (US "critical pollutant").
    exceeding_above
        A measurement whose sub-index is above this is "exceeding" (CN: 100); ``None``: not
        a concept of the standard.
    fallbacks
        ``{key: primary_key}``: ``key`` counts only where ``primary_key`` was given but has
        no index (CN: ``so2_24h`` stands in for ``so2_1h`` above 800 ug/m3).
    exclusive
        Groups of keys that must not be given together (CN: 1-hour and 24-hour NO2).
    rules
        The special rules in words, with citations.
    required_pollutants, incomplete_published_above
        With a required pollutant missing (no value, or a value without an index), the
        AQI is published only when above ``incomplete_published_above``; otherwise it is
        withheld (NA) and only the sub-indices are reported (HJ 633-2026 clause 5.3.1).
        ``None``: the AQI of the pollutants present is always published.
    """

    engine_id: str
    standard: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    verified: bool
    tables: Mapping[str, BreakpointTable]
    categories: tuple[Category, ...]
    rounding: IndexRounding
    beyond_scale: BeyondScale
    primary_above: int | None = None
    exceeding_above: int | None = None
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    exclusive: tuple[frozenset[str], ...] = ()
    rules: tuple[Rule, ...] = ()
    not_verified_reason: str = ""
    required_pollutants: frozenset[str] = frozenset()
    incomplete_published_above: int | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the engine's period of force."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
