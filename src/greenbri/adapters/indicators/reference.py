"""Country reference for indicators: ISO3 codes, names (en/zh), name matching, UN regions and income groups.

Built once per process from the bundled Natural Earth country layer
(:func:`greenbri.adapters.reference.countries.build_countries`, China's point of view) and
pycountry's ISO 3166-1 names:

* countries: every ``iso_a3`` of the layer, plus Taiwan (TWN), which under the China view is not a
  separate row but appears in indicator files; it is named "Taiwan, China" / 中国台湾 and marked
  ``part_of = CHN``, like Hong Kong and Macao, so it is never ranked as a country;
* names: pycountry's name, official and common names, the layer's English names, and
  :data:`NAME_ALIASES` (the spellings of OWID, BP, Ember and CAIT files);
* UN regions: the layer's ``region_un`` / ``subregion`` (Natural Earth's M49-based fields);
* income groups: the layer's ``income_group`` (Natural Earth 5.1.1 ``INCOME_GRP``, a World Bank
  classification whose fiscal year Natural Earth does not state: groups built from it are marked
  uncertain).
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass

import pycountry

from greenbri.adapters.reference.countries import build_countries
from greenbri.core.catalog import Bilingual
from greenbri.core.indicators.aggregates import normalise_name
from greenbri.core.indicators.groups import CountryGroup, GroupMember

__all__ = ["NAME_ALIASES", "CountryReference", "country_reference"]

#: Spellings in indicator files that neither pycountry nor Natural Earth use.
NAME_ALIASES: dict[str, str] = {
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "congo": "COG",
    "cote d'ivoire": "CIV",
    "czechia": "CZE",
    "czech republic": "CZE",
    "micronesia (country)": "FSM",
    "micronesia": "FSM",
    "timor": "TLS",
    "east timor": "TLS",
    "eswatini": "SWZ",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "russia": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "laos": "LAO",
    "vietnam": "VNM",
    "south korea": "KOR",
    "north korea": "PRK",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "brunei": "BRN",
    "cape verde": "CPV",
    "hong kong": "HKG",
    "macao": "MAC",
    "macau": "MAC",
    "palestine": "PSE",
    "curacao": "CUW",
    "faeroe islands": "FRO",
    "faroe islands": "FRO",
    "saint helena": "SHN",
    "united states virgin islands": "VIR",
    "kosovo": "KOS",
    "taiwan": "TWN",
    "falkland islands": "FLK",
    "bahamas": "BHS",
    "gambia": "GMB",
    "turkey": "TUR",
    "sao tome and principe": "STP",
    "reunion": "REU",
    "wallis and futuna": "WLF",
    "saint barthelemy": "BLM",
    "united states": "USA",
    "united kingdom": "GBR",
    "british virgin islands": "VGB",
    "guadeloupe": "GLP",
    "martinique": "MTQ",
    "french guiana": "GUF",
    "mayotte": "MYT",
    "western sahara": "ESH",
    "bonaire sint eustatius and saba": "BES",
    "sint maarten (dutch part)": "SXM",
    "saint martin (french part)": "MAF",
}
TAIWAN = ("TWN", "Taiwan, China", "中国台湾")
#: Units the China view dissolves into another country but that indicator files list apart:
#: kept as territories (``part_of``), never ranked as countries.
TERRITORIES = {"KOS": ("Kosovo", "科索沃", "SRB")}


@dataclass(frozen=True)
class CountryInfo:
    """One country or territory: names, region, income group, and the country it is part of (if any)."""

    iso3: str
    name: Bilingual
    region: str
    subregion: str
    income_group: str
    part_of: str = ""


@dataclass(frozen=True)
class CountryReference:
    """Countries by ISO3 and normalised names -> ISO3."""

    countries: dict[str, CountryInfo]
    names: dict[str, str]

    def name(self, iso3: str, language: str = "en") -> str:
        info = self.countries.get(iso3)
        return info.name.pick(language) if info else iso3

    def is_sovereign(self, iso3: str) -> bool:
        info = self.countries.get(iso3)
        return info is not None and not info.part_of

    def reference_groups(self) -> dict[str, CountryGroup]:
        """UN regions, UN subregions and income groups as groups (from the Natural Earth fields)."""
        buckets: dict[tuple[str, str], list[str]] = {}
        for info in self.countries.values():
            if info.part_of:
                continue
            for kind, value in (
                ("un_region", info.region),
                ("un_subregion", info.subregion),
                ("income_group", info.income_group),
            ):
                if value:
                    buckets.setdefault((kind, value), []).append(info.iso3)
        groups: dict[str, CountryGroup] = {}
        for (kind, value), codes in sorted(buckets.items()):
            income = kind == "income_group"
            label = value
            group_id = f"{kind}:{label.lower().replace(' ', '_').replace(':', '')}"
            groups[group_id] = CountryGroup(
                id=group_id,
                kind=kind,
                name=Bilingual(en=label, zh=label),
                source=(
                    "World Bank income classification as carried by Natural Earth 5.1.1 (INCOME_GRP); fiscal year not stated"
                    if income
                    else "UN M49 region as carried by Natural Earth 5.1.1 (REGION_UN / SUBREGION)"
                ),
                members=tuple(GroupMember(iso3=code, uncertain=income) for code in sorted(codes)),
                uncertain=income,
                note="The fiscal year of this classification is unknown: check against the World Bank's current list."
                if income
                else "",
            )
        return groups


def _pycountry_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(normalise_name(value), country.alpha_3)
    return names


@functools.cache
def country_reference() -> CountryReference:
    """The reference, built once (reads the bundled Natural Earth layer: a few seconds)."""
    frame = build_countries().drop(columns="geometry")
    countries: dict[str, CountryInfo] = {}
    for row in frame.itertuples(index=False):
        countries[str(row.iso_a3)] = CountryInfo(
            iso3=str(row.iso_a3),
            name=Bilingual(en=str(row.name_en), zh=str(row.name_zh)),
            region=str(row.region_un),
            subregion=str(row.subregion),
            income_group=str(row.income_group).split(". ", 1)[-1],
            part_of=str(row.part_of_iso_a3 or ""),
        )
    china = countries["CHN"]
    countries[TAIWAN[0]] = CountryInfo(
        TAIWAN[0], Bilingual(TAIWAN[1], TAIWAN[2]), china.region, china.subregion, "", "CHN"
    )
    translate = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    ).gettext
    for country in pycountry.countries:  # ISO territories the layer merges into others (e.g. REU, GUF)
        if country.alpha_3 not in countries:
            english = getattr(country, "common_name", None) or country.name
            countries[country.alpha_3] = CountryInfo(
                country.alpha_3, Bilingual(english, translate(english)), "", "", ""
            )
    for code, (english, chinese, owner) in TERRITORIES.items():
        if code not in countries:
            region = countries[owner]
            countries[code] = CountryInfo(
                code, Bilingual(english, chinese), region.region, region.subregion, "", owner
            )
    names = _pycountry_names()
    for info in countries.values():
        names.setdefault(normalise_name(info.name.en), info.iso3)
    names.update(NAME_ALIASES)
    known = {code: code for code in countries}
    return CountryReference(
        countries=countries, names={key: known.get(code, code) for key, code in names.items()}
    )
