"""The store's single-writer lock: an exclusive ``flock`` on a file in the data directory.

Readers never take it: they read the catalog file, which is only ever replaced
whole (see :mod:`greenbri.adapters.stores.files`), and version files, which are
immutable once published.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from greenbri.core.errors import StoreLockedError

__all__ = ["write_lock"]

_POLL_S = 0.05


@contextmanager
def write_lock(lock_path: Path, *, timeout_s: float) -> Iterator[None]:
    """Hold the store's write lock for the duration of the block.

    Waits up to ``timeout_s`` seconds, then raises :class:`StoreLockedError`
    naming the process that holds it.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
                    raise StoreLockedError(
                        f"The store at {lock_path.parent} is being written by another process "
                        f"(pid {holder}); waited {timeout_s:g} s.",
                        hint="wait for that import to finish, or raise GREENBRI_LOCK_TIMEOUT_S.",
                    ) from None
                time.sleep(_POLL_S)
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
