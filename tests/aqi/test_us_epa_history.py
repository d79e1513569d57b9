"""US EPA AQI through time: every Appendix G table on the dates it was in force.

Bands typed by hand, independently of ``greenbri.core.aqi.us_epa``, from: the 1999/2008
Appendix G Table 2 as reprinted in the CFR correction 74 FR 30469 (2009-06-26); the dates of
64 FR 42530 (AQI rule), 73 FR 16436 (O3, effective 2008-05-27), 75 FR 6474 (NO2, effective
2010-04-12), 75 FR 35520 (SO2, 2010-08-23), 78 FR 3086 (PM2.5, 2013-03-18), 80 FR 65292
(O3, 2015-12-28), 89 FR 16202 (PM2.5, 2024-05-06); EPA-454/B-24-002 Table 6. Values are
worked by hand with Equation 1, truncation first, the index rounded to the nearest integer.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from greenbri.core.aqi import DateOutOfCoverageError, compute_aqi, engine_by_id


def one(day: str, key: str, value: float) -> float:
    return float(compute_aqi("us", day, {key: [value]}).sub_indices[key][0])


@pytest.mark.parametrize(
    ("day", "key", "value", "expected"),
    [
        # PM2.5, 1999 rule until 2013-03-17: 15.5-40.4 -> 51-100: 51 + 49*(20.0-15.5)/24.9 = 59.86 -> 60
        ("2011-06-01", "pm25_24h", 20.0, 60),
        ("2013-03-17", "pm25_24h", 20.0, 60),
        ("2013-03-17", "pm25_24h", 15.4, 50),
        ("2013-03-17", "pm25_24h", 15.5, 51),
        ("2013-03-17", "pm25_24h", 12.1, 39),  # 50*12.1/15.4 = 39.3 -> 39
        # 2012 table from 2013-03-18: 12.1-35.4 -> 51-100: 51 + 49*7.9/23.3 = 67.6 -> 68
        ("2013-03-18", "pm25_24h", 20.0, 68),
        ("2013-03-18", "pm25_24h", 12.0, 50),
        ("2013-03-18", "pm25_24h", 12.1, 51),
        ("2013-03-18", "pm25_24h", 15.4, 58),  # 51 + 49*3.3/23.3 = 57.9 -> 58
        # 2024 table from 2024-05-06: 9.0 | 9.1
        ("2024-05-05", "pm25_24h", 9.1, 38),  # 50*9.1/12 = 37.9 -> 38
        ("2024-05-06", "pm25_24h", 9.1, 51),
        ("2024-05-05", "pm25_24h", 130.0, 189),  # 151 + 49*74.5/94.9 = 189.47 -> 189
        ("2024-05-06", "pm25_24h", 130.0, 205),  # 201 + 99*4.5/99.9 = 205.5 -> 205 (205.46)
        # O3 8 h: 1999 rows to 2008-05-26 (uncertain), 2008 rows to 2015-12-27, 2015 rows after
        ("2008-05-26", "o3_8h", 0.070, 64),  # 51 + 49*0.005/0.019 = 63.9 -> 64
        ("2008-05-27", "o3_8h", 0.070, 84),  # 51 + 49*0.010/0.015 = 83.7 -> 84
        ("2015-12-27", "o3_8h", 0.070, 84),
        ("2015-12-28", "o3_8h", 0.070, 100),
        ("2008-05-27", "o3_8h", 0.076, 101),
        ("2015-12-27", "o3_8h", 0.300, 272),  # 201 + 99*0.184/0.258 = 271.6 -> 272
        # NO2 1 h: 1999 rows start at 0.65 ppm (650 ppb), truncated to 0.01 ppm = 10 ppb
        ("2010-04-11", "no2_1h", 1245.0, 300),  # -> 1240 = top of 650-1240 -> 300
        ("2010-04-12", "no2_1h", 1245.0, 299),  # 201 + 99*595/599 = 299.3 -> 299
        ("2010-04-12", "no2_1h", 100.0, 100),
        ("2010-04-12", "no2_1h", 101.0, 101),
        # SO2: 24 h from 0 until 2010-08-22; 1 h from 2010-08-23
        ("2010-08-22", "so2_24h", 100.0, 80),  # 51 + 49*65/109 = 80.2 -> 80
        ("2010-08-23", "so2_1h", 100.0, 112),  # 101 + 49*24/109 = 111.8 -> 112
        ("2010-08-23", "so2_24h", 305.0, 201),
        # CO 8 h and PM10 24 h: unchanged from 1999 below Hazardous
        ("2001-01-01", "co_8h", 9.5, 101),
        ("2001-01-01", "pm10_24h", 155.0, 101),
    ],
)
def test_hand_computed_values_on_each_side_of_every_switch(
    day: str, key: str, value: float, expected: int
) -> None:
    assert one(day, key, value) == expected


@pytest.mark.parametrize(
    ("day", "key", "value"),
    [
        ("2010-04-11", "no2_1h", 100.0),  # the 1999 table indexes NO2 only from 650 ppb
        ("2010-08-22", "so2_1h", 100.0),  # no SO2 1-hour index before the 2010 SO2 rule
        ("2010-08-23", "so2_24h", 100.0),  # after it, 24-hour SO2 is indexed only from 305 ppb
        ("2015-12-28", "o3_8h", 0.300),  # 8-hour O3 above 0.200 defines nothing from 2015-12-28
    ],
)
def test_values_a_table_of_the_day_does_not_index(day: str, key: str, value: float) -> None:
    result = compute_aqi("us", day, {key: [value]})
    assert math.isnan(result.sub_indices[key][0]) and bool(result.not_indexed[key][0])
    assert math.isnan(result.aqi[0])


def test_one_call_spans_every_period() -> None:
    days = ["1999-10-04", "2008-05-27", "2010-04-12", "2010-08-23", "2013-03-18", "2015-12-28", "2024-05-06"]
    result = compute_aqi("us", days, {"pm25_24h": np.full(7, 20.0)})
    assert [result.engine_at(i) for i in range(7)] == [
        "us-epa-1999",
        "us-epa-2008",
        "us-epa-2010-no2",
        "us-epa-2010-so2",
        "us-epa-2012",
        "us-epa-2015",
        "us-epa-2024",
    ]
    # 1999 table 60 until 2013-03-17; 2012 table 68; 2024 table: 51 + 49*10.9/26.3 = 71.3 -> 71
    assert result.aqi.tolist() == [60, 60, 60, 60, 68, 68, 71]


def test_periods_are_contiguous() -> None:
    engines = [engine_by_id(e) for e in ("us-epa-1999", "us-epa-2008", "us-epa-2010-no2", "us-epa-2010-so2")]
    engines += [engine_by_id(e) for e in ("us-epa-2012", "us-epa-2015", "us-epa-2024")]
    for earlier, later in itertools.pairwise(engines):
        assert earlier.effective_to is not None
        assert (later.effective_from - earlier.effective_to).days == 1


def test_unread_1999_ozone_rows_are_marked_uncertain() -> None:
    assert engine_by_id("us-epa-1999").tables["o3_8h"].uncertain
    assert not engine_by_id("us-epa-2008").tables["o3_8h"].uncertain
    assert not engine_by_id("us-epa-1999").tables["pm25_24h"].uncertain


def test_before_the_aqi_rule_no_engine() -> None:
    with pytest.raises(DateOutOfCoverageError, match="1999-10-03") as raised:
        compute_aqi("us", "1999-10-03", {"pm25_24h": [20.0]})
    assert "us-epa-1999 from 1999-10-04" in str(raised.value)
    assert compute_aqi("us", "1999-10-04", {"pm25_24h": [20.0]}).aqi.tolist() == [60]


def test_each_column_cites_the_rule_that_last_changed_it() -> None:
    e2024, e2015 = engine_by_id("us-epa-2024"), engine_by_id("us-epa-2015")
    assert "89 FR 16202" in e2024.tables["pm10_24h"].citation.document  # Hazardous bands merged in 2024
    assert "64 FR 42530" in e2015.tables["pm10_24h"].citation.document  # unchanged since 1999
    assert "80 FR 65292" in e2015.tables["o3_8h"].citation.document
    assert "78 FR 3086" in e2015.tables["pm25_24h"].citation.document
