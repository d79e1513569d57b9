"""Annual and percentile compliance: annual statistics of daily values with their data capture, and judging.

:func:`annual_statistics` reduces daily values ``(station, day)`` to one value per station and
calendar year (or per 3-year period ending in that year) under an
:class:`~greenbri.core.assessment_forms.AnnualForm`, with the data capture; :func:`judge` compares
one such value, rounded as the form prescribes, with a limit. A year whose capture fails its rule
is NaN and gets status ``INSUFFICIENT``: it is **never compared**. Daily values come from
:mod:`greenbri.usecases.monitoring.derived` under the regime's daily rules; ``days`` are
consecutive local days (``datetime64[D]``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from greenbri.core.assessment_forms import AnnualForm
from greenbri.core.averaging import ANNUAL_CAPTURE_RULES, annual_mean, percentile
from greenbri.core.errors import InputError
from greenbri.core.indicators.targets import apply_rounding
from greenbri.core.standards.model import Limit

__all__ = [
    "AnnualStatistics",
    "AnnualStatus",
    "annual_statistics",
    "judge",
    "rounded",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class AnnualStatus(StrEnum):
    """The outcome of one limit for one station-year (or 3-year period)."""

    MEETS = "meets"
    EXCEEDS = "exceeds"
    INSUFFICIENT = "insufficient"  # data capture below the rule: NO DATA, never compared
    NO_DATA = "no_data"  # no daily value of the pollutant at all
    NOT_COMPUTED = "not_computed"  # the regime assesses it, greenbri cannot compute it


# --------------------------------------------------------------------------------------
# Rounding and judging
# --------------------------------------------------------------------------------------


def rounded(value: float, rule: str) -> float:
    """``value`` under ``rule``: ``exact``, ``half_even:<d>`` (GB/T 8170), ``half_up:<d>``, ``truncate:<d>``."""
    if rule.startswith("truncate:"):
        quantum = Decimal(1).scaleb(-int(rule.split(":")[1]))
        return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_DOWN))
    return float(apply_rounding(value, rule))


def judge(value: float, limit: Limit, form: AnnualForm) -> tuple[float, AnnualStatus]:
    """The value as compared (rounded under the form) and whether it meets ``limit``."""
    compared = rounded(value, form.rounding)
    return compared, AnnualStatus.MEETS if limit.is_met_by(compared) else AnnualStatus.EXCEEDS


# --------------------------------------------------------------------------------------
# Annual statistics
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualStatistics:
    """One value per station and year, shape ``(station, year)``; NaN where capture failed.

    For multi-year forms, ``values[:, y]`` is the average over the years ending in
    ``years[y]``. ``valid_days`` / ``possible_days`` are those of the year itself;
    ``shortfall`` says, per station-year, why capture failed (empty when it was met).
    """

    years: IntArray
    values: FloatArray
    valid_days: IntArray
    possible_days: IntArray
    capture_met: BoolArray
    shortfall: tuple[tuple[str, ...], ...]


def _segments(labels: NDArray[np.int64]) -> tuple[IntArray, IntArray]:
    """Distinct sorted labels and the start of each run in ``labels`` (sorted)."""
    distinct, starts = np.unique(labels, return_index=True)
    return distinct.astype(np.int64), starts.astype(np.int64)


def _sums(data: NDArray[np.int64] | FloatArray, starts: IntArray) -> NDArray[np.float64]:
    return np.asarray(np.add.reduceat(data, starts, axis=-1), dtype=np.float64)


def _month_labels(days: NDArray[np.datetime64]) -> IntArray:
    return days.astype("datetime64[M]").astype(np.int64)


def _parts_capture(
    valid: BoolArray,
    days: NDArray[np.datetime64],
    labels: IntArray,
    parts_per_year: int,
    totals: Callable[[int], int],
    share: float,
    name: Callable[[int], str],
) -> tuple[BoolArray, list[list[str]]]:
    """Capture per part of the year (month, quarter): each part needs ``share`` of ``totals(part)`` valid days.

    ``labels`` numbers each day's part (months or quarters since 1970, sorted); a year also fails
    when some of its parts lie outside the data. Reasons are written only for failing years.
    """
    distinct_years, _ = _segments(days.astype("datetime64[Y]").astype(np.int64))
    parts, starts = _segments(labels)
    counts = _sums(valid.astype(np.int64), starts).astype(np.int64)
    total = np.array([totals(int(part)) for part in parts], dtype=np.int64)
    short = counts < share * total
    part_year = parts // parts_per_year
    first = np.searchsorted(part_year, distinct_years)
    shorts = np.add.reduceat(short.astype(np.int64), first, axis=-1)
    present = np.diff(np.append(first, parts.size))
    met = (shorts == 0) & (present == parts_per_year)
    stations, years = met.shape
    reasons: list[list[str]] = [[] for _ in range(stations * years)]
    for station, index in np.argwhere(~met):
        chosen = np.flatnonzero((part_year == distinct_years[index]) & short[station])
        notes = [f"{name(int(parts[p]))}: {int(counts[station, p])} of {int(total[p])}" for p in chosen]
        if present[index] < parts_per_year:
            unit = "months" if parts_per_year == 12 else "quarters"
            notes.append(f"{parts_per_year - int(present[index])} {unit} outside the data")
        reasons[station * years + index] = notes
    return met, reasons


def _cn_capture(valid: BoolArray, days: NDArray[np.datetime64]) -> tuple[BoolArray, list[list[str]]]:
    rule = ANNUAL_CAPTURE_RULES["cn-gb3095"]
    monthly = rule.min_values_per_month or (0,) * 12
    met, reasons = _parts_capture(
        valid,
        days,
        _month_labels(days),
        12,
        lambda month: monthly[month % 12],
        1.0,
        lambda month: str(np.datetime64(month, "M")),
    )
    minimum = rule.min_values or 0
    _, year_starts = _segments(days.astype("datetime64[Y]").astype(np.int64))
    per_year = _sums(valid.astype(np.int64), year_starts)
    years = met.shape[1]
    for station, index in np.argwhere(per_year < minimum):
        reasons[station * years + index].insert(
            0, f"{int(per_year[station, index])} valid days of {minimum} a year"
        )
    return met & (per_year >= minimum), reasons


def _quarter_capture(
    valid: BoolArray, days: NDArray[np.datetime64], share: float
) -> tuple[BoolArray, list[list[str]]]:
    return _parts_capture(
        valid,
        days,
        _month_labels(days) // 3,
        4,
        _days_in_quarter,
        share,
        lambda quarter: f"{1970 + quarter // 4}-Q{quarter % 4 + 1}",
    )


def _days_in_quarter(quarter: int) -> int:
    first = np.datetime64(quarter * 3, "M")
    return int(((first + 3).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64))


def _year_capture(
    valid: BoolArray, days: NDArray[np.datetime64], capture: str
) -> tuple[BoolArray, list[list[str]]]:
    if capture == "cn":
        return _cn_capture(valid, days)
    if capture == "us-quarters":
        return _quarter_capture(valid, days, 0.75)
    if capture == "us-app-u":
        return _share_capture(valid, days, 0.75)
    raise InputError(f"Unknown capture rule {capture!r}.", hint="use cn, us-quarters or us-app-u.")


def _share_capture(
    valid: BoolArray, days: NDArray[np.datetime64], share: float
) -> tuple[BoolArray, list[list[str]]]:
    years = days.astype("datetime64[Y]").astype(np.int64)
    distinct, starts = _segments(years)
    counts = _sums(valid.astype(np.int64), starts)
    possible = np.array([_days_in_year(int(year)) for year in distinct])
    met = counts >= share * possible
    reasons = [
        []
        if met[station, index]
        else [f"{int(counts[station, index])} of {possible[index]} days with a value"]
        for station in range(valid.shape[0])
        for index in range(distinct.size)
    ]
    return met, reasons


def _days_in_year(year: int) -> int:
    first = np.datetime64(year, "Y")
    return int(((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64))


def _reduce_year(block: FloatArray, block_days: NDArray[np.datetime64], form: AnnualForm) -> FloatArray:
    """One value per station from one year's daily values ``(station, day)``."""
    valid = ~np.isnan(block)
    count = valid.sum(axis=-1)
    if form.reduce == "mean":
        total = np.where(valid, block, 0.0).sum(axis=-1)
        return np.asarray(np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0))
    if form.reduce == "percentile":
        return percentile(block, float(form.parameter or 0), method=form.percentile_method).values
    if form.reduce == "nth_highest":
        rank = int(form.parameter or 1)
        ordered = -np.sort(-np.where(valid, block, -np.inf), axis=-1)
        value = ordered[:, rank - 1] if block.shape[-1] >= rank else np.full(count.shape, -np.inf)
        return np.where(count >= rank, value, np.nan)
    if form.reduce == "quarterly_mean":
        quarters = _month_labels(block_days) // 3
        _, starts = _segments(quarters)
        sums = _sums(np.where(valid, block, 0.0), starts)
        counts = _sums(valid.astype(np.int64), starts)
        means = np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)
        return np.asarray(means.mean(axis=-1), dtype=np.float64)
    if form.reduce == "peak_season":
        return _peak_season(block, valid, block_days, int(form.parameter or 6))
    raise InputError(f"Unknown annual reduction {form.reduce!r}.", hint="see AnnualForm.")


