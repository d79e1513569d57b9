"""Projects without a receptor hit and with the same decision profile and coverage are classified
once and share the result (issue 21 item 6, ``screen --json`` speed): the JSON is byte for byte
what classifying every project gives."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from greenbri.usecases import screening
from greenbri.usecases.project_inputs import read_projects
from greenbri.usecases.screening import screen_portfolio


def _portfolio_json(portfolio: screening.PortfolioScreening) -> str:
    return json.dumps(portfolio.to_dict(), ensure_ascii=False, indent=2, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def generated_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 points across Africa and Asia (fixed seed): three sectors, two capacities, four countries,
    so many projects share a profile; some fall near the reference layers' receptors."""
    generator = np.random.default_rng(21)
    path = tmp_path_factory.mktemp("shared") / "portfolio.csv"
    sectors = [("solar_power", "MW"), ("coal_power", "MW"), ("road", "")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "name", "sector", "status", "country", "capacity", "capacity_unit", "lon", "lat"]
        )
        for number in range(400):
            sector, unit = sectors[number % 3]
            capacity = ("50", "600")[number % 2] if unit else ""
            country = ("KAZ", "ETH", "PAK", "IDN")[number % 4]
            lon, lat = generator.uniform(-10, 120), generator.uniform(-20, 50)
            writer.writerow(
                [f"P{number}", f"project {number}", sector, "planned", country, capacity, unit, lon, lat]
            )
    return path


@pytest.mark.parametrize("which", ["generated", "aiddata"])
def test_sharing_results_changes_no_byte_of_the_json(
    which: str,
    reference_store: Any,
    loaded_layers: Any,
    rules: Any,
    generated_portfolio: Path,
    aiddata_portfolio: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = read_projects(generated_portfolio if which == "generated" else aiddata_portfolio)
    calls = {"count": 0}
    original = screening.classify

    def counted(*arguments: Any, **keywords: Any) -> Any:
        calls["count"] += 1
        return original(*arguments, **keywords)

    monkeypatch.setattr(screening, "classify", counted)
    every = screen_portfolio(
        reference_store, projects, rules, layers=loaded_layers, share_results=False, today=None
    )
    one_by_one = calls["count"]
    calls["count"] = 0
    shared = screen_portfolio(reference_store, projects, rules, layers=loaded_layers, today=None)
    assert _portfolio_json(shared) == _portfolio_json(every)
    assert one_by_one == len(every.screened)
    if which == "generated":  # most of the 400 points have no hit: a few dozen situations
        assert len(shared.screened) == 400
        assert calls["count"] < 200
