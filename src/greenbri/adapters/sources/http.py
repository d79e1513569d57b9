"""The one HTTP client every connector uses.

:class:`HttpClient` wraps :class:`httpx.Client` and adds what upstream data
portals need: a User-Agent naming greenbri, timeouts, retries with exponential
backoff and jitter on connection/read errors, HTTP 429 and 5xx (honouring
``Retry-After``), and downloads that stream into a temporary file next to the
destination and are renamed into place only when complete, so an interrupted
download never leaves a partial file under the final name.

Everything that touches the outside world is injectable: ``transport`` (an
:class:`httpx.MockTransport` in tests), ``sleep`` and ``random``, so tests
neither use the network nor wait.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import random as _random
import tempfile
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path
from typing import Any

import httpx

from greenbri.core.errors import DownloadError, SourceError

__all__ = [
    "DEFAULT_USER_AGENT",
    "HttpClient",
    "HttpError",
    "ProgressCallback",
    "RetryPolicy",
]

#: Called as ``progress(bytes_done, bytes_total_or_None)`` while a download streams.
ProgressCallback = Callable[[int, int | None], None]

try:  # the installed version; the User-Agent carries it.
    _VERSION = _dist_version("greenbri")
except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
    _VERSION = "dev"

DEFAULT_USER_AGENT = (
    f"greenbri/{_VERSION} (eco-environmental data platform for green Belt and Road cooperation; "
    f"python-httpx/{httpx.__version__})"
)

_MIRROR_HINT = (
    "check the network connection (and HTTPS_PROXY if you use a proxy), or set GREENBRI_MIRROR "
    "to a directory or base URL that holds a copy of the data."
)
_CHUNK = 1 << 16


class HttpError(DownloadError):
    """An HTTP request failed (after its retries, when the failure was retryable).

    It is a :class:`~greenbri.core.errors.DownloadError`; the attributes let callers
    tell "the server has no such file" (``status`` 404/410) from "the server is down".

    Attributes
    ----------
    url
        The URL requested (with its query string).
    status
        The last HTTP status received, or None when no response came back.
    attempts
        How many requests were made.
    """

    def __init__(
        self, message: str, *, url: str, status: int | None, attempts: int, hint: str | None = None
    ) -> None:
        self.url = url
        self.status = status
        self.attempts = attempts
        super().__init__(message, hint=hint)

    @property
    def not_found(self) -> bool:
        """True when the server answered that the file does not exist (404/410)."""
        return self.status in (404, 410)


class RetryPolicy:
    """When and how long to wait before trying a request again.

    The n-th retry waits ``min(backoff_max, backoff_base * 2**(n-1))`` seconds scaled by
    a jitter factor in ``[0.5, 1.0)`` from ``random()``. A ``Retry-After`` header
    (seconds or an HTTP date) replaces the backoff, capped at ``retry_after_max``.
    """

    def __init__(
        self,
        *,
        max_attempts: int = 4,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        random: Callable[[], float] = _random.random,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self._random = random
        self._now = now

    def is_retryable_status(self, status: int) -> bool:
        """429 Too Many Requests and every 5xx server error are worth another try."""
        return status == 429 or 500 <= status <= 599

    def delay(self, retry_number: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1 for the first retry)."""
        if retry_after is not None:
            seconds = self.parse_retry_after(retry_after)
            if seconds is not None:
                return min(seconds, self.retry_after_max)
        backoff = min(self.backoff_max, self.backoff_base * 2.0 ** (retry_number - 1))
        return float(backoff * (0.5 + 0.5 * self._random()))

    def parse_retry_after(self, value: str) -> float | None:
        """``Retry-After`` as seconds from now (never negative), or None if unparsable."""
        value = value.strip()
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - self._now()).total_seconds())


