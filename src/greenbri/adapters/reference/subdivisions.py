"""ISO 3166-2 first-level subdivisions, from the ISO database bundled in ``pycountry``.

Source
------
``pycountry`` (LGPL-2.1; its data is a copy of Debian's ``iso-codes``) ships
``pycountry/databases/iso3166-2.json`` and gettext catalogues such as
``pycountry/locales/zh_CN/LC_MESSAGES/iso3166-2.mo``. Nothing is downloaded.

This is a **table, not a polygon layer**: no open-licence registry package we
found ships admin-1 polygons (amCharts' geodata is linkware, not open). Natural
Earth admin-1 polygons come from a connector that downloads them.

Rows
----
First level only: subdivisions pycountry lists without a ``parent_code``
(3,590 of 5,046 in pycountry 26.2.16). Columns (:data:`COLUMNS`):

``code``            ISO 3166-2 code (``CN-BJ``), unique.
``country_iso3``    Country under the chosen view (same assignment as the
                    countries layer, :func:`greenbri.adapters.reference.countries.view_assignments`).
``country_iso2``    ISO alpha-2 of that country.
``iso_country``     The alpha-2 prefix of ``code`` as ISO lists it (``TW`` for ``TW-TPE``).
``name_en``         pycountry's name (ISO's romanised name, e.g. "Beijing Shi").
``name_zh``         The zh_CN translation when the catalogue has one, else a
                    greenbri supplement for China (below), else "".
``name_zh_source``  ``pycountry_zh_CN``, ``pycountry_zh_CN_corrected``, ``greenbri_supplement`` or "".
``type``            ISO's subdivision category ("Province", "Municipality"...).
``parent``          Parent code; "" for first-level rows.

China view and duplicates
-------------------------
ISO 3166-2:CN itself lists ``CN-TW`` (台湾省), ``CN-HK`` (香港特别行政区) and
``CN-MO`` (澳门特别行政区) among China's first-level units; HK and MO have no
ISO 3166-2 entries of their own. Taiwan's own ISO 3166-2 list (``TW-*``, 22
counties and cities) covers the same area as ``CN-TW``. Under a view that
dissolves a country into another (``"china"``: TW -> CN), its rows get the
keeper's ``country_iso3`` / ``country_iso2`` and, when the keeper's ISO list
has an entry named after the dissolved country (``CN-TW``), that entry as
``parent``. So under the China view ``TW-TPE`` is ``country_iso3 == "CHN"``,
``parent == "CN-TW"``: a second-level row below 台湾省, kept because it is the
only finer breakdown of Taiwan; filter ``parent == ""`` for first level only,
without double counting. Under ``"de_facto"`` the TW rows keep ``TWN`` and no
parent, while ``CN-TW`` stays under ``CHN`` as ISO lists it. No code appears twice.

Chinese names
-------------
gettext translates by English name, so two units of one country with the same
name share a translation. In Taiwan's list this gives cities the county's name
(Taipei/Chiayi City/Hsinchu City... -> 台北县/嘉义县/新竹县); for units whose ISO
type is a city ("City", "Special municipality", "Municipality") a translation
ending in 县 is corrected to 市 (``pycountry_zh_CN_corrected``). Where zh_CN has
no translation for a unit under China (``CN-NX`` Ningxia and five Taiwan units),
greenbri supplies the standard name (:data:`ZH_SUPPLEMENT`). Elsewhere
untranslated names stay "". Coverage: :func:`zh_coverage`.
"""

from __future__ import annotations

import functools
import gettext
import re

import pandas as pd
import pycountry

from greenbri.adapters.reference._package_data import PackageFile
from greenbri.adapters.reference.countries import (
    DEFAULT_VIEW,
    check_view,
    country_code_lookup,
    view_assignments,
)

__all__ = [
    "COLUMNS",
    "ISO_3166_2_FILE",
    "ZH_CN_CATALOGUE",
    "ZH_SUPPLEMENT",
    "build_subdivisions",
    "zh_coverage",
]

