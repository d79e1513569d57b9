"""Publish the daily table of ``greenbri monitor daily`` as a dataset version.

One point per station and day, placed at the station, in the dataset store (embedded or PostGIS):
partners then read it like any layer, through OGC API - Features (``datetime`` filters on ``day``),
tiles, downloads and, on PostGIS, any SQL client. Stations without coordinates cannot be placed;
their rows are left out and counted in the outcome, never silently dropped.

The version's input digest is computed from the readings batches the table was made from (their
ids and input digests) and the aggregation options, so publishing the same readings with the same
options again adds no version, and a new batch of readings makes a new version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import pyarrow as pa

from greenbri.adapters.stores.embedded import WriteOutcome
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import (
    Bilingual,
    DatasetKind,
    DatasetRecord,
    Licence,
    Provenance,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import InputError
from greenbri.usecases.monitoring.aggregate import AggregationInputs

__all__ = ["PublishedDaily", "daily_dataset_id", "publish_daily"]

_TITLES = {
    "cn": Bilingual(
        "Daily air quality and AQI per station (China: GB 3095, HJ 663, HJ 633)",
        "站点逐日空气质量与空气质量指数（中国：GB 3095、HJ 663、HJ 633）",
    ),
    "us": Bilingual(
        "Daily air quality and AQI per station (United States: 40 CFR 50, EPA AQI)",
        "站点逐日空气质量与空气质量指数（美国：40 CFR 50、EPA AQI）",
    ),
}


def daily_dataset_id(standard: str) -> str:
    """The default dataset id for the daily table under ``standard`` (``air-quality-daily-cn``)."""
    return f"air-quality-daily-{standard}"


@dataclass(frozen=True)
class PublishedDaily:
    """The write outcome and the rows that could not be placed."""

    outcome: WriteOutcome
    unplaced_stations: tuple[str, ...]
    unplaced_rows: int


def _digest(batches: list[dict[str, Any]], inputs: AggregationInputs) -> tuple[str, str]:
    used = sorted((str(entry["id"]), str(entry["input_sha256"])) for entry in batches)
    options = {
        "rules": inputs.rules,
        "utc_offset_hours": inputs.utc_offset_hours,
        "fallback_engine": inputs.fallback_engine,
        "reference_conditions": inputs.reference_conditions,
    }
    input_digest = hashlib.sha256(json.dumps(used).encode()).hexdigest()
    options_digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()
    return input_digest, options_digest


def publish_daily(
    store: DatasetStore,
    table: pa.Table,
    stations: pa.Table,
    batches: list[dict[str, Any]],
    inputs: AggregationInputs,
    *,
    dataset_id: str | None = None,
    command: str = "greenbri monitor daily --publish",
) -> PublishedDaily:
    """Write ``table`` (from :func:`~greenbri.usecases.monitoring.aggregate.aggregate_daily` over the
    readings of ``batches``) as a new version of ``dataset_id``; see the module docstring."""
    if not batches:
        raise InputError(
            "There are no readings batches to publish the daily values of.",
            hint="ingest readings first (greenbri monitor ingest).",
        )
    frame = table.to_pandas()
    places = stations.select(["station_id", "name_en", "name_zh", "longitude", "latitude"]).to_pandas()
    places = places[places["longitude"].notna() & places["latitude"].notna()]
    placed = frame["station_id"].isin(set(places["station_id"]))
    unplaced = tuple(sorted(set(frame.loc[~placed, "station_id"])))
    frame = frame[placed].merge(places, on="station_id", how="left", validate="many_to_one")
    if frame.empty:
        raise InputError(
            "No station of the daily table has coordinates, so nothing can be placed on a map.",
            hint="add the stations' longitude and latitude (a station file in the ingest mapping).",
        )
    geometry = gpd.points_from_xy(frame.pop("longitude").to_numpy(), frame.pop("latitude").to_numpy())
    ordered = ["station_id", "name_en", "name_zh", "day"]
    frame = frame[ordered + [column for column in frame.columns if column not in ordered]]
    layer = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geometry, crs="EPSG:4326")
    standard = inputs.rules
    record = DatasetRecord(
        id=dataset_id or daily_dataset_id(standard),
        title=_TITLES[standard],
        description=Bilingual(
            "Daily means, MDA8 ozone and daily AQI per station computed by greenbri from the stored "
            "hourly readings (category -1: NO DATA). The licences of the readings' sources apply.",
            "greenbri 依据已入库的小时监测数据计算的站点日均值、臭氧日最大 8 小时平均与日空气质量指数"
            "（类别 -1 表示无数据）。适用监测数据来源的许可。",
        ),
        kind=DatasetKind.VECTOR_LAYER,  # a point layer, so OGC API - Features and tiles serve it
        theme=Theme.AIR,
        source=SourceInfo(publisher="greenbri monitoring (derived)"),
        licence=Licence(name="as the readings' sources", attribution="see the readings batches"),
    )
    input_digest, options_digest = _digest(batches, inputs)
    provenance = Provenance(
        recorded_at=datetime.now(UTC).isoformat(),
        command=command,
        input_name=f"{len(batches)} readings batches",
        input_sha256=input_digest,
        input_format="greenbri readings",
        input_crs="EPSG:4326",
        options_digest=options_digest,
    )
    outcome = store.write_frame_version(record, provenance, layer)
    return PublishedDaily(outcome, unplaced, int((~placed).sum()))
