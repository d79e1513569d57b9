"""``greenbri plans list|show|record|evaluate`` through Typer's CliRunner: exit codes, --json, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def run(*arguments: str) -> object:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list_and_show(data_dir: Path) -> None:
    projects = run("plans", "list", "--document", "plan2017", "--kind", "key_project", "--json")
    assert isinstance(projects, list) and len(projects) == 25
    shown = run("plans", "show", "p2017.kp24", "--json")
    assert isinstance(shown, dict)
    assert shown["name"]["zh"] == "“一带一路”环保技术交流与转移中心（深圳）"
    assert shown["owners"] == "not stated" and shown["status"] == "unknown"
    result = runner.invoke(app, ["plans", "show", "p2017.kp24"])
    assert "NO DATA" in result.stdout and "greenbri plans record p2017.kp24" in result.stdout


def test_bad_input_gets_a_message_and_exit_code_2_and_nothing_is_recorded(data_dir: Path) -> None:
    cases = [
        (["plans", "record", "p2017.kp20", "--status", "completed"], "needs evidence"),
        (["plans", "record", "p2017.kp99", "--status", "completed", "-e", "link=https://e.org"], "no item"),
        (["plans", "record", "p2017.kp20", "--status", "completed", "-e", "dataset_version=nothing@v1"], "nothing"),
        (["plans", "record", "p2017.kp20", "--status", "completed", "-e", "linkhttps://e.org"], "KIND=REFERENCE"),
        (["plans", "record", "p2017.kp20", "--status", "completed", "-e", "link=https://e.org", "--as-of", "31/12/2025"],
         "not a date"),
        (["plans", "list", "--document", "plan2099"], "unknown document"),
    ]  # fmt: skip
    for arguments, message in cases:
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2, (arguments, result.output)
        assert message in result.output, result.output
    assert not (data_dir / "plans" / "records.jsonl").exists()


def test_record_then_evaluate_at_the_deadline_with_reports(data_dir: Path, tmp_path: Path) -> None:
    run("init", "--json")
    record = run(
        "plans", "record", "p2017.kp20", "--status", "in_progress", "-e", "greenbri_result=catalog",
        "--as-of", "2025-12-31", "--by", "tester", "--json",
    )  # fmt: skip
    assert isinstance(record, dict) and record["evidence"][0]["detail"]["datasets"] > 0
    late = runner.invoke(app, ["plans", "record", "p2017.kp20", "--status", "stalled", "-e", "link=https://e.org",
                               "--as-of", "2025-01-01"])  # fmt: skip
    assert late.exit_code == 2 and "must not go backwards" in late.output
    output = tmp_path / "reports"
    result = run(
        "plans", "evaluate", "--as-of", "2025-12-31", "--output", str(output), "--lang", "en,zh", "--json"
    )
    assert isinstance(result, dict)
    rows = {row["id"]: row for row in result["items"]}
    assert rows["p2017.kp20"]["status"] == "in_progress" and rows["p2017.kp20"]["recorded_by"] == "tester"
    assert rows["p2017.kp21"]["status"] == "unknown" and rows["p2017.kp21"]["no_evidence"]
    assert sorted(Path(p).name for p in result["reports"]) == [
        "plans-2025-12-31-en.html",
        "plans-2025-12-31-zh.html",
    ]
    english = (output / "plans-2025-12-31-en.html").read_text("utf-8")
    chinese = (output / "plans-2025-12-31-zh.html").read_text("utf-8")
    assert "data:image/png;base64," in english and "unknown (NO DATA)" in english
    assert "未知（无数据）" in chinese and "规划实施情况评估" in chinese
    assert english.count('data-status="in_progress"') == 1
    for option, value in (("--lang", "en,fr"), ("--format", "html,docx")):
        refused = runner.invoke(app, ["plans", "evaluate", "--as-of", "2025-12-31", "--output", str(tmp_path / "x"),
                                      option, value])  # fmt: skip
        assert refused.exit_code == 2 and value.split(",")[1] in refused.output
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_the_pdf_report_is_written(data_dir: Path, tmp_path: Path) -> None:
    result = run("plans", "evaluate", "--as-of", "2025-12-31", "--output", str(tmp_path), "--format", "pdf",
                 "--lang", "zh", "--json")  # fmt: skip
    assert isinstance(result, dict)
    pdf = tmp_path / "plans-2025-12-31-zh.pdf"
    assert [Path(p) for p in result["reports"]] == [pdf] and pdf.read_bytes().startswith(b"%PDF")


def test_a_deployment_plan_file_replaces_the_bundled_one_and_a_broken_one_is_named(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = (
        Path(__file__).resolve().parents[2] / "src" / "greenbri" / "core" / "plans" / "data" / "plans.json"
    )
    document = json.loads(bundled.read_text("utf-8"))
    project = next(item for item in document["documents"][0]["items"] if item["id"] == "p2017.kp20")
    project["owners"] = ["Deployment team"]
    project["milestones"] = [{"id": "online", "due": "2024-06-30", "clause": "work plan 1",
                              "name": {"zh": "上线", "en": "Online"}}]  # fmt: skip
    mine = tmp_path / "plans.json"
    mine.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("GREENBRI_PLANS_FILE", str(mine))
    shown = run("plans", "show", "p2017.kp20", "--json")
    assert isinstance(shown, dict) and shown["owners"] == ["Deployment team"]
    result = run("plans", "evaluate", "--as-of", "2025-12-31", "--json")
    assert isinstance(result, dict) and "p2017.kp20/online" in result["overdue"]
    project["milestones"][0]["due"] = "mid 2024"
    mine.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    broken = runner.invoke(app, ["plans", "list"])
    assert broken.exit_code == 1 and str(mine) in broken.output and "milestones[0].due" in broken.output
