"""``compute_aqi_where_covered``: what an engine covers is computed exactly as ``compute_aqi`` would;
everything else is marked not computed with a reason, never an abort."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core.aqi import NO_DATA, AqiStandardError, compute_aqi
from greenbri.core.aqi.coverage import compute_aqi_where_covered


def test_days_before_every_engine_are_marked_and_the_rest_computed() -> None:
    # HJ 633-2012 Table 1, PM2.5 24 h: 75 -> 100, 115 -> 150: 100 + (80 - 75) / 40 x 50 = 106.25 -> 107.
    covered = compute_aqi_where_covered(
        "cn", ["1990-01-01", "2020-01-01", "1990-01-01"], {"pm25_24h": [80.0, 80.0, np.nan]}
    )
    assert covered.computed.tolist() == [False, True, False]
    assert np.isnan(covered.result.aqi[0]) and covered.result.aqi[1] == 107
    assert covered.result.category[0] == NO_DATA and covered.result.engine_at(0) == ""
    assert covered.result.engine_at(1) == "hj633-2012" and covered.result.primary_keys(1) == ("pm25_24h",)
    reason = covered.reason_at(0)
    assert reason is not None and reason.startswith("no cn AQI engine covers dates before ")
    assert "--fallback-engine" in reason and covered.reason_at(1) is None
    assert covered.reason_counts() == {reason: 2} and covered.not_computed_count == 2
    with pytest.raises(AqiStandardError):  # what compute_aqi does with the same input
        compute_aqi("cn", ["1990-01-01", "2020-01-01"], {"pm25_24h": [80.0, 80.0]})


def test_the_explicit_fallback_computes_every_day() -> None:
    covered = compute_aqi_where_covered(
        "cn", ["1990-01-01", "2020-01-01"], {"pm25_24h": [80.0, 80.0]}, fallback_engine="hj633-2012"
    )
    assert covered.computed.all() and covered.result.aqi.tolist() == [107.0, 107.0]
    assert covered.reasons == ()


def test_nothing_covered_gives_an_all_empty_result() -> None:
    covered = compute_aqi_where_covered("us", ["1960-01-01"], {"pm25_24h": [12.0]})
    assert not covered.computed.any() and np.isnan(covered.result.aqi).all()
    assert covered.result.primary_keys(0) == ()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(1995, 1, 1), dt.date(2030, 12, 31)),
            st.floats(0, 600, allow_nan=False),
            st.floats(0, 700, allow_nan=False),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["cn", "us"]),
)
def test_computed_elements_equal_compute_aqi_and_the_others_are_refused_by_it(rows, standard) -> None:
    days = [day.isoformat() for day, _, _ in rows]
    values = {"pm25_24h": [pm25 for _, pm25, _ in rows], "pm10_24h": [pm10 for _, _, pm10 in rows]}
    covered = compute_aqi_where_covered(standard, days, values)
    for position, day in enumerate(days):
        one = {key: [array[position]] for key, array in values.items()}
        if covered.computed[position]:
            alone = compute_aqi(standard, day, one)
            # NaN on both sides where HJ 633-2026 clause 5.3.1 withholds the AQI (a pollutant missing)
            np.testing.assert_equal(covered.result.aqi[position], alone.aqi[0])
            assert covered.result.withheld[position] == alone.withheld[0]
            assert covered.result.engine_at(position) == alone.engine_at(0)
            assert covered.result.primary_keys(position) == alone.primary_keys(0)
        else:
            assert covered.reason_at(position)
            with pytest.raises(AqiStandardError):
                compute_aqi(standard, day, one)


def test_the_spans_no_engine_covers_are_named_once_each() -> None:
    from dataclasses import replace

    from greenbri.core.aqi.cn_hj633 import HJ633_2012, HJ633_2026
    from greenbri.core.aqi.coverage import _gaps

    closed = replace(HJ633_2026, effective_from=dt.date(2026, 3, 1), effective_to=dt.date(2030, 12, 31))
    early = replace(HJ633_2012, effective_to=dt.date(2020, 1, 1))
    words = [text for _, _, text in _gaps((early, closed))]
    assert words == ["before 2016-01-01", "from 2020-01-02 to 2026-02-28", "from 2031-01-01"]
    assert [text for _, _, text in _gaps((HJ633_2012, HJ633_2026))] == ["before 2016-01-01"]
