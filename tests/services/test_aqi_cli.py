"""``greenbri aqi``: hand-computed values, units converted, the engine chosen by date."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def aqi(*arguments: str) -> tuple[int, dict | None, str]:
    result = runner.invoke(app, ["aqi", "--json", *arguments])
    return result.exit_code, (json.loads(result.stdout) if result.exit_code == 0 else None), result.stderr


def test_china_daily_aqi_by_hand() -> None:
    # HJ 633-2012 Table 1: PM2.5 24h 75-115 ug/m3 -> IAQI 100-150: 100 + 50*(80-75)/40 = 106.25 -> 107 (rounded up);
    # PM10 24h 50-150 -> 50-100: 50 + 50*(120-50)/100 = 85; O3 max 8h 100-160 -> 50-100: 50 + 50*50/60 = 91.7 -> 92.
    code, result, err = aqi("--standard", "cn", "--date", "2025-05-01", "pm25=80", "pm10=120", "o3=150")
    assert code == 0, err
    assert result is not None
    assert result["aqi"] == 107
    assert result["engine"] == "hj633-2012"
    assert result["category"]["zh"] == "轻度污染"
    assert result["primary"] == ["pm25_24h"]
    assert {key: item["index"] for key, item in result["sub_indices"].items()} == {
        "pm25_24h": 107,
        "pm10_24h": 85,
        "o3_8h": 92,
    }


@pytest.mark.parametrize(
    ("date", "engine", "index"), [("2024-05-05", "us-epa-2015", 100), ("2024-05-06", "us-epa-2024", 100)]
)
def test_us_pm25_on_each_side_of_the_2024_change(date: str, engine: str, index: int) -> None:
    # 35.4 ug/m3 is the top of the 51-100 band in both tables (12.1-35.4 before, 9.1-35.4 from 2024-05-06)
    code, result, _ = aqi("--standard", "us", "--date", date, "pm25=35.4")
    assert code == 0 and result is not None
    assert (result["engine"], result["aqi"]) == (engine, index)


def test_us_pm25_of_10_differs_across_the_2024_change() -> None:
    # before: 0-12.0 -> 0-50: 50*10/12 = 41.7 -> 42; from 2024-05-06: 9.1-35.4 -> 51-100: 51 + 49*(10-9.1)/26.3 = 52.7 -> 53
    before = aqi("--standard", "us", "--date", "2024-05-05", "pm25=10")[1]
    after = aqi("--standard", "us", "--date", "2024-05-06", "pm25=10")[1]
    assert before is not None and after is not None
    assert (before["aqi"], after["aqi"]) == (42, 53)


def test_mass_units_are_converted_to_ppm_at_epa_reference_conditions() -> None:
    # 140 ug/m3 O3 at 25 C, 1 atm = 140 / (47.997 / 24.465) ppb = 71.36 ppb -> truncated 0.071 ppm -> AQI 101
    code, result, _ = aqi("--standard", "us", "--date", "2025-01-01", "o3=140ug/m3")
    assert code == 0 and result is not None
    assert result["sub_indices"]["o3_8h"]["value"] == pytest.approx(0.07136, abs=1e-5)
    assert result["aqi"] == 101


def test_hj633_2026_is_used_from_2026_03_01_with_no_flag() -> None:
    # HJ 633-2026 Table 3: PM2.5 24 h 60-115 ug/m3 -> IAQI 100-150: 100 + 50*(80-60)/55 = 118.18 -> 119
    # (clause 4.2.6: rounded up). With the five other pollutants missing the AQI is still published
    # because it is above 100 (clause 5.3.1). HJ 633-2012 would give 107.
    code, result, err = aqi("--standard", "cn", "--date", "2026-06-01", "pm25=80")
    assert code == 0, err
    assert result is not None
    assert (result["engine"], result["aqi"], result["withheld"]) == ("hj633-2026", 119, False)
    assert result["category"]["zh"] == "轻度污染"


def test_hj633_2026_withholds_an_incomplete_aqi_of_100_or_less() -> None:
    # PM2.5 40 -> 50 + 50*5/25 = 60; five pollutants missing and 60 <= 100: AQI NA (clause 5.3.1)
    code, result, _ = aqi("--standard", "cn", "--date", "2026-06-01", "pm25=40")
    assert code == 0 and result is not None
    assert (result["aqi"], result["category"], result["withheld"]) == (None, None, True)
    assert result["sub_indices"]["pm25_24h"]["index"] == 60
    assert any("5.3.1" in note for note in result["notes"])
    text = runner.invoke(app, ["aqi", "--standard", "cn", "--date", "2026-06-01", "pm25=40"]).stdout
    assert "NA (withheld)" in text and "NA（不发布）" in text and "5.3.1" in text


def test_us_2011_uses_the_1999_pm25_table() -> None:
    # 1999 rule (in force to 2013-03-17): 15.5-40.4 -> 51-100: 51 + 49*(20.0-15.5)/24.9 = 59.86 -> 60.
    # (The 2012 table, 12.1-35.4, would give 51 + 49*7.9/23.3 = 67.6 -> 68.)
    code, result, _ = aqi("--standard", "us", "--date", "2011-06-01", "pm25=20.0")
    assert code == 0 and result is not None
    assert (result["engine"], result["aqi"]) == ("us-epa-2010-so2", 60)


def test_a_bare_so2_before_2010_is_the_24_hour_index_of_its_day() -> None:
    # 1999 table (SO2 24 h only, 0.035-0.144 ppm -> 51-100): 100 ppb = 0.100 ppm -> 51 + 49*65/109 = 80.2 -> 80
    code, result, _ = aqi("--standard", "us", "--date", "2005-01-01", "so2=100")
    assert code == 0 and result is not None
    assert (result["engine"], list(result["sub_indices"]), result["aqi"]) == ("us-epa-1999", ["so2_24h"], 80)


@pytest.mark.parametrize(
    ("arguments", "message", "exit_code"),
    [
        (("--standard", "us", "--date", "1999-10-03", "pm25=20"), "No us AQI engine covers 1999-10-03", 1),
        (("--standard", "cn", "--date", "2026-06-01", "pm25=-3"), "below zero", 2),
    ],
)
def test_bad_dates_and_values_get_a_clear_message(
    arguments: tuple[str, ...], message: str, exit_code: int
) -> None:
    code, _, err = aqi(*arguments)
    assert code == exit_code
    assert message in err and "Fix:" in err


def test_rounding_of_concentrations_is_said_in_the_output() -> None:
    # HJ 633-2026 clause 4.2.2: 60.4 -> 60 (GB/T 8170) -> IAQI 100 exactly; unrounded it would be 101
    code, result, _ = aqi("--standard", "cn", "--date", "2026-06-01", "pm25=60.4")
    assert code == 0 and result is not None
    assert result["sub_indices"]["pm25_24h"]["index"] == 100
    assert any("indexed as 60" in note and "4.2.2" in note for note in result["notes"])


def test_above_the_table_is_said_in_the_output() -> None:
    # HJ 633-2026 Table 3 note c: O3 8 h above 800 counts as 300
    code, result, _ = aqi("--standard", "cn", "--date", "2026-06-01", "o3_8h=900", "pm25=600")
    assert code == 0 and result is not None
    assert result["sub_indices"]["o3_8h"]["index"] == 300
    assert result["aqi"] == 500 and result["above_scale"]
    notes = " ".join(result["notes"])
    assert "note c" in notes and "capped at 500" in notes


@pytest.mark.parametrize(
    ("reading", "message"), [("pm25:80", "KEY=VALUE"), ("benzene=3", "has no index for 'benzene'")]
)
def test_bad_readings_say_how_to_write_them(reading: str, message: str) -> None:
    code, _, err = aqi("--standard", "us", "--date", "2025-01-01", reading)
    assert code == 2
    assert message in err
