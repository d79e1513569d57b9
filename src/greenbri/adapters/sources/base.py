"""What every upstream connector declares and returns.

A connector knows one upstream source: its real URL, the file names a mirror may
hold it under, the catalog metadata of the dataset it produces, how to read it,
and (optionally) a filter to apply after reading (e.g. WDPA's status rules).
``fetch`` obtains the input through the injectable HTTP client or from the
mirror (``GREENBRI_MIRROR``: a directory or a base URL) and returns local paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from greenbri.adapters.readers.base import ReadOptions
from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    Licence,
    ReceptorRole,
    SourceInfo,
    Theme,
)

__all__ = ["Connector", "DatasetDefaults", "FetchedInput", "PostRead"]

#: A filter applied to the read frame; returns the new frame and notes for the user.
PostRead = Callable[[Any], tuple[Any, list[str]]]


@dataclass(frozen=True)
class DatasetDefaults:
    """Catalog metadata a connector gives the dataset it produces.

    ``access`` is ``RESTRICTED`` for sources whose terms forbid redistribution (WDPA).
    """

    dataset_id: str
    title: Bilingual
    description: Bilingual
    kind: DatasetKind
    theme: Theme
    source: SourceInfo
    licence: Licence
    receptor_role: ReceptorRole | None = None
    read_options: ReadOptions = field(default_factory=ReadOptions)
    access: AccessLevel = AccessLevel.PUBLIC
    #: Where the dataset is complete (see :class:`greenbri.core.catalog.DatasetRecord`).
    coverage: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchedInput:
    """Local files obtained by a connector, ready for a reader.

    ``notes`` are messages for the user about what was fetched (e.g. that a mirror
    copy's upstream version is not known).
    """

    paths: tuple[Path, ...]
    fetched_from: str
    defaults: DatasetDefaults
    post_read: PostRead | None = None
    notes: tuple[str, ...] = ()


class Connector(Protocol):
    """One upstream source."""

    #: Short name used on the command line, e.g. ``natural-earth-lakes``.
    name: str
    #: One-line description in English and Chinese.
    summary: Bilingual

    def fetch(self, context: Any) -> FetchedInput:
        """Obtain the input (mirror first if configured, else upstream)."""
        ...
