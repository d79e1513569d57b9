"""The species screening rules as cited data (``data/species_rules.json``), checked by pydantic.

A rule says: records of these Red List categories within ``within_m`` of a project give the
species part of the biodiversity dimension this class, and this next step. Every rule carries
citations; numbers that are greenbri's own choices cite the operationalisation page.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from greenbri.core.biodiversity.redlist import RedListCategory
from greenbri.core.catalog import Bilingual
from greenbri.core.errors import StandardError
from greenbri.core.screening.citation import Citation, Source
from greenbri.core.screening.vocabulary import Certainty, RiskClass

__all__ = ["SpeciesRule", "SpeciesRules", "load_species_rules"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Source(_Strict):
    id: str
    title: str
    publisher: str
    date: str
    url: str = ""
    kind: Literal["document", "operationalisation"] = "document"
    note: str = ""


class _Citation(_Strict):
    source_id: str
    section: str
    certainty: Certainty
    note: str = ""


class _Text(_Strict):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class _Rule(_Strict):
    id: str
    categories: list[RedListCategory] = Field(min_length=1)
    within_m: float = Field(gt=0)
    risk_class: Literal["yellow", "red"]
    next_step: _Text
    citations: list[_Citation] = Field(min_length=1)


class _Document(_Strict):
    format_version: Literal[1]
    search_buffer_m: float = Field(gt=0)
    search_buffer_citations: list[_Citation] = Field(min_length=1)
    sources: list[_Source]
    rules: list[_Rule]

    @model_validator(mode="after")
    def _consistent(self) -> _Document:
        known = {source.id for source in self.sources}
        cited = [c.source_id for rule in self.rules for c in rule.citations] + [
            c.source_id for c in self.search_buffer_citations
        ]
        unknown = sorted(set(cited) - known)
        if unknown:
            raise ValueError(f"citations name unknown sources {unknown}")
        too_far = [rule.id for rule in self.rules if rule.within_m > self.search_buffer_m]
        if too_far:
            raise ValueError(f"rules {too_far} reach beyond search_buffer_m")
        return self


class SpeciesRule:
    """One rule: categories, distance, class, next step, citations."""

    def __init__(
        self,
        rule_id: str,
        categories: frozenset[RedListCategory],
        within_m: float,
        risk_class: RiskClass,
        next_step: Bilingual,
        citations: tuple[Citation, ...],
    ) -> None:
        self.id = rule_id
        self.categories = categories
        self.within_m = within_m
        self.risk_class = risk_class
        self.next_step = next_step
        self.citations = citations


class SpeciesRules:
    """The rules and the search radius (the largest distance any species output looks at)."""

    def __init__(
        self, search_buffer_m: float, rules: tuple[SpeciesRule, ...], buffer_citations: tuple[Citation, ...]
    ) -> None:
        self.search_buffer_m = search_buffer_m
        self.rules = rules
        self.buffer_citations = buffer_citations


def _citations(items: list[_Citation], sources: dict[str, Source]) -> tuple[Citation, ...]:
    return tuple(Citation(sources[item.source_id], item.section, item.certainty, item.note) for item in items)


def load_species_rules(path: Path | None = None) -> SpeciesRules:
    """The bundled rules, or those of ``path``; :class:`StandardError` naming the field when invalid."""
    name = str(path) if path else "species_rules.json (bundled)"
    if path is None:
        text = importlib.resources.files(__package__).joinpath("data/species_rules.json").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        document = _Document.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as error:
        raise StandardError(
            f"{name}: the species rules are invalid: {error}",
            hint="fix the field named; see docs/methodology/species.md for the format.",
        ) from None
    sources = {item.id: Source(**item.model_dump()) for item in document.sources}
    rules = tuple(
        SpeciesRule(
            rule.id,
            frozenset(rule.categories),
            rule.within_m,
            RiskClass(rule.risk_class),
            Bilingual(rule.next_step.en, rule.next_step.zh),
            _citations(rule.citations, sources),
        )
        for rule in document.rules
    )
    return SpeciesRules(
        document.search_buffer_m, rules, _citations(document.search_buffer_citations, sources)
    )
