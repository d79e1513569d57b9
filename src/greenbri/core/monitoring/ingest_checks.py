"""Point-wise quality flags set when readings are ingested (pure, numpy only).

Each value is checked on its own, so the flags never change when neighbouring readings arrive
late (the series checks, which do depend on neighbours, live in :mod:`greenbri.core.monitoring.quality`).

* ``MISSING``: the value is null / NaN (text in a numeric column is stored as missing too).
* ``NEGATIVE``: a quantity that cannot be negative by definition (a concentration, a count, a
  conductivity, an index) is below zero. Temperature may be negative and is not checked.
* ``OUT_OF_RANGE``: outside the interval of :data:`PLAUSIBLE_RANGES`. Only parameters with a cited
  bound, or a bound that is a documented greenbri choice, have one; concentrations have **no** upper
  bound here (a spike is a series matter, not a point-wise one).

Flags are bits of :class:`~greenbri.core.monitoring.readings.QaFlag`; flagged values are kept.

Examples
--------
>>> import numpy as np
>>> point_flags(np.array([1.0, np.nan, -2.0]), "pm25").tolist()
[0, 1, 2]
>>> point_flags(np.array([7.0, 15.0]), "ph").tolist()
[0, 4]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from greenbri.core.monitoring.readings import QaFlag
from greenbri.core.units import Citation

__all__ = ["NEGATIVE_ALLOWED", "PLAUSIBLE_RANGES", "PlausibleRange", "point_flags"]


@dataclass(frozen=True)
class PlausibleRange:
    """A closed interval ``[low, high]`` in ``unit`` outside which a value is flagged, with its source."""

    low: float
    high: float
    unit: str
    citation: Citation


#: Parameters whose values may be negative (every other parameter is a non-negative quantity).
NEGATIVE_ALLOWED: frozenset[str] = frozenset({"temperature"})

#: Bounds checked at ingest. Keys are :data:`~greenbri.core.monitoring.readings.PARAMETERS` keys.
PLAUSIBLE_RANGES: dict[str, PlausibleRange] = {
    "aqi": PlausibleRange(
        0.0,
        500.0,
        "1",
        Citation(
            "HJ 633-2012 Technical Regulation on Ambient Air Quality Index (on trial)",
            "Table 1: the IAQI scale runs from 0 to 500",
            verified="secondary",
            note="the same breakpoints as greenbri.core.aqi.cn_hj633; a published AQI above 500 is flagged",
        ),
    ),
    "ph": PlausibleRange(
        0.0,
        14.0,
        "1",
        Citation(
            "greenbri choice (not a standard)",
            "the conventional 0-14 pH scale of dilute aqueous solutions at 25 degC",
            verified="text",
            note="natural waters lie well inside it; a value outside almost always is an entry error",
        ),
    ),
    "temperature": PlausibleRange(
        -89.2,
        56.7,
        "degC",
        Citation(
            "WMO Archive of Weather and Climate Extremes (https://wmo.asu.edu)",
            "lowest (Vostok, 1983-07-21) and highest (Furnace Creek, 1913-07-10) recorded air temperatures",
            verified="recalled",
            note="used for air and water temperature alike; greenbri choice to treat records as the bounds",
        ),
    ),
}


def point_flags(values: NDArray[np.float64], parameter: str, unit: str | None = None) -> NDArray[np.int32]:
    """The ingest flags of ``values`` (float64, NaN for missing) of one ``parameter``.

    Parameters
    ----------
    values
        The readings' values in ``unit``.
    parameter
        A :data:`PARAMETERS` key; unknown keys get only ``MISSING`` / ``NEGATIVE``.
    unit
        The values' unit. The range check applies only when it is the range's unit (a value in
        another unit is not compared with a bound it does not share).

    Returns
    -------
    numpy.ndarray
        int32 array of :class:`QaFlag` bits, one per value.
    """
    data = np.asarray(values, dtype=np.float64)
    # Comparisons with NaN are false, so a missing value is never NEGATIVE nor OUT_OF_RANGE.
    flags = np.isnan(data).astype(np.int32) * np.int32(QaFlag.MISSING)
    if parameter not in NEGATIVE_ALLOWED:
        flags |= (data < 0.0).astype(np.int32) * np.int32(QaFlag.NEGATIVE)
    bounds = PLAUSIBLE_RANGES.get(parameter)
    if bounds is not None and (unit is None or unit == bounds.unit):
        outside = (data < bounds.low) | (data > bounds.high)
        flags |= outside.astype(np.int32) * np.int32(QaFlag.OUT_OF_RANGE)
    return flags
