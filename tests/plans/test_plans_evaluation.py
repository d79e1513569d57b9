"""The evaluation at 2025-12-31: unknown without evidence, overdue milestones, numeric targets by the tracker."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.adapters.plans.files import read_plans
from greenbri.core.plans.data_files import bundled_plans
from greenbri.core.plans.evaluation import evaluate_plans
from greenbri.core.plans.records import STATUSES, Evidence, StatusRecord
from greenbri.usecases.indicators.ingest import ingest_file
from greenbri.usecases.indicators.tracking import evaluate_targets
from greenbri.usecases.plans import PlanStores, evaluate, record_status

DEADLINE = dt.date(2025, 12, 31)
LINK = [("link", "https://example.org/progress-report")]


def _by_id(result: dict) -> dict[str, dict]:
    return {row["id"]: row for row in result["items"]}


def test_an_item_with_no_evidence_is_unknown_never_on_track(plan_stores: PlanStores) -> None:
    result = evaluate(plan_stores, DEADLINE)
    rows = _by_id(result)
    assert len(rows) == len(bundled_plans().item_ids())
    row = rows["p2017.kp21"]
    assert row["status"] == "unknown" and row["no_evidence"] and row["evidence"] == []
    assert "NO DATA" in row["note"] and row["fill_command"].startswith("greenbri plans record p2017.kp21")
    summary = {s["document"]: s for s in result["summary"]["by_document"]}
    assert summary["plan2017"]["no_evidence"] == summary["plan2017"]["items"] == 38
    assert summary["plan2017"]["statuses"]["unknown"] == 38


def test_recorded_evidence_sets_the_status_at_the_date_and_later_records_do_not_leak_back(
    plan_stores: PlanStores,
) -> None:
    record_status(plan_stores, "p2017.kp20", "in_progress", LINK, by="a", as_of=dt.date(2025, 6, 30))
    record_status(plan_stores, "p2017.kp20", "completed", LINK, by="b", as_of=dt.date(2026, 1, 15))
    assert _by_id(evaluate(plan_stores, DEADLINE))["p2017.kp20"]["status"] == "in_progress"
    assert _by_id(evaluate(plan_stores, dt.date(2026, 2, 1)))["p2017.kp20"]["status"] == "completed"
    assert _by_id(evaluate(plan_stores, dt.date(2024, 12, 31)))["p2017.kp20"]["status"] == "unknown"


def test_the_2025_goals_are_due_at_the_deadline_and_overdue_unless_completed(plan_stores: PlanStores) -> None:
    record_status(plan_stores, "o2022.goal2025", "completed", LINK, by="a", as_of=DEADLINE)
    result = evaluate(plan_stores, DEADLINE)
    rows = _by_id(result)
    assert rows["p2017.goal2025"]["phase"] == "deadline" and rows["p2017.goal2025"]["overdue"]
    assert rows["o2022.goal2025"]["phase"] == "deadline" and not rows["o2022.goal2025"]["overdue"]
    assert rows["p2017.goal2030"]["phase"] == "mid-term" and not rows["p2017.goal2030"]["overdue"]
    assert "p2017.goal2025" in result["overdue"] and "o2022.goal2025" not in result["overdue"]
    assert {d["id"]: d["evaluation"] for d in result["documents"]}["plan2017"] == "mid-term"
    assert not _by_id(evaluate(plan_stores, dt.date(2025, 12, 30)))["p2017.goal2025"]["overdue"]


def _plan_file_with_milestones(tmp_path: Path) -> Path:
    """A deployment's plan file: the bundled one with two dated milestones of its own for project 20."""
    path = Path(__file__).resolve().parents[2] / "src" / "greenbri" / "core" / "plans" / "data" / "plans.json"
    document = json.loads(path.read_text("utf-8"))
    project = next(item for item in document["documents"][0]["items"] if item["id"] == "p2017.kp20")
    name = {"zh": "平台上线", "en": "Platform online", "en_source": "document", "zh_source": "document"}
    project["milestones"] = [
        {"id": "online", "name": name, "due": "2024-06-30", "clause": "deployment work plan, 1"},
        {"id": "monitoring", "name": {**name, "zh": "监测接入", "en": "Monitoring"}, "due": "2026-06-30",
         "clause": "deployment work plan, 2"},
    ]  # fmt: skip
    mine = tmp_path / "plans.json"
    mine.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return mine


