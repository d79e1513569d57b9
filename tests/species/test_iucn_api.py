"""The IUCN Red List API v4 connector against a CONSTRUCTED exchange.

No real recorded exchange exists (no token in the project): the answer below is built in the shape
the connector's docstring describes and is labelled as such. It checks the request (path, query,
Bearer header) and the choice of the latest global assessment.
"""

from __future__ import annotations

import httpx
import pytest

from greenbri.adapters.sources.iucn import IucnRedListApi, authorised_client
from greenbri.core.biodiversity.redlist import RedListCategory
from greenbri.core.errors import ConfigurationError, SourceError

CONSTRUCTED = {
    "taxon": {"scientific_name": "Panthera leo", "sis_id": 15951},
    "assessments": [
        {
            "assessment_id": 1,
            "year_published": "2008",
            "latest": False,
            "red_list_category_code": "VU",
            "url": "https://www.iucnredlist.org/species/15951/1",
            "scopes": [{"description": {"en": "Global"}}],
        },
        {
            "assessment_id": 2,
            "year_published": "2023",
            "latest": True,
            "red_list_category_code": "VU",
            "url": "https://www.iucnredlist.org/species/15951/2",
            "scopes": [{"description": {"en": "Global"}}],
        },
        {
            "assessment_id": 3,
            "year_published": "2023",
            "latest": True,
            "red_list_category_code": "CR",
            "url": "https://www.iucnredlist.org/species/15951/3",
            "scopes": [{"description": {"en": "West Africa"}}],
        },
    ],
}


def test_latest_global_assessment_and_the_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CONSTRUCTED)

    client = authorised_client("secret-token", transport=httpx.MockTransport(answer), max_attempts=1)
    status = IucnRedListApi(client).status("Panthera leo")
    assert (status.category, status.year_published, status.assessment_id) == (
        RedListCategory.VULNERABLE,
        "2023",
        2,
    )
    assert status.assessments == 3
    request = seen[0]
    assert request.url.path == "/api/v4/taxa/scientific_name"
    assert dict(request.url.params) == {"genus_name": "Panthera", "species_name": "leo"}
    assert request.headers["Authorization"] == "Bearer secret-token"


def test_missing_token_and_changed_shape_are_clear_errors() -> None:
    with pytest.raises(ConfigurationError, match="GREENBRI_IUCN_API_TOKEN"):
        authorised_client("  ")
    client = authorised_client(
        "t", transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"x": 1}))
    )
    with pytest.raises(SourceError, match="assessments"):
        IucnRedListApi(client).status("Panthera leo")
    with pytest.raises(ConfigurationError, match="binomial"):
        IucnRedListApi(client).status("Panthera")
