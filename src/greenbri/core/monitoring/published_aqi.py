"""Does a source's published real-time AQI follow from the row's own concentrations? (pure)

China's national network publishes, per station and hour, the real-time AQI and its primary
pollutant(s) beside the concentrations. HJ 633's real-time report (HJ 633-2012 clause 5.1 and
Table 1 note (1); HJ 633-2026 clause 4.2.4) indexes the **hourly** SO2, NO2, CO and O3 on the
1-hour breakpoints and the **hourly** PM2.5 and PM10 on the 24-hour breakpoints (there is no
1-hour PM table): :data:`REAL_TIME_KEYS`. Every element is computed with the engine in force on its
local day (:func:`greenbri.core.aqi.coverage.compute_aqi_where_covered`); a day no engine covers is
"not checked", never "reproduced".

Archived copies of the hourly files do not all label ozone the same way: in some, the column
``o3`` holds a 24-hour statistic and ``o3_24h`` the hour's value (the file
``air/cnemc/2022-01-15T08.csv``: 1,619 of 1,705 published AQIs follow with ``o3``, all 1,705
with ``o3_24h``). :func:`choose_hourly_ozone` decides, per file, which column holds the hour's
ozone: the reading under which the most published rows are reproduced (AQI and primary
pollutants equal); a tie keeps the first candidate (the column as labelled). The decision says
whether every published row is reproduced under it; the rows that are not are returned so the
reader can flag them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.aqi.coverage import CoveredAqi, compute_aqi_where_covered

__all__ = [
    "REAL_TIME_DAILY_KEYS",
    "REAL_TIME_KEYS",
    "OzoneDecision",
    "as_published_keys",
    "choose_hourly_ozone",
    "real_time_aqi",
    "reproduces",
]

#: Real-time AQI of each standard: parameter of an hourly reading -> (measurement key, unit of the
#: engine's table). ``cn``: HJ 633 real-time report (see the module docstring). ``us``: PM only,
#: as the EPA NowCast of the last 12 hours against the 24-hour breakpoints (the AirNow practice).
REAL_TIME_KEYS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "cn": {
        "so2": ("so2_1h", "ug/m3"),
        "no2": ("no2_1h", "ug/m3"),
        "co": ("co_1h", "mg/m3"),
        "o3": ("o3_1h", "ug/m3"),
        "pm25": ("pm25_24h", "ug/m3"),
        "pm10": ("pm10_24h", "ug/m3"),
    },
    "us": {"pm25": ("pm25_24h", "ug/m3"), "pm10": ("pm10_24h", "ug/m3")},
}
#: 24-hour means the real-time report also takes: ``cn`` SO2, whose 1-hour value above 800 ug/m3 is not
#: indexed and is reported from the 24-hour mean instead (HJ 633-2012 Table 1, note (2)).
REAL_TIME_DAILY_KEYS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "cn": {"so2": ("so2_24h", "ug/m3")},
    "us": {},
}


def real_time_aqi(
    standard: str,
    days: ArrayLike,
    hourly: Mapping[str, ArrayLike],
    *,
    daily: Mapping[str, ArrayLike] | None = None,
    fallback_engine: str | None = None,
) -> CoveredAqi:
    """The real-time AQI of hourly values (parameter -> values in the engine's units), by local day.

    ``daily`` holds the 24-hour means ending at the same hour of :data:`REAL_TIME_DAILY_KEYS`.
    """
    keys = REAL_TIME_KEYS[standard]
    concentrations = {keys[parameter][0]: values for parameter, values in hourly.items() if parameter in keys}
    extra = REAL_TIME_DAILY_KEYS[standard]
    concentrations |= {extra[name][0]: values for name, values in (daily or {}).items() if name in extra}
    return compute_aqi_where_covered(standard, days, concentrations, fallback_engine=fallback_engine)


def reproduces(
    covered: CoveredAqi,
    published_aqi: NDArray[np.float64],
    published_primary: Sequence[tuple[str, ...] | None],
) -> NDArray[np.bool_]:
    """Per row: computed, and both the AQI and (where known) the primary pollutants equal the published.

    ``published_primary`` holds the published primary pollutants as measurement keys, ``()`` for
    none (AQI up to 50) and ``None`` where the published text is not known (only the AQI is compared).
    """
    result = covered.result
    same: NDArray[np.bool_] = np.asarray(covered.computed & (result.aqi == published_aqi), dtype=bool)
    for position in np.flatnonzero(same).tolist():
        expected = published_primary[position]
        if expected is not None and as_published_keys(result.primary_keys(position)) != tuple(
            sorted(expected)
        ):
            same[position] = False
    return same


#: A key that stands in for another in the real-time report is published under the other's name:
#: SO2's IAQI from the 24-hour mean when the hour is above 800 ug/m3 (HJ 633-2012 Table 1, note (2)).
_STANDS_IN = {"so2_24h": "so2_1h"}


def as_published_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Primary-pollutant keys as the publisher names them (a stand-in key under the key it stands in for)."""
    return tuple(sorted({_STANDS_IN.get(key, key) for key in keys}))


@dataclass(frozen=True)
class OzoneDecision:
    """Which column holds the hour's ozone, and how well the file's published AQI supports it.

    ``status``: ``reproduced`` (every published AQI follows under ``column``), ``not_reproduced``
    (some do not: ``mismatched`` marks them) or ``not_checked`` (no published AQI could be
    recomputed: ``reason`` says why; ``unchecked`` marks those rows).
    """

    column: str
    status: str
    published_rows: int
    reproduced_rows: Mapping[str, int]
    mismatched: NDArray[np.bool_]
    unchecked: NDArray[np.bool_]
    reason: str | None
    computed: CoveredAqi

    @property
    def swapped(self) -> bool:
        """The hour's ozone is not in the first candidate (the column labelled hourly)."""
        return self.column != next(iter(self.reproduced_rows))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the batch's provenance and the ingest report."""
        return {
            "hourly_ozone_column": self.column,
            "status": self.status,
            "swapped": self.swapped,
            "published_rows": self.published_rows,
            "reproduced_rows": dict(self.reproduced_rows),
            "rows_not_reproduced": int(self.mismatched.sum()),
            "rows_not_checked": int(self.unchecked.sum()),
            "reason": self.reason,
        }


def choose_hourly_ozone(
    days: ArrayLike,
    hourly: Mapping[str, ArrayLike],
    candidates: Mapping[str, ArrayLike],
    published_aqi: ArrayLike,
    published_primary: Sequence[tuple[str, ...] | None],
    *,
    daily: Mapping[str, ArrayLike] | None = None,
) -> OzoneDecision:
    """Decide which of ``candidates`` (column -> values, the labelled hourly column first) is hourly ozone.

    ``hourly`` holds the other hourly pollutants (parameter -> values, engine units); the CN
    real-time AQI is recomputed under each candidate and compared with ``published_aqi`` (NaN: not
    published, not counted) and ``published_primary`` (see :func:`reproduces`).
    """
    published = np.asarray(published_aqi, dtype=np.float64)
    has_value = ~np.isnan(published)
    counts: dict[str, int] = {}
    matched: dict[str, NDArray[np.bool_]] = {}
    results: dict[str, CoveredAqi] = {}
    for column, values in candidates.items():
        results[column] = real_time_aqi("cn", days, {**hourly, "o3": values}, daily=daily)
        matched[column] = reproduces(results[column], published, published_primary)
        counts[column] = int(matched[column].sum())
    chosen = max(counts, key=lambda column: counts[column])  # first of the best: labels win a tie
    covered = results[chosen]
    checked = has_value & covered.computed
    unchecked = has_value & ~covered.computed
    reasons = sorted({covered.reason_at(int(row)) or "" for row in np.flatnonzero(unchecked)})
    reason: str | None
    if not checked.any():
        status = "not_checked"
        reason = "; ".join(reasons) or "the file publishes no AQI to check the ozone columns against"
    else:
        status = "reproduced" if bool(matched[chosen][checked].all()) else "not_reproduced"
        reason = "; ".join(reasons) or None
    mismatched = checked & ~matched[chosen]
    return OzoneDecision(chosen, status, int(has_value.sum()), counts, mismatched, unchecked, reason, covered)
