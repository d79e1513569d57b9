"""Shapefile specifics: sidecar files (on disk or in a zip), the attribute encoding, the missing .prj.

The encoding of the .dbf is decided in this order: a ``.cpg`` file (it names the
encoding the writer used, so it wins even over ``--encoding``), then
``--encoding``, then the dBASE language driver id in the .dbf header (byte 29)
when it names a definite code page, then detection on the .dbf records (see
:mod:`.encoding`). Language driver 0x57 ("ANSI", the writer's Windows code page)
says nothing definite and is treated like 0 (unknown).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.detect import InputFile
from greenbri.adapters.readers.encoding import canonical_encoding, decode_text
from greenbri.core.errors import CoordinateReferenceError, EncodingError

__all__ = [
    "Shapefile",
    "encoding_from_cpg",
    "encoding_from_ldid",
    "explain_missing_prj",
    "shapefile_encoding",
]

#: dBASE language driver ids that name a definite code page. 0x57 ("ANSI", the
#: writer's system code page) and 0 (unknown) are deliberately absent.
_LDID = {
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x04: "mac_roman",
    0x08: "cp865",
    0x09: "cp437",
    0x0A: "cp850",
    0x0B: "cp437",
    0x0D: "cp437",
    0x0E: "cp850",
    0x0F: "cp437",
    0x10: "cp850",
    0x11: "cp437",
    0x12: "cp850",
    0x13: "cp932",
    0x14: "cp850",
    0x15: "cp437",
    0x16: "cp850",
    0x17: "cp865",
    0x18: "cp437",
    0x19: "cp437",
    0x1A: "cp850",
    0x1B: "cp437",
    0x1C: "cp863",
    0x1D: "cp850",
    0x1F: "cp852",
    0x22: "cp852",
    0x23: "cp852",
    0x24: "cp860",
    0x25: "cp850",
    0x26: "cp866",
    0x37: "cp850",
    0x40: "cp852",
    0x4D: "gbk",
    0x4E: "cp949",
    0x4F: "cp950",
    0x50: "cp874",
    0x58: "cp1252",
    0x59: "cp1252",
    0x64: "cp852",
    0x65: "cp866",
    0x66: "cp865",
    0x67: "cp861",
    0x6A: "cp737",
    0x6B: "cp857",
    0x78: "cp950",
    0x79: "cp949",
    0x7A: "gbk",
    0x7B: "cp932",
    0x7C: "cp874",
    0x86: "cp737",
    0x87: "cp852",
    0x88: "cp857",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
    0xCC: "cp1257",
}


def encoding_from_cpg(text: str) -> str | None:
    """The Python codec a shapefile ``.cpg`` names, or None if it names nothing known.

    Handles ``UTF-8``, ``GBK``, ``936``, ``65001``, ``ANSI 1251``, ``8859_1``,
    ``ISO 8859-1`` and the like.
    """
    value = text.strip().strip("\x00").strip()
    if not value:
        return None
    upper = value.upper()
    upper = upper.removeprefix("ANSI").removeprefix("OEM").removeprefix("CP").strip()
    if upper.isdigit():
        number = int(upper)
        if number == 65001:
            return "utf-8"
        if 88591 <= number <= 885916:
            return _lookup(f"iso8859-{str(number)[4:]}")
        return _lookup(f"cp{number}")
    match = re.fullmatch(r"(?:ISO[-_ ]?)?8859[-_ ]?(\d{1,2})", upper)
    if match:
        return _lookup(f"iso8859-{match.group(1)}")
    return _lookup(value)


def _lookup(name: str) -> str | None:
    try:
        return canonical_encoding(name)
    except LookupError:
        return None


def encoding_from_ldid(ldid: int) -> str | None:
    """The code page a dBASE language driver id names, or None for 0, 0x57 and unknown ids."""
    return _LDID.get(ldid)


class Shapefile:
    """The sidecar files of a shapefile, on disk or inside a zip."""

    def __init__(self, entry: InputFile) -> None:
        self.entry = entry
        if entry.member:
            with zipfile.ZipFile(entry.path) as archive:
                self._names = {name.lower(): name for name in archive.namelist()}
            self.stem = str(PurePosixPath(entry.member).with_suffix(""))
        else:
            self._names = {item.name.lower(): item.name for item in entry.files}
            self.stem = entry.path.stem

    def read(self, suffix: str) -> bytes | None:
        name = self._names.get(f"{self.stem}{suffix}".lower())
        if name is None:
            return None
        if self.entry.member:
            with zipfile.ZipFile(self.entry.path) as archive:
                return archive.read(name)
        return (self.entry.path.parent / name).read_bytes()

    def has(self, suffix: str) -> bool:
        return f"{self.stem}{suffix}".lower() in self._names


def shapefile_encoding(shapefile: Shapefile, options: ReadOptions, notes: list[str]) -> str:
    """.cpg, then --encoding, then the DBF language driver id, then detection."""
    name = shapefile.entry.name
    cpg = shapefile.read(".cpg")
    if cpg is not None:
        text = cpg.decode("ascii", errors="replace")
        found = encoding_from_cpg(text)
        if found:
            if options.encoding and options.encoding.lower() != found:
                notes.append(
                    f"{name}: the .cpg file says {found}; --encoding {options.encoding} was ignored."
                )
            return found
        notes.append(f"{name}: the .cpg file names an unknown encoding {text.strip()!r}; ignored.")
    if options.encoding:
        return options.encoding
    dbf = shapefile.read(".dbf") or b""
    found = encoding_from_ldid(dbf[29]) if len(dbf) > 32 else None
    if found:
        return found
    header = int.from_bytes(dbf[8:10], "little") if len(dbf) > 10 else 0
    records = dbf[header:].rstrip(b"\x1a").replace(b"\x00", b" ")  # end-of-file mark, NUL padding
    try:
        return decode_text(records, name)[1]
    except EncodingError as error:
        raise EncodingError(
            f"The attribute table (.dbf) is not in a recognisable encoding and there is no .cpg file: "
            f"{error.message}",
            source=name,
            hint="add a .cpg file naming the encoding (e.g. UTF-8 or GBK), or pass --encoding.",
        ) from None


def explain_missing_prj(shapefile: Shapefile) -> None:
    name = shapefile.entry.name
    if shapefile.has(".prj"):
        raise CoordinateReferenceError(
            "The shapefile's .prj file cannot be understood, so its coordinate reference system is unknown.",
            source=name,
            hint="replace the .prj with a valid one, or pass --crs EPSG:XXXX (e.g. --crs EPSG:4326).",
        )
    raise CoordinateReferenceError(
        "The shapefile has no .prj file, so its coordinate reference system is unknown.",
        source=name,
        hint="put the .prj file beside the .shp, or pass --crs EPSG:XXXX (e.g. --crs EPSG:4326 for "
        "longitude/latitude in degrees).",
    )
