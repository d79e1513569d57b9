"""Country groups (Belt and Road partners, corridors) and the recognition of aggregates."""

from __future__ import annotations

import pycountry
import pytest

from greenbri.core.indicators.aggregates import classify_entity
from greenbri.core.indicators.data_files import catalog_indicators, seed_groups

COUNTRIES = {"CHN", "PAK", "KAZ", "KOS", "USA", "DEU"}


@pytest.mark.parametrize(
    ("code", "name", "kind", "result"),
    [
        ("WLD", "World", "aggregate", "WLD"),
        ("OWID_WRL", "World", "aggregate", "OWID_WRL"),
        ("HIC", "High income", "aggregate", "HIC"),
        ("AFE", "Africa Eastern and Southern", "aggregate", "AFE"),
        ("EAS", "East Asia & Pacific", "aggregate", "EAS"),
        ("OWID_KOS", "Kosovo", "country", "KOS"),
        ("XKX", "Kosovo", "country", "KOS"),
        ("PAK", "Pakistan", "country", "PAK"),
        ("", "Africa", "aggregate", "africa"),
        ("", "European Union (27)", "aggregate", "european union (27)"),
        ("", "Asia (excl. China & India)", "aggregate", "asia (excl. china & india)"),
        ("", "Upper-middle-income countries", "aggregate", "upper-middle-income countries"),
        ("", "USSR", "historical", "ussr"),
        ("OWID_CZS", "Czechoslovakia", "historical", "OWID_CZS"),
        ("", "Atlantis", "unknown", "atlantis"),
    ],
)
def test_aggregates_are_recognised_not_taken_for_countries(
    code: str, name: str, kind: str, result: str
) -> None:
    found = classify_entity(code, name, countries=COUNTRIES, names={"pakistan": "PAK"})
    assert (found.kind, found.code) == (kind, result)


def test_names_map_to_countries_only_through_the_name_table() -> None:
    found = classify_entity("", "Pakistan", countries=COUNTRIES, names={"pakistan": "PAK"})
    assert (found.kind, found.code) == ("country", "PAK")


def test_belt_and_road_group() -> None:
    group = seed_groups()["bri_partners"]
    codes = set(group.codes)
    assert len(codes) == 150
    assert {"PAK", "KAZ", "RUS", "IDN", "EGY", "NZL", "CHL", "CUB", "HND"} <= codes
    assert not {"USA", "IND", "JPN", "DEU", "CHN", "TWN"} & codes
    assert all(pycountry.countries.get(alpha_3=code) for code in codes)
    assert group.uncertain and all(member.uncertain for member in group.members)
    dated = {member.iso3: member.since for member in group.members if member.since}
    assert dated == {"SEN": "2018-07-21", "TTO": "2018-05-14"}  # only dates a cited report states


def test_six_corridors_from_the_vision_and_actions() -> None:
    corridors = {key: group for key, group in seed_groups().items() if group.kind == "corridor"}
    assert len(corridors) == 6
    assert set(corridors["corridor_china_pakistan"].codes) == {"CHN", "PAK"}
    assert set(corridors["corridor_china_mongolia_russia"].codes) == {"CHN", "MNG", "RUS"}
    assert set(corridors["corridor_bcim"].codes) == {"BGD", "CHN", "IND", "MMR"}
    for group in corridors.values():
        assert "2015-03-28" in group.source and "愿景与行动" in group.source
        named = {member.iso3 for member in group.members if not member.uncertain}
        assert "CHN" in named


def test_catalog_indicators_are_complete_and_bilingual() -> None:
    catalog = catalog_indicators()
    for indicator in catalog.values():
        assert indicator.name.en and indicator.name.zh and indicator.definition.zh and indicator.unit
        assert indicator.source and indicator.licence
    assert catalog["pm25_exposure"].higher_is_better is False and catalog["pm25_exposure"].sdg == "11.6.2"
    assert catalog["red_list_index"].sdg == "15.5.1"
