"""Unit conversions, reference conditions and averaging periods (greenbri.core.units).

Hand-computed numbers use R = N_A·k = 8.314 462 618 153 24 J/(mol·K) (exact, SI 2019) and the
CIAAW 2021 abridged atomic weights H 1.0080, C 12.011, N 14.007, O 15.999, S 32.06.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.core import units
from greenbri.core.errors import InputError
from greenbri.core.units import (
    MOLAR_MASSES,
    REFERENCE_CONDITIONS,
    AveragingPeriod,
    ReferenceConditions,
    change_reference_conditions,
    check_averaging,
    convert,
    molar_mass,
    parse_averaging,
    parse_unit,
)


def test_the_public_names_exist() -> None:
    assert sorted(units.__all__) == sorted(set(units.__all__))
    for name in units.__all__:
        assert hasattr(units, name), name


def test_the_gas_constant_is_the_exact_product_of_avogadro_and_boltzmann() -> None:
    assert units.GAS_CONSTANT_J_PER_MOL_K == 6.02214076e23 * 1.380649e-23
    assert round(units.GAS_CONSTANT_J_PER_MOL_K, 9) == 8.314462618


def test_molar_volume_at_normal_conditions_matches_the_codata_value() -> None:
    # CODATA 2018 lists the molar volume of an ideal gas at 273.15 K, 101.325 kPa as 22.413 969 54 L/mol.
    assert REFERENCE_CONDITIONS["normal"].molar_volume_l_per_mol == pytest.approx(22.41396954, rel=1e-9)


def test_molar_masses_are_sums_of_the_atomic_weights() -> None:
    assert MOLAR_MASSES["so2"].grams_per_mol == pytest.approx(32.06 + 2 * 15.999)
    assert MOLAR_MASSES["o3"].grams_per_mol == pytest.approx(3 * 15.999)
    assert MOLAR_MASSES["co"].grams_per_mol == pytest.approx(12.011 + 15.999)
    assert MOLAR_MASSES["nh3"].grams_per_mol == pytest.approx(14.007 + 3 * 1.0080)
    assert molar_mass("NOx").grams_per_mol == MOLAR_MASSES["no2"].grams_per_mol
    assert molar_mass("benzene").pollutant == "c6h6"


def test_one_ppb_so2_at_25_c_and_one_atmosphere() -> None:
    # V_m = 8.31446261815324 * 298.15 / 101.325 = 24.46540 L/mol; 64.058 / 24.46540 = 2.61831 ug/m3.
    # (The often-quoted 2.619 uses M = 64.066, which is not the current IUPAC value.)
    value = convert(1.0, "ppb", "ug/m3", pollutant="so2", conditions="us-epa")
    assert float(value) == pytest.approx(64.058 / 24.465403697, rel=1e-9)
    assert round(float(value), 4) == 2.6183


def test_china_2018_reference_state_equals_the_us_one() -> None:
    china = convert(1.0, "ppb", "ug/m3", pollutant="no2", conditions="cn-gb3095-2018")
    us = convert(1.0, "ppb", "ug/m3", pollutant="no2", conditions="us-epa")
    assert float(china) == float(us) == pytest.approx(46.005 / 24.465403697, rel=1e-9)


def test_eu_ozone_forty_ppb_is_close_to_the_directives_eighty_micrograms() -> None:
    # Directive 2008/50/EC Annex VII A.1 states 80 ug/m3 (= 40 ppb); at 293 K and 101.3 kPa
    # 40 ppb of O3 is 40 * 47.997 / 24.04874 = 79.83 ug/m3.
    value = float(convert(40.0, "ppb", "ug/m3", pollutant="o3", conditions="eu-2008-50"))
    assert value == pytest.approx(40 * 47.997 / (8.31446261815324 * 293 / 101.3), rel=1e-12)
    assert abs(value - 80.0) / 80.0 < 0.005


def test_ppm_of_co_to_milligrams() -> None:
    value = convert(1.0, "ppm", "mg/m3", pollutant="co", conditions="us-epa")
    assert float(value) == pytest.approx(28.010 / 24.465403697, rel=1e-9)


def test_mg_per_normal_cubic_metre_carries_its_own_conditions() -> None:
    assert float(convert(1.0, "ppm", "mg/Nm3", pollutant="so2")) == pytest.approx(
        64.058 / 22.41396954, rel=1e-9
    )
    assert float(convert(1.0, "mg/Nm3", "mg/m3", conditions="us-epa")) == pytest.approx(273.15 / 298.15)


def test_mass_units_without_conditions_only_scale() -> None:
    np.testing.assert_allclose(convert([1.0, 2.5], "mg/m3", "ug/m3"), [1000.0, 2500.0])
    np.testing.assert_allclose(convert([1.0], "ug/m3", "ng/m3"), [1000.0])
    np.testing.assert_allclose(convert([3.0], "ppm", "ppb"), [3000.0])


def test_conversion_is_vectorised_and_keeps_nan() -> None:
    grid = np.array([[1.0, np.nan], [2.0, 4.0]])
    out = convert(grid, "ppb", "ug/m3", pollutant="o3", conditions="cn-gb3095-2018")
    assert out.shape == (2, 2)
    assert np.isnan(out[0, 1])
    np.testing.assert_allclose(out[1], 2 * out[0, 0] * np.array([1.0, 2.0]))


def test_changing_reference_conditions_scales_by_the_molar_volumes() -> None:
    # GB 3095-2012 as published (273 K) to the 2018 reference state (298.15 K), same pressure.
    value = change_reference_conditions(100.0, "cn-gb3095-2012", "cn-gb3095-2018")
    assert float(value) == pytest.approx(100.0 * 273.0 / 298.15)


def test_unit_symbols_are_recognised_in_their_usual_spellings() -> None:
    assert parse_unit("µg/m³").symbol == "ug/m3"
    assert parse_unit("μg/m3").symbol == "ug/m3"
    assert parse_unit("PPB").symbol == "ppb"
    assert parse_unit("mg/nm3").symbol == "mg/Nm3"
    assert parse_unit("mg/m3").symbol == "mg/m3"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: convert(1.0, "furlongs", "ppb"), "Unknown concentration unit 'furlongs'"),
        (
            lambda: convert(1.0, "ppb", "ug/m3", pollutant="so2"),
            "needs the reference temperature and pressure",
        ),
        (lambda: convert(1.0, "ppb", "ug/m3", conditions="us-epa"), "needs the pollutant's molar mass"),
        (lambda: convert(1.0, "ppb", "ug/m3", pollutant="pm2.5", conditions="us-epa"), "particulate matter"),
        (lambda: convert(1.0, "ppb", "ug/m3", pollutant="xyz", conditions="us-epa"), "No molar mass"),
        (lambda: convert(1.0, "ug/m3", "mg/Nm3"), "needs the reference temperature and pressure"),
        (
            lambda: convert(1.0, "mg/Nm3", "ppm", pollutant="so2", conditions="us-epa"),
            "is defined at 273.15 K",
        ),
        (
            lambda: convert(1.0, "ppb", "ug/m3", pollutant="so2", conditions="mars"),
            "Unknown reference conditions",
        ),
        (lambda: ReferenceConditions("bad", -5.0, 101.325), "positive temperature"),
    ],
)
def test_errors_say_what_is_wrong_and_how_to_fix_it(call: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)
    assert caught.value.hint


@settings(max_examples=200, deadline=None)
@given(
    value=st.floats(min_value=1e-6, max_value=1e6, allow_subnormal=False),
    pollutant=st.sampled_from(sorted(MOLAR_MASSES)),
    temperature=st.floats(min_value=200.0, max_value=330.0),
    pressure=st.floats(min_value=50.0, max_value=110.0),
    mass_unit=st.sampled_from(["ug/m3", "mg/m3", "ng/m3"]),
    ratio_unit=st.sampled_from(["ppb", "ppm"]),
)
def test_mass_to_mixing_ratio_and_back_round_trips(
    value: float, pollutant: str, temperature: float, pressure: float, mass_unit: str, ratio_unit: str
) -> None:
    state = ReferenceConditions("test", temperature, pressure)
    ratio = convert(value, mass_unit, ratio_unit, pollutant=pollutant, conditions=state)
    back = convert(ratio, ratio_unit, mass_unit, pollutant=pollutant, conditions=state)
    assert math.isclose(float(back), value, rel_tol=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(min_value=0.0, max_value=1e4, allow_subnormal=False), min_size=1, max_size=20),
    preset=st.sampled_from(sorted(REFERENCE_CONDITIONS)),
)
def test_presets_round_trip_over_arrays(values: list[float], preset: str) -> None:
    mass = np.asarray(values)
    back = convert(
        convert(mass, "ug/m3", "ppb", pollutant="o3", conditions=preset),
        "ppb",
        "ug/m3",
        pollutant="o3",
        conditions=preset,
    )
    np.testing.assert_allclose(back, mass, rtol=1e-12, atol=0.0)


def test_every_constant_carries_a_citation() -> None:
    for state in REFERENCE_CONDITIONS.values():
        assert state.citation is not None
        assert state.citation.verified in {"text", "secondary", "recalled"}
    for mass in MOLAR_MASSES.values():
        assert "CIAAW" in mass.citation.document


def test_averaging_periods_parse_ids_and_aliases() -> None:
    assert parse_averaging("24h") is AveragingPeriod.HOUR_24
    assert parse_averaging("daily") is AveragingPeriod.HOUR_24
    assert parse_averaging("日最大8小时平均") is AveragingPeriod.DAILY_MAX_8H
    assert parse_averaging("Annual") is AveragingPeriod.YEAR
    with pytest.raises(InputError, match="Unknown averaging period"):
        parse_averaging("fortnight")


def test_matching_periods_pass_and_others_are_refused() -> None:
    assert check_averaging("24h", "daily") is AveragingPeriod.HOUR_24
    with pytest.raises(InputError) as caught:
        check_averaging("24h", "year")
    assert "cannot be compared" in str(caught.value)
    assert "greenbri.core.averaging" in str(caught.value)
    with pytest.raises(InputError):
        check_averaging("8h", "mda8")
