"""The audit log: one JSON line per write and per read of restricted data.

Lines go to ``<data dir>/audit/YYYY-MM-DD.jsonl`` (UTC day), with sorted keys.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["AuditLog"]


class AuditLog:
    def __init__(self, directory: Path, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.directory = directory
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lock = threading.Lock()

    def record(self, entry: dict[str, Any]) -> None:
        now = self.clock().astimezone(dt.UTC)
        line = json.dumps({"time": now.isoformat(timespec="milliseconds"), **entry}, sort_keys=True)
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            with (self.directory / f"{now.date().isoformat()}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first (for tests and ``greenbri keys``-style inspection)."""
        rows: list[dict[str, Any]] = []
        for path in sorted(self.directory.glob("*.jsonl")):
            rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
        return rows
