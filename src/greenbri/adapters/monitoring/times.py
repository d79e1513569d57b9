"""Local times to UTC, vectorised, with every row that cannot be converted named.

A time zone is either a fixed offset (``+08:00``, ``UTC``) or an IANA name (``Asia/Shanghai``,
``Europe/Berlin``). With an IANA zone, a local time that does not exist (the hour skipped when
daylight saving time starts) or that exists twice (the hour repeated when it ends) is rejected:
guessing would shift a reading by an hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from greenbri.core.errors import InputError

__all__ = ["ConvertedTimes", "TimeZone", "parse_timezone", "parts_to_utc", "strings_to_utc"]

_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$")
_AWARE_SUFFIX = r"(Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class TimeZone:
    """A parsed time zone: ``label`` as given, and either a fixed offset or an IANA zone."""

    label: str
    offset_minutes: int | None = None
    zone: str | None = None


@dataclass(frozen=True)
class ConvertedTimes:
    """UTC times (``datetime64[us]``, NaT where rejected) and, per rejected row, the reason."""

    utc: np.ndarray
    problems: dict[int, str]


def parse_timezone(text: str) -> TimeZone:
    """``+08:00``, ``UTC+8``, ``UTC``, ``Z`` or an IANA name; :class:`InputError` otherwise."""
    label = text.strip()
    if label.upper() in ("UTC", "Z", "GMT", "+00:00"):
        return TimeZone(label, offset_minutes=0)
    match = _OFFSET.match(label.upper())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        if minutes > 14 * 60:
            raise InputError(f"Time zone offset {label!r} is beyond +-14:00.", hint="write e.g. +08:00.")
        return TimeZone(label, offset_minutes=sign * minutes)
    try:
        ZoneInfo(label)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"Unknown time zone {label!r}.",
            hint="give a UTC offset such as +08:00 or an IANA name such as Asia/Shanghai.",
        ) from None
    return TimeZone(label, zone=label)


def _localise(local: np.ndarray, timezone: TimeZone) -> ConvertedTimes:
    """Naive local ``datetime64[us]`` -> UTC; NaT inputs stay NaT (the caller reports them)."""
    if timezone.offset_minutes is not None:
        return ConvertedTimes(local - np.timedelta64(timezone.offset_minutes, "m"), {})
    index = pd.DatetimeIndex(local)
    shifted = index.tz_localize(timezone.zone, ambiguous="NaT", nonexistent="NaT")
    gap_check = index.tz_localize(timezone.zone, ambiguous=np.ones(len(index), bool), nonexistent="NaT")
    problems: dict[int, str] = {}
    lost = np.flatnonzero(np.asarray(shifted.isna()) & ~np.asarray(index.isna()))
    for position in lost.tolist():
        kind = "does not exist (skipped when daylight saving time starts)"
        if not pd.isna(gap_check[position]):
            kind = "is ambiguous (repeated when daylight saving time ends)"
        problems[position] = f"local time {index[position]} {kind} in {timezone.zone}"
    utc = shifted.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[us]")
    return ConvertedTimes(utc, problems)


def parts_to_utc(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    hour: np.ndarray,
    timezone: TimeZone,
) -> ConvertedTimes:
    """Local time from float arrays of parts (NaN: missing) to UTC; impossible dates are rejected."""
    parts = np.vstack([year, month, day, hour])
    valid = ~np.isnan(parts).any(axis=0)
    filled = np.where(valid, parts, [[1970], [1], [1], [0]]).astype(np.int64)
    years, months, days, hours = filled
    valid &= (months >= 1) & (months <= 12) & (hours >= 0) & (hours <= 23) & (days >= 1)
    months = np.where(valid, months, 1)
    month_start = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (months - 1)
    month_days = ((month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(
        np.int64
    )
    valid &= days <= month_days
    local = month_start.astype("datetime64[D]") + np.where(valid, days - 1, 0)
    local = local.astype("datetime64[us]") + hours.astype("timedelta64[h]")
    local[~valid] = np.datetime64("NaT")
    converted = _localise(local, timezone)
    problems = dict(converted.problems)
    for position in np.flatnonzero(~valid).tolist():
        problems[position] = "the date/time parts are missing or not a valid date"
    return ConvertedTimes(converted.utc, problems)


def strings_to_utc(
    strings: pa.Array, timezone: TimeZone | None, *, source: str, column: str
) -> ConvertedTimes:
    """ISO 8601 texts to UTC. Texts with an offset keep it; naive ones need ``timezone``."""
    text = pc.utf8_trim_whitespace(strings.cast(pa.string()))
    aware = pc.fill_null(pc.match_substring_regex(text, _AWARE_SUFFIX), False).to_numpy(zero_copy_only=False)
    values = pd.Series(text.to_pandas(), dtype=object)
    naive_positions = np.flatnonzero(~aware & values.notna().to_numpy())
    if len(naive_positions) and timezone is None:
        first = int(naive_positions[0])
        raise InputError(
            f"The times in column {column!r} have no time zone (e.g. {values.iloc[first]!r} at line {first + 2}).",
            source=source,
            location=f"line {first + 2}",
            hint="say which zone they are in: --timezone +08:00 (or an IANA name such as Asia/Shanghai).",
        )
    utc = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    problems: dict[int, str] = {}
    if aware.any():
        parsed = pd.to_datetime(values[aware], utc=True, format="ISO8601", errors="coerce")
        utc[aware] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    if len(naive_positions) and timezone is not None:
        local = pd.to_datetime(values.iloc[naive_positions], format="ISO8601", errors="coerce")
        converted = _localise(local.to_numpy(dtype="datetime64[us]"), timezone)
        utc[naive_positions] = converted.utc
        problems.update({int(naive_positions[key]): reason for key, reason in converted.problems.items()})
    for position in np.flatnonzero(np.isnat(utc)).tolist():
        problems.setdefault(position, f"{values.iloc[position]!r} is not an ISO 8601 date/time")
    return ConvertedTimes(utc, problems)
