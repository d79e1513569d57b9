"""The World Database on Protected Areas (WDPA), from a file the user downloaded.

Protected Planet publishes the WDPA monthly at
https://www.protectedplanet.net/en/thematic-areas/wdpa as a file geodatabase, a
shapefile or a CSV, each behind terms of use that must be accepted in a browser
and that forbid redistribution. greenbri therefore never downloads it: the user
passes the downloaded file with ``options["path"]`` (e.g.
``/home/me/WDPA_Nov2026_Public.zip``) or a mirror holds it under ``wdpa/``.

Recognised inputs:

* ``WDPA_<Mon><YYYY>_Public.zip`` holding ``WDPA_<Mon><YYYY>_Public.gdb`` (or the
  ``.gdb`` folder itself): the polygon layer ``WDPA_poly_<Mon><YYYY>`` is read;
* ``WDPA_<Mon><YYYY>_Public_shp.zip``, which holds three zips (``..._shp_0.zip`` to
  ``_2``) each with a ``-polygons`` and a ``-points`` shapefile: they are extracted
  into the cache and the polygon shapefiles returned (points too with
  ``include_points=true``);
* a zip or folder of shapefiles, a single ``.shp`` or ``.gpkg``;
* the CSV download (attributes only, no boundaries): imported as a table.

:class:`WdpaFilter` applies WDPA's guidance for coverage analyses: leave out sites
whose STATUS is ``Proposed`` or ``Not Reported`` and UNESCO-MAB Biosphere Reserves
(their buffer and transition zones are not protected areas).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources._obtain import extract_members
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    Licence,
    ReceptorRole,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import ConfigurationError, MirrorMissingError, MissingColumnError, SourceError

__all__ = ["WDPA_CONNECTOR", "WDPA_KEY_FIELDS", "WdpaConnector", "WdpaFilter"]

WDPA_URL = "https://www.protectedplanet.net/en/thematic-areas/wdpa"
PUBLISHER = "UNEP-WCMC and IUCN (Protected Planet)"
#: Fields WDPA analyses rely on; they are put first, the other fields are kept after them.
WDPA_KEY_FIELDS = (
    "WDPAID",
    "NAME",
    "DESIG_ENG",
    "IUCN_CAT",
    "STATUS",
    "STATUS_YR",
    "MARINE",
    "REP_AREA",
    "GIS_AREA",
    "ISO3",
)
BIOSPHERE_RESERVE = "UNESCO-MAB Biosphere Reserve"
_RELEASE = re.compile(r"WDPA_(?:WDOECM_)?([A-Z][a-z]{2})(\d{4})_Public", re.IGNORECASE)
_INNER_SHP_ZIP = re.compile(r"_shp_\d+\.zip$", re.IGNORECASE)
_OPTIONS = (
    "path",
    "layer",
    "keep_proposed",
    "keep_not_reported",
    "keep_biosphere_reserves",
    "include_points",
)
_HOW_TO_GET = (
    f"accept the terms of use and download the WDPA (file geodatabase, shapefile or CSV) from {WDPA_URL}, "
    "then pass the file with the option path=/path/to/WDPA_<Mon><YYYY>_Public.zip, or put it in the mirror "
    "as wdpa/WDPA_Public.zip (or .gdb, .csv)."
)


@dataclass(frozen=True)
class WdpaFilter:
    """The PostRead for WDPA: drops sites WDPA's own guidance leaves out of analyses.

    Rules are applied in order (STATUS 'Proposed', STATUS 'Not Reported', DESIG_ENG
    'UNESCO-MAB Biosphere Reserve'); a site matching several is counted under the
    first. Values are compared without regard to case and surrounding spaces.
    """

    keep_proposed: bool = False
    keep_not_reported: bool = False
    keep_biosphere_reserves: bool = False

    def rules(self) -> list[tuple[str, str, str]]:
        """(field, value, option that keeps them) for each active rule."""
        active = []
        if not self.keep_proposed:
            active.append(("STATUS", "Proposed", "keep_proposed"))
        if not self.keep_not_reported:
            active.append(("STATUS", "Not Reported", "keep_not_reported"))
        if not self.keep_biosphere_reserves:
            active.append(("DESIG_ENG", BIOSPHERE_RESERVE, "keep_biosphere_reserves"))
        return active

    def __call__(self, frame: Any) -> tuple[Any, list[str]]:
        columns = {str(column).upper(): column for column in frame.columns}
        rules = self.rules()
        for field_name, _value, option in rules:
            if field_name not in columns:
                raise MissingColumnError(
                    f"The WDPA filter needs the field {field_name}, which the input does not have "
                    f"(fields: {', '.join(map(str, frame.columns))}).",
                    source="WDPA",
                    location=f"column {field_name!r}",
                    hint=f"import an unmodified WDPA download, or set {option}=true to skip this rule.",
                )
        total = len(frame)
        keep = _all_true(frame)
        notes: list[str] = []
        for field_name, value, option in rules:
            text = frame[columns[field_name]].astype("string").str.strip().str.casefold()
            matches = (text == value.casefold()).fillna(False).astype(bool) & keep
            count = int(matches.sum())
            keep = keep & ~matches
            what = "UNESCO-MAB Biosphere Reserves" if field_name == "DESIG_ENG" else f"{field_name} {value!r}"
            notes.append(
                f"WDPA filter: dropped {count} of {total} sites with {what} (set {option}=true to keep them)."
            )
        for option, flag in (
            ("keep_proposed", self.keep_proposed),
            ("keep_not_reported", self.keep_not_reported),
            ("keep_biosphere_reserves", self.keep_biosphere_reserves),
        ):
            if flag:
                notes.append(f"WDPA filter: {option}=true, so that rule was not applied.")
        result = frame.loc[keep].reset_index(drop=True)
        present = [columns[name] for name in WDPA_KEY_FIELDS if name in columns]
        absent = [name for name in WDPA_KEY_FIELDS if name not in columns]
        ordered = present + [column for column in result.columns if column not in present]
        result = result[ordered]
        if absent:
            notes.append(f"WDPA filter: the input lacks the usual WDPA fields {', '.join(absent)}.")
        notes.append(f"WDPA filter: kept {len(result)} of {total} sites.")
        return result, notes


def _all_true(frame: Any) -> Any:
    import pandas as pd

    return pd.Series(True, index=frame.index, dtype=bool)


class WdpaConnector:
    """The WDPA public download; see the module documentation."""

    name = "wdpa"
    summary = Bilingual(
        en="World Database on Protected Areas (WDPA), from the file you downloaded from Protected Planet",
        zh="世界保护地数据库（WDPA），导入从 Protected Planet 下载的文件",
    )
    candidates: tuple[str, ...] = (
        "wdpa/WDPA_Public.zip",
        "wdpa/WDPA_Public.gdb/",
        "wdpa/WDPA_Public_shp.zip",
        "wdpa/WDPA_Public.gpkg",
        "wdpa/WDPA_Public.csv",
        "wdpa/WDPA_Public_csv.zip",
    )

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, _OPTIONS)
        source_path, origin = self._locate(context)
        post_read = WdpaFilter(
            keep_proposed=context.flag("keep_proposed"),
            keep_not_reported=context.flag("keep_not_reported"),
            keep_biosphere_reserves=context.flag("keep_biosphere_reserves"),
        )
        paths, read_options, is_table, notes = self._inspect(source_path, context)
        release = _release(source_path, paths)
        defaults = self.defaults(release, is_table=is_table)
        defaults = replace(defaults, read_options=read_options)
        return FetchedInput(
            paths=tuple(paths),
            fetched_from=origin,
            defaults=defaults,
            post_read=post_read,
            notes=tuple(notes),
        )

    def defaults(self, release: tuple[str, str] | None = None, *, is_table: bool = False) -> DatasetDefaults:
        """Catalog metadata; ``release`` is ``(month, year)`` such as ``("Nov", "2026")``."""
        if release:
            month, year = release
            version = f"{month}{year}"
            cited = (
                f"UNEP-WCMC and IUCN ({year}), Protected Planet: The World Database on Protected Areas "
                f"(WDPA) [On-line], {month} {year}, Cambridge, UK: UNEP-WCMC and IUCN. "
                "Available at: www.protectedplanet.net."
            )
        else:
            version = "unknown (the file name does not carry the WDPA release month)"
            cited = (
                "UNEP-WCMC and IUCN (year), Protected Planet: The World Database on Protected Areas "
                "(WDPA) [On-line], [month year], Cambridge, UK: UNEP-WCMC and IUCN. "
                "Available at: www.protectedplanet.net."
            )
        table_note = Bilingual(
            en=" This copy is the CSV download: attributes only, without boundaries, so it cannot be used "
            "for spatial screening.",
            zh="本副本为 CSV 下载版本，仅含属性而无边界，不能用于空间筛查。",
        )
        return DatasetDefaults(
            dataset_id="wdpa-table" if is_table else "wdpa",
            title=Bilingual(
                en="World Database on Protected Areas (WDPA)",
                zh="世界保护地数据库（WDPA）",
            ),
            description=Bilingual(
                en="Terrestrial and marine protected areas of the world, as reported by governments to "
                "UNEP-WCMC and IUCN. Filtered for analysis following WDPA guidance: sites with status "
                "'Proposed' or 'Not Reported' and UNESCO-MAB Biosphere Reserves are left out. Not to be "
                "redistributed." + (table_note.en if is_table else ""),
                zh="全球陆地与海洋保护地，由各国政府向联合国环境规划署世界保护监测中心（UNEP-WCMC）和世界自然"
                "保护联盟（IUCN）报送。按 WDPA 分析指南过滤：剔除状态为“拟建”（Proposed）或“未报告”"
                "（Not Reported）的保护地以及联合国教科文组织人与生物圈保护区。不得再分发。"
                + (table_note.zh if is_table else ""),
            ),
            kind=DatasetKind.INDICATOR_TABLE if is_table else DatasetKind.VECTOR_LAYER,
            theme=Theme.PROTECTED_AREAS,
            source=SourceInfo(url=WDPA_URL, publisher=PUBLISHER, upstream_version=version),
            licence=Licence(
                name="UNEP-WCMC and IUCN terms of use (no redistribution)",
                url="https://www.protectedplanet.net/en/legal",
                attribution=cited,
            ),
            receptor_role=None if is_table else ReceptorRole.PROTECTED_AREA,
            coverage=("global",),
            access=AccessLevel.RESTRICTED,
        )

    # -- locating and inspecting the download ------------------------------------------

    def _locate(self, context: FetchContext) -> tuple[Path, str]:
        given = context.option("path")
        if given is not None:
            path = Path(given).expanduser()
            if not path.exists():
                raise ConfigurationError(
                    f"The WDPA file {path} given with path= does not exist.",
                    hint=f"check the path; {_HOW_TO_GET}",
                )
            return path.resolve(), str(path.resolve())
        if context.mirror is None:
            raise SourceError(
                "The WDPA cannot be downloaded automatically: Protected Planet requires accepting its "
                "terms of use in a browser.",
                hint=_HOW_TO_GET,
            )
        try:
            hit = context.mirror.find(self.candidates, context.progress)
        except MirrorMissingError as exc:
            raise MirrorMissingError(exc.message, hint=_HOW_TO_GET) from None
        return hit.path, hit.origin

    def _inspect(self, path: Path, context: FetchContext) -> tuple[list[Path], ReadOptions, bool, list[str]]:
        """The paths to read, how to read them, whether it is the attribute-only table, notes."""
        include_points = context.flag("include_points")
        layer = context.option("layer")
        notes: list[str] = []
        suffix = path.suffix.lower()
        if path.is_dir():
            if suffix == ".gdb":
                options = ReadOptions(layer=layer or _gdb_polygon_layer(str(path), path.name))
                return [path], options, False, notes
            gdbs = sorted(p for p in path.glob("*.gdb") if p.is_dir())
            if gdbs:
                gdb = gdbs[0]
                return [gdb], ReadOptions(layer=layer or _gdb_polygon_layer(str(gdb), gdb.name)), False, notes
            shapefiles = _pick_shapefiles(sorted(path.rglob("*.shp")), include_points, notes)
            if shapefiles:
                return shapefiles, ReadOptions(format="shapefile"), False, notes
            csvs = sorted(path.glob("*.csv"))
            if csvs:
                return [csvs[0]], _csv_options(), True, notes
            raise SourceError(
                f"The folder {path} holds no WDPA geodatabase, shapefile or CSV.", hint=_HOW_TO_GET
            )
        if suffix == ".csv":
            notes.append("The WDPA CSV holds attributes only (no boundaries); it is imported as a table.")
            return [path], _csv_options(), True, notes
        if suffix in (".shp", ".gpkg"):
            fmt = "shapefile" if suffix == ".shp" else "gpkg"
            return [path], ReadOptions(format=fmt, layer=layer), False, notes
        if suffix == ".zip" and zipfile.is_zipfile(path):
            return self._inspect_zip(path, context, layer, include_points, notes)
        raise SourceError(
            f"{path} is not a WDPA download greenbri can read (expected a .zip, .gdb folder, .shp, .gpkg "
            "or .csv).",
            hint=_HOW_TO_GET,
        )

    def _inspect_zip(
        self, path: Path, context: FetchContext, layer: str | None, include_points: bool, notes: list[str]
    ) -> tuple[list[Path], ReadOptions, bool, list[str]]:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if not name.startswith("__MACOSX/")]
        gdb_dirs = sorted(
            {part for name in names for part in PurePosixPath(name).parts if part.lower().endswith(".gdb")}
        )
        if gdb_dirs:
            gdb_member = next(
                (
                    str(PurePosixPath(name).parent)
                    for name in names
                    if PurePosixPath(name).parent.name == gdb_dirs[0]
                ),
                gdb_dirs[0],
            )
            vsi = f"/vsizip/{path}/{gdb_member}"
            return [path], ReadOptions(layer=layer or _gdb_polygon_layer(vsi, gdb_dirs[0])), False, notes
        inner = sorted(name for name in names if _INNER_SHP_ZIP.search(name))
        if inner:
            folder = context.cache_dir / "wdpa" / path.stem
            shapefiles: list[Path] = []
            for number, member in enumerate(inner):
                (inner_zip,) = extract_members(path, [member], folder)
                with zipfile.ZipFile(inner_zip) as part:
                    members = [name for name in part.namelist() if not name.endswith("/")]
                extract_members(inner_zip, members, folder / f"part_{number}")
                shapefiles.extend(sorted((folder / f"part_{number}").glob("*.shp")))
            notes.append(f"Extracted {len(inner)} shapefile parts of {path.name} into {folder}.")
            picked = _pick_shapefiles(shapefiles, include_points, notes)
            return picked, ReadOptions(format="shapefile"), False, notes
        shp = sorted(name for name in names if name.lower().endswith(".shp"))
        if len(shp) == 1:
            return [path], ReadOptions(format="shapefile"), False, notes
        if shp:
            folder = context.cache_dir / "wdpa" / path.stem
            stems = {name[:-4] for name in shp}
            members = [name for name in names if name.rsplit(".", 1)[0] in stems and not name.endswith("/")]
            extract_members(path, members, folder)
            picked = _pick_shapefiles(sorted(folder.glob("*.shp")), include_points, notes)
            return picked, ReadOptions(format="shapefile"), False, notes
        csvs = sorted(name for name in names if name.lower().endswith(".csv"))
        if csvs:
            (csv_path,) = extract_members(path, [csvs[0]], context.cache_dir / "wdpa" / path.stem)
            notes.append("The WDPA CSV holds attributes only (no boundaries); it is imported as a table.")
            return [csv_path], _csv_options(), True, notes
        raise SourceError(f"{path} holds no WDPA geodatabase, shapefile or CSV.", hint=_HOW_TO_GET)


def _csv_options() -> ReadOptions:
    return ReadOptions(format="csv", encoding="utf-8")


def _pick_shapefiles(shapefiles: list[Path], include_points: bool, notes: list[str]) -> list[Path]:
    """Polygon shapefiles (and point ones with include_points); all when none is named so."""
    polygons = [p for p in shapefiles if "polygon" in p.stem.lower()]
    points = [p for p in shapefiles if "point" in p.stem.lower()]
    if not polygons and not points:
        return shapefiles
    if points and not include_points:
        notes.append(
            f"Left out {len(points)} point shapefile(s) (sites reported without boundaries); "
            "set include_points=true to import them too."
        )
        return polygons
    return polygons + points


def _gdb_polygon_layer(dataset: str, gdb_name: str) -> str | None:
    """The polygon layer of a WDPA geodatabase (``WDPA_poly_<Mon><YYYY>``)."""
    try:
        import pyogrio

        layers = [str(row[0]) for row in pyogrio.list_layers(dataset)]
    except Exception:  # unreadable here; fall back to the name WDPA uses
        layers = []
    for name in layers:
        if "poly" in name.lower():
            return name
    match = _RELEASE.search(gdb_name)
    if match:
        return f"WDPA_poly_{match.group(1).capitalize()}{match.group(2)}"
    return layers[0] if layers else None


def _release(source: Path, paths: list[Path]) -> tuple[str, str] | None:
    """The release (month, year) from the file names, or from the names inside a zip."""
    names = [source.name, *(path.name for path in paths)]
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            names.extend(archive.namelist()[:50])
    for name in names:
        match = _RELEASE.search(name)
        if match:
            return match.group(1).capitalize(), match.group(2)
    return None


WDPA_CONNECTOR = WdpaConnector()
