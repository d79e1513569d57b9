"""Annual and percentile compliance: how a limit is assessed over a calendar year, as cited data.

A standard's limit says "24-hour mean <= 75 ug/m3"; the assessment rules say which number of a
year is compared with it and when a year has enough data to be compared at all. Each
:class:`AnnualForm` is one such rule (the annual mean, the 95th percentile of the daily means,
the 3-year average of the 4th-highest MDA8...), with its capture rule, its rounding and its
citation; :data:`FORM_SETS` groups them by assessment regime and :data:`STANDARD_FORM_SETS` says
which regime each standard of the library is assessed under.

:func:`annual_statistics` reduces daily values ``(station, day)`` to one value per station and
calendar year (or per 3-year period ending in that year) under a form, with the data capture;
:func:`judge` compares one such value with a limit. A year whose capture fails its rule gets
status ``INSUFFICIENT`` and is **never compared**; a pollutant without any daily value gets
``NO_DATA``. A limit that the regime does not assess annually (HJ 663's 1-hour limits) is
:class:`NotAssessed` and stays out of the verdict; one that the regime assesses but greenbri
cannot compute (US PM10 expected exceedances) is :class:`NotAssessed` with
``counts_against_verdict`` and makes a verdict ``INSUFFICIENT`` rather than "meets".

Daily values come from :mod:`greenbri.usecases.monitoring.derived` under the regime's daily
rules; ``days`` are consecutive local days (``datetime64[D]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from greenbri.core.averaging import ANNUAL_CAPTURE_RULES, annual_mean, percentile
from greenbri.core.errors import InputError
from greenbri.core.indicators.targets import apply_rounding
from greenbri.core.standards.model import Limit
from greenbri.core.units import Citation

__all__ = [
    "FORM_SETS",
    "STANDARD_FORM_SETS",
    "AnnualForm",
    "AnnualStatistics",
    "AnnualStatus",
    "NotAssessed",
    "annual_statistics",
    "form_for",
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


@dataclass(frozen=True)
class AnnualForm:
    """How one kind of limit is assessed over a year.

    ``series`` is the daily series suffix (``24h``, ``8h`` for MDA8, ``1h`` for daily 1-hour
    maxima); ``reduce`` one of ``mean``, ``percentile``, ``nth_highest``, ``quarterly_mean``,
    ``peak_season``; ``parameter`` the percentile or the rank; ``percentile_method`` a key of
    :data:`greenbri.core.averaging.PERCENTILE_METHODS`; ``capture`` one of ``cn`` (the GB 3095
    annual rule), ``us-quarters`` (75 % of days in every quarter), ``us-app-u`` (75 % of days
    each year, 90 % on average); ``rounding`` ``exact``, ``half_even:<d>``, ``half_up:<d>`` or
    ``truncate:<d>``; ``years`` how many years are averaged (US design values: 3).
    """

    name: str
    series: str
    reduce: str
    parameter: float | None
    percentile_method: str
    capture: str
    rounding: str
    years: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class NotAssessed:
    """A limit the regime does not assess over a year, or that greenbri cannot compute."""

    reason: str
    counts_against_verdict: bool
    citation: Citation | None = None


# --------------------------------------------------------------------------------------
# Citations
# --------------------------------------------------------------------------------------

_GB3095_CAPTURE = Citation(
    "GB 3095-2026 Ambient air quality standard (and GB 3095-2012, same numbers)",
    "clause 6.4, Table 4: an annual mean of SO2, NO2, PM10, PM2.5 (NOx) needs at least 324 daily means per "
    "year and at least 27 per month (25 in February); a daily mean needs 20 hourly values; an 8-hour O3 mean "
    "6 hourly values",
    verified="text",
    note="read in the scan gb-3095-2026.pdf, page 6; GB 3095-2012 Table 4 quoted with the same numbers",
)
_HJ663_ITEMS = Citation(
    "HJ 663-2013 Technical regulation for ambient air quality assessment (on trial)",
    "Table 1, annual assessment: SO2 and NO2 annual mean and 98th percentile of daily means; PM10 and PM2.5 "
    "annual mean and 95th percentile of daily means; CO 95th percentile of daily means; O3 90th percentile of "
    "the daily maximum 8-hour means",
    verified="secondary",
    note="the standard's text was not available; the items are quoted identically in independent implementations",
)
_HJ663_PERCENTILE = Citation(
    "HJ 663-2013",
    "Annex A, percentile: sort the n values ascending, k = 1 + (n - 1) p %, s = integer part of k, "
    "m_p = X(s) + (X(s+1) - X(s)) (k - s)",
    verified="secondary",
    note="read in a worked example of the HJ 663 formula; it is numpy's 'linear' method (Hyndman-Fan 7)",
)
_HJ663_CAPTURE = Citation(
    "HJ 663-2013",
    "clause 6 (data statistics): the percentiles of a calendar year need the same valid days as the annual "
    "mean (324 a year, 27 a month, 25 in February)",
    verified="recalled",
    note="uncertain: not re-read; greenbri applies the GB 3095 Table 4 annual rule to every annual statistic",
)
_HJ663_ROUNDING = Citation(
    "HJ 663-2013, GB/T 8170-2008",
    "assessment results rounded by GB/T 8170 (round half to even): ug/m3 to whole numbers, CO (mg/m3) to one "
    "decimal, then compared with the limit",
    verified="recalled",
    note="uncertain for HJ 663-2013 (not re-read); the same precision is prescribed by HJ 633-2026 clause 4.2.2. "
    "Reports show the unrounded value too",
)
_HJ663_HOURLY = Citation(
    "HJ 663-2013",
    "Table 1: 1-hour limits belong to hourly assessment; the annual assessment uses the items above",
    verified="secondary",
)
_WHO = Citation(
    "WHO global air quality guidelines (2021)",
    "Table 0.1: annual means; short-term levels as the 99th percentile of the daily values (3-4 exceedance "
    "days a year, footnote a); O3 peak season (footnote b)",
    verified="secondary",
    note="as recorded in the standards library (who-aqg-2021.json)",
)
_WHO_CAPTURE = Citation(
    "greenbri",
    "WHO 2021 states no data-capture rule: greenbri applies China's (GB 3095 Table 4: 324 days, 27 a month, "
    "25 in February), compares unrounded values, and uses the 'linear' percentile",
    verified="text",
    note="greenbri's operationalisation, not a WHO rule",
)
_APP_N = Citation(
    "40 CFR Part 50 Appendix N (PM2.5)",
    "4.1-4.5: annual mean = mean of the 4 quarterly means; a year is complete with >= 75 % of scheduled samples "
    "in every quarter; 98th percentile by the rank table (value of rank floor(0.98 n) + 1, ascending); design "
    "values = 3-year averages, annual rounded to 0.1 ug/m3 and 24-hour to 1 ug/m3",
    verified="recalled",
    note=(
        "uncertain: not re-read. An hourly monitor's scheduled samples are taken as every day of the quarter; "
        "the App N tests that validate incomplete years are not implemented"
    ),
)
_APP_U = Citation(
    "40 CFR Part 50 Appendix U (O3, 2015)",
    "section 4: the 4th-highest MDA8 of each year averaged over 3 years, truncated to 0.001 ppm; valid with an "
    "MDA8 on >= 90 % of the season's days on average over the 3 years and >= 75 % in each year",
    verified="recalled",
    note="uncertain: not re-read. The ozone season is taken as the calendar year (no US season applies abroad)",
)
_APP_S_T = Citation(
    "40 CFR Part 50 Appendices S (NO2) and T (SO2)",
    "98th (NO2) / 99th (SO2) percentile of the daily maximum 1-hour values of each year (rank table, "
    "floor(p n) + 1 ascending), averaged over 3 years and rounded to 1 ppb; a year counts with >= 75 % of days "
    "in every quarter",
    verified="recalled",
    note="uncertain: not re-read; the App S/T substitution tests for incomplete years are not implemented",
)

# --------------------------------------------------------------------------------------
# The forms, per regime
# --------------------------------------------------------------------------------------


def _hj663(name: str, series: str, reduce: str, q: float | None, rounding: str) -> AnnualForm:
    citations: tuple[Citation, ...] = (_HJ663_ITEMS, _GB3095_CAPTURE, _HJ663_ROUNDING)
    if reduce == "percentile":
        citations = (_HJ663_ITEMS, _HJ663_PERCENTILE, _HJ663_CAPTURE, _HJ663_ROUNDING)
    return AnnualForm(name, series, reduce, q, "linear", "cn", rounding, 1, citations)


def _who(name: str, series: str, reduce: str, q: float | None) -> AnnualForm:
    return AnnualForm(name, series, reduce, q, "linear", "cn", "exact", 1, (_WHO, _WHO_CAPTURE))


_HOURLY_ONLY = NotAssessed(
    "1-hour limits belong to hourly assessment, not to the annual assessment (see monitor exceedances)",
    counts_against_verdict=False,
    citation=_HJ663_HOURLY,
)
_OTHER_ITEM = NotAssessed(
    "not a basic item of the annual assessment (GB 3095 Table 2 items are applied as the authority decides, "
    "GB 3095-2026 clause 4.5)",
    counts_against_verdict=False,
    citation=_HJ663_ITEMS,
)

HJ663: Mapping[tuple[str, str, str], AnnualForm | NotAssessed] = MappingProxyType(
    {
        ("so2", "year", "mean"): _hj663("annual mean", "24h", "mean", None, "half_even:0"),
        ("no2", "year", "mean"): _hj663("annual mean", "24h", "mean", None, "half_even:0"),
        ("pm10", "year", "mean"): _hj663("annual mean", "24h", "mean", None, "half_even:0"),
        ("pm25", "year", "mean"): _hj663("annual mean", "24h", "mean", None, "half_even:0"),
        ("so2", "24h", "mean"): _hj663(
            "98th percentile of daily means", "24h", "percentile", 98, "half_even:0"
        ),
        ("no2", "24h", "mean"): _hj663(
            "98th percentile of daily means", "24h", "percentile", 98, "half_even:0"
        ),
        ("pm10", "24h", "mean"): _hj663(
            "95th percentile of daily means", "24h", "percentile", 95, "half_even:0"
        ),
        ("pm25", "24h", "mean"): _hj663(
            "95th percentile of daily means", "24h", "percentile", 95, "half_even:0"
        ),
        ("co", "24h", "mean"): _hj663(
            "95th percentile of daily means", "24h", "percentile", 95, "half_even:1"
        ),
        ("o3", "mda8", "mean"): _hj663("90th percentile of MDA8", "8h", "percentile", 90, "half_even:0"),
        ("*", "1h", "mean"): _HOURLY_ONLY,
        ("tsp", "*", "*"): _OTHER_ITEM,
        ("nox", "*", "*"): _OTHER_ITEM,
        ("pb", "*", "*"): _OTHER_ITEM,
        ("bap", "*", "*"): _OTHER_ITEM,
    }
)

WHO_2021: Mapping[tuple[str, str, str], AnnualForm | NotAssessed] = MappingProxyType(
    {
        ("*", "year", "mean"): _who("annual mean", "24h", "mean", None),
        ("*", "24h", "percentile 99"): _who("99th percentile of daily means", "24h", "percentile", 99),
        ("o3", "mda8", "percentile 99"): _who("99th percentile of MDA8", "8h", "percentile", 99),
        ("o3", "peak-season", "mean"): _who(
            "peak-season mean of MDA8 (highest 6 consecutive months)", "8h", "peak_season", 6
        ),
    }
)


def _us(
    name: str, series: str, reduce: str, q: float | None, capture: str, rounding: str, cite: Citation
) -> AnnualForm:
    return AnnualForm(name, series, reduce, q, "us-app-n", capture, rounding, 3, (cite,))


US_CFR50: Mapping[tuple[str, str, str], AnnualForm | NotAssessed] = MappingProxyType(
    {
        ("pm25", "year", "mean"): _us(
            "3-year mean of annual means (of quarterly means)",
            "24h",
            "quarterly_mean",
            None,
            "us-quarters",
            "half_up:1",
            _APP_N,
        ),
        ("pm25", "24h", "percentile 98"): _us(
            "3-year mean of annual 98th percentiles",
            "24h",
            "percentile",
            98,
            "us-quarters",
            "half_up:0",
            _APP_N,
        ),
        ("o3", "mda8", "4th highest"): _us(
            "3-year mean of annual 4th-highest MDA8", "8h", "nth_highest", 4, "us-app-u", "truncate:3", _APP_U
        ),
        ("no2", "1h", "percentile 98"): _us(
            "3-year mean of annual 98th percentiles of daily 1-hour maxima",
            "1h",
            "percentile",
            98,
            "us-quarters",
            "half_up:0",
            _APP_S_T,
        ),
        ("so2", "1h", "percentile 99"): _us(
            "3-year mean of annual 99th percentiles of daily 1-hour maxima",
            "1h",
            "percentile",
            99,
            "us-quarters",
            "half_up:0",
            _APP_S_T,
        ),
        ("no2", "year", "mean"): NotAssessed(
            "App. S annual mean needs 75 % of the year's hours; greenbri does not form it", True, _APP_S_T
        ),
        ("pm10", "24h", "mean"): NotAssessed(
            "expected exceedances over 3 years (App. K) are not computed by greenbri", True
        ),
        ("co", "*", "mean"): NotAssessed(
            "'not to be exceeded more than once a year' (CO 8-hour and 1-hour) is not computed by greenbri",
            True,
        ),
        ("pb", "*", "*"): NotAssessed("rolling 3-month lead (App. R) is not computed by greenbri", True),
    }
)

FORM_SETS: Mapping[str, Mapping[tuple[str, str, str], AnnualForm | NotAssessed]] = MappingProxyType(
    {"hj663-2013": HJ663, "who-2021": WHO_2021, "us-cfr50": US_CFR50}
)

#: The regime each standard is assessed under, and the daily rules its series are formed with.
STANDARD_FORM_SETS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "cn-gb3095-2012": ("hj663-2013", "cn"),
        "cn-gb3095-2026": ("hj663-2013", "cn"),
        "who-aqg-2021": ("who-2021", "cn"),
        "us-naaqs": ("us-cfr50", "us"),
    }
)


def form_for(form_set: str, limit: Limit) -> AnnualForm | NotAssessed:
    """The annual form of ``limit`` in ``form_set``: exact match first, then wildcards (``*``)."""
    if form_set not in FORM_SETS:
        raise InputError(
            f"Unknown assessment regime {form_set!r}.", hint=f"use one of: {', '.join(FORM_SETS)}."
        )
    forms = FORM_SETS[form_set]
    statistic = str(limit.statistic)
    for key in (
        (limit.pollutant, limit.averaging, statistic),
        ("*", limit.averaging, statistic),
        (limit.pollutant, "*", statistic),
        (limit.pollutant, "*", "*"),
    ):
        if key in forms:
            return forms[key]
    return NotAssessed(
        f"{form_set} has no annual form for a {limit.averaging} {statistic} limit of {limit.pollutant}",
        counts_against_verdict=True,
    )


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


def _cn_capture(valid: BoolArray, days: NDArray[np.datetime64]) -> tuple[BoolArray, list[list[str]]]:
    rule = ANNUAL_CAPTURE_RULES["cn-gb3095"]
    years = days.astype("datetime64[Y]").astype(np.int64)
    months = _month_labels(days)
    distinct_years, year_starts = _segments(years)
    distinct_months, month_starts = _segments(months)
    per_year = _sums(valid.astype(np.int64), year_starts)
    per_month = _sums(valid.astype(np.int64), month_starts)
    minimum = rule.min_values or 0
    monthly = rule.min_values_per_month or (0,) * 12
    needed = np.array([monthly[int(month) % 12] for month in distinct_months])
    month_year = distinct_months // 12
    met = per_year >= minimum
    reasons: list[list[str]] = []
    for station in range(valid.shape[0]):
        for index, year in enumerate(distinct_years):
            short = [
                f"{np.datetime64(int(month), 'M')}: {int(per_month[station, position])} of {needed[position]}"
                for position, month in enumerate(distinct_months)
                if month_year[position] == year and per_month[station, position] < needed[position]
            ]
            missing = 12 - int(np.count_nonzero(month_year == year))
            if missing:
                short.append(f"{missing} months outside the data")
            if per_year[station, index] < minimum:
                short.insert(0, f"{int(per_year[station, index])} valid days of {minimum} a year")
            met[station, index] &= not short
            reasons.append(short)
    return met, reasons


def _quarter_capture(
    valid: BoolArray, days: NDArray[np.datetime64], share: float
) -> tuple[BoolArray, list[list[str]]]:
    months = _month_labels(days)
    quarters = months // 3
    years = days.astype("datetime64[Y]").astype(np.int64)
    distinct_years, _ = _segments(years)
    distinct_quarters, starts = _segments(quarters)
    counts = _sums(valid.astype(np.int64), starts)
    possible = _sums(np.ones(days.size, dtype=np.int64), starts)
    full_possible = np.array([_days_in_quarter(int(quarter)) for quarter in distinct_quarters])
    met = np.ones((valid.shape[0], distinct_years.size), dtype=bool)
    reasons: list[list[str]] = []
    for station in range(valid.shape[0]):
        for index, year in enumerate(distinct_years):
            short = [
                f"{1970 + int(quarter) // 4}-Q{int(quarter) % 4 + 1}: {int(counts[station, position])} of "
                f"{int(full_possible[position])} days"
                for position, quarter in enumerate(distinct_quarters)
                if int(quarter) // 4 == year and counts[station, position] < share * full_possible[position]
            ]
            present = sum(1 for quarter in distinct_quarters if int(quarter) // 4 == year)
            if present < 4:
                short.append(f"{4 - present} quarters outside the data")
            met[station, index] = not short
            reasons.append(short)
    del possible
    return met, reasons


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
    if form.capture == "cn":
        # the mean itself comes from the one implementation of the GB 3095 rule
        checked = annual_mean(data, stamps, "cn-gb3095")
        met &= checked.capture_met
        if form.reduce == "mean":
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
