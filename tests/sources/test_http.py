"""HttpClient: retries, back-off, Retry-After, errors and atomic downloads (all on MockTransport)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from greenbri.adapters.sources.http import HttpError, RetryPolicy
from greenbri.core.errors import DownloadError, SourceError

URL = "https://api.example.org/v2/data"


Step = Callable[[], httpx.Response] | httpx.Response | Exception


class Script:
    """A handler that answers with the next scripted step and logs requests; the last step repeats.

    A step is a response, an exception to raise, or a function making a fresh response
    (needed for streamed bodies, which can be read only once).
    """

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if callable(step):
            return step()
        return step


def broken_stream() -> httpx.Response:
    return httpx.Response(200, stream=BreaksMidStream())


class BreaksMidStream(httpx.SyncByteStream):
    """A body that sends some bytes, then loses the connection."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"first part of the file, "
        raise httpx.ReadError("connection reset by peer")


def test_get_json_retries_503_then_succeeds(client_factory):
    script = Script(httpx.Response(503, text="busy"), httpx.Response(200, json={"ok": True}))
    client = client_factory(script, backoff_base=2.0)
    assert client.get_json(URL, {"page": 1}) == {"ok": True}
    assert len(script.requests) == 2
    assert script.requests[0].url.params["page"] == "1"
    # one wait: base 2 s for the first retry, scaled by the jitter factor 0.5 + 0.5 * 0.5
    assert client_factory.sleeps == [pytest.approx(1.5)]


def test_retry_after_seconds_is_honoured(client_factory):
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json=[1]))
    client = client_factory(script)
    assert client.get_json(URL) == [1]
    assert client_factory.sleeps == [3.0]


def test_retry_after_is_capped(client_factory):
    script = Script(httpx.Response(503, headers={"Retry-After": "86400"}), httpx.Response(200, json=[]))
    client = client_factory(script, retry_after_max=20.0)
    client.get_json(URL)
    assert client_factory.sleeps == [20.0]


def test_retry_after_http_date():
    now = datetime(2026, 11, 5, 12, 0, 0, tzinfo=UTC)
    policy = RetryPolicy(now=lambda: now)
    assert policy.parse_retry_after("Thu, 05 Nov 2026 12:00:42 GMT") == pytest.approx(42.0)
    assert policy.parse_retry_after("Thu, 05 Nov 2026 11:00:00 GMT") == 0.0  # in the past: no wait
    assert policy.parse_retry_after("soon") is None
    assert policy.delay(1, "Thu, 05 Nov 2026 12:00:42 GMT") == pytest.approx(42.0)


def test_backoff_grows_exponentially_with_jitter():
    policy = RetryPolicy(backoff_base=1.0, backoff_max=5.0, random=lambda: 0.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 2.5, 2.5]
    policy = RetryPolicy(backoff_base=1.0, backoff_max=5.0, random=lambda: 0.999)
    assert policy.delay(3) == pytest.approx(4.0, abs=0.01)


def test_exhausted_retries_raise_download_error_naming_url_status_and_attempts(client_factory):
    script = Script(httpx.Response(503, text="Service Unavailable"))
    client = client_factory(script, max_attempts=3)
    with pytest.raises(DownloadError) as caught:
        client.get_json(URL, {"page": 2})
    error = caught.value
    assert isinstance(error, HttpError)
    assert (error.status, error.attempts) == (503, 3)
    text = str(error)
    assert f"{URL}?page=2" in text
    assert "503" in text
    assert "3 attempts" in text
    assert "GREENBRI_MIRROR" in text
    assert len(script.requests) == 3
    assert len(client_factory.sleeps) == 2


def test_connection_errors_are_retried(client_factory):
    script = Script(httpx.ConnectError("name resolution failed"), httpx.Response(200, json={"a": 1}))
    assert client_factory(script).get_json(URL) == {"a": 1}
    assert len(script.requests) == 2


def test_persistent_connection_error_says_no_response(client_factory):
    script = Script(httpx.ConnectTimeout("timed out"))
    with pytest.raises(HttpError) as caught:
        client_factory(script, max_attempts=2).get_json(URL)
    assert caught.value.status is None
    assert "no HTTP response" in str(caught.value)
    assert "ConnectTimeout" in str(caught.value)


def test_404_is_not_retried(client_factory):
    script = Script(httpx.Response(404))
    with pytest.raises(HttpError) as caught:
        client_factory(script).get_json(URL)
    assert caught.value.not_found
    assert caught.value.attempts == 1
    assert len(script.requests) == 1
    assert client_factory.sleeps == []


def test_user_agent_names_greenbri(client_factory):
    script = Script(httpx.Response(200, json={}))
    client_factory(script).get_json(URL)
    assert script.requests[0].headers["User-Agent"].startswith("greenbri/")


def test_body_that_is_not_json_is_a_source_error(client_factory):
    script = Script(httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(SourceError, match="did not return JSON"):
        client_factory(script).get_json(URL)


def test_relative_url_is_refused(client_factory):
    with pytest.raises(HttpError, match="Cannot request"):
        client_factory().get_json("not-a-url/data.csv")


def test_download_streams_into_place_with_progress(client_factory, tmp_path: Path):
    body = b"x" * 200_000
    script = Script(httpx.Response(200, content=body, headers={"Content-Length": str(len(body))}))
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "sub" / "file.zip"
    result = client_factory(script).download(URL, dest, lambda done, total: seen.append((done, total)))
    assert result == dest
    assert dest.read_bytes() == body
    assert seen[-1] == (len(body), len(body))
    assert [path.name for path in dest.parent.iterdir()] == ["file.zip"]


def test_failed_download_leaves_no_partial_file(client_factory, tmp_path: Path):
    script = Script(broken_stream)
    dest = tmp_path / "ne_10m_lakes.zip"
    with pytest.raises(DownloadError, match="ReadError"):
        client_factory(script, max_attempts=2).download(URL, dest)
    assert len(script.requests) == 2
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary part


def test_failed_download_keeps_the_previous_file(client_factory, tmp_path: Path):
    dest = tmp_path / "data.csv"
    dest.write_bytes(b"old complete copy")
    script = Script(broken_stream)
    with pytest.raises(DownloadError):
        client_factory(script, max_attempts=1).download(URL, dest)
    assert dest.read_bytes() == b"old complete copy"
    assert [path.name for path in tmp_path.iterdir()] == ["data.csv"]


def test_download_resumes_from_scratch_after_a_broken_stream(client_factory, tmp_path: Path):
    script = Script(broken_stream, httpx.Response(200, content=b"whole"))
    dest = tmp_path / "data.csv"
    client_factory(script).download(URL, dest)
    assert dest.read_bytes() == b"whole"
    assert len(client_factory.sleeps) == 1


def test_short_body_is_treated_as_a_broken_download(client_factory, tmp_path: Path):
    script = Script(httpx.Response(200, content=b"12345", headers={"Content-Length": "10"}))
    dest = tmp_path / "short.bin"
    with pytest.raises(DownloadError, match="5 of 10 bytes"):
        client_factory(script, max_attempts=2).download(URL, dest)
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []


def test_download_error_status_is_reported(client_factory, tmp_path: Path):
    script = Script(httpx.Response(403, text="Forbidden"))
    with pytest.raises(HttpError) as caught:
        client_factory(script).download(URL, tmp_path / "x.zip")
    assert caught.value.status == 403
    assert "terms of use" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
