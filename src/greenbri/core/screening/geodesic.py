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

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import CoordinateRangeError, GeometryError, InputError
from greenbri.core.screening.curve_pairs import NearPairs, near_pairs
from greenbri.core.screening.curve_pairs import outlines as _outlines
from greenbri.core.screening.curves import CurveStore, distance_to_curves
from greenbri.core.screening.ellipsoid import bbox_lower_bound_m
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.measures import geodesic_areas_m2, geodesic_lengths_m
from greenbri.core.screening.spatial_index import candidate_pairs

__all__ = ["RECEPTOR_EDGE_M", "HitTable", "ReceptorLayer", "search"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
GeometryArray = NDArray[np.object_]

#: Receptor edges longer than this (metres) are split when a layer is built, so that each edge
#: has one closest point to any project (the curve itself is unchanged).
RECEPTOR_EDGE_M = 10_000.0
_POINT = 0


def _geometry_array(
    geometries: Sequence[Any] | NDArray[Any], what: str, *, allow_missing: bool = False
) -> GeometryArray:
    """Validated 1-D object array of shapely geometries in longitude/latitude range.

    Missing (``None``) or empty geometries raise :class:`GeometryError` unless ``allow_missing``,
    in which case they become ``None``.
    """
    array = np.asarray(geometries, dtype=object)
    if array.ndim != 1:
        array = array.reshape(-1)
    missing = ~shapely.is_geometry(array)
    missing |= shapely.is_empty(np.where(missing, None, array))
    bad = np.flatnonzero(missing)
    if allow_missing:
        array = np.where(missing, None, array)
    elif bad.size:
        raise GeometryError(
            f"{bad.size} {what} have no geometry or an empty one.",
            location=f"positions {bad[:10].tolist()}",
            hint="drop or repair these rows before screening; every geometry must be a non-empty point, line or polygon.",
        )
    bounds = shapely.bounds(array)
    outside = ~missing & ~np.isfinite(bounds).all(axis=1)
    outside |= (np.abs(bounds[:, [0, 2]]) > 180.0).any(axis=1)
    outside |= (np.abs(bounds[:, [1, 3]]) > 90.0).any(axis=1)
    if outside.any():
        where = np.flatnonzero(outside)
        raise CoordinateRangeError(
            f"{where.size} {what} have coordinates outside longitude -180..180 / latitude -90..90.",
            location=f"positions {where[:10].tolist()}",
            hint="give geometries in EPSG:4326 as longitude, latitude (reproject or swap the axes).",
        )
    return array


def _column(values: Sequence[Any] | NDArray[Any], size: int, name: str) -> NDArray[Any]:
    array = np.asarray(values)
    if array.shape != (size,):
        raise InputError(
            f"Column {name!r} has {array.shape[0] if array.ndim else 0} values for {size} receptors.",
            hint="give one value per receptor geometry, in the same order.",
        )
    return array


def _text(value: Any) -> str:
    """A name as text; missing values (``None``, NaN) become ``''``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


class ReceptorLayer:
    """One receptor dataset version, indexed for :func:`search` (build once, reuse, pickle).

    Parameters
    ----------
    geometries
        Shapely geometries in EPSG:4326 (points, lines, polygons or their multi forms). They are
        prepared in place (:func:`shapely.prepare`). A missing or empty geometry is kept (its
        row keeps its feature index) and never matches a project.
    ids, names
        The receptor's own id and name per feature (converted to ``str``).
    attributes
        Columns the rules may use, each an array with one value per feature.
    dataset_id, version, role
        The catalog dataset, its version and its receptor role.
    max_edge_m
        Edges longer than this are split (in longitude/latitude) for the distance kernel.

    A pickled layer carries its geometries as WKB; the STRtree is rebuilt when it is unpickled,
    so an engine can ship a layer to each worker once.
    """

    def __init__(
        self,
        geometries: Sequence[Any] | NDArray[Any],
        *,
        ids: Sequence[Any] | NDArray[Any],
        names: Sequence[Any] | NDArray[Any],
        attributes: Mapping[str, Sequence[Any] | NDArray[Any]] | None = None,
        dataset_id: str,
        version: int,
        role: ReceptorRole,
        max_edge_m: float = RECEPTOR_EDGE_M,
    ) -> None:
        self.geometries = _geometry_array(
            geometries, f"receptors of {dataset_id}@v{version}", allow_missing=True
        )
        size = len(self.geometries)
        self.ids = np.asarray([str(value) for value in _column(ids, size, "ids")], dtype=object)
        self.names = np.asarray([_text(value) for value in _column(names, size, "names")], dtype=object)
        columns = {name: _column(values, size, name) for name, values in (attributes or {}).items()}
        self.attributes: Mapping[str, NDArray[Any]] = MappingProxyType(columns)
        self.dataset_id = dataset_id
        self.version = int(version)
        self.role = ReceptorRole(role)
        self.max_edge_m = float(max_edge_m)
        self.curves = CurveStore.from_geometries(self.geometries, max_edge_m)
        self._index()

    def _index(self) -> None:
        self.bounds: FloatArray = np.asarray(shapely.bounds(self.geometries), dtype=np.float64)
        self.tree = shapely.STRtree(self.geometries)
        shapely.prepare(self.geometries)

    def __len__(self) -> int:
        return len(self.geometries)

    @property
    def reference(self) -> str:
        """``dataset_id@vN``, as results cite it."""
        return f"{self.dataset_id}@v{self.version}"

    def __getstate__(self) -> dict[str, Any]:
        state = {name: value for name, value in self.__dict__.items() if name not in ("tree", "bounds")}
        state["geometries"] = shapely.to_wkb(self.geometries)
        state["attributes"] = dict(self.attributes)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["geometries"] = np.asarray(shapely.from_wkb(state["geometries"]), dtype=object)
        state["attributes"] = MappingProxyType(state["attributes"])
        self.__dict__.update(state)
        self._index()

    def __repr__(self) -> str:
        return f"ReceptorLayer({self.reference}, role={self.role.value}, features={len(self)})"


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

    def project_rows(self) -> list[slice]:
        """The rows of each project, as slices into the columns."""
        starts = np.searchsorted(self.project_index, np.arange(self.n_projects + 1))
        return [slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:], strict=True)]

    def to_hits(self, layer: ReceptorLayer) -> list[list[ReceptorHit]]:
        """One list of :class:`ReceptorHit` per project (nearest first; ties by feature index).

        Hits of the same feature share one read-only ``attributes`` mapping.
        """
        features = self.feature_index
        unique, slot = np.unique(features, return_inverse=True)
        columns = {name: values[unique].tolist() for name, values in layer.attributes.items()}
        mappings = [
            MappingProxyType({name: values[k] for name, values in columns.items()})
            for k in range(len(unique))
        ]
        length = np.where(np.isnan(self.length_inside_m), None, self.length_inside_m).tolist()
        area = np.where(np.isnan(self.area_inside_m2), None, self.area_inside_m2).tolist()
        rows = zip(
            features.tolist(),
            layer.ids[features].tolist(),
            layer.names[features].tolist(),
            self.distance_m.tolist(),
            self.intersects.tolist(),
            length,
            area,
            slot.tolist(),
            strict=True,
        )
        dataset_id, version, role = layer.dataset_id, layer.version, layer.role
        hits = [
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
                attributes=mappings[k],
            )
            for feature, receptor_id, name, distance, inside, length_m, area_m2, k in rows
        ]
        return [hits[rows_of_project] for rows_of_project in self.project_rows()]


def _distances_in_threads(
    run: Callable[[NDArray[np.int64]], FloatArray], size: int, workers: int
) -> FloatArray:
    """``run(indices)`` over ``workers`` slices of ``range(size)`` (numpy and pyproj release the GIL)."""
    if workers <= 1 or size < 4096:
        return run(np.arange(size))
    slices = np.array_split(np.arange(size), workers * 4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return np.concatenate(list(pool.map(run, slices)))


def _point_distances(
    layer: ReceptorLayer, points: GeometryArray, features: IntArray, max_distance_m: float, workers: int
) -> FloatArray:
    lon, lat = shapely.get_x(points), shapely.get_y(points)

    def run(rows: NDArray[np.int64]) -> FloatArray:
        return distance_to_curves(layer.curves, lon[rows], lat[rows], features[rows], max_distance_m)

    return _distances_in_threads(run, len(features), workers)


def _point_candidates(
    layer: ReceptorLayer, shapes: GeometryArray, bounds: FloatArray, max_distance_m: float
) -> tuple[IntArray, IntArray]:
    """Candidate (project, feature) pairs of the point projects."""
    points = np.flatnonzero(shapely.get_type_id(shapes) == _POINT)
    local, features = candidate_pairs(layer.tree, bounds[points], max_distance_m)
    near = bbox_lower_bound_m(bounds[points][local], layer.bounds[features], max_distance_m) <= max_distance_m
    return points[local[near]], features[near]


def _extended_pairs(
    layer: ReceptorLayer, shapes: GeometryArray, max_distance_m: float
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
    shapes = _geometry_array(projects, "projects")
    bounds = np.asarray(shapely.bounds(shapes), dtype=np.float64)
    pair_project, features = _point_candidates(layer, shapes, bounds, max_distance_m)
    point_shapes = shapes[pair_project]
    intersects = shapely.intersects_xy(
        layer.geometries[features], shapely.get_x(point_shapes), shapely.get_y(point_shapes)
    )
    distance = np.zeros(len(features))
    apart = np.flatnonzero(~intersects)
    distance[apart] = _point_distances(layer, point_shapes[apart], features[apart], max_distance_m, workers)
    extended, extended_intersects = _extended_pairs(layer, shapes, max_distance_m)
    pair_project = np.concatenate([pair_project, extended.project])
    features = np.concatenate([features, extended.feature])
    distance = np.concatenate([distance, extended.distance_m])
    intersects = np.concatenate([intersects, extended_intersects])
    keep = np.flatnonzero(distance <= max_distance_m)
    pair_project, features, distance, intersects = (
        pair_project[keep],
        features[keep],
        distance[keep],
        intersects[keep],
    )
    length, area = np.full(len(keep), np.nan), np.full(len(keep), np.nan)
    touching = np.flatnonzero(intersects)
    length[touching], area[touching] = _inside_measures(
        layer, shapes, pair_project[touching], features[touching]
    )
    order = np.lexsort((features, distance, pair_project))
    logger.debug("screened %d projects against %s: %d hits", len(shapes), layer.reference, len(order))
    return HitTable(
        project_index=pair_project[order],
        feature_index=features[order],
        distance_m=distance[order],
        intersects=intersects[order],
        length_inside_m=length[order],
        area_inside_m2=area[order],
        n_projects=len(shapes),
        max_distance_m=float(max_distance_m),
    )
