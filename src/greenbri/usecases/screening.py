"""``greenbri screen``: screen projects against every receptor layer in the catalog.

1. Every catalog dataset with a receptor role (latest version) becomes a
   :class:`~greenbri.core.screening.geodesic.ReceptorLayer`, its attributes mapped
   to what the rules read (``iucn_category``, ``danger``, ``population``).
2. Each project is searched against each layer out to the rules' largest band,
   with exact geodesic distances.
3. Coverage: a receptor role is covered for a project when a dataset of that role
   has a spatial extent reaching the project's largest band. A required role that
   is not covered makes its dimension NO DATA.
4. :func:`~greenbri.core.screening.classify.classify` decides, with reasons that name
   the dataset versions used.

A project that fails (bad geometry, an error in a rule) is reported and the others
carry on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greenbri.adapters.engines import Engine, LocalEngine, partition_bounds
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.dimension import with_species
from greenbri.core.biodiversity.licences import Use
from greenbri.core.biodiversity.proximity import OccurrenceLayer, SpeciesScreening, screen_species
from greenbri.core.biodiversity.rules import SpeciesRules
from greenbri.core.catalog import DatasetKind, DatasetRecord, ReceptorRole
from greenbri.core.errors import GreenbriError
from greenbri.core.geometry import longitude_within
from greenbri.core.screening.batch import decision_profile
from greenbri.core.screening.classify import classify
from greenbri.core.screening.geodesic import ReceptorLayer
from greenbri.core.screening.hits import Coverage, ReceptorHit
from greenbri.core.screening.partition import SharedLayers, join_partitions, search_costs, search_partition
from greenbri.core.screening.project import Project
from greenbri.core.screening.result import ScreeningResult
from greenbri.core.screening.rules import ScreeningRules
from greenbri.usecases.project_inputs import ProjectInput, RowFailure

__all__ = [
    "PortfolioScreening",
    "ProjectScreening",
    "SpeciesPart",
    "load_receptor_layers",
    "screen_portfolio",
]

logger = logging.getLogger(__name__)

_ID_COLUMNS = (
    "WDPAID",
    "wdpaid",
    "id_no",
    "ramsar_id",
    "geonameid",
    "GEONAMEID",
    "ne_id",
    "NE_ID",
    "iso_a3",
    "id",
)
_NAME_COLUMNS = ("NAME", "name_en", "NAME_EN", "name", "Name", "title")
#: Receptor attributes the rules read, and the columns they come from in the layers greenbri knows:
#: WDPA (IUCN_CAT), the UNESCO list (danger: 1 = on the List of World Heritage in Danger),
#: Natural Earth populated places (POP_MAX) and GeoNames settlements (population).
_ATTRIBUTE_COLUMNS: dict[str, tuple[str, ...]] = {
    "iucn_category": ("IUCN_CAT", "iucn_cat", "iucn_category"),
    "danger": ("danger", "in_danger"),
    "population": ("population", "POP_MAX", "pop_max"),
}
_DEGREE_M = 111_320.0  # length of one degree of latitude, rounded up: only used to widen extents


def _first(columns: Sequence[str], frame: pd.DataFrame) -> str | None:
    return next((column for column in columns if column in frame.columns), None)


def _attributes(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    attributes: dict[str, np.ndarray] = {}
    for name, candidates in _ATTRIBUTE_COLUMNS.items():
        column = _first(candidates, frame)
        if column is None:
            continue
        values = frame[column]
        if name == "danger":
            attributes[name] = np.asarray(
                [bool(value) if pd.notna(value) else False for value in values], dtype=object
            )
        elif name == "population":
            attributes[name] = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        else:
            attributes[name] = np.asarray(
                ["" if pd.isna(value) else str(value) for value in values], dtype=object
            )
    return attributes


@dataclass(frozen=True)
class LoadedLayer:
    """A receptor layer and the catalog facts screening needs about it."""

    layer: ReceptorLayer
    record: DatasetRecord
    extent: tuple[float, float, float, float] | None


def load_receptor_layers(store: DatasetStore, *, dataset_ids: Sequence[str] = ()) -> list[LoadedLayer]:
    """Every vector dataset with a receptor role (latest version), indexed once."""
    loaded = []
    for record in store.list_datasets():
        latest = record.latest
        if record.receptor_role is None or latest is None or latest.kind is not DatasetKind.VECTOR_LAYER:
            continue
        if dataset_ids and record.id not in dataset_ids:
            continue
        frame = store.read(record.id, latest.number)
        id_column, name_column = _first(_ID_COLUMNS, frame), _first(_NAME_COLUMNS, frame)
        layer = ReceptorLayer(
            frame.geometry.values,
            ids=frame[id_column].to_numpy() if id_column else np.arange(len(frame)),
            names=frame[name_column].fillna("").to_numpy() if name_column else np.full(len(frame), ""),
            attributes=_attributes(frame),
            dataset_id=record.id,
            version=latest.number,
            role=record.receptor_role,
        )
        extent = tuple(latest.spatial_extent.to_list()) if latest.spatial_extent else None
        loaded.append(LoadedLayer(layer, record, extent))  # type: ignore[arg-type]
        logger.info("indexed %s@v%d (%d receptors)", record.id, latest.number, len(layer))
    return loaded


def _contains(
    extent: tuple[float, float, float, float] | None, bounds: np.ndarray, distance_m: float
) -> bool:
    """Whether the dataset's extent contains the project's bounds widened by ``distance_m``."""
    if extent is None:
        return False
    widen_lat = distance_m / _DEGREE_M
    latitude = min(max(abs(bounds[1]), abs(bounds[3])) + widen_lat, 90.0)
    widen_lon = 360.0 if latitude >= 89.0 else widen_lat / max(math.cos(math.radians(latitude)), 1e-6)
    min_lon, min_lat, max_lon, max_lat = extent  # min_lon > max_lon: across 180 (RFC 7946 5.2)
    return bool(
        longitude_within(bounds[0] - widen_lon, bounds[2] + widen_lon, min_lon, max_lon)
        and bounds[1] - widen_lat >= min_lat
        and bounds[3] + widen_lat <= max_lat
    )


def _covers(item: LoadedLayer, project: Project, bounds: np.ndarray, distance_m: float) -> bool:
    """A dataset covers a project when it declares completeness there ('global' or the project's
    country); a sample ('none') never does; an undeclared dataset does when its extent contains
    the project's largest band."""
    declared = item.record.coverage
    if declared:
        return "global" in declared or project.country in declared
    return _contains(item.extent, bounds, distance_m)


