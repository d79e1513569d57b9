"""``greenbri monitor``: stations, readings, derived series, AQI, exceedances and alerts. 环境监测与预警。

The commands live in six modules, each adding its own to :data:`app`:
ingest, stations and watch (:mod:`monitor_ingest_commands`); series, aqi, exceedances and
stats (:mod:`monitor_series_commands`); daily, on the local or a Dask engine
(:mod:`monitor_daily_commands`); latest, the real-time AQI of every station's latest hour
(:mod:`monitor_latest_commands`); alerts (:mod:`monitor_alert_commands`); batches
(:mod:`monitor_batch_commands`).
"""

from __future__ import annotations

import typer

from greenbri.services.cli import (
    monitor_alert_commands,
    monitor_batch_commands,
    monitor_daily_commands,
    monitor_ingest_commands,
    monitor_latest_commands,
    monitor_series_commands,
)

app = typer.Typer(
    help="Monitoring and early warning: ingest readings, derived series, AQI, exceedances, alerts. 环境监测与预警。",
    no_args_is_help=True,
)
monitor_ingest_commands.register(app)
monitor_series_commands.register(app)
monitor_daily_commands.register(app)
monitor_latest_commands.register(app)
monitor_alert_commands.register(app)
monitor_batch_commands.register(app)
