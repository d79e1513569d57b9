"""The view model of a portfolio report: summary counts, charts, tables, failures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from greenbri.core.catalog import DatasetRecord
from greenbri.core.screening.vocabulary import Dimension, Sector
from greenbri.usecases.reports.figures import (
    CLASS_ORDER,
    FigureStyle,
    class_bar_chart,
    data_uri,
    stacked_bar_chart,
)
from greenbri.usecases.reports.messages import Translate
from greenbri.usecases.reports.views import CountryNames, badge, dataset_rows, nearest_receptor, sector_label
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening

__all__ = ["portfolio_context"]

#: Countries shown in the country chart (the table lists all of them).
CHART_COUNTRIES = 20


def _pivot(entries: Sequence[Mapping[str, Any]], key: str) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for entry in entries:
        table.setdefault(entry[key], {})[entry["class"]] = entry["count"]
    return table


def _pivot_rows(
    table: Mapping[str, Mapping[str, int]],
    label: Callable[[str, str], str],
    language: str,
    chart_language: str,
) -> list[dict[str, Any]]:
    """Rows by decreasing total: label (report language), chart label (figure language), counts by class."""
    rows = []
    for key in sorted(table, key=lambda name: (-sum(table[name].values()), name)):
        counts = table[key]
        rows.append(
            {
                "label": label(key, language),
                "chart_label": label(key, chart_language),
                "counts": [counts.get(name, 0) for name in CLASS_ORDER],
                "total": sum(counts.values()),
            }
        )
    return rows


def _class_headers(t: Translate) -> list[dict[str, str] | None]:
    return [badge(name, t) for name in CLASS_ORDER]


def _no_data_dimensions(item: ProjectScreening, t: Translate) -> str:
    return ", ".join(
        t(f"dimension.{dimension.value}")
        for dimension in Dimension
        if item.result.dimension(dimension).risk_class.value == "no_data"
    )


def _project_rows(
    portfolio: PortfolioScreening, countries: CountryNames, language: str, t: Translate
) -> list[dict[str, Any]]:
    rows = []
    for item in portfolio.screened:
        nearest = nearest_receptor(item.hits, t)
        if not item.hits and item.project.geometry is not None:
            nearest = {"text": t("none"), "distance_km": ""}
        rows.append(
            {
                "id": item.project.id,
                "name": item.project.name,
                "country": countries.label(item.project.country, language),
                "sector": sector_label(item.project.sector, language),
                "badge": badge(item.result.overall.value, t),
                "incomplete": _no_data_dimensions(item, t) if item.result.incomplete else "",
                "nearest": nearest["text"],
                "distance_km": nearest["distance_km"],
            }
        )
    return rows


def _excluded(
    portfolio: PortfolioScreening, countries: CountryNames, language: str, t: Translate
) -> list[dict[str, str]]:
    return [
        {
            "id": item.project.id,
            "name": item.project.name,
            "country": countries.label(item.project.country, language),
            "sector": sector_label(item.project.sector, language),
            "status": t(f"status.{item.project.status.value}"),
            "flag": t("excluded") if item.result.exclusion.excluded else t("prudent"),
            "rules": ", ".join(sorted({reason.rule_id for reason in item.result.exclusion.reasons})),
        }
        for item in portfolio.screened
        if item.result.exclusion.excluded or item.result.exclusion.prudent
    ]


def _missing_evidence(portfolio: PortfolioScreening, t: Translate) -> list[dict[str, Any]]:
    counter: Counter[tuple[str, str]] = Counter()
    for item in portfolio.screened:
        seen = {
            (dimension.value, reason.rule_id)
            for dimension in Dimension
            for reason in item.result.dimension(dimension).missing
        }
        counter.update(seen)
    return [
        {"dimension": t(f"dimension.{dimension}"), "rule_id": rule_id, "count": count}
        for (dimension, rule_id), count in sorted(counter.items(), key=lambda entry: (-entry[1], entry[0]))
    ]


def _charts(
    summary: Mapping[str, Any],
    sectors: list[dict[str, Any]],
    country_rows: list[dict[str, Any]],
    style: FigureStyle,
) -> dict[str, str]:
    t = style.translate

    def rows(entries: list[dict[str, Any]]) -> list[tuple[str, dict[str, int]]]:
        return [
            (entry["chart_label"], dict(zip(CLASS_ORDER, entry["counts"], strict=True))) for entry in entries
        ]

    shown = country_rows[:CHART_COUNTRIES]
    return {
        "by_class": data_uri(class_bar_chart(summary["by_class"], style)),
        "by_sector": data_uri(stacked_bar_chart(rows(sectors), t("chart.by_sector"), style)),
        "by_country": data_uri(
            stacked_bar_chart(rows(shown), t("chart.by_country").replace("{n}", str(len(shown))), style)
        ),
    }


def portfolio_context(
    portfolio: PortfolioScreening,
    *,
    countries: CountryNames,
    datasets: Mapping[str, DatasetRecord],
    style: FigureStyle,
    language: str,
    t: Translate,
) -> dict[str, Any]:
    """The template context of a portfolio report; the counts are :meth:`PortfolioScreening.summary`'s."""
    summary = portfolio.summary()
    sectors = _pivot_rows(
        _pivot(summary["by_sector"], "sector"),
        lambda key, lang: sector_label(Sector(key), lang),
        language,
        style.language,
    )
    country_rows = _pivot_rows(
        _pivot(summary["by_country"], "country"), countries.label, language, style.language
    )
    return {
        "language": language,
        "title": t("title.portfolio"),
        "input_name": portfolio.input_name,
        "class_headers": _class_headers(t),
        "totals": [
            (t("field.projects_total"), summary["projects"]),
            (t("field.screened"), summary["screened"]),
            (t("field.failed"), summary["failed"]),
            (t("field.excluded"), summary["excluded"]),
            (t("field.incomplete"), summary["incomplete"]),
        ],
        "by_class": [
            {"badge": badge(name, t), "count": summary["by_class"].get(name, 0), "code": name}
            for name in CLASS_ORDER
        ],
        "by_country": country_rows,
        "by_sector": sectors,
        "charts": _charts(summary, sectors, country_rows, style),
        "excluded": _excluded(portfolio, countries, language, t),
        "missing_evidence": _missing_evidence(portfolio, t),
        "incomplete_count": summary["incomplete"],
        "projects": _project_rows(portfolio, countries, language, t),
        "failures": [
            {"row": failure.row, "id": failure.project_id, "error": failure.message}
            for failure in portfolio.failures
        ],
        "sources": dataset_rows(portfolio.datasets, datasets, language, t),
        "provenance": [
            (t("field.screened_on"), portfolio.screened_on),
            (t("field.rules_digest"), portfolio.rules_digest),
            (t("field.input"), portfolio.input_name),
            (t("field.input_sha256"), portfolio.input_sha256),
        ],
        "screened_on": portfolio.screened_on,
    }
