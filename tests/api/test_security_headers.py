"""Every response, of every kind (JSON, problem, 401, 429, tile, download, dashboard page and
script, API docs), carries a Content-Security-Policy, X-Frame-Options, nosniff and a Referrer-Policy.
That the dashboard and MapLibre work under the policy is tested in Chromium (tests/web)."""

from __future__ import annotations

import pytest
from tests.api.conftest import RESTRICTED, TestClient, header

from greenbri.services.api.context import ApiOptions

PATHS = (
    "/",
    "/v1/datasets",
    "/v1/datasets/no-such-layer",
    "/tiles/countries/0/0/0.mvt",
    "/v1/datasets/countries/download?format=csv",
    "/dashboard/",
    "/dashboard/app.js",
    "/openapi.json",
    "/docs",
)


def _check(response) -> str:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    return directives["script-src"]


@pytest.mark.parametrize("path", PATHS)
def test_every_kind_of_response_has_the_security_headers(client, path) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404), response.text[:200]
    scripts = _check(response)
    if path == "/docs":  # Swagger UI: its CDN and its inline start-up script, and nothing more
        assert scripts == "'self' 'unsafe-inline' https://cdn.jsdelivr.net"
    else:
        assert scripts == "'self'"


def test_refusals_have_them_too(client, keys, api_settings) -> None:
    _check(client.get("/v1/whoami", headers=header("gb_000000000000_wrong")))  # 401
    _check(client.get(f"/collections/{RESTRICTED}", headers=header(keys.viewer_b)))  # 404
    from greenbri.services.api import create_app

    limited = TestClient(create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=4)))
    statuses = [limited.get("/conformance") for _ in range(3)]
    assert statuses[-1].status_code == 429
    _check(statuses[-1])
