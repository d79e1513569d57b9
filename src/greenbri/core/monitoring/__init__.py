"""Environmental monitoring: stations, readings, quality control, derived series and alerts.

The layout of a reading and a station is fixed in :mod:`greenbri.core.monitoring.readings`;
every part of the monitoring code (ingest, stores, quality control, derived series, alerts)
reads and writes that layout.
"""
