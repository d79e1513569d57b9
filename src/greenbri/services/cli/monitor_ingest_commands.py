"""``greenbri monitor``: the ingest commands (see :mod:`greenbri.services.cli.monitor_commands`).

``ingest`` stores readings from files, ``stations`` lists the stations, ``watch`` polls a source.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from greenbri.adapters.monitoring.openaq import OpenAQClient
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.tabular import TableMapping
from greenbri.adapters.monitoring.watch_sources import CnemcHourlySource, OpenAQSource, WatchSource
from greenbri.bootstrap import build_http_client
from greenbri.core.errors import InputError
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.options import SkipBadRowsOption
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.services.cli.progress import stage_progress, task_progress
from greenbri.usecases.monitoring.ingest import FORMATS, IngestReport, ingest_files, ozone_provenance_text
from greenbri.usecases.monitoring.watch import parse_every, watch

__all__ = ["OPENAQ_KEY_VARIABLE", "register"]

#: Environment variable holding the OpenAQ API key.
OPENAQ_KEY_VARIABLE = "GREENBRI_OPENAQ_API_KEY"
_MESSAGES_SHOWN = 20

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _store() -> ReadingsStore:
    settings = settings_from()
    return ReadingsStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, separator, target = value.partition("=")
        if not separator or not key.strip() or not target.strip():
            raise InputError(
                f"{option} {value!r} is not of the form KEY=VALUE.", hint=f"write e.g. {option} pm25=ug/m3."
            )
        pairs[key.strip()] = target.strip()
    return pairs


def _table_mapping(options: dict[str, Any]) -> TableMapping | None:
    if options["format_name"] != "table":
        return None
    columns = _pairs(options["column"], "--column")
    return TableMapping(
        source=options["source"] or "table",
        timezone=options["timezone"],
        time_column=options["time_column"],
        time_parts=tuple(part.strip() for part in (options["time_parts"] or "").split(",") if part.strip()),
        period_end=options["period_end"],
        averaging=options["averaging"],
        layout=options["layout"],
        parameters=columns,
        parameter_column=options["parameter_column"],
        value_column=options["value_column"],
        unit_column=options["unit_column"],
        units=_pairs(options["unit"], "--unit"),
        station_column=options["station_column"],
        station_id=options["station_id"],
        station_prefix=options["station_prefix"],
    )


def _print_ingest(report: IngestReport) -> None:
    rows = [
        [
            Path(item.path).name,
            item.batch_id,
            "new" if item.created else "already stored",
            item.counts.get("readings_stored", 0),
            item.counts.get("readings_flagged", 0),
            item.counts.get("readings_skipped_existing", 0)
            + item.counts.get("readings_skipped_duplicate", 0),
            item.counts.get("readings_rejected_conflict", 0) + item.counts.get("input_rows_rejected", 0),
        ]
        for item in report.files
    ]
    print_table("ingest", ["file", "batch", "status", "stored", "flagged", "skipped", "rejected"], rows)
    for item in report.files:
        ozone = item.provenance.get("hourly_ozone")
        if ozone:
            console.print(f"  {Path(item.path).name}: {ozone_provenance_text(ozone)}", highlight=False)
    messages = [message for item in report.files for message in item.messages]
    for message in messages[:_MESSAGES_SHOWN]:
        console.print(f"  [yellow]{message.outcome}[/]: {message}", highlight=False)
    if len(messages) > _MESSAGES_SHOWN:
        console.print(f"  ... and {len(messages) - _MESSAGES_SHOWN} more messages (see --json).")


def ingest_command(
    files: Annotated[list[Path], typer.Argument(help="CSV, TSV or XLSX files (optionally .gz).")],
    format_name: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")] = "table",
    timezone: Annotated[
        str | None, typer.Option(help="Time zone of naive times: +08:00, UTC, Asia/Shanghai.")
    ] = None,
    time_column: Annotated[str | None, typer.Option(help="Column with ISO 8601 date-times.")] = None,
    time_parts: Annotated[str | None, typer.Option(help="Columns year[,month,day,hour].")] = None,
    period_end: Annotated[bool, typer.Option(help="Times mark the end of the averaging period.")] = False,
    averaging: Annotated[str, typer.Option(help="Averaging period: 1h, 8h, 24h, 1y.")] = "1h",
    layout: Annotated[str, typer.Option(help="wide (a column per parameter) or long.")] = "wide",
    column: Annotated[list[str] | None, typer.Option(help="Wide layout: COLUMN=PARAMETER (repeat).")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="PARAMETER=UNIT (repeat).")] = None,
    parameter_column: Annotated[str | None, typer.Option(help="Long layout: parameter column.")] = None,
    value_column: Annotated[str | None, typer.Option(help="Long layout: value column.")] = None,
    unit_column: Annotated[str | None, typer.Option(help="Long layout: unit column.")] = None,
    station_column: Annotated[str | None, typer.Option(help="Column with station ids.")] = None,
    station_id: Annotated[str | None, typer.Option(help="One station id for the whole file.")] = None,
    station_prefix: Annotated[str, typer.Option(help="Prefix added to station ids.")] = "",
    source: Annotated[str | None, typer.Option(help="Name of the source (table format).")] = None,
    strict: Annotated[bool, typer.Option(help="Store nothing of a file if any reading conflicts.")] = False,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of the files, e.g. gbk (default: the format's, UTF-8).")
    ] = None,
    skip_bad_rows: SkipBadRowsOption = False,
    json_output: JsonOption = False,
) -> None:
    """Ingest readings from files (one batch per file; the same file twice adds nothing). 导入监测数据。"""
    mapping = _table_mapping(dict(locals()))
    store = _store()
    with stage_progress(quiet=json_output) as stage:
        report = ingest_files(
            store,
            files,
            format_name=format_name,
            mapping=mapping,
            strict=strict,
            progress=stage,
            encoding=encoding,
            skip_bad_rows=skip_bad_rows,
        )
    if json_output:
        print_json(report.to_dict())
    else:
        _print_ingest(report)


def stations_command(
    country: Annotated[
        str | None, typer.Option(help="Only this country (ISO 3166 alpha-3, e.g. CHN).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List monitoring stations (bilingual names). 列出监测站点。"""
    rows = _store().stations().to_pylist()
    if country:
        rows = [row for row in rows if (row["country"] or "").upper() == country.upper()]
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} stations",
        ["id", "name (en)", "名称 (zh)", "city", "country", "longitude", "latitude", "parameters"],
        [
            [
                r["station_id"],
                r["name_en"],
                r["name_zh"],
                r["city"],
                r["country"],
                r["longitude"],
                r["latitude"],
                r["parameters"],
            ]
            for r in rows
        ],
    )


