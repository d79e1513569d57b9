"""``/v1/monitoring/batches``: any key lists and shows batches; only an admin removes one, through the
same access rule as every route, and the removal is in the audit log (who, when, what)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.api.conftest import TestClient, header
from tests.monitoring.test_batches import MAPPING, _file, _values

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.config import load_settings
from greenbri.services.api.access import KeyStore
from greenbri.services.api.audit import AuditLog
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.monitoring.ingest import ingest_files


@pytest.fixture()
def batch_api(data_dir: Path, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    from greenbri.services.api import create_app

    store = ReadingsStore(data_dir)
    report = ingest_files(
        store, [_file(tmp_path, "wrong.csv", ["99", "98"])], format_name="table", mapping=MAPPING
    )
    keys = KeyStore(data_dir / "access")
    tokens = {role: keys.create(role, role, "org-a")[1] for role in ("admin", "analyst", "viewer")}
    app = create_app(load_settings(), options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with TestClient(app) as client:
        yield client, tokens, report.files[0].batch_id


def test_readers_list_and_show_batches(batch_api) -> None:
    client, tokens, batch = batch_api
    assert client.get("/v1/monitoring/batches").status_code == 401
    listed = client.get("/v1/monitoring/batches", headers=header(tokens["viewer"]))
    assert listed.status_code == 200 and [row["id"] for row in listed.json()] == [batch]
    shown = client.get(f"/v1/monitoring/batches/{batch}", headers=header(tokens["viewer"])).json()
    assert shown["input_name"] == "wrong.csv" and shown["rows"]["readings_stored"] == 2
    missing = client.get("/v1/monitoring/batches/table-0", headers=header(tokens["viewer"]))
    assert missing.status_code == 404 and missing.json()["type"].endswith("batch-not-found")


def test_only_an_admin_removes_a_batch_and_it_is_audited(batch_api, data_dir: Path, tmp_path: Path) -> None:
    client, tokens, batch = batch_api
    assert client.delete(f"/v1/monitoring/batches/{batch}").status_code == 401
    for role in ("viewer", "analyst"):
        assert (
            client.delete(f"/v1/monitoring/batches/{batch}", headers=header(tokens[role])).status_code == 403
        )
    store = ReadingsStore(data_dir)
    assert len(_values(store)) == 2
    removed = client.delete(f"/v1/monitoring/batches/{batch}", headers=header(tokens["admin"]))
    assert removed.status_code == 200 and removed.json()["readings_removed"] == 2
    assert _values(store) == [] and store.batches() == []
    changes = [
        line
        for line in AuditLog(data_dir / "audit").entries()
        if line.get("resource") == f"monitoring-batch:{batch}"
    ]
    request_line = next(line for line in changes if line.get("method") == "DELETE")
    change_line = next(line for line in changes if line.get("action") == "remove-monitoring-batch")
    admin_id = tokens["admin"].split("_")[1]
    assert request_line["key_id"] == admin_id and request_line["status"] == 200
    assert change_line["key_id"] == admin_id and change_line["readings_removed"] == 2
    assert change_line["input_name"] == "wrong.csv"
    corrected = ingest_files(
        store, [_file(tmp_path, "right.csv", ["9", "8"])], format_name="table", mapping=MAPPING
    )
    assert corrected.files[0].counts["readings_stored"] == 2
