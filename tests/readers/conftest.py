"""Fixtures for the reader tests: the real data folder and a country layer."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pyogrio
import pytest

from greenbri.core.errors import InputError


@pytest.fixture(scope="session")
def countries(shared_data: Path) -> Any:
    """Natural Earth 50m countries with an ``iso_a3`` column (France, Norway... fixed from ISO_A3_EH)."""
    data = gzip.decompress(
        (shared_data / "natural-earth" / "ne_50m_admin_0_countries.geojson.gz").read_bytes()
    )
    frame = pyogrio.read_dataframe(data, columns=["ISO_A3", "ISO_A3_EH"])
    frame["iso_a3"] = frame["ISO_A3"].where(frame["ISO_A3"] != "-99", frame["ISO_A3_EH"])
    return frame[["iso_a3", "geometry"]]


def _assert_explained(error: InputError, file_name: str, where: str | None) -> None:
    text = str(error)
    assert file_name in text, text
    if where is not None:
        assert where in text, text
    assert error.hint, text
    assert "Fix:" in text, text


@pytest.fixture(scope="session")
def explained() -> Any:
    """``explained(error, file_name, where)``: the message names the file, the row/feature and a fix."""
    return _assert_explained
