"""Averages of hourly concentrations under the data-capture rules of air-quality standards.

Every helper returns an :class:`Aggregate` (or :class:`Statistic`): the values, how many
inputs were valid for each of them, and whether the capture rule was met. A value whose
rule was not met is NaN; nothing is silently averaged over too few data.

Conventions (see ``docs/methodology/units-and-averaging.md``)
-------------------------------------------------------------
* ``values`` is float64 with NaN for a missing hour; the last axis is time, any leading
  axes are stations (so a 2-D ``(station, hour)`` array is aggregated in one call).
  Infinite values are refused.
* ``timestamps`` is a 1-D, strictly increasing ``datetime64`` array on whole hours,
  shared by every station. ``timestamps[i]`` is the **start** of the hour that
  ``values[..., i]`` averages, in the **local time that defines the standard's day**:
  the caller converts to it (China: the natural day 0-24 h, Beijing time; US App. N:
  midnight to midnight, local standard time). Chinese networks label an hourly value with
  the hour at which it *ends* (HJ 663-2013 Table A.1, as quoted in GB/T 34302-2017 2.3);
  shift such labels with :func:`hour_ending_to_hour_beginning` first.
* Hours absent from ``timestamps`` count as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.errors import InputError
from greenbri.core.units import AveragingPeriod, Citation

__all__ = [
    "ANNUAL_CAPTURE_RULES",
    "DAILY_CAPTURE_RULES",
    "MDA8_CONVENTIONS",
    "PERCENTILE_METHODS",
    "Aggregate",
    "AnnualCaptureRule",
    "DailyCaptureRule",
    "ExceedanceCount",
    "Mda8Convention",
    "Statistic",
    "annual_mean",
    "count_exceedances",
    "daily_max_8h_mean",
    "daily_mean",
    "hour_ending_to_hour_beginning",
    "percentile",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
DatetimeArray = NDArray[np.datetime64]

HOURS_PER_DAY = 24
#: The "8" of "8-hour mean": the length of a running window, by definition.
WINDOW_HOURS = 8
_ONE_HOUR = np.timedelta64(1, "h")
_Rule = TypeVar("_Rule")
_Unit = Literal["h", "D"]


@dataclass(frozen=True)
class Aggregate:
    """Values aggregated over periods, with their data capture.

    ``starts`` is the first instant of each period (``datetime64[D]`` for days,
    ``datetime64[Y]`` for years). ``values``, ``valid_count`` and ``capture_met`` have
    shape ``(..., len(starts))``. ``kept_by_exceedance`` (MDA8 only) marks days whose
    capture rule failed but whose value is kept because it already exceeds the limit.
    """

    period: AveragingPeriod
    starts: DatetimeArray
    values: FloatArray
    valid_count: IntArray
    capture_met: BoolArray
    rule: str
    kept_by_exceedance: BoolArray | None = None


# --------------------------------------------------------------------------------------
# Capture rules and conventions, as data with citations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DailyCaptureRule:
    """Minimum number of valid hourly values for a valid 24-hour mean."""

    name: str
    min_valid_hours: int
    citation: Citation


DAILY_CAPTURE_RULES: Mapping[str, DailyCaptureRule] = MappingProxyType(
    {
        "cn-gb3095": DailyCaptureRule(
            "cn-gb3095",
            20,
            Citation(
                "GB 3095-2012 Ambient air quality standards",
                "clause 8 data validity, Table 4: 24-hour mean of SO2, NO2, CO, PM10, PM2.5, NOx needs at "
                "least 20 hourly means (or sampling hours) per day",
                verified="secondary",
                note=(
                    "day = natural day 0-24 h; quoted in two independent sources; GB 3095-2026 clause 6.4 Table 4 "
                    "(read in the scan) keeps 20 hourly values"
                ),
            ),
        ),
        "eu": DailyCaptureRule(
            "eu",
            18,
            Citation(
                "Directive 2008/50/EC",
                "Annex XI section A: 24-hour values need 75 % of the hourly averages (at least 18)",
                verified="secondary",
                note="75 % of 24 is 18; applied as such by EU reanalysis products; Annex text not re-read",
            ),
        ),
        "us-pm25": DailyCaptureRule(
            "us-pm25",
            18,
            Citation(
                "US 40 CFR Part 50 Appendix N (PM2.5)",
                "section 3.0(c): a 24-hour average is valid with at least 75 % of the hourly averages "
                "(18 hourly values)",
                verified="secondary",
                note=(
                    "App. N also keeps a day with fewer hours if its value with zeros substituted exceeds "
                    "the level; that substitution test is not implemented"
                ),
            ),
        ),
    }
)


@dataclass(frozen=True)
class Mda8Convention:
    """How a standard forms the maximum daily 8-hour mean from hourly values.

    The day's windows start at ``first_window_start_hour`` (hours after the day's 00:00,
    negative = the previous day) and each following hour, ``window_count`` of them, each
    ``WINDOW_HOURS`` long. A window mean is valid with ``min_hours_per_window`` hours
    (divided by the hours present); the day is valid with ``min_valid_windows`` valid
    windows, or, where ``exceedance_keeps_day``, when its maximum already exceeds the
    limit given by the caller.
    """

    name: str
    first_window_start_hour: int
    window_count: int
    min_hours_per_window: int
    min_valid_windows: int
    exceedance_keeps_day: bool
    citations: tuple[Citation, ...]


_GB3095_8H = Citation(
    "GB 3095-2012",
    "Table 4: the 8-hour mean of O3 needs at least 6 hourly means per 8 hours",
    verified="secondary",
    note="quoted in a monitoring code comment; standard text not re-read",
)

MDA8_CONVENTIONS: Mapping[str, Mda8Convention] = MappingProxyType(
    {
        "cn-hj663": Mda8Convention(
            "cn-hj663",
            first_window_start_hour=0,
            window_count=17,
            min_hours_per_window=6,
            min_valid_windows=14,
            exceedance_keeps_day=True,
            citations=(
                _GB3095_8H,
                Citation(
                    "HJ 663-2013 Technical regulation for ambient air quality assessment (on trial)",
                    "definition of the O3 daily maximum 8-hour mean (8-hour means ending 08:00 to 24:00 of the "
                    "natural day) and its validity: at least 14 valid 8-hour means per day",
                    verified="secondary",
                    note=(
                        "windows 00-08 ... 16-24 and 14 of 17 are the defaults of the R package foqat (dm8n) "
                        "and of a CNEMC-style script; the rule that a day with fewer windows still counts "
                        "when it exceeds the limit is recalled, not re-read"
                    ),
                ),
            ),
        ),
        "eu": Mda8Convention(
            "eu",
            first_window_start_hour=-7,
            window_count=24,
            min_hours_per_window=6,
            min_valid_windows=18,
            exceedance_keeps_day=False,
            citations=(
                Citation(
                    "Directive 2008/50/EC",
                    "Annex VII A.2 (and Annex XI A): eight-hour values need 75 % of values (six hours); the "
                    "maximum daily 8-hour mean needs 75 % of the hourly running 8-hour averages (18 per day)",
                    verified="text",
                    note="read in the legislation.gov.uk copy of Annex VII A.2",
                ),
                Citation(
                    "Directive 2008/50/EC",
                    "Annex VII B footnote / Annex XI B: each 8-hour average is assigned to the day on which it "
                    "ends; the first period is 17:00 the previous day to 01:00, the last 16:00 to 24:00",
                    verified="text",
                    note="read in UK transpositions (SI 2007/64, SSI 2003/428) and the ECHA summary",
                ),
            ),
        ),
        "us-app-u": Mda8Convention(
            "us-app-u",
            first_window_start_hour=7,
            window_count=17,
            min_hours_per_window=6,
            min_valid_windows=13,
            exceedance_keeps_day=True,
            citations=(
                Citation(
                    "US 40 CFR Part 50 Appendix U (O3, 2015)",
                    "section 3: 8-hour averages stored at their start hour, valid with 6 of 8 hours; the daily "
                    "maximum is the highest of the 17 averages starting 07:00 to 23:00 and is valid with 13 of "
                    "them, or when it exceeds the level",
                    verified="secondary",
                    note=(
                        "read in EPA AirNow-Tech documentation and an EPA-derived summary; the window-level "
                        "zero-substitution test of App. U is not implemented"
                    ),
                ),
            ),
        ),
    }
)


@dataclass(frozen=True)
class AnnualCaptureRule:
    """Data capture needed for a valid calendar-year mean.

    ``resolution`` is the input it applies to (``"day"``: daily values, ``"hour"``:
    hourly values). ``min_percent`` is of the days or hours in that year.
    """

    name: str
    resolution: str
    min_values: int | None
    min_percent: int | None
    min_values_per_month: tuple[int, ...] | None
    citation: Citation


ANNUAL_CAPTURE_RULES: Mapping[str, AnnualCaptureRule] = MappingProxyType(
    {
        "cn-gb3095": AnnualCaptureRule(
            "cn-gb3095",
            resolution="day",
            min_values=324,
            min_percent=None,
            min_values_per_month=(27, 25, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27),
            citation=Citation(
                "GB 3095-2012",
                "Table 4: annual mean of SO2, NO2, PM10, PM2.5, NOx needs at least 324 daily means per year and "
                "at least 27 per month (25 in February)",
                verified="secondary",
                note=(
                    "GB 3095-2012 text not re-read; the same numbers are in GB 3095-2026 clause 6.4 Table 4, read "
                    "in the scan (gb-3095-2026.pdf, page 6)"
                ),
            ),
        ),
        "eu": AnnualCaptureRule(
            "eu",
            resolution="hour",
            min_values=None,
            min_percent=90,
            min_values_per_month=None,
            citation=Citation(
                "Directive 2008/50/EC",
                "Annex XI A: annual mean needs 90 % of the one-hour values (or, if not available, of the "
                "24-hour values) over the year",
                verified="secondary",
                note=(
                    "Annex I A (minimum data capture 90 %) read on legislation.gov.uk; the basis (one-hour or "
                    "24-hour values over the year) read in the ECHA summary of Annex XI; data lost to regular "
                    "calibration or normal maintenance do not count against capture there, which this rule "
                    "cannot know"
                ),
            ),
        ),
        "eu-daily": AnnualCaptureRule(
            "eu-daily",
            resolution="day",
            min_values=None,
            min_percent=90,
            min_values_per_month=None,
            citation=Citation(
                "Directive 2008/50/EC",
                "Annex XI A: the 90 % applies to 24-hour values when one-hour values are not available",
                verified="secondary",
            ),
        ),
    }
)


# --------------------------------------------------------------------------------------
# Input checks and the hourly grid
# --------------------------------------------------------------------------------------


def hour_ending_to_hour_beginning(timestamps: ArrayLike) -> DatetimeArray:
    """Shift hour-ending labels (value at 01:00 covers 00:00-01:00) to hour-beginning ones."""
    return _as_datetimes(timestamps, "h") - _ONE_HOUR


def _as_datetimes(timestamps: ArrayLike, unit: _Unit) -> DatetimeArray:
    stamps = np.asarray(timestamps)
    if stamps.dtype.kind != "M":
        raise InputError(
            f"Timestamps must be numpy datetime64, got dtype {stamps.dtype}.",
            hint=f"pass np.asarray(..., dtype='datetime64[{unit}]') in the standard's local time.",
        )
    if np.isnat(stamps).any():
        raise InputError("Timestamps contain NaT.", hint="drop rows without a time before aggregating.")
    coarse = stamps.astype(f"datetime64[{unit}]")
    if not np.array_equal(coarse.astype(stamps.dtype), stamps):
        raise InputError(
            f"Timestamps are not on whole {'hours' if unit == 'h' else 'days'}.",
            hint="aggregate sub-hourly data to hourly means first, labelled by the start of each hour.",
        )
    return coarse


def _checked(values: ArrayLike, timestamps: ArrayLike, unit: _Unit) -> tuple[FloatArray, DatetimeArray]:
    stamps = _as_datetimes(timestamps, unit)
    data = np.asarray(values, dtype=np.float64)
    if stamps.ndim != 1 or stamps.size == 0:
        raise InputError("Timestamps must be a non-empty 1-D array.", hint="pass one timestamp per value.")
    if data.ndim == 0 or data.shape[-1] != stamps.size:
        raise InputError(
            f"values has shape {data.shape} but there are {stamps.size} timestamps.",
            hint="the last axis of values is time and must match the timestamps.",
        )
    if np.any(np.diff(stamps) <= np.timedelta64(0, unit)):
        raise InputError(
            "Timestamps are not strictly increasing.",
            hint="sort by time and merge duplicate timestamps before aggregating.",
        )
    if np.isinf(data).any():
        raise InputError("values contain infinite numbers.", hint="mark unusable values as NaN.")
    return data, stamps


def _hourly_grid(
    data: FloatArray, stamps: DatetimeArray, pad_before: int, pad_after: int
) -> tuple[FloatArray, DatetimeArray]:
    """Scatter values on a gap-free hourly grid of whole days, with padding hours each side."""
    days = np.arange(stamps[0].astype("datetime64[D]"), stamps[-1].astype("datetime64[D]") + 1)
    origin = days[0].astype("datetime64[h]") - np.timedelta64(pad_before, "h")
    length = pad_before + days.size * HOURS_PER_DAY + pad_after
    grid = np.full((*data.shape[:-1], length), np.nan)
    grid[..., (stamps - origin).astype(np.int64)] = data
    return grid, days


# --------------------------------------------------------------------------------------
# Daily mean
# --------------------------------------------------------------------------------------


def _daily_rule(capture: str | DailyCaptureRule | int) -> DailyCaptureRule:
    if isinstance(capture, DailyCaptureRule):
        return capture
    if isinstance(capture, str):
        return _lookup(DAILY_CAPTURE_RULES, capture, "daily capture rule")
    if isinstance(capture, bool) or not 1 <= capture <= HOURS_PER_DAY:
        raise InputError(
            f"{capture!r} is not a possible minimum number of valid hours in a {HOURS_PER_DAY}-hour day.",
            hint=f"give a preset ({', '.join(DAILY_CAPTURE_RULES)}) or an integer between 1 and {HOURS_PER_DAY}.",
        )
    return DailyCaptureRule(f"at least {capture} h", capture, Citation("caller", "explicit minimum", "n/a"))


def daily_mean(values: ArrayLike, timestamps: ArrayLike, capture: str | DailyCaptureRule | int) -> Aggregate:
    """24-hour means per calendar day, NaN where fewer than the rule's valid hours.

    Parameters
    ----------
    values, timestamps
        Hourly data, see the module conventions.
    capture
        A preset id from :data:`DAILY_CAPTURE_RULES` (``"cn-gb3095"``: 20 h, ``"eu"``,
        ``"us-pm25"``: 18 h), a :class:`DailyCaptureRule`, or an explicit minimum number
        of valid hours.
    """
    rule = _daily_rule(capture)
    data, stamps = _checked(values, timestamps, "h")
    grid, days = _hourly_grid(data, stamps, 0, 0)
    hours = grid.reshape(*grid.shape[:-1], days.size, HOURS_PER_DAY)
    valid = ~np.isnan(hours)
    counts = valid.sum(axis=-1)
    sums = np.where(valid, hours, 0.0).sum(axis=-1)
    met = counts >= rule.min_valid_hours
    means = np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=met)
    return Aggregate(AveragingPeriod.HOUR_24, days, means, counts.astype(np.int64), met, rule.name)


# --------------------------------------------------------------------------------------
# Maximum daily 8-hour mean
# --------------------------------------------------------------------------------------


def _window_means(
    data: FloatArray, stamps: DatetimeArray, convention: Mda8Convention
) -> tuple[FloatArray, BoolArray, DatetimeArray]:
    """The day's 8-hour window means, shape (..., days, windows), and which are valid."""
    start = convention.first_window_start_hour
    pad_before = max(0, -start)
    pad_after = max(0, start + convention.window_count - 1 + WINDOW_HOURS - HOURS_PER_DAY)
    grid, days = _hourly_grid(data, stamps, pad_before, pad_after)
    present = ~np.isnan(grid)
    filled = np.where(present, grid, 0.0)
    starts = grid.shape[-1] - WINDOW_HOURS + 1
    counts = np.zeros((*grid.shape[:-1], starts), dtype=np.int64)
    sums = np.zeros((*grid.shape[:-1], starts))
    for offset in range(WINDOW_HOURS):  # window starting at t holds hours t .. t + 7
        counts += present[..., offset : offset + starts]
        sums += filled[..., offset : offset + starts]
    first = pad_before + start + np.arange(days.size) * HOURS_PER_DAY
    index = first[:, np.newaxis] + np.arange(convention.window_count)[np.newaxis, :]
    window_counts, window_sums = counts[..., index], sums[..., index]
    valid = window_counts >= convention.min_hours_per_window
    means = np.divide(window_sums, window_counts, out=np.full(window_sums.shape, np.nan), where=valid)
    return means, valid, days


