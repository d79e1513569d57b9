"""The GBIF API v1: occurrence search (paged to the end) and species matching against the backbone.

Modelled on real recorded exchanges (``shared/data/biodiversity/gbif/*.yaml``, from the pygbif test
suite, 2024):

* ``GET {base}/occurrence/search?taxonKey=2431762&limit=300&offset=0`` answers
  ``{"offset": 0, "limit": 300, "endOfRecords": false, "count": 2306, "results": [...]}``; each
  result is keyed by Darwin Core simple names plus ``key``, ``datasetKey``, ``license`` (a CC URL),
  ``iucnRedListCategory`` and ``issues``. Other filters used here are ``country`` (ISO 3166-1
  alpha-2) and ``geometry`` (WKT, counter-clockwise polygon), as the API documentation gives them
  (https://techdocs.gbif.org/en/openapi/v1/occurrence, "Occurrence search").
* ``GET {base}/species/match?name=Helianthus+annuus&strict=false&verbose=false`` answers
  ``{"usageKey": 9206251, "scientificName": "Helianthus annuus L.", "rank": "SPECIES",
  "status": "ACCEPTED", "confidence": 99, "matchType": "EXACT", ...}``; ``matchType`` ``NONE``
  means no match.
* ``GET {base}/species/{key}`` answers one name usage (``key``, ``scientificName``, ``rank``,
  ``taxonomicStatus``, ...).

The search API stops at offset + limit = 100,000 (API documentation, "Occurrence search": larger
result sets need the download API); :meth:`GbifApi.search_occurrences` stops there, or at
``max_records``, and says so. ``base_url`` is the mirror setting: a proxy or copy of the API.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from greenbri.adapters.sources.http import HttpClient
from greenbri.core.errors import ConfigurationError, SourceError

__all__ = ["DEFAULT_API_URL", "OFFSET_LIMIT", "GbifApi", "OccurrenceSearch", "SpeciesMatch"]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.gbif.org/v1"
#: The search API's paging ceiling (offset + limit), from the API documentation.
OFFSET_LIMIT = 100_000
#: The largest page the search API serves (the recorded exchanges use it).
MAX_PAGE = 300
_SHAPE_HINT = (
    "the GBIF API may have changed; report it, or use a GBIF download (greenbri species import FILE.zip)."
)


@dataclass(frozen=True)
class OccurrenceSearch:
    """The records of a search, the total GBIF reported and why paging stopped."""

    query: Mapping[str, str]
    records: tuple[Mapping[str, Any], ...]
    count: int
    complete: bool
    pages: int
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SpeciesMatch:
    """A name matched against the GBIF backbone; ``usage_key`` is None when nothing matched."""

    name: str
    usage_key: int | None
    scientific_name: str
    canonical_name: str
    rank: str
    status: str
    match_type: str
    confidence: int | None
    kingdom: str = ""
    family: str = ""

    @property
    def matched(self) -> bool:
        return self.usage_key is not None and self.match_type != "NONE"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "usage_key": self.usage_key,
            "scientific_name": self.scientific_name,
            "canonical_name": self.canonical_name,
            "rank": self.rank,
            "status": self.status,
            "match_type": self.match_type,
            "confidence": self.confidence,
            "kingdom": self.kingdom,
            "family": self.family,
        }


def _page(body: Any, url: str) -> tuple[list[Mapping[str, Any]], bool, int]:
    if (
        not isinstance(body, Mapping)
        or not isinstance(body.get("results"), list)
        or "endOfRecords" not in body
    ):
        raise SourceError(
            f"GBIF answered {url} with an unexpected shape (no 'results' list or 'endOfRecords'): "
            f"{str(body)[:200]}.",
            hint=_SHAPE_HINT,
        )
    records = [item for item in body["results"] if isinstance(item, Mapping)]
    count = body.get("count")
    return records, bool(body["endOfRecords"]), int(count) if isinstance(count, int) else -1


class GbifApi:
    """GBIF API v1 through the project's :class:`HttpClient` (inject a transport in tests)."""

    def __init__(
        self, client: HttpClient, *, base_url: str = DEFAULT_API_URL, page_size: int = MAX_PAGE
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE:
            raise ConfigurationError(
                f"page_size={page_size} is outside 1..{MAX_PAGE}.",
                hint=f"use at most {MAX_PAGE} (GBIF's limit).",
            )
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size

    def search_occurrences(
        self,
        *,
        taxon_key: int | None = None,
        country: str | None = None,
        geometry: str | None = None,
        max_records: int = 10_000,
        extra: Mapping[str, str] | None = None,
    ) -> OccurrenceSearch:
        """Every record matching the filters, page by page until ``endOfRecords`` (or a limit)."""
        query = _query(taxon_key, country, geometry, extra)
        url = f"{self.base_url}/occurrence/search"
        records: list[Mapping[str, Any]] = []
        notes: list[str] = []
        offset, pages, count, complete = 0, 0, -1, False
        while True:
            limit = min(self.page_size, max_records - len(records), OFFSET_LIMIT - offset)
            if limit <= 0:
                break
            page, end, count = _page(
                self.client.get_json(url, {**query, "limit": limit, "offset": offset}), url
            )
            pages += 1
            records.extend(page)
            offset += len(page)
            if end:
                complete = True
                break
            if not page:
                raise SourceError(
                    f"GBIF answered {url} at offset {offset} with no records but endOfRecords=false.",
                    hint=_SHAPE_HINT,
                )
        if not complete:
            ceiling = (
                "GBIF's search ceiling of 100,000" if offset >= OFFSET_LIMIT else f"max_records={max_records}"
            )
            notes.append(
                f"Stopped at {len(records)} of {count} matching records ({ceiling}); the result is incomplete. "
                "Use a GBIF download for the rest: greenbri species import FILE.zip."
            )
        logger.info("GBIF occurrence search %s: %d records in %d pages", query, len(records), pages)
        return OccurrenceSearch(query, tuple(records), count, complete, pages, tuple(notes))

    def match_species(self, name: str, *, strict: bool = False) -> SpeciesMatch:
        """The backbone's match for ``name``."""
        if not name.strip():
            raise ConfigurationError(
                "No name to match.", hint="give a scientific name, e.g. 'Helianthus annuus'."
            )
        url = f"{self.base_url}/species/match"
        body = self.client.get_json(url, {"name": name, "strict": str(strict).lower(), "verbose": "false"})
        if not isinstance(body, Mapping) or "matchType" not in body:
            raise SourceError(
                f"GBIF answered {url} without a matchType: {str(body)[:200]}.", hint=_SHAPE_HINT
            )
        key = body.get("usageKey")
        return SpeciesMatch(
            name=name,
            usage_key=int(key) if isinstance(key, int) else None,
            scientific_name=str(body.get("scientificName", "")),
            canonical_name=str(body.get("canonicalName", "")),
            rank=str(body.get("rank", "")),
            status=str(body.get("status", "")),
            match_type=str(body["matchType"]),
            confidence=body.get("confidence") if isinstance(body.get("confidence"), int) else None,
            kingdom=str(body.get("kingdom", "")),
            family=str(body.get("family", "")),
        )

    def name_usage(self, key: int) -> Mapping[str, Any]:
        """One backbone name usage (``/species/{key}``)."""
        url = f"{self.base_url}/species/{int(key)}"
        body = self.client.get_json(url)
        if not isinstance(body, Mapping) or "key" not in body:
            raise SourceError(f"GBIF answered {url} without a key: {str(body)[:200]}.", hint=_SHAPE_HINT)
        return body


def _query(
    taxon_key: int | None, country: str | None, geometry: str | None, extra: Mapping[str, str] | None
) -> dict[str, str]:
    query: dict[str, str] = {}
    if taxon_key is not None:
        query["taxonKey"] = str(int(taxon_key))
    if country:
        code = country.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ConfigurationError(
                f"country={country!r} is not an ISO 3166-1 alpha-2 code.",
                hint="GBIF filters by e.g. CN, PK, KZ.",
            )
        query["country"] = code
    if geometry:
        query["geometry"] = geometry
    query.update(extra or {})
    if not query:
        raise ConfigurationError(
            "An occurrence search needs a filter.", hint="give a taxon key, a country or a geometry (WKT)."
        )
    return query
