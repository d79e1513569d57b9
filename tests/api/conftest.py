"""A store with real layers (bundled reference layers, Natural Earth lakes through the mirror), a
public dated layer, a restricted layer owned by organisation ``org-a`` and one owned by ``org-b``
(both around central Beijing), and keys of every role in both organisations."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box
from starlette.exceptions import StarletteDeprecationWarning
from tests.conftest import StoreFactory

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.http import HttpClient
from greenbri.adapters.sources.mirror import Mirror
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.config import Settings, load_settings
from greenbri.core.catalog import AccessLevel, Bilingual, DatasetRecord, Provenance, ReceptorRole, Theme
from greenbri.services.api.access import KeyStore
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.datasets import fetch_dataset
from greenbri.usecases.initialise import initialise_store

with warnings.catch_warnings():
    # Starlette's TestClient warns, once at import, that it will move from httpx to httpx2 (a
    # package not in our registry lists); the client works as it is.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

RESTRICTED = "org-a-reserves"
#: The restricted layer of the second organisation (``org-b``).
RESTRICTED_B = "org-b-sites"
DATED = "sample-observations"
#: A polygon around central Beijing: a restricted receptor that a screened project there would hit.
RESTRICTED_BOX = box(116.30, 39.85, 116.50, 39.98)


def _provenance(name: str) -> Provenance:
    return Provenance(
        recorded_at="2024-01-01T00:00:00+00:00", command="tests/api", input_name=name, input_sha256=name * 2
    )


def _add_restricted(store: DatasetStore) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Secret wetland reserve", "Hidden forest"], "iucn_category": ["II", "IV"]},
        geometry=[RESTRICTED_BOX, box(100.0, 10.0, 100.5, 10.5)],
        crs="EPSG:4326",
    )
    record = DatasetRecord(
        id=RESTRICTED,
        title=Bilingual("Org A reserves", "甲机构保护区"),
        theme=Theme.PROTECTED_AREAS,
        receptor_role=ReceptorRole.PROTECTED_AREA,
        access=AccessLevel.RESTRICTED,
        organisation="org-a",
    )
    store.write_frame_version(record, _provenance("restricted"), frame)


def _add_restricted_b(store: DatasetStore) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Confidential quarry site"]}, geometry=[box(116.35, 39.88, 116.45, 39.95)], crs="EPSG:4326"
    )
    record = DatasetRecord(
        id=RESTRICTED_B,
        title=Bilingual("Org B sites", "乙机构场地"),
        theme=Theme.PROTECTED_AREAS,
        receptor_role=ReceptorRole.PROTECTED_AREA,
        access=AccessLevel.RESTRICTED,
        organisation="org-b",
    )
    store.write_frame_version(record, _provenance("restricted-b"), frame)


def _add_dated(store: DatasetStore) -> None:
    days = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]).tz_localize("UTC")
    frame = gpd.GeoDataFrame(
        {"station": ["a", "b", "c", "d"], "observed_at": days, "value": [1.5, 2.5, 3.5, 4.5]},
        geometry=[Point(100 + index, 30) for index in range(4)],
        crs="EPSG:4326",
    )
    record = DatasetRecord(id=DATED, title=Bilingual("Sample observations", "样本观测"), theme=Theme.AIR)
    store.write_frame_version(record, _provenance("dated"), frame)


@dataclass(frozen=True)
class Keys:
    admin: str
    analyst_a: str
    viewer_a: str
    viewer_b: str
    revoked: str
    analyst_b: str = ""
    public_a: str = ""


@pytest.fixture(scope="session")
def api_settings(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, session_store_factory: StoreFactory
) -> Settings:
    root = tmp_path_factory.mktemp("api")
    settings = load_settings({**session_store_factory.environment(root / "store"), "HOME": str(root)})
    store = session_store_factory.open(settings.data_dir)
    initialise_store(store)
    context = FetchContext(
        client=HttpClient(max_attempts=1),
        mirror=Mirror.from_setting(str(shared_data)),
        cache_dir=root / "cache",
    )
    fetch_dataset(store, get_connector("natural-earth-lakes"), context)
    _add_restricted(store)
    _add_restricted_b(store)
    _add_dated(store)
    return settings


@pytest.fixture(scope="session")
def keys(api_settings: Settings) -> Keys:
    store = KeyStore(api_settings.data_dir / "access")
    tokens = {
        "admin": store.create("admin", "admin")[1],
        "analyst_a": store.create("analyst", "analyst", "org-a")[1],
        "viewer_a": store.create("viewer a", "viewer", "org-a")[1],
        "viewer_b": store.create("viewer b", "viewer", "org-b")[1],
        "analyst_b": store.create("analyst b", "analyst", "org-b")[1],
        "public_a": store.create("public a", "public", "org-a")[1],
    }
    revoked, token = store.create("gone", "admin")
    store.revoke(revoked.id)
    return Keys(**tokens, revoked=token)


@pytest.fixture(scope="session")
def client(api_settings: Settings, keys: Keys) -> Iterator[TestClient]:
    from greenbri.services.api import create_app

    app = create_app(api_settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with TestClient(app) as test_client:
        yield test_client


def header(token: str | None) -> dict[str, str]:
    return {"X-API-Key": token} if token else {}


def today() -> str:
    return dt.date.today().isoformat()