def _peak_season(
    block: FloatArray, valid: BoolArray, block_days: NDArray[np.datetime64], months: int
) -> FloatArray:
    """Mean of the daily values in the ``months`` consecutive months (within the year) with the highest mean."""
    _, starts = _segments(_month_labels(block_days))
    sums = _sums(np.where(valid, block, 0.0), starts)
    counts = _sums(valid.astype(np.int64), starts)
    if sums.shape[-1] < months:
        return np.full(block.shape[0], np.nan)
    windows = sums.shape[-1] - months + 1
    window_sums = np.stack(
        [sums[:, first : first + months].sum(axis=-1) for first in range(windows)], axis=-1
    )
    window_counts = np.stack(
        [counts[:, first : first + months].sum(axis=-1) for first in range(windows)], axis=-1
    )
    means = np.divide(
        window_sums, window_counts, out=np.full(window_sums.shape, np.nan), where=window_counts > 0
    )
    return np.asarray(np.nanmax(np.where(np.isnan(means), -np.inf, means), axis=-1), dtype=np.float64)


def annual_statistics(values: FloatArray, days: NDArray[np.datetime64], form: AnnualForm) -> AnnualStatistics:
    """``form``'s statistic of ``values`` ``(station, day)`` per calendar year, with its data capture.

    A year that fails the form's capture rule is NaN; for a 3-year form, the value of year
    ``y`` averages years ``y-2 .. y`` and is NaN unless all three are in the data and met
    (``us-app-u``: each year >= 75 % and their average >= 90 % of days).
    """
    data = np.atleast_2d(np.asarray(values, dtype=np.float64))
    stamps = np.asarray(days).astype("datetime64[D]")
    if data.shape[-1] != stamps.size or stamps.size == 0:
        raise InputError(
            f"values have {data.shape[-1]} days but {stamps.size} dates were given.",
            hint="pass one date per column of daily values.",
        )
    if np.any(np.diff(stamps) != np.timedelta64(1, "D")):
        raise InputError("Daily dates must be consecutive days.", hint="pass the series' own days.")
    valid = ~np.isnan(data)
    met, reasons = _year_capture(valid, stamps, form.capture)
    year_of_day = stamps.astype("datetime64[Y]").astype(np.int64)
    distinct, starts = _segments(year_of_day)
    bounds = [*starts.tolist(), stamps.size]
    per_year = np.stack(
        [
            _reduce_year(data[:, bounds[i] : bounds[i + 1]], stamps[bounds[i] : bounds[i + 1]], form)
            for i in range(distinct.size)
        ],
        axis=-1,
    )
    valid_days = _sums(valid.astype(np.int64), starts).astype(np.int64)
    possible = np.array([_days_in_year(int(year)) for year in distinct], dtype=np.int64)
    if form.capture == "cn" and form.reduce == "mean":
        # the annual mean itself comes from the one implementation of the GB 3095 rule
        checked = annual_mean(data, stamps, "cn-gb3095")
        met &= checked.capture_met
        per_year = checked.values
    values_out = np.where(met, per_year, np.nan)
    shortfall = [list(item) for item in reasons]
    if form.years > 1:
        values_out, met = _multi_year(values_out, met, valid_days, possible, form, shortfall, distinct)
    stations, count = data.shape[0], distinct.size
    return AnnualStatistics(
        (distinct + 1970).astype(np.int64),
        values_out,
        valid_days,
        np.broadcast_to(possible, (stations, count)).copy(),
        met,
        tuple(
            tuple(shortfall[station * count + index]) for station in range(stations) for index in range(count)
        ),
    )


