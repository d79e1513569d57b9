"""Status records: evidence required and verified, dates in order, append-only history, nothing half-recorded."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.plans.conftest import NOW

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.plans.records import FilePlanRecordStore
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import Bilingual, DatasetKind
from greenbri.core.errors import InputError, StoreError
from greenbri.core.plans.data_files import bundled_plans
from greenbri.usecases.datasets import DatasetMetadata, import_dataset
from greenbri.usecases.indicators.ingest import ingest_file
from greenbri.usecases.monitoring.ingest import ingest_files
from greenbri.usecases.plans import PlanStores, record_status, show_item


def _lines(stores: PlanStores) -> list[str]:
    path = stores.records.path  # type: ignore[attr-defined]
    return path.read_text("utf-8").splitlines() if path.exists() else []


@pytest.fixture()
def with_stores(
    plan_stores: PlanStores, dataset_store: DatasetStore, shared_data: Path, tmp_path: Path
) -> PlanStores:
    plan_text = shared_data.parent / "plans" / "2017-belt-and-road-eco-environmental-cooperation-plan.zh.txt"
    import_dataset(
        dataset_store,
        plan_text,
        DatasetMetadata(
            "plan-2017-text", title=Bilingual("2017 plan", "2017年规划"), kind=DatasetKind.DOCUMENT
        ),
    )
    indicators = IndicatorStore(tmp_path / "indicators")
    ingest_file(indicators, shared_data / "indicators" / "pm25-air-pollution.csv")
    return dataclasses.replace(plan_stores, datasets=dataset_store, indicators=indicators)


def test_a_status_without_evidence_is_refused_and_nothing_is_written(plan_stores: PlanStores) -> None:
    with pytest.raises(InputError, match="'in_progress' needs evidence"):
        record_status(plan_stores, "p2017.kp20", "in_progress", [], by="tester")
    assert _lines(plan_stores) == []


def test_an_unknown_item_status_or_kind_is_named(plan_stores: PlanStores) -> None:
    with pytest.raises(InputError, match=r"no item 'p2017.kp26'"):
        record_status(plan_stores, "p2017.kp26", "completed", [("link", "https://example.org/a")], by="t")
    with pytest.raises(InputError, match="unknown status 'done'"):
        record_status(plan_stores, "p2017.kp20", "done", [("link", "https://example.org/a")], by="t")
    with pytest.raises(InputError, match="unknown evidence kind 'rumour'"):
        record_status(plan_stores, "p2017.kp20", "completed", [("rumour", "x")], by="t")
    with pytest.raises(InputError, match=r"no milestone 'm1'.*none: the plans state no milestone"):
        record_status(
            plan_stores, "p2017.kp20", "completed", [("link", "https://e.org")], by="t", milestone="m1"
        )
    assert _lines(plan_stores) == []


def test_evidence_that_does_not_exist_is_refused(with_stores: PlanStores, tmp_path: Path) -> None:
    cases = [
        (("dataset_version", "no-such-dataset@v1"), InputError, "no-such-dataset"),
        (("dataset_version", "plan-2017-text@v9"), InputError, "no version 9"),
        (("indicator_value", "pm25_exposure:CHN:1901"), InputError, "no such value"),
        (("indicator_value", "pm25 CHN 2019"), InputError, "indicator:ISO3:year"),
        (("target_evaluation", "no_target"), InputError, "no such target"),
        (("document", str(tmp_path / "missing.pdf")), InputError, "no such file"),
        (("link", "ftp://example.org/x"), InputError, "not an http"),
    ]
    for evidence, error, message in cases:
        with pytest.raises(error, match=message):
            record_status(
                with_stores, "p2017.kp20", "in_progress", [("link", "https://example.org"), evidence], by="t"
            )
    assert _lines(with_stores) == []


def test_verified_evidence_keeps_what_was_found(with_stores: PlanStores) -> None:
    record = record_status(
        with_stores,
        "p2017.kp20",
        "in_progress",
        [
            ("dataset_version", "plan-2017-text@v1"),
            ("indicator_value", "pm25_exposure:CHN:2019"),
            ("target_evaluation", "beautiful_china_pm25_2027"),
            ("greenbri_result", "catalog"),
        ],
        by="analyst@example",
        as_of=dt.date(2025, 12, 31),
    )
    found = {item["kind"]: item["detail"] for item in record["evidence"]}
    assert len(found["dataset_version"]["input_sha256"]) == 64
    assert 30 < found["indicator_value"]["value"] < 60  # World Bank PM2.5 exposure, China 2019 (µg/m³)
    assert found["target_evaluation"]["measured_by"] == "proxy"
    assert "plan-2017-text@v1" in found["greenbri_result"]["versions"]
    assert record["recorded_by"] == "analyst@example" and record["recorded_at"].startswith("2026-03-01")


def test_dates_must_not_go_backwards_nor_into_the_future(plan_stores: PlanStores) -> None:
    evidence = [("link", "https://example.org/report")]
    record_status(plan_stores, "p2017.kp16", "in_progress", evidence, by="t", as_of=dt.date(2025, 6, 30))
    with pytest.raises(InputError, match="before the item's latest record"):
        record_status(plan_stores, "p2017.kp16", "completed", evidence, by="t", as_of=dt.date(2025, 1, 1))
    with pytest.raises(InputError, match="after the day it is recorded"):
        record_status(plan_stores, "p2017.kp16", "completed", evidence, by="t", as_of=dt.date(2026, 3, 2))
    assert len(_lines(plan_stores)) == 1


def test_history_is_kept_whole_and_shown(plan_stores: PlanStores) -> None:
    evidence = [("link", "https://example.org/report")]
    record_status(plan_stores, "p2017.kp16", "in_progress", evidence, by="a", as_of=dt.date(2024, 6, 30))
    record_status(
        plan_stores, "p2017.kp16", "stalled", evidence, by="b", as_of=dt.date(2025, 6, 30), note="no budget"
    )
    shown = show_item(plan_stores, "p2017.kp16")
    assert [row["status"] for row in shown["history"]] == ["in_progress", "stalled"]
    assert shown["status"] == "stalled"
    assert shown["owners"] == "not stated" and shown["period"] == "not stated"
    untouched = show_item(plan_stores, "p2017.kp17")
    assert untouched["status"] == "unknown" and untouched["no_evidence"]
    assert untouched["fill_command"].startswith("greenbri plans record p2017.kp17")


def test_a_torn_last_line_is_ignored_and_cut_by_the_next_append(plan_stores: PlanStores) -> None:
    evidence = [("link", "https://example.org/report")]
    record_status(plan_stores, "p2017.kp16", "in_progress", evidence, by="a", as_of=dt.date(2024, 6, 30))
    store = plan_stores.records
    assert isinstance(store, FilePlanRecordStore)
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write('{"item_id": "p2017.kp1')  # a writer killed mid-line
    assert len(store.records()) == 1
    record_status(plan_stores, "p2017.kp17", "in_progress", evidence, by="a", as_of=dt.date(2024, 6, 30))
    assert [r.item_id for r in store.records()] == ["p2017.kp16", "p2017.kp17"]
    assert all(line.startswith("{") and line.endswith("}") for line in _lines(plan_stores))


def test_a_damaged_line_inside_the_history_is_named_not_skipped(plan_stores: PlanStores) -> None:
    evidence = [("link", "https://example.org/report")]
    record_status(plan_stores, "p2017.kp16", "in_progress", evidence, by="a", as_of=dt.date(2024, 6, 30))
    store = plan_stores.records
    assert isinstance(store, FilePlanRecordStore)
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write("not json\n")
    with pytest.raises(StoreError, match=r"records.jsonl, line 2: not a status record"):
        record_status(plan_stores, "p2017.kp17", "in_progress", evidence, by="a", as_of=dt.date(2024, 6, 30))
    assert len(_lines(plan_stores)) == 2


def test_unknown_needs_a_note_or_evidence(plan_stores: PlanStores) -> None:
    with pytest.raises(InputError, match="unknown status needs a note"):
        record_status(plan_stores, "p2017.kp03", "unknown", [], by="t")
    record = record_status(plan_stores, "p2017.kp03", "unknown", [], by="t", note="no public report found")
    assert record["status"] == "unknown" and record["evidence"] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["p2017.kp01", "p2017.kp02"]), st.integers(0, 60)), max_size=10))
def test_accepted_histories_never_go_back_in_time(tmp_path: Path, attempts: list[tuple[str, int]]) -> None:
    directory = tmp_path / f"h{abs(hash(tuple(attempts)))}"
    stores = PlanStores(plans=bundled_plans(), records=FilePlanRecordStore(directory), clock=lambda: NOW)
    for item_id, day in attempts:
        as_of = dt.date(2025, 1, 1) + dt.timedelta(days=day)
        try:
            record_status(
                stores, item_id, "in_progress", [("link", "https://example.org")], by="t", as_of=as_of
            )
        except InputError:
            assert any(r.item_id == item_id and r.as_of > as_of for r in stores.records.records())
    for item_id in ("p2017.kp01", "p2017.kp02"):
        dates = [r.as_of for r in stores.records.records() if r.item_id == item_id]
        assert dates == sorted(dates)


def test_monitoring_is_evidence_for_key_project_21_once_readings_are_stored(
    plan_stores: PlanStores, shared_data: Path, tmp_path: Path
) -> None:
    readings = ReadingsStore(tmp_path / "monitoring-store")
    stores = dataclasses.replace(plan_stores, readings=readings)
    with pytest.raises(InputError, match="holds no readings"):
        record_status(stores, "p2017.kp21", "in_progress", [("greenbri_result", "monitoring")], by="t")
    ingest_files(readings, [shared_data / "air" / "cnemc" / "2022-01-15T08.csv"], format_name="cnemc")
    record = record_status(stores, "p2017.kp21", "in_progress", [("greenbri_result", "monitoring")], by="t")
    detail = record["evidence"][0]["detail"]
    assert detail["batches"] == 1 and detail["stations"] > 1000  # the CNEMC hour lists 1,719 stations
    assert detail["latest_batch"] == readings.batches()[0]["id"]
