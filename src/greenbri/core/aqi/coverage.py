"""AQI of what can be computed: readings outside every engine are marked, not fatal.

:func:`compute_aqi` refuses a whole batch when one reading's date has no verified engine (an
engine not verified in this version, or a date before or after every engine). A run over years of
readings must not die for some dates: :func:`compute_aqi_where_covered` computes every element a
verified engine (or the explicit ``fallback_engine``) covers and returns, for each other element,
why it was not computed. Those elements have NaN AQI, category ``NO_DATA`` and engine ``""``.

>>> covered = compute_aqi_where_covered("cn", ["1990-01-01", "2020-01-01"], {"pm25_24h": [80.0, 80.0]})
>>> covered.result.aqi.tolist(), covered.computed.tolist()
([nan, 107.0], [False, True])
>>> covered.reason_at(0).startswith("no cn AQI engine covers dates before ")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.aqi.compute import NO_DATA, AqiResult, DateLike, _as_days, compute_aqi
from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.errors import AqiInputError
from greenbri.core.aqi.registry import engine_by_id, engines_of

__all__ = ["CoveredAqi", "compute_aqi_where_covered", "not_covered_reasons"]

#: Reason code of a computed element.
COMPUTED = -1


@dataclass(frozen=True)
class CoveredAqi:
    """An :class:`AqiResult` over every element, with what was not computed and why.

    ``reason_code`` is :data:`COMPUTED` (-1) where computed, else an index into ``reasons``.
    """

    result: AqiResult
    computed: NDArray[np.bool_]
    reason_code: NDArray[np.int16]
    reasons: tuple[str, ...]

    @property
    def not_computed_count(self) -> int:
        return int((~self.computed).sum())

    def reason_at(self, position: int | tuple[int, ...] = ()) -> str | None:
        """Why the element at ``position`` was not computed; ``None`` when it was."""
        code = int(self.reason_code[position])
        return None if code == COMPUTED else self.reasons[code]

    def reason_counts(self) -> dict[str, int]:
        """Elements not computed, per reason."""
        codes, counts = np.unique(self.reason_code[~self.computed], return_counts=True)
        return {self.reasons[int(code)]: int(count) for code, count in zip(codes, counts, strict=True)}


def not_covered_reasons(
    standard: str, days: NDArray[np.datetime64], fallback_engine: str | None = None
) -> tuple[NDArray[np.int16], tuple[str, ...]]:
    """Per element, :data:`COMPUTED` or the index of the reason no engine can compute it.

    An element is computable when a verified engine of ``standard`` is in force on its day, or a
    (valid) ``fallback_engine`` is given, exactly as :func:`compute_aqi` decides.
    """
    engines = engines_of(standard)
    codes = np.full(days.shape, COMPUTED, dtype=np.int16)
    if fallback_engine is not None:
        engine_by_id(fallback_engine)  # an unknown id is an input error, as in compute_aqi
        return codes, ()
    reasons: list[str] = []
    uncovered = np.ones(days.shape, dtype=bool)
    spans = ", ".join(
        f"{e.engine_id} from {e.effective_from.isoformat()}"
        + (f" to {e.effective_to.isoformat()}" if e.effective_to else "")
        for e in engines
    )
    verified = [e for e in engines if e.verified]
    for engine in engines:
        in_force = days >= np.datetime64(engine.effective_from, "D")
        if engine.effective_to is not None:
            in_force &= days <= np.datetime64(engine.effective_to, "D")
        uncovered &= ~in_force
        if engine.verified or not in_force.any():
            continue
        earlier = [e for e in verified if e.effective_from < engine.effective_from]
        codes[in_force] = len(reasons)
        reasons.append(f"{engine.not_verified_reason} ({engine.engine_id}){_hint(earlier[-1:] or verified)}")
    for start, end, words in _gaps(engines):
        inside = uncovered & (days >= start) & (days <= end)
        if inside.any():
            codes[inside] = len(reasons)
            reasons.append(f"no {standard} AQI engine covers dates {words} ({spans}){_hint(verified)}")
    return codes, tuple(reasons)


def _gaps(engines: tuple[Engine, ...]) -> list[tuple[Any, Any, str]]:
    """The spans no engine covers (first day, last day, in words): before the first, between, after the last."""
    earliest, latest = np.datetime64("0001-01-01", "D"), np.datetime64("9999-12-31", "D")
    gaps: list[tuple[Any, Any, str]] = []
    cursor = earliest
    for engine in sorted(engines, key=lambda item: item.effective_from):
        start = np.datetime64(engine.effective_from, "D")
        if start > cursor:
            words = (
                f"before {engine.effective_from.isoformat()}"
                if cursor == earliest
                else f"from {cursor} to {start - 1}"
            )
            gaps.append((cursor, start - 1, words))
        end = latest if engine.effective_to is None else np.datetime64(engine.effective_to, "D")
        cursor = max(cursor, end + 1) if end < latest else latest
    if cursor < latest:
        gaps.append((cursor, latest, f"from {cursor}"))
    return gaps


def _hint(candidates: list[Engine]) -> str:
    if not candidates:
        return ""
    return f"; use --fallback-engine {candidates[0].engine_id} to compute it with that engine anyway"


def compute_aqi_where_covered(
    standard: str,
    dates: DateLike,
    concentrations: Mapping[str, ArrayLike],
    *,
    fallback_engine: str | None = None,
) -> CoveredAqi:
    """:func:`compute_aqi` on the elements an engine covers; the others marked with their reason."""
    if not concentrations:
        raise AqiInputError("No concentrations were given.", hint="Pass at least one measurement key.")
    keys = sorted(concentrations)
    arrays = np.broadcast_arrays(*(np.asarray(concentrations[key], dtype=np.float64) for key in keys))
    shape = arrays[0].shape
    days = _as_days(dates, shape)
    codes, reasons = not_covered_reasons(standard, days, fallback_engine)
    computed = codes == COMPUTED
    if computed.all():
        result = compute_aqi(
            standard, days, dict(zip(keys, arrays, strict=True)), fallback_engine=fallback_engine
        )
        return CoveredAqi(result, computed, codes, reasons)
    part = None
    if computed.any():
        part = compute_aqi(
            standard,
            days[computed],
            {key: array[computed] for key, array in zip(keys, arrays, strict=True)},
            fallback_engine=fallback_engine,
        )
    return CoveredAqi(_scatter(standard, shape, computed, part), computed, codes, reasons)


def _scatter(
    standard: str, shape: tuple[int, ...], computed: NDArray[np.bool_], part: AqiResult | None
) -> AqiResult:
    """A full-shape result: ``part`` where ``computed``, blanks (NaN, NO_DATA, engine "") elsewhere."""

    def fill(blank: float, values: NDArray[Any], dtype: type) -> NDArray[Any]:
        out: NDArray[Any] = np.full(shape, blank, dtype=dtype)
        out[computed] = values
        return out

    if part is None:
        engines: tuple[str, ...] = ("",)
        engine_code: NDArray[Any] = np.zeros(shape, dtype=np.int8)
        categories = engines_of(standard)[0].categories
        empty = np.zeros(0)
        part_aqi, part_category, part_present = empty, empty.astype(np.int8), empty.astype(np.int8)
        part_above = part_withheld = empty.astype(bool)
        maps: dict[str, Mapping[str, NDArray[Any]]] = {
            name: {} for name in ("sub", "pollutant", "primary", "exceeding", "not_indexed")
        }
    else:
        engines = (*part.engines, "")
        engine_code = fill(len(part.engines), part.engine_code, np.int8)
        categories = part.categories
        part_aqi, part_category, part_present = part.aqi, part.category, part.present_count
        part_above, part_withheld = part.above_scale, part.withheld
        maps = {
            "sub": part.sub_indices,
            "pollutant": part.pollutant_indices,
            "primary": part.primary,
            "exceeding": part.exceeding,
            "not_indexed": part.not_indexed,
        }
    floats = {
        name: {k: fill(np.nan, v, np.float64) for k, v in maps[name].items()} for name in ("sub", "pollutant")
    }
    flags = {
        name: {k: fill(False, v, np.bool_) for k, v in maps[name].items()}
        for name in ("primary", "exceeding", "not_indexed")
    }
    return AqiResult(
        standard=standard,
        engines=engines,
        engine_code=np.asarray(engine_code, dtype=np.int8),
        aqi=np.asarray(fill(np.nan, part_aqi, np.float64), dtype=np.float64),
        sub_indices=floats["sub"],
        pollutant_indices=floats["pollutant"],
        primary=flags["primary"],
        exceeding=flags["exceeding"],
        category=np.asarray(fill(NO_DATA, part_category, np.int8), dtype=np.int8),
        present_count=np.asarray(fill(0, part_present, np.int8), dtype=np.int8),
        above_scale=np.asarray(fill(False, part_above, np.bool_), dtype=np.bool_),
        not_indexed=flags["not_indexed"],
        categories=categories,
        withheld=np.asarray(fill(False, part_withheld, np.bool_), dtype=np.bool_),
    )
