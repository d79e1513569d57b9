"""One species occurrence record: cleaned from Darwin Core terms, or rejected with a reason.

Both inputs greenbri reads speak Darwin Core: a Darwin Core Archive maps its columns to term URIs
in ``meta.xml`` (greenbri uses the term's simple name, ``decimalLatitude``), and GBIF's occurrence
API returns JSON objects keyed by the same simple names (plus ``key``, ``datasetKey``,
``taxonKey``, ``license``, ``iucnRedListCategory``). :func:`clean_occurrence` turns one such
mapping into an :class:`Occurrence`, or a fatal :class:`RecordProblem` when the record cannot be a
point (no, non-numeric, out-of-range or 0,0 coordinates); non-fatal problems (an unreadable date,
an unknown category) are reported and the record is kept without that value.

Terms: Darwin Core Quick Reference Guide (TDWG, https://dwc.tdwg.org/terms/), 2023-09-18 release.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from greenbri.core.biodiversity.licences import LicenceClass, classify_licence
from greenbri.core.biodiversity.redlist import RedListCategory, parse_category

__all__ = ["OCCURRENCE_COLUMNS", "Occurrence", "RecordProblem", "clean_occurrence"]

#: The attribute columns of an occurrence layer (the geometry is a point from lon/lat).
OCCURRENCE_COLUMNS = (
    "occurrence_id",
    "dataset_key",
    "scientific_name",
    "species",
    "taxon_key",
    "taxon_rank",
    "kingdom",
    "family",
    "red_list_category",
    "event_date",
    "year",
    "basis_of_record",
    "coordinate_uncertainty_m",
    "country_code",
    "licence",
    "licence_class",
)

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T /].*)?$")
#: ``java.util.Date.toString()``: "Tue Apr 01 00:00:00 CET 1930" (older GBIF downloads).
_JAVA_DATE = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) \d{2}:\d{2}:\d{2} [A-Z+\-0-9]+ (\d{4})$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}


@dataclass(frozen=True)
class RecordProblem:
    """Something wrong with one record: ``fatal`` problems keep it out of the layer."""

    row: int
    record_id: str
    field: str
    value: str
    message: str
    fatal: bool

    def text(self, source: str) -> str:
        verdict = "record skipped" if self.fatal else "value left blank"
        return (
            f"{source}, row {self.row} (id {self.record_id or '?'}), field {self.field} = {self.value!r}: "
            f"{self.message} ({verdict})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "record_id": self.record_id,
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "fatal": self.fatal,
        }


@dataclass(frozen=True)
class Occurrence:
    """A cleaned occurrence: a point (``lon``, ``lat``, EPSG:4326) and its attributes."""

    occurrence_id: str
    dataset_key: str
    scientific_name: str
    lon: float
    lat: float
    species: str = ""
    taxon_key: str = ""
    taxon_rank: str = ""
    kingdom: str = ""
    family: str = ""
    red_list_category: RedListCategory | None = None
    event_date: str = ""
    year: int | None = None
    basis_of_record: str = ""
    coordinate_uncertainty_m: float | None = None
    country_code: str = ""
    licence: str = ""
    licence_class: LicenceClass = LicenceClass.UNSPECIFIED
    problems: tuple[RecordProblem, ...] = field(default=(), compare=False)

    def row(self) -> dict[str, Any]:
        """The layer's attribute row (:data:`OCCURRENCE_COLUMNS`)."""
        values = {name: getattr(self, name) for name in OCCURRENCE_COLUMNS}
        values["red_list_category"] = self.red_list_category.value if self.red_list_category else ""
        values["licence_class"] = self.licence_class.value
        return values


