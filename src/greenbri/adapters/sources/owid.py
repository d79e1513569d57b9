"""Our World in Data (CC BY 4.0): the CO2 dataset and any grapher chart by its slug.

* ``owid-co2``: https://raw.githubusercontent.com/owid/co2-data/master/owid-co2-data.csv,
  the latest state of the ``master`` branch. The mirror holds the release of
  February 2021 as ``indicators/owid-co2-data_2021-02.csv`` (columns ``iso_code``,
  ``country``, ``year``, ``co2``, ...); the release date is taken from the file name.
* ``owid-grapher``: ``https://ourworldindata.org/grapher/{slug}.csv`` for the chart
  named by ``options["slug"]``; the mirror holds ``indicators/{slug}.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources._obtain import licence_cc_by, obtain
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.core.catalog import Bilingual, DatasetKind, SourceInfo, Theme
from greenbri.core.errors import ConfigurationError

__all__ = [
    "OWID_CHARTS",
    "OWID_CO2_CONNECTOR",
    "OWID_GRAPHER_CONNECTOR",
    "OwidChart",
    "OwidCo2Connector",
    "OwidGrapherConnector",
]

PUBLISHER = "Our World in Data (Global Change Data Lab)"
CO2_URL = "https://raw.githubusercontent.com/owid/co2-data/master/owid-co2-data.csv"
GRAPHER_URL = "https://ourworldindata.org/grapher/{slug}.csv"
_RELEASE = re.compile(r"_(\d{4}-\d{2}(?:-\d{2})?)\.csv$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


class OwidCo2Connector:
    """OWID's CO2 and greenhouse gas emissions dataset."""

    name = "owid-co2"
    summary = Bilingual(
        en="Our World in Data: CO2 and greenhouse gas emissions by country and year",
        zh="Our World in Data：各国历年二氧化碳及温室气体排放",
    )
    candidates: tuple[str, ...] = (
        "owid/co2-data/owid-co2-data.csv",
        "indicators/owid-co2-data.csv",
        "indicators/owid-co2-data_2021-02.csv",
    )

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ())
        got = obtain(
            context,
            connector=self.name,
            candidates=self.candidates,
            upstream_url=CO2_URL,
            file_name="owid-co2-data.csv",
        )
        notes: tuple[str, ...] = ()
        release = _RELEASE.search(got.path.name)
        if release:
            version = f"release {release.group(1)}"
            notes = (f"Using the Our World in Data CO2 release of {release.group(1)} from the mirror.",)
        elif got.from_mirror:
            version = "unknown (mirror copy without a release date in its name)"
        else:
            version = f"master branch, downloaded {_today()}"
        defaults = DatasetDefaults(
            dataset_id="owid-co2",
            title=Bilingual(
                en="CO2 and greenhouse gas emissions by country (Our World in Data)",
                zh="各国二氧化碳及温室气体排放（Our World in Data）",
            ),
            description=Bilingual(
                en="Annual CO2 emissions by country and by fuel (coal, oil, gas, cement, flaring), "
                "per capita and per unit of GDP, consumption-based and cumulative emissions, and other "
                "greenhouse gases, with population and GDP. Rows with codes beginning OWID_ are regions "
                "and aggregates.",
                zh="各国年度二氧化碳排放量及其燃料构成（煤、石油、天然气、水泥、火炬燃烧），"
                "人均及单位 GDP 排放、基于消费的排放和累计排放，以及其他温室气体排放，附人口和 GDP。"
                "代码以 OWID_ 开头的行为地区和汇总。",
            ),
            kind=DatasetKind.INDICATOR_TABLE,
            theme=Theme.CLIMATE,
            source=SourceInfo(url=CO2_URL, publisher=PUBLISHER, upstream_version=version),
            licence=licence_cc_by(
                "Our World in Data, CO2 and Greenhouse Gas Emissions (github.com/owid/co2-data), CC BY 4.0; "
                "cite also the underlying sources listed in its codebook."
            ),
            read_options=ReadOptions(format="csv", encoding="utf-8"),
        )
        return FetchedInput(paths=(got.path,), fetched_from=got.origin, defaults=defaults, notes=notes)


@dataclass(frozen=True)
class OwidChart:
    """Catalog metadata of a grapher chart greenbri knows by name."""

    title: Bilingual
    theme: Theme
    underlying: str


