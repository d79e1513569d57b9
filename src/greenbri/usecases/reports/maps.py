"""The static map of a project report: offline, drawn with matplotlib from the store's layers.

The view is the project's bounds widened by the largest distance band on every side (geodesic
widths, so a 50 km band is 50 km at any latitude) and drawn in longitude/latitude with the
aspect ``1 / cos(latitude)``, so distances look right at the view's centre. On it: country
outlines clipped to the view, the receptors found (hits) coloured by role, the geodesic distance
bands as dashed rings, the project on top, a graticule in degrees, a scale bar in km and a north
arrow. No basemap tiles, no network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator
from shapely.geometry.base import BaseGeometry

from greenbri.core.screening.hits import ReceptorHit
from greenbri.usecases.reports.figures import FigureStyle, new_figure, png_bytes

__all__ = ["ROLE_STYLE", "MapLayers", "band_rings", "project_map", "view_bounds"]

_GEOD = pyproj.Geod(ellps="WGS84")
_MAX_LABELS = 20
_WATER = "#e6f0f7"
_LAND = "#f6f4ee"
_PROJECT = "#d50000"
_WIDTH_IN = 6.6
_LEFT, _RIGHT, _TOP, _BOTTOM = 0.1, 0.7, 0.97, 0.07

#: Colour of each receptor role on the map (fill colour for areas, line colour for lines).
ROLE_STYLE: Mapping[str, str] = {
    "protected_area": "#2e7d32",
    "world_heritage": "#8e24aa",
    "wetland": "#00897b",
    "key_biodiversity_area": "#9e9d24",
    "lake": "#4fc3f7",
    "river": "#1565c0",
    "reef": "#ff7043",
    "glacier": "#80deea",
    "urban_area": "#fb8c00",
    "settlement": "#212121",
    "other_sensitive_area": "#6d4c41",
}


@dataclass(frozen=True)
class MapLayers:
    """What the map shows: the project, its hits with their geometries, and country outlines.

    ``receptors`` pairs each hit with its geometry (EPSG:4326) or ``None`` when unavailable;
    ``countries`` is a sequence of ``(name, geometry)`` in EPSG:4326 (may be empty).
    """

    project: BaseGeometry
    receptors: Sequence[tuple[ReceptorHit, BaseGeometry | None]]
    countries: Sequence[tuple[str, BaseGeometry]]
    bands_m: Sequence[float]
    #: The nearest record of each threatened (and NT/DD) species: (longitude, latitude, category).
    species: Sequence[tuple[float, float, str]] = ()


def view_bounds(geometry: BaseGeometry, margin_m: float) -> tuple[float, float, float, float]:
    """The geometry's bounds widened by ``margin_m`` metres (geodesic) in each direction."""
    min_x, min_y, max_x, max_y = geometry.bounds
    _, north, _ = _GEOD.fwd(min_x, max_y, 0.0, margin_m)
    _, south, _ = _GEOD.fwd(min_x, min_y, 180.0, margin_m)
    # Widen east-west at the latitude where a degree of longitude is shortest.
    latitude = min(max(abs(south), abs(north)), 89.0)
    east, _, _ = _GEOD.fwd(0.0, latitude, 90.0, margin_m)
    widen = min(abs(east), 180.0)
    return (max(min_x - widen, -180.0), max(south, -90.0), min(max_x + widen, 180.0), min(north, 90.0))


def _reprojector(source: Any, target: Any) -> Any:
    transformer = pyproj.Transformer.from_crs(source, target, always_xy=True)

    def apply(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y])

    return apply


def band_rings(geometry: BaseGeometry, bands_m: Sequence[float]) -> list[BaseGeometry]:
    """Outlines of the geometry buffered by each band, buffered in an azimuthal equidistant projection."""
    centre = geometry.centroid
    local = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m")
    projected = shapely.transform(geometry, _reprojector("EPSG:4326", local))
    back = _reprojector(local, "EPSG:4326")
    return [shapely.transform(projected.buffer(distance, 64).boundary, back) for distance in sorted(bands_m)]


