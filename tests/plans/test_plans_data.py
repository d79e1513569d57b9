"""The plans as data, checked against the policy texts in ``../shared/plans``."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from greenbri.core.errors import StandardError
from greenbri.core.indicators.data_files import seed_targets
from greenbri.core.plans.data_files import bundled_plans, plans_from_text

GROUP_LABELS = {
    "政策沟通": "policy_communication",
    "设施联通": "infrastructure_connectivity",
    "贸易畅通": "unimpeded_trade",
    "资金融通": "financial_integration",
    "民心相通": "people_to_people",
    "能力建设": "capacity_building",
}


@pytest.fixture(scope="module")
def plan_2017(shared_data: Path) -> str:
    return (
        shared_data.parent / "plans" / "2017-belt-and-road-eco-environmental-cooperation-plan.zh.txt"
    ).read_text("utf-8")


@pytest.fixture(scope="module")
def opinions_2022(shared_data: Path) -> str:
    return (shared_data.parent / "plans" / "2022-opinions-green-development-belt-and-road.zh.txt").read_text(
        "utf-8"
    )


def _key_projects(text: str) -> dict[int, tuple[str, str]]:
    """序号 -> (group, name) read from the table of section 九 (a group label opens its rows)."""
    table = text.split("九、重大项目")[-1].split("十、保障措施")[0]
    rows, group = {}, ""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) == 3 and cells[1].isdigit():
            group = GROUP_LABELS.get(cells[0], group)
            rows[int(cells[1])] = (group, cells[2])
    return rows


def test_the_counts_per_group_are_those_the_plan_states(plan_2017: str) -> None:
    stated = re.search(r"包括(.*?)。", plan_2017.split("九、重大项目")[-1]).group(1)  # type: ignore[union-attr]
    counts = {GROUP_LABELS[label]: int(n) for label, n in re.findall(r"(\S{4})类\s*(\d+)\s*个", stated)}
    assert counts == {
        "policy_communication": 6,
        "infrastructure_connectivity": 4,
        "unimpeded_trade": 3,
        "financial_integration": 2,
        "people_to_people": 4,
        "capacity_building": 6,
    }
    projects = [item for _, item in bundled_plans().items() if item.kind == "key_project"]
    assert len(projects) == 25
    assert Counter(item.group for item in projects) == counts


def test_every_key_project_is_the_plans_table_row_with_its_number_and_name(plan_2017: str) -> None:
    table = _key_projects(plan_2017)
    assert len(table) == 25
    entered = {int(item.number): item for _, item in bundled_plans().items() if item.kind == "key_project"}
    for number, (group, name) in table.items():
        assert entered[number].name.zh == name, number
        assert entered[number].group == group, number
        assert f"序号 {number}" in entered[number].clause
    assert entered[20].name.zh == "“一带一路”生态环保大数据服务平台建设"


def test_nothing_the_plan_does_not_state_is_filled_in() -> None:
    for _, item in bundled_plans().items():
        if item.kind == "key_project":
            assert item.owners is None and item.period is None and item.milestones == ()
            # partners only where the project's own title names them
            assert item.partners in (None, ("ASEAN",), ("KHM",))
            if item.partners:
                assert item.partners_note


def test_goals_and_tasks_of_the_three_documents_quote_their_texts(plan_2017: str, opinions_2022: str) -> None:
    plans = bundled_plans()
    goals = {item.id: item for _, item in plans.items() if item.kind == "goal"}
    assert set(goals) == {
        "p2017.goal2025", "p2017.goal2030", "o2022.goal2025", "o2022.goal2030", "bc2023.goal2027", "bc2023.goal2035",
    }  # fmt: skip
    for key, item in goals.items():
        assert item.due is not None and str(item.due.year) in key
        assert item.summary_en
    assert goals["p2017.goal2025"].quote_zh in plan_2017
    assert goals["p2017.goal2030"].quote_zh in plan_2017
    for key in ("o2022.goal2025", "o2022.goal2030"):
        head, tail = goals[key].quote_zh.split("……")
        assert head in opinions_2022 and tail in opinions_2022
    tasks_2022 = [
        item for document, item in plans.items() if document.id == "opinions2022" and item.kind == "task"
    ]
    # the Opinions number their tasks (四) to (二十一): 18 tasks
    assert len(tasks_2022) == 18
    for item in tasks_2022:
        assert f"{item.number}{item.name.zh}" in opinions_2022, item.id
        if item.quote_zh:
            assert item.quote_zh in opinions_2022
    tasks_2017 = [
        item for document, item in plans.items() if document.id == "plan2017" and item.kind == "task"
    ]
    assert len(tasks_2017) == 11
    for item in tasks_2017:
        assert item.name.zh in plan_2017


def test_beautiful_china_targets_are_links_to_the_targets_data_not_copies() -> None:
    linked = [item for _, item in bundled_plans().items() if item.kind == "target"]
    assert {item.target_id for item in linked} == set(seed_targets())
    for item in linked:
        target = seed_targets()[item.target_id]  # type: ignore[index]
        assert item.due is not None and item.due.year == target.target_year
        assert item.name.zh == target.name.zh


def test_machine_or_unofficial_english_is_marked() -> None:
    sources = Counter(item.name.en_source for _, item in bundled_plans().items())
    assert sources["unofficial_translation"] >= 25
    excerpt = {item.id for _, item in bundled_plans().items() if item.name.en_source == "document_excerpt"}
    assert excerpt == {"p2017.task4-2", "p2017.task5-1"}


def _bundled() -> dict:
    path = Path(__file__).resolve().parents[2] / "src" / "greenbri" / "core" / "plans" / "data" / "plans.json"
    return json.loads(path.read_text("utf-8"))


def test_a_plan_file_with_an_unknown_key_names_the_item() -> None:
    document = _bundled()
    document["documents"][0]["items"][3]["owner"] = "somebody"
    with pytest.raises(StandardError, match=r"documents\[0\].items\[3\].owner.*'p2017.task3-2'"):
        plans_from_text(json.dumps(document), "mine.json")


def test_a_group_count_differing_from_the_document_is_refused() -> None:
    document = copy.deepcopy(_bundled())
    items = document["documents"][0]["items"]
    items.remove(next(item for item in items if item["id"] == "p2017.kp15"))
    with pytest.raises(
        StandardError, match=r"financial_integration.*holds 1 items but the document counts 2"
    ):
        plans_from_text(json.dumps(document), "mine.json")


def test_a_target_link_to_nothing_and_a_duplicate_id_are_refused() -> None:
    document = _bundled()
    document["documents"][2]["items"][-1]["target_id"] = "no_such_target"
    with pytest.raises(StandardError, match="no_such_target"):
        plans_from_text(json.dumps(document), "mine.json")
    document = _bundled()
    document["documents"][1]["items"][0]["id"] = "p2017.kp01"
    with pytest.raises(StandardError, match="used twice"):
        plans_from_text(json.dumps(document), "mine.json")
