"""The UNESCO World Heritage List, as points with attributes.

The World Heritage Centre exports the list as a spreadsheet at
https://whc.unesco.org/en/list/xls/?2019 (an Excel file). The mirror holds a CSV
copy of the 2019 export, ``heritage/whc-sites-2019.csv`` (latin-1), with columns
``unique_number, id_no, name_en, ..., longitude, latitude, area_hectares, category,
danger, iso_code``. ``id_no`` is the property's reference number on the list (the
number in ``https://whc.unesco.org/en/list/<id_no>``); ``unique_number`` is the
export's own record number. Both are unique in the 2019 export, and ``id_no`` is
the one other sources cite, so it is the id column.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources._obtain import obtain
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.catalog import Bilingual, DatasetKind, Licence, ReceptorRole, SourceInfo, Theme
from greenbri.core.errors import SourceError

__all__ = ["WORLD_HERITAGE_CONNECTOR", "WorldHeritageConnector"]

WHC_EXPORT_URL = "https://whc.unesco.org/en/list/xls/?2019"
PUBLISHER = "UNESCO World Heritage Centre"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (BIFF in an OLE2 container)
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx


class WorldHeritageConnector:
    """UNESCO World Heritage properties as points (no boundaries)."""

    name = "unesco-world-heritage"
    summary = Bilingual(
        en="UNESCO World Heritage List: sites as points, with area, criteria and danger status",
        zh="联合国教科文组织《世界遗产名录》：遗产地点位及面积、标准和濒危状态",
    )
    candidates: tuple[str, ...] = (
        "heritage/whc-sites-2019.csv",
        "heritage/whc-sites-2019.xlsx",
        "heritage/whc-sites-2019.xls",
    )

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ())
        got = obtain(
            context,
            connector=self.name,
            candidates=self.candidates,
            upstream_url=WHC_EXPORT_URL,
            file_name="whc-sites.xls",
        )
        path, read_options = _readable(got.path, context)
        if got.from_mirror:
            version = "2019 export" if "2019" in got.candidate else "unknown (mirror copy)"
        else:
            version = f"export downloaded {datetime.now(UTC):%Y-%m-%d}"
        defaults = DatasetDefaults(
            dataset_id="unesco-world-heritage",
            title=Bilingual(en="UNESCO World Heritage sites", zh="联合国教科文组织世界遗产地"),
            description=Bilingual(
                en="Properties inscribed on the World Heritage List, one point per property, with the area "
                "in hectares, the selection criteria, the category (Cultural, Natural, Mixed), the states "
                "parties and whether the property is on the List of World Heritage in Danger. Points only: "
                "screening against them needs a buffer, since boundaries are not included.",
                zh="列入《世界遗产名录》的遗产地，每处一个点位，附面积（公顷）、入选标准、类别（文化、自然、"
                "混合）、所属缔约国及是否列入《濒危世界遗产名录》。仅有点位而无边界，筛查时需设置缓冲距离。",
            ),
            kind=DatasetKind.VECTOR_LAYER,
            theme=Theme.HERITAGE,
            source=SourceInfo(url=WHC_EXPORT_URL, publisher=PUBLISHER, upstream_version=version),
            licence=Licence(
                name="UNESCO World Heritage Centre terms of use (attribution required)",
                url="https://whc.unesco.org/en/syndication/",
                attribution="© UNESCO World Heritage Centre, World Heritage List (whc.unesco.org/en/list).",
            ),
            receptor_role=ReceptorRole.WORLD_HERITAGE,
            coverage=("global",),
            read_options=read_options,
        )
        return FetchedInput(paths=(path,), fetched_from=got.origin, defaults=defaults)


def _readable(path: Path, context: FetchContext) -> tuple[Path, ReadOptions]:
    """The file to read and how: the CSV copy as it is, an .xlsx as it is, a legacy .xls converted."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP_MAGIC):
        return path, _options("xlsx", None)
    if head.startswith(_OLE2_MAGIC):
        return _convert_xls(path, context), _options("csv", "utf-8")
    # The mirror's CSV copy is an Excel export labelled latin-1 that really is windows-1252
    # (it holds 0x92 apostrophes); the readers' detection reads it right.
    return path, _options("csv", None)


def _options(fmt: str, encoding: str | None) -> ReadOptions:
    return ReadOptions(
        format=fmt,
        encoding=encoding,
        source_crs="EPSG:4326",
        lon_column="longitude",
        lat_column="latitude",
        id_column="id_no",
    )


def _convert_xls(path: Path, context: FetchContext) -> Path:
    """Convert the legacy .xls export to a UTF-8 CSV in the cache (needs the xlrd package)."""
    try:
        import pandas as pd

        frame = pd.read_excel(path, engine="xlrd")
    except ImportError:
        raise SourceError(
            f"{path} is a legacy Excel (.xls) file, which needs the 'xlrd' package to read.",
            hint="install xlrd (pip install xlrd), or put a CSV copy in the mirror as "
            "heritage/whc-sites-2019.csv.",
        ) from None
    except Exception as exc:
        raise SourceError(
            f"Cannot read the World Heritage export {path}: {exc}.",
            hint="download it again, or put a CSV copy in the mirror as heritage/whc-sites-2019.csv.",
        ) from None
    target = context.cache_path("unesco-world-heritage", path.stem + ".csv")
    with renamed_into_place(target) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    return target


WORLD_HERITAGE_CONNECTOR = WorldHeritageConnector()
