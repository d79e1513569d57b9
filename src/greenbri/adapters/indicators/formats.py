"""Read indicator files into one long table: ``code, name, year, series, value``.

Formats (detected from the header, or named):

============== ==================================================================================
owid_grapher   ``Entity, Code, Year, <value columns>`` (OWID grapher downloads; any case)
owid_co2       ``iso_code, country, year, <value columns>`` (OWID co2-data)
owid_codebook  ``column, description, source`` (definitions for owid_co2 columns; no values)
worldbank_table ``Country Name, Country Code, Year, <value column>``
worldbank_csv  the CSV written by the ``worldbank`` connector (``country_iso3, ..., indicator_id, value``)
worldbank_api  World Bank API v2 JSON: one response ``[meta, rows]`` or a list of them
sdmx_csv       SDMX-CSV (``REF_AREA, REF_AREA_LABEL, INDICATOR, TIME_PERIOD, OBS_VALUE``), e.g. WRI_GFW.csv
oecd_csv       OECD.Stat export (``COU, Country, VAR, <variable label>, YEA, Year, Value``)
wide_by_name   ``Country, Year, <value columns>`` with country names only (CAIT, BP, Ember via OWID)
mapped         any CSV with a mapping naming the country, year and value columns
============== ==================================================================================

``series`` is the value column's name (wide formats), the indicator code (World Bank, SDMX) or
``VAR|label`` (OECD). Blank values are dropped; text in a value column is counted and reported.

A CSV is decoded as the dataset readers decode text (:func:`greenbri.adapters.readers.encoding.decode_text`:
UTF-8, GBK/GB18030, latin-1/cp1252 detected; ``encoding`` wins) and its rows checked as theirs are
(:mod:`greenbri.adapters.readers.integrity`): a row that is not whole refuses the file, naming the
line, unless ``skip_bad_rows`` leaves it out (each one is then listed in the notes). Fields of any
length are read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greenbri.adapters.readers.encoding import decode_text
from greenbri.adapters.readers.integrity import refusal, scan_rows, without_rows
from greenbri.adapters.sources.worldbank import rows_from_pages
from greenbri.core.errors import (
    EmptyInputError,
    MalformedInputError,
    MissingColumnError,
    SourceError,
    UnknownFormatError,
)

__all__ = ["FORMATS", "RawTable", "detect_format", "read_codebook", "read_indicator_file"]

FORMATS = (
    "owid_grapher",
    "owid_co2",
    "owid_codebook",
    "worldbank_table",
    "worldbank_csv",
    "worldbank_api",
    "sdmx_csv",
    "oecd_csv",
    "wide_by_name",
    "mapped",
)
LONG_COLUMNS = ["code", "name", "year", "series", "value"]


@dataclass
class RawTable:
    """What a file holds: the long table, its format, and notes (e.g. text found in value columns)."""

    format: str
    rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    upstream_version: str = ""


def _text(path: Path, encoding: str | None) -> str:
    """The decoded text of ``path``; an empty or undecodable file is an error naming the cause."""
    data = path.read_bytes()
    if not data.strip():
        raise EmptyInputError(
            "the file is empty." if not data else "the file holds only blank text.",
            source=str(path),
            hint="check the download or export; an indicator CSV starts with a header line.",
        )
    text, _ = decode_text(data, str(path), encoding)
    return text


def _header(text: str, path: Path) -> list[str]:
    try:
        columns = pd.read_csv(io.StringIO(text), nrows=0, dtype=str).columns
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise MalformedInputError(
            f"the header line cannot be read ({' '.join(str(error).split())}).",
            source=str(path),
            location="line 1",
            hint="an indicator CSV starts with one line of comma-separated column names.",
        ) from None
    return [str(column).strip() for column in columns]


def detect_format(path: Path, *, encoding: str | None = None) -> str:
    """The format of ``path`` from its extension and header; :class:`UnknownFormatError` if none fits."""
    if path.suffix.lower() == ".json":
        return "worldbank_api"
    header = _header(_text(path, encoding), path)
    lower = {column.lower() for column in header}
    checks = (
        ("sdmx_csv", {"ref_area", "time_period", "obs_value"}),
        ("oecd_csv", {"cou", "yea", "value"}),
        ("owid_codebook", {"column", "description", "source"}),
        ("owid_co2", {"iso_code", "country", "year"}),
        ("worldbank_csv", {"country_iso3", "indicator_id", "year", "value"}),
        ("worldbank_table", {"country name", "country code", "year"}),
        ("owid_grapher", {"entity", "code", "year"}),
        ("wide_by_name", {"country", "year"}),
    )
    for name, needed in checks:
        if needed <= lower:
            return name
    raise UnknownFormatError(
        f"the columns {header[:8]} match no indicator format.",
        source=str(path),
        hint="use an OWID, World Bank, SDMX or OECD file, or give --mapping with the country, year and value columns.",
    )


def _read_csv(
    path: Path, notes: list[str], *, encoding: str | None = None, skip_bad_rows: bool = False
) -> pd.DataFrame:
    text = _text(path, encoding)
    bad = scan_rows(text)
    if bad and not skip_bad_rows:
        raise refusal(bad, str(path))
    if bad:
        text = without_rows(text, bad)
        notes += [f"{path.name}, {row}: left out (--skip-bad-rows)." for row in bad]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise MalformedInputError(
            f"cannot parse the CSV ({' '.join(str(error).split())}).",
            source=str(path),
            hint="check the file: a comma-separated table with one header line.",
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise EmptyInputError(
            "the file has a header but no rows.", source=str(path), hint="check the download."
        )
    return frame


def _column(frame: pd.DataFrame, name: str, path: Path) -> str:
    for column in frame.columns:
        if column.lower() == name.lower():
            return str(column)
    raise MissingColumnError(
        f"no column {name!r} (columns: {list(frame.columns)[:10]}).",
        source=str(path),
        location=f"column {name!r}",
        hint="check the file's format.",
    )


def _long(
    frame: pd.DataFrame, code: str | None, name: str | None, year: str, series: str, value: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": frame[code] if code else "",
            "name": frame[name] if name else "",
            "year": frame[year],
            "series": frame[series] if series in frame.columns else series,
            "value": frame[value],
        }
    )


def _wide(
    frame: pd.DataFrame, code: str | None, name: str | None, year: str, keep: Collection[str] | None
) -> pd.DataFrame:
    keys = [column for column in (code, name, year) if column]
    values = [
        column for column in frame.columns if column not in keys and not column.endswith("__annotations")
    ]
    if keep is not None:
        values = [column for column in values if column in keep]
    melted = frame.melt(id_vars=keys, value_vars=values, var_name="series", value_name="value")
    return _long(melted, code, name, year, "series", "value")


def _finish(long: pd.DataFrame, path: Path, notes: list[str]) -> pd.DataFrame:
    if long.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in LONG_COLUMNS})
    long = long.astype({"value": str, "year": str, "code": str, "name": str, "series": str})
    text_values = long["value"].str.strip()
    numbers = pd.to_numeric(text_values, errors="coerce")
    bad = (text_values != "") & numbers.isna()
    if bad.any():
        first = long.index[bad][0]
        notes.append(
            f"{int(bad.sum())} values are not numbers and were skipped (first: {text_values[first]!r})."
        )
    years = pd.to_numeric(long["year"].str.strip(), errors="coerce")
    bad_years = years.isna() | (years % 1 != 0)
    if bad_years.any():
        position = int(long.index[bad_years][0])
        raise MalformedInputError(
            f"the year {long['year'].iloc[position]!r} is not a whole year.",
            source=str(path),
            location=f"row {position + 2}",
            hint="years must be written as e.g. 2020.",
        )
    result = long.assign(value=numbers, year=years.astype("int64"))
    result = result[result["value"].notna()].copy()
    result["code"] = result["code"].astype(str).str.strip()
    result["name"] = result["name"].astype(str).str.strip()
    return result[LONG_COLUMNS].reset_index(drop=True)


def _api_rows(path: Path) -> tuple[pd.DataFrame, str]:
    try:
        saved = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise MalformedInputError(
            f"not a JSON document ({error}).",
            source=str(path),
            hint="save the World Bank API responses as JSON.",
        ) from None
    one = not isinstance(saved, list) or not saved or isinstance(saved[0], Mapping)
    try:
        rows, updated = rows_from_pages([saved] if one else saved, str(path))
    except SourceError as error:
        raise MalformedInputError(error.message, source=str(path), hint=error.hint) from None
    frame = pd.DataFrame(
        rows, columns=["country_iso3", "country_name", "indicator_id", "year", "value"]
    ).astype(str)
    return frame, updated


def read_indicator_file(
    path: Path,
    *,
    format: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    keep: Collection[str] | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
) -> RawTable:
    """Read ``path`` (format detected unless given); ``mapping`` is required for ``mapped``.

    ``keep``: only these series are read (all when None); saves time on wide files. ``encoding``:
    the text encoding (detected when None). ``skip_bad_rows``: leave out rows that are not whole.
    """
    path = Path(path)
    chosen = "mapped" if mapping is not None else (format or detect_format(path, encoding=encoding))
    notes: list[str] = []
    upstream = ""
    if chosen == "worldbank_api":
        frame, upstream = _api_rows(path)
        long = _long(frame, "country_iso3", "country_name", "year", "indicator_id", "value")
        if keep is not None:
            long = long[long["series"].isin(keep)]
        return RawTable(
            chosen, _finish(long, path, notes), notes, f"lastupdated {upstream}" if upstream else ""
        )
    if chosen == "owid_codebook":
        raise UnknownFormatError(
            "a codebook has no values.", source=str(path), hint="read it with read_codebook()."
        )
    frame = _read_csv(path, notes, encoding=encoding, skip_bad_rows=skip_bad_rows)

    def column(name: str) -> str:
        return _column(frame, name, path)

    if chosen == "mapped":
        assert mapping is not None
        country = column(str(mapping["country_column"]))
        by_name = mapping.get("country_is", "iso3") == "name"
        long = _long(
            frame,
            None if by_name else country,
            country if by_name else None,
            column(str(mapping["year_column"])),
            str(mapping["indicator"]),
            column(str(mapping["value_column"])),
        )
    elif chosen == "sdmx_csv":
        long = _long(
            frame,
            column("REF_AREA"),
            column("REF_AREA_LABEL"),
            column("TIME_PERIOD"),
            column("INDICATOR"),
            column("OBS_VALUE"),
        )
    elif chosen == "oecd_csv":
        variable = column("VAR")
        label = frame.columns[list(frame.columns).index(variable) + 1]
        frame["__series"] = frame[variable] + "|" + frame[label]
        long = _long(frame, column("COU"), column("Country"), column("YEA"), "__series", column("Value"))
    elif chosen == "worldbank_csv":
        long = _long(
            frame,
            column("country_iso3"),
            column("country_name"),
            column("year"),
            column("indicator_id"),
            column("value"),
        )
    elif chosen == "owid_co2":
        long = _wide(frame, column("iso_code"), column("country"), column("year"), keep)
    elif chosen == "worldbank_table":
        long = _wide(frame, column("Country Code"), column("Country Name"), column("Year"), keep)
    elif chosen == "owid_grapher":
        long = _wide(frame, column("Code"), column("Entity"), column("Year"), keep)
    elif chosen == "wide_by_name":
        long = _wide(frame, None, column("Country"), column("Year"), keep)
    else:
        raise UnknownFormatError(
            f"unknown format {chosen!r}.", source=str(path), hint=f"use one of {list(FORMATS)}."
        )
    if keep is not None and chosen not in ("mapped",):
        long = long[long["series"].isin(keep)]
    return RawTable(chosen, _finish(long, path, notes), notes, upstream)


def read_codebook(path: Path) -> dict[str, dict[str, str]]:
    """An OWID codebook: column -> {description, source}."""
    frame = _read_csv(path, [])
    column, description, source = (_column(frame, name, path) for name in ("column", "description", "source"))
    return {
        str(row[column]).strip(): {
            "description": str(row[description]).strip(),
            "source": str(row[source]).strip(),
        }
        for _, row in frame.iterrows()
    }
