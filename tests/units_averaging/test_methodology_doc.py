"""The methodology page names every preset and every reference state the code defines."""

from __future__ import annotations

from pathlib import Path

from greenbri.core.averaging import (
    ANNUAL_CAPTURE_RULES,
    DAILY_CAPTURE_RULES,
    MDA8_CONVENTIONS,
    PERCENTILE_METHODS,
)
from greenbri.core.units import MOLAR_MASSES, REFERENCE_CONDITIONS, UNITS, AveragingPeriod

PAGE = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "units-and-averaging.md"


def test_the_page_names_every_preset_unit_and_period() -> None:
    text = PAGE.read_text(encoding="utf-8")
    names = [
        *REFERENCE_CONDITIONS,
        *MOLAR_MASSES,
        *UNITS,
        *DAILY_CAPTURE_RULES,
        *MDA8_CONVENTIONS,
        *ANNUAL_CAPTURE_RULES,
        *PERCENTILE_METHODS,
        *(period.value for period in AveragingPeriod),
    ]
    assert [name for name in names if f"`{name}`" not in text] == []


def test_the_page_shows_the_thresholds_the_code_holds() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for rule in DAILY_CAPTURE_RULES.values():
        assert f"| `{rule.name}` | {rule.min_valid_hours} |" in text
    for state in REFERENCE_CONDITIONS.values():
        assert f"| `{state.name}` | {state.temperature_k:g} | {state.pressure_kpa:g} |" in text
