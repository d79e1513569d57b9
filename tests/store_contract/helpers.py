"""Records, provenance and frames shared by the store contract tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from greenbri.core.catalog import Bilingual, DatasetKind, DatasetRecord, Provenance, ReceptorRole, Theme

RECORD = DatasetRecord(
    id="test-wetlands",
    title=Bilingual("Test wetlands", "测试湿地"),
    kind=DatasetKind.VECTOR_LAYER,
    theme=Theme.WETLANDS,
    receptor_role=ReceptorRole.WETLAND,
)


def provenance(digest: str, options: str = "") -> Provenance:
    return Provenance(
        recorded_at="2026-11-21T00:00:00+00:00",
        command="test",
        input_name="x",
        input_sha256=(digest * 64)[:64],
        options_digest=options,
    )


def wetlands(count: int, offset: float = 0.0) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": [f"湿地 {index}" for index in range(count)],
            "area_ha": [float(index) for index in range(count)],
        },
        geometry=[box(offset + index, 10, offset + index + 0.5, 10.5) for index in range(count)],
        crs="EPSG:4326",
    )


def assert_same_frames(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    """Equal columns, dtypes and values; geometries equal byte for byte as WKB."""
    assert list(actual.columns) == list(expected.columns)
    geometry = expected.geometry.name if isinstance(expected, gpd.GeoDataFrame) else None
    attributes = [column for column in expected.columns if column != geometry]
    pd.testing.assert_frame_equal(
        pd.DataFrame(actual[attributes]), pd.DataFrame(expected[attributes]), check_exact=True
    )
    if geometry:
        assert isinstance(actual, gpd.GeoDataFrame)
        assert actual.crs == expected.crs
        left = shapely.to_wkb(np.asarray(expected.geometry.values, dtype=object))
        right = shapely.to_wkb(np.asarray(actual.geometry.values, dtype=object))
        assert list(left) == list(right)
