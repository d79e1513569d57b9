"""The greenbri command, driven through Typer's CliRunner: exit codes and --json output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import StoreFactory
from tests.store_state import snapshot
from typer.testing import CliRunner

from greenbri.services.cli.main import app

runner = CliRunner()


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def test_start_initialises_the_store_and_summarises_the_catalog(
    data_dir: Path, store_factory: StoreFactory
) -> None:
    code, out, err = invoke("start", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["data_dir"] == str(data_dir)
    ids = [row["id"] for row in summary["datasets"]]
    assert ids == ["admin1-subdivisions", "countries", "settlements"]
    counts = {row["id"]: row["feature_count"] for row in summary["datasets"]}
    # Natural Earth 5.1.1 has 250 admin-0 units; the China view merges 5 of them into others.
    assert counts["countries"] == 245
    assert summary["by_theme"] == {"boundaries": 2, "settlements": 1}
    assert store_factory.open(data_dir).is_initialised()


def test_init_twice_changes_nothing(data_dir: Path, store_factory: StoreFactory) -> None:
    first = json.loads(invoke("init", "--json")[1])
    before = snapshot(store_factory.open(data_dir))
    second = json.loads(invoke("init", "--json")[1])
    assert [layer["created"] for layer in first["layers"]] == [True, True, True]
    assert [layer["created"] for layer in second["layers"]] == [False, False, False]
    assert snapshot(store_factory.open(data_dir)) == before


def test_another_view_makes_a_new_version_of_the_countries(data_dir: Path) -> None:
    invoke("init", "--json")
    code, out, _ = invoke("init", "--view", "de_facto", "--json")
    layers = {layer["dataset_id"]: layer for layer in json.loads(out)["layers"]}
    assert code == 0
    assert layers["countries"]["version"] == 2
    assert layers["countries"]["feature_count"] == 250


def test_import_show_versions_export_delete(data_dir: Path, shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "wetlands" / "ramsar-ukraine"
    code, out, err = invoke(
        "datasets", "import", str(folder), "--id", "ramsar-ukraine", "--title-en", "Ramsar sites of Ukraine",
        "--title-zh", "乌克兰拉姆萨尔湿地", "--theme", "wetlands", "--receptor-role", "wetland",
        "--licence", "ODbL-1.0", "--json",
    )  # fmt: skip
    assert code == 0, err
    imported = json.loads(out)
    # 7 sites in 11 features: site 2281 is mapped as 5 separate polygons
    assert (imported["version"], imported["created"], imported["feature_count"]) == (1, True, 11)

    detail = json.loads(invoke("datasets", "show", "ramsar-ukraine", "--json")[1])
    assert detail["title"] == {"en": "Ramsar sites of Ukraine", "zh": "乌克兰拉姆萨尔湿地"}
    assert detail["receptor_role"] == "wetland"
    assert detail["version"]["provenance"]["input_sha256"] == imported["input_sha256"]
    assert {"ramsar_id", "name_en", "geometry"} <= {field["name"] for field in detail["version"]["schema"]}

    again = json.loads(invoke("datasets", "import", str(folder), "--id", "ramsar-ukraine", "--json")[1])
    assert (again["version"], again["created"]) == (1, False)

    target = tmp_path / "out.geojson"
    assert invoke("datasets", "export", "ramsar-ukraine", str(target))[0] == 0
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert len(exported["features"]) == 11
    assert {feature["properties"]["ramsar_id"] for feature in exported["features"]} == {
        1402, 2272, 2273, 2274, 2275, 2281, 2282,
    }  # fmt: skip

    listing = json.loads(invoke("datasets", "list", "--json")[1])
    assert [row["id"] for row in listing] == ["ramsar-ukraine"]
    assert json.loads(invoke("datasets", "versions", "ramsar-ukraine", "--json")[1])[0]["number"] == 1

    code, out, _ = invoke("datasets", "delete", "ramsar-ukraine", "--yes", "--json")
    assert code == 0
    assert json.loads(invoke("datasets", "list", "--json")[1]) == []


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["datasets", "show", "nowhere"], 4, "No dataset 'nowhere'"),
        (["datasets", "import", "/no/such/file.geojson", "--id", "x"], 2, "file.geojson"),
        (["datasets", "import", "/no/such/file.geojson", "--id", "Bad Id!"], 2, "not valid"),
        (["datasets", "fetch", "no-such-source"], 7, "natural-earth"),
        (["datasets", "export", "nowhere", "x.geojson"], 4, "greenbri datasets list"),
    ],
)
def test_errors_have_an_exit_code_and_a_message_that_says_what_to_do(
    data_dir: Path, arguments: list[str], exit_code: int, message: str
) -> None:
    code, _, err = invoke(*arguments)
    assert code == exit_code
    assert message in err
    assert "Fix:" in err


def test_a_bad_setting_exits_3_and_names_the_variable(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREENBRI_MAX_INPUT_BYTES", "-5")
    code, _, err = invoke("config", "validate")
    assert code == 3
    assert "GREENBRI_MAX_INPUT_BYTES" in err


def test_config_show_lists_the_settings_in_force(data_dir: Path) -> None:
    shown = json.loads(invoke("config", "show", "--json")[1])
    assert shown["data_dir"] == str(data_dir)
    assert shown["cache_dir"] == str(data_dir / "cache")


def test_sources_lists_the_connectors_in_both_languages(data_dir: Path) -> None:
    rows = json.loads(invoke("datasets", "sources", "--json")[1])
    names = {row["name"] for row in rows}
    assert {
        "natural-earth-lakes",
        "wdpa",
        "unesco-world-heritage",
        "ramsar",
        "worldbank",
        "owid-co2",
    } <= names
    assert all(row["en"] and row["zh"] for row in rows)
