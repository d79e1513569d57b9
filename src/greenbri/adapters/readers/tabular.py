"""Tables: CSV/TSV (plain or gzipped), Excel (.xlsx) and plain Parquet.

The text of a CSV is decoded first (see :mod:`.encoding`), checked for rows that are not
whole (:mod:`.integrity`: short or long rows, an unterminated quote, a value cut at the end
of the file; refused with the line named, or left out and reported with ``skip_bad_rows``),
then parsed by pandas; columns keep the types pandas infers. Geometry columns (lon/lat or
WKT) are found and turned into geometries by :mod:`.columns`.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import pandas as pd

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.readers.columns import geometry_from_columns
from greenbri.adapters.readers.detect import InputFile, choose_named, load_bytes
from greenbri.adapters.readers.encoding import decode_text
from greenbri.adapters.readers.inference import infer_types
from greenbri.adapters.readers.integrity import refusal, scan_rows, without_rows
from greenbri.adapters.readers.parts import RawPart, caught_warnings
from greenbri.core.errors import EmptyInputError, InputError, MalformedInputError

__all__ = ["read_csv", "read_parquet_table", "read_xlsx"]

_DELIMITERS = (",", ";", "\t", "|")
_ROW_IN_MESSAGE = re.compile(r"\b(row|line) (\d+)")
_QUOTING_HINT = (
    "check that line: every row needs as many fields as the header, and a field holding the delimiter "
    'or a line break must be in double quotes, with quotes inside it doubled ("").'
)


def _line_in(message: str) -> str | None:
    """pandas says 'line N' (from 1) or 'row N' (from 0, header included); both as a file line."""
    found = _ROW_IN_MESSAGE.search(message)
    if not found:
        return None
    number = int(found.group(2)) + (1 if found.group(1) == "row" else 0)
    return f"line {number}"


def _delimiter(text: str, given: str | None) -> str:
    if given:
        return given
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read a delimited text file; the delimiter is taken from the header line."""
    data = load_bytes(entry.path, options.max_bytes)
    text, encoding = decode_text(data, entry.name, options.encoding)
    if not text.strip():
        raise EmptyInputError("The file holds only blank text.", source=entry.name, hint="check the export.")
    notes: list[str] = []
    delimiter = _delimiter(text, entry.delimiter)
    bad = scan_rows(text, delimiter)
    if bad and not options.skip_bad_rows:
        raise refusal(bad, entry.name)
    if bad:
        if bad[0].last_line < len(text.splitlines()):
            notes.append(f"{entry.name}: row numbers in later messages count only the rows kept.")
        text = without_rows(text, bad)
        notes[:0] = [f"{entry.name}, {row}: left out (--skip-bad-rows)." for row in bad]
    with caught_warnings(entry.name, notes), warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                low_memory=False,
                index_col=False,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
            )
        except pd.errors.EmptyDataError:
            raise EmptyInputError(
                "The file holds no columns.", source=entry.name, hint="check the export."
            ) from None
        except pd.errors.ParserWarning:
            raise MalformedInputError(
                "The first data row has more fields than the header.",
                source=entry.name,
                location="line 2",
                hint=_QUOTING_HINT,
            ) from None
        except (pd.errors.ParserError, ValueError) as error:
            message = " ".join(str(error).split())
            raise MalformedInputError(
                f"The CSV cannot be parsed: {message}",
                source=entry.name,
                location=_line_in(message),
                hint=_QUOTING_HINT,
            ) from None
    part = _finish_table(entry, frame, options, encoding, notes)
    part.skipped_rows = bad
    return part


def _sheet(workbook: pd.ExcelFile, entry: InputFile, options: ReadOptions) -> str:
    sheets = [str(name) for name in workbook.sheet_names]
    return choose_named(sheets, options.layer, entry.name, "workbook", "sheet")


def read_xlsx(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read one sheet of an Excel workbook (``options.layer`` names it when there are several)."""
    notes: list[str] = []
    with caught_warnings(entry.name, notes):
        try:
            with pd.ExcelFile(entry.path, engine="openpyxl") as workbook:
                sheet = _sheet(workbook, entry, options)
                frame = pd.read_excel(workbook, sheet_name=sheet, keep_default_na=False, na_values=[""])
        except InputError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise MalformedInputError(
                f"The workbook cannot be read: {error}",
                source=entry.name,
                hint="open and save it again in Excel or LibreOffice as .xlsx; it may be damaged.",
            ) from None
    filled = frame.notna().any(axis=1).to_numpy().nonzero()[0]
    frame = frame.iloc[: int(filled[-1]) + 1 if len(filled) else 0]  # formatted but blank rows at the end
    part = _finish_table(entry, frame, options, "utf-8", notes, name=f"{entry.name} (sheet {sheet!r})")
    return part


def read_parquet_table(entry: InputFile, options: ReadOptions) -> RawPart:
    """Read a Parquet file without GeoParquet metadata as a table."""
    notes: list[str] = []
    with caught_warnings(entry.name, notes):
        try:
            frame = pd.read_parquet(entry.path)
        except Exception as error:  # pyarrow raises many types for damaged files
            raise MalformedInputError(
                f"The Parquet file cannot be read: {error}",
                source=entry.name,
                hint="the file may be truncated or damaged; export it again.",
            ) from None
    return _finish_table(entry, frame.reset_index(drop=True), options, "utf-8", notes, detect=False)


def _finish_table(
    entry: InputFile,
    frame: pd.DataFrame,
    options: ReadOptions,
    encoding: str,
    notes: list[str],
    *,
    name: str | None = None,
    detect: bool = True,
) -> RawPart:
    label = name or entry.name
    if len(frame) == 0:
        raise EmptyInputError("The table holds no rows.", source=label, hint="check the export.")
    frame.columns = [str(column) for column in frame.columns]
    frame = infer_types(frame)
    part = RawPart(
        name=label, frame=frame, geometry=None, crs=None, encoding=encoding, unit="row", warnings=notes
    )
    return geometry_from_columns(part, options, detect=detect)
