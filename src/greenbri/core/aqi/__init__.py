"""Air Quality Index (AQI) engines: China HJ 633 and US EPA (40 CFR 58 Appendix G).

Pure and vectorised (numpy only). Every breakpoint table is data with its citation
(:mod:`greenbri.core.aqi.cn_hj633`, :mod:`greenbri.core.aqi.us_epa`); the method and what
is uncertain are in ``docs/methodology/aqi.md``.

>>> from greenbri.core.aqi import compute_aqi
>>> result = compute_aqi("us", "2024-05-06", {"pm25_24h": [9.0, 9.1, 35.4]})
>>> result.aqi.tolist()
[50.0, 51.0, 100.0]
"""

from __future__ import annotations

from greenbri.core.aqi.compute import NO_DATA, AqiResult, compute_aqi
from greenbri.core.aqi.engine import Engine, Rule
from greenbri.core.aqi.errors import (
    AqiInputError,
    AqiStandardError,
    DateOutOfCoverageError,
    StandardNotVerifiedError,
)
from greenbri.core.aqi.kernel import (
    BeyondScale,
    IndexRounding,
    SubIndex,
    piecewise_index,
    round_half_even,
    round_index,
    truncate,
)
from greenbri.core.aqi.pm_nowcast import nowcast
from greenbri.core.aqi.registry import ENGINES, STANDARDS, engine_by_id, engines_of
from greenbri.core.aqi.tables import BreakpointRow, BreakpointTable, Category, Citation

__all__ = [
    "ENGINES",
    "NO_DATA",
    "STANDARDS",
    "AqiInputError",
    "AqiResult",
    "AqiStandardError",
    "BeyondScale",
    "BreakpointRow",
    "BreakpointTable",
    "Category",
    "Citation",
    "DateOutOfCoverageError",
    "Engine",
    "IndexRounding",
    "Rule",
    "StandardNotVerifiedError",
    "SubIndex",
    "compute_aqi",
    "engine_by_id",
    "engines_of",
    "nowcast",
    "piecewise_index",
    "round_half_even",
    "round_index",
    "truncate",
]
