"""Pure geometry checks and repairs used when data is imported.

Everything here works on numpy arrays of shapely geometries (``None`` for a
missing geometry) and returns plain values; no I/O and no data frames, so the
readers, the store and the tests can share one definition of "valid".

* :func:`parse_wkt` / :func:`parse_wkb` turn text or binary geometries into
  shapely objects, closing unclosed rings and reporting what was closed.
* :func:`find_out_of_range` finds coordinates outside longitude -180..180 and
  latitude -90..90 (or not finite).
* :func:`repair_geometries` repairs invalid geometries with
  :func:`shapely.make_valid`, keeping each geometry's dimension, and reports
  what it cannot repair.
* :func:`swap_verdict` tells whether points look like they have longitude and
  latitude exchanged, given the polygon of the country each claims to be in.
* :func:`wrapped_bounds` and :func:`wrapped_extent` give boxes that follow the
  antimeridian convention of GeoJSON (RFC 7946 section 5.2): a box crossing
  180 degrees has its western longitude greater than its eastern one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = [
    "GeometryArray",
    "OutOfRange",
    "ParseOutcome",
    "Problem",
    "Repair",
    "RepairOutcome",
    "SwapVerdict",
    "clamp_rounding",
    "find_out_of_range",
    "longitude_within",
    "parse_wkb",
    "parse_wkt",
    "repair_geometries",
    "split_at_antimeridian",
    "swap_verdict",
    "wrapped_bounds",
    "wrapped_extent",
]

#: A one-dimensional object array of shapely geometries or ``None``.
GeometryArray = NDArray[np.object_]

_POLYGONAL = ("Polygon", "MultiPolygon")

#: Coordinates this little beyond +-180 / +-90 degrees (about 1 cm) are floating-point
#: rounding, not errors: :func:`clamp_rounding` moves them onto the limit.
RANGE_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Repair:
    """One geometry that was changed: its position, what was wrong, what was done."""

    index: int
    problem: str
    action: str


@dataclass(frozen=True)
class Problem:
    """One geometry that could not be used, and why."""

    index: int
    problem: str


@dataclass(frozen=True)
class ParseOutcome:
    """Geometries parsed from WKT or WKB, with the ones fixed or unparseable."""

    geometries: GeometryArray
    repairs: tuple[Repair, ...]
    failures: tuple[Problem, ...]


@dataclass(frozen=True)
class RepairOutcome:
    """Geometries after :func:`repair_geometries`."""

    geometries: GeometryArray
    repairs: tuple[Repair, ...]
    unrepairable: tuple[Problem, ...]


@dataclass(frozen=True)
class OutOfRange:
    """The first coordinate of a geometry that is not a valid longitude/latitude."""

    index: int
    lon: float
    lat: float


@dataclass(frozen=True)
class SwapVerdict:
    """How many points lie in their claimed country as given and with lon/lat exchanged."""

    checked: int
    inside: int
    inside_swapped: int

    @property
    def looks_swapped(self) -> bool:
        """True when no point lies in its country but most do once lon and lat are exchanged.

        "Most" (at least half) rather than "all" because coastal points often fall
        just outside generalised country outlines even when they are right.
        """
        return self.checked > 0 and self.inside == 0 and 2 * self.inside_swapped >= self.checked


def _as_object_array(values: Sequence[Any] | NDArray[Any]) -> GeometryArray:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _parse(
    values: Sequence[Any] | NDArray[Any],
    parser: Callable[..., Any],
) -> ParseOutcome:
    raw = _as_object_array(values)
    missing = np.array([value is None or (isinstance(value, float) and np.isnan(value)) for value in raw])
    cleaned = raw.copy()
    cleaned[missing] = None
    geometries = _as_object_array(parser(cleaned, on_invalid="ignore"))
    repairs: list[Repair] = []
    failures: list[Problem] = []
    for index in np.flatnonzero((geometries == None) & ~missing):  # noqa: E711 - elementwise
        position = int(index)
        try:
            parser(cleaned[position], on_invalid="raise")
            reason = "unparseable geometry"
        except shapely.errors.GEOSException as error:
            reason = str(error).removeprefix("ParseException: ").removeprefix("IllegalArgumentException: ")
        fixed = parser(cleaned[position], on_invalid="fix")
        if fixed is None:
            failures.append(Problem(position, reason))
        else:
            geometries[position] = fixed
            repairs.append(Repair(position, reason, "closed the unclosed ring(s)"))
    return ParseOutcome(geometries, tuple(repairs), tuple(failures))


def parse_wkt(values: Sequence[Any] | NDArray[Any]) -> ParseOutcome:
    """Parse WKT strings (``None`` or NaN stay ``None``), fixing unclosed rings."""
    return _parse(values, shapely.from_wkt)


def parse_wkb(values: Sequence[Any] | NDArray[Any]) -> ParseOutcome:
    """Parse WKB bytes (``None`` stays ``None``), fixing unclosed rings."""
    return _parse(values, shapely.from_wkb)


def _bounds(geometries: GeometryArray) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    present = np.array([geometry is not None for geometry in geometries], dtype=bool)
    bounds = np.full((len(geometries), 4), 0.0)
    if present.any():
        bounds[present] = shapely.bounds(geometries[present])
    empty = np.isnan(bounds).all(axis=1)
    return bounds, empty


def find_out_of_range(geometries: GeometryArray, tolerance: float = RANGE_TOLERANCE) -> list[OutOfRange]:
    """Geometries with a coordinate outside lon -180..180 / lat -90..90 (beyond ``tolerance``) or not finite.

    Returns one entry per offending geometry, in order, with its first bad coordinate.
    """
    lon_limit = 180 + tolerance
    lat_limit = 90 + tolerance
    bounds, empty = _bounds(geometries)
    with np.errstate(invalid="ignore"):
        bad = (
            (bounds[:, 0] < -lon_limit)
            | (bounds[:, 2] > lon_limit)
            | (bounds[:, 1] < -lat_limit)
            | (bounds[:, 3] > lat_limit)
            | ~np.isfinite(bounds).all(axis=1)
        ) & ~empty
    found: list[OutOfRange] = []
    for index in np.flatnonzero(bad):
        coordinates = shapely.get_coordinates(geometries[index])
        x = coordinates[:, 0]
        y = coordinates[:, 1]
        with np.errstate(invalid="ignore"):
            wrong = ~np.isfinite(x) | ~np.isfinite(y) | (np.abs(x) > lon_limit) | (np.abs(y) > lat_limit)
        first = int(np.flatnonzero(wrong)[0]) if wrong.any() else 0
        found.append(OutOfRange(int(index), float(x[first]), float(y[first])))
    return found


def clamp_rounding(geometries: GeometryArray) -> tuple[GeometryArray, tuple[Repair, ...]]:
    """Move coordinates a rounding error beyond +-180 / +-90 onto the limit, recording each geometry moved.

    Call after :func:`find_out_of_range` found nothing, so every excess is within the tolerance.
    """
    bounds, empty = _bounds(geometries)
    beyond = (
        (bounds[:, 0] < -180) | (bounds[:, 2] > 180) | (bounds[:, 1] < -90) | (bounds[:, 3] > 90)
    ) & ~empty
    result = geometries.copy()
    repairs: list[Repair] = []

    def clip(coordinates: NDArray[np.float64]) -> NDArray[np.float64]:
        clipped = coordinates.copy()
        clipped[:, 0] = np.clip(clipped[:, 0], -180, 180)
        clipped[:, 1] = np.clip(clipped[:, 1], -90, 90)
        return clipped

    for index in np.flatnonzero(beyond):
        row = bounds[index]
        worst = max(-180 - row[0], row[2] - 180, -90 - row[1], row[3] - 90)
        result[index] = shapely.transform(geometries[index], clip, include_z=None)
        repairs.append(
            Repair(
                int(index),
                f"coordinate beyond the longitude/latitude limit by {worst:.1e} degrees "
                "(floating-point rounding)",
                "moved onto the limit",
            )
        )
    return result, tuple(repairs)


def _same_dimension_parts(repaired: Any, dimension: int) -> Any:
    """The parts of ``repaired`` of ``dimension``; None when there are none."""
    if shapely.is_empty(repaired):
        return None
    if int(shapely.get_dimensions(repaired)) == dimension and repaired.geom_type != "GeometryCollection":
        return repaired
    parts = [part for part in shapely.get_parts(repaired) if int(shapely.get_dimensions(part)) == dimension]
    parts = [part for part in parts if not shapely.is_empty(part)]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if dimension == 2:
        return shapely.union_all(parts)
    if dimension == 1:
        return shapely.multilinestrings(parts)
    return shapely.multipoints(parts)


def repair_geometries(geometries: GeometryArray) -> RepairOutcome:
    """Repair invalid geometries; report empty, non-finite and collapsing ones.

    ``None`` entries are left alone (the caller decides what a missing geometry
    means). Polygons are repaired with the ``structure`` method, which keeps the
    area the rings were meant to enclose (a bowtie becomes two triangles,
    overlapping parts are merged); other types with the ``linework`` method. A
    repair that would change the geometry's dimension (a polygon collapsing to
    a line) is not a repair: the geometry is reported as unrepairable.
    """
    result = geometries.copy()
    present = np.array([geometry is not None for geometry in geometries], dtype=bool)
    repairs: list[Repair] = []
    unrepairable: list[Problem] = []
    if not present.any():
        return RepairOutcome(result, (), ())
    empty = np.zeros(len(geometries), dtype=bool)
    empty[present] = shapely.is_empty(geometries[present])
    valid = np.ones(len(geometries), dtype=bool)
    valid[present] = shapely.is_valid(geometries[present])
    for index in np.flatnonzero(empty):
        unrepairable.append(Problem(int(index), f"empty geometry ({geometries[index].geom_type} EMPTY)"))
    for index in np.flatnonzero(~valid & ~empty):
        position = int(index)
        geometry = geometries[position]
        reason = str(shapely.is_valid_reason(geometry))
        coordinates = shapely.get_coordinates(geometry, include_z=False)
        if not np.isfinite(coordinates).all():
            unrepairable.append(Problem(position, f"{reason}: a coordinate is not a number"))
            continue
        dimension = int(shapely.get_dimensions(geometry))
        if geometry.geom_type in _POLYGONAL:
            repaired = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
        else:
            repaired = shapely.make_valid(geometry)
        kept = _same_dimension_parts(repaired, dimension)
        if kept is None or not shapely.is_valid(kept):
            unrepairable.append(
                Problem(
                    position,
                    f"{reason}; repairing it would collapse the {geometry.geom_type} "
                    f"to {repaired.geom_type if not shapely.is_empty(repaired) else 'nothing'}",
                )
            )
            continue
        action = f"made valid with shapely.make_valid: {geometry.geom_type} -> {kept.geom_type}"
        if kept is not repaired:
            action += " (dropped collapsed lower-dimension parts)"
        result[position] = kept
        repairs.append(Repair(position, reason, action))
    unrepairable.sort(key=lambda problem: problem.index)
    return RepairOutcome(result, tuple(repairs), tuple(unrepairable))


def swap_verdict(
    countries: GeometryArray,
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
) -> SwapVerdict:
    """Count points inside their claimed country, as given and with lon/lat exchanged.

    ``countries[i]`` is the polygon of the country point ``i`` claims to be in,
    or ``None`` when unknown (such points are not counted).
    """
    known = np.array([country is not None for country in countries], dtype=bool)
    known &= np.isfinite(lon) & np.isfinite(lat)
    if not known.any():
        return SwapVerdict(0, 0, 0)
    polygons = countries[known]
    x = lon[known]
    y = lat[known]
    inside = shapely.intersects_xy(polygons, x, y)
    swappable = np.abs(x) <= 90
    inside_swapped = np.zeros(len(x), dtype=bool)
    inside_swapped[swappable] = shapely.intersects_xy(polygons[swappable], y[swappable], x[swappable])
    return SwapVerdict(int(known.sum()), int(np.count_nonzero(inside)), int(np.count_nonzero(inside_swapped)))


# -- boxes across the antimeridian (RFC 7946 section 5.2) --------------------------------------


def _segment_intervals(geometry: Any) -> NDArray[np.float64]:
    """Longitude intervals ``[low, high]`` covered by the linework (or points) of ``geometry``.

    A segment whose ends are more than 180 degrees of longitude apart is taken to cross the
    antimeridian (the shorter way round; RFC 7946 section 3.1.9 asks for such lines to be split,
    and a split one gives the same intervals): it covers ``[east end, 180]`` and ``[-180, west end]``.
    A segment from -180 to 180 (a polar band's edge, as Natural Earth draws Antarctica) goes all
    the way round.
    """
    lines = shapely.get_parts(shapely.boundary(geometry)) if shapely.get_dimensions(geometry) == 2 else None
    if lines is None:
        lines = shapely.get_parts(geometry)
    intervals: list[NDArray[np.float64]] = []
    for line in lines:
        x = shapely.get_coordinates(line)[:, 0]
        if len(x) == 1 or shapely.get_type_id(line) == 0:
            intervals.append(np.column_stack([x, x]))
            continue
        parts = [shapely.get_coordinates(part)[:, 0] for part in shapely.get_parts(line)]
        for xs in parts:
            start, end = xs[:-1], xs[1:]
            low, high = np.minimum(start, end), np.maximum(start, end)
            crossing = ((high - low) > 180) & ((high - low) < 360)
            intervals.append(np.column_stack([low[~crossing], high[~crossing]]))
            intervals.append(np.column_stack([high[crossing], np.full(crossing.sum(), 180.0)]))
            intervals.append(np.column_stack([np.full(crossing.sum(), -180.0), low[crossing]]))
    return np.concatenate(intervals) if intervals else np.empty((0, 2))


def _circular_cover(intervals: NDArray[np.float64]) -> tuple[float, float]:
    """The shortest ``(west, east)`` that covers every interval; west > east when it crosses 180."""
    order = np.argsort(intervals[:, 0], kind="stable")
    low, high = intervals[order, 0], np.maximum.accumulate(intervals[order, 1])
    gaps = low[1:] - high[:-1]  # uncovered stretch after each interval (negative: overlap)
    wrap_gap = low[0] + 360.0 - high[-1]
    if len(gaps) == 0 or wrap_gap >= gaps.max():
        return float(low[0]), float(high[-1])
    widest = int(np.argmax(gaps))
    return float(low[widest + 1]), float(high[widest])


def wrapped_bounds(geometries: GeometryArray) -> NDArray[np.float64]:
    """``(west, south, east, north)`` of each geometry (NaN for a missing or empty one), with
    ``west > east`` for a geometry that crosses the antimeridian (RFC 7946 section 5.2).

    Only geometries more than 180 degrees wide are looked at segment by segment; the others keep
    their planar bounds.
    """
    bounds, empty = _bounds(geometries)
    bounds[empty | np.array([geometry is None for geometry in geometries], dtype=bool)] = np.nan
    with np.errstate(invalid="ignore"):
        wide = np.flatnonzero((bounds[:, 2] - bounds[:, 0]) > 180)
    for index in wide:
        bounds[index, 0], bounds[index, 2] = _circular_cover(_segment_intervals(geometries[index]))
    return bounds


def wrapped_extent(bounds: NDArray[np.float64]) -> tuple[float, float, float, float] | None:
    """The box covering every row of :func:`wrapped_bounds` (None when all are NaN), crossing the
    antimeridian (west > east) when that is the shorter cover."""
    present = bounds[~np.isnan(bounds).any(axis=1)]
    if len(present) == 0:
        return None
    west, south, east, north = present.T
    crossing = west > east
    intervals = np.concatenate(
        [
            np.column_stack([west[~crossing], east[~crossing]]),
            np.column_stack([west[crossing], np.full(crossing.sum(), 180.0)]),
            np.column_stack([np.full(crossing.sum(), -180.0), east[crossing]]),
        ]
    )
    low, high = _circular_cover(intervals)
    return low, float(south.min()), high, float(north.max())


def longitude_within(low: float, high: float, west: float, east: float) -> bool:
    """Whether the longitudes ``low..high`` (``low <= high``; may run past 180) lie inside a box's
    ``west..east`` (``west > east``: the box crosses the antimeridian, RFC 7946 section 5.2)."""
    if (west <= -180 and east >= 180) or high - low >= 360:
        return west <= -180 and east >= 180
    shift = ((low + 180) % 360) - 180 - low  # low into [-180, 180)
    low, high = low + shift, high + shift
    if west <= east:
        return low >= west and high <= east
    return (low >= west and high <= east + 360) or (high <= east)


def split_at_antimeridian(
    box: tuple[float, float, float, float],
) -> list[tuple[float, float, float, float]]:
    """A box crossing the antimeridian (west > east) as its two parts; other boxes as they are."""
    west, south, east, north = box
    if west <= east:
        return [box]
    return [(west, south, 180.0, north), (-180.0, south, east, north)]
