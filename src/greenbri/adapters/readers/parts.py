"""What each format reader hands to the shared checks, and small shared helpers."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from greenbri.adapters.readers.integrity import BadRow
from greenbri.core.errors import CoordinateReferenceError
from greenbri.core.geometry import Problem, Repair

__all__ = ["RawPart", "caught_warnings", "crs_label", "location", "parse_crs"]

#: At most this many distinct library warnings per file are kept in the result.
MAX_LIBRARY_WARNINGS = 10


@dataclass
class RawPart:
    """One file as read, before the shared checks.

    ``geometry`` is an object array of shapely geometries (``None`` = missing)
    in ``crs`` (``None`` = not declared), or ``None`` when the input has no
    geometry at all. ``unit`` is ``"feature"`` (counted from 0, like the
    frame index) or ``"row"`` (counted from 1, as a spreadsheet user counts
    data rows below the header).
    """

    name: str
    frame: pd.DataFrame
    geometry: Any
    crs: CRS | None
    encoding: str
    unit: str
    parse_repairs: list[Repair] = field(default_factory=list)
    parse_failures: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_rows: list[BadRow] = field(default_factory=list)
    #: Positions that failed on their own (``ReadOptions.coordinate_errors_per_row``), and why.
    row_errors: dict[int, str] = field(default_factory=dict)


def location(unit: str, index: int, feature_id: str = "") -> str:
    """``"feature 3 (id=WDPA-55)"`` or ``"row 4"`` for the 0-based position ``index``."""
    text = f"row {index + 1}" if unit == "row" else f"feature {index}"
    return f"{text} (id={feature_id})" if feature_id else text


@contextmanager
def caught_warnings(name: str, notes: list[str]) -> Iterator[None]:
    """Turn library warnings raised inside the block into notes on the result.

    GDAL, openpyxl and pandas warn about things the user should see (a ring
    that was not closed, an unsupported spreadsheet feature); they go into
    :attr:`ReadResult.warnings` instead of the console.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen: list[str] = []
    for item in caught:
        text = " ".join(str(item.message).split())
        if text not in seen:
            seen.append(text)
    for text in seen[:MAX_LIBRARY_WARNINGS]:
        notes.append(f"{name}: {text}")
    if len(seen) > MAX_LIBRARY_WARNINGS:
        notes.append(f"{name}: {len(seen) - MAX_LIBRARY_WARNINGS} more warnings from the reading library.")


def parse_crs(text: str, source: str) -> CRS:
    """The CRS a user named (``EPSG:4326``, a WKT, a PROJ string); unknown ones are an error."""
    try:
        return CRS.from_user_input(text)
    except CRSError as error:
        raise CoordinateReferenceError(
            f"The coordinate reference system {text!r} is not known ({error}).",
            source=source,
            hint="pass an EPSG code, e.g. --crs EPSG:4326 for longitude/latitude or --crs EPSG:3857.",
        ) from None


def crs_label(crs: CRS) -> str:
    """``EPSG:nnnn`` (or another authority's code) when there is one, else the CRS's name."""
    authority = crs.to_authority(min_confidence=70)
    if authority:
        return f"{authority[0]}:{authority[1]}"
    return str(crs.name)