def _polygon_path(geometry: BaseGeometry) -> MplPath | None:
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coordinates = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(coordinates), MplPath.LINETO)
            ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(coordinates)
            codes.append(ring_codes)
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes).astype(np.uint8))


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    if geometry.is_empty:
        return []
    if hasattr(geometry, "geoms"):
        return [part for item in geometry.geoms for part in _parts(item)]
    return [geometry]


def _draw(
    axes: Axes,
    geometry: BaseGeometry,
    *,
    colour: str,
    fill: str | None,
    width: float,
    marker: str = "o",
    size: float = 4.0,
    z: float = 2.0,
    alpha: float | None = None,
) -> None:
    polygons = [part for part in _parts(geometry) if part.geom_type == "Polygon"]
    path = _polygon_path(shapely.MultiPolygon(polygons)) if polygons else None
    if path is not None:
        axes.add_patch(
            PathPatch(
                path, facecolor=fill or "none", edgecolor=colour, linewidth=width, zorder=z, alpha=alpha
            )
        )
    for part in _parts(geometry):
        if part.geom_type in ("LineString", "LinearRing"):
            x, y = np.asarray(part.coords)[:, :2].T
            axes.plot(x, y, color=colour, linewidth=width, zorder=z, alpha=alpha, solid_capstyle="round")
        elif part.geom_type == "Point":
            axes.plot(
                part.x,
                part.y,
                marker=marker,
                markersize=size,
                color=fill or colour,
                markeredgecolor=colour,
                linestyle="none",
                zorder=z + 0.5,
            )


def _degrees(axis: str) -> FuncFormatter:
    def label(value: float, _position: Any) -> str:
        hemisphere = ("E" if value >= 0 else "W") if axis == "x" else ("N" if value >= 0 else "S")
        return f"{abs(value):.2f}".rstrip("0").rstrip(".") + f"°{hemisphere}"

    return FuncFormatter(label)


def _nice_length_km(width_km: float) -> float:
    target = width_km / 4
    for step in (1000, 500, 200, 100, 50, 25, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1):
        if step <= target:
            return float(step)
    return 0.05


def _scale_bar(axes: Axes, bounds: tuple[float, float, float, float]) -> None:
    min_x, min_y, max_x, max_y = bounds
    latitude = min_y + 0.07 * (max_y - min_y)
    _, _, width_m = _GEOD.inv(min_x, latitude, max_x, latitude)
    length_km = _nice_length_km(width_m / 1000)
    degrees = (max_x - min_x) * length_km * 1000 / width_m
    x0, height = min_x + 0.05 * (max_x - min_x), 0.012 * (max_y - min_y)
    backing = Rectangle(
        (x0 - 0.03 * (max_x - min_x), latitude - 2 * height),
        degrees + 0.1 * (max_x - min_x),
        7.5 * height,
        facecolor="white",
        edgecolor="none",
        alpha=0.75,
        zorder=5.5,
    )
    axes.add_patch(backing)
    for index in range(2):
        axes.add_patch(
            Rectangle(
                (x0 + index * degrees / 2, latitude),
                degrees / 2,
                height,
                zorder=6,
                facecolor="black" if index == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
            )
        )
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for x, text in ((x0, "0"), (x0 + degrees, f"{length_km:g} km")):
        axes.text(
            x,
            latitude + 2.2 * height,
            text,
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=6,
            path_effects=halo,
        )


def _north_arrow(axes: Axes) -> None:
    axes.annotate(
        "N",
        xy=(0.94, 0.95),
        xytext=(0.94, 0.84),
        xycoords="axes fraction",
        ha="center",
        va="top",
        fontsize=9,
        zorder=7,
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2},
    )


