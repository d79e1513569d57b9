"""Security headers on every response of the API and the dashboard.

- ``Content-Security-Policy``: only this origin's scripts, styles, images, fonts and fetches;
  MapLibre's web workers come from ``blob:`` URLs and its popups and the reports set inline
  styles (``'unsafe-inline'`` for styles only, never for scripts); images may be ``data:`` (the
  reports' figures, the favicon). Nothing may frame a page (``frame-ancestors 'none'``), no
  plugin runs (``object-src 'none'``), forms post only here. The interactive API page ``/docs``
  (FastAPI's Swagger UI, loaded from cdn.jsdelivr.net with an inline start-up script) gets that
  CDN and inline scripts, and nothing else more.
- ``X-Frame-Options: DENY`` (older browsers' ``frame-ancestors``), ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: no-referrer`` (no URL, and so no query, leaves in a Referer).

A pure ASGI middleware (headers added to ``http.response.start``), so streamed and file
responses get them too, and so do the 401 and 429 answers of the access middleware.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["CONTENT_SECURITY_POLICY", "DOCS_CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]

_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "child-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_SWAGGER_CDN = "https://cdn.jsdelivr.net"
_DOCS_DIRECTIVES = {
    **_DIRECTIVES,
    "script-src": f"'self' 'unsafe-inline' {_SWAGGER_CDN}",
    "style-src": f"'self' 'unsafe-inline' {_SWAGGER_CDN}",
    "img-src": "'self' data: https://fastapi.tiangolo.com",
}


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


CONTENT_SECURITY_POLICY = _policy(_DIRECTIVES)
DOCS_CONTENT_SECURITY_POLICY = _policy(_DOCS_DIRECTIVES)
_COMMON = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response (a header the app already set is kept)."""

    def __init__(self, app: Any, docs_paths: Iterable[str] = ("/docs", "/docs/oauth2-redirect")) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CONTENT_SECURITY_POLICY if scope["path"] in self.docs_paths else CONTENT_SECURITY_POLICY
        added = ((b"content-security-policy", policy.encode("ascii")), *_COMMON)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
