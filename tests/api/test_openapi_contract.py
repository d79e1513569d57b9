"""Schemathesis against the OpenAPI document: no 5xx, and every response (status, content type,
body) is the one documented, for callers of every role: each example is sent anonymously or with
the key of one role (public, viewer and analyst of two organisations, admin), chosen from the
example's content (so a replayed or shrunk example keeps its caller as long as it keeps its
content), so keyed paths (key management, jobs, alerts, restricted layers) are exercised as well as
the 401s, within the same number of examples as before.

Schemathesis reads the document when this module is imported, before fixtures exist, so it talks
to a small forwarding app: first an app over an empty store (the document does not depend on the
data), then, for the tests, the app over the session's store."""

from __future__ import annotations

import tempfile
import zlib
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
from tests.api.conftest import header

from greenbri.config import load_settings
from greenbri.services.api import create_app
from greenbri.services.api.context import ApiOptions

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPTIONS = ApiOptions(anonymous_rate_per_minute=1_000_000)
#: Who sends each example: no key, or a key of the API fixture (tests/api/conftest.py ``Keys``).
CALLERS = ("anonymous", "public_a", "viewer_a", "viewer_b", "analyst_a", "analyst_b", "admin")


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


def caller_of(case: Any) -> str:
    content = repr((case.path_parameters, case.query, case.body, case.headers)).encode()
    return CALLERS[zlib.crc32(content) % len(CALLERS)]


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_conforms(case, keys) -> None:
    caller = caller_of(case)
    token = None if caller == "anonymous" else getattr(keys, caller)
    case.call_and_validate(headers=header(token), checks=CHECKS)


def test_the_api_definition_is_a_valid_openapi_30_document() -> None:
    """What GDAL and QGIS read at /api: valid OpenAPI 3.0 (openapi-spec-validator), with the items
    ``limit`` default and maximum they take their page size from."""
    from openapi_spec_validator import validate

    from greenbri.services.api.routers.ogc import DEFAULT_LIMIT, MAX_LIMIT

    document = FORWARDING.target.openapi()
    assert document["openapi"] == "3.0.3"
    validate(document)
    parameters = document["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    limit = next(parameter for parameter in parameters if parameter["name"] == "limit")
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (DEFAULT_LIMIT, MAX_LIMIT)
    language = next(parameter for parameter in parameters if parameter["name"] == "filter-lang")
    assert {"cql2-text", "cql2-json", "cql-text"} <= set(language["schema"]["enum"])
