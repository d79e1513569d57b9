"""Schemathesis against the OpenAPI document: no 5xx, and every response (status, content type,
body) is the one documented. Anonymous calls, so key management and jobs answer 401 (documented).

Schemathesis reads the document when this module is imported, before fixtures exist, so it talks
to a small forwarding app: first an app over an empty store (the document does not depend on the
data), then, for the tests, the app over the session's store."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from greenbri.config import load_settings
from greenbri.services.api import create_app
from greenbri.services.api.context import ApiOptions

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPTIONS = ApiOptions(anonymous_rate_per_minute=1_000_000)


class Forwarding:
    """An ASGI app that hands every call to ``target``."""

    def __init__(self, target: Any) -> None:
        self.target = target

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.target(scope, receive, send)


_EMPTY = tempfile.TemporaryDirectory(prefix="greenbri-openapi-")
FORWARDING = Forwarding(create_app(load_settings({"GREENBRI_DATA_DIR": _EMPTY.name}), options=OPTIONS))
schema = schemathesis.openapi.from_asgi("/openapi.json", FORWARDING)


@pytest.fixture(scope="module", autouse=True)
def _real_store(api_settings):
    empty = FORWARDING.target
    FORWARDING.target = create_app(api_settings, options=OPTIONS)
    yield
    FORWARDING.target = empty


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_conforms(case) -> None:
    case.call_and_validate(checks=CHECKS)
