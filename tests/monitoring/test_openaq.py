"""OpenAQ v3 client, offline: responses shaped like the documented v3 JSON, served by httpx.MockTransport."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from greenbri.adapters.monitoring.openaq import OpenAQClient
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.core.errors import DownloadError
from greenbri.core.monitoring.readings import QaFlag
from greenbri.usecases.monitoring.ingest import ingest_parsed

RECORDED = Path(__file__).parent / "recorded"
START, END = datetime(2024, 6, 3, 12, tzinfo=UTC), datetime(2024, 6, 3, 15, tzinfo=UTC)


def _body(name: str) -> dict:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


class Recorded:
    """Serves the recorded pages; the first call can be a 429 with x-ratelimit-reset."""

    def __init__(self, *, rate_limited: bool = False) -> None:
        self.requests: list[httpx.Request] = []
        self.rate_limited = rate_limited

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.rate_limited:
            self.rate_limited = False
            return httpx.Response(
                429, headers={"x-ratelimit-reset": "7"}, json={"detail": "Too many requests"}
            )
        path, page = request.url.path, request.url.params.get("page", "1")
        if path == "/v3/locations/2178":
            return httpx.Response(200, json=_body("openaq_location_2178.json"))
        sensor = path.split("/")[3]
        name = f"openaq_sensor_{sensor}_hours_page{page}.json"
        if (RECORDED / name).exists():
            return httpx.Response(200, json=_body(name))
        return httpx.Response(404, json={"detail": "Not Found"})


def _client(handler: Recorded, sleeps: list[float] | None = None) -> OpenAQClient:
    return OpenAQClient(
        "test-key",
        transport=httpx.MockTransport(handler),
        page_limit=2,
        sleep=(sleeps.append if sleeps is not None else None),
    )


def test_location_hours_are_paged_converted_and_flagged(data_dir: Path) -> None:
    handler = Recorded()
    parsed, digest = _client(handler).fetch_location(2178, START, END)
    assert all(request.headers["X-API-Key"] == "test-key" for request in handler.requests)
    pages = [r.url.params["page"] for r in handler.requests if "3917" in r.url.path]
    assert pages == ["1", "2"]
    assert not any("25227" in r.url.path for r in handler.requests)  # relative humidity is not fetched
    rows = {(r["parameter"], r["time_utc"].hour): r for r in parsed.readings.to_pylist()}
    assert rows[("pm25", 12)]["value"] == 6.2 and rows[("pm25", 12)]["unit"] == "ug/m3"
    assert rows[("pm25", 14)]["qa_flags"] == QaFlag.NEGATIVE | QaFlag.SOURCE_INVALID
    assert rows[("o3", 12)]["unit"] == "ppm"  # ppm -> ug/m3 needs reference conditions: kept as published
    assert {r["source_timezone"] for r in rows.values()} == {"America/Denver"}
    station = parsed.stations.to_pylist()[0]
    assert station["station_id"] == "openaq-2178" and station["country"] == "USA"
    assert station["active_from"] == datetime(2016, 3, 6, 19, tzinfo=UTC)
    store = ReadingsStore(data_dir)
    first = ingest_parsed(store, parsed, input_sha256=digest, options={"format": "openaq"})
    again = ingest_parsed(store, parsed, input_sha256=digest, options={"format": "openaq"})
    assert first.counts["readings_stored"] == 4 and not again.created


def test_rate_limit_waits_for_the_reset_then_retries() -> None:
    sleeps: list[float] = []
    handler = Recorded(rate_limited=True)
    parsed, _ = _client(handler, sleeps).fetch_location(2178, START, END)
    assert sleeps == [7.0]
    assert parsed.readings.num_rows == 4


def test_a_source_that_times_out_is_an_error_naming_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = OpenAQClient(
        "key", transport=httpx.MockTransport(handler), max_attempts=2, sleep=lambda seconds: None
    )
    with pytest.raises(DownloadError, match=r"api\.openaq\.org/v3/locations/2178.*2 attempts"):
        client.fetch_location(2178, START, END)