def daily_max_8h_mean(
    values: ArrayLike,
    timestamps: ArrayLike,
    convention: str | Mda8Convention,
    *,
    exceedance_limit: float | None = None,
) -> Aggregate:
    """Maximum daily 8-hour mean (MDA8) per day under a standard's convention.

    Parameters
    ----------
    values, timestamps
        Hourly data, see the module conventions.
    convention
        ``"cn-hj663"`` (windows ending 08:00-24:00, 6 h each, 14 of 17), ``"eu"`` (windows
        ending 01:00-24:00, 6 h, 18 of 24), ``"us-app-u"`` (windows starting 07:00-23:00,
        6 h, 13 of 17), or a :class:`Mda8Convention`.
    exceedance_limit
        For conventions with ``exceedance_keeps_day``: a day with too few valid windows
        keeps its value when that value already exceeds this limit (same unit as the
        values). Such days have ``capture_met`` False and ``kept_by_exceedance`` True.

    Returns
    -------
    Aggregate
        ``valid_count`` counts the valid 8-hour windows of each day.
    """
    conv = (
        convention
        if isinstance(convention, Mda8Convention)
        else _lookup(MDA8_CONVENTIONS, convention, "MDA8 convention")
    )
    if exceedance_limit is not None and not conv.exceedance_keeps_day:
        raise InputError(
            f"The {conv.name!r} convention has no rule keeping incomplete days that exceed a limit.",
            hint="call without exceedance_limit.",
        )
    data, stamps = _checked(values, timestamps, "h")
    means, valid, days = _window_means(data, stamps, conv)
    valid_windows = valid.sum(axis=-1)
    highest = np.where(valid_windows > 0, np.where(valid, means, -np.inf).max(axis=-1), np.nan)
    met = valid_windows >= conv.min_valid_windows
    kept = np.zeros_like(met)
    if exceedance_limit is not None:
        kept = ~met & (valid_windows > 0) & (np.nan_to_num(highest, nan=-np.inf) > exceedance_limit)
    result = np.where(met | kept, highest, np.nan)
    return Aggregate(
        AveragingPeriod.DAILY_MAX_8H, days, result, valid_windows.astype(np.int64), met, conv.name, kept
    )


