"""Receptors near projects, with exact geodesic distances on the WGS84 ellipsoid.

Build a :class:`ReceptorLayer` once per dataset version, then :func:`search` it with any number
of projects::

    layer = ReceptorLayer(geometries, ids=ids, names=names, attributes={"iucn_category": cats},
                          dataset_id="wdpa", version=3, role=ReceptorRole.PROTECTED_AREA)
    table = search(layer, project_geometries, max_distance_m=10_000.0)
    hits = table.to_hits(layer)   # one list of ReceptorHit per project, nearest first

Geometries are EPSG:4326 longitude/latitude and their edges are straight lines in
longitude/latitude (the GeoJSON convention). Intersections are decided in longitude/latitude by
GEOS; a distance is the length of the shortest geodesic between the two geometries, computed to
about a millimetre (see ``docs/methodology/screening-geodesic.md`` for the method and measured
accuracy). The module is pure: numpy, shapely and pyproj only.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.errors import InputError
from greenbri.core.screening.curve_pairs import NearPairs, near_pairs
from greenbri.core.screening.curve_pairs import outlines as _outlines
from greenbri.core.screening.curves import distance_to_curves
from greenbri.core.screening.ellipsoid import bbox_lower_bound_m
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.measures import geodesic_areas_m2, geodesic_lengths_m
from greenbri.core.screening.receptor_layer import (
    RECEPTOR_EDGE_M,
    FeatureAttributes,
    ReceptorLayer,
    geometry_array,
)
from greenbri.core.screening.spatial_index import candidate_pairs

__all__ = ["RECEPTOR_EDGE_M", "FeatureAttributes", "HitTable", "ReceptorLayer", "search"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
GeometryArray = NDArray[np.object_]

_POINT = 0


@dataclass(frozen=True)
class HitTable:
    """Receptors within ``max_distance_m`` of projects, as columns (one row per pair).

    Rows are sorted by project, then distance, then feature. ``length_inside_m`` and
    ``area_inside_m2`` are NaN where not applicable (see :func:`search`).
    """

    project_index: IntArray
    feature_index: IntArray
    distance_m: FloatArray
    intersects: BoolArray
    length_inside_m: FloatArray
    area_inside_m2: FloatArray
    n_projects: int
    max_distance_m: float

    def __len__(self) -> int:
        return len(self.project_index)

    @classmethod
    def concatenate(cls, tables: Sequence[HitTable]) -> HitTable:
        """One table for consecutive chunks of projects (project indices are shifted).

        The tables must share ``max_distance_m``; chunk ``k``'s projects follow chunk ``k - 1``'s.
        """
        if not tables:
            raise InputError("No hit tables to concatenate.", hint="pass at least one table.")
        radius = {table.max_distance_m for table in tables}
        if len(radius) != 1:
            raise InputError(
                f"Hit tables searched with different radii {sorted(radius)} cannot be concatenated.",
                hint="search every chunk with the same max_distance_m.",
            )
        shift = np.cumsum([0] + [table.n_projects for table in tables[:-1]])
        return cls(
            project_index=np.concatenate([t.project_index + k for t, k in zip(tables, shift, strict=True)]),
            feature_index=np.concatenate([t.feature_index for t in tables]),
            distance_m=np.concatenate([t.distance_m for t in tables]),
            intersects=np.concatenate([t.intersects for t in tables]),
            length_inside_m=np.concatenate([t.length_inside_m for t in tables]),
            area_inside_m2=np.concatenate([t.area_inside_m2 for t in tables]),
            n_projects=int(sum(t.n_projects for t in tables)),
            max_distance_m=radius.pop(),
        )

    def project_rows(self) -> list[slice]:
        """The rows of each project, as slices into the columns."""
        starts = np.searchsorted(self.project_index, np.arange(self.n_projects + 1)).tolist()
        return list(map(slice, starts[:-1], starts[1:]))

    def to_hits(self, layer: ReceptorLayer) -> list[list[ReceptorHit]]:
        """One list of :class:`ReceptorHit` per project (nearest first; ties by feature index).

        ``attributes`` is a read-only view of the feature's row in ``layer.attributes``.
        """
        features = self.feature_index
        length = [None if value != value else value for value in self.length_inside_m.tolist()]
        area = [None if value != value else value for value in self.area_inside_m2.tolist()]
        rows = zip(
            features.tolist(),
            layer.ids[features].tolist(),
            layer.names[features].tolist(),
            self.distance_m.tolist(),
            self.intersects.tolist(),
            length,
            area,
            strict=True,
        )
        with _collector_paused():
            hits = _build_hits(rows, layer)
            return [hits[rows_of_project] for rows_of_project in self.project_rows()]


def _build_hits(rows: Iterator[tuple[Any, ...]], layer: ReceptorLayer) -> list[ReceptorHit]:
    dataset_id, version, role, columns = layer.dataset_id, layer.version, layer.role, layer.attribute_lists
    return [
        ReceptorHit(
            dataset_id=dataset_id,
            dataset_version=version,
            receptor_role=role,
            feature_index=feature,
            receptor_id=receptor_id,
            name=name,
            distance_m=distance,
            intersects=inside,
            length_inside_m=length_m,
            area_inside_m2=area_m2,
            attributes=FeatureAttributes(columns, feature),
        )
        for feature, receptor_id, name, distance, inside, length_m, area_m2 in rows
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many small acyclic objects are built.

    Building a ``ReceptorHit`` per row otherwise triggers repeated collections that scan every
    object of the process (half the time of :meth:`HitTable.to_hits` on 200,000 hits). The
    hits hold no reference cycles, so nothing is left uncollected; the previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _point_candidates(
    layer: ReceptorLayer, shapes: GeometryArray, bounds: FloatArray, max_distance_m: float
) -> tuple[IntArray, IntArray]:
    """Candidate (project, feature) pairs of the point projects."""
    points = np.flatnonzero(shapely.get_type_id(shapes) == _POINT)
    local, features = candidate_pairs(layer.tree, bounds[points], max_distance_m)
    near = bbox_lower_bound_m(bounds[points][local], layer.bounds[features], max_distance_m) <= max_distance_m
    return points[local[near]], features[near]


def _extended_pairs(
    layer: ReceptorLayer, shapes: GeometryArray, max_distance_m: float, workers: int
) -> tuple[NearPairs, BoolArray]:
    """Receptors within reach of the line, polygon and multi-point projects, and which intersect."""
    extended = np.flatnonzero(shapely.get_type_id(shapes) != _POINT)
    if extended.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return NearPairs(empty, empty, np.zeros(0)), np.zeros(0, dtype=bool)
    local, touching = layer.tree.query(shapes[extended], predicate="intersects")
    excluded = local.astype(np.int64) * len(layer) + touching
    near = near_pairs(
        _outlines(shapes[extended]),
        layer.geometries,
        layer.curves,
        layer.tree,
        layer.bounds,
        excluded,
        max_distance_m,
        workers=workers,
    )
    pairs = NearPairs(
        project=np.concatenate([extended[local], extended[near.project]]).astype(np.int64),
        feature=np.concatenate([touching, near.feature]).astype(np.int64),
        distance_m=np.concatenate([np.zeros(len(local)), near.distance_m]),
    )
    return pairs, np.arange(len(pairs.project)) < len(local)


def _inside_measures(
    layer: ReceptorLayer, projects: GeometryArray, pair_project: IntArray, features: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Length and area inside for intersecting pairs (NaN where not applicable)."""
    length = np.full(len(features), np.nan)
    area = np.full(len(features), np.nan)
    project_dim = shapely.get_dimensions(projects[pair_project])
    receptor_dim = shapely.get_dimensions(layer.geometries[features])
    linear = ((project_dim == 1) & (receptor_dim >= 1)) | ((project_dim == 2) & (receptor_dim == 1))
    areal = (project_dim == 2) & (receptor_dim == 2)
    measured = np.flatnonzero(linear | areal)
    if measured.size:
        overlap = shapely.intersection(projects[pair_project[measured]], layer.geometries[features[measured]])
        lengths = geodesic_lengths_m(overlap)
        with_length = linear[measured] & (lengths > 0.0)
        length[measured[with_length]] = lengths[with_length]
        polygonal = np.flatnonzero(areal[measured])
        area[measured[polygonal]] = geodesic_areas_m2(overlap[polygonal])
    return length, area


