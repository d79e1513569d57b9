"""Hand-checked values of every bundled standard, each with the table or clause it comes from."""

from __future__ import annotations

from datetime import date

import pytest

from greenbri.core.standards import Limit, StandardLibrary, Statistic


def one(
    library: StandardLibrary,
    standard_id: str,
    on: date,
    pollutant: str,
    averaging: str,
    level: str,
    *,
    applies_to: str = "",
    comparator: str | None = None,
) -> Limit:
    found = [
        limit
        for limit in library.get(standard_id).limits_on(on)
        if (limit.pollutant, limit.averaging, limit.level, limit.applies_to)
        == (pollutant, averaging, level, applies_to)
        and (comparator is None or limit.comparator == comparator)
    ]
    assert len(found) == 1, found
    return found[0]


def test_who_aqg_2021(library: StandardLibrary) -> None:
    on = date(2026, 1, 1)
    # WHO 2021 AQG, Table 0.1 / Table 3.26: PM2.5 annual AQG 5 ug/m3.
    annual = one(library, "who-aqg-2021", on, "pm25", "year", "AQG")
    assert (annual.value, annual.unit, annual.statistic) == (5, "ug/m3", Statistic("mean"))
    # Table 0.1: PM2.5 24-hour AQG 15, as the 99th percentile (footnote a).
    daily = one(library, "who-aqg-2021", on, "pm25", "24h", "AQG")
    assert (daily.value, daily.statistic) == (15, Statistic("percentile", 99))
    # Table 0.1: PM2.5 24-hour IT-3 37.5; NO2 annual IT-1 40; SO2 24-hour AQG 40; CO 24-hour AQG 4 mg/m3.
    assert one(library, "who-aqg-2021", on, "pm25", "24h", "IT-3").value == 37.5
    assert one(library, "who-aqg-2021", on, "no2", "year", "IT-1").value == 40
    assert one(library, "who-aqg-2021", on, "so2", "24h", "AQG").value == 40
    co = one(library, "who-aqg-2021", on, "co", "24h", "AQG")
    assert (co.value, co.unit) == (4, "mg/m3")
    # Table 0.1: O3 peak season AQG 60 (footnote b).
    assert one(library, "who-aqg-2021", on, "o3", "peak-season", "AQG").value == 60


def test_gb3095_2012(library: StandardLibrary) -> None:
    on = date(2020, 1, 1)
    # GB 3095-2012 Table 1: PM2.5 24-hour grade II 75 ug/m3.
    assert one(library, "cn-gb3095-2012", on, "pm25", "24h", "grade_2").value == 75
    # Table 1: SO2 1-hour grade II 500; O3 max daily 8-hour grade I 100; CO 24-hour 4 mg/m3.
    assert one(library, "cn-gb3095-2012", on, "so2", "1h", "grade_2").value == 500
    assert one(library, "cn-gb3095-2012", on, "o3", "mda8", "grade_1").value == 100
    assert one(library, "cn-gb3095-2012", on, "co", "24h", "grade_1").unit == "mg/m3"
    # Table 2: BaP 24-hour 0.0025 ug/m3; Pb quarterly 1 ug/m3.
    assert one(library, "cn-gb3095-2012", on, "bap", "24h", "grade_2").value == 0.0025
    assert one(library, "cn-gb3095-2012", on, "pb", "quarter", "grade_1").value == 1
    # Amendment No. 1 (2018), clause 3.14: gases at 298.15 K, particles at actual conditions.
    assert "298.15 K" in one(library, "cn-gb3095-2012", on, "no2", "1h", "grade_2").reference_conditions
    assert "actual" in one(library, "cn-gb3095-2012", on, "pm10", "year", "grade_2").reference_conditions


def test_gb3838_2002(library: StandardLibrary) -> None:
    on = date(2024, 1, 1)
    # GB 3838-2002 Table 1 item 5: COD class III <= 20 mg/L.
    cod = one(library, "cn-gb3838-2002", on, "cod", "grab", "class_III")
    assert (cod.value, cod.unit, cod.comparator) == (20, "mg/L", "<=")
    # Item 3: dissolved oxygen class III >= 5 mg/L (a minimum).
    oxygen = one(library, "cn-gb3838-2002", on, "do", "grab", "class_III")
    assert (oxygen.value, oxygen.comparator, oxygen.is_maximum) == (5, ">=", False)
    # Item 8: total phosphorus class II 0.1, lakes and reservoirs 0.025.
    assert one(library, "cn-gb3838-2002", on, "tp", "grab", "class_II").value == 0.1
    assert (
        one(library, "cn-gb3838-2002", on, "tp", "grab", "class_II", applies_to="lake_reservoir").value
        == 0.025
    )
    # Item 15: mercury class I 0.00005; item 24: fecal coliform class V 40000 per litre.
    assert one(library, "cn-gb3838-2002", on, "hg", "grab", "class_I").value == 0.00005
    assert one(library, "cn-gb3838-2002", on, "fecal_coliform", "grab", "class_V").value == 40000
    # Item 2: pH 6-9 for every class.
    assert one(library, "cn-gb3838-2002", on, "ph", "grab", "class_IV", comparator=">=").value == 6
    assert one(library, "cn-gb3838-2002", on, "ph", "grab", "class_IV", comparator="<=").value == 9


