"""The real projects of ../shared/data screened end to end against the real reference layers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod

from greenbri.usecases.project_inputs import read_projects
from greenbri.usecases.screening import ProjectScreening, screen_portfolio

GEOD = Geod(ellps="WGS84")


def independent_distance_m(project: shapely.Geometry, point: shapely.Point) -> float:
    """Geodesic distance from a small project polygon to a point, computed here without greenbri:
    the minimum of pyproj's inverse geodesic over the project boundary densified to ~1 m
    (the AidData polygons are ~1 m buffers of OSM features)."""
    coordinates = shapely.get_coordinates(shapely.segmentize(project.boundary, 0.00001))
    count = len(coordinates)
    _, _, distances = GEOD.inv(
        coordinates[:, 0], coordinates[:, 1], np.full(count, point.x), np.full(count, point.y)
    )
    return float(np.min(distances))


def classes(item: ProjectScreening) -> dict[str, str]:
    return {dimension.value: result.risk_class.value for dimension, result in item.result.dimensions.items()}


@pytest.fixture(scope="module")
def aiddata(reference_store, loaded_layers, rules, aiddata_portfolio: Path) -> dict[str, ProjectScreening]:
    projects = read_projects(aiddata_portfolio)
    assert projects.failures == ()
    portfolio = screen_portfolio(reference_store, projects, rules, layers=loaded_layers)
    assert portfolio.failures == []
    return {item.project.id: item for item in portfolio.screened}


def project_geometry(shared_data: Path, project_id: str) -> shapely.Geometry:
    return pyogrio.read_dataframe(
        shared_data / "projects" / "aiddata" / f"{project_id}.geojson"
    ).geometry.iloc[0]


def test_all_26_aiddata_projects_screen_with_the_same_rules(aiddata) -> None:
    assert len(aiddata) == 26
    assert len({item.result.rules_digest for item in aiddata.values()}) == 1


def test_morupule_b_is_excluded_as_new_overseas_coal_and_palapye_is_9_2_km_away(
    aiddata, reference_store, shared_data: Path
) -> None:
    morupule = aiddata["40"]  # 600 MW coal, Botswana
    assert morupule.result.exclusion.excluded
    assert morupule.result.overall.value == "red"
    assert classes(morupule)["climate"] == "red"
    town = next(hit for hit in morupule.hits if hit.dataset_id == "settlements")
    assert town.name == "Palapye"
    point = reference_store.read("settlements").geometry.iloc[town.feature_index]
    assert town.distance_m == pytest.approx(
        independent_distance_m(project_geometry(shared_data, "40"), point), abs=1.0
    )
    assert 9_000 < town.distance_m < 9_400


def test_the_solar_park_is_green_where_it_has_data_and_says_what_is_missing(
    aiddata, reference_store, shared_data: Path
) -> None:
    solar = aiddata["66498"]  # 82 MW solar park, Romania
    assert not solar.result.exclusion.excluded
    assert classes(solar)["climate"] == "green"
    # no protected-area layer (WDPA) is in this store: biodiversity cannot be green
    assert classes(solar)["biodiversity"] == "no_data"
    assert solar.result.incomplete
    heritage = next(hit for hit in solar.hits if hit.dataset_id == "unesco-world-heritage")
    assert heritage.name == "Villages with Fortified Churches in Transylvania"
    point = reference_store.read("unesco-world-heritage").geometry.iloc[heritage.feature_index]
    expected = independent_distance_m(project_geometry(shared_data, "66498"), point)
    assert heritage.distance_m == pytest.approx(expected, abs=1.0)
    assert 47_000 < heritage.distance_m < 47_600


def test_the_grand_poubara_dam_is_next_to_the_ogooue_and_starts_red(aiddata) -> None:
    dam = aiddata["85"]  # 160 MW hydropower, Gabon
    river = next(hit for hit in dam.hits if hit.dataset_id == "natural-earth-rivers")
    assert river.name == "Ogooué"
    assert river.distance_m < 1_000
    assert dam.result.overall.value == "red"


@pytest.mark.parametrize(("preset", "file_name", "screened", "failed"), [
    ("gppd", "gppd_wri_collected_2018-06.csv", 16_165, 14),
    ("cofi", "COFI_v2.2_2023-10.xlsx", 430, 162),
])  # fmt: skip
def test_the_power_plant_files_screen_with_per_row_failures(
    reference_store,
    loaded_layers,
    rules,
    shared_data: Path,
    preset: str,
    file_name: str,
    screened: int,
    failed: int,
) -> None:
    projects = read_projects(shared_data / "power-plants" / file_name, preset=preset)
    portfolio = screen_portfolio(reference_store, projects, rules, layers=loaded_layers)
    assert (len(portfolio.screened), len(portfolio.failures)) == (screened, failed)
    assert all(
        "required field is missing" in failure.message or "skipped:" in failure.message
        for failure in portfolio.failures
    )
    assert sum(portfolio.summary()["by_class"].values()) == screened
    coal = [item for item in portfolio.screened if item.project.sector.value == "coal_power"]
    assert coal and all(classes(item)["climate"] == "red" for item in coal)
    planned_coal = [item for item in coal if item.project.status.value == "planned"]
    assert all(item.result.exclusion.excluded for item in planned_coal)
