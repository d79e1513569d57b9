"""Per-request access: who is asking (API key), rate limits, and the audit log of writes and restricted reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from greenbri.services.api.access import ANONYMOUS, AuthenticationError
from greenbri.services.api.context import ApiContext
from greenbri.services.api.problems import problem_response

__all__ = ["access_middleware"]

_SAFE = {"GET", "HEAD", "OPTIONS"}


def _token(request: Request) -> str | None:
    token = request.headers.get("x-api-key")
    if token:
        return token.strip()
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def access_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    context: ApiContext = request.app.state.context
    token = _token(request)
    try:
        principal = context.keys.authenticate(token) if token else ANONYMOUS
    except AuthenticationError as error:
        return problem_response(
            401,
            "unauthorized",
            str(error),
            hint="send a valid key in X-API-Key (or Authorization: Bearer), or none for public data.",
            instance=request.url.path,
        )
    client = request.client.host if request.client else "unknown"
    identity = principal.key_id or f"anonymous:{client}"
    rate = principal.rate_per_minute or context.options.anonymous_rate_per_minute
    wait = context.limiter.take(identity, rate)
    if wait:
        return problem_response(
            429,
            "rate-limited",
            f"More than {rate} requests per minute for this {'key' if principal.key_id else 'address'}.",
            hint=f"wait {wait} s (Retry-After), or ask an admin for a key with a higher rate.",
            instance=request.url.path,
            retry_after=wait,
        )
    request.state.principal = principal
    request.state.audit = None
    response = await call_next(request)
    if request.method not in _SAFE or request.state.audit:
        context.audit.record(
            {
                "key_id": principal.key_id or None,
                "role": principal.role.value,
                "organisation": principal.organisation or None,
                "client": client,
                "method": request.method,
                "path": request.url.path,
                "query": str(request.url.query) or None,
                "status": response.status_code,
                "resource": request.state.audit,
                "kind": "write" if request.method not in _SAFE else "restricted-read",
            }
        )
    return response
