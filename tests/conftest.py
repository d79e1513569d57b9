"""Shared fixtures: the real data folder, isolated settings and stores."""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPOSITORY.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real public files (see its README)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared data folder {SHARED_DATA} is missing; CI provides it beside the repository")
    return SHARED_DATA


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory, set as GREENBRI_DATA_DIR for the test."""
    directory = tmp_path / "store"
    monkeypatch.setenv("GREENBRI_DATA_DIR", str(directory))
    monkeypatch.delenv("GREENBRI_MIRROR", raising=False)
    return directory
