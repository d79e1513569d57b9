"""The authorisation walk: every route of the app (enumerated from ``app.routes``, so a new endpoint
cannot skip it), every screening-job report and every download format, called by each role in two
organisations. No response (body or headers) may name a restricted dataset its caller may not read.

Who may read what is written out here from docs/api.md, not taken from the product's rule: a
restricted dataset is readable by admins and by ``viewer``/``analyst`` keys of its organisation;
``public`` keys (even of that organisation) and anonymous callers see public data only.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route
from tests.api.conftest import RESTRICTED, RESTRICTED_B, TestClient, header

#: What each restricted layer would betray: id, titles, feature names (see tests/api/conftest.py).
SECRETS = {
    RESTRICTED: (RESTRICTED, "Org A reserves", "甲机构保护区", "Secret wetland reserve", "Hidden forest"),
    RESTRICTED_B: (RESTRICTED_B, "Org B sites", "乙机构场地", "Confidential quarry site"),
}
#: Caller -> the restricted layers docs/api.md lets it read.
READABLE = {
    "anonymous": set(),
    "public_a": set(),
    "viewer_a": {RESTRICTED},
    "analyst_a": {RESTRICTED},
    "viewer_b": {RESTRICTED_B},
    "analyst_b": {RESTRICTED_B},
    "admin": {RESTRICTED, RESTRICTED_B},
}
PROJECT = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [116.40, 39.90]},  # inside both restricted layers
    "properties": {
        "id": "P1",
        "name": "Walk plant",
        "sector": "solar_power",
        "status": "planned",
        "country": "CHN",
    },
}
DATASET_IDS = (RESTRICTED, RESTRICTED_B, "countries")
#: A plan item whose status history cites each organisation's restricted layer (fixture below).
PLAN_ITEM = "p2017.kp20"
#: Values for every path parameter of the API; a route with a parameter not named here fails the walk.
PATH_VALUES: dict[str, tuple[str, ...]] = {
    "collectionId": DATASET_IDS,
    "dataset_id": DATASET_IDS,
    "featureId": ("1",),
    "z": ("0",),
    "x": ("0",),
    "y": ("0",),
    "key_id": ("000000000000",),
    "standard_id": ("gb-3095-2012",),
    "indicator_id": ("pm25_exposure",),
    "group_id": ("bri_partners",),
    "iso3": ("CHN",),
    "station_id": ("cnemc-1001A",),
    "alert_id": ("no-such-alert",),
    "item_id": (PLAN_ITEM,),
    "batch_id": ("no-such-batch",),
    "country": ("CHN",),
    # job_id: filled from the jobs the two analysts ran (fixture below)
}
#: Query strings walked on top of the bare route (every export format; both reports' formats).
QUERIES = {
    "/v1/datasets/{dataset_id}/download": ("format=geojson", "format=csv", "format=geoparquet"),
    "/v1/screening-jobs/{job_id}/report": ("format=html", "format=pdf"),
    "/v1/datasets": ("q=reserves", "q=sites", "q=secret"),
    "/collections/{collectionId}/items": ("bbox=116,39,117,40",),
    "/v1/plans/evaluation": ("as_of=2099-12-31",),
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/screenings"): PROJECT,
    ("POST", "/v1/screening-jobs"): {"projects": [PROJECT], "formats": ["html"]},
    ("POST", "/v1/keys"): {"name": "walk", "role": "viewer", "organisation": "org-c"},
}


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    url: str


def every_route(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route, included routers and mounts too."""
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):  # an included router (FastAPI >= 0.120)
            for context in route.effective_route_contexts():
                for method in sorted(context.methods):
                    yield method, context.path
        elif isinstance(route, APIRoute | Route):
            for method in sorted(route.methods or {"GET"}):
                yield method, route.path
        elif isinstance(route, Mount):
            yield "GET", route.path + "/"
        else:
            pytest.fail(f"the walk does not know the route type {type(route).__name__}: teach every_route")


def _expand(template: str, values: dict[str, tuple[str, ...]]) -> list[str]:
    urls = [template]
    while "{" in urls[0]:
        name = urls[0].split("{", 1)[1].split("}", 1)[0]
        assert name in values, f"path parameter {name!r} of {template}: add its values to PATH_VALUES"
        urls = [url.replace("{" + name + "}", value, 1) for url in urls for value in values[name]]
    return urls


