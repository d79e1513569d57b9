"""OpenAQ API v3 (https://api.openaq.org/v3): locations, their sensors, and hourly measurements.

* Authentication: an API key in the ``X-API-Key`` header (free at https://explore.openaq.org/register).
* Paging: ``page`` / ``limit`` (at most 1000); the last page is the one with fewer than ``limit``
  results (``meta.found`` may be a number or a text such as ``">1000"``, so it is not relied on).
* Rate limits: HTTP 429 with ``x-ratelimit-reset`` (seconds until the window resets) and sometimes
  ``Retry-After``; :class:`RateLimitTransport` turns the former into the latter so the shared
  :class:`~greenbri.adapters.sources.http.HttpClient` waits exactly that long before retrying.
* Data: ``/sensors/{id}/hours`` gives hourly means; each result has ``period.datetimeFrom.utc``
  (start of the hour, stored as ``time_utc``), ``period.interval`` (``01:00:00`` -> ``1h``), the
  parameter's name and units, and ``flagInfo.hasFlags`` (stored as ``SOURCE_INVALID``).

Data licence: each location names its licence(s) in OpenAQ; most government data is open (see
https://docs.openaq.org/about/terms). Keep attribution to OpenAQ and the provider.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import httpx
import numpy as np
import pyarrow as pa
import pycountry

from greenbri.adapters.monitoring.batch import (
    ParsedInput,
    RowMessage,
    empty_readings,
    readings_block,
    stations_table,
)
from greenbri.adapters.monitoring.unit_choice import normalise_unit, storage_unit
from greenbri.adapters.sources.http import HttpClient
from greenbri.core.errors import InputError
from greenbri.core.monitoring.ingest_checks import point_flags
from greenbri.core.monitoring.readings import QaFlag

__all__ = ["OPENAQ_BASE_URL", "OPENAQ_PARAMETERS", "OpenAQClient", "RateLimitTransport", "parse_location"]

OPENAQ_BASE_URL = "https://api.openaq.org/v3"
SOURCE = "openaq"
#: OpenAQ parameter name -> greenbri parameter key (others are not ingested).
OPENAQ_PARAMETERS: dict[str, str] = {
    "pm25": "pm25",
    "pm10": "pm10",
    "o3": "o3",
    "no2": "no2",
    "so2": "so2",
    "co": "co",
    "temperature": "temperature",
}
_INTERVALS = {"01:00:00": "1h", "08:00:00": "8h", "24:00:00": "24h", "1 day": "24h"}
_PAGE_LIMIT = 1000


class RateLimitTransport(httpx.BaseTransport):
    """Adds ``Retry-After`` to a 429 response that only has ``x-ratelimit-reset``."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        reset = response.headers.get("x-ratelimit-reset")
        if response.status_code == 429 and reset and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = reset
        return response

    def close(self) -> None:
        self._inner.close()


