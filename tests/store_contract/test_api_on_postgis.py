"""The web API on the PostGIS store: catalog, OGC items, tiles and downloads read the server's catalog."""

from __future__ import annotations

import warnings
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning

from greenbri.bootstrap import build_dataset_store
from greenbri.config import load_settings
from greenbri.services.api import create_app
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.initialise import initialise_store

with warnings.catch_warnings():
    # Starlette's TestClient warns once at import that it will move to httpx2; it works as it is.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def test_the_api_serves_the_postgis_catalog(postgis_dsn: str, tmp_path: Path) -> None:
    settings = load_settings(
        {"GREENBRI_DATA_DIR": str(tmp_path / "data"), "GREENBRI_STORE": postgis_dsn, "HOME": str(tmp_path)}
    )
    store = build_dataset_store(settings)
    assert store.catalog_stamp() == "empty"
    initialise_store(store)
    stamp = store.catalog_stamp()
    assert stamp != "empty"
    app = create_app(settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with TestClient(app) as client:
        listed = client.get("/v1/datasets").json()
        ids = {row["id"] for row in listed["datasets"]}
        assert {"countries", "settlements", "admin1-subdivisions"} <= ids
        collections = {item["id"] for item in client.get("/collections").json()["collections"]}
        assert {"countries", "settlements"} <= collections
        items = client.get(
            "/collections/countries/items", params={"limit": 3, "bbox": "116,39,117,40"}
        ).json()
        assert [feature["properties"]["iso_a3"] for feature in items["features"]] == ["CHN"]
        tile = client.get("/tiles/countries/0/0/0.mvt")
        assert tile.status_code == 200 and len(tile.content) > 1_000
        download = client.get("/v1/datasets/settlements/download", params={"format": "csv"})
        assert download.status_code == 200 and download.text.count("\n") > 30_000
    # A new version changes the stamp the API's catalog cache keys on.
    store.delete("admin1-subdivisions")
    assert store.catalog_stamp() not in ("empty", stamp)
