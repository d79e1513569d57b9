"""compute_aqi's contract: shapes, dates per element, errors, the kernel and the tables' validation."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

import greenbri.core.aqi as aqi_package
from greenbri.core.aqi import (
    ENGINES,
    AqiInputError,
    BreakpointRow,
    BreakpointTable,
    Citation,
    compute_aqi,
    piecewise_index,
    round_index,
    truncate,
)
from greenbri.core.errors import GreenbriError

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "aqi.md"


def test_public_api_is_explicit_and_sorted() -> None:
    assert len(set(aqi_package.__all__)) == len(aqi_package.__all__)
    for name in aqi_package.__all__:
        assert hasattr(aqi_package, name), name


def test_errors_belong_to_the_project_tree() -> None:
    assert issubclass(aqi_package.AqiStandardError, GreenbriError)
    assert issubclass(AqiInputError, GreenbriError)


def test_shapes_broadcast_and_scalars_work() -> None:
    result = compute_aqi("cn", dt.date(2020, 1, 1), {"pm25_24h": [[35.0], [75.0]], "pm10_24h": [50.0, 150.0]})
    assert result.aqi.shape == (2, 2)
    assert result.aqi.tolist() == [[50, 100], [100, 100]]
    scalar = compute_aqi("us", "2024-06-01", {"pm25_24h": 9.0})
    assert scalar.aqi.shape == ()
    assert float(scalar.aqi) == 50


def test_dates_are_dispatched_per_element() -> None:
    days = np.array(["2024-05-05", "2024-05-06", "2020-01-01", "2030-01-01"], dtype="datetime64[D]")
    result = compute_aqi("us", days, {"pm25_24h": [12.0, 12.0, 12.0, 12.0]})
    assert result.aqi.tolist() == [50, 56, 50, 56]
    assert [result.engine_at(i) for i in range(4)] == [
        "us-epa-2015",
        "us-epa-2024",
        "us-epa-2015",
        "us-epa-2024",
    ]


def test_all_missing_is_no_data() -> None:
    result = compute_aqi("us", "2024-06-01", {"pm25_24h": [np.nan], "o3_8h": [np.nan]})
    assert math.isnan(result.aqi[0])
    assert result.category.tolist() == [-1]
    assert result.present_count.tolist() == [0]
    assert result.primary_keys(0) == ()


@pytest.mark.parametrize(
    ("standard", "dates", "concentrations", "match"),
    [
        ("eu", "2020-01-01", {"pm25_24h": [1.0]}, "Unknown AQI standard"),
        ("cn", "2020-01-01", {}, "No concentrations"),
        ("us", "2020-01-01", {"co_24h": [1.0]}, "No us AQI engine has breakpoints for co_24h"),
        ("us", ["2020-01-01", "2020-01-02"], {"pm25_24h": [1.0, 2.0, 3.0]}, "do not match"),
        ("us", "not a date", {"pm25_24h": [1.0]}, "Dates could not be read"),
    ],
)
def test_input_errors_say_what_to_do(
    standard: str, dates: object, concentrations: dict[str, list[float]], match: str
) -> None:
    with pytest.raises(AqiInputError, match=match) as raised:
        compute_aqi(standard, dates, concentrations)  # type: ignore[arg-type]
    assert "Fix:" in str(raised.value)


def test_fallback_must_be_a_verified_engine_of_the_standard() -> None:
    with pytest.raises(AqiInputError):
        compute_aqi("cn", "2026-03-01", {"pm25_24h": [1.0]}, fallback_engine="us-epa-2024")
    with pytest.raises(AqiInputError):
        compute_aqi("cn", "2015-03-01", {"pm25_24h": [1.0]}, fallback_engine="no-such-engine")


def test_truncate_and_round_resist_binary_representation() -> None:
    # 0.029 * 1000 is 28.999999999999996 in binary floating point.
    assert truncate([0.029, 0.0709], 3).tolist() == [0.029, 0.070]
    assert round_index([132.49999999999997, 50.00000000000001], "half_up").tolist() == [133, 50]
    assert round_index([50.00000000000001], "ceil").tolist() == [50]
    assert round_index([1.25], "none").tolist() == [1.25]


def test_kernel_alone() -> None:
    table = BreakpointTable(
        key="x_1h",
        unit="ug/m3",
        rows=(BreakpointRow(0, 10, 0, 50), BreakpointRow(10, 20, 50, 100)),
        citation=Citation("test", "test"),
    )
    result = piecewise_index([0.0, 5.0, 10.0, 15.0, 30.0, np.nan, -1.0], table)
    assert result.value[:5].tolist() == [0, 25, 50, 75, 150]
    assert np.isnan(result.value[5:]).all()
    assert result.above_scale.tolist() == [False, False, False, False, True, False, False]
    assert result.not_indexed.tolist() == [False] * 6 + [True]


@pytest.mark.parametrize(
    "rows",
    [
        (BreakpointRow(0, 10, 0, 50), BreakpointRow(5, 20, 51, 100)),  # overlap
        (BreakpointRow(0, 10, 0, 50), BreakpointRow(10, 20, 60, 100)),  # index gap
        (BreakpointRow(10, 0, 0, 50),),  # decreasing
        (),
    ],
)
def test_tables_are_validated(rows: tuple[BreakpointRow, ...]) -> None:
    with pytest.raises(ValueError, match="breakpoint table"):
        BreakpointTable(key="bad_1h", unit="ug/m3", rows=rows, citation=Citation("test", "test"))


def test_every_table_has_a_citation_with_dates() -> None:
    for engine in ENGINES:
        for table in engine.tables.values():
            assert table.citation.document and table.citation.location
            # a column unchanged by the engine's own revision cites the older one that set it
            assert table.citation.effective_from is not None
            assert table.citation.effective_from <= engine.effective_from
            assert table.citation.verification in ("primary", "secondary")


def test_the_methodology_page_names_every_engine_and_key() -> None:
    text = DOC.read_text(encoding="utf-8")
    for engine in ENGINES:
        assert engine.engine_id in text, engine.engine_id
        for key in engine.tables:
            assert f"`{key}`" in text, key
