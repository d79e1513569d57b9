"""``watch``: poll a source on a schedule and ingest what is new, resumably.

State lives in ``<data_dir>/monitoring/watch/<source>.json`` (replaced atomically after every step):
``cursor`` (the key of the last item stored: a CNEMC hour such as ``2022-01-15T08``, or the end of
the last OpenAQ window), ``in_progress`` (the item being fetched or stored, or null), counters and
the last error. After a crash the next run starts again from ``cursor``: the item that was in
progress is fetched again and, because a batch with the same input and options is a no-op and
readings already stored are skipped, nothing is stored twice.

A source that fails (time-out, HTTP error, malformed file) is recorded in ``last_error``; the cursor
does not move, so the next run tries again; nothing already stored changes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.watch_sources import WatchSource
from greenbri.adapters.stores.files import write_json_atomic
from greenbri.core.errors import GreenbriError, InputError
from greenbri.usecases.monitoring.ingest import FileReport, ingest_parsed

__all__ = ["WatchReport", "WatchState", "load_state", "parse_every", "watch"]

logger = logging.getLogger(__name__)


@dataclass
class WatchState:
    source: str
    cursor: str | None = None
    in_progress: str | None = None
    runs: int = 0
    batches_created: int = 0
    last_success: str | None = None
    last_error: str | None = None


@dataclass
class WatchReport:
    state: WatchState
    files: list[FileReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": asdict(self.state),
            "batches": [report.to_dict() for report in self.files],
            "errors": self.errors,
        }


def parse_every(text: str) -> timedelta:
    """``30s``, ``15m``, ``1h``, ``1d`` -> a timedelta."""
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    value, unit = text.strip()[:-1], text.strip()[-1:].lower()
    try:
        amount = float(value)
    except ValueError:
        amount = -1.0
    if unit not in units or amount <= 0:
        raise InputError(f"Cannot read the interval {text!r}.", hint="write e.g. --every 1h, 15m, 30s or 1d.")
    return timedelta(**{units[unit]: amount})


def _state_path(store: ReadingsStore, name: str) -> Path:
    return store.root / "watch" / f"{name}.json"


def load_state(store: ReadingsStore, name: str) -> WatchState:
    path = _state_path(store, name)
    if not path.is_file():
        return WatchState(source=name)
    return WatchState(**json.loads(path.read_text(encoding="utf-8")))


def _save(store: ReadingsStore, state: WatchState) -> None:
    path = _state_path(store, state.source)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, asdict(state))


def _run_once(
    store: ReadingsStore, source: WatchSource, state: WatchState, now: datetime, report: WatchReport
) -> None:
    for item in source.pending(state.cursor, now):
        state.in_progress = item.key
        _save(store, state)
        parsed, digest, options = item.load()
        file_report = ingest_parsed(store, parsed, input_sha256=digest, options=options)
        report.files.append(file_report)
        state.batches_created += int(file_report.created)
        state.cursor, state.in_progress = item.key, None
        state.last_success = now.isoformat()
        _save(store, state)


def watch(
    store: ReadingsStore,
    source: WatchSource,
    *,
    every: timedelta,
    max_runs: int | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> WatchReport:
    """Poll ``source`` every ``every`` (forever, or ``max_runs`` times); see the module docstring."""
    pause = sleep or time.sleep
    state = load_state(store, source.name)
    if state.in_progress:
        logger.info("resuming %s: %s was in progress", source.name, state.in_progress)
    report = WatchReport(state)
    run = 0
    while max_runs is None or run < max_runs:
        run += 1
        state.runs += 1
        started = now()
        try:
            _run_once(store, source, state, started, report)
            state.last_error = None
        except GreenbriError as error:
            state.last_error = f"{started.isoformat()}: {error}"
            report.errors.append(state.last_error)
            logger.warning("watch %s: %s", source.name, error)
        _save(store, state)
        if progress:
            progress(f"{source.name}: run {run}, cursor {state.cursor}")
        if max_runs is None or run < max_runs:
            pause(every.total_seconds())
    return report
