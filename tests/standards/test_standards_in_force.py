"""Which standards, phases and limits apply on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from greenbri.core.standards import StandardLibrary, standard_from_dict


def values(
    library: StandardLibrary, pollutant: str, averaging: str, on: date, standard_id: str
) -> list[float]:
    return sorted(
        item.limit.value
        for item in library.limits_for(pollutant, averaging, on)
        if item.standard_id == standard_id
    )


def test_gb3095_2012_to_2026_switch(library: StandardLibrary) -> None:
    last_day = [s.id for s in library.in_force(date(2026, 2, 28), "CHN")]
    first_day = [s.id for s in library.in_force(date(2026, 3, 1), "CHN")]
    assert "cn-gb3095-2012" in last_day and "cn-gb3095-2026" not in last_day
    assert "cn-gb3095-2026" in first_day and "cn-gb3095-2012" not in first_day
    # GB 3095-2012 Table 1, PM2.5 annual: grade I 15, grade II 35.
    assert values(library, "pm25", "year", date(2026, 2, 28), "cn-gb3095-2012") == [15, 35]


def test_gb3095_2026_transition_phase_then_full_limits(library: StandardLibrary) -> None:
    standard = library.get("cn-gb3095-2026")
    transition = standard.phase_on(date(2026, 3, 1))
    assert transition is not None and transition.id == "transition"
    # GB 3095-2026 Table 1 (page 3), transitional column, grade I / grade II: PM2.5 annual 15 / 30,
    # 24-hour 35 / 60; PM10 annual 40 / 60, 24-hour 50 / 120; SO2 annual 20 / 60.
    assert values(library, "pm25", "year", date(2026, 3, 1), "cn-gb3095-2026") == [15, 30]
    assert values(library, "pm25", "24h", date(2030, 12, 31), "cn-gb3095-2026") == [35, 60]
    assert values(library, "pm10", "24h", date(2026, 3, 1), "cn-gb3095-2026") == [50, 120]
    assert values(library, "so2", "year", date(2026, 3, 1), "cn-gb3095-2026") == [20, 60]
    full = standard.phase_on(date(2031, 1, 1))
    assert full is not None and full.id == "full"
    # Final column (clause 4.4: nationwide from 2031-01-01): PM2.5 annual 10 / 25, 24-hour 25 / 50;
    # PM10 annual 20 / 50; SO2 annual 20 / 20; NO2 annual 30 / 30.
    assert values(library, "pm25", "year", date(2031, 1, 1), "cn-gb3095-2026") == [10, 25]
    assert values(library, "pm25", "24h", date(2031, 1, 1), "cn-gb3095-2026") == [25, 50]
    assert values(library, "pm10", "year", date(2031, 1, 1), "cn-gb3095-2026") == [20, 50]
    assert values(library, "so2", "year", date(2031, 1, 1), "cn-gb3095-2026") == [20, 20]
    assert values(library, "no2", "year", date(2031, 1, 1), "cn-gb3095-2026") == [30, 30]
    # Limits with the same value in both columns (CO, O3) carry no phase and apply in both.
    assert values(library, "co", "1h", date(2026, 3, 1), "cn-gb3095-2026") == [10, 10]
    assert values(library, "co", "1h", date(2031, 1, 1), "cn-gb3095-2026") == [10, 10]
    # Table 2 note a: NOx annual 50 until 2030-12-31, then 40.
    assert values(library, "nox", "year", date(2030, 12, 31), "cn-gb3095-2026") == [50, 50]
    assert values(library, "nox", "year", date(2031, 1, 1), "cn-gb3095-2026") == [40, 40]
    assert all(limit.certainty == "confirmed" for limit in standard.limits)


def test_naaqs_annual_pm25_changes_on_2024_05_06(library: StandardLibrary) -> None:
    def primary(on: date) -> list[float]:
        return [
            item.limit.value
            for item in library.limits_for("pm25", "year", on, jurisdiction="USA")
            if item.limit.level == "primary"
        ]

    assert primary(date(2024, 5, 5)) == [12.0]  # 40 CFR 50.18
    assert primary(date(2024, 5, 6)) == [9.0]  # 40 CFR 50.20, 2024 rule effective 2024-05-06
    secondary = [
        i.limit.value
        for i in library.limits_for("pm25", "year", date(2024, 5, 6))
        if i.limit.level == "secondary"
    ]
    assert secondary == [15.0]


def test_eu_2030_limit_values_replace_the_2008_ones(library: StandardLibrary) -> None:
    assert library.get("eu-2024-2881").covers(date(2025, 1, 1))  # in force since 2024-12-10 ...
    assert [s.id for s in library.in_force(date(2029, 12, 31), "EU")] == [
        "eu-2008-50"
    ]  # ... but not yet applicable
    assert [s.id for s in library.in_force(date(2030, 1, 1), "EU")] == ["eu-2024-2881"]
    # 2008/50/EC Annex XIV: PM2.5 target 25 (2010), limit 25 (2015), indicative 20 (2020).
    assert values(library, "pm25", "year", date(2012, 1, 1), "eu-2008-50") == [25]
    assert values(library, "pm25", "year", date(2025, 1, 1), "eu-2008-50") == [20, 25, 25]
    # 2024/2881 Annex I Table 1: PM2.5 calendar year 10.
    assert values(library, "pm25", "year", date(2030, 1, 1), "eu-2024-2881") == [10]


def test_a_standard_is_not_in_force_between_its_phases(standard_data: dict[str, Any]) -> None:
    standard_data["phases"][1]["effective_from"] = "2028-07-01"
    standard = standard_from_dict(standard_data)
    assert standard.covers(date(2028, 3, 1))
    assert not standard.is_in_force(date(2028, 3, 1))
    assert standard.limits_on(date(2028, 3, 1)) == ()
    assert [limit.value for limit in standard.limits_on(date(2028, 7, 1))] == [20]
    assert StandardLibrary([standard]).in_force(date(2028, 3, 1)) == ()


def test_nothing_is_in_force_before_the_first_standard(library: StandardLibrary) -> None:
    assert library.in_force(date(1990, 1, 1)) == ()
    assert library.limits_for("pm25", "year", date(1990, 1, 1)) == ()
