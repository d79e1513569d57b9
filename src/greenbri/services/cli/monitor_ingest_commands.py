"""``greenbri monitor``: the ingest commands (see :mod:`greenbri.services.cli.monitor_commands`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``monitor`` group."""
