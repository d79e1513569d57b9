"""Plans fixtures: the bundled plans, a record store in a temporary data directory, a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from greenbri.adapters.plans.records import FilePlanRecordStore
from greenbri.core.plans.data_files import bundled_plans
from greenbri.usecases.plans import PlanStores

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture()
def plan_stores(tmp_path: Path) -> PlanStores:
    return PlanStores(plans=bundled_plans(), records=FilePlanRecordStore(tmp_path), clock=lambda: NOW)