def _coverage(project: Project, layers: Sequence[LoadedLayer], distance_m: float) -> tuple[Coverage, ...]:
    coverage = []
    for role in ReceptorRole:
        of_role = [item for item in layers if item.record.receptor_role is role]
        if project.geometry is None:
            coverage.append(Coverage(role, (), False, "the project has no geometry"))
            continue
        bounds = np.asarray(project.geometry.bounds)
        covering = tuple(
            item.layer.reference for item in of_role if _covers(item, project, bounds, distance_m)
        )
        if covering:
            note = ""
        elif not of_role:
            note = "no dataset of this role in the catalog"
        else:
            note = (
                "no dataset of this role is complete for the project's area ("
                + ", ".join(
                    f"{item.layer.reference}: coverage {'/'.join(item.record.coverage) or 'undeclared'}"
                    for item in of_role
                )
                + ")"
            )
        coverage.append(Coverage(role, covering, bool(covering), note))
    return tuple(coverage)


@dataclass(frozen=True)
class ProjectScreening:
    """One screened project: the input, what was found, the conclusion.

    ``species`` is the species part (threatened species recorded near the project) when the screening
    was given occurrence layers; its effect is already folded into ``result``'s biodiversity dimension.
    """

    project: Project
    hits: tuple[ReceptorHit, ...]
    result: ScreeningResult
    species: SpeciesScreening | None = None


@dataclass(frozen=True)
class SpeciesPart:
    """What the species part of a screening uses: occurrence layers (already access-checked), rules, use."""

    layers: tuple[OccurrenceLayer, ...]
    rules: SpeciesRules
    use: Use = Use.NON_COMMERCIAL
    accepted_datasets: frozenset[str] = frozenset()


