"""The registry of AQI engines: standard -> engines ordered by period of force."""

from __future__ import annotations

import datetime as dt

from greenbri.core.aqi.cn_hj633 import HJ633_2012, HJ633_2026
from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.errors import AqiInputError
from greenbri.core.aqi.us_epa import US_ENGINES

__all__ = ["ENGINES", "STANDARDS", "engine_by_id", "engine_in_force", "engines_of"]

#: Every engine, grouped by standard and ordered by ``effective_from``.
ENGINES: tuple[Engine, ...] = (HJ633_2012, HJ633_2026, *US_ENGINES)

#: The standards ``compute_aqi`` accepts.
STANDARDS: tuple[str, ...] = ("cn", "us")


def engines_of(standard: str) -> tuple[Engine, ...]:
    """The engines of ``standard`` (``"cn"`` or ``"us"``), oldest first."""
    if standard not in STANDARDS:
        raise AqiInputError(
            f"Unknown AQI standard {standard!r}.",
            hint=f"Use one of {', '.join(STANDARDS)}.",
        )
    return tuple(engine for engine in ENGINES if engine.standard == standard)


def engine_by_id(engine_id: str) -> Engine:
    """The engine with id ``engine_id`` (``"hj633-2012"``, ``"us-epa-2024"`` ...)."""
    for engine in ENGINES:
        if engine.engine_id == engine_id:
            return engine
    known = ", ".join(engine.engine_id for engine in ENGINES)
    raise AqiInputError(f"Unknown AQI engine {engine_id!r}.", hint=f"Use one of {known}.")


def engine_in_force(standard: str, day: dt.date) -> Engine | None:
    """The engine of ``standard`` whose period of force covers ``day``; ``None`` if none does."""
    return next((engine for engine in engines_of(standard) if engine.covers(day)), None)
