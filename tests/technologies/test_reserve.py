"""The green technology reserve: import (CSV/JSON/XLSX), all-or-nothing validation, bilingual search.

The entries below are CONSTRUCTED TEST FIXTURES, not shipped data: greenbri ships no technology entry.
Their wording follows the 2022 Opinions' list for coal plants (高效脱硫、脱硝、除尘、CCUS; paragraph 十四).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from greenbri.core.errors import DuplicateIdError, InputError
from greenbri.services.cli.main import app
from greenbri.usecases.technologies import TechnologyCatalogue, import_technologies, search_technologies

SOURCE = "TEST FIXTURE (constructed; not a real catalogue entry)"
ENTRIES = [
    {
        "id": "t-fgd",
        "name_en": "Wet limestone flue gas desulfurization",
        "name_zh": "石灰石湿法烟气脱硫",
        "description_en": "Removes sulphur dioxide from coal-fired power plant flue gas.",
        "description_zh": "去除燃煤电厂烟气中的二氧化硫。",
        "category": "energy_saving_environmental_protection",
        "sectors": "coal_power",
        "abates": "so2",
        "deployments": "PAK,IDN",
        "source": SOURCE,
    },
    {
        "id": "t-scr",
        "name_en": "Selective catalytic reduction",
        "name_zh": "选择性催化还原脱硝",
        "description_en": "Denitrification of boiler flue gas with ammonia over a catalyst.",
        "description_zh": "以氨为还原剂、在催化剂上对锅炉烟气进行脱硝。",
        "category": "energy_saving_environmental_protection",
        "sectors": "coal_power",
        "abates": "nox",
        "deployments": "VNM",
        "source": SOURCE,
    },
    {
        "id": "t-ccus",
        "name_en": "Post-combustion carbon capture",
        "name_zh": "燃烧后二氧化碳捕集",
        "description_en": "Captures CO2 from flue gas for utilisation and storage.",
        "description_zh": "从烟气中捕集二氧化碳并利用与封存。",
        "category": "clean_energy",
        "sectors": "coal_power,cement",
        "abates": "co2",
        "deployments": "CHN",
        "source": SOURCE,
    },
    {
        "id": "t-bag",
        "name_en": "Bag filter dust removal",
        "category": "energy_saving_environmental_protection",
        "description_en": "Fabric filters remove particulate matter.",
        "sectors": "cement",
        "abates": "pm",
        "deployments": "KAZ",
        "source": SOURCE,
    },
]


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({key for row in rows for key in row}))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def catalogue(tmp_path: Path) -> TechnologyCatalogue:
    catalogue = TechnologyCatalogue(tmp_path / "data")
    import_technologies(catalogue, _csv(tmp_path / "entries.csv", ENTRIES))
    return catalogue


def _ids(catalogue: TechnologyCatalogue, query: str) -> list[str]:
    return [entry.id for entry, _ in search_technologies(catalogue.entries(), query).hits]


@pytest.mark.parametrize(
    ("chinese", "english", "expected"),
    [
        (
            "燃煤电厂烟气脱硫",
            "coal plant flue gas desulfurization",
            "t-fgd",
        ),  # segmentation: 燃煤/电厂/烟气/脱硫
        ("脱硝技术", "denitrification", "t-scr"),
        ("二氧化碳捕集利用与封存", "CCUS carbon capture", "t-ccus"),
        ("除尘", "dust removal", "t-bag"),  # t-bag has no Chinese text: found through the synonym group
    ],
)
def test_chinese_and_english_queries_find_the_same_best_entry(
    catalogue: TechnologyCatalogue, chinese: str, english: str, expected: str
) -> None:
    assert _ids(catalogue, chinese)[0] == expected
    assert _ids(catalogue, english)[0] == expected


def test_facets_and_filters(catalogue: TechnologyCatalogue) -> None:
    result = search_technologies(catalogue.entries(), "flue gas 烟气")
    assert result.facets["category"] == {"clean_energy": 1, "energy_saving_environmental_protection": 2}
    assert result.facets["country"] == {"CHN": 1, "IDN": 1, "PAK": 1, "VNM": 1}
    only = search_technologies(catalogue.entries(), "烟气", country="PAK")
    assert [entry.id for entry, _ in only.hits] == ["t-fgd"]
    assert search_technologies(catalogue.entries(), "geothermal heat pumps").hits == ()


def test_empty_reserve_searches_to_nothing(tmp_path: Path) -> None:
    assert search_technologies(TechnologyCatalogue(tmp_path).entries(), "脱硫").hits == ()


def test_duplicate_ids_and_missing_sources_import_nothing(
    catalogue: TechnologyCatalogue, tmp_path: Path
) -> None:
    before = catalogue.path.read_bytes()
    duplicate = _csv(tmp_path / "dup.csv", [ENTRIES[0], {**ENTRIES[1], "id": "t-fgd"}])
    with pytest.raises(DuplicateIdError, match="rows 1 and 2"):
        import_technologies(catalogue, duplicate)
    unsourced = tmp_path / "bad.json"
    unsourced.write_text(
        json.dumps(
            [{**ENTRIES[0], "id": "new", "source": ""}, {**ENTRIES[1], "id": "x2", "category": "coal"}]
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        import_technologies(catalogue, unsourced)
    assert "row 1, field source" in str(error.value) and "row 2, field category" in str(error.value)
    assert catalogue.path.read_bytes() == before


def test_xlsx_import_replaces_by_id(catalogue: TechnologyCatalogue, tmp_path: Path) -> None:
    path = tmp_path / "more.xlsx"
    pd.DataFrame([{**ENTRIES[0], "name_en": "Limestone-gypsum FGD"}]).to_excel(path, index=False)
    summary = import_technologies(catalogue, path)
    assert (summary.added, summary.replaced, summary.total) == (0, 1, 4)
    assert {e.id: e.name_en for e in catalogue.entries()}["t-fgd"] == "Limestone-gypsum FGD"


def test_cli(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(app, ["technologies", "search", "脱硫"])
    assert empty.exit_code == 0 and "empty" in empty.stdout
    imported = runner.invoke(
        app, ["technologies", "import", str(_csv(tmp_path / "e.csv", ENTRIES)), "--json"]
    )
    assert imported.exit_code == 0 and json.loads(imported.stdout)["added"] == 4
    found = runner.invoke(app, ["technologies", "search", "烟气脱硫", "--json"])
    assert json.loads(found.stdout)["hits"][0]["id"] == "t-fgd"


def test_red_or_yellow_findings_suggest_linked_technologies(
    catalogue: TechnologyCatalogue, tmp_path: Path
) -> None:
    from tests.screening_rules.builders import full_coverage, make_project

    from greenbri.core.screening.classify import classify
    from greenbri.core.screening.rules_files import load_rules
    from greenbri.usecases.screening import PortfolioScreening, ProjectScreening
    from greenbri.usecases.technologies import suggest_technologies

    rules = load_rules()
    coal = make_project(id="coal", sector="coal_power", fuel="bituminous_coal")
    solar = make_project(id="solar")
    portfolio = PortfolioScreening(
        screened=[ProjectScreening(p, (), classify(p, [], full_coverage(), rules)) for p in (coal, solar)]
    )
    suggest_technologies(portfolio, catalogue.entries())
    by_dimension = {(s["dimension"], s["technology_id"]) for s in portfolio.technologies["coal"]}
    # 2022 Opinions para 十四: desulfurisation, denitrification, dust removal (pollution), CCUS (climate);
    # t-bag is for cement only, so not suggested for a coal plant
    assert by_dimension == {("pollution", "t-fgd"), ("pollution", "t-scr"), ("climate", "t-ccus")}
    assert "solar" not in portfolio.technologies
    assert portfolio.to_dict()["projects"][0]["technologies"][0]["link"] in {
        "coal-power-pollution",
        "coal-power-climate",
    }
