"""The IUCN Red List API v4: the current category and assessment date of a species.

``GET {base}/taxa/scientific_name?genus_name=Panthera&species_name=leo`` with the header
``Authorization: Bearer <token>`` (a token from https://api.iucnredlist.org/users/sign_up) answers
``{"taxon": {...}, "assessments": [{"assessment_id", "year_published", "latest": true,
"red_list_category_code": "VU", "url", "scopes": [{"description": {"en": "Global"}, ...}]}, ...]}``.

UNCERTAIN: this model was written from the API's public description and from independent client code,
not from a recorded exchange (no token was available in this session); the tests use a CONSTRUCTED
exchange in this shape. An answer of another shape is a :class:`SourceError` naming what was missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from greenbri.adapters.sources.http import HttpClient
from greenbri.core.biodiversity.redlist import RedListCategory, parse_category
from greenbri.core.errors import ConfigurationError, SourceError

__all__ = [
    "DEFAULT_IUCN_API_URL",
    "IUCN_TOKEN_VARIABLE",
    "IucnRedListApi",
    "RedListStatus",
    "authorised_client",
]

DEFAULT_IUCN_API_URL = "https://api.iucnredlist.org/api/v4"
#: Environment variable holding the IUCN Red List API token.
IUCN_TOKEN_VARIABLE = "GREENBRI_IUCN_API_TOKEN"


@dataclass(frozen=True)
class RedListStatus:
    """The latest global assessment of a species (``category`` None when the API lists none)."""

    scientific_name: str
    category: RedListCategory | None
    year_published: str
    assessment_id: int | None
    url: str
    assessments: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "scientific_name": self.scientific_name,
            "red_list_category": self.category.value if self.category else None,
            "year_published": self.year_published,
            "assessment_id": self.assessment_id,
            "url": self.url,
            "assessments": self.assessments,
            "source": "IUCN Red List of Threatened Species, API v4",
        }


def authorised_client(token: str, **options: Any) -> HttpClient:
    """An HttpClient that sends the token (``Authorization: Bearer``) with every request."""
    if not token.strip():
        raise ConfigurationError(
            "The IUCN Red List API needs a token.",
            hint=f"request one at https://api.iucnredlist.org/users/sign_up and set {IUCN_TOKEN_VARIABLE}.",
        )
    return HttpClient(headers={"Authorization": f"Bearer {token.strip()}"}, **options)


def _global(assessment: Mapping[str, Any]) -> bool:
    scopes = assessment.get("scopes") or []
    names = [
        str((scope.get("description") or {}).get("en", "")) for scope in scopes if isinstance(scope, Mapping)
    ]
    return not names or "Global" in names


class IucnRedListApi:
    """IUCN Red List API v4 through an :class:`HttpClient` carrying the token."""

    def __init__(self, client: HttpClient, *, base_url: str = DEFAULT_IUCN_API_URL) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")

    def status(self, scientific_name: str) -> RedListStatus:
        """The latest global assessment of a binomial (``Genus species``)."""
        parts = scientific_name.split()
        if len(parts) < 2:
            raise ConfigurationError(
                f"{scientific_name!r} is not a binomial.",
                hint="give the genus and species, e.g. 'Panthera leo'.",
            )
        url = f"{self.base_url}/taxa/scientific_name"
        body = self.client.get_json(url, {"genus_name": parts[0], "species_name": parts[1]})
        if not isinstance(body, Mapping) or not isinstance(body.get("assessments"), list):
            raise SourceError(
                f"The IUCN Red List API answered {url} without an 'assessments' list: {str(body)[:200]}.",
                hint="the API may have changed (this connector's model is marked uncertain); report it.",
            )
        assessments = [item for item in body["assessments"] if isinstance(item, Mapping)]
        chosen = [item for item in assessments if item.get("latest") and _global(item)]
        latest = chosen[0] if chosen else None
        try:
            category = parse_category(latest.get("red_list_category_code")) if latest else None
        except ValueError as error:
            raise SourceError(f"The IUCN Red List API gave {error}.", hint="report it.") from None
        return RedListStatus(
            scientific_name=" ".join(parts[:2]),
            category=category,
            year_published=str(latest.get("year_published", "")) if latest else "",
            assessment_id=int(latest["assessment_id"]) if latest and "assessment_id" in latest else None,
            url=str(latest.get("url", "")) if latest else "",
            assessments=len(assessments),
        )
