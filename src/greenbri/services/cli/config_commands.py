"""``greenbri config show|validate``."""

from __future__ import annotations

from typing import Annotated

import typer

from greenbri.config import ENVIRONMENT_VARIABLES, load_settings
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

app = typer.Typer(help="Show and check settings. 查看和检查配置。", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command("show")
@handle_errors
def show_command(json_output: JsonOption = False) -> None:
    """Show the settings in force and the variables that set them."""
    values = load_settings().describe()
    if json_output:
        print_json(values)
        return
    print_table(
        "settings",
        ["setting", "variable", "value"],
        [[name, ENVIRONMENT_VARIABLES[name], value] for name, value in sorted(values.items())],
    )


@app.command("validate")
@handle_errors
def validate_command(json_output: JsonOption = False) -> None:
    """Check the settings; exit 3 with a message naming the bad variable."""
    settings = load_settings()
    if json_output:
        print_json({"valid": True, "data_dir": str(settings.data_dir)})
    else:
        console.print("[green]settings are valid[/]")
