"""Rate limits per key (and per address for anonymous requests), answered with 429 and Retry-After."""

from __future__ import annotations

from tests.api.conftest import TestClient

from greenbri.services.api.access import KeyStore
from greenbri.services.api.context import ApiOptions
from greenbri.services.api.limits import RateLimiter


def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.take("k", 60) for _ in range(15)] == [0] * 15  # a quarter-minute burst
    assert limiter.take("k", 60) == 1
    now[0] += 2.0
    assert limiter.take("k", 60) == 0 and limiter.take("k", 60) == 0 and limiter.take("k", 60) == 1
    assert limiter.take("other", 60) == 0


def test_429_problem_with_retry_after_per_key(api_settings) -> None:
    from greenbri.services.api import create_app

    _, slow = KeyStore(api_settings.data_dir / "access").create("slow", "viewer", rate_per_minute=4)
    app = create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=8))
    client = TestClient(app)
    statuses = [client.get("/conformance", headers={"X-API-Key": slow}).status_code for _ in range(3)]
    assert statuses == [200, 429, 429]
    limited = client.get("/conformance", headers={"X-API-Key": slow})
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1 and limited.json()["status"] == 429
    anonymous = [client.get("/conformance").status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]
