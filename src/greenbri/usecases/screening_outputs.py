"""Screening outputs that need no rendering: stable JSON and GeoJSON of projects and receptor hits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.usecases.screening import LoadedLayer, PortfolioScreening

__all__ = ["hits_geojson", "write_json"]


def write_json(portfolio: PortfolioScreening, path: Path) -> Path:
    """The portfolio as JSON (sorted keys, UTF-8), written atomically."""
    with renamed_into_place(path) as temporary:
        temporary.write_text(
            json.dumps(portfolio.to_dict(), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
    return path


def hits_geojson(portfolio: PortfolioScreening, layers: Sequence[LoadedLayer]) -> dict[str, Any]:
    """Projects and the receptors they hit, as one GeoJSON FeatureCollection (EPSG:4326)."""
    by_reference = {item.layer.reference: item.layer for item in layers}
    features: list[dict[str, Any]] = []
    for item in portfolio.screened:
        if item.project.geometry is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(item.project.geometry),
                    "properties": {
                        "kind": "project",
                        "project_id": item.project.id,
                        "name": item.project.name,
                        "class": item.result.overall.value,
                        "incomplete": item.result.incomplete,
                        "excluded": item.result.exclusion.excluded,
                    },
                }
            )
        for hit in item.hits:
            layer = by_reference.get(f"{hit.dataset_id}@v{hit.dataset_version}")
            geometry = None if layer is None else layer.geometries[hit.feature_index]
            features.append(
                {
                    "type": "Feature",
                    "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
                    "properties": {
                        "kind": "receptor",
                        "project_id": item.project.id,
                        "dataset": f"{hit.dataset_id}@v{hit.dataset_version}",
                        "receptor_role": hit.receptor_role.value,
                        "receptor_id": hit.receptor_id,
                        "name": hit.name,
                        "distance_m": round(hit.distance_m, 1),
                        "intersects": hit.intersects,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
