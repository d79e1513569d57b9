"""``greenbri monitor daily``: the daily values and AQI of every station, on the local or a Dask engine.

The batch form of ``monitor series`` + ``monitor aqi`` for a whole network: the stations are
split into partitions, each partition is one task (one DuckDB scan of its stations' readings),
and the table is the same whatever the engine or the partitioning
(:mod:`greenbri.usecases.monitoring.aggregate`). By default it reads the store's published
readings files; on a cluster those paths must be readable by every worker (shared storage).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import typer

from greenbri.adapters.engines import engine_from_options, partition_bounds
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.errors import InputError
from greenbri.services.cli.context import open_store, settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.monitor_sources import readings_source
from greenbri.services.cli.output import echo_not_computed, print_json, print_table
from greenbri.services.cli.progress import task_progress
from greenbri.usecases.monitoring.aggregate import (
    AggregationInputs,
    aggregate_daily,
    not_computed_summary,
    stations_in,
)
from greenbri.usecases.monitoring.publish_daily import publish_daily

OUTPUT_SUFFIXES = (".parquet", ".csv")
#: Rows printed on the terminal without --output (the full table goes to --output).
SHOWN_ROWS = 20


def _write(table: pa.Table, output: Path) -> None:
    """Write ``table`` to ``output`` (.parquet or .csv) through a temporary file, then rename."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with renamed_into_place(output) as temporary:
        if output.suffix == ".parquet":
            pq.write_table(table, temporary)
        else:
            pa_csv.write_csv(table, temporary)


def _shown(value: Any) -> Any:
    return f"{value:.1f}" if isinstance(value, float) else value


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    for row in rows:
        row["day"] = row["day"].isoformat()
    return rows


@handle_errors
def daily_command(
    standard: Annotated[
        str, typer.Option(help="cn (GB 3095 / HJ 663 / HJ 633) or us (40 CFR 50 / EPA).")
    ] = "cn",
    readings: Annotated[
        str | None, typer.Option(help="Parquet glob of readings (default: the store's published readings).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the whole table to FILE.parquet or FILE.csv.")
    ] = None,
    utc_offset: Annotated[
        int, typer.Option(help="UTC offset (hours) of the local standard time that defines the day.")
    ] = 8,
    fallback_engine: Annotated[
        str | None,
        typer.Option(help="AQI engine for dates no engine in the library covers (e.g. hj633-2012)."),
    ] = None,
    reference_conditions: Annotated[
        str,
        typer.Option(
            help="Reference state of stored gas mass concentrations (cn-gb3095-2012 before 2018-09-01)."
        ),
    ] = "cn-gb3095-2018",
    engine_name: Annotated[
        str, typer.Option("--engine", help="Where the partitions run: local or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler tcp://host:port (default: a local cluster).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Workers of the local Dask cluster.")] = 2,
    stations_per_partition: Annotated[
        int, typer.Option(help="Stations per partition (one task each).")
    ] = 100,
    publish: Annotated[
        bool,
        typer.Option(
            help="Also store the table as a point layer in the dataset store (OGC API, tiles, SQL)."
        ),
    ] = False,
    dataset_id: Annotated[
        str | None, typer.Option(help="Dataset id for --publish (default air-quality-daily-cn or -us).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Daily values and AQI of every station, partitioned by station, locally or on Dask. 逐站逐日值与指数。"""
    if standard not in ("cn", "us"):
        raise InputError(f"--standard {standard!r} is not known.", hint="use cn or us.")
    if output is not None and output.suffix not in OUTPUT_SUFFIXES:
        raise InputError(
            f"Cannot tell the output format of {output.name!r}.",
            hint="name the file FILE.parquet or FILE.csv.",
        )
    if stations_per_partition < 1:
        raise InputError(
            f"{stations_per_partition} stations per partition.", hint="use 1 or more stations per partition."
        )
    if dataset_id and not publish:
        raise InputError(
            "--dataset-id names the dataset of --publish.", hint="add --publish, or drop --dataset-id."
        )
    if publish and readings:
        raise InputError(
            "--publish needs the store's own readings, not --readings.",
            hint="drop --readings, or ingest those files first (greenbri monitor ingest).",
        )
    files, batches = readings_source(readings)
    inputs = AggregationInputs(
        files,
        rules=standard,
        utc_offset_hours=utc_offset,
        fallback_engine=fallback_engine,
        reference_conditions=reference_conditions,
    )
    stations = stations_in(inputs.readings)
    partitions = len(partition_bounds(len(stations), stations_per_partition))  # as aggregate_daily cuts
    started = time.perf_counter()
    with (
        engine_from_options(engine_name, scheduler=scheduler, workers=workers) as engine,
        task_progress(partitions, quiet=json_output) as advance,
    ):
        table = aggregate_daily(
            inputs,
            engine=engine,
            stations_per_partition=stations_per_partition,
            stations=stations,
            progress=lambda _done: advance("station partitions 站点分区"),
        )
    seconds = time.perf_counter() - started
    if output is not None:
        _write(table, output)
    published: dict[str, Any] | None = None
    if publish:
        settings = settings_from()
        result = publish_daily(
            open_store(settings),
            table,
            ReadingsStore(settings.data_dir).stations(),
            batches,
            inputs,
            dataset_id=dataset_id,
        )
        published = {
            "dataset_id": result.outcome.record.id,
            "version": result.outcome.version.number,
            "created": result.outcome.created,
            "unplaced_stations": list(result.unplaced_stations),
            "unplaced_rows": result.unplaced_rows,
        }
    summary = {
        "standard": standard,
        "execution_engine": engine_name,
        "stations": len(stations),
        "partitions": partitions,
        "station_days": table.num_rows,
        **not_computed_summary(table),
        "seconds": round(seconds, 3),
        "output": str(output) if output is not None else None,
        "published": published,
    }
    if json_output:
        # every row only without --output (a national table belongs in a file)
        rows = _rows(table) if output is None else []
        print_json({**summary, "days": rows} if output is None else summary)
        return
    if output is None and table.num_rows:
        rows = _rows(table.slice(0, SHOWN_ROWS))
        # the terminal shows the daily means, MDA8 and the AQI, one decimal; --output / --json have all
        keys = [
            name
            for name in table.column_names
            if name.endswith(("_24h", "_8h"))
            or name in ("aqi", "category_zh", "category_en", "engine", "not_computed")
        ]
        print_table(
            f"daily values and AQI 逐日值与指数 ({standard}); first {len(rows)} of {table.num_rows:,}",
            ["station", "date", *keys],
            [[row["station_id"], row["day"], *(_shown(row[key]) for key in keys)] for row in rows],
        )
    typer.echo(
        f"{summary['station_days']:,} station-days of {summary['stations']:,} stations in "
        f"{partitions} partitions on the {engine_name} engine, {seconds:.1f} s"
        + (f"; written to {output}" if output is not None else "")
    )
    echo_not_computed(summary)
    if published:
        state = "new version" if published["created"] else "unchanged (same readings and options)"
        typer.echo(
            f"published as {published['dataset_id']} v{published['version']}: {state}"
            + (
                f"; {published['unplaced_rows']:,} rows of {len(published['unplaced_stations'])} stations "
                "without coordinates left out"
                if published["unplaced_rows"]
                else ""
            )
        )


def register(app: typer.Typer) -> None:
    """Add this module's command to the ``monitor`` group."""
    app.command("daily")(daily_command)
