"""Connectors to upstream sources, and the registry that names them.

Each connector knows one source (its real URL, the paths a mirror may hold it
under, the catalog metadata and read options of the dataset it produces) and
fetches it through a :class:`FetchContext` (HTTP client, mirror, cache, options)::

    context = FetchContext.from_env({"indicator": "EN.ATM.PM25.MC.M3"})
    fetched = get_connector("worldbank").fetch(context)
"""

from __future__ import annotations

from greenbri.adapters.sources.base import Connector, DatasetDefaults, FetchedInput, PostRead
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.heritage import WORLD_HERITAGE_CONNECTOR
from greenbri.adapters.sources.http import HttpClient, HttpError
from greenbri.adapters.sources.mirror import DirectoryMirror, Mirror, MirrorHit, UrlMirror
from greenbri.adapters.sources.natural_earth import NATURAL_EARTH_CONNECTORS
from greenbri.adapters.sources.owid import OWID_CO2_CONNECTOR, OWID_GRAPHER_CONNECTOR
from greenbri.adapters.sources.ramsar import RAMSAR_CONNECTOR
from greenbri.adapters.sources.wdpa import WDPA_CONNECTOR, WdpaFilter
from greenbri.adapters.sources.worldbank import WORLD_BANK_CONNECTOR
from greenbri.core.errors import SourceError

__all__ = [
    "CONNECTORS",
    "Connector",
    "DatasetDefaults",
    "DirectoryMirror",
    "FetchContext",
    "FetchedInput",
    "HttpClient",
    "HttpError",
    "Mirror",
    "MirrorHit",
    "PostRead",
    "UrlMirror",
    "WdpaFilter",
    "get_connector",
    "list_connectors",
]

_ALL: tuple[Connector, ...] = (
    *NATURAL_EARTH_CONNECTORS,
    WDPA_CONNECTOR,
    WORLD_HERITAGE_CONNECTOR,
    RAMSAR_CONNECTOR,
    OWID_CO2_CONNECTOR,
    OWID_GRAPHER_CONNECTOR,
    WORLD_BANK_CONNECTOR,
)

#: Every connector by its name.
CONNECTORS: dict[str, Connector] = {connector.name: connector for connector in _ALL}


def get_connector(name: str) -> Connector:
    """The connector called ``name``; :class:`SourceError` listing the known names otherwise."""
    key = name.strip().lower()
    if key in CONNECTORS:
        return CONNECTORS[key]
    raise SourceError(
        f"No connector is called {name!r}.",
        hint=f"use one of: {', '.join(sorted(CONNECTORS))}.",
    )


def list_connectors() -> list[Connector]:
    """Every connector, sorted by name."""
    return [CONNECTORS[name] for name in sorted(CONNECTORS)]
