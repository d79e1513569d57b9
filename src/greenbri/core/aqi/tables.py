"""Breakpoint tables, categories and their citations, as validated data.

A standard's tables are facts copied from the standard; each table carries the
:class:`Citation` it came from, and a row that could not be confirmed carries
``uncertain=True`` with a note. Construction validates the shape of a table (rows
ascending, index bands contiguous) so a typing mistake fails at import, not in a
report.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BreakpointRow",
    "BreakpointTable",
    "Category",
    "Citation",
    "TopRule",
    "Verification",
    "category",
]

#: How far a value was checked. ``primary``: the standard's own text was read;
#: ``secondary``: read in two or more independent public reproductions or
#: implementations, not in the standard's own text (see docs/methodology/aqi.md).
Verification = Literal["primary", "secondary", "unverified"]

#: What a concentration above the table's last row means. ``scale``: the index goes on
#: past the top of the scale, as the engine's beyond-scale policy says; ``not_defined``:
#: the standard defines no index for it (another averaging period takes over);
#: ``top_index``: the standard fixes the index at the last row's index, whatever the
#: concentration (HJ 633-2026 Table 3, notes b and c: SO2 1 h above 800 ug/m3 counts as
#: 200, O3 8 h above 800 ug/m3 as 300).
TopRule = Literal["scale", "not_defined", "top_index"]


@dataclass(frozen=True)
class Citation:
    """Where a table or rule comes from.

    Parameters
    ----------
    document
        The standard or regulation, e.g. ``"HJ 633-2012"``.
    location
        Table, clause or note inside it, e.g. ``"Table 1, note (2)"``.
    effective_from, effective_to
        First and last day the cited text is in force (``None``: open).
    verification
        How the values were checked (:data:`Verification`).
    note
        Anything a reader must know (what was and was not read).
    """

    document: str
    location: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    verification: Verification = "primary"
    note: str = ""


@dataclass(frozen=True)
class BreakpointRow:
    """One band: concentrations ``c_lo``..``c_hi`` map linearly to index ``i_lo``..``i_hi``."""

    c_lo: float
    c_hi: float
    i_lo: int
    i_hi: int
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True)
class BreakpointTable:
    """The breakpoints of one pollutant over one averaging period.

    Parameters
    ----------
    key
        Measurement key, ``<pollutant>_<averaging>``: ``"pm25_24h"``, ``"o3_8h"``.
    unit
        Unit of the concentrations (``"ug/m3"``, ``"mg/m3"``, ``"ppm"``, ``"ppb"``).
    rows
        The bands, ascending.
    citation
        Where the rows come from.
    truncate_decimals
        Truncate concentrations to this many decimals before the lookup (US EPA);
        ``None``: use them as given.
    round_decimals
        Round concentrations to this many decimals before the lookup by GB/T 8170
        (halves to even: HJ 633-2026 clause 4.2.2); ``None``: use them as given.
    top
        What a concentration above the last row means (:data:`TopRule`).
    """

    key: str
    unit: str
    rows: tuple[BreakpointRow, ...]
    citation: Citation
    truncate_decimals: int | None = None
    top: TopRule = "scale"
    round_decimals: int | None = None
    _arrays: dict[str, NDArray[np.float64]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate_rows(self.key, self.rows)
        arrays = {
            "c_lo": np.array([row.c_lo for row in self.rows], dtype=np.float64),
            "c_hi": np.array([row.c_hi for row in self.rows], dtype=np.float64),
            "i_lo": np.array([row.i_lo for row in self.rows], dtype=np.float64),
            "i_hi": np.array([row.i_hi for row in self.rows], dtype=np.float64),
        }
        arrays["slope"] = (arrays["i_hi"] - arrays["i_lo"]) / (arrays["c_hi"] - arrays["c_lo"])
        # I = slope * C + intercept is formula (1) with the constant part folded in.
        arrays["intercept"] = arrays["i_lo"] - arrays["slope"] * arrays["c_lo"]
        for array in arrays.values():
            array.setflags(write=False)
        object.__setattr__(self, "_arrays", arrays)

    @property
    def pollutant(self) -> str:
        """The pollutant part of the key (``"pm25"`` for ``"pm25_24h"``)."""
        return self.key.split("_")[0]

    @property
    def uncertain(self) -> bool:
        """Whether any row is marked uncertain."""
        return any(row.uncertain for row in self.rows)

    def column(self, name: str) -> NDArray[np.float64]:
        """A read-only column: ``c_lo``, ``c_hi``, ``i_lo``, ``i_hi``, ``slope`` or ``intercept``."""
        return self._arrays[name]


def _validate_rows(key: str, rows: tuple[BreakpointRow, ...]) -> None:
    if not rows:
        raise ValueError(f"breakpoint table {key!r} has no rows")
    for row in rows:
        if not row.c_lo < row.c_hi or not row.i_lo < row.i_hi:
            raise ValueError(f"breakpoint table {key!r}: row {row} is not increasing")
    for lower, upper in itertools.pairwise(rows):
        if upper.c_lo < lower.c_hi:
            raise ValueError(f"breakpoint table {key!r}: rows {lower} and {upper} overlap")
        if upper.i_lo not in (lower.i_hi, lower.i_hi + 1):
            raise ValueError(f"breakpoint table {key!r}: index bands of {lower} and {upper} leave a gap")


@dataclass(frozen=True)
class Category:
    """One AQI category (level) of a standard.

    Parameters
    ----------
    index
        0 for the best category, counting up.
    aqi_low, aqi_high
        The AQI range, inclusive; ``aqi_high`` is ``None`` for the open top category.
    name_en, name_zh
        Names in English and Chinese.
    colour_name_en, colour_name_zh
        The colour's name.
    rgb
        The colour as (R, G, B), 0-255.
    citation
        Where names and colour come from.
    """

    index: int
    aqi_low: int
    aqi_high: int | None
    name_en: str
    name_zh: str
    colour_name_en: str
    colour_name_zh: str
    rgb: tuple[int, int, int]
    citation: Citation

    @property
    def rgb_hex(self) -> str:
        """The colour as ``#RRGGBB``."""
        red, green, blue = self.rgb
        return f"#{red:02X}{green:02X}{blue:02X}"


def category(
    index: int,
    low: int,
    high: int | None,
    names: tuple[str, str],
    colour: tuple[str, str, tuple[int, int, int]],
    citation: Citation,
) -> Category:
    """A :class:`Category` from its AQI range, (en, zh) names and (en, zh, RGB) colour."""
    colour_en, colour_zh, rgb = colour
    return Category(index, low, high, names[0], names[1], colour_en, colour_zh, rgb, citation)
