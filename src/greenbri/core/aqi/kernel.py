"""The vectorised piecewise-linear index kernel.

For a concentration ``C`` inside a band ``[C_lo, C_hi]`` of a breakpoint table the
sub-index is (40 CFR 58 Appendix G, Equation 1; HJ 633-2012, formula (1))::

    I = (I_hi - I_lo) / (C_hi - C_lo) * (C - C_lo) + I_lo

The band is found with :func:`numpy.searchsorted` over the upper breakpoints, so one
call handles any array shape in a few passes over memory. Rounding before the lookup
(US EPA truncation) and after it (US: nearest integer; CN: up to the integer) are
separate functions, each applied by the engine that its standard names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.aqi.tables import BreakpointTable

__all__ = [
    "BeyondScale",
    "IndexRounding",
    "SubIndex",
    "piecewise_index",
    "round_half_even",
    "round_index",
    "truncate",
]

#: What to do with a concentration above the top of the scale. ``extrapolate``: go on
#: with the last band's line (40 CFR 58 App. G, 12(ii)); ``cap``: the top index value;
#: ``nan``: no index.
BeyondScale = Literal["extrapolate", "cap", "nan"]

#: ``half_up``: nearest integer, halves up (US EPA "rounded to the nearest whole number");
#: ``ceil``: up to the next integer (HJ 633-2012 "进位取整"); ``none``: unrounded.
IndexRounding = Literal["half_up", "ceil", "none"]

# Binary floating point turns 0.029 * 1000 into 28.999999999999996 and an index of exactly
# 50 into 50.00000000000001. A tiny tolerance is added before truncating (to the scaled
# concentration) and removed before rounding up (from the index), so representation error
# never moves a value across an integer. It is many orders of magnitude below any
# instrument's resolution and any index step.
_TRUNCATION_TOLERANCE = 1e-7
_ROUNDING_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SubIndex:
    """The kernel's answer for one measurement.

    Attributes
    ----------
    value
        Sub-index, unrounded; NaN where there is none.
    above_scale
        Concentration above the table's top and the table's top rule is ``scale``.
    not_indexed
        A concentration was given but the standard defines no index for it (negative,
        below a table that starts above zero, or above a ``not_defined`` top).
    """

    value: NDArray[np.float64]
    above_scale: NDArray[np.bool_]
    not_indexed: NDArray[np.bool_]


def truncate(concentration: ArrayLike, decimals: int) -> NDArray[np.float64]:
    """Truncate (towards minus infinity) to ``decimals`` decimals; NaN stays NaN.

    >>> truncate([12.09, 0.0709, 35.45, 0.029], 1).tolist()
    [12.0, 0.0, 35.4, 0.0]
    >>> truncate([0.029], 3).tolist()
    [0.029]
    """
    scale = 10.0**decimals
    scaled = np.array(concentration, dtype=np.float64, ndmin=1)
    shape = np.shape(concentration)
    scaled *= scale
    scaled += _TRUNCATION_TOLERANCE
    np.floor(scaled, out=scaled)
    scaled /= scale
    return scaled.reshape(shape)


def round_half_even(concentration: ArrayLike, decimals: int) -> NDArray[np.float64]:
    """Round to ``decimals`` decimals by GB/T 8170 (数值修约规则); NaN stays NaN.

    Below a half goes down, above a half goes up, an exact half goes to the even
    neighbour (四舍六入五成双). To integers this is IEEE ``rint`` (x.5 is exact in binary);
    to decimals, a scaled value within 1e-7 of a half (2.35 -> 23.499999999999996) is
    treated as the decimal half it stands for.

    >>> round_half_even([60.5, 61.5, 60.49, 60.51], 0).tolist()
    [60.0, 62.0, 60.0, 61.0]
    >>> round_half_even([2.25, 2.35, 2.45, 2.451], 1).tolist()
    [2.2, 2.4, 2.4, 2.5]
    """
    shape = np.shape(concentration)
    if decimals == 0:  # one pass: rint allocates the result
        return np.rint(np.asarray(concentration, dtype=np.float64)).reshape(shape)
    scale = 10.0**decimals
    values = np.asarray(concentration, dtype=np.float64).reshape(-1) * scale
    rounded = np.rint(values)
    near_half = np.abs(np.abs(values - rounded) - 0.5) < _TRUNCATION_TOLERANCE
    if near_half.any():
        below = np.floor(values[near_half] + _TRUNCATION_TOLERANCE)  # 23.4999999 and 23.5000001: 23
        rounded[near_half] = below + (below % 2 == 1)
    rounded /= scale
    return np.asarray(rounded, dtype=np.float64).reshape(shape)


def round_index(index: ArrayLike, rounding: IndexRounding) -> NDArray[np.float64]:
    """Round sub-indices the way a standard says; NaN stays NaN.

    >>> round_index([50.5, 50.49, 101.0001], "half_up").tolist()
    [51.0, 50.0, 101.0]
    >>> round_index([50.00000000000001, 50.01], "ceil").tolist()
    [50.0, 51.0]
    """
    values = np.array(index, dtype=np.float64, ndmin=1)
    return _round_in_place(values, rounding).reshape(np.shape(index))


def _round_in_place(values: NDArray[np.float64], rounding: IndexRounding) -> NDArray[np.float64]:
    if rounding == "ceil":
        values -= _ROUNDING_TOLERANCE
        np.ceil(values, out=values)
    elif rounding == "half_up":
        values += 0.5 + _ROUNDING_TOLERANCE
        np.floor(values, out=values)
    return values


def piecewise_index(
    concentration: ArrayLike,
    table: BreakpointTable,
    *,
    beyond_scale: BeyondScale = "extrapolate",
) -> SubIndex:
    """Sub-index of each concentration under one breakpoint table (unrounded).

    Parameters
    ----------
    concentration
        Any shape, in the table's unit; NaN means missing.
    table
        The breakpoint table; its ``truncate_decimals`` or ``round_decimals`` is applied first.
    beyond_scale
        For concentrations above the top of a ``scale`` table.

    Examples
    --------
    >>> from greenbri.core.aqi.cn_hj633 import HJ633_2012_TABLES
    >>> piecewise_index([35.0, 55.0], HJ633_2012_TABLES["pm25_24h"]).value.tolist()
    [50.0, 75.0]
    """
    given = np.asarray(concentration, dtype=np.float64)
    values = given.reshape(-1)
    if table.truncate_decimals is not None:
        values = truncate(values, table.truncate_decimals)
    if table.round_decimals is not None:
        values = round_half_even(values, table.round_decimals)
    c_lo, c_hi = table.column("c_lo"), table.column("c_hi")
    last = len(c_hi) - 1
    band = np.searchsorted(c_hi, values, side="left")
    np.minimum(band, last, out=band)
    index = table.column("slope").take(band)
    index *= values
    index += table.column("intercept").take(band)

    below = values < c_lo[0]
    above = values > c_hi[last]
    not_indexed = below
    if below.any():
        index[below] = np.nan
    if above.any():
        if table.top == "not_defined":
            index[above] = np.nan
            not_indexed = below | above
            above = np.zeros_like(above)
        elif table.top == "top_index":
            index[above] = table.column("i_hi")[last]
            above = np.zeros_like(above)
        elif beyond_scale == "cap":
            index[above] = table.column("i_hi")[last]
        elif beyond_scale == "nan":
            index[above] = np.nan
    shape = given.shape
    return SubIndex(
        value=index.reshape(shape), above_scale=above.reshape(shape), not_indexed=not_indexed.reshape(shape)
    )
