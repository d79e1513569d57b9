"""The file format refuses what it does not allow, naming the file and the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from greenbri.core.errors import StandardError
from greenbri.core.standards import standard_from_dict

SOURCE = "host.json"


def refuse(data: dict[str, Any], field: str, text: str) -> StandardError:
    with pytest.raises(StandardError) as caught:
        standard_from_dict(data, source=SOURCE)
    error = caught.value
    assert error.source == SOURCE
    assert error.field == field, str(error)
    assert text in error.message, str(error)
    assert str(error).startswith(f"{SOURCE}, {field}: ")
    return error


def test_the_minimal_standard_is_valid(standard_data: dict[str, Any]) -> None:
    standard = standard_from_dict(standard_data, source=SOURCE)
    assert [phase.id for phase in standard.phases] == ["one", "two"]


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("pollutant", "pm2.5", "unknown pollutant 'pm2.5'"),
        ("averaging", "daily", "unknown averaging period 'daily'"),
        ("unit", "ug/Nm3", "unknown unit"),
        ("comparator", "<", "unknown comparator"),
        ("level", "grade_3", "unknown level"),
        ("certainty", "probable", "unknown certainty"),
        ("statistic", "median", "unknown statistic"),
    ],
)
def test_unknown_vocabulary_is_refused(
    standard_data: dict[str, Any], key: str, value: str, text: str
) -> None:
    standard_data["limits"][0][key] = value
    error = refuse(standard_data, f"limits[0].{key}", text)
    assert error.hint and "use one of" in error.hint


def test_unknown_kind_and_jurisdiction_are_refused(standard_data: dict[str, Any]) -> None:
    refuse({**standard_data, "kind": "soil"}, "kind", "unknown kind 'soil'")
    refuse({**standard_data, "jurisdiction": "China"}, "jurisdiction", "unknown jurisdiction 'China'")


def test_unknown_keys_are_refused_at_every_level(standard_data: dict[str, Any]) -> None:
    refuse({**standard_data, "colour": "red"}, "colour", "unknown key 'colour'")
    data = copy.deepcopy(standard_data)
    data["limits"][1]["averagng"] = "year"
    refuse(data, "limits[1].averagng", "unknown key 'averagng'")
    data = copy.deepcopy(standard_data)
    data["phases"][0]["until"] = "2027-12-31"
    refuse(data, "phases[0].until", "unknown key 'until'")


def test_a_limit_without_its_clause_is_refused(standard_data: dict[str, Any]) -> None:
    del standard_data["limits"][0]["source"]
    refuse(standard_data, "limits[0].source", "required key 'source' is missing")


def test_an_empty_clause_is_refused(standard_data: dict[str, Any]) -> None:
    standard_data["limits"][1]["source"] = "  "
    refuse(standard_data, "limits[1].source", "must not be empty")


def test_a_standard_without_document_number_is_refused(standard_data: dict[str, Any]) -> None:
    del standard_data["document_number"]
    refuse(standard_data, "document_number", "required key 'document_number' is missing")


def test_an_uncertain_limit_needs_a_note(standard_data: dict[str, Any]) -> None:
    standard_data["limits"][0]["certainty"] = "uncertain"
    error = refuse(standard_data, "limits[0].note", "an uncertain limit needs a note")
    assert error.hint and "why it is uncertain" in error.hint


def test_overlapping_phases_are_refused(standard_data: dict[str, Any]) -> None:
    standard_data["phases"][1]["effective_from"] = "2027-06-01"
    refuse(standard_data, "phases[1]", "phase 'two' overlaps phase 'one'")


def test_an_open_phase_followed_by_another_overlaps(standard_data: dict[str, Any]) -> None:
    standard_data["phases"][0]["effective_to"] = None
    refuse(standard_data, "phases[1]", "overlaps")


def test_end_before_start_is_refused(standard_data: dict[str, Any]) -> None:
    refuse({**standard_data, "effective_to": "2024-12-31"}, "effective_to", "is before effective_from")
    data = copy.deepcopy(standard_data)
    data["limits"][0]["effective_from"] = "2026-01-01"
    data["limits"][0]["effective_to"] = "2025-06-30"
    refuse(data, "limits[0]", "is before effective_from")


def test_a_phase_outside_the_standard_is_refused(standard_data: dict[str, Any]) -> None:
    standard_data["phases"][0]["effective_from"] = "2024-01-01"
    refuse(standard_data, "phases[0]", "outside the standard's effective dates")


def test_a_limit_of_an_unknown_phase_is_refused(standard_data: dict[str, Any]) -> None:
    standard_data["limits"][0]["phase"] = "three"
    refuse(standard_data, "limits[0].phase", "unknown phase 'three'")


def test_a_limit_listed_twice_is_refused(standard_data: dict[str, Any]) -> None:
    standard_data["limits"][1]["phase"] = "one"
    refuse(standard_data, "limits[1]", "already listed as limits[0]")


def test_bad_dates_and_numbers_are_refused(standard_data: dict[str, Any]) -> None:
    refuse({**standard_data, "effective_from": "1 March 2026"}, "effective_from", "is not an ISO date")
    data = copy.deepcopy(standard_data)
    data["limits"][0]["value"] = "30"
    refuse(data, "limits[0].value", "must be a number")
    data = copy.deepcopy(standard_data)
    data["limits"][0]["exceedances_allowed"] = -1
    refuse(data, "limits[0].exceedances_allowed", "must be at least 0")


def test_statistic_parameters_are_checked(standard_data: dict[str, Any]) -> None:
    data = copy.deepcopy(standard_data)
    data["limits"][0]["statistic"] = "percentile"
    refuse(data, "limits[0].statistic", "needs a parameter")
    data["limits"][0]["statistic"] = {"kind": "percentile", "parameter": 120}
    refuse(data, "limits[0].statistic.parameter", "a percentile must be in (0, 100]")
    data["limits"][0]["statistic"] = {"kind": "nth_highest", "parameter": 2.5}
    refuse(data, "limits[0].statistic.parameter", "a rank must be a whole number")
    data["limits"][0]["statistic"] = {"kind": "mean", "parameter": 1}
    refuse(data, "limits[0].statistic.parameter", "takes no parameter")


def test_format_version_and_top_level_shape(standard_data: dict[str, Any]) -> None:
    refuse({**standard_data, "format_version": 2}, "format_version", "format_version 2 is not supported")
    with pytest.raises(StandardError, match="must be a JSON object") as caught:
        standard_from_dict([standard_data], source=SOURCE)
    assert caught.value.source == SOURCE
