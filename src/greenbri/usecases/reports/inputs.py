"""What a report needs besides the screening result, and how to get it from a store.

A report reads no store itself: it is given the receptor geometries (to draw the hits), the
countries layer (outlines and names) and the catalog records (licences and attribution).
:func:`report_inputs` collects them from an :class:`DatasetStore`; tests and other callers can
pass their own.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.access import LOCAL_USER, Principal, may_read_dataset
from greenbri.core.catalog import DatasetKind, DatasetRecord
from greenbri.core.errors import GreenbriError
from greenbri.core.screening.hits import ReceptorHit

__all__ = [
    "COUNTRIES_DATASET",
    "DEFAULT_BANDS_M",
    "ReceptorGeometries",
    "ReportInputs",
    "hit_geometry",
    "report_inputs",
]

logger = logging.getLogger(__name__)

#: The dataset whose outlines and names the map and the tables use.
COUNTRIES_DATASET = "countries"
#: greenbri's default distance bands (``receptors.json``: near, local, regional), metres.
DEFAULT_BANDS_M: tuple[float, ...] = (1_000.0, 10_000.0, 50_000.0)

#: Receptor geometries by dataset version: ``f(dataset_id, version)`` or a mapping
#: ``{(dataset_id, version): geometries}``, where ``geometries[feature_index]`` is the receptor's
#: geometry in EPSG:4326 (a GeoSeries with a RangeIndex, a GeometryArray, a list...).
ReceptorGeometries = Callable[[str, int], Any] | Mapping[tuple[str, int], Any]


@dataclass(frozen=True)
class ReportInputs:
    """The data a report draws and credits, gathered once for any number of reports.

    Pass its fields to :func:`~greenbri.usecases.reports.project_report` (``**inputs.keywords()``).
    """

    layers_geometry: ReceptorGeometries
    countries: Any = None
    datasets: Mapping[str, DatasetRecord] = field(default_factory=dict)
    bands_m: tuple[float, ...] = DEFAULT_BANDS_M

    def keywords(self) -> dict[str, Any]:
        return {
            "layers_geometry": self.layers_geometry,
            "countries": self.countries,
            "datasets": self.datasets,
            "bands_m": self.bands_m,
        }


def hit_geometry(layers_geometry: ReceptorGeometries, hit: ReceptorHit) -> BaseGeometry | None:
    """The geometry of a hit's receptor, or None when the source does not have it."""
    key = (hit.dataset_id, hit.dataset_version)
    try:
        geometries = layers_geometry[key] if isinstance(layers_geometry, Mapping) else layers_geometry(*key)
        geometry = geometries[hit.feature_index] if geometries is not None else None
    except (KeyError, IndexError, GreenbriError) as error:
        logger.warning("no geometry for receptor %s@v%d #%d: %s", *key, hit.feature_index, error)
        return None
    return geometry if isinstance(geometry, BaseGeometry) and not geometry.is_empty else None


def _store_geometries(store: DatasetStore) -> Callable[[str, int], Any]:
    @functools.cache
    def read(dataset_id: str, version: int) -> Any:
        return store.read(dataset_id, version).geometry.values

    return read


def report_inputs(
    store: DatasetStore,
    *,
    bands_m: tuple[float, ...] = DEFAULT_BANDS_M,
    principal: Principal = LOCAL_USER,
    used: Collection[str] | None = None,
) -> ReportInputs:
    """Receptor geometries (read lazily, once per dataset version), countries and catalog records.

    Only records ``principal`` may read (:func:`~greenbri.core.access.may_read_dataset`) are
    given, and of those only the datasets the screening used (``used``: ids or ``id@vN``
    references, e.g. ``portfolio.datasets``; None: every receptor layer) and the countries layer.
    ``countries`` is None when the store has no ``countries`` vector layer the principal may read
    (the map then has no outlines and countries are shown by code).
    """
    records = {record.id: record for record in store.list_datasets() if may_read_dataset(principal, record)}
    countries_record = records.get(COUNTRIES_DATASET)
    countries = None
    if (
        countries_record
        and countries_record.latest
        and countries_record.latest.kind is DatasetKind.VECTOR_LAYER
    ):
        countries = store.read(COUNTRIES_DATASET)
    wanted = None if used is None else {reference.split("@", 1)[0] for reference in used}
    credited = {
        key: record
        for key, record in records.items()
        if key == COUNTRIES_DATASET
        or (record.receptor_role is not None and (wanted is None or key in wanted))
    }
    return ReportInputs(
        _store_geometries(store), countries if countries is not None else None, credited, bands_m
    )