# --------------------------------------------------------------------------------------
# Annual mean
# --------------------------------------------------------------------------------------


def _year_index(stamps: DatetimeArray) -> tuple[DatetimeArray, IntArray, IntArray]:
    """The calendar years covered, each stamp's year position and month (0-11)."""
    years = stamps.astype("datetime64[Y]")
    span = np.arange(years[0], years[-1] + 1)
    position = (years - span[0]).astype(np.int64)
    month = (stamps.astype("datetime64[M]") - years.astype("datetime64[M]")).astype(np.int64)
    return span, position, month


def _possible_per_year(span: DatetimeArray, unit: _Unit) -> IntArray:
    first = span.astype(f"datetime64[{unit}]")
    after = (span + 1).astype(f"datetime64[{unit}]")
    possible: IntArray = (after - first).astype(np.int64)
    return possible


def _group_sums(
    mask: BoolArray, data: FloatArray, group: IntArray, groups: int
) -> tuple[IntArray, FloatArray]:
    """Valid counts and sums per group along the last axis; ``group`` is sorted."""
    labels = np.arange(groups)
    starts = np.searchsorted(group, labels)
    empty = starts == np.searchsorted(group, labels, side="right")
    sentinel = np.zeros((*data.shape[:-1], 1))
    counts = np.add.reduceat(
        np.concatenate([mask.astype(np.int64), sentinel.astype(np.int64)], axis=-1), starts, axis=-1
    )
    sums = np.add.reduceat(np.concatenate([np.where(mask, data, 0.0), sentinel], axis=-1), starts, axis=-1)
    counts[..., empty] = 0
    sums[..., empty] = 0.0
    return counts, sums