@dataclass
class PortfolioScreening:
    """Every project of an input screened, or the reason it could not be."""

    screened: list[ProjectScreening] = field(default_factory=list)
    failures: list[RowFailure] = field(default_factory=list)
    datasets: tuple[str, ...] = ()
    rules_digest: str = ""
    screened_on: str = ""
    input_name: str = ""
    input_sha256: str = ""
    #: Green technologies suggested per project id (``suggest_technologies``); empty when not asked.
    technologies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Counts by class, country and sector, for the portfolio report."""
        by_class = Counter(item.result.overall.value for item in self.screened)
        by_country = Counter((item.project.country, item.result.overall.value) for item in self.screened)
        by_sector = Counter((item.project.sector.value, item.result.overall.value) for item in self.screened)
        return {
            "projects": len(self.screened) + len(self.failures),
            "screened": len(self.screened),
            "failed": len(self.failures),
            "excluded": sum(item.result.exclusion.excluded for item in self.screened),
            "incomplete": sum(item.result.incomplete for item in self.screened),
            "by_class": dict(sorted(by_class.items())),
            "by_country": [
                {"country": c, "class": k, "count": n} for (c, k), n in sorted(by_country.items())
            ],
            "by_sector": [{"sector": s, "class": k, "count": n} for (s, k), n in sorted(by_sector.items())],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": {"name": self.input_name, "sha256": self.input_sha256},
            "screened_on": self.screened_on,
            "rules_digest": self.rules_digest,
            "datasets": list(self.datasets),
            "summary": self.summary(),
            "projects": [
                {
                    **item.result.to_dict(),
                    "project": _project_dict(item.project),
                    "hits": [_hit_dict(hit) for hit in item.hits],
                    **({"species": item.species.to_dict()} if item.species is not None else {}),
                    **(
                        {"technologies": self.technologies[item.project.id]}
                        if item.project.id in self.technologies
                        else {}
                    ),
                }
                for item in self.screened
            ],
            "failures": [failure.to_dict() for failure in self.failures],
        }


def _project_dict(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "sector": project.sector.value,
        "status": project.status.value,
        "country": project.country,
        "capacity": None
        if project.capacity is None
        else {"value": project.capacity.value, "unit": project.capacity.unit},
        "geometry_type": None if project.geometry is None else project.geometry.geom_type,
    }


def _hit_dict(hit: ReceptorHit) -> dict[str, Any]:
    return {
        "dataset": f"{hit.dataset_id}@v{hit.dataset_version}",
        "receptor_role": hit.receptor_role.value,
        "feature_index": hit.feature_index,
        "receptor_id": hit.receptor_id,
        "name": hit.name,
        "distance_m": round(hit.distance_m, 1),
        "intersects": hit.intersects,
        "length_inside_m": None if hit.length_inside_m is None else round(hit.length_inside_m, 1),
        "area_inside_m2": None if hit.area_inside_m2 is None else round(hit.area_inside_m2, 1),
        "attributes": {key: _plain(value) for key, value in sorted(hit.attributes.items())},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_SCREENABLE_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _unscreenable(project: Project) -> str:
    """Why a project's geometry cannot be screened ('' when it can)."""
    geometry = project.geometry
    if geometry is None:
        return ""
    if geometry.geom_type not in _SCREENABLE_TYPES:
        return (
            f"project {project.id}: a {geometry.geom_type} cannot be screened; give a point, line or polygon."
        )
    if geometry.is_empty or not geometry.is_valid:
        return f"project {project.id}: the geometry is empty or invalid; repair it before screening."
    min_lon, _, max_lon, _ = geometry.bounds
    if max_lon - min_lon > 180.0:
        return (
            f"project {project.id}: the geometry spans {max_lon - min_lon:.1f} degrees of longitude; a project "
            "crossing the antimeridian must be split at 180 degrees (GeoJSON, RFC 7946 section 3.1.9)."
        )
    return ""


def _species_parts(
    species: SpeciesPart | None, projects: Sequence[Project], located: Sequence[int]
) -> dict[int, SpeciesScreening]:
    """The species part of every located project, by project index (empty without ``species``)."""
    if species is None or not located:
        return {}
    found = screen_species(
        species.layers,
        [projects[index].geometry for index in located],
        [projects[index].country for index in located],
        species.rules,
        use=species.use,
        accepted_datasets=species.accepted_datasets,
    )
    return dict(zip(located, found, strict=True))


