"""A receptor dataset version indexed for the geodesic search (:class:`ReceptorLayer`).

Built once per dataset version from plain arrays (the store's adapter passes a GeoDataFrame's
columns), it holds the validated geometries, a shapely STRtree and prepared geometries, the
boundaries as flat vertex arrays (:class:`~greenbri.core.screening.curves.CurveStore`) and the
attribute columns. It pickles as WKB and rebuilds its index when unpickled, so an engine can
ship it to each worker once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import CoordinateRangeError, GeometryError, InputError
from greenbri.core.screening.curves import CurveStore

__all__ = ["RECEPTOR_EDGE_M", "FeatureAttributes", "ReceptorLayer", "geometry_array"]

FloatArray = NDArray[np.float64]
GeometryArray = NDArray[np.object_]

#: Receptor edges longer than this (metres) are split when a layer is built, so that each edge
#: has one closest point to any project (the curve itself is unchanged).
RECEPTOR_EDGE_M = 10_000.0
_COLLECTION = 7


def _raise_if(rows: NDArray[np.bool_], error: type[InputError], message: str, hint: str) -> None:
    if rows.any():
        where = np.flatnonzero(rows)
        raise error(f"{where.size} {message}", location=f"positions {where[:10].tolist()}", hint=hint)


def geometry_array(
    geometries: Sequence[Any] | NDArray[Any], what: str, *, allow_missing: bool = False
) -> GeometryArray:
    """Validated 1-D object array of shapely geometries in longitude/latitude range.

    Missing (``None``) or empty geometries raise :class:`GeometryError` unless ``allow_missing``,
    in which case they become ``None``. Geometry collections are refused.
    """
    array = np.asarray(geometries, dtype=object).reshape(-1)
    missing = np.asarray(~shapely.is_geometry(array), dtype=bool)
    present = np.flatnonzero(~missing)
    missing[present] = shapely.is_empty(array[present])
    if allow_missing:
        array = array.copy()
        array[missing] = None
    else:
        _raise_if(
            missing,
            GeometryError,
            f"{what} have no geometry or an empty one.",
            "drop or repair these rows before screening; every geometry must be a non-empty point, line or polygon.",
        )
    _raise_if(
        shapely.get_type_id(array) == _COLLECTION,
        GeometryError,
        f"{what} are geometry collections.",
        "split each collection into its points, lines and polygons (explode) before screening.",
    )
    bounds = shapely.bounds(array)
    outside = ~missing & ~np.isfinite(bounds).all(axis=1)
    outside |= (np.abs(bounds[:, [0, 2]]) > 180.0).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90.0).any(
        axis=1
    )
    _raise_if(
        outside,
        CoordinateRangeError,
        f"{what} have coordinates outside longitude -180..180 / latitude -90..90.",
        "give geometries in EPSG:4326 as longitude, latitude (reproject or swap the axes).",
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


class FeatureAttributes(Mapping[str, Any]):
    """Read-only view of one feature's attribute values (plain Python values), without copying."""

    __slots__ = ("_columns", "_row")

    def __init__(self, columns: Mapping[str, list[Any]], row: int) -> None:
        self._columns = columns
        self._row = row

    def __getitem__(self, name: str) -> Any:
        return self._columns[name][self._row]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return dict, (dict(self),)


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
        self.geometries = geometry_array(
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
        self.attribute_lists: Mapping[str, list[Any]] = MappingProxyType(
            {name: values.tolist() for name, values in self.attributes.items()}
        )
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
        state = {
            name: value
            for name, value in self.__dict__.items()
            if name not in ("tree", "bounds", "attribute_lists")
        }
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
