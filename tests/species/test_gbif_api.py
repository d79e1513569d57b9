"""The GBIF API connector against real recorded exchanges (shared/data/biodiversity/gbif/*.yaml).

Paging to ``endOfRecords`` is tested on pages CONSTRUCTED from the real recorded records (the
recorded search stops after its first page of 300): each constructed page carries the real
records of its slice and offset/limit/endOfRecords/count recomputed, as the API does.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.sources.conftest import ClientFactory
from tests.species.recorded import Recorded, body, load_exchanges

from greenbri.adapters.sources.gbif import GbifApi
from greenbri.core.errors import SourceError

GBIF = Path("biodiversity") / "gbif"


@pytest.fixture(scope="module")
def exchanges(shared_data: Path) -> dict[Any, Any]:
    return load_exchanges(*sorted((shared_data / GBIF).glob("*.yaml")))


@pytest.fixture
def client_factory() -> ClientFactory:
    return ClientFactory()


def test_first_page_request_is_the_recorded_one_and_records_are_kept(
    exchanges: dict[Any, Any], client_factory: ClientFactory
) -> None:
    handler = Recorded(exchanges)
    api = GbifApi(client_factory(handler))
    result = api.search_occurrences(taxon_key=2431762, max_records=300)
    recorded = body(exchanges, "/v1/occurrence/search", taxonKey="2431762", limit="300", offset="0")
    assert (
        str(handler.requested[0])
        == "https://api.gbif.org/v1/occurrence/search?taxonKey=2431762&limit=300&offset=0"
    )
    assert result.count == recorded["count"] == 2306
    assert len(result.records) == 300 and not result.complete
    assert "Stopped at 300 of 2306" in result.notes[0]
    species = Counter(record["species"] for record in result.records)
    assert (
        species
        == Counter(record["species"] for record in recorded["results"])
        == {"Batrachoseps luciae": 300}
    )
    assert Counter(record["iucnRedListCategory"] for record in result.records) == {"LC": 300}


def test_paging_follows_offsets_to_end_of_records(
    exchanges: dict[Any, Any], client_factory: ClientFactory
) -> None:
    real = body(exchanges, "/v1/occurrence/search", taxonKey="3329049", limit="300", offset="0")["results"]
    asked: list[tuple[int, int]] = []

    def constructed(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        asked.append((offset, limit))
        page = real[offset : offset + limit]
        answer = {
            "offset": offset,
            "limit": limit,
            "endOfRecords": offset + limit >= len(real),
            "count": len(real),
            "results": page,
        }
        return httpx.Response(200, json=answer)

    result = GbifApi(client_factory(constructed), page_size=120).search_occurrences(taxon_key=3329049)
    assert asked == [(0, 120), (120, 120), (240, 120)]
    assert result.complete and result.pages == 3 and not result.notes
    assert [record["key"] for record in result.records] == [record["key"] for record in real]
    assert Counter(record["species"] for record in result.records) == {"Amanita muscaria": 300}


def test_a_page_that_changed_shape_is_a_source_error(client_factory: ClientFactory) -> None:
    def changed(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"offset": 0, "data": []})

    with pytest.raises(SourceError, match="unexpected shape"):
        GbifApi(client_factory(changed)).search_occurrences(country="CN")


def test_a_page_that_times_out_is_retried_then_reported(client_factory: ClientFactory) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(SourceError, match="failed after 2 attempts"):
        GbifApi(client_factory(slow, max_attempts=2)).search_occurrences(country="CN")
    assert client_factory.sleeps  # it waited before the retry


def test_species_match_against_the_backbone(exchanges: dict[Any, Any], client_factory: ClientFactory) -> None:
    handler = Recorded({**exchanges})
    # The recorded request also carries limit=100 (pygbif's default); answer ours from the same recording.
    recorded = next(value for key, value in exchanges.items() if key[0] == "/v1/species/match")
    handler.exchanges[
        ("/v1/species/match", (("name", "Helianthus annuus"), ("strict", "false"), ("verbose", "false")))
    ] = recorded
    match = GbifApi(client_factory(handler)).match_species("Helianthus annuus")
    truth = json.loads(recorded["body"])
    assert match.matched and match.usage_key == truth["usageKey"] == 9206251
    assert (match.scientific_name, match.rank, match.match_type, match.confidence) == (
        "Helianthus annuus L.",
        "SPECIES",
        "EXACT",
        99,
    )
    assert match.family == "Asteraceae"


def test_no_match_is_a_value_not_an_error(client_factory: ClientFactory) -> None:
    # CONSTRUCTED: the answer GBIF gives for an unknown name (matchType NONE, no usageKey).
    def none(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"confidence": 100, "matchType": "NONE", "synonym": False})

    match = GbifApi(client_factory(none)).match_species("Nonexistus fabricatus")
    assert not match.matched and match.usage_key is None


def test_name_usage(exchanges: dict[Any, Any], client_factory: ClientFactory) -> None:
    recorded = next(value for key, value in exchanges.items() if key[0] == "/v1/species/1")
    handler = Recorded({("/v1/species/1", ()): recorded})
    usage = GbifApi(client_factory(handler)).name_usage(1)
    assert usage["scientificName"] == "Animalia" and usage["rank"] == "KINGDOM"
