"""What the spatial search hands to the classification: receptors near a project and coverage.

These are the contract between the geodesic search (:mod:`greenbri.core.screening.geodesic`)
and the rules (:mod:`greenbri.core.screening.classify`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from greenbri.core.catalog import ReceptorRole

__all__ = ["Coverage", "ReceptorHit"]


@dataclass(frozen=True)
class ReceptorHit:
    """One receptor feature within the largest buffer of a project.

    Attributes
    ----------
    dataset_id, dataset_version
        The catalog dataset and version the receptor comes from (``wdpa@v3``).
    receptor_role
        The dataset's role (protected area, World Heritage, wetland, ...).
    feature_index
        Row of the receptor in that dataset version (0-based).
    receptor_id, name
        The receptor's own id and name where the layer has them ('' otherwise).
    attributes
        Attributes the rules may use, e.g. ``{"iucn_category": "II", "population": 120000,
        "danger": True}``; keys are documented per role in the screening methodology.
    distance_m
        Geodesic distance on the WGS84 ellipsoid between project and receptor, metres; 0 when
        they intersect.
    intersects
        Whether the project geometry intersects the receptor geometry.
    length_inside_m, area_inside_m2
        For a line project: geodesic length inside the receptor; for a polygon project: geodesic
        area inside. None when not applicable or no intersection.
    """

    dataset_id: str
    dataset_version: int
    receptor_role: ReceptorRole
    feature_index: int
    receptor_id: str
    name: str
    distance_m: float
    intersects: bool
    length_inside_m: float | None = None
    area_inside_m2: float | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def within(self, buffer_m: float) -> bool:
        return self.distance_m <= buffer_m


@dataclass(frozen=True)
class Coverage:
    """Whether a receptor role had data for the project's area.

    ``datasets`` are the ``id@vN`` references consulted; ``covered`` is False when no dataset of
    this role exists or none has an extent reaching the project's largest buffer. A role
    that is not covered makes the dimensions depending on it NO DATA, never green.
    """

    receptor_role: ReceptorRole
    datasets: tuple[str, ...]
    covered: bool
    note: str = ""