ISO_3166_2_FILE = PackageFile(
    distribution="pycountry",
    module="pycountry",
    relative_path="databases/iso3166-2.json",
    licence_note=(
        "Metadata says LGPL-2.1-only; pycountry's COPYRIGHT.txt says LGPL 2.1 'or any later version'. "
        "The data are Debian iso-codes (LGPL-2.1-or-later)."
    ),
)
ZH_CN_CATALOGUE = PackageFile(
    distribution="pycountry",
    module="pycountry",
    relative_path="locales/zh_CN/LC_MESSAGES/iso3166-2.mo",
)

COLUMNS = (
    "code",
    "country_iso3",
    "country_iso2",
    "iso_country",
    "name_en",
    "name_zh",
    "name_zh_source",
    "type",
    "parent",
)

#: Standard Chinese names for units under China that pycountry's zh_CN catalogue lacks.
ZH_SUPPLEMENT: dict[str, str] = {
    "CN-NX": "宁夏回族自治区",
    "TW-ILA": "宜兰县",
    "TW-KEE": "基隆市",
    "TW-KIN": "金门县",
    "TW-LIE": "连江县",
    "TW-NWT": "新北市",
}
_CITY_TYPES = {"City", "Special municipality", "Municipality"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.lru_cache(maxsize=1)
def _zh_cn() -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _chinese_name(code: str, name: str, kind: str) -> tuple[str, str]:
    translated = _zh_cn().gettext(name)
    if translated != name and _CJK.search(translated):
        if kind in _CITY_TYPES and translated.endswith("县"):
            return translated[:-1] + "市", "pycountry_zh_CN_corrected"
        return translated, "pycountry_zh_CN"
    if code in ZH_SUPPLEMENT:
        return ZH_SUPPLEMENT[code], "greenbri_supplement"
    return "", ""


def _alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is not None:
        return str(country.alpha_3)
    return country_code_lookup().get(alpha2, "")


def _alpha2(alpha3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is not None:
        return str(country.alpha_2)
    for alpha2, code in country_code_lookup().items():
        if code == alpha3:
            return alpha2
    return ""


@functools.lru_cache(maxsize=8)
def _build_subdivisions(view: str) -> pd.DataFrame:
    assignments = view_assignments(view)
    top = [item for item in pycountry.subdivisions if getattr(item, "parent_code", None) is None]
    codes = {str(item.code) for item in top}
    rows = []
    for item in top:
        code = str(item.code)
        iso_country = str(item.country_code)
        own3 = _alpha3(iso_country)
        country3 = assignments.get(own3, own3)
        country2 = _alpha2(country3) if country3 != own3 else iso_country
        parent = ""
        if country3 != own3 and f"{country2}-{iso_country}" in codes:
            parent = f"{country2}-{iso_country}"
        name_zh, source = _chinese_name(code, str(item.name), str(item.type))
        rows.append(
            {
                "code": code,
                "country_iso3": country3,
                "country_iso2": country2,
                "iso_country": iso_country,
                "name_en": str(item.name),
                "name_zh": name_zh,
                "name_zh_source": source,
                "type": str(item.type),
                "parent": parent,
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    if not frame["code"].is_unique:
        raise AssertionError("pycountry lists an ISO 3166-2 code twice")
    return frame


def build_subdivisions(view: str = DEFAULT_VIEW) -> pd.DataFrame:
    """ISO 3166-2 first-level subdivisions as a table (no geometry), sorted by code.

    Parameters
    ----------
    view
        Boundary point of view (see :data:`greenbri.adapters.reference.countries.VIEWS`);
        decides which country a subdivision belongs to (``"china"``: ``TW-*`` under CHN).
    """
    return _build_subdivisions(check_view(view)).copy()


def zh_coverage(view: str = DEFAULT_VIEW) -> dict[str, float]:
    """Share of rows with a Chinese name: overall, from pycountry alone, and for China."""
    frame = _build_subdivisions(check_view(view))
    from_pycountry = frame["name_zh_source"].str.startswith("pycountry")
    china = frame[frame["country_iso3"] == "CHN"]
    return {
        "rows": float(len(frame)),
        "name_zh": float((frame["name_zh"] != "").mean()),
        "name_zh_pycountry_only": float(from_pycountry.mean()),
        "name_zh_china": float((china["name_zh"] != "").mean()) if len(china) else 0.0,
    }