class OpenAQClient:
    """A small OpenAQ v3 client; ``transport`` and ``sleep`` are injectable for offline tests."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = OPENAQ_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        max_attempts: int = 4,
        timeout: float = 60.0,
        sleep: Any = None,
        page_limit: int = _PAGE_LIMIT,
    ) -> None:
        if not api_key:
            raise InputError(
                "OpenAQ needs an API key.",
                hint="register at https://explore.openaq.org/register and set GREENBRI_OPENAQ_API_KEY.",
            )
        options: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.base_url = base_url.rstrip("/")
        self.page_limit = page_limit
        self.http = HttpClient(
            transport=RateLimitTransport(transport or httpx.HTTPTransport()),
            headers={"X-API-Key": api_key},
            max_attempts=max_attempts,
            timeout=timeout,
            **options,
        )

    def close(self) -> None:
        self.http.close()

    def pages(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every result of ``path``, following the pages."""
        page = 1
        while True:
            body = self.http.get_json(
                f"{self.base_url}{path}", {**(params or {}), "limit": self.page_limit, "page": page}
            )
            results = list(body.get("results", []))
            yield from results
            if len(results) < self.page_limit:
                return
            page += 1

    def location(self, location_id: int) -> dict[str, Any]:
        results = list(self.pages(f"/locations/{location_id}"))
        if not results:
            raise InputError(
                f"OpenAQ has no location {location_id}.", hint="check the id on explore.openaq.org."
            )
        return results[0]

    def sensors(self, location_id: int) -> list[dict[str, Any]]:
        return list(self.pages(f"/locations/{location_id}/sensors"))

    def hours(self, sensor_id: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Hourly means of one sensor with period start in ``[start, end)`` (UTC)."""
        params = {"datetime_from": start.isoformat(), "datetime_to": end.isoformat()}
        return list(self.pages(f"/sensors/{sensor_id}/hours", params))

    def fetch_location(self, location_id: int, start: datetime, end: datetime) -> tuple[ParsedInput, str]:
        """A location's hourly readings in ``[start, end)``, and a digest of the responses."""
        location = self.location(location_id)
        wanted = [s for s in location.get("sensors") or self.sensors(location_id) if _parameter(s)]
        measurements = {int(sensor["id"]): self.hours(int(sensor["id"]), start, end) for sensor in wanted}
        digest = hashlib.sha256(json.dumps([location, measurements], sort_keys=True).encode()).hexdigest()
        return parse_location(location, measurements), digest


def _parameter(sensor: Mapping[str, Any]) -> str | None:
    return OPENAQ_PARAMETERS.get(str(sensor.get("parameter", {}).get("name", "")))


def _alpha3(code: str | None) -> str | None:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.alpha_3 if country else code


def parse_location(
    location: Mapping[str, Any], measurements: Mapping[int, list[dict[str, Any]]]
) -> ParsedInput:
    """Readings and the station of one OpenAQ location from its sensors' hourly results."""
    station_id = f"openaq-{location['id']}"
    name = f"OpenAQ location {location['id']}"
    timezone = str(location.get("timezone") or "UTC")
    messages: list[RowMessage] = []
    blocks, parameters, rejected = [], set(), 0
    for sensor_id, results in sorted(measurements.items()):
        usable = []
        for result in results:
            averaging = _INTERVALS.get(str((result.get("period") or {}).get("interval")))
            if averaging is None:
                rejected += 1
                messages.append(
                    RowMessage(
                        name,
                        None,
                        f"sensor {sensor_id}: period {result.get('period')} is not 1h/8h/24h",
                        "rejected",
                    )
                )
                continue
            usable.append((result, averaging))
        for averaging in sorted({averaging for _, averaging in usable}):
            chosen = [result for result, period in usable if period == averaging]
            parameter_info = chosen[0]["parameter"]
            parameter = OPENAQ_PARAMETERS.get(parameter_info["name"])
            if parameter is None:
                continue
            unit, factor = storage_unit(parameter, normalise_unit(str(parameter_info["units"]), source=name))
            values = np.array([np.nan if r["value"] is None else float(r["value"]) for r in chosen]) * factor
            flags = point_flags(values, parameter, unit)
            flags[[bool((r.get("flagInfo") or {}).get("hasFlags")) for r in chosen]] |= np.int32(
                QaFlag.SOURCE_INVALID
            )
            times = np.array(
                [r["period"]["datetimeFrom"]["utc"].replace("Z", "") for r in chosen], dtype="datetime64[us]"
            )
            blocks.append(
                readings_block(
                    station_id=pa.repeat(pa.scalar(station_id), len(chosen)),
                    parameter=parameter,
                    time_utc=pa.array(times, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC")),
                    source_timezone=timezone,
                    averaging=averaging,
                    values=values,
                    unit=unit,
                    flags=flags,
                    source_row=np.zeros(len(chosen), np.int64),
                )
            )
            parameters.add(parameter)
    readings = pa.concat_tables(blocks) if blocks else empty_readings()
    return ParsedInput(
        source=SOURCE,
        input_name=name,
        readings=readings,
        stations=stations_table([_station(location, station_id, parameters)]),
        rows_read=sum(len(results) for results in measurements.values()),
        messages=messages,
        rows_rejected=rejected,
    )


def _station(location: Mapping[str, Any], station_id: str, parameters: set[str]) -> dict[str, Any]:
    coordinates = location.get("coordinates") or {}
    first = (location.get("datetimeFirst") or {}).get("utc")
    last = (location.get("datetimeLast") or {}).get("utc")
    operator = (location.get("owner") or {}).get("name") or (location.get("provider") or {}).get("name")
    return {
        "station_id": station_id,
        "name_en": location.get("name"),
        "longitude": coordinates.get("longitude"),
        "latitude": coordinates.get("latitude"),
        "country": _alpha3((location.get("country") or {}).get("code")),
        "city": location.get("locality"),
        "station_type": "reference monitor" if location.get("isMonitor") else "sensor",
        "operator": operator,
        "parameters": ",".join(sorted(parameters)) or None,
        "active_from": datetime.fromisoformat(first) if first else None,
        "active_to": datetime.fromisoformat(last) if last else None,
        "source": f"{SOURCE} (provider: {(location.get('provider') or {}).get('name')})",
    }