def test_us_naaqs(library: StandardLibrary) -> None:
    on = date(2025, 1, 1)
    # 40 CFR 50.20: PM2.5 24-hour 35 ug/m3, 98th percentile averaged over 3 years.
    daily = one(library, "us-naaqs", on, "pm25", "24h", "primary")
    assert (daily.value, daily.statistic, daily.years_averaged) == (35, Statistic("percentile", 98), 3)
    # 40 CFR 50.19: O3 0.070 ppm, annual fourth-highest daily maximum 8-hour concentration.
    ozone = one(library, "us-naaqs", on, "o3", "mda8", "primary")
    assert (ozone.value, ozone.unit, ozone.statistic) == (0.070, "ppm", Statistic("nth_highest", 4))
    # 40 CFR 50.17: SO2 1-hour 75 ppb; 50.11: NO2 1-hour 100 ppb, annual 53 ppb; 50.6: PM10 150, once a year.
    assert one(library, "us-naaqs", on, "so2", "1h", "primary").value == 75
    assert one(library, "us-naaqs", on, "no2", "1h", "primary").value == 100
    assert one(library, "us-naaqs", on, "no2", "year", "primary").value == 53
    assert one(library, "us-naaqs", on, "pm10", "24h", "primary").exceedances_allowed == 1


def test_eu_directives(library: StandardLibrary) -> None:
    # 2008/50/EC Annex XI: PM10 24-hour 50 ug/m3, 35 exceedances a calendar year; NO2 1-hour 200, 18.
    pm10 = one(library, "eu-2008-50", date(2020, 1, 1), "pm10", "24h", "limit")
    assert (pm10.value, pm10.exceedances_allowed) == (50, 35)
    assert one(library, "eu-2008-50", date(2020, 1, 1), "no2", "1h", "limit").exceedances_allowed == 18
    # Annex VII: O3 target value 120 (max daily 8-hour mean), 25 days averaged over 3 years.
    ozone = one(library, "eu-2008-50", date(2020, 1, 1), "o3", "mda8", "target")
    assert (ozone.value, ozone.exceedances_allowed, ozone.years_averaged) == (120, 25, 3)
    # 2024/2881 Annex I Table 1 (from 2030): PM2.5 24-hour 25 (18 times), NO2 annual 20, benzene 3.4.
    on = date(2030, 1, 1)
    assert one(library, "eu-2024-2881", on, "pm25", "24h", "limit").exceedances_allowed == 18
    assert one(library, "eu-2024-2881", on, "no2", "year", "limit").value == 20
    assert one(library, "eu-2024-2881", on, "benzene", "year", "limit").value == 3.4
    assert one(library, "eu-2024-2881", on, "as", "year", "limit").unit == "ng/m3"


def test_ifc_guidelines(library: StandardLibrary) -> None:
    on = date(2020, 1, 1)
    # IFC General EHS Guidelines (2007) Table 1.1.1: PM2.5 24-hour IT-1 75, guideline 25; SO2 10-minute 500.
    assert one(library, "ifc-ehs-general-2007", on, "pm25", "24h", "IT-1").value == 75
    assert one(library, "ifc-ehs-general-2007", on, "pm25", "24h", "guideline").value == 25
    assert one(library, "ifc-ehs-general-2007", on, "so2", "10min", "guideline").value == 500
    # IFC Thermal Power (2008) Table 6 (B): NOx 51 mg/Nm3 for natural-gas turbines (15% O2, dry).
    turbine = one(
        library,
        "ifc-ehs-thermal-power-2008",
        on,
        "nox",
        "operating",
        "non_degraded_airshed",
        applies_to="combustion_turbine_natural_gas",
    )
    assert (turbine.value, turbine.unit) == (51, "mg/Nm3")
    assert "15% O2" in turbine.reference_conditions
    # Table 6 (C): boilers on solid fuels, NOx 510 (non-degraded) / 200 (degraded airshed).
    boiler = [
        limit.value
        for limit in library.get("ifc-ehs-thermal-power-2008").limits
        if limit.pollutant == "nox" and limit.applies_to == "boiler_solid_fuels"
    ]
    assert sorted(boiler) == [200, 510]


@pytest.mark.parametrize(
    ("standard_id", "expected"),
    [
        ("cn-gb3095-2026", 0),
        ("eu-2024-2881", 5),
        ("ifc-ehs-thermal-power-2008", 10),
        ("cn-gb13223-2011", 14),
        ("who-aqg-2021", 0),
        ("cn-gb3095-2012", 0),
        ("cn-gb3838-2002", 0),
    ],
)
def test_uncertain_counts(library: StandardLibrary, standard_id: str, expected: int) -> None:
    uncertain = [limit for limit in library.get(standard_id).limits if limit.certainty == "uncertain"]
    assert len(uncertain) == expected
