"""Averages under data-capture rules (greenbri.core.averaging), with hand-computed days."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core import averaging
from greenbri.core.averaging import (
    ANNUAL_CAPTURE_RULES,
    DAILY_CAPTURE_RULES,
    MDA8_CONVENTIONS,
    Mda8Convention,
    annual_mean,
    count_exceedances,
    daily_max_8h_mean,
    daily_mean,
    hour_ending_to_hour_beginning,
    percentile,
)
from greenbri.core.errors import InputError
from greenbri.core.units import AveragingPeriod, Citation, check_averaging


def hours(start: str, count: int) -> np.ndarray:
    return np.arange(np.datetime64(start, "h"), np.datetime64(start, "h") + count)


def test_the_public_names_exist() -> None:
    for name in averaging.__all__:
        assert hasattr(averaging, name), name


def test_presets_hold_the_cited_thresholds() -> None:
    assert DAILY_CAPTURE_RULES["cn-gb3095"].min_valid_hours == 20
    assert DAILY_CAPTURE_RULES["eu"].min_valid_hours == 18
    assert DAILY_CAPTURE_RULES["us-pm25"].min_valid_hours == 18
    china = MDA8_CONVENTIONS["cn-hj663"]
    assert (china.first_window_start_hour, china.window_count, china.min_valid_windows) == (0, 17, 14)
    eu = MDA8_CONVENTIONS["eu"]
    assert (eu.first_window_start_hour, eu.window_count, eu.min_valid_windows) == (-7, 24, 18)
    us = MDA8_CONVENTIONS["us-app-u"]
    assert (us.first_window_start_hour, us.window_count, us.min_valid_windows) == (7, 17, 13)
    assert ANNUAL_CAPTURE_RULES["cn-gb3095"].min_values == 324
    assert ANNUAL_CAPTURE_RULES["cn-gb3095"].min_values_per_month == (27, 25, *([27] * 10))


# --- daily mean ------------------------------------------------------------------------


def day_with_valid_hours(valid: int) -> np.ndarray:
    values = np.arange(1.0, 25.0)  # 1 .. 24
    values[valid:] = np.nan
    return values


def test_twenty_valid_hours_make_a_chinese_daily_mean_and_nineteen_do_not() -> None:
    stamps = hours("2024-03-01T00", 24)
    twenty = daily_mean(day_with_valid_hours(20), stamps, "cn-gb3095")
    assert twenty.values.tolist() == [10.5]  # mean of 1..20
    assert twenty.valid_count.tolist() == [20]
    assert twenty.capture_met.tolist() == [True]
    nineteen = daily_mean(day_with_valid_hours(19), stamps, "cn-gb3095")
    assert np.isnan(nineteen.values[0])
    assert nineteen.valid_count.tolist() == [19]
    assert nineteen.capture_met.tolist() == [False]
    assert nineteen.period is AveragingPeriod.HOUR_24


def test_eighteen_hours_are_enough_for_the_eu_and_an_explicit_minimum_is_allowed() -> None:
    stamps = hours("2024-03-01T00", 24)
    assert daily_mean(day_with_valid_hours(18), stamps, "eu").values.tolist() == [9.5]
    assert np.isnan(daily_mean(day_with_valid_hours(17), stamps, "us-pm25").values[0])
    explicit = daily_mean(day_with_valid_hours(12), stamps, 12)
    assert explicit.values.tolist() == [6.5]
    assert explicit.rule == "at least 12 h"


def test_absent_hours_count_as_missing_and_days_follow_the_local_calendar() -> None:
    # 30 hours from 2024-03-01 06:00: day 1 has 18 hours, day 2 has 12.
    stamps = hours("2024-03-01T06", 30)
    result = daily_mean(np.full(30, 5.0), stamps, "eu")
    assert result.starts.tolist() == [np.datetime64("2024-03-01"), np.datetime64("2024-03-02")]
    assert result.valid_count.tolist() == [18, 12]
    assert result.values[0] == 5.0 and np.isnan(result.values[1])


def test_hour_ending_labels_shift_to_the_day_they_belong_to() -> None:
    # A Chinese series labelled 01:00 .. 24:00 (i.e. next day 00:00) is one natural day.
    ending = hours("2024-03-01T01", 24)
    result = daily_mean(np.ones(24), hour_ending_to_hour_beginning(ending), "cn-gb3095")
    assert result.starts.tolist() == [np.datetime64("2024-03-01")]
    assert result.valid_count.tolist() == [24]


def test_several_stations_are_aggregated_in_one_call() -> None:
    stamps = hours("2024-03-01T00", 48)
    station_a = np.full(48, 10.0)
    station_b = np.full(48, 30.0)
    station_b[24:30] = np.nan  # day 2 keeps 18 hours: below the Chinese 20
    result = daily_mean(np.vstack([station_a, station_b]), stamps, "cn-gb3095")
    assert result.values.shape == (2, 2)
    assert result.values[0].tolist() == [10.0, 10.0]
    assert result.values[1, 0] == 30.0 and np.isnan(result.values[1, 1])
    assert result.valid_count.tolist() == [[24, 24], [24, 18]]


@pytest.mark.parametrize(
    ("values", "stamps", "message"),
    [
        (np.ones(3), hours("2024-01-01T00", 3)[::-1], "not strictly increasing"),
        (
            np.ones(2),
            np.array(["2024-01-01T00", "2024-01-01T00"], dtype="datetime64[h]"),
            "not strictly increasing",
        ),
        (np.ones(1), np.array(["2024-01-01T00:30"], dtype="datetime64[m]"), "whole hours"),
        (np.ones(4), hours("2024-01-01T00", 3), "shape"),
        (np.array([1.0, np.inf]), hours("2024-01-01T00", 2), "infinite"),
        (np.ones(2), np.array([0, 1]), "datetime64"),
        (np.ones(1), np.array(["NaT"], dtype="datetime64[h]"), "NaT"),
    ],
)
def test_bad_inputs_are_refused_with_a_fix(values: np.ndarray, stamps: np.ndarray, message: str) -> None:
    with pytest.raises(InputError) as caught:
        daily_mean(values, stamps, "cn-gb3095")
    assert message in str(caught.value)
    assert caught.value.hint


@pytest.mark.parametrize("capture", ["nowhere", 0, 25, True])
def test_unknown_or_impossible_capture_rules_are_refused(capture: object) -> None:
    with pytest.raises(InputError):
        daily_mean(np.ones(24), hours("2024-01-01T00", 24), capture)  # type: ignore[arg-type]


# --- maximum daily 8-hour mean -----------------------------------------------------------


def night_episode() -> tuple[np.ndarray, np.ndarray]:
    """Three days at 20 with 200 at 22:00 and 23:00 of day 1 and 00:00 and 01:00 of day 2."""
    values = np.full(72, 20.0)
    values[[22, 23, 24, 25]] = 200.0
    return values, hours("2024-07-01T00", 72)


def test_mda8_conventions_assign_a_night_episode_to_different_days() -> None:
    values, stamps = night_episode()
    # China: windows ending 08:00..24:00 inside the day; best window holds 2 episode hours:
    # (2 * 200 + 6 * 20) / 8 = 65 on day 1 and on day 2.
    china = daily_max_8h_mean(values, stamps, "cn-hj663")
    assert china.values.tolist() == [65.0, 65.0, 20.0]
    assert china.valid_count.tolist() == [17, 17, 17]
    # EU: a window belongs to the day it ends on; 18:00 (day 1) to 02:00 (day 2) holds all four:
    # (4 * 200 + 4 * 20) / 8 = 110 on day 2. Day 1 has 19 valid windows (no data before it).
    eu = daily_max_8h_mean(values, stamps, "eu")
    assert eu.values.tolist() == [65.0, 110.0, 20.0]
    assert eu.valid_count.tolist() == [19, 24, 24]
    # US App. U: windows start 07:00..23:00; the 18:00 window belongs to day 1 -> 110. The last
    # day lacks the next morning: 12 valid windows of 17 -> no value.
    us = daily_max_8h_mean(values, stamps, "us-app-u")
    assert us.values[:2].tolist() == [110.0, 20.0]
    assert np.isnan(us.values[2])
    assert us.valid_count[2] == 12
    assert us.period is AveragingPeriod.DAILY_MAX_8H


def test_a_window_needs_six_hours_and_divides_by_the_hours_present() -> None:
    single = Mda8Convention("one-window", 0, 1, 6, 1, False, (Citation("test", "hand-made", "n/a"),))
    values = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, np.nan, np.nan] + [0.0] * 16)
    result = daily_max_8h_mean(values, hours("2024-07-01T00", 24), single)
    assert result.values.tolist() == [35.0]  # (10 + ... + 60) / 6
    values[5] = np.nan
    assert np.isnan(daily_max_8h_mean(values, hours("2024-07-01T00", 24), single).values[0])


def test_a_chinese_day_needs_fourteen_valid_windows_unless_it_already_exceeds() -> None:
    stamps = hours("2024-07-01T00", 24)
    values = np.full(24, 180.0)
    values[19:] = np.nan  # hours 0..18: windows starting 0..13 valid -> 14
    assert daily_max_8h_mean(values, stamps, "cn-hj663").capture_met.tolist() == [True]
    values[18] = np.nan  # hours 0..17: 13 valid windows
    short = daily_max_8h_mean(values, stamps, "cn-hj663")
    assert short.valid_count.tolist() == [13]
    assert np.isnan(short.values[0])
    kept = daily_max_8h_mean(values, stamps, "cn-hj663", exceedance_limit=160.0)
    assert kept.values.tolist() == [180.0]
    assert kept.capture_met.tolist() == [False]
    assert kept.kept_by_exceedance is not None and kept.kept_by_exceedance.tolist() == [True]
    below = daily_max_8h_mean(values, stamps, "cn-hj663", exceedance_limit=200.0)
    assert np.isnan(below.values[0])


def test_the_eu_convention_has_no_exceedance_rule() -> None:
    values, stamps = night_episode()
    with pytest.raises(InputError, match="no rule keeping incomplete days"):
        daily_max_8h_mean(values, stamps, "eu", exceedance_limit=120.0)


def test_mda8_over_stations() -> None:
    values, stamps = night_episode()
    result = daily_max_8h_mean(np.vstack([values, values / 2]), stamps, "cn-hj663")
    assert result.values.tolist() == [[65.0, 65.0, 20.0], [32.5, 32.5, 10.0]]


# --- annual mean -------------------------------------------------------------------------

# Days removed per month to leave exactly the GB 3095 monthly minimum (27; 25 in February),
# plus one spare day in December: 27 * 10 + 25 + 28 = 323 valid days, one short of 324.
REMOVED_PER_MONTH_2023 = (4, 3, 4, 3, 4, 3, 4, 4, 3, 4, 3, 3)


def year_2023_with_removed_days(removed: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(np.datetime64("2023-01-01"), np.datetime64("2024-01-01"))
    values = np.full(days.size, 40.0)
    months = (days.astype("datetime64[M]") - np.datetime64("2023-01", "M")).astype(int)
    for month, count in enumerate(removed):
        values[np.flatnonzero(months == month)[:count]] = np.nan
    return values, days


def test_a_chinese_annual_mean_needs_324_days() -> None:
    values, days = year_2023_with_removed_days(REMOVED_PER_MONTH_2023)
    short = annual_mean(values, days, "cn-gb3095")
    assert short.valid_count.tolist() == [323]
    assert short.capture_met.tolist() == [False] and np.isnan(short.values[0])
    values, days = year_2023_with_removed_days((*REMOVED_PER_MONTH_2023[:11], 2))
    enough = annual_mean(values, days, "cn-gb3095")
    assert enough.valid_count.tolist() == [324]
    assert enough.values.tolist() == [40.0]
    assert enough.starts.tolist() == [np.datetime64("2023", "Y")]


def test_a_chinese_annual_mean_needs_every_month() -> None:
    # 339 valid days, but March keeps only 26.
    values, days = year_2023_with_removed_days((0, 0, 5, 0, 0, 0, 0, 0, 0, 21, 0, 0))
    result = annual_mean(values, days, "cn-gb3095")
    assert result.valid_count.tolist() == [339]
    assert result.capture_met.tolist() == [False]


def test_the_eu_annual_mean_needs_ninety_percent_of_the_hours() -> None:
    stamps = np.arange(np.datetime64("2024-01-01T00"), np.datetime64("2025-01-01T00"))
    assert stamps.size == 8784  # leap year: 90 % is 7905.6, so 7906 hours
    values = np.full(stamps.size, 12.0)
    values[7906:] = np.nan
    assert annual_mean(values, stamps, "eu").capture_met.tolist() == [True]
    values[7905] = np.nan
    result = annual_mean(values, stamps, "eu")
    assert result.valid_count.tolist() == [7905]
    assert result.capture_met.tolist() == [False]


def test_annual_means_over_two_years_and_stations() -> None:
    days = np.arange(np.datetime64("2022-01-01"), np.datetime64("2024-01-01"))
    values = np.vstack([np.where(days < np.datetime64("2023-01-01"), 10.0, 20.0), np.full(days.size, 5.0)])
    values[1, :40] = np.nan  # station 2 misses most of January 2022
    result = annual_mean(values, days, "eu-daily")
    assert result.starts.tolist() == [np.datetime64("2022", "Y"), np.datetime64("2023", "Y")]
    assert result.values[0].tolist() == [10.0, 20.0]
    assert result.valid_count[1].tolist() == [325, 365]
    assert result.capture_met[1].tolist() == [False, True]  # 325 < 0.9 * 365 = 328.5


def test_a_daily_rule_refuses_hourly_stamps() -> None:
    with pytest.raises(InputError, match="whole days"):
        annual_mean(np.ones(3), hours("2024-01-01T01", 3), "cn-gb3095")


def test_daily_means_feed_the_annual_mean() -> None:
    stamps = np.arange(np.datetime64("2023-01-01T00"), np.datetime64("2024-01-01T00"))
    days = daily_mean(np.full(stamps.size, 7.0), stamps, "cn-gb3095")
    year = annual_mean(days.values, days.starts, "cn-gb3095")
    assert year.values.tolist() == [7.0]
    assert check_averaging(year.period, "annual") is AveragingPeriod.YEAR


# --- percentiles and exceedances ---------------------------------------------------------


def test_linear_percentile_of_a_known_series() -> None:
    # 1..10: rank h = 9 * 0.9 = 8.1 -> 9 + 0.1 * (10 - 9) = 9.1
    assert float(percentile(np.arange(1.0, 11.0), 90).values) == pytest.approx(9.1)
    # WHO 2021 99th percentile of 365 daily values 1..365: h = 364 * 0.99 = 360.36 -> 361.36
    assert float(percentile(np.arange(1.0, 366.0), 99).values) == pytest.approx(361.36)


def test_the_app_n_rank_method() -> None:
    # n = 365: i = floor(0.98 * 365) = 357 -> the 358th smallest, i.e. the 8th highest.
    result = percentile(np.arange(1.0, 366.0), 98, method="us-app-n")
    assert float(result.values) == 358.0
    # n = 50: the highest value; n = 51: the second highest.
    assert float(percentile(np.arange(1.0, 51.0), 98, method="us-app-n").values) == 50.0
    assert float(percentile(np.arange(1.0, 52.0), 98, method="us-app-n").values) == 50.0


def test_percentiles_ignore_nan_and_report_the_count() -> None:
    data = np.array([[1.0, np.nan, 3.0, 2.0], [np.nan] * 4])
    result = percentile(data, 50)
    assert result.values[0] == 2.0 and np.isnan(result.values[1])
    assert result.valid_count.tolist() == [3, 0]


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(
        st.one_of(st.floats(min_value=-1e3, max_value=1e3), st.just(float("nan"))), min_size=1, max_size=40
    ),
    q=st.floats(min_value=0.0, max_value=100.0),
)
def test_linear_percentile_matches_numpy_on_the_valid_values(data: list[float], q: float) -> None:
    array = np.asarray(data)
    valid = array[~np.isnan(array)]
    result = float(percentile(array, q).values)
    if valid.size == 0:
        assert np.isnan(result)
    else:
        assert result == pytest.approx(float(np.percentile(valid, q, method="linear")), rel=1e-9, abs=1e-9)


def test_percentile_arguments_are_checked() -> None:
    with pytest.raises(InputError, match="between 0 and 100"):
        percentile([1.0], 101)
    with pytest.raises(InputError, match="Unknown percentile method"):
        percentile([1.0], 50, method="magic")


def test_exceedance_days_are_counted_strictly_above_the_limit() -> None:
    daily = np.array([[50.0, 50.1, 60.0, np.nan, 49.0], [np.nan] * 5])
    result = count_exceedances(daily, 50.0)
    assert result.count.tolist() == [2, 0]
    assert result.valid_count.tolist() == [4, 0]
    assert count_exceedances(daily, 50.0, at_or_above=True).count.tolist() == [3, 0]
