"""The species endpoints and OGC API filters on an occurrence layer, through the one access rule.

A store of its own (the shared API fixtures stay untouched): the real recorded GBIF records of
Batrachoseps luciae (public: CC0/CC BY/CC BY-NC), and the real 2013 fish download (free-text rights,
so imported restricted) handed to organisation org-a.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.conftest import StoreFactory
from tests.sources.conftest import ClientFactory
from tests.species.recorded import Recorded, body, load_exchanges

from greenbri.adapters.sources.gbif import GbifApi
from greenbri.config import load_settings
from greenbri.services.api.access import KeyStore
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.species import fetch_occurrences, import_occurrences

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

GBIF = Path("biodiversity") / "gbif"
MNHN = "f58922e2-93ed-4703-ba22-12a0674d1b54"


def clock() -> datetime:
    return datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, session_store_factory: StoreFactory
) -> Iterator[tuple[TestClient, dict[str, str], list[dict[str, Any]]]]:
    from greenbri.services.api import create_app

    root = tmp_path_factory.mktemp("species-api")
    settings = load_settings({**session_store_factory.environment(root / "store"), "HOME": str(root)})
    store = session_store_factory.open(settings.data_dir)
    exchanges = load_exchanges(shared_data / GBIF / "occurrence-search-taxon-2431762.yaml")
    api = GbifApi(ClientFactory()(Recorded(exchanges)))
    fetch_occurrences(store, api, "salamanders", taxon_key=2431762, max_records=300, clock=clock)
    fish = import_occurrences(store, shared_data / GBIF / "gbif-download-dwca.zip", "fish", clock=clock)
    # hand the restricted fish layer to org-a (a metadata change: same data, same version)
    record = replace(fish.record, organisation="org-a", versions=())
    latest = fish.record.versions[-1]
    frame = store.read("fish")
    outcome = store.write_frame_version(record, latest.provenance, frame)
    assert not outcome.created and outcome.metadata_updated
    keys = KeyStore(settings.data_dir / "access")
    tokens = {
        "org_a": keys.create("a", "viewer", "org-a")[1],
        "org_b": keys.create("b", "viewer", "org-b")[1],
    }
    real = body(exchanges, "/v1/occurrence/search", taxonKey="2431762", limit="300", offset="0")["results"]
    app = create_app(settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with TestClient(app) as client:
        client.audit_dir = settings.data_dir / "audit"  # type: ignore[attr-defined]
        yield client, tokens, real


def test_near_uses_only_readable_layers(setup: Any) -> None:
    client, tokens, _ = setup
    params = {"lon": "79.833", "lat": "11.983", "country": "IND", "accept_rights": MNHN}
    outsider = client.get("/v1/species/near", params=params, headers={"X-API-Key": tokens["org_b"]}).json()
    insider = client.get("/v1/species/near", params=params, headers={"X-API-Key": tokens["org_a"]}).json()
    assert outsider["place"]["layers"] == ["salamanders@v1"] and outsider["place"]["other_species"] == 0
    assert insider["place"]["layers"] == ["fish@v1", "salamanders@v1"]
    assert insider["place"]["other_species"] == 1 and [s["key"] for s in insider["sources"]] == [MNHN]
    assert insider["place"]["risk_class"] == "no_data"
    # the insider's read of the restricted fish layer is in the audit log; the outsider's is not
    lines = [
        json.loads(line)
        for path in sorted(client.audit_dir.glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    assert [line["resource"] for line in lines if line.get("path") == "/v1/species/near"] == ["dataset:fish"]


def test_checklist_and_licence_use(setup: Any) -> None:
    client, _, real = setup
    us = [r for r in real if r.get("countryCode") == "US" and "decimalLatitude" in r]
    answer = client.get("/v1/species/checklists/USA").json()
    assert [(s["name"], s["record_count"]) for s in answer["species"]] == [("Batrachoseps luciae", len(us))]
    commercial = client.get("/v1/species/checklists/USA", params={"use": "commercial"}).json()
    assert commercial["excluded_by_licence"] == sum("by-nc" in r["license"] for r in us)
    assert client.get("/v1/species/checklists/XXX").status_code == 400


def test_ogc_items_filter_by_taxon_and_category(setup: Any) -> None:
    client, _, real = setup
    placed = [r for r in real if "decimalLatitude" in r]
    items = client.get(
        "/collections/salamanders/items", params={"red_list_category": "LC", "limit": 1000}
    ).json()
    assert items["numberMatched"] == len(placed)
    by_taxon = client.get(
        "/collections/salamanders/items", params={"taxon_key": "2431762", "limit": 1}
    ).json()
    assert by_taxon["numberMatched"] == Counter(str(r.get("speciesKey")) for r in placed)["2431762"]
    none = client.get("/collections/salamanders/items", params={"red_list_category": "EN"}).json()
    assert none["numberMatched"] == 0
    assert client.get("/collections/fish/items").status_code == 404  # restricted: invisible to the public
