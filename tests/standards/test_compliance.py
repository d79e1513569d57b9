"""Observations against limits: exceedance, margin, refusals, NO DATA, and the binding limit."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenbri.core.catalog import Bilingual
from greenbri.core.compliance import (
    ComplianceStatus,
    Observation,
    assess,
    compare,
    convert_to_unit,
    strictest,
)
from greenbri.core.errors import StandardError
from greenbri.core.standards import Limit, Standard, StandardLibrary, StandardLimit, Statistic

ON = date(2026, 6, 1)


def bound(
    library: StandardLibrary, standard_id: str, pollutant: str, averaging: str, level: str
) -> StandardLimit:
    standard = library.get(standard_id)
    (limit,) = [
        limit
        for limit in standard.limits_on(ON)
        if (limit.pollutant, limit.averaging, limit.level) == (pollutant, averaging, level)
    ]
    return StandardLimit(standard, limit)


def test_strictest_pm25_annual_across_who_cn_us_eu_is_the_who_aqg(library: StandardLibrary) -> None:
    chosen = [
        library.get(i) for i in ("who-aqg-2021", "cn-gb3095-2026", "us-naaqs", "eu-2008-50", "eu-2024-2881")
    ]
    binding = strictest("pm25", "year", ON, chosen)
    assert binding is not None
    # WHO 2021 AQG, Table 0.1: PM2.5 annual 5 ug/m3.
    assert (binding.standard_id, binding.limit.level, binding.limit.value) == ("who-aqg-2021", "AQG", 5)
    assert binding.citation.endswith("Table 0.1 (repeated as Table 3.26)")


def test_strictest_without_who_is_the_us_primary_standard(library: StandardLibrary) -> None:
    binding = strictest("pm25", "year", ON, [s for s in library if s.jurisdiction in {"CHN", "USA", "EU"}])
    assert binding is not None
    assert (binding.standard_id, binding.limit.value) == ("us-naaqs", 9.0)  # 40 CFR 50.20


def test_strictest_minimum_is_the_highest(library: StandardLibrary) -> None:
    binding = strictest("do", "grab", ON, [library.get("cn-gb3838-2002")])
    assert binding is not None
    assert (binding.limit.level, binding.limit.value) == ("class_I", 7.5)  # GB 3838-2002 Table 1 item 3


def test_strictest_refuses_mixed_maxima_and_minima(library: StandardLibrary) -> None:
    with pytest.raises(StandardError, match="mix maxima and minima"):
        strictest("ph", "grab", ON, [library.get("cn-gb3838-2002")])


def test_strictest_needs_a_converter_across_ppb_and_ug_m3(library: StandardLibrary) -> None:
    standards = [library.get("us-naaqs"), library.get("who-aqg-2021")]
    with pytest.raises(StandardError, match="Cannot compare no2 in ug/m3 with a limit in ppb"):
        strictest("no2", "year", ON, standards)
    # With a converter (NO2 at 25 °C: 1 ppb = 1.88 ug/m3, test value), the WHO AQG 10 ug/m3 binds.
    binding = strictest(
        "no2", "year", ON, standards, convert=lambda v, f, t, p: v / 1.88 if t == "ppb" else v * 1.88
    )
    assert binding is not None and binding.standard_id == "who-aqg-2021"


def test_strictest_is_none_without_limits(library: StandardLibrary) -> None:
    assert strictest("pm25", "year", date(1990, 1, 1), library) is None


def test_compare_refuses_a_24h_value_against_an_annual_limit(library: StandardLibrary) -> None:
    annual = bound(library, "who-aqg-2021", "pm25", "year", "AQG")
    with pytest.raises(StandardError, match=r"averaging period differs \(24h vs year\)"):
        compare(Observation("pm25", "24h", 12.0, "ug/m3", ON), annual)


def test_compare_refuses_another_statistic(library: StandardLibrary) -> None:
    daily = bound(library, "who-aqg-2021", "pm25", "24h", "AQG")  # 99th percentile
    with pytest.raises(StandardError, match="statistic differs"):
        compare(Observation("pm25", "24h", 12.0, "ug/m3", ON), daily)


def test_compare_exceedance_margin_and_ratio(library: StandardLibrary) -> None:
    # GB 3095-2026 transition phase, grade II PM2.5 annual 30 ug/m3.
    limit = bound(library, "cn-gb3095-2026", "pm25", "year", "grade_2")
    result = compare(Observation("pm25", "year", 0.036, "mg/m3", ON), limit)
    assert result.status is ComplianceStatus.EXCEEDS and result.exceedance is True
    assert result.value == pytest.approx(36.0)
    assert result.margin == pytest.approx(6.0)
    assert result.ratio == pytest.approx(1.2)
    assert result.citation == "GB 3095-2026, " + limit.limit.source
    equal = compare(Observation("pm25", "year", 30.0, "ug/m3", ON), limit)
    assert equal.status is ComplianceStatus.MEETS and equal.margin == 0


def test_a_minimum_is_broken_from_below(library: StandardLibrary) -> None:
    # GB 3838-2002 Table 1 item 3: dissolved oxygen class III >= 5 mg/L.
    oxygen = bound(library, "cn-gb3838-2002", "do", "grab", "class_III")
    low = compare(Observation("do", "grab", 4.0, "mg/L", ON, Statistic("value")), oxygen)
    assert low.status is ComplianceStatus.EXCEEDS and low.margin == pytest.approx(-1.0)
    high = compare(Observation("do", "grab", 6.5, "mg/L", ON, Statistic("value")), oxygen)
    assert high.status is ComplianceStatus.MEETS


def test_units_other_than_mass_need_the_converter(library: StandardLibrary) -> None:
    so2 = bound(library, "us-naaqs", "so2", "1h", "primary")  # 75 ppb, 99th percentile
    observation = Observation("so2", "1h", 200.0, "ug/m3", ON, Statistic("percentile", 99))
    with pytest.raises(StandardError, match="Cannot compare so2 in ug/m3 with a limit in ppb"):
        compare(observation, so2)
    calls: list[tuple[float, str, str, str]] = []

    def convert(value: float, from_unit: str, to_unit: str, pollutant: str) -> float:
        calls.append((value, from_unit, to_unit, pollutant))
        return value / 2.0  # a stand-in factor; the real one is greenbri.core.units' business

    result = compare(observation, so2, convert=convert)
    assert calls == [(200.0, "ug/m3", "ppb", "so2")]
    assert result.value == 100.0 and result.status is ComplianceStatus.EXCEEDS


def test_missing_values_and_missing_observations_are_no_data(library: StandardLibrary) -> None:
    observations = [
        Observation("pm25", "year", None, "ug/m3", date(2025, 12, 31)),
        Observation("pm25", "24h", math.nan, "ug/m3", date(2026, 5, 31)),
    ]
    assessment = assess(observations, [library.get("cn-gb3095-2026")], on=ON, pollutants={"pm25", "so2"})
    statuses = {(r.limit.averaging, r.status) for r in assessment.results}
    # GB 3095-2026 Table 1 also has SO2 annual, 24 h and 1 h limits: no observation, NO DATA
    assert statuses == {
        ("year", ComplianceStatus.NO_DATA),
        ("24h", ComplianceStatus.NO_DATA),
        ("1h", ComplianceStatus.NO_DATA),
    }
    assert all(r.exceedance is None for r in assessment.results)
    assert assessment.with_status(ComplianceStatus.MEETS) == ()
    # A standard with no observation at all for a limit: NO DATA, never "meets".
    everything = assess([], [library.get("who-aqg-2021")], on=ON)
    assert len(everything.results) == 38
    assert {r.status for r in everything.results} == {ComplianceStatus.NO_DATA}
    assert "no observation of co over 24h as percentile 99" in {r.reason for r in everything.results}


def test_assess_with_a_library_and_jurisdictions(library: StandardLibrary) -> None:
    observations = [
        Observation("pm25", "year", 28.0, "ug/m3", date(2025, 12, 31), site="A"),
        Observation("pm25", "24h", 55.0, "ug/m3", date(2026, 5, 31), site="A"),
        Observation("pm25", "month", 40.0, "ug/m3", date(2026, 5, 31), site="A"),
    ]
    assessment = assess(observations, library, on=ON, jurisdictions={"CHN", "WHO"}, pollutants={"pm25"})
    by_limit = {(r.standard_id, r.limit.averaging, r.limit.level): r for r in assessment.results}
    assert by_limit[("cn-gb3095-2026", "year", "grade_2")].status is ComplianceStatus.MEETS  # 28 <= 30
    assert by_limit[("cn-gb3095-2026", "24h", "grade_2")].status is ComplianceStatus.MEETS  # 55 <= 60
    assert by_limit[("who-aqg-2021", "year", "AQG")].status is ComplianceStatus.EXCEEDS  # 28 > 5
    assert (
        by_limit[("who-aqg-2021", "24h", "AQG")].status is ComplianceStatus.NO_DATA
    )  # needs a 99th percentile
    assert assessment.unmatched == (observations[2],)
    assert {r.standard_id for r in assessment.results} == {"cn-gb3095-2026", "who-aqg-2021"}


def test_standards_not_in_force_are_reported(library: StandardLibrary) -> None:
    assessment = assess(
        [Observation("pm25", "year", 20.0, "ug/m3", ON)],
        [library.get("cn-gb3095-2012"), library.get("eu-2024-2881")],
        on=ON,
    )
    assert assessment.results == ()
    assert assessment.not_in_force == ("cn-gb3095-2012", "eu-2024-2881")


def test_allowance_counts_per_calendar_year(library: StandardLibrary) -> None:
    # 2008/50/EC Annex XI: PM10 daily mean 50 ug/m3, not more than 35 times a calendar year.
    days = [Observation("pm10", "24h", 60.0, "ug/m3", date(2025, 1, 1 + i)) for i in range(30)]
    days += [Observation("pm10", "24h", 60.0, "ug/m3", date(2025, 3, 1 + i)) for i in range(6)]
    days += [
        Observation("pm10", "24h", None, "ug/m3", date(2025, 4, 1)),
        Observation("pm10", "24h", 20.0, "ug/m3", date(2025, 4, 2)),
    ]
    assessment = assess(days, [library.get("eu-2008-50")], on=ON, pollutants={"pm10"})
    (count,) = assessment.allowance_counts()
    assert (count.standard_id, count.year, count.exceedances, count.allowed) == ("eu-2008-50", 2025, 36, 35)
    assert (count.values, count.missing) == (37, 1)
    assert count.allowance_exceeded


def test_mass_unit_conversion() -> None:
    assert convert_to_unit(0.5, "mg/m3", "ug/m3", "pm25") == 500.0
    assert convert_to_unit(1500.0, "ng/m3", "ug/m3", "pb") == 1.5
    with pytest.raises(StandardError, match="Cannot compare"):
        convert_to_unit(1.0, "mg/Nm3", "mg/m3", "nox")


LIMIT = Limit("pm25", "year", Statistic("mean"), 25.0, "ug/m3", "<=", "limit", source="test")
MINIMUM = Limit("do", "grab", Statistic("value"), 5.0, "mg/L", ">=", "class_III", source="test")
STANDARD = Standard(
    "t", "WHO", "ambient_air", Bilingual("t"), "t", "t", date(2000, 1, 1), limits=(LIMIT, MINIMUM)
)


@given(st.floats(min_value=0, max_value=1e4, allow_nan=False))
def test_status_agrees_with_the_sign_of_the_margin(value: float) -> None:
    maximum = compare(Observation("pm25", "year", value, "ug/m3", ON), StandardLimit(STANDARD, LIMIT))
    assert maximum.margin is not None
    assert (maximum.status is ComplianceStatus.EXCEEDS) == (maximum.margin > 0)
    minimum = compare(
        Observation("do", "grab", value, "mg/L", ON, Statistic("value")), StandardLimit(STANDARD, MINIMUM)
    )
    assert minimum.margin is not None
    assert (minimum.status is ComplianceStatus.EXCEEDS) == (minimum.margin < 0)
