"""``compute_aqi``: sub-indices, AQI, category and primary pollutants, engine chosen by date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.aqi.engine import Engine
from greenbri.core.aqi.errors import AqiInputError, DateOutOfCoverageError, StandardNotVerifiedError
from greenbri.core.aqi.kernel import BeyondScale, _round_in_place, piecewise_index
from greenbri.core.aqi.registry import engine_by_id, engines_of
from greenbri.core.aqi.tables import Category

__all__ = ["NO_DATA", "AqiResult", "compute_aqi"]

#: Category code of an element with no sub-index at all.
NO_DATA = -1

ScalarT = TypeVar("ScalarT", bound=np.generic)
DateLike = dt.date | str | np.datetime64 | ArrayLike


@dataclass(frozen=True)
class AqiResult:
    """AQI of many readings, one element per reading (arrays share one shape).

    Attributes
    ----------
    standard
        ``"cn"`` or ``"us"``.
    engines
        Engine ids; ``engine_code`` indexes into it.
    engine_code
        Which engine computed each element.
    aqi
        The AQI (integer-valued float), NaN where no pollutant had an index.
    sub_indices
        Rounded sub-index per measurement key (``"o3_8h"``), NaN where none. A fallback
        key (CN ``so2_24h``) is NaN where the key it stands in for has an index.
    pollutant_indices
        Largest sub-index per pollutant (``"o3"``).
    primary
        Per measurement key: it has the largest sub-index (CN: and AQI > 50).
    exceeding
        Per measurement key: sub-index above the standard's exceedance level (CN: 100);
        empty for standards without that notion.
    category
        Category index (0 = best), ``NO_DATA`` (-1) where AQI is NaN.
    present_count
        Number of pollutants with an index.
    above_scale
        Some concentration was above the top of its scale (capped or extrapolated).
    not_indexed
        Per measurement key: a value was given but the standard defines no index for it.
    categories
        The category definitions (names, colours) of the standard.
    withheld
        The AQI is withheld (NA) because a pollutant the engine requires is missing and
        the AQI of the others is not above the publication threshold (HJ 633-2026
        clause 5.3.1); ``aqi`` is NaN and ``category`` NO_DATA there, the sub-indices
        stay. ``False`` for engines without that rule.
    """

    standard: str
    engines: tuple[str, ...]
    engine_code: NDArray[np.int8]
    aqi: NDArray[np.float64]
    sub_indices: Mapping[str, NDArray[np.float64]]
    pollutant_indices: Mapping[str, NDArray[np.float64]]
    primary: Mapping[str, NDArray[np.bool_]]
    exceeding: Mapping[str, NDArray[np.bool_]]
    category: NDArray[np.int8]
    present_count: NDArray[np.int8]
    above_scale: NDArray[np.bool_]
    not_indexed: Mapping[str, NDArray[np.bool_]]
    categories: tuple[Category, ...]
    withheld: NDArray[np.bool_]

    def primary_keys(self, position: int | tuple[int, ...] = ()) -> tuple[str, ...]:
        """Measurement keys that are primary at ``position`` (sorted)."""
        return tuple(sorted(key for key, mask in self.primary.items() if bool(mask[position])))

    def category_at(self, position: int | tuple[int, ...] = ()) -> Category | None:
        """The category at ``position``; ``None`` for NO DATA."""
        code = int(self.category[position])
        return None if code == NO_DATA else self.categories[code]

    def engine_at(self, position: int | tuple[int, ...] = ()) -> str:
        """Id of the engine that computed ``position``."""
        return self.engines[int(self.engine_code[position])]


@dataclass(frozen=True)
class _Partial:
    aqi: NDArray[np.float64]
    sub_indices: dict[str, NDArray[np.float64]]
    pollutant_indices: dict[str, NDArray[np.float64]]
    primary: dict[str, NDArray[np.bool_]]
    exceeding: dict[str, NDArray[np.bool_]]
    category: NDArray[np.int8]
    present_count: NDArray[np.int8]
    above_scale: NDArray[np.bool_]
    not_indexed: dict[str, NDArray[np.bool_]]
    withheld: NDArray[np.bool_]


def compute_aqi(
    standard: str,
    dates: DateLike,
    concentrations: Mapping[str, ArrayLike],
    *,
    beyond_scale: BeyondScale | None = None,
    fallback_engine: str | None = None,
) -> AqiResult:
    """Compute the AQI of many readings under a standard, each with the engine of its date.

    Parameters
    ----------
    standard
        ``"cn"`` (HJ 633) or ``"us"`` (40 CFR 58 Appendix G).
    dates
        Observation date(s): a date, an ISO string, or an array broadcastable to the
        concentrations' shape. Each element is computed with the engine in force that day.
    concentrations
        Measurement key -> concentrations, ``<pollutant>_<averaging>``: ``pm25_24h``,
        ``pm10_24h``, ``o3_8h``, ``o3_1h``, ``so2_1h``, ``so2_24h``, ``no2_1h``,
        ``no2_24h`` (CN), ``co_1h``/``co_24h`` (CN), ``co_8h`` (US). NaN means missing.
        Units are the engine's (see each table's ``unit``): CN ug/m3 (CO mg/m3); US PM
        ug/m3, O3 and CO ppm, SO2 and NO2 ppb.
    beyond_scale
        Override the engine's policy above the top of the scale (``extrapolate``, ``cap``,
        ``nan``); default CN ``cap``, US ``extrapolate``.
    fallback_engine
        Engine id used for dates that no engine covers (CN before 2016-01-01, US before
        1999-10-04) or whose engine is registered as not verified (none at present). The
        engine actually used is recorded in ``engine_code``.

    Examples
    --------
    >>> result = compute_aqi("cn", "2020-01-01", {"pm25_24h": [35.0, 80.0], "pm10_24h": [20.0, 20.0]})
    >>> result.aqi.tolist(), result.primary_keys(1)
    ([50.0, 107.0], ('pm25_24h',))
    """
    if not concentrations:
        raise AqiInputError("No concentrations were given.", hint="Pass at least one measurement key.")
    keys = sorted(concentrations)
    _check_known(standard, keys)
    arrays = np.broadcast_arrays(*(np.asarray(concentrations[key], dtype=np.float64) for key in keys))
    shape = arrays[0].shape
    values = dict(zip(keys, arrays, strict=True))
    days = _as_days(dates, shape)
    engines, code = _assign_engines(standard, days, fallback_engine)
    if len(engines) == 1:
        partial = _evaluate(engines[0], values, beyond_scale)
        return _result(standard, engines, code, partial)
    partials = []
    for number, engine in enumerate(engines):
        mask = code == number
        partials.append(
            (mask, _evaluate(engine, {key: array[mask] for key, array in values.items()}, beyond_scale))
        )
    return _result(standard, engines, code, _merge(shape, partials))


def _as_days(dates: DateLike, shape: tuple[int, ...]) -> NDArray[np.datetime64]:
    try:
        days = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError) as error:
        raise AqiInputError(
            f"Dates could not be read ({error}).", hint="Pass dates, ISO strings or datetime64."
        ) from None
    try:
        return np.broadcast_to(days, shape)
    except ValueError:
        raise AqiInputError(
            f"Dates of shape {days.shape} do not match concentrations of shape {shape}.",
            hint="Pass one date, or one per reading.",
        ) from None


def _assign_engines(
    standard: str, days: NDArray[np.datetime64], fallback_engine: str | None
) -> tuple[tuple[Engine, ...], NDArray[np.int8]]:
    candidates = engines_of(standard)
    fallback = _fallback(standard, fallback_engine)
    code = np.full(days.shape, -1, dtype=np.int8)
    used: list[Engine] = []
    for engine in candidates:
        start = np.datetime64(engine.effective_from, "D")
        mask = days >= start
        if engine.effective_to is not None:
            mask &= days <= np.datetime64(engine.effective_to, "D")
        if not mask.any():
            continue
        if not engine.verified:
            if fallback is None:
                raise StandardNotVerifiedError(
                    f"{engine.not_verified_reason}; {int(mask.sum())} reading(s) dated from "
                    f"{engine.effective_from.isoformat()} need it.",
                    hint="Pass --fallback-engine hj633-2012 (CLI; fallback_engine='hj633-2012' in Python) to "
                    f"accept {standard} readings computed with the previous standard, or restrict the dates.",
                )
            continue
        code[mask] = len(used)
        used.append(engine)
    uncovered = code == -1
    if uncovered.any():
        if fallback is None:
            first = str(days[uncovered].min())
            spans = ", ".join(f"{e.engine_id} from {e.effective_from.isoformat()}" for e in candidates)
            raise DateOutOfCoverageError(
                f"No {standard} AQI engine covers {int(uncovered.sum())} reading(s), the first dated {first}.",
                hint=f"Engines: {spans}. Pass --fallback-engine ENGINE (CLI; fallback_engine= in Python) to "
                "compute them with one of these anyway.",
            )
        if fallback not in used:
            used.append(fallback)
        code[uncovered] = used.index(fallback)
    return tuple(used), code


def _fallback(standard: str, fallback_engine: str | None) -> Engine | None:
    if fallback_engine is None:
        return None
    engine = engine_by_id(fallback_engine)
    if engine.standard != standard or not engine.verified:
        raise AqiInputError(
            f"Engine {fallback_engine!r} cannot be the fallback for standard {standard!r}.",
            hint="Name a verified engine of the same standard.",
        )
    return engine


def _check_known(standard: str, keys: list[str]) -> None:
    """Refuse keys that no engine of the standard knows (a key that only some periods
    define, such as US ``so2_1h`` before 2010, is ``not_indexed`` on the other dates)."""
    known = {key for engine in engines_of(standard) for key in engine.tables}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise AqiInputError(
            f"No {standard} AQI engine has breakpoints for {', '.join(unknown)}.",
            hint=f"Use the measurement keys {', '.join(sorted(known))}.",
        )


def _check_keys(engine: Engine, keys: list[str]) -> None:
    for group in engine.exclusive:
        if group.issubset(keys):
            raise AqiInputError(
                f"{engine.engine_id}: {' and '.join(sorted(group))} were both given.",
                hint="1-hour values are for the real-time report, 24-hour (O3: 8-hour) values for the "
                "daily report (HJ 633-2012 Table 1, note (1); HJ 633-2026 Table 3, note a); compute the "
                "two reports separately.",
            )


def _evaluate(
    engine: Engine, values: Mapping[str, NDArray[np.float64]], beyond_scale: BeyondScale | None
) -> _Partial:
    keys = sorted(values)
    _check_keys(engine, keys)
    policy = beyond_scale or engine.beyond_scale
    rounded: dict[str, NDArray[np.float64]] = {}
    above = np.zeros(next(iter(values.values())).shape, dtype=bool)
    not_indexed: dict[str, NDArray[np.bool_]] = {}
    for key in keys:
        table = engine.tables.get(key)
        if table is None:  # the standard defines this key only in other periods
            rounded[key] = np.full(above.shape, np.nan)
            not_indexed[key] = ~np.isnan(values[key])
            continue
        sub = piecewise_index(values[key], table, beyond_scale=policy)
        rounded[key] = _round_in_place(sub.value, engine.rounding)
        above |= sub.above_scale
        not_indexed[key] = sub.not_indexed
    for key, stands_in_for in engine.fallbacks.items():
        if key in rounded and stands_in_for in rounded:
            rounded[key] = np.where(np.isnan(rounded[stands_in_for]), rounded[key], np.nan)
    return _summarise(engine, rounded, above, not_indexed)


def _summarise(
    engine: Engine,
    rounded: dict[str, NDArray[np.float64]],
    above: NDArray[np.bool_],
    not_indexed: dict[str, NDArray[np.bool_]],
) -> _Partial:
    by_pollutant: dict[str, NDArray[np.float64]] = {}
    for key, index in rounded.items():
        pollutant = key.split("_")[0]
        by_pollutant[pollutant] = (
            np.fmax(by_pollutant[pollutant], index) if pollutant in by_pollutant else index
        )
    aqi = np.array(next(iter(by_pollutant.values())))
    present = np.zeros(aqi.shape, dtype=np.int8)
    for index in by_pollutant.values():
        np.fmax(aqi, index, out=aqi)
        np.add(present, ~np.isnan(index), out=present, casting="unsafe")
    withheld = _withheld(engine, by_pollutant, aqi, present)
    if withheld.any():
        aqi[withheld] = np.nan
    upper = np.array([c.aqi_high for c in engine.categories[:-1]], dtype=np.float64)
    category = np.array(np.searchsorted(upper, aqi, side="left"), dtype=np.int8)
    missing = np.isnan(aqi)
    category[missing] = NO_DATA
    floor = engine.primary_above
    eligible = ~missing if floor is None else aqi > floor
    primary = {key: (index == aqi) & eligible for key, index in rounded.items()}
    limit = engine.exceeding_above
    exceeding = {} if limit is None else {key: index > limit for key, index in rounded.items()}
    return _Partial(
        aqi, rounded, by_pollutant, primary, exceeding, category, present, above, not_indexed, withheld
    )


def _withheld(
    engine: Engine,
    by_pollutant: Mapping[str, NDArray[np.float64]],
    aqi: NDArray[np.float64],
    present: NDArray[np.int8],
) -> NDArray[np.bool_]:
    """HJ 633-2026 clause 5.3.1: with a required pollutant missing, the AQI is published only
    when above the threshold (100); otherwise NA. ``present``: pollutants with an index."""
    threshold = engine.incomplete_published_above
    required = engine.required_pollutants
    if threshold is None or not required:
        return np.zeros(aqi.shape, dtype=bool)
    if not required.issubset(by_pollutant):
        complete = np.zeros(aqi.shape, dtype=bool)
    elif required.issuperset(by_pollutant):  # every given pollutant is required: count them
        complete = present >= len(required)
    else:
        complete = np.logical_and.reduce([~np.isnan(by_pollutant[p]) for p in sorted(required)])
    return ~complete & (aqi <= threshold)  # NaN (nothing present) is NO DATA, not withheld


def _merge(shape: tuple[int, ...], partials: list[tuple[NDArray[np.bool_], _Partial]]) -> _Partial:
    masks = [mask for mask, _ in partials]
    parts = [partial for _, partial in partials]
    return _Partial(
        aqi=_fill(shape, np.nan, masks, [p.aqi for p in parts]),
        sub_indices=_fill_map(shape, np.nan, masks, [p.sub_indices for p in parts]),
        pollutant_indices=_fill_map(shape, np.nan, masks, [p.pollutant_indices for p in parts]),
        primary=_fill_map(shape, False, masks, [p.primary for p in parts]),
        exceeding=_fill_map(shape, False, masks, [p.exceeding for p in parts]),
        category=_fill(shape, NO_DATA, masks, [p.category for p in parts]),
        present_count=_fill(shape, 0, masks, [p.present_count for p in parts]),
        above_scale=_fill(shape, False, masks, [p.above_scale for p in parts]),
        not_indexed=_fill_map(shape, False, masks, [p.not_indexed for p in parts]),
        withheld=_fill(shape, False, masks, [p.withheld for p in parts]),
    )


def _fill(
    shape: tuple[int, ...], blank: float, masks: list[NDArray[np.bool_]], arrays: list[NDArray[ScalarT]]
) -> NDArray[ScalarT]:
    out = np.full(shape, blank, dtype=arrays[0].dtype)
    for mask, array in zip(masks, arrays, strict=True):
        out[mask] = array
    return out


def _fill_map(
    shape: tuple[int, ...],
    blank: float,
    masks: list[NDArray[np.bool_]],
    maps: list[dict[str, NDArray[ScalarT]]],
) -> dict[str, NDArray[ScalarT]]:
    keys = sorted({key for mapping in maps for key in mapping})
    return {
        key: _fill(
            shape,
            blank,
            [m for m, mp in zip(masks, maps, strict=True) if key in mp],
            [mp[key] for mp in maps if key in mp],
        )
        for key in keys
    }


def _result(
    standard: str, engines: tuple[Engine, ...], code: NDArray[np.int8], partial: _Partial
) -> AqiResult:
    return AqiResult(
        standard=standard,
        engines=tuple(engine.engine_id for engine in engines),
        engine_code=code,
        aqi=partial.aqi,
        sub_indices=partial.sub_indices,
        pollutant_indices=partial.pollutant_indices,
        primary=partial.primary,
        exceeding=partial.exceeding,
        category=partial.category,
        present_count=partial.present_count,
        above_scale=partial.above_scale,
        not_indexed=partial.not_indexed,
        categories=engines[0].categories,
        withheld=partial.withheld,
    )
