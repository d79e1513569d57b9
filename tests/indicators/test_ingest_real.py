"""Every file of ../shared/data/indicators ingests; stored values equal the source files read here independently."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import InputError, UnknownFormatError
from greenbri.usecases.indicators.ingest import ingest_file

pytestmark = pytest.mark.slow


def source_value(path: Path, match: dict[str, str], column: str) -> float:
    """The value of ``column`` in the first row of ``path`` whose columns equal ``match`` (csv module, not pandas)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if all(row[key] == value for key, value in match.items()):
                return float(row[column])
    raise AssertionError(f"no row {match} in {path.name}")


def stored(store: IndicatorStore, indicator: str, code: str, year: int) -> float:
    values = store.observations([indicator])
    rows = values[(values["code"] == code) & (values["year"] == year)]
    assert len(rows) == 1, (indicator, code, year, len(rows))
    return float(rows["value"].iloc[0])


def test_every_file_ingests(ingested: tuple[IndicatorStore, list[dict]], indicator_folder: Path) -> None:
    _, results = ingested
    names = {result.get("source_file", result.get("file")) for result in results}
    assert names == {path.name for path in indicator_folder.glob("*.csv")}
    assert all(result["status"] in ("ingested", "recorded") for result in results)


CASES = [
    # (file, match, column, indicator, code, year)
    (
        "pm25-air-pollution.csv",
        {"Country Code": "PAK", "Year": "2019"},
        "PM2.5 air pollution µg/m³",
        "pm25_exposure",
        "PAK",
        2019,
    ),
    (
        "forest-area-as-share-of-land-area.csv",
        {"code": "CHN", "year": "2020"},
        "forest_share",
        "forest_share",
        "CHN",
        2020,
    ),
    (
        "owid-co2-data_2021-02.csv",
        {"iso_code": "KAZ", "year": "2018"},
        "co2_per_capita",
        "co2_per_capita",
        "KAZ",
        2018,
    ),
    ("owid-co2-data_2021-02.csv", {"iso_code": "OWID_KOS", "year": "2018"}, "co2", "co2_total", "KOS", 2018),
    (
        "cait_ghg_by_country_sector_2021.csv",
        {"Country": "Vietnam", "Year": "2018"},
        "Total excluding LUCF (per capita)",
        "ghg_excluding_lucf_per_capita",
        "VNM",
        2018,
    ),
    (
        "electricity-mix-bp-ember-2022.csv",
        {"Country": "Kazakhstan", "Year": "2020"},
        "Renewables (% electricity)",
        "renewable_electricity_share",
        "KAZ",
        2020,
    ),
    (
        "energy-mix-bp-2021.csv",
        {"Country": "Pakistan", "Year": "2019"},
        "Low-carbon energy (% sub energy)",
        "low_carbon_energy_share",
        "PAK",
        2019,
    ),
    (
        "WRI_GFW.csv",
        {"REF_AREA": "IDN", "INDICATOR": "WRI_GFW_TREE_COVER_LOSS", "TIME_PERIOD": "2016"},
        "OBS_VALUE",
        "tree_cover_loss",
        "IDN",
        2016,
    ),
    ("Red_List.csv", {"COU": "CHN", "VAR": "INDEX", "YEA": "2021"}, "Value", "red_list_index", "CHN", 2021),
    (
        "per_KBA_protected.csv",
        {"Code": "KEN", "Year": "2022"},
        "15.1.2 - Average proportion of Terrestrial Key Biodiversity Areas (KBAs) covered by protected areas (%) - ER_PTD_TERR",
        "kba_protected_share",
        "KEN",
        2022,
    ),
    (
        "freshwater-withdrawals-as-a-share-of-internal-resources.csv",
        {"Code": "EGY", "Year": "2020"},
        "Level of water stress: freshwater withdrawal as a proportion of available freshwater resources (%) - No breakdown",
        "water_stress",
        "EGY",
        2020,
    ),
    (
        "terrestrial-protected-areas.csv",
        {"Code": "THA", "Year": "2022"},
        "Terrestrial protected areas (% of total land area)",
        "protected_land_share",
        "THA",
        2022,
    ),
]


@pytest.mark.parametrize(("file", "match", "column", "indicator", "code", "year"), CASES)
def test_values_equal_the_source_file(
    indicator_store: IndicatorStore,
    indicator_folder: Path,
    file: str,
    match: dict[str, str],
    column: str,
    indicator: str,
    code: str,
    year: int,
) -> None:
    expected = source_value(indicator_folder / file, match, column)
    assert stored(indicator_store, indicator, code, year) == pytest.approx(expected, rel=1e-12)


def test_aggregates_are_stored_as_aggregates(indicator_store: IndicatorStore) -> None:
    values = indicator_store.observations(["pm25_exposure", "low_carbon_energy_share"])
    kinds = dict(zip(values["code"], values["kind"], strict=True))
    for code in ("WLD", "HIC", "LMC", "EAS", "SSF", "AFE", "EUU"):
        assert kinds[code] == "aggregate", code
    assert kinds["africa"] == "aggregate" and kinds["ussr"] == "historical"
    assert kinds["PAK"] == "country"


def test_source_version_is_recorded(indicator_store: IndicatorStore) -> None:
    versions = set(indicator_store.observations(["co2_per_capita"])["source_version"])
    assert len(versions) == 1 and "release 2021-02" in versions.pop()


def test_reingesting_the_same_file_is_a_no_op(
    indicator_store: IndicatorStore, indicator_folder: Path
) -> None:
    before = indicator_store.manifest()
    again = ingest_file(indicator_store, indicator_folder / "terrestrial-protected-areas.csv")
    assert again["status"] == "unchanged"
    assert indicator_store.manifest() == before


def test_new_bytes_make_a_new_version_and_mapped_csv(tmp_path: Path) -> None:
    store = IndicatorStore(tmp_path / "store")
    data = tmp_path / "bulletin.csv"
    data.write_text("nation,yr,share\nChina,2022,87.9\nChina,2023,89.4\n", "utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "indicator": "cn_surface_water_good_share",
                "country_column": "nation",
                "country_is": "name",
                "year_column": "yr",
                "value_column": "share",
            }
        ),
        "utf-8",
    )
    first = ingest_file(store, data, mapping_path=mapping)
    assert first["status"] == "ingested" and first["version"] == 1
    assert stored(store, "cn_surface_water_good_share", "CHN", 2023) == 89.4
    data.write_text("nation,yr,share\nChina,2023,89.4\n", "utf-8")
    second = ingest_file(store, data, mapping_path=mapping)
    assert second["version"] == 2
    assert (
        len(store.observations()) == 1
        and len(list((tmp_path / "store" / "indicators" / "values").iterdir())) == 1
    )


def test_unknown_format_and_unknown_indicator_name_the_file(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(UnknownFormatError, match=r"odd\.csv"):
        ingest_file(IndicatorStore(tmp_path / "s"), odd)
    grapher = tmp_path / "unknown-chart.csv"
    grapher.write_text("Entity,Code,Year,Something new\nChina,CHN,2020,1\n", "utf-8")
    with pytest.raises(InputError, match=r"unknown-chart\.csv.*catalog"):
        ingest_file(IndicatorStore(tmp_path / "s"), grapher)
