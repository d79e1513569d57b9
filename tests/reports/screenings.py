"""Helpers for the report tests (fixtures are in ``conftest.py``)."""

from __future__ import annotations

from greenbri.usecases.screening import PortfolioScreening, ProjectScreening


def screened(portfolio: PortfolioScreening, project_id: str) -> ProjectScreening:
    """The screened project with ``project_id``."""
    return next(item for item in portfolio.screened if item.project.id == project_id)
