"""Commands loaded on first use, so that ``greenbri --help`` imports none of them.

Each command module imports what its commands need (pandas, geopandas, DuckDB, psycopg, httpx,
matplotlib, ...). The root group knows every top-level command by name, module and one-line help
(:data:`LAZY_COMMANDS`) and imports a module only when one of its commands runs or shows its own
help. ``tests/services/test_cli_startup.py`` checks that the one-line help here is the command's own
and that ``--help`` imports no heavy library.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["LAZY_COMMANDS", "LazyCommand", "LazyGroup", "load_command"]


@dataclass(frozen=True)
class LazyCommand:
    """A top-level command: where it is defined and its one-line help (shown by ``greenbri --help``).

    ``attribute`` names a Typer sub-app (``app``), a ``register(app)`` function, or a command
    function; ``short_help`` must be the first line of the command's own help (a test compares them).
    """

    module: str
    attribute: str
    short_help: str


_CLI = "greenbri.services.cli."

#: Every top-level command except ``init`` and ``start`` (defined in ``main``), in the order of ``--help``.
LAZY_COMMANDS: dict[str, LazyCommand] = {
    "profile": LazyCommand(
        _CLI + "indicator_commands", "register", "Country environmental profile(s). 国家生态环境概况。"
    ),
    "serve": LazyCommand(
        _CLI + "serve_commands",
        "register",
        "Serve the REST API, OGC API - Features and vector tiles on the store. 启动网络服务。",
    ),
    "aqi": LazyCommand(
        _CLI + "aqi_commands",
        "aqi_command",
        "AQI, category and primary pollutant of readings, by the standard in force on the date.",
    ),
    "screen": LazyCommand(
        _CLI + "screen_commands",
        "screen_command",
        "Screen projects against every receptor layer: traffic light per dimension, EP category, GHG, report.",
    ),
    "datasets": LazyCommand(_CLI + "datasets", "app", "Manage the dataset catalog. 管理数据集目录。"),
    "config": LazyCommand(_CLI + "config_commands", "app", "Show and check settings. 查看和检查配置。"),
    "standards": LazyCommand(
        _CLI + "standards_commands",
        "app",
        "Environmental standards with effective dates and citations. 环境标准。",
    ),
    "monitor": LazyCommand(
        _CLI + "monitor_commands",
        "app",
        "Monitoring and early warning: ingest readings, derived series, AQI, exceedances, alerts. 环境监测与预警。",
    ),
    "indicators": LazyCommand(
        _CLI + "indicator_commands", "register", "Country indicators: ingest, list, show. 国家指标。"
    ),
    "targets": LazyCommand(
        _CLI + "indicator_commands", "register", "Policy targets and progress. 政策目标及进展。"
    ),
    "index": LazyCommand(
        _CLI + "indicator_commands", "register", "The composite eco-environmental index. 生态环境综合指数。"
    ),
    "plans": LazyCommand(
        _CLI + "plan_commands",
        "register",
        "Track the plans: goals, tasks, key projects, evidence and evaluation. 规划实施跟踪评估。",
    ),
    "keys": LazyCommand(_CLI + "serve_commands", "register", "API keys: create, list, revoke. 访问密钥。"),
    "species": LazyCommand(
        _CLI + "species_commands",
        "app",
        "Species occurrences, threatened species near places, checklists. 物种分布记录、附近受威胁物种、物种名录。",
    ),
    "technologies": LazyCommand(
        _CLI + "technology_commands",
        "app",
        "The Belt and Road green technology reserve (no entries ship; import cited ones). 绿色技术储备库。",
    ),
}


def load_command(name: str) -> Any:
    # Any: typer carries its own copy of click, whose classes it does not export.
    """Import the module of top-level command ``name`` and build its click command."""
    entry = LAZY_COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    elif entry.attribute == "register":
        target(holder)
    else:
        holder.command(name)(target)
    group = typer.main.get_group(holder)
    return group.commands[name]


class LazyGroup(TyperGroup):
    """The root group: lists the lazy commands by their help, imports one only when it is used."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*LAZY_COMMANDS, *(name for name in super().list_commands(ctx) if name not in LAZY_COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        if self._listing:  # the root's own --help: the one-line help is enough
            return TyperCommand(cmd_name, short_help=LAZY_COMMANDS[cmd_name].short_help)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
