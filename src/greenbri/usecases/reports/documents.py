"""The two reports: one project's screening, and a portfolio's. Both return self-contained HTML."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from greenbri.core.catalog import DatasetRecord
from greenbri.usecases.reports.figures import FigureStyle, data_uri, figure_style
from greenbri.usecases.reports.inputs import (
    COUNTRIES_DATASET,
    DEFAULT_BANDS_M,
    ReceptorGeometries,
    hit_geometry,
)
from greenbri.usecases.reports.maps import MapLayers, project_map, view_bounds
from greenbri.usecases.reports.messages import Translate, catalogue, check_language
from greenbri.usecases.reports.portfolio_view import portfolio_context
from greenbri.usecases.reports.project_view import project_context
from greenbri.usecases.reports.rendering import render
from greenbri.usecases.reports.views import CountryNames, ordered_hits
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening

__all__ = ["portfolio_report", "project_report"]

logger = logging.getLogger(__name__)


def _countries_in_view(
    countries: Any, bounds: tuple[float, float, float, float], language: str
) -> list[tuple[str, Any]]:
    if countries is None or "geometry" not in getattr(countries, "columns", ()):
        return []
    geometries = np.asarray(countries.geometry.values, dtype=object)
    inside = shapely.intersects(geometries, shapely.box(*bounds))
    names = CountryNames.from_frame(countries)
    codes = (
        countries["iso_a3"].astype(str).to_numpy()
        if "iso_a3" in countries.columns
        else np.full(len(geometries), "")
    )
    result = []
    for code, geometry in zip(codes[inside], geometries[inside], strict=True):
        name = (names.chinese if language == "zh" else names.english).get(code, "")
        result.append((name, geometry))
    return result


def _species_points(item: ProjectScreening) -> list[tuple[float, float, str]]:
    """The nearest record of each threatened and NT/DD species near the project, for the map."""
    if item.species is None:
        return []
    listed = (*item.species.threatened, *item.species.listed_apart)
    return [(near.nearest_lon, near.nearest_lat, near.category) for near in listed]


def _map(
    item: ProjectScreening,
    layers_geometry: ReceptorGeometries,
    countries: Any,
    bands_m: Sequence[float],
    style: FigureStyle,
) -> str:
    geometry = item.project.geometry
    if geometry is None:
        return ""
    bounds = view_bounds(geometry, max(bands_m))
    layers = MapLayers(
        project=geometry,
        receptors=[(hit, hit_geometry(layers_geometry, hit)) for hit in ordered_hits(item.hits)],
        countries=_countries_in_view(countries, bounds, style.language),
        bands_m=tuple(bands_m),
        species=_species_points(item),
    )
    return data_uri(project_map(layers, style))


def _map_caption(
    has_map: bool,
    countries: Any,
    datasets: Mapping[str, DatasetRecord],
    bands_m: Sequence[float],
    t: Translate,
) -> str:
    if not has_map:
        return t("map.no_geometry")
    record = datasets.get(COUNTRIES_DATASET)
    if countries is None:
        borders = t("map.no_countries")
    elif record is not None and record.latest is not None:
        borders = f"{COUNTRIES_DATASET}@v{record.latest.number} ({record.source.publisher})"
    else:
        borders = COUNTRIES_DATASET
    kilometres = [f"{band / 1000:g}" for band in sorted(bands_m)]
    return (
        t("map.caption")
        .replace("{band}", kilometres[-1])
        .replace("{bands}", ", ".join(kilometres))
        .replace("{countries}", borders)
    )


def project_report(
    item: ProjectScreening,
    *,
    portfolio: PortfolioScreening,
    layers_geometry: ReceptorGeometries,
    countries: Any = None,
    datasets: Mapping[str, DatasetRecord] | None = None,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
    language: str = "en",
) -> str:
    """The screening report of one project as self-contained HTML.

    Parameters
    ----------
    item
        The screened project (from ``portfolio.screened``).
    portfolio
        The screening it belongs to: screening date, input, rules digest, datasets consulted.
    layers_geometry
        Receptor geometries for the hits (see :data:`~greenbri.usecases.reports.inputs.ReceptorGeometries`).
    countries
        The countries layer (GeoDataFrame with ``iso_a3``, ``name_en``, ``name_zh``) or None.
    datasets
        Catalog records by dataset id, for the licence and attribution table.
    bands_m
        The distance bands drawn on the map, metres; the largest sets the map's extent.
    language
        ``"en"`` or ``"zh"``.
    """
    check_language(language)
    t = catalogue(language)
    records = dict(datasets or {})
    map_uri = _map(item, layers_geometry, countries, bands_m, figure_style(language))
    context = project_context(
        item,
        portfolio=portfolio,
        countries=CountryNames.from_frame(countries),
        datasets=records,
        map_uri=map_uri,
        map_caption=_map_caption(bool(map_uri), countries, records, bands_m, t),
        language=language,
        t=t,
    )
    footer = f"{item.project.id} · {portfolio.screened_on} · greenbri"
    return render("project.html", context, language=language, footer=footer)


def portfolio_report(
    portfolio: PortfolioScreening,
    *,
    countries: Any = None,
    datasets: Mapping[str, DatasetRecord] | None = None,
    language: str = "en",
) -> str:
    """The portfolio report as self-contained HTML: counts (as :meth:`PortfolioScreening.summary`),
    charts, excluded and incomplete projects, one row per project, and the rows that failed."""
    check_language(language)
    t = catalogue(language)
    context = portfolio_context(
        portfolio,
        countries=CountryNames.from_frame(countries),
        datasets=dict(datasets or {}),
        style=figure_style(language),
        language=language,
        t=t,
    )
    footer = f"{portfolio.input_name} · {portfolio.screened_on} · greenbri"
    return render("portfolio.html", context, language=language, footer=footer)