class HttpClient:
    """HTTP access for connectors: JSON APIs and file downloads, with retries.

    Parameters
    ----------
    transport
        An httpx transport; tests pass :class:`httpx.MockTransport`. None uses the network.
    timeout, connect_timeout
        Seconds to wait for data (read/write/pool) and for a connection.
    max_attempts
        Requests made at most for one call (first try included).
    backoff_base, backoff_max, retry_after_max
        See :class:`RetryPolicy`.
    sleep, random
        Injectable ``time.sleep`` and ``random.random``.
    user_agent, headers
        Sent with every request; the default User-Agent names greenbri.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 15.0,
        max_attempts: int = 4,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        user_agent: str = DEFAULT_USER_AGENT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.policy = RetryPolicy(
            max_attempts=max_attempts,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            random=random,
        )
        self._sleep = sleep
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent, **(headers or {})},
            follow_redirects=True,
        )

    @property
    def max_attempts(self) -> int:
        return self.policy.max_attempts

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public API -------------------------------------------------------------------

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` and return its decoded JSON body.

        Raises :class:`HttpError` (a DownloadError) when the request fails after its
        retries and :class:`~greenbri.core.errors.SourceError` when the body is not JSON.
        """

        def attempt(request: httpx.Request) -> httpx.Response:
            response = self._client.send(request)  # reads the whole body
            self._check_status(response)
            return response

        response = self._with_retries(url, params, {"Accept": "application/json"}, attempt)
        try:
            return response.json()
        except ValueError as exc:
            snippet = response.text[:200].replace("\n", " ")
            raise SourceError(
                f"{response.request.url} did not return JSON ({exc}); it began with {snippet!r}.",
                hint="check the URL and its parameters; the service may be down or have changed its API.",
            ) from None

    def download(
        self,
        url: str,
        dest: Path,
        progress: ProgressCallback | None = None,
        *,
        params: Mapping[str, Any] | None = None,
    ) -> Path:
        """Stream ``url`` into ``dest`` and return ``dest``.

        The body goes to a temporary file in ``dest``'s folder, which is renamed to
        ``dest`` once complete; on any failure the temporary file is removed and an
        existing ``dest`` is left as it was. ``progress(done, total)`` is called after
        each chunk (``total`` is None when the server does not say).
        """
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)

        def attempt(request: httpx.Request) -> Path:
            response = self._client.send(request, stream=True)
            try:
                self._check_status(response)
                self._stream_to(response, dest, progress)
            finally:
                response.close()
            return dest

        result: Path = self._with_retries(url, params, None, attempt)
        return result

    # -- internals --------------------------------------------------------------------

    def _check_status(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            raise _StatusError(response)

    def _stream_to(self, response: httpx.Response, dest: Path, progress: ProgressCallback | None) -> None:
        total: int | None = None
        length = response.headers.get("Content-Length")
        # With Content-Encoding the length counts encoded bytes, not the bytes we write.
        if length and length.isdigit() and not response.headers.get("Content-Encoding"):
            total = int(length)
        try:
            handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
        except OSError as exc:
            raise SourceError(
                f"Cannot write the download of {response.request.url} into {dest.parent}: {exc}.",
                hint="choose a writable cache directory (GREENBRI_CACHE_DIR) with enough free space.",
            ) from None
        temp = Path(temp_name)
        done = 0
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in response.iter_bytes(_CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
                out.flush()
                os.fsync(out.fileno())
            if total is not None and done != total:
                raise httpx.RemoteProtocolError(
                    f"connection closed after {done} of {total} bytes", request=response.request
                )
            os.replace(temp, dest)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise SourceError(
                f"Cannot write the download of {response.request.url} to {dest}: {exc}.",
                hint="choose a writable cache directory (GREENBRI_CACHE_DIR) with enough free space.",
            ) from None
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise

    def _with_retries(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        attempt: Callable[[httpx.Request], Any],
    ) -> Any:
        try:
            request = self._client.build_request("GET", url, params=params, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise HttpError(
                f"Cannot request {url!r}: {exc}.",
                url=url,
                status=None,
                attempts=0,
                hint="use an absolute http:// or https:// URL.",
            ) from None
        full_url = str(request.url)
        if request.url.scheme not in ("http", "https") or not request.url.host:
            raise HttpError(
                f"Cannot request {url!r}: it is not an absolute http(s) URL.",
                url=full_url,
                status=None,
                attempts=0,
                hint="use an absolute http:// or https:// URL.",
            )
        last_status: int | None = None
        last_problem = ""
        for number in range(1, self.policy.max_attempts + 1):
            retry_after: str | None = None
            try:
                return attempt(request)
            except _StatusError as failure:
                response = failure.response
                last_status = response.status_code
                last_problem = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                if not self.policy.is_retryable_status(response.status_code):
                    raise self._failure(
                        full_url, last_status, number, last_problem, retryable=False
                    ) from None
                retry_after = response.headers.get("Retry-After")
            except httpx.UnsupportedProtocol as exc:
                raise HttpError(
                    f"Cannot request {full_url}: {exc}.",
                    url=full_url,
                    status=None,
                    attempts=number,
                    hint="use an http:// or https:// URL.",
                ) from None
            except (httpx.DecodingError, httpx.TooManyRedirects) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                raise self._failure(full_url, None, number, problem, retryable=False) from None
            except httpx.TransportError as exc:  # connect/read/write errors, timeouts, broken streams
                last_status = None
                last_problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if number < self.policy.max_attempts:
                self._sleep(self.policy.delay(number, retry_after))
        raise self._failure(full_url, last_status, self.policy.max_attempts, last_problem, retryable=True)

    def _failure(
        self, url: str, status: int | None, attempts: int, problem: str, *, retryable: bool
    ) -> HttpError:
        plural = "attempt" if attempts == 1 else "attempts"
        status_text = f"HTTP status {status}" if status is not None else "no HTTP response"
        message = f"GET {url} failed after {attempts} {plural} ({status_text}; last error: {problem})."
        if status in (404, 410):
            hint = (
                "the server has no file at this URL: check the name or version in the URL; "
                f"or set GREENBRI_MIRROR to a directory or base URL that holds a copy. ({_MIRROR_HINT})"
            )
        elif status in (401, 403):
            hint = (
                "the server refused access: the file may need a login or accepted terms of use; "
                "download it yourself and pass its path, or set GREENBRI_MIRROR."
            )
        elif retryable:
            hint = f"the server or network kept failing; try again later, or {_MIRROR_HINT}"
        else:
            hint = _MIRROR_HINT
        return HttpError(message, url=url, status=status, attempts=attempts, hint=hint)


class _StatusError(Exception):
    """Internal: a response with status >= 400, carried to the retry loop."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        super().__init__(response.status_code)
