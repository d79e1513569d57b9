"""How a limit is assessed over a calendar year, per assessment regime, as cited data.

A standard's limit says "24-hour mean <= 75 ug/m3"; the assessment rules say which number of a
year is compared with it and when a year has enough data to be compared at all. Each
:class:`AnnualForm` is one such rule (the annual mean, the 95th percentile of the daily means,
the 3-year average of the 4th-highest MDA8...), with its capture rule, its rounding and its
citations; :data:`FORM_SETS` groups them by regime (HJ 663-2013, WHO 2021, 40 CFR Part 50) and
:data:`STANDARD_FORM_SETS` says which regime, and which daily rules, each standard is assessed
under. A limit the regime does not assess over a year (HJ 663's 1-hour limits) is
:class:`NotAssessed` and stays out of the verdict; one that the regime assesses but greenbri
cannot compute (US PM10 expected exceedances) is :class:`NotAssessed` with
``counts_against_verdict``. The statistics are computed by :mod:`greenbri.core.annual_assessment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from greenbri.core.errors import InputError
from greenbri.core.standards.model import Limit
from greenbri.core.units import Citation

__all__ = [
    "FORM_SETS",
    "STANDARD_FORM_SETS",
    "AnnualForm",
    "NotAssessed",
    "form_for",
]


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
    note=(
        "read in the scan gb-3095-2026.pdf, page 6; GB 3095-2012 Table 4 quoted with the same numbers. Clause "
        "3.13 (page 3): the annual mean is the arithmetic mean of the calendar year's daily means"
    ),
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
