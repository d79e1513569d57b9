"""The ``greenbri`` command. 绿色“一带一路”生态环境大数据服务平台命令行。"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from greenbri.environment_variables import ENVIRONMENT_VARIABLES
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.lazy import LazyGroup
from greenbri.services.cli.output import console, print_json, print_table

# Every other command is loaded on first use (services/cli/lazy.py), so that ``--help`` and light
# commands do not import pandas, geopandas, DuckDB, psycopg, httpx or matplotlib.
app = typer.Typer(
    cls=LazyGroup,
    help="greenbri: eco-environmental big data platform for green Belt and Road cooperation.\n"
    "绿色“一带一路”生态环境大数据服务平台。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def global_options(
    data_dir: Annotated[
        Path | None, typer.Option(help=f"Data directory (sets {ENVIRONMENT_VARIABLES['data_dir']}).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    if data_dir is not None:
        os.environ[ENVIRONMENT_VARIABLES["data_dir"]] = str(data_dir)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _initialise(view: str | None, json_output: bool) -> dict[str, object]:
    from greenbri.services.cli.context import open_store, settings_from
    from greenbri.services.cli.progress import task_progress
    from greenbri.usecases.initialise import bundled_layer_count, initialise_store

    settings = settings_from()
    store = open_store(settings)
    with task_progress(bundled_layer_count(), quiet=json_output) as advance:
        outcomes = initialise_store(store, view=view or settings.boundary_view, progress=advance)
    return {"data_dir": str(store.data_dir), "layers": [outcome.to_dict() for outcome in outcomes]}


@app.command("init")
@handle_errors
def init_command(
    view: Annotated[
        str | None, typer.Option(help="Boundary point of view (default GREENBRI_BOUNDARY_VIEW or china).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Create the store and load the bundled offline reference layers. 初始化数据存储。"""
    result = _initialise(view, json_output)
    if json_output:
        print_json(result)
        return
    for layer in result["layers"]:  # type: ignore[attr-defined]
        state = "loaded" if layer["created"] else "up to date"
        console.print(
            f"  {layer['dataset_id']}: version {layer['version']}, {layer['feature_count']} features ({state})"
        )
    console.print(f"store ready at {result['data_dir']}")


@app.command("start")
@handle_errors
def start_command(
    view: Annotated[str | None, typer.Option(help="Boundary point of view.")] = None,
    json_output: JsonOption = False,
) -> None:
    """The platform's main job: initialise the store and summarise the catalog. 启动平台。"""
    from greenbri.services.cli.context import open_store
    from greenbri.usecases.catalog_views import catalog_summary

    _initialise(view, json_output)
    store = open_store()
    summary = catalog_summary(store.list_datasets())
    summary["data_dir"] = str(store.data_dir)
    if json_output:
        print_json(summary)
        return
    print_table(
        f"greenbri catalog 数据目录 — {summary['dataset_count']} datasets, {summary['feature_count']} features",
        ["id", "title / 标题", "kind", "version", "features"],
        [
            [
                row["id"],
                f"{row['title']['en']}\n{row['title']['zh']}",
                row["kind"],
                row["latest_version"],
                row["feature_count"],
            ]
            for row in summary["datasets"]
        ],
    )
    console.print(f"data directory 数据目录: {store.data_dir}")


def main() -> None:
    app()
