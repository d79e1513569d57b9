"""A store holding the real reference layers of ../shared/data, imported through the mirror, once per session."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyogrio
import pytest
import shapely
from tests.conftest import StoreFactory

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.http import HttpClient
from greenbri.adapters.sources.mirror import Mirror
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.screening.rules_files import load_rules
from greenbri.usecases.datasets import fetch_dataset
from greenbri.usecases.initialise import initialise_store
from greenbri.usecases.screening import load_receptor_layers

LAYERS = (
    "natural-earth-lakes",
    "natural-earth-rivers",
    "natural-earth-reefs",
    "natural-earth-glaciers",
    "natural-earth-populated-places",
    "natural-earth-urban-areas",
    "unesco-world-heritage",
    "ramsar",
)

#: AidData's own category of each project (../shared/data/projects/aiddata/INDEX.csv) -> greenbri sector.
SECTORS = {
    "power plant - coal": "coal_power",
    "power plant - coal (mine-mouth)": "coal_power",
    "power plant - hydro": "hydro_power",
    "power plant - solar": "solar_power",
    "road": "road",
    "road (expressway)": "road",
    "road bridge": "bridge",
    "road tunnel": "tunnel",
    "railway": "railway",
    "port": "port",
    "port (fishing port)": "port",
    "mining - coal": "mining_coal",
    "mining - gold": "mining_gold",
    "industrial plant (cement)": "cement",
    "industrial park (industrial city)": "industrial_park",
    "industrial park (economic & trade cooperation zone)": "industrial_park",
    "water supply": "water_supply",
    "water treatment plant": "water_supply",
}


@pytest.fixture(scope="session")
def reference_store(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, session_store_factory: StoreFactory
) -> DatasetStore:
    root = tmp_path_factory.mktemp("screening")
    store = session_store_factory.open(root / "store")
    context = FetchContext(
        client=HttpClient(max_attempts=1),
        mirror=Mirror.from_setting(str(shared_data)),
        cache_dir=root / "cache",
    )
    for name in LAYERS:
        fetch_dataset(store, get_connector(name), context)
    initialise_store(store)
    return store


@pytest.fixture(scope="session")
def loaded_layers(reference_store: DatasetStore) -> list:
    return load_receptor_layers(reference_store)


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def aiddata_portfolio(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 26 AidData projects as one CSV, screened as if proposed (status planned).

    Sector from AidData's category (INDEX.csv); capacity in MW where the title states it.
    """
    folder = shared_data / "projects" / "aiddata"
    rows = []
    with (folder / "INDEX.csv").open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle):
            geometry = pyogrio.read_dataframe(folder / f"{entry['id']}.geojson").geometry.iloc[0]
            capacity = re.search(r"(\d+)\s?MW", entry["title"])
            rows.append(
                {
                    "id": entry["id"],
                    "name": entry["title"][:120],
                    "sector": SECTORS.get(entry["category"], "other"),
                    "status": "planned",
                    "country": entry["recipient_iso3"],
                    "capacity": capacity.group(1) if capacity else "",
                    "capacity_unit": "MW" if capacity else "",
                    "wkt": shapely.to_wkt(geometry, rounding_precision=-1),
                }
            )
    path = tmp_path_factory.mktemp("aiddata") / "aiddata-portfolio.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
