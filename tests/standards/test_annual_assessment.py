"""The annual assessment forms: hand-computed values at each rule, citing the clause, and properties."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core.annual_assessment import AnnualStatus, annual_statistics, judge, rounded
from greenbri.core.assessment_forms import FORM_SETS, AnnualForm, NotAssessed, form_for
from greenbri.core.averaging import percentile
from greenbri.core.errors import InputError
from greenbri.core.standards import Limit, Statistic

DAYS_2015 = np.arange(np.datetime64("2015-01-01"), np.datetime64("2016-01-01"))
MONTH = DAYS_2015.astype("datetime64[M]").astype(int) % 12


def _limit(pollutant: str, averaging: str, value: float, statistic: Statistic | None = None) -> Limit:
    return Limit(
        pollutant, averaging, statistic or Statistic("mean"), value, "ug/m3", "<=", "grade_2", "Table 1"
    )


def _form(key: tuple[str, str, str], regime: str = "hj663-2013") -> AnnualForm:
    form = FORM_SETS[regime][key]
    assert isinstance(form, AnnualForm)
    return form


def test_hj663_assesses_each_24_hour_limit_by_its_percentile() -> None:
    # HJ 663-2013 Table 1: SO2/NO2 98th, PM10/PM2.5/CO 95th of the daily means, O3 90th of MDA8
    expected = {"so2": 98, "no2": 98, "pm10": 95, "pm25": 95, "co": 95}
    for pollutant, q in expected.items():
        form = form_for("hj663-2013", _limit(pollutant, "24h", 75))
        assert isinstance(form, AnnualForm) and (form.reduce, form.parameter) == ("percentile", q)
    ozone = form_for("hj663-2013", _limit("o3", "mda8", 160))
    assert isinstance(ozone, AnnualForm) and (ozone.series, ozone.parameter) == ("8h", 90)
    hourly = form_for("hj663-2013", _limit("so2", "1h", 500))
    assert isinstance(hourly, NotAssessed) and not hourly.counts_against_verdict
    unknown = form_for("hj663-2013", _limit("pm1", "year", 10))
    assert isinstance(unknown, NotAssessed) and unknown.counts_against_verdict


def test_hj663_percentile_formula_on_the_worked_example() -> None:
    # HJ 663-2013 Annex A: {3, 4, 8, 2, 5, 4}, p = 90: k = 1 + 5 x 0.9 = 5.5, m = 5 + (8 - 5) x 0.5 = 6.5
    form = _form(("o3", "mda8", "mean"))
    assert form.percentile_method == "linear"
    assert percentile(np.array([3, 4, 8, 2, 5, 4.0]), 90, method=form.percentile_method).values == 6.5
    # and through a full year: 365 values 1..365, p = 95: k = 1 + 364 x 0.95 = 346.8 -> 346 + 0.8 = 346.8
    values = np.arange(1.0, DAYS_2015.size + 1)[np.newaxis, :]
    result = annual_statistics(values, DAYS_2015, _form(("pm25", "24h", "mean")))
    assert result.values[0, 0] == pytest.approx(346.8)


def test_rounding_decides_at_the_limit() -> None:
    # GB/T 8170 round half to even, whole ug/m3 (HJ 663-2013): 35.4 -> 35 meets 35; 35.5 -> 36 exceeds
    form = _form(("pm25", "year", "mean"))
    limit = _limit("pm25", "year", 35)
    assert judge(35.4, limit, form) == (35.0, AnnualStatus.MEETS)
    assert judge(35.5, limit, form) == (36.0, AnnualStatus.EXCEEDS)
    assert judge(34.5, limit, form) == (34.0, AnnualStatus.MEETS)
    assert rounded(3.55, "half_even:1") == 3.6 and rounded(3.45, "half_even:1") == 3.4  # CO, 0.1 mg/m3
    assert rounded(0.0709, "truncate:3") == 0.070  # App. U: truncated to 0.001 ppm
    assert rounded(12.05, "half_up:1") == 12.1  # App. N: annual design value to 0.1 ug/m3


def _capture_mask(per_month: list[int]) -> np.ndarray:
    valid = np.zeros(DAYS_2015.size, dtype=bool)
    for month, count in enumerate(per_month):
        positions = np.flatnonzero(month == MONTH)[:count]
        valid[positions] = True
    return valid


def test_gb3095_capture_needs_324_days_and_27_a_month() -> None:
    # GB 3095-2026 clause 6.4 Table 4: 324 a year, 27 a month, 25 in February
    form = _form(("pm25", "year", "mean"))
    enough = _capture_mask([28, 25, 28, 27, 27, 27, 27, 27, 27, 27, 27, 27])
    assert enough.sum() == 324
    short_feb = _capture_mask([28, 24, 28, 28, 27, 27, 27, 27, 27, 27, 27, 27])
    assert short_feb.sum() == 324
    too_few = _capture_mask([27, 25, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27])
    values = np.where(np.stack([enough, short_feb, too_few]), 40.0, np.nan)
    result = annual_statistics(values, DAYS_2015, form)
    assert result.capture_met.tolist() == [[True], [False], [False]]
    assert result.values[0, 0] == 40.0 and np.isnan(result.values[1:, 0]).all()
    assert result.shortfall[1] == ("2015-02: 24 of 25",)
    assert result.shortfall[2] == ("322 valid days of 324 a year",)


def test_app_n_98th_percentile_is_the_8th_highest_of_365() -> None:
    # 40 CFR 50 App. N 4.5: rank floor(0.98 x 365) + 1 = 358 ascending = 8th highest
    form = dataclasses.replace(_form(("pm25", "24h", "percentile 98"), "us-cfr50"), years=1)
    values = np.arange(1.0, DAYS_2015.size + 1)[np.newaxis, :]
    result = annual_statistics(values, DAYS_2015, form)
    assert result.values[0, 0] == 358.0


def test_us_design_values_need_three_complete_years() -> None:
    form = _form(("pm25", "year", "mean"), "us-cfr50")
    days = np.arange(np.datetime64("2014-01-01"), np.datetime64("2017-01-01"))
    values = np.where(days.astype("datetime64[Y]").astype(int) + 1970 == 2014, 10.0, 13.0)[np.newaxis, :]
    complete = annual_statistics(values, days, form)
    assert complete.years.tolist() == [2014, 2015, 2016]
    assert np.isnan(complete.values[0, :2]).all() and complete.values[0, 2] == pytest.approx(12.0)
    gap = values.copy()
    gap[0, (days >= np.datetime64("2015-04-01")) & (days < np.datetime64("2015-05-15"))] = np.nan
    broken = annual_statistics(gap, days, form)
    assert np.isnan(broken.values[0, 2])
    assert "incomplete years in the period: 2015" in broken.shortfall[2]
    assert "2015-Q2: 47 of 91" in broken.shortfall[1]


def test_bad_days_are_refused() -> None:
    form = _form(("pm25", "year", "mean"))
    with pytest.raises(InputError, match="consecutive"):
        annual_statistics(np.ones((1, 3)), DAYS_2015[[0, 1, 5]], form)
    with pytest.raises(InputError, match="dates were given"):
        annual_statistics(np.ones((1, 3)), DAYS_2015[:2], form)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=31), min_size=12, max_size=12),
    st.floats(min_value=0, max_value=500, allow_nan=False),
)
def test_a_year_is_compared_only_when_the_capture_rule_holds(per_month: list[int], level: float) -> None:
    valid = _capture_mask(per_month)
    rng = np.random.default_rng(len(per_month) + int(level))
    values = np.where(valid, level + rng.random(DAYS_2015.size), np.nan)[np.newaxis, :]
    result = annual_statistics(values, DAYS_2015, _form(("pm25", "year", "mean")))
    counts = [int(valid[month == MONTH].sum()) for month in range(12)]
    rule = sum(counts) >= 324 and all(
        count >= (25 if month == 1 else 27) for month, count in enumerate(counts)
    )
    assert bool(result.capture_met[0, 0]) is rule
    if rule:
        assert result.values[0, 0] == pytest.approx(np.nanmean(values))
    else:
        assert np.isnan(result.values[0, 0])


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0.0, max_value=50.0), st.sampled_from(["so2", "pm25", "co"]))
def test_raising_every_value_never_lowers_a_percentile(shift: float, pollutant: str) -> None:
    form = _form((pollutant, "24h", "mean"))
    values = np.random.default_rng(7).gamma(2.0, 20.0, DAYS_2015.size)[np.newaxis, :]
    low = annual_statistics(values, DAYS_2015, form).values[0, 0]
    high = annual_statistics(values + shift, DAYS_2015, form).values[0, 0]
    assert high >= low - 1e-9 and high == pytest.approx(low + shift)
