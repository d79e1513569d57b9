"""Threatened species near projects, through the store: near/far, complete/incomplete, licences, checklists.

Real data: the recorded GBIF search for Batrachoseps luciae (taxon 2431762, 300 records, all LC).
CONSTRUCTED data (labelled where used): Endangered/Vulnerable records placed at chosen distances,
because neither real file holds a threatened species.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from tests.sources.conftest import ClientFactory
from tests.species.builders import constructed_record
from tests.species.recorded import Recorded, body, load_exchanges

from greenbri.adapters.sources.gbif import GbifApi
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.licences import LicenceClass, Use
from greenbri.core.biodiversity.occurrence import Occurrence
from greenbri.core.biodiversity.proximity import occurrence_layer, screen_species
from greenbri.core.biodiversity.rules import load_species_rules
from greenbri.core.catalog import AccessLevel, Theme
from greenbri.core.screening.vocabulary import RiskClass
from greenbri.usecases.datasets import DatasetMetadata
from greenbri.usecases.species import fetch_occurrences, write_occurrences
from greenbri.usecases.species_near import checklist, species_near

GEOD = Geod(ellps="WGS84")
RULES = load_species_rules()


def clock() -> datetime:
    return datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def recorded(shared_data: Path) -> dict[Any, Any]:
    return load_exchanges(shared_data / "biodiversity" / "gbif" / "occurrence-search-taxon-2431762.yaml")


def _fetch(store: DatasetStore, recorded: dict[Any, Any], coverage: tuple[str, ...] = ("none",)) -> Any:
    api = GbifApi(ClientFactory()(Recorded(recorded)))
    return fetch_occurrences(
        store, api, "salamanders", taxon_key=2431762, max_records=300, coverage=coverage, clock=clock
    )


def test_fetched_records_are_stored_with_categories_and_licences(
    dataset_store: DatasetStore, recorded: dict[Any, Any]
) -> None:
    real = body(recorded, "/v1/occurrence/search", taxonKey="2431762", limit="300", offset="0")["results"]
    placed = [r for r in real if "decimalLatitude" in r and "decimalLongitude" in r]
    outcome = _fetch(dataset_store, recorded)
    assert outcome.rows_read == 300 and outcome.imported == len(placed) == 298
    assert sum(problem.fatal for problem in outcome.problems) == 2
    frame = dataset_store.read("salamanders")
    assert Counter(frame["red_list_category"]) == {"LC": 298}
    assert dataset_store.get("salamanders").access is AccessLevel.PUBLIC  # CC0 / CC BY / CC BY-NC only
    expected = Counter(
        {
            "http://creativecommons.org/licenses/by-nc/4.0/legalcode": "CC-BY-NC-4.0",
            "http://creativecommons.org/licenses/by/4.0/legalcode": "CC-BY-4.0",
            "http://creativecommons.org/publicdomain/zero/1.0/legalcode": "CC0-1.0",
        }[r["license"]]
        for r in placed
    )
    assert Counter(frame["licence_class"]) == expected
    uncertainty = {str(r["key"]): r.get("coordinateUncertaintyInMeters") for r in placed}
    for row in frame.itertuples():
        assert row.coordinate_uncertainty_m == uncertainty[row.occurrence_id]


def test_least_concern_records_alone_are_no_data_until_a_layer_is_complete(
    dataset_store: DatasetStore, recorded: dict[Any, Any]
) -> None:
    _fetch(dataset_store, recorded)
    frame = dataset_store.read("salamanders")
    site = frame.geometry.iloc[0]
    result = species_near(dataset_store, [site], ["USA"])
    place = result.screenings[0]
    assert place.other_species == 1 and not place.threatened
    assert place.risk_class is RiskClass.NO_DATA  # a download is a sample: silence is not absence
    assert "not evidence of absence" in place.notes[0]
    _fetch(dataset_store, recorded, coverage=("USA",))  # the same layer, declared complete for the USA
    complete = species_near(dataset_store, [site], ["USA"]).screenings[0]
    assert complete.risk_class is RiskClass.GREEN and complete.complete
    elsewhere = species_near(dataset_store, [site], ["MEX"]).screenings[0]
    assert elsewhere.risk_class is RiskClass.NO_DATA


def _storeconstructed_record(
    store: DatasetStore, records: list[Occurrence], coverage: tuple[str, ...]
) -> None:
    metadata = DatasetMetadata("constructed-species", coverage=coverage, theme=Theme.BIODIVERSITY)
    digest = hashlib.sha256(repr(records).encode()).hexdigest()
    write_occurrences(
        store,
        records,
        {},
        metadata,
        input_name="constructed",
        input_sha256=digest,
        command="test",
        clock=clock,
    )


SITE = shapely.Point(71.45, 51.17)  # a project point in Kazakhstan


def _at(distance_m: float, azimuth: float = 0.0) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(SITE.x, SITE.y, azimuth, distance_m)
    return lon, lat


@pytest.mark.parametrize(
    ("distance_m", "coverage", "expected"),
    [
        (3_000.0, ("none",), RiskClass.YELLOW),
        (3_000.0, ("KAZ",), RiskClass.YELLOW),
        (30_000.0, ("none",), RiskClass.NO_DATA),
        (30_000.0, ("KAZ",), RiskClass.GREEN),
    ],
)
def test_endangered_records_near_or_far_complete_or_not(
    dataset_store: DatasetStore, distance_m: float, coverage: tuple[str, ...], expected: RiskClass
) -> None:
    records = [
        constructed_record(*_at(distance_m), "EN", 1, LicenceClass.CC_BY, 1998),
        constructed_record(*_at(distance_m + 500, 90.0), "EN", 2, LicenceClass.CC_BY, 2015),
        constructed_record(*_at(40_000.0, 180.0), "NT", 3, LicenceClass.CC_BY, 2020),
    ]
    _storeconstructed_record(dataset_store, records, coverage)
    place = species_near(dataset_store, [SITE], ["KAZ"]).screenings[0]
    assert place.risk_class is expected
    endangered = place.threatened[0]
    assert (endangered.name, endangered.category, endangered.record_count) == ("Species EN", "EN", 2)
    assert endangered.nearest_m == pytest.approx(distance_m, abs=0.01)  # exact geodesic distance
    assert (endangered.first_year, endangered.last_year) == (1998, 2015)
    assert endangered.min_uncertainty_m == 250.0
    assert [item.category for item in place.listed_apart] == ["NT"]
    assert [rule.id for rule in place.triggered] == (["cr-en-within-10km"] if distance_m < 10_000 else [])


def test_licences_that_forbid_the_use_are_excluded_and_never_make_green(dataset_store: DatasetStore) -> None:
    records = [
        constructed_record(*_at(2_000.0), "EN", 1, LicenceClass.CC_BY_NC, 2001),
        constructed_record(*_at(4_000.0), "VU", 2, LicenceClass.UNSPECIFIED, 2002),
    ]
    _storeconstructed_record(dataset_store, records, ("KAZ",))
    open_use = species_near(dataset_store, [SITE], ["KAZ"]).screenings[0]
    assert [item.category for item in open_use.threatened] == ["EN"] and open_use.excluded_by_licence == 1
    commercial = species_near(dataset_store, [SITE], ["KAZ"], use=Use.COMMERCIAL).screenings[0]
    assert commercial.threatened == () and commercial.excluded_by_licence == 2
    accepted = species_near(
        dataset_store, [SITE], ["KAZ"], use=Use.COMMERCIAL, accepted_datasets={"constructed-dataset"}
    ).screenings[0]
    assert [item.category for item in accepted.threatened] == ["VU"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    distance=st.floats(min_value=0.0, max_value=49_000.0),
    azimuth=st.floats(min_value=-180.0, max_value=180.0),
)
def test_the_rule_opens_exactly_within_its_geodesic_distance(distance: float, azimuth: float) -> None:
    lon, lat = _at(distance, azimuth)
    attributes = {
        "taxon_key": ["t"],
        "scientific_name": ["S"],
        "species": ["S"],
        "red_list_category": ["CR"],
        "year": [2000],
        "coordinate_uncertainty_m": [None],
        "dataset_key": ["d"],
        "licence_class": ["CC0-1.0"],
    }
    layer = occurrence_layer(
        [lon], [lat], attributes, dataset_id="constructed", version=1, coverage=("none",)
    )
    place = screen_species([layer], [SITE], ["KAZ"], RULES)[0]
    _, _, truth = GEOD.inv(SITE.x, SITE.y, lon, lat)
    assert place.threatened[0].nearest_m == pytest.approx(truth, abs=0.01)
    if abs(truth - 10_000.0) > 0.01:
        assert (place.risk_class is RiskClass.YELLOW) == (truth <= 10_000.0)


def test_checklist_per_country_cites_datasets_and_licences(
    dataset_store: DatasetStore, recorded: dict[Any, Any]
) -> None:
    real = body(recorded, "/v1/occurrence/search", taxonKey="2431762", limit="300", offset="0")["results"]
    us_placed = [r for r in real if r.get("countryCode") == "US" and "decimalLatitude" in r]
    _fetch(dataset_store, recorded)
    listing = checklist(dataset_store, "USA")
    assert [(s["name"], s["red_list_category"], s["record_count"]) for s in listing.species] == [
        ("Batrachoseps luciae", "LC", len(us_placed))
    ]
    assert {source["key"] for source in listing.sources} == {r["datasetKey"] for r in us_placed}
    assert all(source["licences"] for source in listing.sources)
    commercial = checklist(dataset_store, "US", use=Use.COMMERCIAL)
    non_commercial = sum(1 for r in us_placed if "by-nc" in r["license"])
    assert commercial.excluded_by_licence == non_commercial
    assert commercial.species[0]["record_count"] == len(us_placed) - non_commercial