#: Charts with Chinese titles and a theme; any other slug is accepted with a generic title.
OWID_CHARTS: dict[str, OwidChart] = {
    "forest-area-as-share-of-land-area": OwidChart(
        Bilingual("Forest area as a share of land area", "森林面积占陆地面积的比例"),
        Theme.FORESTS,
        "FAO Global Forest Resources Assessment",
    ),
    "terrestrial-protected-areas": OwidChart(
        Bilingual("Terrestrial protected areas (% of total land area)", "陆地保护区占国土面积的比例"),
        Theme.PROTECTED_AREAS,
        "UNEP-WCMC and IUCN WDPA, via the World Bank",
    ),
    "freshwater-withdrawals-as-a-share-of-internal-resources": OwidChart(
        Bilingual(
            "Freshwater withdrawals as a share of internal resources",
            "淡水取用量占境内可再生淡水资源的比例",
        ),
        Theme.WATER,
        "FAO AQUASTAT",
    ),
    "pm25-air-pollution": OwidChart(
        Bilingual("PM2.5 air pollution, mean annual exposure", "PM2.5 空气污染年均暴露浓度"),
        Theme.AIR,
        "World Bank (EN.ATM.PM25.MC.M3)",
    ),
    "share-electricity-renewables": OwidChart(
        Bilingual("Share of electricity from renewables", "可再生能源发电占比"),
        Theme.ENERGY,
        "Ember; Energy Institute Statistical Review of World Energy",
    ),
}


class OwidGrapherConnector:
    """Any Our World in Data grapher chart, by ``options["slug"]`` (and optional ``theme``)."""

    name = "owid-grapher"
    summary = Bilingual(
        en="Our World in Data: the data of any grapher chart, by its slug (option slug=...)",
        zh="Our World in Data：按图表标识（slug 选项）获取任意图表的数据",
    )

    def candidates(self, slug: str) -> tuple[str, ...]:
        return (f"indicators/{slug}.csv", f"owid/grapher/{slug}.csv")

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ("slug", "theme"))
        slug = (context.option("slug") or "").lower()
        if not _SLUG.match(slug):
            raise ConfigurationError(
                f"The owid-grapher connector needs a chart slug, got {context.options.get('slug')!r}.",
                hint="give slug=<name> with the last part of the chart's address, e.g. "
                "slug=forest-area-as-share-of-land-area for ourworldindata.org/grapher/"
                "forest-area-as-share-of-land-area.",
            )
        url = GRAPHER_URL.format(slug=slug)
        got = obtain(
            context,
            connector=self.name,
            candidates=self.candidates(slug),
            upstream_url=url,
            file_name=f"{slug}.csv",
        )
        chart = OWID_CHARTS.get(slug)
        theme = _theme(context.option("theme")) or (chart.theme if chart else Theme.OTHER)
        if chart:
            title = Bilingual(
                f"{chart.title.en} (Our World in Data)", f"{chart.title.zh}（Our World in Data）"
            )
            underlying = chart.underlying
        else:
            title = Bilingual(f"Our World in Data chart '{slug}'", f"Our World in Data 图表“{slug}”")
            underlying = "the sources named on the chart page"
        version = "unknown (mirror copy)" if got.from_mirror else f"downloaded {_today()}"
        defaults = DatasetDefaults(
            dataset_id=f"owid-{slug}"[:80].rstrip("-"),
            title=title,
            description=Bilingual(
                en=f"The data behind the Our World in Data chart https://ourworldindata.org/grapher/{slug}, "
                f"by country (or region) and year. Underlying source: {underlying}.",
                zh=f"Our World in Data 图表 https://ourworldindata.org/grapher/{slug} 的数据，"
                f"按国家（或地区）和年份排列。原始来源：{underlying}。",
            ),
            kind=DatasetKind.INDICATOR_TABLE,
            theme=theme,
            source=SourceInfo(url=url, publisher=PUBLISHER, upstream_version=version),
            licence=licence_cc_by(
                f"Our World in Data (ourworldindata.org/grapher/{slug}), CC BY 4.0; data from {underlying}."
            ),
            read_options=ReadOptions(format="csv"),
        )
        return FetchedInput(paths=(got.path,), fetched_from=got.origin, defaults=defaults)


def _theme(value: str | None) -> Theme | None:
    if value is None:
        return None
    try:
        return Theme(value.lower())
    except ValueError:
        allowed = ", ".join(theme.value for theme in Theme)
        raise ConfigurationError(f"Unknown theme {value!r}.", hint=f"use one of: {allowed}.") from None


OWID_CO2_CONNECTOR = OwidCo2Connector()
OWID_GRAPHER_CONNECTOR = OwidGrapherConnector()
