"""Natural Earth layers (public domain), from naciscdn.org or a mirror.

Upstream publishes each layer as a zipped shapefile at
``https://naciscdn.org/naturalearth/{10m|50m}/{cultural|physical}/ne_{scale}_{layer}.zip``;
the zip holds a ``ne_..._{layer}.VERSION.txt`` file, which gives the upstream version.
A mirror may hold the same zip, an unzipped folder or a (gzipped) GeoJSON copy as in
``/work/shared/data/natural-earth`` (``natural-earth/ne_10m_lakes.geojson.gz``); a
GeoJSON copy carries no version, so the version is then reported as not known.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources._obtain import Obtained, obtain
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.core.catalog import Bilingual, DatasetKind, Licence, ReceptorRole, SourceInfo, Theme

__all__ = ["NATURAL_EARTH_CONNECTORS", "NaturalEarthConnector"]

PUBLISHER = "Natural Earth (NACIS)"
BASE_URL = "https://naciscdn.org/naturalearth"
#: The release naciscdn.org served when these connectors were written.
LATEST_KNOWN_VERSION = "5.1.x"
LICENCE = Licence(
    name="Public domain",
    url="https://www.naturalearthdata.com/about/terms-of-use/",
    attribution="Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
)
_VERSION_TEXT = re.compile(r"\d+(\.\d+)+")
_SCALE_ZH = {"10m": "1:1000万", "50m": "1:5000万", "110m": "1:1.1亿"}


@dataclass
class NaturalEarthConnector:
    """One Natural Earth layer, e.g. ``scale="10m", category="physical", layer="lakes"``."""

    name: str
    summary: Bilingual
    scale: str
    category: str
    layer: str
    title: Bilingual
    description: Bilingual
    theme: Theme
    receptor_role: ReceptorRole | None = None
    id_column: str | None = None
    #: Natural Earth layers are complete at their scale worldwide, except cartographic selections
    #: (populated places) and single-country layers, which prove nothing by absence.
    coverage: tuple[str, ...] = ("global",)

    @property
    def stem(self) -> str:
        """The upstream file stem, e.g. ``ne_10m_lakes``."""
        return f"ne_{self.scale}_{self.layer}"

    @property
    def url(self) -> str:
        return f"{BASE_URL}/{self.scale}/{self.category}/{self.stem}.zip"

    @property
    def dataset_id(self) -> str:
        """The connector's name, so ``fetch natural-earth-lakes`` gives dataset ``natural-earth-lakes``."""
        return self.name

    @property
    def candidates(self) -> tuple[str, ...]:
        """Mirror paths, best first: the GeoJSON copies of the shared data layout, the
        upstream zip, an unzipped folder, and a copy of naciscdn's own layout."""
        return (
            f"natural-earth/{self.stem}.geojson.gz",
            f"natural-earth/{self.stem}.geojson",
            f"natural-earth/{self.stem}.zip",
            f"natural-earth/{self.stem}/",
            f"naturalearth/{self.scale}/{self.category}/{self.stem}.zip",
        )

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ())
        got = obtain(
            context,
            connector=self.name,
            candidates=self.candidates,
            upstream_url=self.url,
            file_name=f"{self.stem}.zip",
        )
        version, notes = self._version(got)
        is_geojson = ".geojson" in got.path.name.lower() or ".json" in got.path.name.lower()
        defaults = DatasetDefaults(
            dataset_id=self.dataset_id,
            title=self.title,
            description=self.description,
            kind=DatasetKind.VECTOR_LAYER,
            theme=self.theme,
            source=SourceInfo(url=self.url, publisher=PUBLISHER, upstream_version=version),
            licence=LICENCE,
            receptor_role=self.receptor_role,
            coverage=self.coverage,
            read_options=ReadOptions(
                format="geojson" if is_geojson else "shapefile",
                source_crs="EPSG:4326",  # every Natural Earth layer is in WGS 84 longitude/latitude
                id_column=self.id_column,
                # Published layers hold the odd feature without geometry (the Loire in the rivers
                # copy of the shared mirror): keep it, with the reader's warning, rather than fail.
                allow_missing_geometry=True,
            ),
        )
        return FetchedInput(paths=(got.path,), fetched_from=got.origin, defaults=defaults, notes=notes)

    def _version(self, got: Obtained) -> tuple[str, tuple[str, ...]]:
        found = _read_version(got.path)
        if found:
            return found, ()
        if got.from_mirror:
            return (
                "unknown (mirror copy without a VERSION file)",
                (
                    f"The mirror copy {got.origin} does not say which Natural Earth release it is; "
                    f"the current upstream release is {LATEST_KNOWN_VERSION}.",
                ),
            )
        return (
            f"{LATEST_KNOWN_VERSION} (latest on naciscdn.org; the download had no VERSION file)",
            (),
        )


def _read_version(path: Path) -> str:
    """The version in a Natural Earth ``*.VERSION.txt`` inside a zip or folder, else ''."""
    try:
        if path.is_dir():
            for entry in sorted(path.glob("*.VERSION.txt")):
                return _parse_version(entry.read_text("utf-8", errors="replace"))
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.upper().endswith(".VERSION.TXT"):
                        return _parse_version(archive.read(member).decode("utf-8", errors="replace"))
    except (OSError, zipfile.BadZipFile):
        return ""
    return ""


def _parse_version(text: str) -> str:
    match = _VERSION_TEXT.search(text)
    return match.group(0) if match else ""


