"""Access control: a restricted dataset is invisible and unreadable to anonymous and other-org keys
on every endpoint (listings, search, DCAT, OGC, tiles, downloads, screening), and answers exactly
like a missing one; keys of its organisation and admins read it; revoked keys are refused."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote_plus, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.api.conftest import RESTRICTED, header

from greenbri.services.api.audit import redact_query

SECRET_WORDS = (RESTRICTED, "Secret wetland", "甲机构", "org-a")
#: Every endpoint that names or reads one dataset; {id} is the dataset.
READS = (
    "/v1/datasets/{id}",
    "/v1/datasets/{id}/versions",
    "/v1/datasets/{id}/download?format=geojson",
    "/v1/datasets/{id}/download?format=csv",
    "/v1/datasets/{id}/download?format=geoparquet",
    "/collections/{id}",
    "/collections/{id}/items",
    "/collections/{id}/items?bbox=116,39,117,40",
    "/collections/{id}/items/1",
    "/tiles/{id}/tilejson.json",
    "/tiles/{id}/0/0/0.mvt",
    "/tiles/{id}/10/843/388.mvt",
)
LISTINGS = (
    "/v1/datasets",
    "/v1/datasets?q=secret",
    "/v1/datasets?q=reserves",
    "/v1/catalog.jsonld",
    "/collections",
)
PROJECT = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [116.40, 39.90]},
    "properties": {
        "id": "P1",
        "name": "Test plant",
        "sector": "solar_power",
        "status": "planned",
        "country": "CHN",
    },
}


def _outsiders(keys):
    return {"anonymous": None, "viewer of org-b": keys.viewer_b}


@pytest.mark.parametrize("path", READS)
def test_restricted_reads_answer_like_missing_ones_for_outsiders(client, keys, path) -> None:
    for who, token in _outsiders(keys).items():
        hidden = client.get(path.format(id=RESTRICTED), headers=header(token))
        missing = client.get(path.format(id="no-such-layer"), headers=header(token))
        assert hidden.status_code == missing.status_code == 404, who
        assert hidden.headers["content-type"] == "application/problem+json"
        scrub = hidden.json() | {"detail": "", "instance": ""}
        assert scrub == missing.json() | {"detail": "", "instance": ""}, who
        assert (
            hidden.text.replace(RESTRICTED, "no-such-layer").replace("/" + RESTRICTED, "/no-such-layer")
            == missing.text
        ), who


@pytest.mark.parametrize("path", LISTINGS)
def test_restricted_never_listed_for_outsiders(client, keys, path) -> None:
    for who, token in _outsiders(keys).items():
        text = client.get(path, headers=header(token)).text
        assert not [word for word in SECRET_WORDS if word in text], who


@pytest.mark.parametrize("path", READS)
def test_restricted_readable_by_its_organisation_and_admin(client, keys, path) -> None:
    for token in (keys.viewer_a, keys.analyst_a, keys.admin):
        response = client.get(path.format(id=RESTRICTED), headers=header(token))
        assert response.status_code == 200, (path, response.text[:200])
        assert response.headers["cache-control"].startswith("private")


def test_listings_include_restricted_for_insiders(client, keys) -> None:
    for token in (keys.viewer_a, keys.admin):
        assert RESTRICTED in client.get("/collections", headers=header(token)).text
        assert RESTRICTED in client.get("/v1/datasets?q=reserves", headers=header(token)).text
        assert RESTRICTED in client.get("/v1/catalog.jsonld", headers=header(token)).text


def test_tiles_of_insiders_carry_features_outsiders_get_nothing(client, keys) -> None:
    tile = client.get(f"/tiles/{RESTRICTED}/0/0/0.mvt", headers=header(keys.viewer_a))
    assert tile.status_code == 200 and len(tile.content) > 0


def test_screening_uses_restricted_layers_only_for_insiders(client, keys) -> None:
    outsider = client.post("/v1/screenings", json=PROJECT, headers=header(keys.viewer_b))
    anonymous = client.post("/v1/screenings", json=PROJECT)
    insider = client.post("/v1/screenings", json=PROJECT, headers=header(keys.viewer_a))
    assert outsider.status_code == anonymous.status_code == insider.status_code == 200
    for response in (outsider, anonymous):
        assert not [word for word in SECRET_WORDS if word in response.text]
    assert RESTRICTED in insider.text and "Secret wetland reserve" in insider.text


def test_bad_and_revoked_keys_are_refused(client, keys) -> None:
    for token in (keys.revoked, "gb_123_nonsense", "not-a-key"):
        response = client.get("/collections", headers=header(token))
        assert response.status_code == 401
        assert response.json()["type"].endswith("unauthorized")
    bearer = client.get("/v1/whoami", headers={"Authorization": f"Bearer {keys.viewer_a}"}).json()
    assert bearer["role"] == "viewer" and bearer["organisation"] == "org-a"


def test_key_management_needs_admin(client, keys) -> None:
    assert client.get("/v1/keys").status_code == 401
    assert client.get("/v1/keys", headers=header(keys.analyst_a)).status_code == 403
    created = client.post(
        "/v1/keys",
        json={"name": "temp", "role": "viewer", "organisation": "org-c"},
        headers=header(keys.admin),
    )
    assert created.status_code == 201
    token, key_id = created.json()["token"], created.json()["id"]
    listed = client.get("/v1/keys", headers=header(keys.admin)).text
    assert key_id in listed and token not in listed and "digest" not in listed
    assert client.get("/v1/whoami", headers=header(token)).status_code == 200
    assert client.delete(f"/v1/keys/{key_id}", headers=header(keys.admin)).json()["revoked_at"]
    assert client.get("/v1/whoami", headers=header(token)).status_code == 401


def test_keys_are_stored_hashed(api_settings, keys) -> None:
    text = (api_settings.data_dir / "access" / "keys.json").read_text()
    for token in (keys.admin, keys.viewer_a):
        assert token not in text and token.split("_", 2)[2] not in text


def test_audit_log_records_writes_and_restricted_reads(client, keys, api_settings) -> None:
    client.get(f"/collections/{RESTRICTED}/items", headers=header(keys.viewer_a))
    client.post("/v1/keys", json={"name": "audit", "role": "viewer"}, headers=header(keys.admin))
    lines = [
        json.loads(line)
        for path in sorted((api_settings.data_dir / "audit").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    reads = [line for line in lines if line["kind"] == "restricted-read"]
    writes = [line for line in lines if line["kind"] == "write" and line["path"] == "/v1/keys"]
    assert reads and reads[-1]["resource"] == f"dataset:{RESTRICTED}" and reads[-1]["organisation"] == "org-a"
    assert writes and writes[-1]["status"] == 201 and writes[-1]["role"] == "admin"
    public = [line for line in lines if line["path"] == "/collections/countries/items"]
    assert not public  # public reads are not audited


def test_audit_log_never_holds_a_token(client, keys, api_settings) -> None:
    """A key sent in the query (``?api_key=``, not the way to send it) or pasted into any parameter
    is redacted in the audit log; the request is still logged with the rest of its query."""
    client.post(f"/v1/keys?api_key={keys.admin}&note=rotate", json={"name": "q", "role": "viewer"}, headers=header(keys.admin))  # fmt: skip
    client.get(f"/collections/{RESTRICTED}/items?limit=1&q={keys.viewer_a}", headers=header(keys.viewer_a))
    text = "".join(path.read_text() for path in sorted((api_settings.data_dir / "audit").glob("*.jsonl")))
    for token in (keys.admin, keys.viewer_a):
        assert token not in text and token.split("_", 2)[2] not in text
    assert "api_key=[redacted]&note=rotate" in text and "limit=1&q=[redacted]" in text


@given(
    name=st.sampled_from(["api_key", "API-KEY", "token", "access_token", "q", "anything"]),
    key_id=st.from_regex(r"[0-9a-f]{12}", fullmatch=True),
    secret=st.from_regex(r"[A-Za-z0-9_-]{43}", fullmatch=True),
    other=st.text(alphabet="abcxyz019", max_size=8),
)
def test_redact_query_removes_every_token(name, key_id, secret, other) -> None:
    query = urlencode([("limit", other), (name, f"gb_{key_id}_{secret}")])
    redacted = redact_query(query)
    assert secret not in redacted and f"{name}=" in unquote_plus(redacted)
    if other:  # the rest of the query is kept
        assert parse_qsl(redacted)[0] == ("limit", other)
