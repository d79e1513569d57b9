"""The plans over HTTP: items for anyone, history and evaluation with a key, recording for analysts,
evidence of restricted datasets hidden from other organisations, bad input as problems."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.api.conftest import RESTRICTED, Keys, header

ITEM = "p2017.kp21"


def test_items_are_public_with_their_clauses(client: TestClient) -> None:
    response = client.get("/v1/plans/items", params={"document": "plan2017", "kind": "key_project"})
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 25 and rows[19]["name"]["zh"] == "“一带一路”生态环保大数据服务平台建设"
    assert client.get("/v1/plans/items/p2017.kp99").status_code == 404
    anonymous = client.get(f"/v1/plans/items/{ITEM}").json()
    assert anonymous["owners"] == "not stated" and anonymous["clause"] == "九、重大项目，表（类目 / 序号 21）"


def test_recording_needs_an_analyst_and_evidence(client: TestClient, keys: Keys) -> None:
    body = {"status": "in_progress", "evidence": [{"kind": "link", "reference": "https://example.org/r"}],
            "as_of": "2025-12-31"}  # fmt: skip
    assert client.post(f"/v1/plans/items/{ITEM}/records", json=body).status_code == 401
    assert (
        client.post(f"/v1/plans/items/{ITEM}/records", json=body, headers=header(keys.viewer_a)).status_code
        == 403
    )
    bare = client.post(
        f"/v1/plans/items/{ITEM}/records", json={"status": "completed"}, headers=header(keys.admin)
    )
    assert bare.status_code == 400 and "needs evidence" in bare.json()["detail"]
    file_evidence = {**body, "evidence": [{"kind": "document", "reference": "/etc/passwd"}]}
    refused = client.post(f"/v1/plans/items/{ITEM}/records", json=file_evidence, headers=header(keys.admin))
    assert refused.status_code == 400 and "not accepted over HTTP" in refused.json()["detail"]
    restricted = {**body, "evidence": [{"kind": "dataset_version", "reference": f"{RESTRICTED}@v1"}]}
    other_org = client.post(f"/v1/plans/items/{ITEM}/records", json=restricted, headers=header(keys.admin))
    assert other_org.status_code == 201, other_org.text
    stored = other_org.json()
    assert (
        stored["recorded_by"].startswith("api-key:") and stored["evidence"][0]["detail"]["feature_count"] == 2
    )
    history = client.get(f"/v1/plans/items/{ITEM}", headers=header(keys.viewer_b)).json()["history"]
    assert history[-1]["evidence"] == [{"kind": "dataset_version", "reference": "restricted", "detail": {}}]
    own = client.get(f"/v1/plans/items/{ITEM}", headers=header(keys.viewer_a)).json()["history"]
    assert own[-1]["evidence"][0]["reference"] == f"{RESTRICTED}@v1"
    public = client.get(f"/v1/plans/items/{ITEM}").json()["history"][-1]
    assert public["evidence"][0]["reference"] == "restricted" and public["recorded_by"] == "—"


def test_the_evaluation_reports_unknown_without_evidence(client: TestClient, keys: Keys) -> None:
    anonymous = client.get("/v1/plans/evaluation", params={"as_of": "2025-12-31"})
    assert anonymous.status_code == 200 and anonymous.json()["as_of"] == "2025-12-31"
    response = client.get(
        "/v1/plans/evaluation", params={"as_of": "2025-12-31"}, headers=header(keys.viewer_b)
    )
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["items"]}
    assert rows["p2017.kp17"]["status"] == "unknown" and rows["p2017.kp17"]["no_evidence"]
    assert "p2017.goal2025" in response.json()["overdue"]
    bad = client.get("/v1/plans/evaluation", params={"as_of": "end of 2025"}, headers=header(keys.viewer_b))
    assert bad.status_code in (400, 422)
