"""ISO 3166-2 first-level subdivisions from pycountry 26.2.16 (databases/iso3166-2.json)."""

from __future__ import annotations

import pytest

from greenbri.adapters.reference.subdivisions import COLUMNS, build_subdivisions, zh_coverage
from greenbri.core.errors import ConfigurationError


def test_table_shape_and_unique_codes():
    frame = build_subdivisions()
    assert tuple(frame.columns) == COLUMNS
    # pycountry 26.2.16: 5,046 subdivisions, 3,590 without a parent.
    assert len(frame) == 3590
    assert frame["code"].is_unique
    assert frame["code"].tolist() == sorted(frame["code"])
    assert (frame["country_iso3"].str.len() == 3).all()


def test_beijing():
    beijing = build_subdivisions().set_index("code").loc["CN-BJ"]
    assert beijing["name_zh"] == "北京市"
    assert beijing["name_en"] == "Beijing Shi"
    assert beijing["type"] == "Municipality"
    assert beijing["country_iso3"] == "CHN"
    assert beijing["parent"] == ""


def test_china_view_lists_taiwan_under_china():
    frame = build_subdivisions("china")
    taiwan = frame[frame["iso_country"] == "TW"]
    assert len(taiwan) == 22
    assert (taiwan["country_iso3"] == "CHN").all()
    assert (taiwan["country_iso2"] == "CN").all()
    assert (taiwan["parent"] == "CN-TW").all()
    assert (frame.loc[frame["iso_country"] != "TW", "parent"] == "").all()
    china = frame[frame["country_iso3"] == "CHN"].set_index("code")
    assert {"CN-TW", "CN-HK", "CN-MO"} <= set(china.index)
    assert china.loc["CN-TW", "name_zh"] == "台湾省"
    assert china.loc["CN-HK", "name_zh"] == "香港特别行政区"
    # zh_CN says 台北县 for Taipei (shared msgid); greenbri corrects city types to 市.
    assert china.loc["TW-TPE", "name_zh"] == "台北市"
    assert china.loc["TW-CYI", "name_zh"] == "嘉义市"
    assert china.loc["TW-CYQ", "name_zh"] == "嘉义县"
    assert china.loc["CN-NX", "name_zh"] == "宁夏回族自治区"
    assert (china["name_zh"] != "").all()
    assert "TWN" not in set(frame["country_iso3"])


def test_de_facto_view_keeps_iso_listing():
    frame = build_subdivisions("de_facto")
    taiwan = frame[frame["iso_country"] == "TW"]
    assert (taiwan["country_iso3"] == "TWN").all()
    assert (frame["parent"] == "").all()
    assert frame.set_index("code").loc["CN-TW", "country_iso3"] == "CHN"


def test_chinese_name_coverage_floor():
    coverage = zh_coverage("china")
    # Measured: 1,968 of 3,590 rows (54.8 %); 1,962 (54.65 %) from pycountry's zh_CN alone.
    assert coverage["name_zh"] >= 0.548
    assert coverage["name_zh_pycountry_only"] >= 0.546
    assert coverage["name_zh_china"] == 1.0


def test_unknown_view():
    with pytest.raises(ConfigurationError, match="china, de_facto"):
        build_subdivisions("nowhere")
