"""The audit log: one JSON line per write and per read of restricted data.

Lines go to ``<data dir>/audit/YYYY-MM-DD.jsonl`` (UTC day), with sorted keys. No secret is
written: the values of query parameters named like credentials (:data:`SECRET_PARAMETERS`, e.g. a
key sent as ``?api_key=``) and anything shaped like a greenbri token (``gb_<id>_<secret>``, in any
field) are replaced by ``[redacted]`` (:func:`redact`, :func:`redact_query`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = ["REDACTED", "SECRET_PARAMETERS", "AuditLog", "redact", "redact_query"]

REDACTED = "[redacted]"
#: Query parameters whose value is a credential, compared without case, ``-`` and ``_``.
SECRET_PARAMETERS = frozenset(
    {"apikey", "xapikey", "key", "token", "accesstoken", "auth", "authorization", "password", "secret"}
)
#: A greenbri API token (``KeyStore.create``: ``gb_`` + hex key id + ``_`` + URL-safe secret).
_TOKEN = re.compile(r"gb_[0-9a-f]+_[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    """``text`` with every greenbri token in it replaced by ``[redacted]``."""
    return _TOKEN.sub(REDACTED, text)


def redact_query(query: str) -> str:
    """A query string with the values of :data:`SECRET_PARAMETERS` (and any token) redacted."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [
            (name, REDACTED if re.sub(r"[-_]", "", name.lower()) in SECRET_PARAMETERS else redact(value))
            for name, value in pairs
        ],
        safe="[],:",
    )


def _redacted(entry: dict[str, Any]) -> dict[str, Any]:
    clean = {name: redact(value) if isinstance(value, str) else value for name, value in entry.items()}
    if isinstance(entry.get("query"), str):
        clean["query"] = redact_query(entry["query"])
    return clean


class AuditLog:
    def __init__(self, directory: Path, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.directory = directory
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lock = threading.Lock()

    def record(self, entry: dict[str, Any]) -> None:
        now = self.clock().astimezone(dt.UTC)
        line = json.dumps(
            {"time": now.isoformat(timespec="milliseconds"), **_redacted(entry)}, sort_keys=True
        )
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
