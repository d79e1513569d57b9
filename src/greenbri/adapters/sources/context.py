"""What a connector's ``fetch`` is given: the HTTP client, the mirror, the cache and options."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from greenbri.adapters.sources.http import HttpClient, ProgressCallback
from greenbri.adapters.sources.mirror import Mirror, default_cache_dir
from greenbri.core.errors import ConfigurationError

__all__ = ["FetchContext"]

_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n", ""})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class FetchContext:
    """Everything a connector may use to obtain its input.

    Attributes
    ----------
    client
        The HTTP client (inject a transport for tests).
    mirror
        The mirror to look in first, or None to go to the upstream source.
    cache_dir
        Where downloads and generated files are kept (one sub-folder per connector).
    options
        Connector-specific options, e.g. ``{"path": ".../WDPA_Nov2026_Public.zip"}`` for
        WDPA or ``{"indicator": "EN.ATM.PM25.MC.M3"}`` for the World Bank.
    progress
        Called as ``progress(bytes_done, bytes_total_or_None)`` during downloads.
    upstream_fallback
        When the mirror lacks a file, download it from upstream instead of failing.
    refresh
        Download again even when the cache already holds the file.
    """

    client: HttpClient
    mirror: Mirror | None
    cache_dir: Path
    options: Mapping[str, str] = field(default_factory=dict)
    progress: ProgressCallback | None = None
    upstream_fallback: bool = False
    refresh: bool = False

    @classmethod
    def from_env(
        cls,
        options: Mapping[str, str] | None = None,
        *,
        client: HttpClient | None = None,
        environ: Mapping[str, str] | None = None,
        progress: ProgressCallback | None = None,
    ) -> FetchContext:
        """A context from ``GREENBRI_MIRROR`` and ``GREENBRI_CACHE_DIR`` (see :mod:`.mirror`)."""
        client = client or HttpClient()
        cache_dir = default_cache_dir(environ)
        mirror = Mirror.from_env(environ, client=client, cache_dir=cache_dir)
        return cls(
            client=client, mirror=mirror, cache_dir=cache_dir, options=dict(options or {}), progress=progress
        )

    def option(self, name: str, default: str | None = None) -> str | None:
        """The option ``name`` with surrounding spaces removed, or ``default`` when absent or blank."""
        value = self.options.get(name)
        if value is None or not str(value).strip():
            return default
        return str(value).strip()

    def flag(self, name: str, default: bool = False) -> bool:
        """A yes/no option (``true/false``, ``yes/no``, ``1/0``, ``on/off``)."""
        value = self.options.get(name)
        if value is None:
            return default
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigurationError(
            f"Option {name}={value!r} is not a yes/no value.",
            hint=f"write {name}=true or {name}=false.",
        )

    def check_options(self, connector: str, allowed: Collection[str]) -> None:
        """Reject options a connector does not know (a typo would otherwise be ignored)."""
        unknown = sorted(set(self.options) - set(allowed))
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            raise ConfigurationError(
                f"Connector {connector!r} has no option {', '.join(map(repr, unknown))}.",
                hint=f"options it understands: {known}.",
            )

    def cache_path(self, connector: str, file_name: str) -> Path:
        """``cache_dir/<connector>/<file_name>`` (names made safe), its folder created."""
        folder = self.cache_dir / _SAFE_NAME.sub("_", connector)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / _SAFE_NAME.sub("_", file_name)