def _layer(
    short: str,
    scale: str,
    category: str,
    layer: str,
    title: tuple[str, str],
    description: tuple[str, str],
    theme: Theme,
    role: ReceptorRole | None = None,
    id_column: str | None = None,
    coverage: tuple[str, ...] = ("global",),
) -> NaturalEarthConnector:
    scale_en = f"1:{scale[:-1]} million"
    scale_zh = _SCALE_ZH.get(scale, scale)
    full_title = Bilingual(
        en=f"{title[0]} (Natural Earth {scale_en})",
        zh=f"{title[1]}（Natural Earth {scale_zh}）",
    )
    return NaturalEarthConnector(
        name=f"natural-earth-{short}",
        summary=Bilingual(
            en=f"{title[0]} from Natural Earth ne_{scale}_{layer} (public domain)",
            zh=f"Natural Earth {title[1]}图层 ne_{scale}_{layer}（公有领域）",
        ),
        scale=scale,
        category=category,
        layer=layer,
        title=full_title,
        description=Bilingual(en=description[0], zh=description[1]),
        theme=theme,
        receptor_role=role,
        id_column=id_column,
        coverage=coverage,
    )


NATURAL_EARTH_CONNECTORS: tuple[NaturalEarthConnector, ...] = (
    _layer(
        "countries",
        "50m",
        "cultural",
        "admin_0_countries",
        ("Countries", "国家边界"),
        (
            "Country polygons from Natural Earth's admin-0 countries layer. Natural Earth draws de facto "
            "boundaries; a product for users in China must show names and boundaries as on China's "
            "official standard maps.",
            "Natural Earth 一级（admin-0）国家面状边界。Natural Earth 采用实际控制线；面向中国用户的产品须按"
            "中国官方标准地图表示国名和国界。",
        ),
        Theme.BOUNDARIES,
        id_column="ADM0_A3",
    ),
    _layer(
        "admin1",
        "10m",
        "cultural",
        "admin_1_states_provinces",
        ("States and provinces", "一级行政区（省、州）"),
        (
            "First-level administrative divisions (states, provinces, regions) of every country. Natural "
            "Earth draws de facto boundaries; check them against official maps before publication.",
            "各国一级行政区（省、州、大区）面状边界。Natural Earth 采用实际控制线，发布前须与官方地图核对。",
        ),
        Theme.BOUNDARIES,
    ),
    _layer(
        "lakes",
        "10m",
        "physical",
        "lakes",
        ("Natural lakes and reservoirs", "天然湖泊与水库"),
        (
            "Lake and reservoir polygons, with the dam name and year for reservoirs.",
            "湖泊与水库面状要素，水库附有大坝名称和建成年份。",
        ),
        Theme.WATER,
        ReceptorRole.LAKE,
    ),
    _layer(
        "rivers",
        "10m",
        "physical",
        "rivers_lake_centerlines",
        ("Rivers and lake centre lines", "河流与湖泊中心线"),
        (
            "Single-line rivers and the centre lines of the lakes they flow through, ranked by size.",
            "单线河流及其流经湖泊的中心线，按规模分级。",
        ),
        Theme.WATER,
        ReceptorRole.RIVER,
    ),
    _layer(
        "reefs",
        "10m",
        "physical",
        "reefs",
        ("Coral reefs", "珊瑚礁"),
        (
            "Outlines of coral reefs (lines), for screening coastal and marine projects.",
            "珊瑚礁轮廓（线要素），用于沿海及海洋项目的环境敏感性筛查。",
        ),
        Theme.BIODIVERSITY,
        ReceptorRole.REEF,
    ),
    _layer(
        "glaciers",
        "10m",
        "physical",
        "glaciated_areas",
        ("Glaciated areas", "冰川覆盖区"),
        (
            "Polygons of glaciers and ice caps.",
            "冰川与冰帽面状要素。",
        ),
        Theme.PHYSICAL_GEOGRAPHY,
        ReceptorRole.GLACIER,
    ),
    _layer(
        "populated-places",
        "10m",
        "cultural",
        "populated_places",
        ("Populated places", "居民点"),
        (
            "Cities and towns as points, with population estimates (POP_MAX, POP_MIN) and capital status.",
            "城市与城镇点要素，附人口估计（POP_MAX、POP_MIN）及首府类别。",
        ),
        Theme.SETTLEMENTS,
        ReceptorRole.SETTLEMENT,
        coverage=("none",),  # a cartographic selection of places, not every settlement
    ),
    _layer(
        "urban-areas",
        "50m",
        "cultural",
        "urban_areas",
        ("Urban areas", "城市建成区"),
        (
            "Polygons of densely built-up urban areas, with their area in square kilometres.",
            "城市密集建成区面状要素，附面积（平方千米）。",
        ),
        Theme.SETTLEMENTS,
        ReceptorRole.URBAN_AREA,
    ),
    _layer(
        "us-parks",
        "10m",
        "cultural",
        "parks_and_protected_lands_area",
        ("US national parks and protected lands", "美国国家公园与保护地"),
        (
            "Units of the US National Park Service as polygons. United States only: a real protected-area "
            "layer for examples and tests, not for screening Belt and Road projects.",
            "美国国家公园管理局所辖单位的面状边界。仅覆盖美国：可作示例和测试用的真实保护地图层，"
            "不适用于“一带一路”项目筛查。",
        ),
        Theme.PROTECTED_AREAS,
        ReceptorRole.PROTECTED_AREA,
        id_column="unit_code",
        coverage=("none",),
    ),
)
