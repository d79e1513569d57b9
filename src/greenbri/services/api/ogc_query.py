"""The query parameters of OGC API - Features Parts 2 and 3 on an items request, read and checked.

``crs`` / ``bbox-crs`` (Part 2: CRS84, EPSG:4326 in latitude/longitude order, EPSG:3857),
``filter`` / ``filter-lang`` / ``filter-crs`` (Part 3, CQL2 text or JSON), ``sortby`` and
``properties``. Each bad value is a 400 naming the parameter and what is allowed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from greenbri.adapters.stores.cql2_sql import parse_filter
from greenbri.core.errors import InputError
from greenbri.services.api.bbox import parse_bbox
from greenbri.services.api.features import OUTPUT_CRS

__all__ = [
    "CRS84",
    "bbox_in_crs84",
    "output_crs",
    "point_in",
    "properties_chosen",
    "sort_order",
    "the_filter",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
_EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
#: Short spellings clients use for the same CRS.
_ALIASES = {
    "CRS84": CRS84,
    "OGC:CRS84": CRS84,
    "EPSG:4326": _EPSG_4326,
    "EPSG:3857": _EPSG_3857,
    "[OGC:CRS84]": CRS84,
    "[EPSG:4326]": _EPSG_4326,
    "[EPSG:3857]": _EPSG_3857,
}


def output_crs(text: str | None, parameter: str = "crs") -> str:
    """The CRS URI a ``crs``/``bbox-crs``/``filter-crs`` value names (CRS84 when absent)."""
    if text is None or text == "":
        return CRS84
    uri = _ALIASES.get(text.strip(), text.strip().replace("https://", "http://"))
    if uri not in OUTPUT_CRS:
        raise InputError(
            f"{parameter}={text!r} is not a CRS this server offers.",
            hint="use one of " + ", ".join(OUTPUT_CRS) + " (or CRS84, EPSG:4326, EPSG:3857).",
        )
    return uri


def bbox_in_crs84(text: str | None, crs_text: str | None) -> tuple[float, float, float, float] | None:
    """The ``bbox`` as a CRS84 box, from ``bbox-crs`` (EPSG:4326 boxes are latitude first)."""
    crs = output_crs(crs_text, "bbox-crs")
    if text is None or crs == CRS84:
        return parse_bbox(text)
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise InputError(
            f"bbox={text!r} is not four numbers in {crs}.", hint="give bbox=minx,miny,maxx,maxy in bbox-crs."
        )
    if crs == _EPSG_4326:
        return parse_bbox(f"{numbers[1]},{numbers[0]},{numbers[3]},{numbers[2]}")
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:3857", "OGC:CRS84", always_xy=True)
    west, south, east, north = transformer.transform_bounds(numbers[0], numbers[1], numbers[2], numbers[3])
    return parse_bbox(f"{max(west, -180.0)},{max(south, -90.0)},{min(east, 180.0)},{min(north, 90.0)}")


@cache
def _to_web_mercator() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True)


def point_in(crs: str, lon: float, lat: float) -> list[float]:
    """A CRS84 point's coordinates in ``crs`` (a key of OUTPUT_CRS), for features built in Python."""
    if crs == _EPSG_4326:
        return [lat, lon]
    if crs == _EPSG_3857:
        x, y = _to_web_mercator().transform(lon, lat)
        return [x, y]
    return [lon, lat]


def sort_order(text: str | None, names: set[str]) -> tuple[tuple[str, bool], ...]:
    """``sortby=+population,-name_en`` as (name, descending) pairs."""
    if not text:
        return ()
    order = []
    for part in text.split(","):
        name = part.strip().lstrip("+")
        descending = name.startswith("-")
        name = name.lstrip("-").strip()
        if name not in names:
            raise InputError(
                f"sortby: {name!r} is not a property of this collection.",
                hint="give sortby=name or -name (descending), comma-separated, from: "
                + ", ".join(sorted(names)),
            )
        order.append((name, descending))
    return tuple(order)


def properties_chosen(text: str | None, names: set[str]) -> tuple[str, ...] | None:
    """``properties=name_en,population``: the properties to return (None: all)."""
    if text is None:
        return None
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise InputError(
            f"properties: {', '.join(unknown)} not in this collection.",
            hint="choose from: " + ", ".join(sorted(names)) + ".",
        )
    return chosen


def the_filter(text: str | None, language: str | None, crs_text: str | None) -> dict[str, Any] | None:
    """A CQL2 ``filter`` as validated CQL2 JSON (geometries in CRS84, the only ``filter-crs``)."""
    if text is None:
        return None
    if output_crs(crs_text, "filter-crs") != CRS84:
        raise InputError("filter-crs must be CRS84.", hint="give the filter's geometries in CRS84 (lon/lat).")
    return parse_filter(text, language)
