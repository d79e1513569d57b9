"""From screening findings to technologies: which reserve entries a red or yellow dimension suggests.

The links are data (``data/links.json``): a link names project sectors, screening dimensions and the
``abates`` codes of the technologies it suggests, with its citation. The bundled links carry only what
the 2022 Opinions say for coal power (paragraph 十四: desulfurisation, denitrification, dust removal and
CCUS); a deployment may add its own. A suggestion keeps the link id, so the reason is data too.
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from greenbri.core.screening.result import ScreeningResult
from greenbri.core.screening.vocabulary import Dimension, RiskClass, Sector
from greenbri.core.technologies.model import Technology

__all__ = ["Suggestion", "TechnologyLink", "load_links", "suggest"]


class TechnologyLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    sectors: list[Sector] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    abates: list[str] = Field(min_length=1)
    citation: str = Field(min_length=1)


class _Links(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int
    links: list[TechnologyLink]


def load_links() -> tuple[TechnologyLink, ...]:
    text = importlib.resources.files(__package__).joinpath("data/links.json").read_text("utf-8")
    return tuple(_Links.model_validate(json.loads(text)).links)


@dataclass(frozen=True)
class Suggestion:
    technology_id: str
    link_id: str
    dimension: str
    citation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "technology_id": self.technology_id,
            "link": self.link_id,
            "dimension": self.dimension,
            "citation": self.citation,
        }


def suggest(
    sector: Sector, result: ScreeningResult, entries: Sequence[Technology], links: Sequence[TechnologyLink]
) -> list[Suggestion]:
    """Entries suggested by the red or yellow dimensions of one screened project, by link."""
    found: list[Suggestion] = []
    for link in links:
        if sector not in link.sectors:
            continue
        for dimension in link.dimensions:
            if result.dimensions[dimension].known_class not in (RiskClass.RED, RiskClass.YELLOW):
                continue
            wanted = {code.lower() for code in link.abates}
            found.extend(
                Suggestion(entry.id, link.id, dimension.value, link.citation)
                for entry in entries
                if wanted & {code.lower() for code in entry.abates}
                and (not entry.sectors or sector.value in entry.sectors)
            )
    return sorted(set(found), key=lambda item: (item.dimension, item.technology_id, item.link_id))
