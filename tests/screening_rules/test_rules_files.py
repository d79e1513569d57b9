"""The rule files: bundled ones load, every rule is cited, bad files are refused naming the file and field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from greenbri.core.errors import StandardError
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_files import load_rule_documents, load_rules
from greenbri.core.screening.rules_schema import RULE_FILES, rules_from_documents
from greenbri.core.screening.vocabulary import Certainty, Dimension, Sector


@pytest.fixture(scope="module")
def documents() -> dict[str, Any]:
    return load_rule_documents()


def refused(documents: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> StandardError:
    changed = copy.deepcopy(documents)
    change(changed)
    with pytest.raises(StandardError) as caught:
        rules_from_documents(changed)
    return caught.value


def test_the_bundled_rules_load_and_every_citation_names_a_listed_source(rules: ScreeningRules) -> None:
    assert set(rules.files) == set(RULE_FILES) and len(rules.digest) == 64
    citations = [c for rule in rules.sectors for c in rule.citations] + [
        c for rule in rules.receptors.rules for c in rule.citations
    ]
    assert citations and all(citation.source.id in rules.sources for citation in citations)
    assert all(citation.note for citation in citations if citation.certainty is Certainty.UNCERTAIN)


def test_operationalisation_choices_are_cited_as_greenbri_s_own(rules: ScreeningRules) -> None:
    assert {citation.source.kind for citation in rules.receptors.band_citations} == {"operationalisation"}
    assert [band.max_distance_m for band in rules.receptors.bands] == [None, 1000, 10000, 50000]


def test_the_green_list_is_solar_and_wind_in_all_three_dimensions(rules: ScreeningRules) -> None:
    green = {(rule.sector, rule.dimension) for rule in rules.sectors if rule.risk_class.value == "green"}
    assert green == {
        (sector, dimension) for sector in (Sector.SOLAR_POWER, Sector.WIND_POWER) for dimension in Dimension
    }


@pytest.mark.parametrize(
    ("change", "file", "field", "hint"),
    [
        (
            lambda d: d["sectors.json"]["entries"][0].update(colour="red"),
            "sectors.json",
            "entries[0].colour",
            "allowed keys",
        ),
        (
            lambda d: d["sectors.json"]["entries"][0].update(sector="coal"),
            "sectors.json",
            "entries[0].sector",
            "coal_power",
        ),
        (
            lambda d: d["receptors.json"]["rules"][0].update(receptor_role="forest"),
            "receptors.json",
            "rules[0].receptor_role",
            "protected_area",
        ),
        (
            lambda d: d["receptors.json"]["rules"][0]["citations"][0].update(source="nowhere"),
            "receptors.json",
            "rules[0].citations[0].source",
            "sources.json",
        ),
        (
            lambda d: d["receptors.json"]["rules"][0]["citations"][0].pop("note"),
            "receptors.json",
            "rules[0].citations[0].note",
            None,
        ),
        (
            lambda d: d["receptors.json"]["rules"][0].update(citations=[]),
            "receptors.json",
            "rules[0].citations",
            None,
        ),
        (
            lambda d: d["receptors.json"]["rules"][0]["text"].update(en="{nonsense}"),
            "receptors.json",
            "rules[0].text",
            "{band}",
        ),
        (
            lambda d: d["receptors.json"]["rules"][0]["bands"].update(
                far={"class": "red", "mitigable": False}
            ),
            "receptors.json",
            "rules[0].bands.far",
            "near",
        ),
        (
            lambda d: d["ghg.json"]["fuels"][0]["kg_co2_per_tj"].update(value="high"),
            "ghg.json",
            "fuels[0].kg_co2_per_tj.value",
            None,
        ),
        (
            lambda d: d["exclusions.json"]["rules"][0].update(statuses=["new"]),
            "exclusions.json",
            "rules[0].statuses[0]",
            "planned",
        ),
        (
            lambda d: d["mitigation.json"]["effects"][0].update(measure="prayer"),
            "mitigation.json",
            "effects[0].measure",
            "flue_gas_treatment",
        ),
        (lambda d: d["equator.json"].update(format_version=2), "equator.json", "format_version", None),
        (
            lambda d: d["sectors.json"]["entries"][0].update(**{"class": "no_data"}),
            "sectors.json",
            "entries[0].class",
            None,
        ),
    ],
)
def test_bad_rule_files_name_the_file_and_the_field(
    documents: dict[str, Any],
    change: Callable[[dict[str, Any]], None],
    file: str,
    field: str,
    hint: str | None,
) -> None:
    error = refused(documents, change)
    assert (error.source, error.field) == (file, field)
    if hint:
        assert hint in str(error)


def test_a_receptor_rule_may_not_get_worse_with_distance(documents: dict[str, Any]) -> None:
    def worse_farther(d: dict[str, Any]) -> None:
        d["receptors.json"]["rules"][0]["bands"] = {
            "intersects": {"class": "yellow", "mitigable": True},
            "near": {"class": "red", "mitigable": False},
        }

    def mitigable_only_near(d: dict[str, Any]) -> None:
        d["receptors.json"]["rules"][0]["bands"] = {
            "near": {"class": "yellow", "mitigable": True},
            "local": {"class": "yellow", "mitigable": False},
        }

    for change in (worse_farther, mitigable_only_near):
        assert "must not get worse" in str(refused(documents, change))


def test_bands_must_start_with_intersects_and_grow(documents: dict[str, Any]) -> None:
    error = refused(documents, lambda d: d["receptors.json"]["bands"][2].update(max_distance_m=500))
    assert error.field == "bands[2].max_distance_m"
    assert refused(documents, lambda d: d["receptors.json"]["bands"].pop(0)).field == "bands[0]"


def test_built_in_next_steps_and_referenced_steps_must_exist(documents: dict[str, Any]) -> None:
    def drop_step(name: str) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["next_steps.json"].update(
            steps=[s for s in d["next_steps.json"]["steps"] if s["id"] != name]
        )

    assert "obtain_missing_data" in str(refused(documents, drop_step("obtain_missing_data")))
    assert refused(documents, drop_step("critical_habitat_assessment")).field == "rules[0].next_steps"


def test_a_deployment_directory_overrides_single_files(tmp_path: Path, documents: dict[str, Any]) -> None:
    receptors = copy.deepcopy(documents["receptors.json"])
    receptors["bands"][1]["max_distance_m"] = 2000
    (tmp_path / "receptors.json").write_text(json.dumps(receptors), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.receptors.bands[1].max_distance_m == 2000
    assert rules.receptors.bands[1].label().en == "within 2 km of the project"
    assert len(rules.sectors) == len(load_rules().sectors)  # the other files stay bundled
    assert rules.digest != load_rules().digest


def test_unknown_files_bad_json_and_missing_directories_are_refused(tmp_path: Path) -> None:
    (tmp_path / "receptor.json").write_text("{}", encoding="utf-8")
    with pytest.raises(StandardError, match=r"receptor\.json"):
        load_rules(tmp_path)
    (tmp_path / "receptor.json").unlink()
    (tmp_path / "sectors.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StandardError, match="not valid JSON"):
        load_rules(tmp_path)
    with pytest.raises(StandardError, match="does not exist"):
        load_rules(tmp_path / "absent")