def max_band_m(rules: ScreeningRules) -> float:
    """The largest distance any receptor rule looks at."""
    return max(band.max_distance_m or 0.0 for band in rules.receptors.bands)


def screen_portfolio(
    store: DatasetStore,
    projects: ProjectInput,
    rules: ScreeningRules,
    *,
    stack_check: Any = None,
    layers: Sequence[LoadedLayer] | None = None,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    engine: Engine | None = None,
    partition_size: int = 5_000,
    species: SpeciesPart | None = None,
    share_results: bool = True,
) -> PortfolioScreening:
    """Screen every project of ``projects``; failures are collected, never raised.

    Projects with no receptor hit whose decision profile (every field but id, name and geometry;
    :func:`~greenbri.core.screening.batch.decision_profile`) and coverage are the same get the same
    result, classified once (``share_results``; the result then differs only in ``project_id``,
    which ``tests/screening_real/test_shared_results.py`` checks byte for byte against
    ``share_results=False``).

    The spatial search runs per partition of ``partition_size`` projects on ``engine``
    (:class:`~greenbri.adapters.engines.LocalEngine` by default; a
    :class:`~greenbri.adapters.engines.DaskEngine` gives the same results on a cluster).
    With ``species``, threatened species near each project are found and folded into the
    biodiversity dimension (:func:`greenbri.core.biodiversity.dimension.with_species`).
    """
    layers = list(layers) if layers is not None else load_receptor_layers(store)
    distance = max_band_m(rules)
    rows = projects.rows or tuple(range(1, len(projects.projects) + 1))
    sources = projects.sources or tuple("" for _ in projects.projects)
    unscreenable = {
        index: reason for index, project in enumerate(projects.projects) if (reason := _unscreenable(project))
    }
    located = [
        index
        for index, project in enumerate(projects.projects)
        if project.geometry is not None and index not in unscreenable
    ]
    geometries = np.asarray([projects.projects[index].geometry for index in located], dtype=object)
    hits_by_project: list[list[ReceptorHit]] = [[] for _ in projects.projects]
    if located and layers:
        bounds = partition_bounds(len(geometries), partition_size, search_costs(geometries))
        chunks = [geometries[start:stop] for start, stop in bounds]
        shared = SharedLayers(tuple(item.layer for item in layers), distance)
        key = f"screening:{','.join(item.layer.reference for item in layers)}:{distance}"
        results = (engine or LocalEngine()).map_partitions(search_partition, shared, chunks, shared_key=key)
        for item, table in zip(layers, join_partitions(results, len(layers)), strict=True):
            for position, found in enumerate(table.to_hits(item.layer)):
                hits_by_project[located[position]].extend(found)
    species_parts = _species_parts(species, projects.projects, located)
    species_refs = tuple(item.layer.reference for item in species.layers) if species else ()
    outcome = PortfolioScreening(
        failures=list(projects.failures),
        datasets=tuple(sorted((*(item.layer.reference for item in layers), *species_refs))),
        rules_digest=rules.digest,
        screened_on=(today or dt.date.today()).isoformat(),
        input_name=projects.input_name,
        input_sha256=projects.input_sha256,
    )
    known_results: dict[tuple[Any, ...], ScreeningResult] = {}
    for index, project in enumerate(projects.projects):
        if index in unscreenable:
            outcome.failures.append(RowFailure(rows[index], project.id, unscreenable[index], sources[index]))
            continue
        hits = sorted(
            hits_by_project[index], key=lambda hit: (hit.distance_m, hit.dataset_id, hit.feature_index)
        )
        coverage = _coverage(project, layers, distance)
        situation = (decision_profile(project), coverage) if share_results and not hits else None
        try:
            known = known_results.get(situation) if situation is not None else None
            if known is not None:
                result = dataclasses.replace(known, project_id=project.id)
            else:
                result = classify(project, hits, coverage, rules, stack_check=stack_check)
                if situation is not None:
                    known_results[situation] = result
        except GreenbriError as error:
            outcome.failures.append(RowFailure(rows[index], project.id, str(error), sources[index]))
            continue
        part = species_parts.get(index)
        if part is not None and species is not None:
            result = with_species(project, result, part, species.rules, rules)
        outcome.screened.append(ProjectScreening(project, tuple(hits), result, part))
        if progress:
            progress(project.id)
    return outcome