def _draw_countries(axes: Axes, layers: MapLayers, bounds: tuple[float, float, float, float]) -> None:
    halo = [patheffects.withStroke(linewidth=2.5, foreground=_LAND)]
    shown = [(name, shapely.clip_by_rect(geometry, *bounds)) for name, geometry in layers.countries]
    shown = [(name, clipped) for name, clipped in shown if not clipped.is_empty]
    view_area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])
    for name, clipped in shown:
        _draw(axes, clipped, colour="#8d8d8d", fill=_LAND, width=0.7, z=1.0)
        # Names only where borders are in view (one country alone is named in the report).
        if name and len(shown) > 1 and clipped.area > 0.04 * view_area:
            point = clipped.representative_point()
            axes.text(
                point.x,
                point.y,
                name,
                fontsize=8,
                color="#757575",
                ha="center",
                va="center",
                zorder=1.5,
                path_effects=halo,
            )


def _kind(geometry: BaseGeometry) -> str:
    if geometry.geom_type in ("Point", "MultiPoint"):
        return "point"
    return "line" if "LineString" in geometry.geom_type or geometry.geom_type == "LinearRing" else "area"


def _label_anchor(geometry: BaseGeometry) -> BaseGeometry:
    """Where a receptor's number goes: the point itself, the middle of a line, inside an area."""
    parts = _parts(geometry)
    if _kind(geometry) == "line":
        longest = max(parts, key=lambda part: part.length)
        return longest.interpolate(0.5, normalized=True)
    if _kind(geometry) == "point":
        return parts[0]
    return geometry.representative_point()


def _draw_receptors(
    axes: Axes, layers: MapLayers, bounds: tuple[float, float, float, float]
) -> dict[str, str]:
    """Draw the hits (farthest first, so the nearest are on top), numbered as in the receptor table."""
    kinds: dict[str, str] = {}
    clipped_hits = []
    for number, (hit, geometry) in enumerate(layers.receptors, start=1):
        clipped = shapely.clip_by_rect(geometry, *bounds) if geometry is not None else None
        if clipped is not None and not clipped.is_empty:
            clipped_hits.append((number, hit, clipped))
    for _, hit, clipped in reversed(clipped_hits):
        role = hit.receptor_role.value
        colour = ROLE_STYLE.get(role, "#616161")
        fill = colour if _kind(clipped) == "point" else colour + "55"
        _draw(axes, clipped, colour=colour, fill=fill, width=1.3, size=4.0, z=3.0)
        kinds.setdefault(role, _kind(clipped))
    for number, hit, clipped in clipped_hits[:_MAX_LABELS]:
        anchor = _label_anchor(clipped)
        colour = ROLE_STYLE.get(hit.receptor_role.value, "#424242")
        axes.annotate(
            str(number),
            (anchor.x, anchor.y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=6.5,
            ha="left",
            va="bottom",
            zorder=7,
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": colour, "linewidth": 0.8},
        )
    return kinds


def _role_handle(role: str, kind: str, label: str, colour: str = "") -> Any:
    colour = colour or ROLE_STYLE.get(role, "#616161")
    if kind == "point":
        return Line2D([], [], color=colour, marker="o", markersize=5, linestyle="none", label=label)
    if kind == "area":
        return Patch(facecolor=colour + "55", edgecolor=colour, linewidth=1.0, label=label)
    return Line2D([], [], color=colour, linewidth=1.5, label=label)


def _project_handle(geometry: BaseGeometry, label: str) -> Any:
    if _kind(geometry) == "point":
        return Line2D([], [], color=_PROJECT, marker="*", markersize=10, markeredgecolor="black",
                      linestyle="none", label=label)  # fmt: skip
    return _role_handle("", _kind(geometry), label, colour=_PROJECT)


def _legend(
    axes: Axes, project: BaseGeometry, kinds: Mapping[str, str], style: FigureStyle, species: bool = False
) -> None:
    t = style.translate
    handles = [
        _project_handle(project, t("map.project")),
        Line2D([], [], color="#424242", linestyle="--", linewidth=0.8, label=t("map.bands")),
        Line2D([], [], color="#8d8d8d", linewidth=0.8, label=t("map.countries")),
    ]
    if species:
        handles.append(Line2D([], [], color=_SPECIES_COLOURS["EN"], marker="^", markeredgecolor="black",
                              linestyle="none", label=t("map.species")))  # fmt: skip
    for role in sorted(kinds):
        handles.append(_role_handle(role, kinds[role], t(f"role.{role}")))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=7)