def annual_mean(values: ArrayLike, timestamps: ArrayLike, capture: str | AnnualCaptureRule) -> Aggregate:
    """Calendar-year means, NaN where the year's data capture fails the rule.

    Parameters
    ----------
    values, timestamps
        Daily values with ``datetime64[D]`` days (for example ``daily_mean(...).values``
        and ``.starts``) or hourly values with hour-beginning stamps, as the rule's
        ``resolution`` requires.
    capture
        ``"cn-gb3095"`` (daily values: 324 per year, 27 per month, 25 in February),
        ``"eu"`` (hourly values: 90 %), ``"eu-daily"`` (daily values: 90 %), or an
        :class:`AnnualCaptureRule`.
    """
    rule = (
        capture
        if isinstance(capture, AnnualCaptureRule)
        else _lookup(ANNUAL_CAPTURE_RULES, capture, "annual capture rule")
    )
    unit: _Unit = "D" if rule.resolution == "day" else "h"
    data, stamps = _checked(values, timestamps, unit)
    span, position, month = _year_index(stamps)
    valid = ~np.isnan(data)
    counts, sums = _group_sums(valid, data, position, span.size)
    met = np.ones(counts.shape, dtype=bool)
    if rule.min_values is not None:
        met &= counts >= rule.min_values
    if rule.min_percent is not None:
        possible = _possible_per_year(span, unit)
        met &= counts * 100 >= possible * rule.min_percent
    if rule.min_values_per_month is not None:
        monthly, _ = _group_sums(valid, data, position * 12 + month, span.size * 12)
        needed = np.tile(np.asarray(rule.min_values_per_month), span.size)
        met &= (monthly >= needed).reshape(*monthly.shape[:-1], span.size, 12).all(axis=-1)
    means = np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=met & (counts > 0))
    return Aggregate(AveragingPeriod.YEAR, span, means, counts, met, rule.name)


