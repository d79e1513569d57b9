"""Numbers and references as a report prints them. Rounding happens here and only here."""

from __future__ import annotations

import math

__all__ = ["area_km2", "distance_km", "integer", "length_km", "number", "tonnes"]


def distance_km(metres: float) -> str:
    """A distance in metres as kilometres to 0.01 km (``1723.4`` -> ``"1.72"``)."""
    return f"{metres / 1000:,.2f}"


def length_km(metres: float | None) -> str:
    return "" if metres is None else f"{metres / 1000:,.2f} km"


def area_km2(square_metres: float | None) -> str:
    return "" if square_metres is None else f"{square_metres / 1e6:,.2f} km²"


def integer(value: float | None) -> str:
    """Thousands separators, no decimals; '' for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.0f}"


def tonnes(value: float | None) -> str:
    return integer(value)


def number(value: float | None) -> str:
    """Up to four significant decimals, without trailing zeros (``0.491``, ``94,600``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.3g}"
