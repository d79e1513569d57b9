"""Command-line options that several commands share, defined once."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["SkipBadRowsOption"]

SkipBadRowsOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Leave out rows that are not whole (short or long rows, an unterminated quote, a value "
        "cut at the end of the file) and report each by line, instead of refusing the file.",
    ),
]