def _wait(client: Any, job_id: str, token: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = client.get(f"/v1/screening-jobs/{job_id}", headers=header(token)).json()["status"]
        if status in ("succeeded", "failed"):
            assert status == "succeeded", client.get(
                f"/v1/screening-jobs/{job_id}", headers=header(token)
            ).text
            return
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish in 180 s")


@pytest.fixture(scope="module")
def job_ids(client, keys) -> tuple[str, ...]:
    """One job of each organisation's analyst, both screening a project inside both restricted layers."""
    ids = []
    for token in (keys.analyst_a, keys.analyst_b):
        body = {"projects": [PROJECT], "formats": ["html", "pdf"]}
        response = client.post("/v1/screening-jobs", json=body, headers=header(token))
        assert response.status_code == 202, response.text
        ids.append(response.json()["id"])
        _wait(client, ids[-1], token)
    return tuple(ids)


@pytest.fixture(scope="module")
def plan_records(client, keys) -> None:
    """Each organisation's analyst records a plan status citing its own restricted layer as evidence."""
    for token, dataset in ((keys.analyst_a, RESTRICTED), (keys.analyst_b, RESTRICTED_B)):
        body = {
            "status": "in_progress",
            "evidence": [{"kind": "dataset_version", "reference": f"{dataset}@v1"}],
            "as_of": "2025-06-30" if dataset == RESTRICTED else "2025-07-31",
        }
        response = client.post(f"/v1/plans/items/{PLAN_ITEM}/records", json=body, headers=header(token))
        assert response.status_code == 201, response.text
    # a catalog result recorded by org A's analyst lists the catalog's versions: never org B's restricted one
    body = {"status": "in_progress", "evidence": [{"kind": "greenbri_result", "reference": "catalog"}],
            "as_of": "2025-08-31"}  # fmt: skip
    response = client.post(f"/v1/plans/items/{PLAN_ITEM}/records", json=body, headers=header(keys.analyst_a))
    assert response.status_code == 201, response.text
    assert not [word for word in SECRETS[RESTRICTED_B] if word in response.text], response.text


@pytest.fixture(scope="module")
def calls(client, job_ids, plan_records) -> list[Call]:
    values = {**PATH_VALUES, "job_id": job_ids}
    found = []
    for method, template in sorted(set(every_route(client.app))):
        for url in _expand(template, values):
            found.append(Call(method, template, url))
            found += [Call(method, template, f"{url}?{query}") for query in QUERIES.get(template, ())]
    return found


def _text(response: Any) -> str:
    """Headers and body as text (a PDF's extracted text)."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    if response.headers.get("content-type") == "application/pdf":
        pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
        return headers + "\n" + "\n".join(page.extract_text() or "" for page in pages)
    return headers + "\n" + response.content.decode("utf-8", errors="replace")


def _walk(client: Any, token: str | None, calls: list[Call]) -> dict[str, tuple[int, str]]:
    seen = {}
    for call in calls:
        response = client.request(
            call.method, call.url, headers=header(token), json=BODIES.get((call.method, call.template))
        )
        assert response.status_code < 500, (call, response.text[:300])
        seen[f"{call.method} {call.url}"] = (response.status_code, _text(response))
    return seen


def _leaks(seen: dict[str, tuple[int, str]], hidden: set[str]) -> list[tuple[str, str]]:
    """(call, word) for each secret of a ``hidden`` dataset in a response. A URL that names a hidden
    dataset may have its id echoed back (the caller typed it), but must not succeed."""
    found = []
    for where, (status, text) in seen.items():
        for dataset in sorted(hidden):
            named = dataset in where
            if named and status < 400:
                found.append((where, f"status {status}"))
            found += [
                (where, word) for word in SECRETS[dataset] if word in text and not (named and word == dataset)
            ]
    return found


def test_the_walk_covers_every_route(client, calls) -> None:
    templates = {call.template for call in calls}
    assert {
        "/v1/screening-jobs/{job_id}/report",
        "/tiles/{collectionId}/{z}/{x}/{y}.mvt",
        "/dashboard/",
    } <= templates
    assert len(templates) >= 50


@pytest.mark.parametrize("caller", sorted(READABLE))
def test_no_restricted_dataset_reaches_a_caller_who_may_not_read_it(client, keys, calls, caller) -> None:
    token = None if caller == "anonymous" else getattr(keys, caller)
    seen = _walk(client, token, calls)
    leaks = _leaks(seen, set(SECRETS) - READABLE[caller])
    assert not leaks, f"{caller} saw {len(leaks)} restricted things, e.g. {leaks[:8]}"
    # the walk reaches restricted data where it may: each reader lists its own layers' titles
    everything = "\n".join(text for _, text in seen.values())
    for dataset in READABLE[caller]:
        assert SECRETS[dataset][1] in everything, (caller, dataset)


def test_a_job_report_credits_only_what_the_job_used(client, keys, job_ids) -> None:
    """Each analyst's report lists its own organisation's layer and never the other's."""
    for job_id, token, own, other in zip(
        job_ids,
        (keys.analyst_a, keys.analyst_b),
        (RESTRICTED, RESTRICTED_B),
        (RESTRICTED_B, RESTRICTED),
        strict=True,
    ):
        report = client.get(f"/v1/screening-jobs/{job_id}/report?format=html", headers=header(token))
        pdf = client.get(f"/v1/screening-jobs/{job_id}/report?format=pdf", headers=header(token))
        for text in (report.text, _text(pdf)):
            assert own in text and other not in text


def test_an_app_takes_jobs_after_its_lifespan_ran_again(api_settings, keys) -> None:
    """ASGI clients (schemathesis, TestClient) run the app's lifespan per session; a second one used
    to find the job runner shut down and answer 500 to every job (found by the keyed schemathesis)."""
    from greenbri.services.api import create_app
    from greenbri.services.api.context import ApiOptions

    app = create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    for _ in range(2):
        with TestClient(app) as fresh:
            response = fresh.post(
                "/v1/screening-jobs", json={"projects": [PROJECT]}, headers=header(keys.analyst_a)
            )
            assert response.status_code == 202, response.text
