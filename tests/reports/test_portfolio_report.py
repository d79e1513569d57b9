"""The portfolio report of COFI v2.2: counts equal to ``PortfolioScreening.summary()``."""

from __future__ import annotations

import html
import re

import pytest

from greenbri.usecases.reports import ReportInputs, portfolio_report
from greenbri.usecases.screening import PortfolioScreening


@pytest.fixture(scope="module")
def report_en(portfolio: PortfolioScreening, inputs: ReportInputs) -> str:
    return portfolio_report(portfolio, countries=inputs.countries, datasets=inputs.datasets, language="en")


@pytest.fixture(scope="module")
def report_zh(portfolio: PortfolioScreening, inputs: ReportInputs) -> str:
    return portfolio_report(portfolio, countries=inputs.countries, datasets=inputs.datasets, language="zh")


def section(text: str, heading: str) -> str:
    """The HTML from an ``<h2>`` heading to the next one."""
    start = text.index(f"<h2>{heading}</h2>")
    end = text.find("<h2>", start + 1)
    return text[start : end if end > 0 else None]


def class_counts(text: str) -> dict[str, int]:
    return {
        name: int(count)
        for name, count in re.findall(r'<tr data-class="([a-z_]+)">.*?<td class="number">(\d+)</td>', text)
    }


def test_counts_equal_the_summary(portfolio: PortfolioScreening, report_en: str) -> None:
    summary = portfolio.summary()
    assert summary["screened"] == 430 and summary["failed"] == 162  # COFI v2.2, preset cofi
    counts = class_counts(report_en)
    assert {name: count for name, count in counts.items() if count} == summary["by_class"]
    totals = section(report_en, "Summary")
    for label, key in (
        ("Projects in the input", "projects"),
        ("Screened", "screened"),
        ("Could not be screened", "failed"),
        ("Excluded", "excluded"),
        ("Incomplete", "incomplete"),
    ):
        assert re.search(rf"<th>{label}</th><td class=\"number\">{summary[key]}</td>", totals), label


def test_sector_and_country_tables(portfolio: PortfolioScreening, report_en: str) -> None:
    summary = portfolio.summary()
    sectors = section(report_en, "Projects by sector")
    hydro = sum(entry["count"] for entry in summary["by_sector"] if entry["sector"] == "hydro_power")
    assert re.search(
        rf"<td>hydropower</td>(<td class=\"number\">\d+</td>){{4}}<td class=\"number\"><b>{hydro}</b>",
        sectors,
    )
    countries = section(report_en, "Projects by country")
    indonesia = {
        entry["class"]: entry["count"] for entry in summary["by_country"] if entry["country"] == "IDN"
    }
    cells = "".join(
        f'<td class="number">{indonesia.get(name, 0)}</td>' for name in ("red", "yellow", "green", "no_data")
    )
    assert f"<td>IDN Indonesia</td>{cells}" in countries
    assert len(re.findall(r"data:image/png;base64,", report_en)) == 3  # class, sector and country charts


def test_projects_excluded_incomplete_and_failures(portfolio: PortfolioScreening, report_en: str) -> None:
    excluded = section(report_en, "Excluded projects and prudent reviews")
    for item in portfolio.screened:
        if item.result.exclusion.excluded:
            assert f'<td class="code">{item.project.id}</td>' in excluded
    projects = section(report_en, "All screened projects")
    assert projects.count('<tr><td class="code">') == len(portfolio.screened)
    merowe = re.search(r'<tr><td class="code">SDN2021005</td>.*?</tr>', projects)
    assert merowe is not None
    assert "river: Nile" in merowe.group(0) and ">1.72<" in merowe.group(0) and "light-red" in merowe.group(0)
    incomplete = section(report_en, "Incomplete screenings: missing evidence")
    assert "SPATIAL-NO-GEOMETRY" in incomplete and "COVERAGE-PROTECTED_AREA" in incomplete
    failures = html.unescape(section(report_en, "Rows that could not be screened"))
    assert failures.count('<tr><td class="number">') == len(portfolio.failures)
    first = portfolio.failures[0]
    assert first.message in failures and f'<td class="number">{first.row}</td>' in failures


def test_chinese_portfolio(portfolio: PortfolioScreening, report_zh: str) -> None:
    text = html.unescape(report_zh)
    assert "投资组合环境筛查报告" in text and "无法筛查的记录" in text
    assert class_counts(report_zh)["no_data"] == portfolio.summary()["by_class"]["no_data"]
    assert '<span class="light light-no-data">无数据</span>' in report_zh
    assert "IDN 印度尼西亚" in text and "水电" in text


def test_same_input_same_html(portfolio: PortfolioScreening, inputs: ReportInputs, report_en: str) -> None:
    assert (
        portfolio_report(portfolio, countries=inputs.countries, datasets=inputs.datasets, language="en")
        == report_en
    )
