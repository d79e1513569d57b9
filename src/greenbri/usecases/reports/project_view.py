"""The view model of a project report: everything the template prints, already in the language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greenbri.core.biodiversity.proximity import SpeciesNear
from greenbri.core.catalog import DatasetRecord
from greenbri.core.screening.ghg import GhgEstimate, GhgFactorUsed
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.project import Project
from greenbri.core.screening.result import DimensionResult, ScreeningResult
from greenbri.core.screening.vocabulary import FUEL_LABELS, MEASURE_LABELS, Dimension, RiskClass
from greenbri.usecases.reports.formatting import area_km2, distance_km, integer, length_km, number, tonnes
from greenbri.usecases.reports.messages import Translate
from greenbri.usecases.reports.views import (
    CountryNames,
    badge,
    citation_view,
    dataset_rows,
    ordered_hits,
    reasons_view,
    sector_label,
)
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening

__all__ = ["project_context"]


def _location(project: Project) -> str:
    """``Point 18.6667°N 32.0500°E`` (a representative point for lines and areas)."""
    if project.geometry is None:
        return ""
    point = (
        project.geometry.representative_point() if project.geometry.geom_type != "Point" else project.geometry
    )
    latitude = f"{abs(point.y):.4f}°{'N' if point.y >= 0 else 'S'}"
    longitude = f"{abs(point.x):.4f}°{'E' if point.x >= 0 else 'W'}"
    return f"{project.geometry.geom_type} {latitude} {longitude}"


def _facts(project: Project, countries: CountryNames, language: str, t: Translate) -> list[tuple[str, str]]:
    capacity = project.capacity
    investment = project.investment
    facts = [
        (t("field.id"), project.id),
        (t("field.name"), project.name),
        (t("field.sector"), sector_label(project.sector, language)),
        (t("field.sub_type"), project.sub_type),
        (t("field.status"), t(f"status.{project.status.value}")),
        (t("field.country"), countries.label(project.country, language)),
        (t("field.capacity"), f"{number(capacity.value)} {capacity.unit}" if capacity else t("not_given")),
        (t("field.fuel"), FUEL_LABELS[project.fuel].pick(language) if project.fuel else ""),
        (
            t("field.investment"),
            f"{investment.currency} {integer(investment.amount)}" if investment else t("not_given"),
        ),
        (t("field.financing"), project.financing.type.value if project.financing.type else t("not_given")),
        (t("field.geometry"), _location(project) or t("not_given")),
        (
            t("field.measures"),
            "; ".join(MEASURE_LABELS[item].pick(language) for item in project.mitigation_measures),
        ),
    ]
    return [(label, value) for label, value in facts if value]


def _known(outcome: DimensionResult, t: Translate) -> str:
    """For a NO DATA dimension, the worst finding so far, as plain text (never a green light)."""
    if outcome.risk_class is not RiskClass.NO_DATA:
        return ""
    if not any(reason.risk_class for reason in outcome.reasons):
        return t("none")
    return t(f"class.{outcome.known_class.value}")


def _dimensions(result: ScreeningResult, t: Translate, language: str) -> list[dict[str, Any]]:
    rows = []
    for dimension in Dimension:
        outcome = result.dimension(dimension)
        rows.append(
            {
                "name": t(f"dimension.{dimension.value}"),
                "badge": badge(outcome.risk_class.value, t),
                "known": _known(outcome, t),
                "reasons": reasons_view(outcome.reasons, t, language),
                "missing": reasons_view(outcome.missing, t, language),
            }
        )
    return rows


def _factor(factor: GhgFactorUsed, t: Translate) -> dict[str, Any]:
    has_range = factor.low is not None or factor.high is not None
    return {
        "name": factor.name,
        "value": number(factor.value),
        "unit": factor.unit,
        "range": f"{number(factor.low)} – {number(factor.high)}" if has_range else "",
        "citations": [citation_view(citation, t) for citation in factor.citations],
        "from_project": t("project_data") if factor.from_project else "",
    }


def _ghg(estimate: GhgEstimate, t: Translate, language: str) -> dict[str, Any]:
    has_range = estimate.low is not None and estimate.high is not None
    return {
        "known": estimate.known,
        "badge": None if estimate.known else badge("no_data", t),
        "value": f"{tonnes(estimate.t_co2_per_year)} t CO2/yr" if estimate.known else "",
        "range": f"{tonnes(estimate.low)} – {tonnes(estimate.high)} t CO2/yr" if has_range else "",
        "method": estimate.method,
        "scope": estimate.scope,
        "factors": [_factor(factor, t) for factor in estimate.factors],
        "note": estimate.note.pick(language),
    }


def _equator(result: ScreeningResult, t: Translate, language: str) -> dict[str, Any]:
    equator = result.equator
    category = equator.category
    return {
        "applicability": t(f"ep4.{equator.applicability.value}"),
        "reasons": reasons_view(equator.reasons, t, language),
        "category": category.category or t("class.no_data"),
        "category_known": category.category is not None,
        "provisional": t("provisional") if category.provisional else "",
        "definition": category.definition.pick(language) if category.definition else "",
        "citations": [citation_view(citation, t) for citation in category.citations],
        "flags": [
            {
                "threshold": integer(flag.threshold_t),
                "status": t(f"flag.{flag.status}"),
                "css": f"flag-{flag.status}",
                "text": flag.text.pick(language),
                "citations": [citation_view(citation, t) for citation in flag.citations],
            }
            for flag in equator.ghg_flags
        ],
    }


def _exclusion(result: ScreeningResult, t: Translate, language: str) -> dict[str, Any]:
    exclusion = result.exclusion
    return {
        "excluded": t("yes") if exclusion.excluded else t("no"),
        "prudent": t("yes") if exclusion.prudent else t("no"),
        "flag": t("excluded") if exclusion.excluded else t("prudent") if exclusion.prudent else "",
        "reasons": reasons_view(exclusion.reasons, t, language),
    }


def _coverage(result: ScreeningResult, t: Translate) -> list[dict[str, Any]]:
    return [
        {
            "role": t(f"role.{item.receptor_role.value}"),
            "covered": item.covered,
            "badge": None if item.covered else badge("no_data", t),
            "datasets": ", ".join(sorted(item.datasets)) or t("none"),
            "note": item.note,
        }
        for item in sorted(result.coverage, key=lambda item: item.receptor_role.value)
    ]


def _attributes(hit: ReceptorHit, t: Translate) -> str:
    parts = []
    for key, value in sorted(hit.attributes.items()):
        if isinstance(value, bool):
            parts.append(f"{key}: {t('yes') if value else t('no')}")
        elif isinstance(value, float):
            parts.append(f"{key}: {integer(value)}" if value == value else "")
        elif value not in (None, ""):
            parts.append(f"{key}: {value}")
    return "; ".join(part for part in parts if part)


def _identifier(value: str) -> str:
    """A receptor id as its layer means it: ``370481.0`` (a float column) prints as ``370481``."""
    head, dot, tail = value.partition(".")
    return head if dot and head.lstrip("-").isdigit() and set(tail) == {"0"} else value


def _receptors(hits: tuple[ReceptorHit, ...], t: Translate) -> list[dict[str, str]]:
    return [
        {
            "number": str(number),
            "role": t(f"role.{hit.receptor_role.value}"),
            "role_code": hit.receptor_role.value,
            "name": hit.name or t("unnamed"),
            "receptor_id": _identifier(hit.receptor_id),
            "dataset": f"{hit.dataset_id}@v{hit.dataset_version}",
            "distance_km": distance_km(hit.distance_m),
            "intersects": t("yes") if hit.intersects else t("no"),
            "inside": " / ".join(
                text for text in (length_km(hit.length_inside_m), area_km2(hit.area_inside_m2)) if text
            ),
            "attributes": _attributes(hit, t),
        }
        for number, hit in enumerate(ordered_hits(hits), start=1)
    ]


def _stack(result: ScreeningResult) -> list[dict[str, str]]:
    return [
        {
            "pollutant": f"{item.emission.pollutant} ({item.emission.averaging})",
            "value": f"{number(item.emission.value)} {item.emission.unit}",
            "limit": f"{number(item.limit)} {item.limit_unit}" if item.limit is not None else "",
            "standard": " ".join(part for part in (item.standard_id, item.jurisdiction) if part),
            "status": item.status.value,
            "note": item.note,
        }
        for item in result.stack_checks
    ]


def _next_steps(result: ScreeningResult, t: Translate, language: str) -> list[dict[str, Any]]:
    return [
        {
            "id": step.id,
            "text": step.text.pick(language),
            "triggered_by": ", ".join(sorted(step.triggered_by)),
            "citations": [citation_view(citation, t) for citation in step.citations],
        }
        for step in sorted(result.next_steps, key=lambda step: step.id)
    ]


def _species_rows(items: tuple[SpeciesNear, ...], group: str, t: Translate) -> list[dict[str, str]]:
    return [
        {
            "group": group,
            "name": item.name,
            "category": t(f"red_list.{item.category}"),
            "nearest_km": distance_km(item.nearest_m),
            "records": str(item.record_count),
            "years": f"{item.first_year or '?'}–{item.last_year or '?'}",
            "uncertainty_m": "" if item.max_uncertainty_m is None else f"≤ {number(item.max_uncertainty_m)}",
        }
        for item in items
    ]


def _species(item: ProjectScreening, t: Translate, language: str) -> dict[str, Any] | None:
    """The species table (None when the screening had no occurrence layer)."""
    part = item.species
    if part is None:
        return None
    return {
        "badge": badge(part.risk_class.value, t),
        "radius_km": distance_km(part.search_buffer_m),
        "rows": [
            *_species_rows(part.threatened, t("species.threatened"), t),
            *_species_rows(part.listed_apart, t("species.listed_apart"), t),
        ],
        "other": part.other_species,
        "layers": ", ".join(part.layers),
        "rules": [rule.next_step.pick(language) for rule in part.triggered],
        "notes": [
            *([t("species.no_complete_layer")] if part.risk_class is RiskClass.NO_DATA else []),
            *(
                [t("species.excluded").format(count=part.excluded_by_licence)]
                if part.excluded_by_licence
                else []
            ),
        ],
    }


def _summary(item: ProjectScreening, t: Translate) -> dict[str, Any]:
    result = item.result
    missing = [
        t(f"dimension.{dimension.value}")
        for dimension in Dimension
        if result.dimension(dimension).risk_class.value == "no_data"
    ]
    ghg = result.ghg
    return {
        "badge": badge(result.overall.value, t),
        "incomplete": t("incomplete") if result.incomplete else "",
        "no_data_dimensions": ", ".join(missing),
        "ghg": f"{tonnes(ghg.t_co2_per_year)} t CO2/yr" if ghg.known else t("class.no_data"),
    }


def project_context(
    item: ProjectScreening,
    *,
    portfolio: PortfolioScreening,
    countries: CountryNames,
    datasets: Mapping[str, DatasetRecord],
    map_uri: str,
    map_caption: str,
    language: str,
    t: Translate,
) -> dict[str, Any]:
    """The template context of a project report."""
    result = item.result
    references = [*portfolio.datasets, *(f"{hit.dataset_id}@v{hit.dataset_version}" for hit in item.hits)]
    return {
        "language": language,
        "title": f"{t('title.project')}: {item.project.name}",
        "project_id": item.project.id,
        "summary": _summary(item, t),
        "facts": _facts(item.project, countries, language, t),
        "dimensions": _dimensions(result, t, language),
        "exclusion": _exclusion(result, t, language),
        "ghg": _ghg(result.ghg, t, language),
        "equator": _equator(result, t, language),
        "coverage": _coverage(result, t),
        "receptors": _receptors(item.hits, t),
        "species": _species(item, t, language),
        "stack": _stack(result),
        "map_uri": map_uri,
        "map_caption": map_caption,
        "next_steps": _next_steps(result, t, language),
        "sources": dataset_rows(references, datasets, language, t),
        "provenance": [
            (t("field.screened_on"), portfolio.screened_on),
            (t("field.rules_digest"), result.rules_digest),
            (t("field.input"), portfolio.input_name),
            (t("field.input_sha256"), portfolio.input_sha256),
        ],
        "screened_on": portfolio.screened_on,
    }
