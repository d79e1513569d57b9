"""Which files to read, in which format, and the digest of their bytes.

:func:`resolve_inputs` expands what the user gave (a file, a zip, a folder, a
list) into :class:`InputFile` entries, checks that each exists, is not empty
and is not larger than the limit, and detects its format: ``options.format``
first, then the extension (``.gz`` looks at the extension under it), then the
file's first bytes.

An Esri file geodatabase is a folder whose name ends in ``.gdb``; it is one
input (never expanded as a folder of files), whether given as the folder or as
a zip holding it (read in place through GDAL's ``/vsizip/``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from greenbri.core.errors import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
    UnknownFormatError,
)

__all__ = ["FORMATS", "InputFile", "choose_named", "input_digest", "load_bytes", "resolve_inputs"]

#: The formats :func:`~greenbri.adapters.readers.read_input` understands.
FORMATS = ("geojson", "gpkg", "shapefile", "filegdb", "flatgeobuf", "geoparquet", "parquet", "csv", "xlsx")

_ALIASES = {
    "json": "geojson",
    "geopackage": "gpkg",
    "shp": "shapefile",
    "esri shapefile": "shapefile",
    "zip": "shapefile",
    "gdb": "filegdb",
    "openfilegdb": "filegdb",
    "esri file geodatabase": "filegdb",
    "fgb": "flatgeobuf",
    "tsv": "csv",
    "txt": "csv",
    "excel": "xlsx",
    "xls": "xlsx",
}
_EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".shp": "shapefile",
    ".zip": "shapefile",
    ".gdb": "filegdb",
    ".fgb": "flatgeobuf",
    ".geoparquet": "geoparquet",
    ".parquet": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
_SHAPEFILE_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj")
_SUPPORTED = (
    "GeoJSON (.geojson, .json, also .gz), GeoPackage (.gpkg), Shapefile (.shp or a .zip holding one), "
    "Esri file geodatabase (a .gdb folder or a .zip holding one), FlatGeobuf (.fgb), "
    "GeoParquet/Parquet (.parquet), CSV (.csv, .tsv, also .gz) and Excel (.xlsx)"
)


@dataclass(frozen=True)
class InputFile:
    """One thing to read.

    ``path`` is the file on disk (the ``.shp``, or the ``.zip`` with ``member``
    naming the ``.shp`` inside it); ``files`` are all files whose bytes are
    read (a shapefile's sidecars), for the digest and the size limit. A file
    geodatabase's ``path`` is its ``.gdb`` folder (``files`` its files), or the
    ``.zip`` holding it with ``member`` naming the ``.gdb`` folder inside
    (``None`` when the geodatabase's files are at the root of the zip).
    """

    path: Path
    format: str
    member: str | None = None
    delimiter: str | None = None
    files: tuple[Path, ...] = field(default=())

    @property
    def name(self) -> str:
        """The name used in messages: the file name, or ``archive.zip!member.shp``."""
        return f"{self.path.name}!{self.member}" if self.member else self.path.name


def _unknown(name: str, detail: str) -> UnknownFormatError:
    return UnknownFormatError(
        f"Cannot tell what format this is: {detail}.",
        source=name,
        hint=f"use one of the supported formats: {_SUPPORTED}; or name the format with --format "
        f"({', '.join(FORMATS)}).",
    )


def _normalise_format(value: str, name: str) -> str:
    key = value.strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise _unknown(name, f"--format {value!r} is not a known format")
    return key


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"fgb\x03"):
        return "flatgeobuf"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\x00\x00\x27\x0a"):
        return "shapefile"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "geojson"
    return None


def _check_size(path: Path, max_bytes: int, name: str) -> int:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"The file is {size:,} bytes, more than the limit of {max_bytes:,} bytes.",
            source=name,
            hint="split the input, or raise the limit (GREENBRI_MAX_INPUT_BYTES / ReadOptions.max_bytes).",
        )
    return size


def _shapefile_files(shp: Path) -> tuple[Path, ...]:
    by_suffix = {item.suffix.lower(): item for item in shp.parent.iterdir() if item.stem == shp.stem}
    missing = [suffix for suffix in (".shx", ".dbf") if suffix not in by_suffix]
    if missing:
        raise MalformedInputError(
            f"The shapefile has no {' or '.join(missing)} file beside it.",
            source=shp.name,
            hint="a shapefile is several files with the same name (.shp, .shx, .dbf, .prj, .cpg); "
            "copy all of them, or give the .zip they came in.",
        )
    return tuple(by_suffix[suffix] for suffix in _SHAPEFILE_SIDECARS if suffix in by_suffix)


def _zip_names(path: Path, max_bytes: int) -> list[str]:
    """The files in the zip, less macOS resource forks (``__MACOSX/``), after the size check."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise MalformedInputError(
            f"The file is not a readable zip archive ({error}).",
            source=path.name,
            hint="download the archive again; it may be truncated or not a zip at all.",
        ) from None
    if sum(info.file_size for info in infos) > max_bytes:
        raise InputTooLargeError(
            f"The archive unpacks to more than the limit of {max_bytes:,} bytes.",
            source=path.name,
            hint="raise the limit (GREENBRI_MAX_INPUT_BYTES / ReadOptions.max_bytes) or split the input.",
        )
    return [
        info.filename for info in infos if not info.is_dir() and not info.filename.startswith("__MACOSX/")
    ]


def _zip_geodatabases(names: Sequence[str]) -> list[str]:
    """The geodatabase folders in a zip listing: folders named ``*.gdb`` and folders holding
    ``.gdbtable`` files; ``""`` for geodatabase files at the zip's root (a ``.gdb.zip``)."""
    found: set[str] = set()
    for name in names:
        parent = PurePosixPath(name).parent
        if parent.name.lower().endswith(".gdb") or name.lower().endswith(".gdbtable"):
            found.add("" if str(parent) == "." else str(parent))
    return sorted(found)


def _zip_entries(path: Path, forced: str | None, max_bytes: int) -> list[InputFile]:
    """The shapefiles or the file geodatabases in a zip, read in place."""
    names = _zip_names(path, max_bytes)
    shapefiles = sorted(name for name in names if name.lower().endswith(".shp"))
    geodatabases = _zip_geodatabases(names)
    listed = ", ".join(names[:20]) or "nothing"
    if forced == "filegdb" or (geodatabases and not shapefiles):
        if not geodatabases:
            raise _unknown(path.name, f"the zip archive holds no file geodatabase (.gdb) (it holds {listed})")
        return [InputFile(path, "filegdb", member=gdb or None, files=(path,)) for gdb in geodatabases]
    if not shapefiles:
        raise _unknown(path.name, f"the zip archive holds no .shp file or .gdb folder (it holds {listed})")
    if geodatabases and forced is None:
        raise _unknown(
            path.name,
            f"the zip archive holds both shapefiles ({', '.join(shapefiles[:5])}) and file geodatabases "
            f"({', '.join(gdb or '(root)' for gdb in geodatabases)}); say which with --format shapefile "
            "or --format filegdb",
        )
    return [InputFile(path, "shapefile", member=member, files=(path,)) for member in shapefiles]


def _is_geodatabase(path: Path) -> bool:
    return path.is_dir() and path.suffix.lower() == ".gdb"


def _geodatabase_files(path: Path) -> tuple[Path, ...]:
    """The files of a ``.gdb`` folder that hold data: not hidden files, not ArcGIS ``.lock`` files."""
    return tuple(
        sorted(
            item
            for item in path.rglob("*")
            if item.is_file() and not item.name.startswith(".") and item.suffix.lower() != ".lock"
        )
    )


def _expand_geodatabase(path: Path, forced: str | None, max_bytes: int) -> InputFile:
    name = path.name
    if forced not in (None, "filegdb"):
        raise _unknown(name, f"--format {forced} was given, but this is a file geodatabase folder (.gdb)")
    files = _geodatabase_files(path)
    if not files:
        raise EmptyInputError(
            "The file geodatabase folder is empty.", source=name, hint="copy or unzip the whole .gdb folder."
        )
    size = sum(item.stat().st_size for item in files)
    if size > max_bytes:
        raise InputTooLargeError(
            f"The file geodatabase holds {size:,} bytes, more than the limit of {max_bytes:,} bytes.",
            source=name,
            hint="raise the limit (GREENBRI_MAX_INPUT_BYTES / ReadOptions.max_bytes) or split the input.",
        )
    return InputFile(path, "filegdb", files=files)


def _extension(path: Path) -> str:
    """``.csv`` for ``a.csv`` and ``a.csv.gz``; ``.gz`` for ``a.gz``."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz" and suffixes[-2] in _EXTENSIONS:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def _detect(path: Path, forced: str | None) -> str:
    extension = _extension(path)
    if forced:
        return forced
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    with path.open("rb") as handle:
        head = handle.read(64)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path) as handle:
                head = handle.read(64)
        except (OSError, EOFError, zlib.error):
            head = b""
    sniffed = _sniff(head)
    if sniffed is None:
        raise _unknown(
            path.name,
            f"the extension {extension or '(none)'!r} and the first bytes are not "
            "those of a supported format",
        )
    return "shapefile" if sniffed == "zip" else sniffed


def _expand(path: Path, options_format: str | None, max_bytes: int) -> list[InputFile]:
    if not path.exists():
        raise InputError(
            "The file does not exist.", source=str(path), hint="check the path and the current folder."
        )
    forced = _normalise_format(options_format, path.name) if options_format else None
    if _is_geodatabase(path):
        return [_expand_geodatabase(path, forced, max_bytes)]
    if path.is_dir():
        visible = sorted(item for item in path.iterdir() if not item.name.startswith("."))
        children = [item for item in visible if item.is_file()]
        shapefiles = [item for item in children if item.suffix.lower() == ".shp"]
        if shapefiles:
            return [entry for item in shapefiles for entry in _expand(item, options_format, max_bytes)]
        known = [item for item in children if _EXTENSIONS.get(_extension(item)) not in (None, "shapefile")]
        known += [item for item in visible if _is_geodatabase(item)]
        formats = {_EXTENSIONS[_extension(item)] for item in known}
        if len(formats) != 1:
            found = ", ".join(item.name for item in visible[:20]) or "nothing"
            raise _unknown(
                str(path), f"the folder holds no shapefile and not one single format of files ({found})"
            )
        return [entry for item in sorted(known) for entry in _expand(item, options_format, max_bytes)]
    name = path.name
    if path.stat().st_size == 0:
        raise EmptyInputError(
            "The file is empty (0 bytes).", source=name, hint="check the download or export."
        )
    detected = _detect(path, forced)
    if detected in ("shapefile", "filegdb"):
        with path.open("rb") as handle:
            is_zip = handle.read(4) == b"PK\x03\x04"
        if is_zip or path.suffix.lower() == ".zip":
            _check_size(path, max_bytes, name)
            return _zip_entries(path, forced, max_bytes)
    if detected == "filegdb":
        raise _unknown(name, "a file geodatabase is a folder whose name ends in .gdb, or a zip holding one")
    files = _shapefile_files(path) if detected == "shapefile" else (path,)
    for item in files:
        _check_size(item, max_bytes, item.name)
    delimiter = "\t" if _extension(path) == ".tsv" else None
    return [InputFile(path, detected, delimiter=delimiter, files=files)]


def resolve_inputs(
    paths: Path | str | Sequence[Path | str], options_format: str | None, max_bytes: int
) -> list[InputFile]:
    """Expand ``paths`` into the files to read, in order (a folder's files sorted by name)."""
    items = [paths] if isinstance(paths, Path | str) else list(paths)
    if not items:
        raise InputError("No input file was given.", hint="name at least one file, folder or archive.")
    entries: list[InputFile] = []
    for item in items:
        entries.extend(_expand(Path(item), options_format, max_bytes))
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_digest(entries: Sequence[InputFile]) -> str:
    """sha256 of the one file read, or of the sorted ``name:digest`` lines of several."""
    files = sorted({item for entry in entries for item in entry.files})
    if len(files) == 1:
        return _sha256(files[0])
    lines = sorted(f"{item.name}:{_sha256(item)}" for item in files)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def load_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, un-gzipped when it is gzip, refusing more than ``max_bytes`` unpacked."""
    data = path.read_bytes()
    if not data.startswith(b"\x1f\x8b"):
        return data
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise InputTooLargeError(
                        f"The file unpacks to more than the limit of {max_bytes:,} bytes.",
                        source=path.name,
                        hint="raise the limit (GREENBRI_MAX_INPUT_BYTES / ReadOptions.max_bytes) "
                        "or split the input.",
                    )
    except (OSError, EOFError, zlib.error) as error:
        raise MalformedInputError(
            f"The gzip data is truncated or damaged ({error}).",
            source=path.name,
            hint="download or compress the file again.",
        ) from None
    if out.tell() == 0:
        raise EmptyInputError("The file is empty once un-gzipped.", source=path.name, hint="check the file.")
    return out.getvalue()


def choose_named(names: Sequence[str], wanted: str | None, source: str, container: str, item: str) -> str:
    """The ``item`` (layer, sheet) of a ``container`` to read: the one ``--layer`` names, or the only one."""
    if wanted:
        if wanted not in names:
            raise InputError(
                f"The {container} has no {item} {wanted!r}; it has: {', '.join(names)}.",
                source=source,
                hint=f"pass one of those {item} names with --layer.",
            )
        return wanted
    if len(names) > 1:
        raise InputError(
            f"The {container} holds {len(names)} {item}s: {', '.join(names)}; which one to read is not said.",
            source=source,
            hint=f"pass the {item}'s name with --layer.",
        )
    return names[0]
