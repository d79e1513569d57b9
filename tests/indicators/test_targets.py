"""Target evaluation with hand-computed cases: rounding at the threshold, achieved, too short, projections."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import StandardError
from greenbri.core.indicators.data_files import seed_targets
from greenbri.core.indicators.progress import evaluate_target, progress_fraction
from greenbri.core.indicators.targets import Citation, Target, apply_rounding, meets, target_from_document

CITATION = Citation(
    title=Bilingual("Test document", "测试文件"), issuer="test", date="2023-12-27", clause="1"
)


def target(
    comparator: str = "below", value: float = 28.0, rounding: str = "exact", year: int = 2027
) -> Target:
    return Target(
        id="t",
        name=Bilingual("t", "t"),
        indicator="pm",
        scope="CHN",
        target_year=year,
        target_value=value,
        comparator=comparator,
        rounding=rounding,
        citation=CITATION,
        unit="µg/m³",
    )


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        (27.96, "exact", True),  # full-value comparison: 27.96 < 28
        (27.96, "half_even:0", False),  # rounds to 28, and 28 is not below 28
        (27.96, "half_up:0", False),
        (28.0, "exact", False),  # exactly at the threshold is not below it
        (28.0, "half_even:0", False),
        (27.5, "half_even:0", False),  # half to even: 27.5 -> 28
        (27.49, "half_even:0", True),  # 27.49 -> 27
        (27.96, "half_even:1", False),  # one decimal: 27.96 -> 28.0, not below 28
        (27.94, "half_even:1", True),  # 27.94 -> 27.9
    ],
)
def test_below_28_at_the_threshold_under_rounding_rules(value: float, rounding: str, expected: bool) -> None:
    assert meets(value, target("below", 28.0, rounding)) is expected


def test_half_even_and_half_up_differ_at_a_half() -> None:
    assert str(apply_rounding(28.5, "half_even:0")) == "28"
    assert str(apply_rounding(28.5, "half_up:0")) == "29"
    assert meets(28.5, target("at_most", 28.0, "half_even:0")) is True
    assert meets(28.5, target("at_most", 28.0, "half_up:0")) is False
    # 2.675 is 2.67499999... in binary; greenbri rounds its shortest decimal form, so half_up gives 2.68.
    assert str(apply_rounding(2.675, "half_up:2")) == "2.68"


def test_at_least_and_above_at_the_threshold() -> None:
    assert meets(90.0, target("at_least", 90.0)) is True
    assert meets(90.0, target("above", 90.0)) is False
    assert meets(89.96, target("at_least", 90.0, "half_even:1")) is True  # 89.96 -> 90.0
    assert meets(89.94, target("at_least", 90.0, "half_even:1")) is False  # 89.94 -> 89.9


def test_already_achieved() -> None:
    result = evaluate_target(target("below", 28.0), [2021, 2022], [30.0, 27.0])
    assert result.status == "achieved"
    assert result.distance == pytest.approx(1.0)
    assert result.judged_value == "27.0"


def test_series_too_short_to_project_is_insufficient_data() -> None:
    result = evaluate_target(target("below", 28.0), [2021, 2022], [31.0, 30.0])
    assert result.status == "insufficient_data"
    assert result.required_rate == pytest.approx(-2.0 / 5)  # (28 - 30) / (2027 - 2022)
    assert result.projection is None


def test_no_data_is_insufficient_never_good() -> None:
    assert evaluate_target(target(), [], []).status == "insufficient_data"


def test_on_track_by_hand() -> None:
    # 35, 34, 33, 32, 31 over 2018-2022: slope -1 exactly, 2027 projection 26 < 28 and the interval is a point.
    result = evaluate_target(
        target("below", 28.0), [2018, 2019, 2020, 2021, 2022], [35.0, 34.0, 33.0, 32.0, 31.0]
    )
    assert result.status == "on_track"
    assert result.observed_rate == pytest.approx(-1.0)
    assert result.required_rate == pytest.approx(-3.0 / 5)
    assert result.projection == pytest.approx(26.0)


def test_off_track_by_hand() -> None:
    # Flat at 30: projection 30, not below 28.
    result = evaluate_target(target("below", 28.0), [2018, 2019, 2020, 2021, 2022], [30.0] * 5)
    assert result.status == "off_track"
    assert result.projection == pytest.approx(30.0)


def test_at_risk_when_only_part_of_the_interval_meets() -> None:
    # Noisy decline whose central projection meets 28 while the pessimistic slope does not.
    result = evaluate_target(
        target("below", 28.0), [2018, 2019, 2020, 2021, 2022], [33.0, 33.5, 31.0, 31.5, 30.0]
    )
    assert result.trend is not None and result.trend.slope_low < result.trend.slope_high
    assert result.status == "at_risk"


def test_target_year_passed_is_off_track() -> None:
    result = evaluate_target(target("below", 28.0, year=2020), [2019, 2020, 2021], [31.0, 30.0, 29.0])
    assert result.status == "off_track"


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_progress_is_zero_at_baseline_and_one_at_target(baseline: float, goal: float) -> None:
    if baseline == goal:
        assert progress_fraction(baseline, baseline, goal) is None
        return
    assert progress_fraction(baseline, baseline, goal) == pytest.approx(0.0)
    assert progress_fraction(baseline, goal, goal) == pytest.approx(1.0)


def test_seed_targets_carry_citations_and_uncertainty() -> None:
    targets = seed_targets()
    assert len(targets) == 12
    for item in targets.values():
        assert item.citation.title.zh == "中共中央 国务院关于全面推进美丽中国建设的意见"
        assert item.citation.date == "2023-12-27" and item.citation.clause
        assert item.uncertain or item.citation.wording_zh, item.id
    uncertain = {key for key, item in targets.items() if item.uncertain}
    assert uncertain == {
        "beautiful_china_surface_water_2027",
        "beautiful_china_nearshore_water_2027",
        "beautiful_china_forest_2035",
        "beautiful_china_soil_water_2035",
        "beautiful_china_nature_reserves_2035",
        "beautiful_china_groundwater_2035",
        "beautiful_china_coastline_2035",
    }
    pm25 = targets["beautiful_china_pm25_2027"]
    assert (pm25.target_value, pm25.comparator, pm25.target_year) == (28.0, "below", 2027)
    assert targets["beautiful_china_rail_freight_2035"].qualifier == "about"
    assert targets["beautiful_china_nev_2027"].qualifier == "strive"


def test_a_bad_target_names_the_field() -> None:
    document = dataclasses.asdict(target())
    document.update(
        comparator="less",
        citation={"title": {"en": "x"}, "issuer": "x", "date": "x", "clause": "x"},
        name={"en": "t"},
    )
    with pytest.raises(StandardError, match="comparator"):
        target_from_document(document, "targets.json, targets[0]")


def test_a_projection_stops_at_the_physical_range_of_the_unit() -> None:
    from greenbri.core.indicators.progress import physical_range

    # 40, 30, 20 over 2020-2022: slope -10, so a straight line reaches -30 ug/m3 by 2027.
    years, values = [2020, 2021, 2022], [40.0, 30.0, 20.0]
    unbounded = evaluate_target(target("below", 5.0), years, values)
    assert unbounded.projection == pytest.approx(-30.0)
    bounded = evaluate_target(target("below", 5.0), years, values, bounds=physical_range("µg/m³"))
    assert bounded.projection == 0.0 and bounded.projection_low == 0.0
    assert physical_range("% of land area") == (0.0, 100.0)
    assert physical_range("million t CO2") == (None, None)
