"""``greenbri indicators|profile|targets|index``: country indicators, profiles, targets and the composite index."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the indicator, profile, target and index commands to the root ``greenbri`` app."""
