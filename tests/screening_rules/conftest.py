"""Shared fixtures for the screening-rule tests: the bundled rules, loaded once."""

from __future__ import annotations

import pytest

from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_files import load_rules


@pytest.fixture(scope="session")
def rules() -> ScreeningRules:
    """The bundled screening rules."""
    return load_rules()
