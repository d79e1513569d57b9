"""Printing results: rich tables for people, JSON for scripts (``--json``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["console", "echo_not_computed", "print_json", "print_table"]

console = Console(soft_wrap=True)


def print_json(data: Any) -> None:
    """Print ``data`` as sorted, indented JSON on stdout (UTF-8, Chinese kept as is).

    Written to stdout as it is, not through rich: rich renders text segment by segment, which took
    minutes for the hundreds of megabytes of ``screen --json`` of a large portfolio. JSON escapes
    every control character, so the bytes are those rich wrote (tests/services/test_cli_startup.py).
    """
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)


def echo_not_computed(summary: dict[str, Any]) -> None:
    """Say how many station-days (or stations) have an AQI and why the others were not computed."""
    console.out(
        f"{summary['computed']:,} computed, {summary['not_computed']:,} not computed 未计算", highlight=False
    )
    for reason, count in sorted(summary["not_computed_reasons"].items()):
        console.out(f"  {count:,}: {reason}", highlight=False)
