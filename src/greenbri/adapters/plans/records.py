"""The plans' status records: an append-only history, behind a small interface.

:class:`PlanRecordStore` is what the use cases need; :class:`FilePlanRecordStore` keeps the records
under ``<data dir>/plans/``:

==================  ========================================================================
file                content
==================  ========================================================================
``records.jsonl``   one JSON object per line, appended, flushed and fsynced; never rewritten
``.lock``           an exclusive ``flock`` held while a record is checked and appended
==================  ========================================================================

A record is one ``write`` of one line, made while the lock is held and after every check has
passed, so a rejected record leaves nothing behind. A last line cut short by a crash (no newline,
not JSON) is ignored with a warning and cut off by the next append. A PostgreSQL implementation
would keep one row per record in an insert-only table.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from greenbri.adapters.stores.locking import write_lock
from greenbri.core.errors import StoreError
from greenbri.core.plans.records import StatusRecord, record_from_dict

__all__ = ["FilePlanRecordStore", "PlanRecordStore"]

logger = logging.getLogger(__name__)

Check = Callable[[Sequence[StatusRecord]], None]


class PlanRecordStore(Protocol):
    """Append-only status records."""

    def records(self) -> list[StatusRecord]:
        """Every record, in the order recorded."""
        ...

    def append(self, record: StatusRecord, check: Check) -> None:
        """Run ``check`` on the history and, if it returns, append ``record``; atomically."""
        ...


class FilePlanRecordStore:
    """Records as JSON lines under ``data_dir / "plans"``."""

    def __init__(self, data_dir: Path, *, lock_timeout_s: float = 30.0) -> None:
        self.directory = Path(data_dir) / "plans"
        self.path = self.directory / "records.jsonl"
        self.lock_timeout_s = lock_timeout_s

    def _complete_text(self) -> tuple[str, int]:
        """The file's complete lines and the byte length they take (a torn last line excluded)."""
        if not self.path.is_file():
            return "", 0
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            logger.warning("%s: ignoring an incomplete last line (%d bytes)", self.path, len(data) - end)
        return data[:end].decode("utf-8"), end

    def records(self) -> list[StatusRecord]:
        text, _ = self._complete_text()
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(record_from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise StoreError(
                    f"{self.path}, line {number}: not a status record ({error}).",
                    hint="the file is append-only and written by greenbri; restore it from a backup.",
                ) from None
        return records

    def append(self, record: StatusRecord, check: Check) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with write_lock(self.directory / ".lock", timeout_s=self.lock_timeout_s):
            check(self.records())
            line = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
            _, complete = self._complete_text()
            with self.path.open("ab") as handle:
                handle.truncate(complete)
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
