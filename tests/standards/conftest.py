"""Shared fixtures for the standards tests: the bundled library and a minimal valid standard file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from greenbri.adapters.standards_files import load_library
from greenbri.core.standards import StandardLibrary


@pytest.fixture(scope="session")
def library() -> StandardLibrary:
    """Every bundled standard, loaded once."""
    return load_library()


def minimal_standard() -> dict[str, Any]:
    """A small valid standard file (a made-up host-country standard with two phases)."""
    return {
        "format_version": 1,
        "id": "xx-test-2025",
        "jurisdiction": "KAZ",
        "kind": "ambient_air",
        "title": {"en": "Test ambient air standard", "zh": "测试标准"},
        "issuing_body": "Test ministry",
        "document_number": "TEST 1-2025",
        "url": "",
        "effective_from": "2025-01-01",
        "effective_to": None,
        "phases": [
            {
                "id": "one",
                "name": {"en": "Phase one"},
                "effective_from": "2025-01-01",
                "effective_to": "2027-12-31",
            },
            {"id": "two", "name": {"en": "Phase two"}, "effective_from": "2028-01-01"},
        ],
        "limits": [
            {
                "pollutant": "pm25",
                "averaging": "year",
                "statistic": "mean",
                "value": 30,
                "unit": "ug/m3",
                "comparator": "<=",
                "level": "limit",
                "source": "Table 1",
                "certainty": "confirmed",
                "phase": "one",
            },
            {
                "pollutant": "pm25",
                "averaging": "year",
                "statistic": "mean",
                "value": 20,
                "unit": "ug/m3",
                "comparator": "<=",
                "level": "limit",
                "source": "Table 1",
                "certainty": "confirmed",
                "phase": "two",
            },
        ],
    }


@pytest.fixture()
def standard_data() -> dict[str, Any]:
    return minimal_standard()


@pytest.fixture()
def write_standard(tmp_path: Path) -> Callable[[dict[str, Any], str], Path]:
    """Write a standard dict as ``<name>.json`` in a fresh directory and return the path."""

    def write(data: dict[str, Any], name: str = "host.json") -> Path:
        directory = tmp_path / "standards"
        directory.mkdir(exist_ok=True)
        path = directory / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
