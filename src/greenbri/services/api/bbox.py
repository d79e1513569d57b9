"""The ``bbox`` query parameter of the OGC and REST endpoints."""

from __future__ import annotations

from greenbri.core.errors import InputError

__all__ = ["parse_bbox"]


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat`` (CRS84; with six numbers the heights are ignored).

    ``min_lon > max_lon`` is a box across the antimeridian; latitudes must be ordered.
    """
    if text is None:
        return None
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if (
        len(numbers) != 4
        or not all(-180 <= numbers[i] <= 180 for i in (0, 2))
        or not (-90 <= numbers[1] <= numbers[3] <= 90)
    ):
        raise InputError(
            f"bbox={text!r} is not a longitude/latitude box.",
            hint="give min_lon,min_lat,max_lon,max_lat in degrees, e.g. bbox=100,20,110,30.",
        )
    return numbers[0], numbers[1], numbers[2], numbers[3]