def _text(raw: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = raw.get(name)
        if value is not None and str(value).strip() and str(value).strip().lower() != "nan":
            return str(value).strip()
    return ""


def _coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _point(raw: Mapping[str, Any], row: int, record_id: str) -> tuple[float, float] | RecordProblem:
    lat_text, lon_text = _text(raw, "decimalLatitude"), _text(raw, "decimalLongitude")
    value = f"{lat_text},{lon_text}"
    if not lat_text or not lon_text:
        return RecordProblem(
            row,
            record_id,
            "decimalLatitude/decimalLongitude",
            value,
            "the record has no coordinates, so it cannot be placed",
            True,
        )
    lat, lon = _coordinate(lat_text, 90.0), _coordinate(lon_text, 180.0)
    if lat is None or lon is None:
        return RecordProblem(
            row,
            record_id,
            "decimalLatitude/decimalLongitude",
            value,
            "coordinates must be decimal degrees, latitude -90..90 and longitude -180..180",
            True,
        )
    if lat == 0.0 and lon == 0.0:
        return RecordProblem(
            row,
            record_id,
            "decimalLatitude/decimalLongitude",
            value,
            "0,0 is almost always a missing value written as zero (GBIF flags it ZERO_COORDINATE)",
            True,
        )
    return lon, lat


def _valid_date(year: int, month: int | None, day: int | None) -> str | None:
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            return f"{date(year, month, 1).isoformat()[:7]}"
    except ValueError:
        return None
    return f"{year:04d}"


def _date_from_parts(raw: Mapping[str, Any]) -> str | None:
    year, month, day = _text(raw, "year"), _text(raw, "month"), _text(raw, "day")
    if not year.isdigit():
        return None
    return _valid_date(
        int(year),
        int(month) if month.isdigit() else None,
        int(day) if day.isdigit() and month.isdigit() else None,
    )


def _date_from_text(text: str) -> str | None:
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = iso.groups()
        return _valid_date(int(year), int(month) if month else None, int(day) if day else None)
    java = _JAVA_DATE.match(text)
    if java and java.group(1) in _MONTHS:
        return _valid_date(int(java.group(3)), _MONTHS[java.group(1)], int(java.group(2)))
    return None


def _event_date(
    raw: Mapping[str, Any], row: int, record_id: str, today: date
) -> tuple[str, RecordProblem | None]:
    """ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``): the year/month/day terms first, then eventDate."""
    text = _text(raw, "eventDate")
    found = _date_from_parts(raw) or (_date_from_text(text) if text else None)
    shown = text or "/".join(_text(raw, name) for name in ("year", "month", "day"))
    if found is None:
        if not text and not _text(raw, "year"):
            return "", None
        return "", RecordProblem(
            row,
            record_id,
            "eventDate",
            shown,
            "not a date greenbri can read (ISO 8601 such as 1930-04-01, or the year/month/day terms)",
            False,
        )
    if int(found[:4]) > today.year:
        return "", RecordProblem(row, record_id, "eventDate", shown, "the date is in the future", False)
    return found, None


def _uncertainty(
    raw: Mapping[str, Any], row: int, record_id: str
) -> tuple[float | None, RecordProblem | None]:
    text = _text(raw, "coordinateUncertaintyInMeters")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value <= 0:
        return None, RecordProblem(
            row,
            record_id,
            "coordinateUncertaintyInMeters",
            text,
            "must be a positive number of metres",
            False,
        )
    return value, None


def _category(
    raw: Mapping[str, Any], row: int, record_id: str
) -> tuple[RedListCategory | None, RecordProblem | None]:
    text = _text(raw, "iucnRedListCategory")
    try:
        return parse_category(text), None
    except ValueError as error:
        return None, RecordProblem(row, record_id, "iucnRedListCategory", text, str(error), False)


def clean_occurrence(
    raw: Mapping[str, Any], *, row: int, today: date, dataset_licence: str = "", dataset_key: str = ""
) -> Occurrence | RecordProblem:
    """The cleaned record, or the fatal problem that keeps it out.

    ``dataset_licence`` is used when the record has no ``license`` of its own (an archive whose
    licence is declared per dataset); ``dataset_key`` when it names no dataset.
    """
    record_id = _text(raw, "key", "gbifID", "occurrenceID", "id")
    point = _point(raw, row, record_id)
    if isinstance(point, RecordProblem):
        return point
    event_date, date_problem = _event_date(raw, row, record_id, today)
    uncertainty, uncertainty_problem = _uncertainty(raw, row, record_id)
    category, category_problem = _category(raw, row, record_id)
    licence = _text(raw, "license", "dcterms:license") or dataset_licence
    year = int(event_date[:4]) if event_date else None
    problems = tuple(item for item in (date_problem, uncertainty_problem, category_problem) if item)
    return Occurrence(
        occurrence_id=record_id,
        dataset_key=_text(raw, "datasetKey", "datasetID") or dataset_key,
        scientific_name=_text(raw, "scientificName"),
        lon=point[0],
        lat=point[1],
        species=_text(raw, "species"),
        taxon_key=_text(raw, "speciesKey", "speciesID", "taxonKey", "taxonID"),
        taxon_rank=_text(raw, "taxonRank").upper(),
        kingdom=_text(raw, "kingdom"),
        family=_text(raw, "family"),
        red_list_category=category,
        event_date=event_date,
        year=year,
        basis_of_record=_text(raw, "basisOfRecord").upper(),
        coordinate_uncertainty_m=uncertainty,
        country_code=_text(raw, "countryCode").upper(),
        licence=licence,
        licence_class=classify_licence(licence),
        problems=problems,
    )
