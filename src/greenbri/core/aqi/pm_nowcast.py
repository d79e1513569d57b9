"""The US EPA NowCast for hourly PM2.5 and PM10, vectorised over (stations x hours).

Method (EPA "PM NowCast" fact sheet, EPA document P100X0J6; EPA-454/B-24-002 section IV
"How the NowCast is calculated"), for the 12 most recent hours ``c_0`` (this hour) ..
``c_11``:

1. ``w = c_min / c_max`` over the valid hours of the 12 (equivalently ``1 - range/c_max``);
2. if ``w < 0.5``, ``w = 0.5``;
3. ``NowCast = sum(w**i * c_i) / sum(w**i)`` over the valid hours ``i``.

Completeness (AirNow, "The NowCast for PM2.5 and PM10"): at least 2 of the 3 most recent
hours must be valid; otherwise there is no NowCast. The NowCast is computed from the raw
hourly values and truncated only when it is converted to AQI (``compute_aqi`` does that
for ``pm25_24h``/``pm10_24h``).

greenbri choices, not in the EPA text: hours before the start of the series count as
missing (so a NowCast exists from the 2nd hour if both hours are valid); when ``c_max <= 0``
(all valid hours zero or negative) ``w`` is 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.aqi.errors import AqiInputError

__all__ = ["NOWCAST_HOURS", "NOWCAST_MIN_WEIGHT", "nowcast"]

#: Hours in the NowCast window.
NOWCAST_HOURS = 12
#: Lower limit of the weight factor for PM.
NOWCAST_MIN_WEIGHT = 0.5


def nowcast(hourly: ArrayLike) -> NDArray[np.float64]:
    """NowCast concentration for every station and hour.

    Parameters
    ----------
    hourly
        Hourly PM2.5 or PM10 concentrations in ug/m3, shape ``(stations, hours)`` (or
        ``(hours,)``), oldest hour first, one column per consecutive hour; NaN = missing.

    Returns
    -------
    numpy.ndarray
        Same shape; element ``[s, t]`` is the NowCast for station ``s`` at hour ``t``
        (hours ``t-11`` .. ``t``), NaN where fewer than 2 of hours ``t-2..t`` are valid.

    Examples
    --------
    EPA's worked example (12 hours, oldest first; weight factor floored at 0.5):

    >>> hours = [50, 80, 75, 90, 82, 53, 64, 74, 21, 10, 16, 13]
    >>> round(float(nowcast(hours)[-1]), 1)
    17.4
    """
    values = np.asarray(hourly, dtype=np.float64)
    if values.ndim not in (1, 2):
        raise AqiInputError(
            f"NowCast needs a (stations, hours) or (hours,) array, not shape {values.shape}.",
            hint="Reshape to one row per station, one column per consecutive hour.",
        )
    single = values.ndim == 1
    rows = values[np.newaxis, :] if single else values
    padded = np.concatenate([np.full((rows.shape[0], NOWCAST_HOURS - 1), np.nan), rows], axis=1)
    # windows[s, t, i] = value i hours before hour t (i = 0 is hour t itself)
    windows = np.lib.stride_tricks.sliding_window_view(padded, NOWCAST_HOURS, axis=1)[..., ::-1]
    valid = ~np.isnan(windows)
    c_max = np.max(np.where(valid, windows, -np.inf), axis=-1)
    c_min = np.min(np.where(valid, windows, np.inf), axis=-1)
    positive = c_max > 0
    ratio = np.divide(c_min, c_max, out=np.ones_like(c_max), where=positive)
    weight = np.clip(ratio, NOWCAST_MIN_WEIGHT, 1.0)
    powers = weight[..., np.newaxis] ** np.arange(NOWCAST_HOURS, dtype=np.float64)
    powers = np.where(valid, powers, 0.0)
    numerator = np.sum(powers * np.where(valid, windows, 0.0), axis=-1)
    denominator = np.sum(powers, axis=-1)
    recent = np.sum(valid[..., :3], axis=-1)
    result = np.where(recent >= 2, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)
    return result[0] if single else result
