"""Sources ``greenbri monitor watch`` can poll: CNEMC hourly files (directory or URL) and OpenAQ.

CNEMC: a directory, or an http(s) base URL (a mirror), holding hourly files named
``YYYY-MM-DDTHH.csv`` (the hour in China Standard Time, as in the HeQinWill/CNEMC archive). The
cursor is the last hour stored. From a directory, every file after the cursor is taken; from a URL,
the hours after the cursor up to the current hour are requested in order and the first one the
server does not have (404) ends the run. Without a cursor a URL source starts ``lookback`` ago.

OpenAQ: a list of location ids. Each run fetches the hourly means from the cursor (minus
``late_margin``, so data that arrives late is picked up; readings already stored are skipped) up to
the current hour.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from greenbri.adapters.monitoring.batch import ParsedInput, stations_table
from greenbri.adapters.monitoring.cnemc import read_cnemc
from greenbri.adapters.monitoring.openaq import OpenAQClient
from greenbri.adapters.sources.http import HttpClient, HttpError

__all__ = ["CnemcHourlySource", "OpenAQSource", "WatchItem", "WatchSource"]

_HOURLY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}$")
_CHINA_STANDARD_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class WatchItem:
    """One unit of work: ``key`` becomes the cursor once ``load()``'s result is stored.

    ``load()`` returns the parsed input, a digest of its bytes and the options that decided how it
    was parsed (together they make the batch idempotent).
    """

    key: str
    load: Callable[[], tuple[ParsedInput, str, dict[str, Any]]]


class WatchSource(Protocol):
    """A source ``watch`` can poll: a stable ``name`` and the items after ``cursor``, oldest first."""

    name: str

    def pending(self, cursor: str | None, now: datetime) -> list[WatchItem]: ...


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cnemc_item(path: Path) -> WatchItem:
    def load() -> tuple[ParsedInput, str, dict[str, Any]]:
        return read_cnemc(path), _sha256(path), {"format": "cnemc", "parser": 1}

    return WatchItem(path.stem, load)


class CnemcHourlySource:
    """CNEMC hourly files from a directory or a base URL; see the module docstring."""

    def __init__(
        self,
        location: str,
        *,
        client: HttpClient | None = None,
        cache_dir: Path | None = None,
        lookback_hours: int = 24,
    ) -> None:
        self.location = location
        self.remote = location.startswith(("http://", "https://"))
        self.client = client
        self.cache_dir = cache_dir
        self.lookback_hours = lookback_hours
        self.name = "cnemc"

    def pending(self, cursor: str | None, now: datetime) -> list[WatchItem]:
        if not self.remote:
            files = sorted(
                path for path in Path(self.location).glob("*.csv") if _HOURLY_NAME.match(path.stem)
            )
            return [_cnemc_item(path) for path in files if cursor is None or path.stem > cursor]
        return self._remote(cursor, now)

    def _remote(self, cursor: str | None, now: datetime) -> list[WatchItem]:
        assert self.client is not None and self.cache_dir is not None
        local_now = now.astimezone(_CHINA_STANDARD_TIME).replace(
            minute=0, second=0, microsecond=0, tzinfo=None
        )
        hour = (
            datetime.strptime(cursor, "%Y-%m-%dT%H") + timedelta(hours=1)
            if cursor
            else local_now - timedelta(hours=self.lookback_hours)
        )
        items = []
        while hour <= local_now:
            name = f"{hour:%Y-%m-%dT%H}.csv"
            target = self.cache_dir / "cnemc" / name
            try:
                if not target.is_file():
                    self.client.download(f"{self.location.rstrip('/')}/{name}", target)
            except HttpError as error:
                if error.not_found:
                    break
                raise
            items.append(_cnemc_item(target))
            hour += timedelta(hours=1)
        return items


class OpenAQSource:
    """Hourly means of OpenAQ locations; see the module docstring."""

    def __init__(
        self,
        client: OpenAQClient,
        location_ids: Sequence[int],
        *,
        lookback: timedelta = timedelta(days=1),
        late_margin: timedelta = timedelta(hours=6),
    ) -> None:
        self.client = client
        self.location_ids = sorted(location_ids)
        self.lookback = lookback
        self.late_margin = late_margin
        self.name = "openaq"

    def pending(self, cursor: str | None, now: datetime) -> list[WatchItem]:
        end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        start = datetime.fromisoformat(cursor) - self.late_margin if cursor else end - self.lookback
        if start >= end:
            return []

        def load() -> tuple[ParsedInput, str, dict[str, Any]]:
            parts = [self.client.fetch_location(location, start, end) for location in self.location_ids]
            digest = hashlib.sha256("".join(part_digest for _, part_digest in parts).encode()).hexdigest()
            return _combine([parsed for parsed, _ in parts]), digest, {"format": "openaq", "parser": 1}

        return [WatchItem(end.isoformat(), load)]


def _combine(parts: Sequence[ParsedInput]) -> ParsedInput:
    readings = pa.concat_tables([part.readings for part in parts])
    stations = stations_table([row for part in parts for row in part.stations.to_pylist()])
    return ParsedInput(
        source="openaq",
        input_name="openaq " + ",".join(part.input_name.rsplit(" ", 1)[-1] for part in parts),
        readings=readings,
        stations=stations,
        rows_read=sum(part.rows_read for part in parts),
        messages=[message for part in parts for message in part.messages],
        rows_rejected=sum(part.rows_rejected for part in parts),
    )
