"""``greenbri screen`` on the AidData portfolio: the Dask engine gives the local engine's result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app


@pytest.mark.slow
def test_the_dask_engine_screens_like_the_local_engine(
    reference_store, aiddata_portfolio: Path, monkeypatch: pytest.MonkeyPatch, session_store_factory
) -> None:
    for variable, value in session_store_factory.environment(reference_store.data_dir).items():
        monkeypatch.setenv(variable, value)
    runner = CliRunner()
    common = ["screen", str(aiddata_portfolio), "--json", "--date", "2025-06-30"]
    local = runner.invoke(app, common)
    assert local.exit_code == 0, local.stderr
    dask = runner.invoke(app, [*common, "--engine", "dask", "--workers", "2", "--partition-size", "5"])
    assert dask.exit_code == 0, dask.stderr
    local_result, dask_result = json.loads(local.stdout), json.loads(dask.stdout)
    assert len(local_result["projects"]) == 26
    assert dask_result == local_result


def test_an_unknown_engine_is_refused(
    reference_store, aiddata_portfolio: Path, monkeypatch, session_store_factory
) -> None:
    for variable, value in session_store_factory.environment(reference_store.data_dir).items():
        monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["screen", str(aiddata_portfolio), "--engine", "spark"])
    assert result.exit_code == 2
    assert "Unknown engine 'spark'" in result.stderr and "--engine local or --engine dask" in result.stderr
