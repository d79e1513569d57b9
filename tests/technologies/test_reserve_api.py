"""The reserve over HTTP: search for anyone, uploads for analysts and admins only (constructed fixtures)."""

from __future__ import annotations

import warnings
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning
from tests.conftest import StoreFactory
from tests.technologies.test_reserve import ENTRIES

from greenbri.config import load_settings
from greenbri.services.api.access import KeyStore
from greenbri.services.api.context import ApiOptions

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def test_search_and_role_checked_upload(tmp_path: Path, store_factory: StoreFactory) -> None:
    from greenbri.services.api import create_app

    settings = load_settings({**store_factory.environment(tmp_path / "store"), "HOME": str(tmp_path)})
    keys = KeyStore(settings.data_dir / "access")
    analyst = keys.create("a", "analyst", "org-a")[1]
    viewer = keys.create("v", "viewer", "org-a")[1]
    entries = [{**entry} for entry in ENTRIES]
    for entry in entries:
        for field in ("sectors", "abates", "deployments"):
            if field in entry:
                entry[field] = entry[field].split(",")
    with TestClient(create_app(settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))) as client:
        assert client.get("/v1/technologies", params={"q": "脱硫"}).json()["hits"] == []
        assert client.post("/v1/technologies", json=entries).status_code == 401
        assert client.post("/v1/technologies", json=entries, headers={"X-API-Key": viewer}).status_code == 403
        created = client.post("/v1/technologies", json=entries, headers={"X-API-Key": analyst})
        assert created.status_code == 201 and created.json()["added"] == 4
        bad = client.post("/v1/technologies", json=[{**entries[0], "id": "z", "source": ""}],
                          headers={"X-API-Key": analyst})  # fmt: skip
        assert bad.status_code == 400
        zh = [hit["id"] for hit in client.get("/v1/technologies", params={"q": "烟气脱硫"}).json()["hits"]]
        en = [
            hit["id"]
            for hit in client.get("/v1/technologies", params={"q": "flue gas desulfurization"}).json()["hits"]
        ]
        assert zh[0] == en[0] == "t-fgd"
