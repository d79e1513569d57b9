"""Composite index maths: normalisation, weights, missing data, ranks and the sensitivity check."""

from __future__ import annotations

import pytest

from greenbri.core.indicators.composite import aggregate, competition_ranks, normalise, sensitivity, spearman
from greenbri.core.indicators.data_files import catalog_indicators, index_methodology


def test_min_max_between_percentiles_by_hand() -> None:
    values = {"A": 0.0, "B": 5.0, "C": 10.0}
    assert normalise(values, higher_is_better=True, percentiles=(0, 100)) == {"A": 0.0, "B": 50.0, "C": 100.0}
    assert normalise(values, higher_is_better=False, percentiles=(0, 100)) == {
        "A": 100.0,
        "B": 50.0,
        "C": 0.0,
    }
    # 25th/75th percentiles of 0, 5, 10 are 2.5 and 7.5: A is clipped to 0, C to 100.
    assert normalise(values, higher_is_better=True, percentiles=(25, 75)) == {"A": 0.0, "B": 50.0, "C": 100.0}


def test_log_transform_by_hand() -> None:
    scores = normalise(
        {"A": 9.0, "B": 99.0, "C": 999.0}, higher_is_better=True, transform="log", percentiles=(0, 100)
    )
    assert scores == {"A": pytest.approx(0.0), "B": pytest.approx(50.0), "C": pytest.approx(100.0)}


def test_no_spread_scores_everyone_the_same() -> None:
    assert normalise({"A": 3.0, "B": 3.0}, higher_is_better=False) == {"A": 100.0, "B": 100.0}


def test_weights_and_missing_data() -> None:
    scores = {"x": {"A": 100.0, "B": 0.0, "C": 50.0}, "y": {"A": 0.0, "B": 100.0}}
    result = aggregate(scores, {"x": 3.0, "y": 1.0}, min_coverage=0.6)
    assert result["A"].score == pytest.approx(75.0)  # (3*100 + 1*0) / 4
    assert result["B"].score == pytest.approx(25.0)
    assert result["C"].score == pytest.approx(50.0) and result["C"].coverage == pytest.approx(0.75)
    stricter = aggregate(scores, {"x": 1.0, "y": 1.0}, min_coverage=0.6)
    assert stricter["C"].score is None and stricter["C"].coverage == pytest.approx(0.5)  # NO DATA, not zero


def test_competition_ranks_share_ties_and_skip_no_data() -> None:
    assert competition_ranks({"A": 90.0, "B": 80.0, "C": 80.0, "D": 10.0, "E": None}) == {
        "A": 1,
        "B": 2,
        "C": 2,
        "D": 4,
    }


def test_spearman_by_hand() -> None:
    assert spearman({"A": 1, "B": 2, "C": 3}, {"A": 10, "B": 20, "C": 30}) == pytest.approx(1.0)
    assert spearman({"A": 1, "B": 2, "C": 3}, {"A": 30, "B": 20, "C": 10}) == pytest.approx(-1.0)


def test_sensitivity_is_deterministic_and_complete() -> None:
    scores = {
        "x": {"A": 100.0, "B": 60.0, "C": 0.0, "D": 30.0},
        "y": {"A": 0.0, "B": 50.0, "C": 100.0, "D": 40.0},
    }
    first = sensitivity(scores, {"x": 1.0, "y": 1.0}, min_coverage=0.5, draws=20, seed=7)
    second = sensitivity(scores, {"x": 1.0, "y": 1.0}, min_coverage=0.5, draws=20, seed=7)
    assert first == second
    labels = [row["scenario"] for row in first["scenarios"]]
    assert labels[:3] == ["equal_weights", "without:x", "without:y"] and len(labels) == 23
    assert first["scenarios"][0]["spearman"] == pytest.approx(1.0)  # equal weights are the baseline here
    assert -1.0 <= first["random_spearman_min"] <= first["random_spearman_median"] <= 1.0


def test_methodology_weights_and_indicators_are_valid() -> None:
    method = index_methodology()
    catalog = catalog_indicators()
    assert sum(item["weight"] for item in method["indicators"]) == pytest.approx(1.0)
    for item in method["indicators"]:
        assert catalog[item["id"]].higher_is_better is not None
        assert item["transform"] in ("none", "log")
