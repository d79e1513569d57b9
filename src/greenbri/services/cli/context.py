"""Settings and store for one CLI invocation (built on first use, never at import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from greenbri.config import Settings, load_settings

if TYPE_CHECKING:
    from greenbri.adapters.stores.interface import DatasetStore

__all__ = ["open_store", "settings_from"]


def settings_from() -> Settings:
    """Settings from the environment (``--data-dir`` sets GREENBRI_DATA_DIR before this runs)."""
    return load_settings()


def open_store(settings: Settings | None = None) -> DatasetStore:
    from greenbri.bootstrap import build_store  # the adapters are imported when a store is opened

    return build_store(settings or settings_from())