# --------------------------------------------------------------------------------------
# Percentiles and exceedance counts
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistic:
    """A statistic over the last axis, with the number of valid (non-NaN) inputs."""

    values: FloatArray
    valid_count: IntArray
    method: str


PERCENTILE_METHODS: Mapping[str, Citation] = MappingProxyType(
    {
        "linear": Citation(
            "Hyndman and Fan (1996), definition 7; numpy.percentile method='linear'",
            "rank h = (n - 1) p, linear interpolation between the order statistics around h",
            verified="text",
            note=(
                "HJ 663-2013 Annex A uses this definition (k = 1 + (n - 1) p), read in a secondary source (a "
                "worked example of the formula), not in the standard's text. WHO 2021 (99th percentile of daily "
                "values, 3-4 exceedance days a year) names no method; this is the documented default"
            ),
        ),
        "us-app-n": Citation(
            "US 40 CFR Part 50 Appendix N (PM2.5)",
            "98th percentile: the value of rank i + 1 in ascending order, i = integer part of p n "
            "(equivalently the rank table of App. N)",
            verified="recalled",
            note="not re-read; for the 98th percentile it gives the highest value for n <= 50, the second for 51-100",
        ),
    }
)


def _sorted_with_counts(values: ArrayLike) -> tuple[FloatArray, IntArray]:
    data = np.asarray(values, dtype=np.float64)
    if data.ndim == 0 or data.shape[-1] == 0:
        raise InputError("percentile needs a non-empty array of values.", hint="pass a 1-D or 2-D array.")
    if np.isinf(data).any():
        raise InputError("values contain infinite numbers.", hint="mark unusable values as NaN.")
    return np.sort(data, axis=-1), (~np.isnan(data)).sum(axis=-1).astype(np.int64)


