"""GB 3838-2002 classes: hand-checked values from Table 1, directions, NO DATA, and the India table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from greenbri.adapters.standards_files import load_library
from greenbri.core.errors import MalformedInputError, StandardError
from greenbri.core.monitoring.water import NO_DATA, WORSE_THAN_V, class_limits, classify, classify_values
from greenbri.usecases.monitoring.water_quality import classify_water_table, read_india_table

GB3838 = load_library().get("cn-gb3838-2002")


def test_dissolved_oxygen_is_a_minimum() -> None:
    # Table 1 item 3: I >= 7.5, II >= 6, III >= 5, IV >= 3, V >= 2 (mg/L)
    limits = class_limits(GB3838, "do")
    assert classify([8.0, 7.5, 6.5, 5.0, 4.0, 2.0, 1.9, np.nan], limits).tolist() == [1, 1, 2, 3, 4, 5, 6, 0]


def test_bod5_is_a_maximum() -> None:
    # Table 1 item 6: I and II <= 3, III <= 4, IV <= 6, V <= 10 (mg/L): class II never occurs alone
    limits = class_limits(GB3838, "bod5")
    assert classify([2.0, 3.0, 3.5, 6.0, 10.0, 10.1], limits).tolist() == [1, 1, 3, 4, 5, 6]


def test_ph_outside_six_to_nine_fails_every_class() -> None:
    limits = class_limits(GB3838, "ph")
    assert classify([5.9, 6.0, 7.4, 9.0, 9.1], limits).tolist() == [6, 1, 1, 1, 6]


def test_overall_is_the_worst_and_missing_is_never_class_one() -> None:
    limits = [class_limits(GB3838, name) for name in ("do", "bod5")]
    result = classify_values(
        {"do": [8.0, np.nan, np.nan], "bod5": [5.0, 2.0, np.nan], "conductivity": [100.0, 1.0, 1.0]},
        limits,
        not_assessed=("conductivity",),
    )
    assert result.overall.tolist() == [4, 1, NO_DATA]
    assert result.complete.tolist() == [True, False, False]
    assert result.classes["conductivity"].tolist() == [-1, -1, -1]


def test_a_parameter_without_limits_is_refused() -> None:
    with pytest.raises(StandardError, match="conductivity"):
        class_limits(GB3838, "conductivity")
    with pytest.raises(StandardError, match="not assessed"):
        classify_values({"conductivity": [1.0]}, [class_limits(GB3838, "do")])


@given(st.floats(0, 20), st.floats(0, 20))
def test_more_oxygen_is_never_a_worse_class(low: float, high: float) -> None:
    low, high = sorted((low, high))
    codes = classify([low, high], class_limits(GB3838, "do"))
    assert codes[1] <= codes[0]
    assert WORSE_THAN_V >= codes[0] >= 1


def test_india_table(shared_data: Path) -> None:
    table = read_india_table(shared_data / "water" / "india_water_quality_2003-2014.csv")
    assert len(table) > 1900 and table["do"].notna().sum() > 1800
    records = classify_water_table(table, GB3838)
    first = records[0]  # 1393 DAMANGANGA 2014: DO 6.7 (II), pH 7.5, BOD NAN, fecal 11 MPN/100ml = 110 /L (I)
    assert first["station"] == "1393" and first["year"] == 2014
    assert first["classes"]["do"]["code"] == 2 and first["classes"]["bod5"]["code"] == NO_DATA
    assert first["classes"]["fecal_coliform"]["code"] == 1 and first["classes"]["conductivity"]["code"] == -1
    assert first["overall"] == {"code": 2, "en": "class II", "zh": "II类"} and not first["overall_complete"]
    codes = {record["overall"]["code"] for record in records}
    assert WORSE_THAN_V in codes and NO_DATA in codes
    assert not any(record["overall_complete"] for record in records if record["values"]["do"] is None)


def test_an_india_table_cut_in_its_last_row_is_refused(shared_data: Path, tmp_path: Path) -> None:
    """Issue 13: on main the cut row was classified from the values it kept."""
    data = (shared_data / "water" / "india_water_quality_2003-2014.csv").read_bytes()
    cut = tmp_path / "india.csv"
    cut.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 15])  # the last row: 14 bytes of it
    with pytest.raises(MalformedInputError, match=r"india\.csv, line 1992: .*unterminated quote") as caught:
        read_india_table(cut)  # the cut falls inside the quoted LOCATIONS field
    assert "--skip-bad-rows" not in str(caught.value)
