"""Real layers and projects from ``../shared/data`` for the geodesic search tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.geodesic import ReceptorLayer

NATURAL_EARTH = {
    "lakes": ("ne_10m_lakes", ReceptorRole.LAKE, "name"),
    "rivers": ("ne_10m_rivers_lake_centerlines", ReceptorRole.RIVER, "name"),
    "urban": ("ne_50m_urban_areas", ReceptorRole.URBAN_AREA, None),
    "places": ("ne_10m_populated_places", ReceptorRole.SETTLEMENT, "NAME"),
    "glaciers": ("ne_10m_glaciated_areas", ReceptorRole.GLACIER, "name"),
}


def _read_natural_earth(shared_data: Path, key: str) -> ReceptorLayer:
    stem, role, name_column = NATURAL_EARTH[key]
    frame = pyogrio.read_dataframe(f"/vsigzip/{shared_data}/natural-earth/{stem}.geojson.gz")
    names = frame[name_column].to_numpy() if name_column else np.full(len(frame), "")
    attributes = {"population": frame["POP_MAX"].to_numpy()} if key == "places" else None
    return ReceptorLayer(
        frame.geometry.to_numpy(),
        ids=np.arange(len(frame)),
        names=names,
        attributes=attributes,
        dataset_id=f"ne-{key}",
        version=1,
        role=role,
    )


@pytest.fixture(scope="session")
def natural_earth(shared_data: Path) -> dict[str, ReceptorLayer]:
    return {key: _read_natural_earth(shared_data, key) for key in NATURAL_EARTH}


@pytest.fixture(scope="session")
def aiddata_projects(shared_data: Path) -> np.ndarray:
    """The 26 AidData project geometries (thin MultiPolygons), in file-name order."""
    files = sorted((shared_data / "projects" / "aiddata").glob("*.geojson"))
    return np.asarray([pyogrio.read_dataframe(path).geometry.iloc[0] for path in files], dtype=object)


@pytest.fixture(scope="session")
def ramsar_ukraine(shared_data: Path) -> ReceptorLayer:
    frames = [
        pyogrio.read_dataframe(path)
        for path in sorted((shared_data / "wetlands" / "ramsar-ukraine").glob("*.shp"))
    ]
    return ReceptorLayer(
        np.asarray([frame.geometry.iloc[0] for frame in frames], dtype=object),
        ids=[str(frame["ramsar_id"].iloc[0]) for frame in frames],
        names=[str(frame["name_en"].iloc[0]) for frame in frames],
        dataset_id="ramsar-ukraine",
        version=1,
        role=ReceptorRole.WETLAND,
    )