def _multi_year(
    values: FloatArray,
    met: BoolArray,
    valid_days: IntArray,
    possible: IntArray,
    form: AnnualForm,
    shortfall: list[list[str]],
    years: IntArray,
) -> tuple[FloatArray, BoolArray]:
    span = form.years
    stations, count = values.shape
    averaged = np.full(values.shape, np.nan)
    all_met = np.zeros(values.shape, dtype=bool)
    for index in range(count):
        first = index - span + 1
        for station in range(stations):
            notes = shortfall[station * count + index]
            if first < 0:
                notes.append(
                    f"the {span}-year period {1970 + int(years[index]) - span + 1}-{1970 + int(years[index])} starts before the data"
                )
                continue
            window = slice(first, index + 1)
            ok = bool(met[station, window].all())
            if form.capture == "us-app-u":
                ok = bool(valid_days[station, window].sum() >= 0.9 * possible[window].sum()) and ok
                if not ok:
                    notes.append("fewer than 90 % of days with an MDA8 over the 3 years, or < 75 % in one")
            elif not ok:
                failed = [
                    str(1970 + int(year))
                    for year, good in zip(years[window], met[station, window], strict=True)
                    if not good
                ]
                notes.append(f"incomplete years in the period: {', '.join(failed)}")
            if ok:
                averaged[station, index] = float(values[station, window].mean())
                all_met[station, index] = True
    return averaged, all_met