def test_an_overdue_milestone_is_reported_overdue(plan_stores: PlanStores, tmp_path: Path) -> None:
    stores = dataclasses.replace(plan_stores, plans=read_plans(_plan_file_with_milestones(tmp_path)))
    result = evaluate(stores, DEADLINE)
    milestones = {m["id"]: m for m in _by_id(result)["p2017.kp20"]["milestones"]}
    assert milestones["online"]["overdue"] and milestones["online"]["status"] == "unknown"
    assert not milestones["monitoring"]["overdue"] and milestones["monitoring"]["phase"] == "mid-term"
    assert "p2017.kp20/online" in result["overdue"]
    group = {(s["document"], s["group"]): s for s in result["summary"]["by_group"]}
    assert group[("plan2017", "capacity_building")]["overdue"] == 1
    record_status(
        stores, "p2017.kp20", "completed", LINK, by="a", as_of=dt.date(2024, 7, 2), milestone="online"
    )
    assert "p2017.kp20/online" not in evaluate(stores, DEADLINE)["overdue"]


def test_a_numeric_target_is_evaluated_through_the_tracker_on_values_up_to_the_date(
    plan_stores: PlanStores, tmp_path: Path, shared_data: Path
) -> None:
    indicators = IndicatorStore(tmp_path / "indicators")
    ingest_file(indicators, shared_data / "indicators" / "pm25-air-pollution.csv")
    stores = dataclasses.replace(plan_stores, indicators=indicators)
    row = _by_id(evaluate(stores, DEADLINE))["bc2023.target.beautiful_china_pm25_2027"]
    tracker = evaluate_targets(indicators, ["beautiful_china_pm25_2027"], until_year=2025)[0]
    assert row["target_evaluation"] == tracker
    assert (
        row["target_evaluation"]["measured_by"] == "proxy" and row["target_evaluation"]["latest_year"] <= 2025
    )
    assert row["status"] == "unknown"  # the plan status still needs a recorded, evidenced status
    earlier = _by_id(evaluate(stores, dt.date(2015, 12, 31)))["bc2023.target.beautiful_china_pm25_2027"]
    assert earlier["target_evaluation"]["latest_year"] == 2015
    no_store = _by_id(evaluate(plan_stores, DEADLINE))["bc2023.target.beautiful_china_pm25_2027"]
    assert no_store["target_evaluation"]["status"] == "insufficient_data"


_RECORD = st.builds(
    lambda item, status, day: StatusRecord(
        item, status, dt.date(2024, 1, 1) + dt.timedelta(days=day), dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "t",
        (Evidence("link", "https://example.org"),),
    ),
    st.sampled_from(["p2017.kp01", "p2017.kp20", "o2022.task16"]),
    st.sampled_from(STATUSES),
    st.integers(0, 900),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_RECORD, max_size=8), _RECORD)
def test_a_record_dated_after_the_evaluation_never_changes_it(
    records: list[StatusRecord], later: StatusRecord
) -> None:
    as_of = dt.date(2025, 1, 1)
    later = dataclasses.replace(later, as_of=as_of + dt.timedelta(days=1))
    before = evaluate_plans(bundled_plans(), records, as_of, {})
    after = evaluate_plans(bundled_plans(), [*records, later], as_of, {})
    strip = [{k: v for k, v in row.items() if k != "history_count"} for row in after["items"]]
    assert strip == [{k: v for k, v in row.items() if k != "history_count"} for row in before["items"]]
    assert after["summary"] == before["summary"]


def test_every_status_counted_once_per_item() -> None:
    result = evaluate_plans(bundled_plans(), [], DEADLINE, {})
    for group in result["summary"]["by_group"]:
        assert sum(group["statuses"].values()) == group["items"]
    with pytest.raises(KeyError):
        bundled_plans().item("p2017.kp99")
