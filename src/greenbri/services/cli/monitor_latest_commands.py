"""``greenbri monitor latest``: the real-time AQI of every station's latest hour, beside the published one.

The use case is :func:`greenbri.usecases.monitoring.latest_aqi.latest_aqi` (the API's
``GET /v1/aqi/latest`` calls the same).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, echo_not_computed, print_json, print_table
from greenbri.usecases.monitoring.latest_aqi import METHODS, latest_aqi

__all__ = ["register"]

_MATCH = {True: "yes 是", False: "NO 否", None: ""}


def _row(record: dict[str, Any], names: dict[str, str]) -> list[Any]:
    category = record["category"]
    return [
        record["station_id"],
        names.get(record["station_id"], ""),
        record["hour_ending_utc"][:16],
        record["aqi"],
        f"{category['en']} / {category['zh']}" if category else "",
        ", ".join(record["primary"]),
        record["published_aqi"] if record["published_aqi"] is None else int(record["published_aqi"]),
        _MATCH[record["matches_published"]],
        record["not_computed"] or record["no_data"] or record["mismatch_reason"] or "",
    ]


@handle_errors
def latest_command(
    standard: Annotated[str, typer.Option(help="cn (HJ 633 real-time) or us (PM NowCast).")] = "cn",
    utc_offset: Annotated[
        int, typer.Option(help="UTC offset (hours) of the local time that picks the engine by date.")
    ] = 8,
    fallback_engine: Annotated[
        str | None,
        typer.Option(help="Engine for hours no verified engine covers, e.g. hj633-2012, us-epa-2015."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Real-time AQI of every station's latest hour, checked against the published AQI. 各站最新实时AQI。"""
    if standard not in METHODS:
        raise typer.BadParameter(f"unknown standard {standard!r}: use cn or us.", param_hint="--standard")
    settings = settings_from()
    store = ReadingsStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)
    latest = latest_aqi(store, standard, fallback_engine=fallback_engine, utc_offset_hours=utc_offset)
    if json_output:
        print_json(latest.to_dict())
        return
    if not latest.rows:
        console.out(
            "NO DATA 无数据: no station has a valid hourly value of an AQI pollutant. Ingest readings first, "
            "e.g. greenbri monitor ingest FILE.csv --format cnemc",
            highlight=False,
        )
        return
    stations = store.stations().select(["station_id", "name_zh", "name_en"]).to_pylist()
    names = {row["station_id"]: row["name_zh"] or row["name_en"] or "" for row in stations}
    print_table(
        f"latest real-time AQI 最新实时AQI ({standard})",
        ["station", "name 名称", "hour ending (UTC)", "AQI", "category 类别", "primary 首要污染物",
         "published 发布值", "equal 一致", "note 说明"],
        [_row(record, names) for record in latest.rows],
    )  # fmt: skip
    summary = latest.summary
    console.out(METHODS[standard], highlight=False)
    console.out(
        f"{summary['stations']:,} stations ({summary['no_data']:,} NO DATA 无数据); published AQI {summary['published']:,}: "
        f"{summary['matches_published']:,} equal, {summary['differs_from_published']:,} differ, "
        f"{summary['not_compared']:,} not compared",
        highlight=False,
    )
    echo_not_computed(summary)


def register(app: typer.Typer) -> None:
    """Add this module's command to the ``monitor`` group."""
    app.command("latest")(latest_command)
