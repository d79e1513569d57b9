"""A technology entry, checked by a pydantic model that rejects unknown fields.

Categories follow the first level of the Green Industry Guidance Catalogue (《绿色产业指导目录（2019
年版）》, NDRC and others, 发改环资〔2019〕293号): UNCERTAIN — the six names are given from memory of
that catalogue, not checked against its text in this session, and whether the NDRC green
technology promotion catalogue (绿色技术推广目录, 2020) uses the same first level is not verified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import DuplicateIdError, InputError

__all__ = ["CATEGORY_LABELS", "CATEGORY_SOURCE", "Category", "Technology", "technologies_from_rows"]

CATEGORY_SOURCE = (
    "NDRC et al., Green Industry Guidance Catalogue (2019 edition), 发改环资〔2019〕293号, first-level "
    "categories (uncertain: not checked against the text)"
)


class Category(StrEnum):
    ENERGY_SAVING_ENVIRONMENTAL = "energy_saving_environmental_protection"
    CLEANER_PRODUCTION = "cleaner_production"
    CLEAN_ENERGY = "clean_energy"
    ECOLOGICAL_ENVIRONMENT = "ecological_environment"
    GREEN_INFRASTRUCTURE = "green_infrastructure_upgrading"
    GREEN_SERVICES = "green_services"


CATEGORY_LABELS: Mapping[Category, Bilingual] = MappingProxyType(
    {
        Category.ENERGY_SAVING_ENVIRONMENTAL: Bilingual(
            "Energy saving and environmental protection", "节能环保产业"
        ),
        Category.CLEANER_PRODUCTION: Bilingual("Cleaner production", "清洁生产产业"),
        Category.CLEAN_ENERGY: Bilingual("Clean energy", "清洁能源产业"),
        Category.ECOLOGICAL_ENVIRONMENT: Bilingual("Ecology and environment", "生态环境产业"),
        Category.GREEN_INFRASTRUCTURE: Bilingual("Green upgrading of infrastructure", "基础设施绿色升级"),
        Category.GREEN_SERVICES: Bilingual("Green services", "绿色服务"),
    }
)


def _list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


class Technology(BaseModel):
    """One entry of the reserve. ``source`` (the document the entry is taken from) is required."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    name_en: str = ""
    name_zh: str = ""
    description_en: str = ""
    description_zh: str = ""
    category: Category
    sectors: list[str] = Field(default_factory=list)
    abates: list[str] = Field(default_factory=list)
    abatement: str = ""
    readiness: str = ""
    cost_range: str = ""
    provider: str = ""
    deployments: list[str] = Field(default_factory=list)
    source: str = Field(min_length=1)
    source_url: str = ""

    @field_validator("sectors", "abates", "deployments", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _list(value)

    @field_validator("deployments")
    @classmethod
    def _iso3(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if len(code) != 3 or not code.isalpha()]
        if bad:
            raise ValueError(f"deployment countries must be ISO 3166-1 alpha-3 codes, not {bad}")
        return [code.upper() for code in value]

    @model_validator(mode="after")
    def _named(self) -> Technology:
        if not (self.name_en or self.name_zh):
            raise ValueError("an entry needs a name in English, Chinese or both")
        return self


def technologies_from_rows(rows: Sequence[Mapping[str, Any]], source: str) -> list[Technology]:
    """Every row as a :class:`Technology`; all problems at once, naming the row and field; duplicate ids refused."""
    entries: list[Technology] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        cleaned = {key: value for key, value in row.items() if value not in (None, "") and key is not None}
        try:
            entry = Technology.model_validate(cleaned)
        except ValidationError as error:
            for item in error.errors():
                field = ".".join(str(part) for part in item["loc"]) or "row"
                problems.append(f"row {number}, field {field}: {item['msg']}")
            continue
        if entry.id in seen:
            raise DuplicateIdError(
                f"The id {entry.id!r} is on rows {seen[entry.id]} and {number}.",
                source=source,
                hint="give every technology its own id; nothing was imported.",
            )
        seen[entry.id] = number
        entries.append(entry)
    if problems:
        raise InputError(
            f"{len(problems)} problem(s): " + "; ".join(problems[:20]),
            source=source,
            hint="fix the rows named (allowed categories: "
            + ", ".join(category.value for category in Category)
            + "); nothing was imported.",
        )
    return entries