def search(
    layer: ReceptorLayer,
    projects: Sequence[Any] | NDArray[Any],
    max_distance_m: float,
    *,
    workers: int = 1,
) -> HitTable:
    """Every receptor of ``layer`` within ``max_distance_m`` (geodesic, WGS84) of each project.

    Parameters
    ----------
    layer
        The indexed receptor layer.
    projects
        Shapely geometries in EPSG:4326, one per project (points, lines, polygons, multi forms).
    max_distance_m
        Search radius in metres (>= 0).
    workers
        Threads for the distance kernel (numpy and pyproj release the GIL); GEOS work stays on
        the calling thread.

    Returns
    -------
    HitTable
        ``distance_m`` is 0 when the geometries intersect (in longitude/latitude), else the
        exact geodesic distance. ``length_inside_m`` is the geodesic length of the linear part
        of the intersection when the project or the receptor is a line; ``area_inside_m2`` the
        geodesic area of the intersection when both are polygons.
    """
    if not np.isfinite(max_distance_m) or max_distance_m < 0.0:
        raise InputError(
            f"max_distance_m must be a finite distance >= 0 metres, got {max_distance_m!r}.",
            hint="pass the largest buffer of the screening rules, e.g. 10000.0 for 10 km.",
        )
    shapes = geometry_array(projects, "projects")
    with _collector_paused():
        found = [
            _point_pairs(layer, shapes, max_distance_m, workers),
            _extended_pairs(layer, shapes, max_distance_m, workers),
        ]
        table = _hit_table(layer, shapes, found, max_distance_m)
    logger.debug("screened %d projects against %s: %d hits", len(shapes), layer.reference, len(table))
    return table


