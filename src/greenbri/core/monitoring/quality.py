"""Series quality checks: flat lines, spikes, PM2.5 above PM10, and stations that fall silent.

These are the checks of :class:`~greenbri.core.monitoring.readings.QaFlag` that need neighbouring
readings (``STUCK``, ``SPIKE``, ``INCONSISTENT``) plus station-down events. They only *flag*:
a flagged value stays in the store and in the output; whether it is left out of an average is
the caller's choice (see ``docs/methodology/monitoring-derived.md``).

Conventions
-----------
* ``values`` is float64 on a gap-free hourly grid, NaN for a missing hour; the last axis is
  time, leading axes are series (one station and parameter each).
* Every threshold is a parameter with a documented default. **The defaults are greenbri
  defaults, not values of a published standard**: HJ 818-2018 and HJ 630-2011 require that
  abnormal data be identified and reviewed, and US EPA's QA Handbook Vol. II describes
  similar screening checks, but greenbri does not take its numbers from them. Tune the
  thresholds to the instrument (resolution, detection limit) and the network.

>>> import numpy as np
>>> stuck_mask(np.array([[5.0, 7.0, 7.0, 7.0, 7.0, 2.0]]), minimum_hours=4).astype(int).tolist()
[[0, 1, 1, 1, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.errors import InputError
from greenbri.core.monitoring.readings import QaFlag

__all__ = [
    "DEFAULT_THRESHOLDS",
    "QualityThresholds",
    "SilentPeriods",
    "inconsistent_mask",
    "series_flags",
    "silent_periods",
    "spike_mask",
    "stuck_mask",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class QualityThresholds:
    """Thresholds of the series checks (greenbri defaults, configurable).

    Attributes
    ----------
    stuck_hours
        A run of at least this many consecutive identical valid values is ``STUCK``.
    stuck_floor
        Runs at or below this value are not flagged (a clean-air signal at the
        instrument's resolution or detection limit is legitimately flat), per parameter.
    spike_factor
        A value is a ``SPIKE`` when it is more than ``spike_factor`` times both
        neighbours and ...
    spike_minimum_jump
        ... more than this much above both neighbours (in the series' unit), per parameter.
    inconsistency_tolerance
        PM2.5 may exceed PM10 by this much (ug/m3) before both are ``INCONSISTENT``.
    silent_hours
        A station with no valid value of any parameter for at least this many
        consecutive hours has a station-down event.
    """

    stuck_hours: int = 12
    stuck_floor: Mapping[str, float] = field(default_factory=dict)
    spike_factor: float = 4.0
    spike_minimum_jump: Mapping[str, float] = field(default_factory=dict)
    inconsistency_tolerance: float = 0.0
    silent_hours: int = 6

    def floor_of(self, parameter: str) -> float:
        return self.stuck_floor.get(parameter, -np.inf)

    def jump_of(self, parameter: str) -> float:
        return self.spike_minimum_jump.get(parameter, 0.0)


#: greenbri defaults: flat lines of 12 h, ignored at low values (SO2 often sits at a few ug/m3,
#: CO at 0.1-0.3 mg/m3); spikes 4x and at least the jump below above both neighbours.
DEFAULT_THRESHOLDS = QualityThresholds(
    stuck_floor=MappingProxyType({"pm25": 5.0, "pm10": 10.0, "so2": 5.0, "no2": 5.0, "o3": 5.0, "co": 0.3}),
    spike_minimum_jump=MappingProxyType(
        {"pm25": 100.0, "pm10": 150.0, "so2": 100.0, "no2": 100.0, "o3": 100.0, "co": 3.0}
    ),
)


def _series(values: ArrayLike) -> FloatArray:
    data = np.asarray(values, dtype=np.float64)
    if data.ndim == 0 or data.shape[-1] == 0:
        raise InputError("A series check needs at least one value.", hint="pass a 1-D or 2-D hourly array.")
    return data


def _positive(number: int, name: str) -> None:
    if isinstance(number, bool) or number < 1:
        raise InputError(
            f"{name} must be a positive number of hours, got {number!r}.", hint=f"pass {name}=6."
        )


def _run_lengths(starts: BoolArray) -> IntArray:
    """For a flat boolean ``starts`` (True where a run begins), the length of each element's run."""
    run = np.cumsum(starts) - 1
    lengths = np.bincount(run)
    result: IntArray = lengths[run].astype(np.int64)
    return result


def stuck_mask(values: ArrayLike, *, minimum_hours: int = 12, floor: float = -np.inf) -> BoolArray:
    """True for each value inside a run of at least ``minimum_hours`` identical valid values above ``floor``."""
    _positive(minimum_hours, "minimum_hours")
    data = _series(values)
    flat = data.reshape(-1, data.shape[-1])
    same = np.zeros(flat.shape, dtype=bool)
    same[:, 1:] = flat[:, 1:] == flat[:, :-1]  # NaN never equals: a gap ends a run
    lengths = _run_lengths((~same).reshape(-1)).reshape(flat.shape)
    mask = (lengths >= minimum_hours) & ~np.isnan(flat) & (flat > floor)
    return mask.reshape(data.shape)


def spike_mask(values: ArrayLike, *, factor: float = 4.0, minimum_jump: float = 0.0) -> BoolArray:
    """True for an isolated peak: above ``factor`` times and ``minimum_jump`` over both valid neighbours.

    The first and last hours, and hours next to a gap, are never spikes (a neighbour is missing).
    """
    if factor < 1.0 or minimum_jump < 0.0:
        raise InputError(
            f"spike factor {factor} / minimum jump {minimum_jump} cannot detect a peak.",
            hint="pass factor >= 1 and minimum_jump >= 0.",
        )
    data = _series(values)
    before = np.full(data.shape, np.nan)
    after = np.full(data.shape, np.nan)
    before[..., 1:] = data[..., :-1]
    after[..., :-1] = data[..., 1:]
    neighbour = np.fmax(before, after)
    with np.errstate(invalid="ignore"):
        mask = (
            (data > factor * before)
            & (data > factor * after)
            & (data - neighbour > minimum_jump)
            & (neighbour >= 0.0)
        )
    return np.asarray(mask, dtype=bool)


def inconsistent_mask(pm25: ArrayLike, pm10: ArrayLike, *, tolerance: float = 0.0) -> BoolArray:
    """True where PM2.5 exceeds PM10 (same station and hour) by more than ``tolerance``.

    PM2.5 is a fraction of PM10, so PM2.5 > PM10 cannot be physically right; both values are
    suspect. Hours where either value is missing are False.
    """
    fine = np.asarray(pm25, dtype=np.float64)
    coarse = np.asarray(pm10, dtype=np.float64)
    if fine.shape != coarse.shape:
        raise InputError(
            f"PM2.5 has shape {fine.shape} but PM10 {coarse.shape}.",
            hint="align both on the same stations and hours first.",
        )
    with np.errstate(invalid="ignore"):
        return np.asarray(fine > coarse + tolerance, dtype=bool)


@dataclass(frozen=True)
class SilentPeriods:
    """Station-down events: runs of hours with no valid value.

    ``series`` is the index of the series (row), ``first_hour`` the index of the first silent
    hour on the grid, ``hours`` the length of the run. Sorted by series, then first hour.
    """

    series: IntArray
    first_hour: IntArray
    hours: IntArray


def silent_periods(valid: ArrayLike, *, minimum_hours: int = 6) -> SilentPeriods:
    """Runs of at least ``minimum_hours`` hours without a valid value, per row of ``valid`` (2-D bool)."""
    _positive(minimum_hours, "minimum_hours")
    present = np.asarray(valid, dtype=bool)
    if present.ndim != 2 or present.shape[1] == 0:
        raise InputError(
            f"valid must be a 2-D (station, hour) array, got shape {present.shape}.",
            hint="pass one row per station on a gap-free hourly grid.",
        )
    padded = np.zeros((present.shape[0], present.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ~present
    change = np.diff(padded, axis=1)
    rows, starts = np.nonzero(change == 1)
    _, ends = np.nonzero(change == -1)
    lengths = (ends - starts).astype(np.int64)
    keep = lengths >= minimum_hours
    return SilentPeriods(rows[keep].astype(np.int64), starts[keep].astype(np.int64), lengths[keep])


def series_flags(
    values: Mapping[str, ArrayLike], thresholds: QualityThresholds = DEFAULT_THRESHOLDS
) -> dict[str, NDArray[np.int32]]:
    """``STUCK``, ``SPIKE`` and ``INCONSISTENT`` bits for each parameter's (station, hour) array.

    ``values`` maps parameter keys (``pm25``, ``pm10`` ...) to arrays of one shape. The
    ``INCONSISTENT`` bit is set on both PM2.5 and PM10 when both are given.
    """
    flags: dict[str, NDArray[np.int32]] = {}
    for parameter, series in values.items():
        data = _series(series)
        bits = np.where(
            stuck_mask(data, minimum_hours=thresholds.stuck_hours, floor=thresholds.floor_of(parameter)),
            np.int32(QaFlag.STUCK),
            np.int32(0),
        )
        spikes = spike_mask(data, factor=thresholds.spike_factor, minimum_jump=thresholds.jump_of(parameter))
        bits |= np.where(spikes, np.int32(QaFlag.SPIKE), np.int32(0))
        flags[parameter] = bits.astype(np.int32)
    if "pm25" in values and "pm10" in values:
        both = inconsistent_mask(values["pm25"], values["pm10"], tolerance=thresholds.inconsistency_tolerance)
        for parameter in ("pm25", "pm10"):
            flags[parameter] |= np.where(both, np.int32(QaFlag.INCONSISTENT), np.int32(0))
    return flags