def _take(ordered: FloatArray, rank: IntArray) -> FloatArray:
    return np.asarray(np.take_along_axis(ordered, rank[..., np.newaxis], axis=-1)[..., 0], dtype=np.float64)


def percentile(values: ArrayLike, q: float, *, method: str = "linear") -> Statistic:
    """The ``q``-th percentile (0-100) over the last axis, ignoring NaN.

    ``method`` is ``"linear"`` (Hyndman-Fan 7, numpy's default) or ``"us-app-n"``
    (rank ``floor(q/100 · n) + 1``); see :data:`PERCENTILE_METHODS`. A row without
    valid values gives NaN.
    """
    if method not in PERCENTILE_METHODS:
        raise InputError(
            f"Unknown percentile method {method!r}.", hint=f"use one of: {', '.join(PERCENTILE_METHODS)}."
        )
    if not 0 <= q <= 100:
        raise InputError(
            f"A percentile must lie between 0 and 100, got {q}.", hint="pass q=98 for the 98th percentile."
        )
    ordered, counts = _sorted_with_counts(values)
    last = np.maximum(counts - 1, 0)
    fraction = Fraction(str(q)) / 100
    if method == "linear":
        position = last * float(fraction)
        lower = np.floor(position).astype(np.int64)
        upper = np.minimum(lower + 1, last)
        low, high = _take(ordered, lower), _take(ordered, upper)
        result = low + (position - lower) * (high - low)
    else:
        rank = np.minimum(counts * fraction.numerator // fraction.denominator, last)
        result = _take(ordered, rank)
    return Statistic(np.where(counts > 0, result, np.nan), counts, method)


@dataclass(frozen=True)
class ExceedanceCount:
    """How many valid values exceeded a limit, out of how many valid values."""

    count: IntArray
    valid_count: IntArray
    limit: float
    at_or_above: bool


def count_exceedances(values: ArrayLike, limit: float, *, at_or_above: bool = False) -> ExceedanceCount:
    """Count values above ``limit`` over the last axis, ignoring NaN (EU-style "not to be exceeded more than N times").

    An exceedance is a value strictly greater than the limit unless ``at_or_above``.
    Compare ``count`` with the number of exceedances the standard allows, and check
    ``valid_count`` against its capture rule: missing days are never counted as compliant.
    """
    data = np.asarray(values, dtype=np.float64)
    valid = ~np.isnan(data)
    above = data >= limit if at_or_above else data > limit
    return ExceedanceCount(
        (above & valid).sum(axis=-1).astype(np.int64), valid.sum(axis=-1).astype(np.int64), limit, at_or_above
    )


def _lookup(table: Mapping[str, _Rule], key: str, what: str) -> _Rule:
    if key in table:
        return table[key]
    raise InputError(f"Unknown {what} {key!r}.", hint=f"use one of: {', '.join(table)}.")
