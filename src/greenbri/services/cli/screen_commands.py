"""``greenbri screen``: environmental risk screening of projects. 项目环境风险筛查。"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from greenbri.adapters.engines import engine_from_options
from greenbri.adapters.standards_files import load_library
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.errors import InputError
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.stack import strictest_stack_check
from greenbri.services.cli.context import open_store, settings_from
from greenbri.services.cli.errors import NOTHING_DONE, PARTIAL_FAILURE, handle_errors
from greenbri.services.cli.options import SkipBadRowsOption
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.services.cli.progress import task_progress
from greenbri.usecases.project_inputs import PRESETS, read_projects
from greenbri.usecases.screening import (
    LoadedLayer,
    PortfolioScreening,
    load_receptor_layers,
    screen_portfolio,
)
from greenbri.usecases.screening_outputs import hits_geojson, write_json
from greenbri.usecases.species_near import species_part
from greenbri.usecases.technologies import TechnologyCatalogue, suggest_technologies

FORMATS = ("json", "geojson", "html", "pdf")


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, separator, target = value.partition("=")
        if not separator or not key.strip():
            raise InputError(
                f"{option} {value!r} is not KEY=VALUE.", hint=f"write e.g. {option} sector=solar_power."
            )
        pairs[key.strip()] = target.strip()
    return pairs


def _value_maps(values: list[str] | None, files: list[Path] | None) -> dict[str, dict[str, str]]:
    """``--map-values-file`` mappings, then ``--map-values FIELD:VALUE=CODE`` (which win)."""
    from greenbri.adapters.readers.value_maps import read_value_maps

    maps: dict[str, dict[str, str]] = {}
    for path in files or []:
        for field_name, mapping in read_value_maps(path).items():
            maps.setdefault(field_name, {}).update(mapping)
    for value in values or []:
        field_name, colon, rest = value.partition(":")
        source, equals, code = rest.rpartition("=")
        if not colon or not equals or not field_name.strip() or not code.strip():
            raise InputError(
                f"--map-values {value!r} is not FIELD:VALUE=CODE.",
                hint='write e.g. --map-values sector:"power plant - coal"=coal_power.',
            )
        maps.setdefault(field_name.strip(), {})[source.strip()] = code.strip()
    return maps


def _date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date.", hint="write it as YYYY-MM-DD.") from None


@handle_errors
def screen_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Projects: GeoJSON, GeoPackage, CSV/XLSX (lon/lat or WKT).")
    ],
    report: Annotated[Path | None, typer.Option(help="Folder to write the outputs to.")] = None,
    output_format: Annotated[
        list[str] | None, typer.Option("--format", help="json, geojson, html, pdf (repeat; default json).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Report language: en or zh.")] = "en",
    preset: Annotated[str | None, typer.Option(help=f"Input preset: {', '.join(sorted(PRESETS))}.")] = None,
    column_map: Annotated[
        list[str] | None, typer.Option("--map", help="Rename a column: SOURCE=TARGET.")
    ] = None,
    set_field: Annotated[
        list[str] | None,
        typer.Option("--set", help="Set a field on every project: FIELD=VALUE (e.g. sector=solar_power)."),
    ] = None,
    map_values: Annotated[
        list[str] | None,
        typer.Option(
            "--map-values",
            help='Map a value to a greenbri code: FIELD:VALUE=CODE (e.g. sector:"power plant - coal"=coal_power).',
        ),
    ] = None,
    map_values_file: Annotated[
        list[Path] | None,
        typer.Option(
            help='Value mappings from a file: JSON {"sector": {"VALUE": "CODE"}} or CSV field,value,code.'
        ),
    ] = None,
    date: Annotated[str | None, typer.Option(help="Screening date (standards in force), YYYY-MM-DD.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result JSON on stdout.")] = False,
    engine_name: Annotated[
        str, typer.Option("--engine", help="Where the spatial search runs: local or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler tcp://host:port (default: a local cluster).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Workers of the local Dask cluster.")] = 2,
    partition_size: Annotated[int, typer.Option(help="Projects per partition of the search.")] = 5_000,
    skip_bad_rows: SkipBadRowsOption = False,
) -> None:
    """Screen projects against every receptor layer: traffic light per dimension, EP category, GHG, report."""
    formats = output_format or ["json"]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise typer.BadParameter(f"unknown format(s) {unknown}; use {', '.join(FORMATS)}")
    settings = settings_from()
    store = open_store(settings)
    today = _date(date)
    if lang not in ("en", "zh"):
        raise InputError(f"--lang {lang!r} is not a report language.", hint="use en or zh.")
    projects = read_projects(
        paths,
        preset=preset,
        column_mapping=_pairs(column_map, "--map"),
        constants=_pairs(set_field, "--set"),
        skip_bad_rows=skip_bad_rows,
        value_maps=_value_maps(map_values, map_values_file),
    )
    _warn(projects.warnings)
    rules = load_rules()
    stack_check = strictest_stack_check(
        list(load_library([settings.standards_dir] if settings.standards_dir else [])), on=today
    )
    layers = load_receptor_layers(store)
    with (
        engine_from_options(engine_name, scheduler=scheduler, workers=workers) as engine,
        task_progress(len(projects.projects), quiet=json_output) as advance,
    ):
        portfolio = screen_portfolio(
            store,
            projects,
            rules,
            stack_check=stack_check,
            layers=layers,
            today=today,
            progress=advance,
            engine=engine,
            partition_size=partition_size,
            species=species_part(store),
        )
    suggest_technologies(
        portfolio, TechnologyCatalogue(settings.data_dir, lock_timeout_s=settings.lock_timeout_s).entries()
    )
    written = []
    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        if "json" in formats:
            written.append(write_json(portfolio, report / "screening.json"))
        if "geojson" in formats:
            path = report / "screening.geojson"
            text = json.dumps(hits_geojson(portfolio, layers), ensure_ascii=False, sort_keys=True)
            with renamed_into_place(path) as temporary:
                temporary.write_text(text, encoding="utf-8")
            written.append(path)
        if {"html", "pdf"} & set(formats):
            written.extend(_reports(store, portfolio, layers, report, formats, lang))
    if json_output:
        print_json(portfolio.to_dict())
    else:
        _print_portfolio(portfolio, written)
    if portfolio.failures and not portfolio.screened:  # every row failed: nothing was screened
        raise typer.Exit(NOTHING_DONE)
    if portfolio.failures:  # the rest is screened and written; say that some rows were not
        raise typer.Exit(PARTIAL_FAILURE)


def _warn(warnings: tuple[str, ...]) -> None:
    """Warnings about the input (duplicate ids, judgement mappings), on stderr so --json stays clean."""
    from rich.console import Console

    errors = Console(stderr=True, soft_wrap=True)
    for warning in warnings:
        errors.print(f"[yellow]warning[/]: {warning}", highlight=False)


def _print_portfolio(portfolio: PortfolioScreening, written: list[Path]) -> None:
    summary = portfolio.summary()
    print_table(
        f"screened {summary['screened']} of {summary['projects']} projects 筛查结果",
        ["id", "name", "sector", "class", "incomplete", "excluded"],
        [
            [
                item.project.id,
                item.project.name,
                item.project.sector.value,
                item.result.overall.value.upper(),
                "yes" if item.result.incomplete else "",
                "EXCLUDED" if item.result.exclusion.excluded else "",
            ]
            for item in portfolio.screened[:50]
        ],
    )
    if len(portfolio.screened) > 50:
        console.print(f"… and {len(portfolio.screened) - 50} more (see the report).")
    console.print(
        f"by class: {summary['by_class']}; excluded {summary['excluded']}; failed rows {summary['failed']}"
    )
    for failure in portfolio.failures[:10]:  # each message names its file and its row in that file
        console.print(f"  [yellow]{failure.project_id or '-'}[/]: {failure.message}", highlight=False)
    if len(portfolio.failures) > 10:
        console.print(f"  ... and {len(portfolio.failures) - 10} more failed rows (see the JSON report).")
    for path in written:
        console.print(f"wrote {path}")
    if portfolio.failures and not portfolio.screened:
        console.print(
            f"nothing screened: all {len(portfolio.failures)} rows failed (exit code {NOTHING_DONE}). "
            "Fix the rows as each message says (--preset, --map, --map-values, --set) and run again.",
            highlight=False,
        )
    elif portfolio.failures:
        console.print(
            f"{len(portfolio.failures)} rows failed and were not screened (exit code {PARTIAL_FAILURE}); "
            "the other projects are screened above.",
            highlight=False,
        )


def _reports(
    store: DatasetStore,
    portfolio: PortfolioScreening,
    layers: list[LoadedLayer],
    folder: Path,
    formats: list[str],
    lang: str,
) -> list[Path]:
    from greenbri.usecases.reports import write_reports

    written: list[Path] = write_reports(store, portfolio, layers, folder, formats=formats, language=lang)
    return written
