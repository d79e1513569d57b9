"""The bundled standard files load, round-trip, carry citations; a deployment adds its own by file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from greenbri.adapters.standards_files import bundled_standard_files, load_library, load_standard_file
from greenbri.core.errors import StandardError
from greenbri.core.standards import StandardLibrary, standard_from_dict, standard_to_dict

BUNDLED = {
    "cn-gb13223-2011": 14,
    "cn-gb3095-2012": 46,
    "cn-gb3095-2026": 64,
    "cn-gb3838-2002": 125,
    "eu-2008-50": 14,
    "eu-2024-2881": 19,
    "ifc-ehs-general-2007": 24,
    "ifc-ehs-thermal-power-2008": 22,
    "us-naaqs": 17,
    "who-aqg-2021": 38,
}


def test_every_bundled_file_loads_with_its_limit_count(library: StandardLibrary) -> None:
    assert {standard.id: len(standard.limits) for standard in library} == BUNDLED
    assert [path.stem for path in bundled_standard_files()] == sorted(BUNDLED)


def test_every_limit_is_cited_and_every_uncertain_one_says_why(library: StandardLibrary) -> None:
    for standard in library:
        assert standard.issuing_body and standard.document_number, standard.id
        for limit in standard.limits:
            assert limit.source, (standard.id, limit)
            if limit.certainty == "uncertain":
                assert len(limit.note) > 40, (standard.id, limit)


def test_files_round_trip_through_the_writer() -> None:
    for path in bundled_standard_files():
        standard = load_standard_file(path)
        assert standard_from_dict(json.loads(json.dumps(standard_to_dict(standard)))) == standard


def test_a_host_country_standard_is_added_as_a_file(
    write_standard: Callable[[dict[str, Any], str], Path], standard_data: dict[str, Any]
) -> None:
    path = write_standard(standard_data, "kaz.json")
    library = load_library([path.parent])
    assert "xx-test-2025" in library
    assert len(library) == len(BUNDLED) + 1
    assert [s.id for s in library.in_force(date(2026, 1, 1), "KAZ")] == ["xx-test-2025"]


def test_a_bundled_id_reused_by_a_deployment_file_is_refused(
    write_standard: Callable[[dict[str, Any], str], Path], standard_data: dict[str, Any]
) -> None:
    standard_data["id"] = "who-aqg-2021"
    path = write_standard(standard_data, "copy.json")
    with pytest.raises(StandardError, match="already used") as caught:
        load_library([path.parent])
    assert caught.value.source == str(path)
    assert caught.value.field == "id"


def test_broken_json_names_the_file_and_the_line(
    write_standard: Callable[[dict[str, Any], str], Path],
) -> None:
    path = write_standard({}, "broken.json")
    path.write_text('{"id": "x",\n  "kind": }', encoding="utf-8")
    with pytest.raises(StandardError) as caught:
        load_library([path.parent])
    assert caught.value.source == str(path)
    assert caught.value.field == "line 2, column 11"
    assert "broken.json" in str(caught.value)


def test_a_bad_field_in_a_deployment_file_names_file_and_field(
    write_standard: Callable[[dict[str, Any], str], Path], standard_data: dict[str, Any]
) -> None:
    bad = copy.deepcopy(standard_data)
    bad["limits"][1]["unit"] = "µg/m³"
    path = write_standard(bad, "bad-unit.json")
    with pytest.raises(StandardError) as caught:
        load_library([path.parent])
    message = str(caught.value)
    assert "bad-unit.json" in message
    assert "limits[1].unit" in message
    assert "ug/m3" in message  # the hint lists the allowed units


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StandardError, match="does not exist"):
        load_library([tmp_path / "nowhere"])
