"""Crash-safe file operations: write to a temporary name, fsync, rename into place.

Every temporary is removed when its write fails, whatever the failure (a full disk, a bad value,
an interrupt): :func:`renamed_into_place` is the one helper every single-file write path uses.
Only a process killed outright can leave one (``.<name>.<pid>.partial``); the stores' next writer
sweeps those (:func:`sweep_partials`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["fsync_directory", "fsync_tree", "renamed_into_place", "sweep_partials", "write_json_atomic"]


def fsync_directory(directory: Path) -> None:
    """Flush a directory entry so a rename inside it survives a crash."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def fsync_tree(directory: Path) -> None:
    """Flush every file under ``directory`` and the directory itself."""
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    fsync_directory(directory)


@contextmanager
def renamed_into_place(path: Path, *, durable: bool = False) -> Iterator[Path]:
    """A temporary name beside ``path`` to write an output to: renamed onto ``path`` when the block
    ends normally, removed when it raises, so an export or a report is never left half-written.

    ``durable``: the file and the rename are flushed to disk (fsync) before the block returns.
    The name carries the process and thread ids, so two processes or two threads writing the same
    path (two API apps on one data directory, a job runner and a request) do not remove or rename
    each other's temporary; the last rename wins, whole.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        if durable:
            with temporary.open("rb") as handle:
                os.fsync(handle.fileno())
        temporary.replace(path)
        if durable:
            fsync_directory(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def sweep_partials(directory: Path) -> None:
    """Delete temporaries (``.*.partial``) that a killed process left in ``directory``."""
    for leftover in directory.glob(".*.partial"):
        leftover.unlink(missing_ok=True)


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON; readers see the old or the new file, never a mix."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    with renamed_into_place(path, durable=True) as temporary:
        temporary.write_text(text, encoding="utf-8")
