"""Ramsar sites (wetlands of international importance).

The authoritative list is the Ramsar Sites Information Service (RSIS,
https://rsis.ramsar.org), run by the Ramsar Convention Secretariat. Its site
boundaries are downloaded per site or per search in a browser, under RSIS terms,
so greenbri does not download them: pass the downloaded file or folder with
``options["path"]``. A mirror may hold the shared sample ``wetlands/ramsar-ukraine/``:
a folder of 7 shapefiles of Ramsar sites in Ukraine whose boundaries were mapped in
OpenStreetMap (ODbL), with fields ``ramsar_id``, ``name_en``, ``name_uk``.
``ramsar_id`` is not an id column: a site drawn as several polygons repeats it.
"""

from __future__ import annotations

from pathlib import Path

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.core.catalog import Bilingual, DatasetKind, Licence, ReceptorRole, SourceInfo, Theme
from greenbri.core.errors import ConfigurationError, MirrorMissingError, SourceError

__all__ = ["RAMSAR_CONNECTOR", "RamsarConnector"]

RSIS_URL = "https://rsis.ramsar.org"
_HOW_TO_GET = (
    f"download the site boundaries (shapefile) from the Ramsar Sites Information Service, {RSIS_URL}, "
    "and pass them with the option path=/path/to/file-or-folder; or use a mirror that holds "
    "wetlands/ramsar-ukraine/."
)
_DESCRIPTION = Bilingual(
    en="Boundaries of wetlands designated as Wetlands of International Importance under the Ramsar "
    "Convention, for screening projects near sensitive wetlands.",
    zh="依据《拉姆萨尔公约》指定的国际重要湿地边界，用于筛查邻近敏感湿地的项目。",
)


class RamsarConnector:
    """Ramsar site boundaries from an RSIS download (``path``) or the mirror's OSM-mapped sample."""

    name = "ramsar"
    summary = Bilingual(
        en="Ramsar sites (wetlands of international importance): an RSIS download, or the OSM-mapped "
        "sample of Ukraine in the mirror",
        zh="拉姆萨尔国际重要湿地：导入 RSIS 下载文件，或镜像中取自 OpenStreetMap 的乌克兰样例",
    )
    candidates: tuple[str, ...] = ("wetlands/ramsar-ukraine/", "wetlands/ramsar-ukraine.zip")

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ("path",))
        given = context.option("path")
        if given is not None:
            path = Path(given).expanduser()
            if not path.exists():
                raise ConfigurationError(
                    f"The Ramsar file or folder {path} given with path= does not exist.", hint=_HOW_TO_GET
                )
            return FetchedInput(
                paths=(path.resolve(),),
                fetched_from=str(path.resolve()),
                defaults=self.rsis_defaults(),
            )
        if context.mirror is None:
            raise SourceError(
                "Ramsar site boundaries cannot be downloaded automatically: RSIS serves them per site "
                "or per search in a browser.",
                hint=_HOW_TO_GET,
            )
        try:
            hit = context.mirror.find(self.candidates, context.progress)
        except MirrorMissingError as exc:
            raise MirrorMissingError(exc.message, hint=_HOW_TO_GET) from None
        return FetchedInput(
            paths=(hit.path,),
            fetched_from=hit.origin,
            defaults=self.osm_ukraine_defaults(),
            notes=(
                "These are the boundaries of 7 Ramsar sites in Ukraine as mapped in OpenStreetMap (ODbL), "
                "not the RSIS boundaries; credit OpenStreetMap contributors when you show them.",
            ),
        )

    def rsis_defaults(self) -> DatasetDefaults:
        return DatasetDefaults(
            dataset_id="ramsar-sites",
            title=Bilingual(en="Ramsar sites", zh="拉姆萨尔国际重要湿地"),
            description=_DESCRIPTION,
            kind=DatasetKind.VECTOR_LAYER,
            theme=Theme.WETLANDS,
            source=SourceInfo(
                url=RSIS_URL,
                publisher="Ramsar Convention Secretariat (Ramsar Sites Information Service)",
                upstream_version="unknown (user download; note the download date)",
            ),
            licence=Licence(
                name="Ramsar Sites Information Service terms of use",
                url=RSIS_URL,
                attribution="Ramsar Sites Information Service (RSIS), Ramsar Convention Secretariat.",
            ),
            receptor_role=ReceptorRole.WETLAND,
            read_options=ReadOptions(),
            coverage=("global",),
        )

    def osm_ukraine_defaults(self) -> DatasetDefaults:
        return DatasetDefaults(
            dataset_id="ramsar-ukraine",
            title=Bilingual(
                en="Ramsar sites in Ukraine (boundaries from OpenStreetMap)",
                zh="乌克兰拉姆萨尔国际重要湿地（边界取自 OpenStreetMap）",
            ),
            description=Bilingual(
                en=_DESCRIPTION.en + " This sample holds 7 sites in Ukraine whose boundaries were mapped in "
                "OpenStreetMap, with names in English and Ukrainian; one site is drawn as several polygons.",
                zh=_DESCRIPTION.zh + "本样例包含乌克兰 7 处湿地，边界由 OpenStreetMap 志愿者绘制，"
                "附英文和乌克兰文名称；其中一处湿地由多个多边形组成。",
            ),
            kind=DatasetKind.VECTOR_LAYER,
            theme=Theme.WETLANDS,
            source=SourceInfo(
                url="https://www.openstreetmap.org",
                publisher="OpenStreetMap contributors (site list: Ramsar Sites Information Service)",
                upstream_version="unknown (mirror copy)",
            ),
            licence=Licence(
                name="ODbL 1.0",
                url="https://opendatacommons.org/licenses/odbl/1-0/",
                attribution="© OpenStreetMap contributors (openstreetmap.org/copyright).",
            ),
            receptor_role=ReceptorRole.WETLAND,
            read_options=ReadOptions(format="shapefile"),
            coverage=("none",),  # a 7-site sample: absence of a site here proves nothing
        )


RAMSAR_CONNECTOR = RamsarConnector()