#: Marker colour per Red List category group on the map (styling only).
_SPECIES_COLOURS = {"CR": "#b71c1c", "EN": "#e53935", "VU": "#fb8c00", "NT": "#9e9e9e", "DD": "#9e9e9e"}


def _draw_species(axes: Axes, species: Sequence[tuple[float, float, str]]) -> bool:
    for lon, lat, category in species:
        axes.plot(lon, lat, marker="^", markersize=7, color=_SPECIES_COLOURS.get(category, "#9e9e9e"),
                  markeredgecolor="black", markeredgewidth=0.5, linestyle="none", zorder=7)  # fmt: skip
    return bool(species)


def _draw_project(axes: Axes, geometry: BaseGeometry, bands_m: Sequence[float]) -> None:
    for ring in band_rings(geometry, bands_m):
        for part in _parts(ring):
            x, y = np.asarray(part.coords)[:, :2].T
            axes.plot(x, y, color="#424242", linestyle="--", linewidth=0.8, zorder=4)
    if geometry.geom_type in ("Point", "MultiPoint"):
        for part in _parts(geometry):
            axes.plot(
                part.x,
                part.y,
                marker="*",
                markersize=14,
                color=_PROJECT,
                markeredgecolor="black",
                markeredgewidth=0.8,
                linestyle="none",
                zorder=8,
            )
    else:
        _draw(axes, geometry, colour=_PROJECT, fill=_PROJECT + "33", width=2.2, z=8.0)


def _height_in(bounds: tuple[float, float, float, float], aspect: float) -> float:
    """A figure height that fits the map's axes at ``aspect`` without empty bands above and below."""
    ratio = (bounds[3] - bounds[1]) * aspect / max(bounds[2] - bounds[0], 1e-9)
    axes_height = _WIDTH_IN * (_RIGHT - _LEFT) * min(max(ratio, 0.5), 1.5)
    return axes_height / (_TOP - _BOTTOM)


def project_map(layers: MapLayers, style: FigureStyle) -> bytes:
    """The map as PNG bytes (see the module docstring)."""
    bounds = view_bounds(layers.project, max(layers.bands_m))
    min_x, min_y, max_x, max_y = bounds
    latitude = (min_y + max_y) / 2
    aspect = 1 / max(math.cos(math.radians(latitude)), 0.01)
    with new_figure(style, _WIDTH_IN, _height_in(bounds, aspect)) as figure:
        axes = figure.add_subplot()
        axes.set_facecolor(_WATER)
        _draw_countries(axes, layers, bounds)
        kinds = _draw_receptors(axes, layers, bounds)
        with_species = _draw_species(axes, layers.species)
        _draw_project(axes, layers.project, layers.bands_m)
        axes.set_xlim(min_x, max_x)
        axes.set_ylim(min_y, max_y)
        axes.set_aspect(aspect)
        axes.xaxis.set_major_locator(MaxNLocator(4))
        axes.yaxis.set_major_locator(MaxNLocator(5))
        axes.xaxis.set_major_formatter(_degrees("x"))
        axes.yaxis.set_major_formatter(_degrees("y"))
        axes.tick_params(labelsize=7)
        axes.grid(color="#9e9e9e", linewidth=0.4, linestyle=":", zorder=0.5)
        _scale_bar(axes, bounds)
        _north_arrow(axes)
        _legend(axes, layers.project, kinds, style, with_species)
        figure.subplots_adjust(left=_LEFT, right=_RIGHT, top=_TOP, bottom=_BOTTOM)
        return png_bytes(figure)
