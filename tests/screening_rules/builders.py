"""Builders for the screening-rule tests: projects, synthetic receptor hits and coverage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.hits import Coverage, ReceptorHit
from greenbri.core.screening.project import Project, project_from_mapping

#: A point in central Botswana (longitude, latitude), away from any real receptor we model.
POINT = {"type": "Point", "coordinates": [26.6, -22.5]}


def full_coverage(except_roles: Iterable[ReceptorRole] = ()) -> list[Coverage]:
    """Coverage records for every receptor role, covered except ``except_roles``."""
    missing = set(except_roles)
    return [
        Coverage(
            role, (f"{role.value}-layer@v1",), role not in missing, "" if role not in missing else "no layer"
        )
        for role in ReceptorRole
    ]


def make_project(**fields: Any) -> Project:
    """A project from a record; defaults make a planned 100 MW solar park in Botswana with a point geometry."""
    record: dict[str, Any] = {
        "id": "p1",
        "name": "Test project",
        "sector": "solar_power",
        "status": "planned",
        "country": "BWA",
        "capacity": 100,
        "capacity_unit": "MW",
        "geometry": POINT,
    }
    record.update(fields)
    return project_from_mapping({key: value for key, value in record.items() if value is not None})


def hit(
    role: ReceptorRole,
    distance_m: float,
    *,
    intersects: bool | None = None,
    index: int = 0,
    dataset: str = "layer",
    **attributes: Any,
) -> ReceptorHit:
    """A synthetic receptor hit; it intersects when the distance is 0 unless told otherwise."""
    return ReceptorHit(
        dataset_id=dataset,
        dataset_version=1,
        receptor_role=role,
        feature_index=index,
        receptor_id=f"{role.value}-{index}",
        name=f"{role.value} {index}",
        distance_m=distance_m,
        intersects=(distance_m == 0) if intersects is None else intersects,
        attributes=attributes,
    )
