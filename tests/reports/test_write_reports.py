"""``write_reports``: the files ``greenbri screen --report DIR --format html/pdf`` writes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.reports.screenings import screened

from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.errors import InputError
from greenbri.usecases.reports import write_reports
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening, load_receptor_layers


def test_portfolio_and_project_files(
    report_store: DatasetStore, portfolio: PortfolioScreening, merowe: ProjectScreening, tmp_path: Path
) -> None:
    odd = replace(merowe, project=replace(merowe.project, id="SDN/2021.005"))
    small = replace(portfolio, screened=[merowe, screened(portfolio, "ARE2022010"), odd, odd], failures=[])
    written = write_reports(
        report_store,
        small,
        load_receptor_layers(report_store),
        tmp_path,
        formats=["json", "html"],
        language="zh",
    )
    names = sorted(path.relative_to(tmp_path).as_posix() for path in written)
    assert names == [
        "projects/ARE2022010.html",
        "projects/SDN2021005.html",
        "projects/SDN_2021.005-4.html",
        "projects/SDN_2021.005.html",
        "screening-report.html",
    ]
    page = (tmp_path / "projects" / "SDN2021005.html").read_text(encoding="utf-8")
    assert "环境筛查报告" in page and "data:image/png;base64," in page
    # Geometries from the loaded layers or from the store draw the same map.
    again = write_reports(
        report_store, replace(small, screened=[merowe]), None, tmp_path / "again", formats=["html"]
    )
    assert (tmp_path / "again" / "projects" / "SDN2021005.html").read_text(
        encoding="utf-8"
    ) != page  # English
    english = write_reports(
        report_store, replace(small, screened=[merowe]), load_receptor_layers(report_store), tmp_path / "en"
    )
    assert [path.name for path in again] == [path.name for path in english]
    assert (tmp_path / "again" / "projects" / "SDN2021005.html").read_bytes() == (
        tmp_path / "en" / "projects" / "SDN2021005.html"
    ).read_bytes()


def test_no_report_format(report_store: DatasetStore, portfolio: PortfolioScreening, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="use one of: html, pdf"):
        write_reports(report_store, portfolio, None, tmp_path, formats=["json"])