def _point_pairs(
    layer: ReceptorLayer, shapes: GeometryArray, max_distance_m: float, workers: int
) -> tuple[NearPairs, BoolArray]:
    """Receptors within reach of the point projects, and which contain (intersect) the point."""
    bounds = np.asarray(shapely.bounds(shapes), dtype=np.float64)
    pair_project, features = _point_candidates(layer, shapes, bounds, max_distance_m)
    point_shapes = shapes[pair_project]
    lon, lat = shapely.get_x(point_shapes), shapely.get_y(point_shapes)
    intersects = np.asarray(shapely.intersects_xy(layer.geometries[features], lon, lat), dtype=bool)
    distance = np.zeros(len(features))
    apart = np.flatnonzero(~intersects)
    distance[apart] = distance_to_curves(
        layer.curves, lon[apart], lat[apart], features[apart], max_distance_m, workers=workers
    )
    return NearPairs(pair_project, features, distance), intersects


def _hit_table(
    layer: ReceptorLayer,
    shapes: GeometryArray,
    found: list[tuple[NearPairs, BoolArray]],
    max_distance_m: float,
) -> HitTable:
    """The pairs within reach, with inside measures, sorted by project, distance, feature."""
    project = np.concatenate([pairs.project for pairs, _ in found])
    feature = np.concatenate([pairs.feature for pairs, _ in found])
    distance = np.concatenate([pairs.distance_m for pairs, _ in found])
    intersects = np.concatenate([touching for _, touching in found])
    keep = np.flatnonzero(distance <= max_distance_m)
    project, feature, distance, intersects = project[keep], feature[keep], distance[keep], intersects[keep]
    length, area = np.full(len(keep), np.nan), np.full(len(keep), np.nan)
    touching = np.flatnonzero(intersects)
    length[touching], area[touching] = _inside_measures(layer, shapes, project[touching], feature[touching])
    order = np.lexsort((feature, distance, project))
    return HitTable(
        project_index=project[order],
        feature_index=feature[order],
        distance_m=distance[order],
        intersects=intersects[order],
        length_inside_m=length[order],
        area_inside_m2=area[order],
        n_projects=len(shapes),
        max_distance_m=float(max_distance_m),
    )
