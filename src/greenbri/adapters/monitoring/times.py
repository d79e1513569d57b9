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

__all__ = [
    "ConvertedTimes",
    "TimeZone",
    "days_from_civil",
    "parse_timezone",
    "parts_to_utc",
    "strings_to_utc",
    "utc_years",
]

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


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_MICROS_PER_HOUR = 3_600_000_000
_MICROS_PER_DAY = 24 * _MICROS_PER_HOUR


def days_from_civil(years: np.ndarray, months: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (integer arrays, months 1-12; the result
    has their type), vectorised integer arithmetic (H. Hinnant's ``days_from_civil``)."""
    shifted = years - (months <= 2)
    era = np.floor_divide(shifted, 400)
    year_of_era = shifted - era * 400
    day_of_year = (153 * ((months + 9) % 12) + 2) // 5 + days - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return np.asarray(era * 146097 + day_of_era - 719468)


def utc_years(micros: np.ndarray) -> np.ndarray:
    """Calendar year (UTC) of int64 microseconds since the epoch, by a search among year starts."""
    if len(micros) == 0:
        return np.empty(0, dtype=np.int64)
    low, high = int(micros.min()) // (_MICROS_PER_DAY * 366), int(micros.max()) // (_MICROS_PER_DAY * 365)
    candidates = np.arange(1970 + low - 1, 1970 + high + 2, dtype=np.int64)
    ones = np.ones_like(candidates)
    starts = days_from_civil(candidates, ones, ones) * _MICROS_PER_DAY
    return np.asarray(candidates[np.searchsorted(starts, micros, side="right") - 1], dtype=np.int64)


def parts_to_utc(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    hour: np.ndarray,
    timezone: TimeZone,
) -> ConvertedTimes:
    """Local time from arrays of parts (float with NaN for missing, or integers) to UTC; impossible
    dates are rejected.

    Integer arithmetic on the parts (no per-row date objects): the first day of each (year, month)
    of the file's range is computed once and looked up per row. A fixed-offset zone is one
    subtraction, an IANA zone goes through :func:`_localise` (daylight saving gaps and repeats).
    """
    parts = [np.asarray(part) for part in (year, month, day, hour)]
    valid = np.ones(len(parts[0]), dtype=bool)
    for part in parts:
        if part.dtype.kind not in "fiu":
            raise TypeError(f"time parts must be numbers, not {part.dtype}")
        valid &= np.abs(part) < 1_000_000  # False for NaN too
    every = bool(valid.all())
    years, months, days, hours = (
        part.astype(np.int32, copy=False) if every else np.where(valid, part, default).astype(np.int32)
        for part, default in zip(parts, (1970, 1, 1, 0), strict=True)
    )
    valid &= (months >= 1) & (months <= 12) & (hours >= 0) & (hours <= 23) & (days >= 1)
    low, high = (int(years.min()), int(years.max())) if len(years) else (1970, 1970)
    if valid.all() and high - low < 10_000:
        table_years = np.repeat(np.arange(low, high + 1, dtype=np.int64), 12)
        table_months = np.tile(np.arange(1, 13, dtype=np.int64), high - low + 1)
        first_days = days_from_civil(table_years, table_months, np.ones_like(table_years))
        leap = (table_years % 4 == 0) & ((table_years % 100 != 0) | (table_years % 400 == 0))
        lengths = _MONTH_DAYS[table_months - 1] + ((table_months == 2) & leap)
        month_index = (years - low) * 12 + (months - 1)
        valid &= days <= lengths[month_index]
        micros = (first_days[month_index] + (days - 1)) * _MICROS_PER_DAY
    else:  # rows with bad parts, or a range of years too wide for a table
        months = np.where(valid, months, 1)
        leap = (years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0))
        valid &= days <= _MONTH_DAYS[months - 1] + ((months == 2) & leap)
        days = np.where(valid, days, 1)
        micros = days_from_civil(years, months, days).astype(np.int64) * _MICROS_PER_DAY
    micros += hours.astype(np.int64) * _MICROS_PER_HOUR
    local = micros.view("datetime64[us]")
    invalid = np.flatnonzero(~valid)
    local[invalid] = np.datetime64("NaT")
    converted = _localise(local, timezone)
    problems = dict(converted.problems)
    for position in invalid.tolist():
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