def _source(name: str, location: str | None, api_key: str | None) -> WatchSource:
    settings = settings_from()
    if name == "cnemc":
        if not location:
            raise InputError("The cnemc source needs --location (a directory or base URL of hourly files).")
        return CnemcHourlySource(
            location, client=build_http_client(settings), cache_dir=settings.effective_cache_dir
        )
    if name == "openaq":
        ids = [int(part) for part in (location or "").split(",") if part.strip()]
        if not ids:
            raise InputError("The openaq source needs --location with OpenAQ location ids (e.g. 2178,8118).")
        key = api_key or os.environ.get(OPENAQ_KEY_VARIABLE, "")
        return OpenAQSource(
            OpenAQClient(key, timeout=settings.http_timeout_s, max_attempts=settings.http_retries), ids
        )
    raise InputError(f"Unknown source {name!r}.", hint="use cnemc or openaq.")


def watch_command(
    source: Annotated[str, typer.Argument(help="cnemc or openaq.")],
    every: Annotated[str, typer.Option(help="Interval: 30s, 15m, 1h, 1d.")] = "1h",
    location: Annotated[
        str | None, typer.Option(help="cnemc: directory or URL; openaq: location ids.")
    ] = None,
    max_runs: Annotated[
        int | None, typer.Option(help="Stop after this many polls (default: run until stopped).")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option(help=f"OpenAQ API key (default: ${OPENAQ_KEY_VARIABLE}).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Poll a source on a schedule; resumes where it stopped after a crash. 定时采集。"""
    store = _store()
    interval = parse_every(every)
    chosen = _source(source, location, api_key)
    with task_progress(max_runs or 0, quiet=json_output or max_runs is None) as step:
        report = watch(store, chosen, every=interval, max_runs=max_runs, progress=step)
    if json_output:
        print_json(report.to_dict())
        return
    state = report.state
    console.print(f"{source}: {state.runs} runs, {state.batches_created} new batches, cursor {state.cursor}")
    for error in report.errors:
        console.print(f"  [red]error[/]: {error}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``monitor`` group."""
    app.command("ingest")(handle_errors(ingest_command))
    app.command("stations")(handle_errors(stations_command))
    app.command("watch")(handle_errors(watch_command))
