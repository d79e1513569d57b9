"""Typed settings, read from ``GREENBRI_*`` environment variables once at start-up.

Nothing here runs at import time: call :func:`load_settings` (the CLI and the
Python API do) with the environment to read, so tests and embedders pass their
own mapping.

=============================  ===========================================  =====================
variable                       meaning                                      default
=============================  ===========================================  =====================
``GREENBRI_DATA_DIR``          where the embedded store keeps its files     ``$XDG_DATA_HOME/greenbri``
                                                                            (``~/.local/share/greenbri``)
``GREENBRI_STORE``             ``embedded`` (DuckDB + GeoParquet), or a     ``embedded``
                               PostgreSQL URL for the PostGIS store
                               (``postgresql://user@host:5432/database``;
                               password in PGPASSWORD or ~/.pgpass)
``GREENBRI_MIRROR``            a directory or http(s) URL mirroring the     none (upstream URLs)
                               upstream sources
``GREENBRI_CACHE_DIR``         downloads cache                              ``<data dir>/cache``
``GREENBRI_BOUNDARY_VIEW``     point of view for country names and          ``china``
                               boundaries
``GREENBRI_MAX_INPUT_BYTES``   largest input file accepted, in bytes        2147483648 (2 GiB)
``GREENBRI_HTTP_TIMEOUT_S``    HTTP timeout, seconds                        60
``GREENBRI_HTTP_RETRIES``      attempts per HTTP request                    4
``GREENBRI_LOCK_TIMEOUT_S``    how long a writer waits for the store lock   30
``GREENBRI_STANDARDS_DIR``     extra standards (``*.json``), e.g. a host     none
                               country's own
``GREENBRI_PLANS_FILE``        a plan file replacing the bundled plans       none (bundled plans)
                               (goals, tasks, key projects; format in
                               docs/methodology/plans.md)
``GREENBRI_API_ANONYMOUS_RATE  requests per minute for anonymous API         300
_PER_MINUTE``                  clients (per address)
``GREENBRI_API_KEY_RATE_PER    default requests per minute of a new key      1200
_MINUTE``
``GREENBRI_API_MAX_ITEMS``     largest ``limit`` of an OGC items page        10000
``GREENBRI_WEB_DIR``           folder of the web dashboard to serve          the bundled one
``GREENBRI_TRUSTED_PROXIES``   comma-separated IP addresses or CIDR         none (no proxy header
                               networks of reverse proxies whose            is trusted)
                               ``X-Forwarded-For``/``-Proto`` the API
                               believes
``GREENBRI_GBIF_API_URL``      the GBIF API v1 (or a mirror of it)          ``https://api.gbif.org/v1``
=============================  ===========================================  =====================
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from greenbri.core.errors import ConfigurationError
from greenbri.environment_variables import ENVIRONMENT_VARIABLES

__all__ = ["ENVIRONMENT_VARIABLES", "Settings", "load_settings"]


def _default_data_dir(environment: Mapping[str, str]) -> Path:
    base = environment.get("XDG_DATA_HOME") or str(Path(environment.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "greenbri"


class Settings(BaseModel):
    """Validated settings of one greenbri process."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    store: str = "embedded"
    mirror: str | None = None
    cache_dir: Path | None = None
    boundary_view: str = "china"
    max_input_bytes: int = Field(default=2 * 1024**3, gt=0)
    http_timeout_s: float = Field(default=60.0, gt=0)
    http_retries: int = Field(default=4, ge=1, le=20)
    lock_timeout_s: float = Field(default=30.0, ge=0)
    standards_dir: Path | None = None
    plans_file: Path | None = None
    api_anonymous_rate_per_minute: int = Field(default=300, gt=0)
    api_key_rate_per_minute: int = Field(default=1200, gt=0)
    api_max_items: int = Field(default=10_000, gt=0)
    api_web_dir: Path | None = None
    api_trusted_proxies: tuple[str, ...] = ()
    gbif_api_url: str = "https://api.gbif.org/v1"

    @field_validator("api_trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        networks = []
        for item in (str(part).strip() for part in items):
            if not item:
                continue
            try:
                networks.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(
                    f"{item!r} is not an IP address or CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24)"
                ) from None
        return tuple(networks)

    @field_validator("data_dir", "cache_dir", "standards_dir", "plans_file", "api_web_dir")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("gbif_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("give an absolute http(s) URL, e.g. https://api.gbif.org/v1")
        return value

    @field_validator("store")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value == "embedded":
            return value
        # a PostgreSQL URL selects the PostGIS store. It is checked only when connecting, where the
        # messages mask its password (the message built from a failure here would repeat the value).
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError(
                "only 'embedded' (DuckDB + GeoParquet) or a PostgreSQL URL for the PostGIS store is known, "
                "e.g. postgresql://greenbri@localhost:5432/greenbri"
            )
        return value

    @property
    def effective_cache_dir(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    def describe(self) -> dict[str, str | None]:
        """Settings as strings, for ``greenbri config show``."""
        values = self.model_dump()
        values["cache_dir"] = self.effective_cache_dir
        return {name: (None if value is None else str(value)) for name, value in values.items()}


def load_settings(environment: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from ``environment`` (default: ``os.environ``).

    Raises :class:`ConfigurationError` naming the variable and the problem.
    """
    environment = os.environ if environment is None else environment
    values: dict[str, object] = {"data_dir": _default_data_dir(environment)}
    for name, variable in ENVIRONMENT_VARIABLES.items():
        raw = environment.get(variable)
        if raw not in (None, ""):
            values[name] = raw
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        variable = ENVIRONMENT_VARIABLES.get(name, name)
        raise ConfigurationError(
            f"Setting {variable}={values.get(name)!r} is invalid: {first['msg']}.",
            hint=f"correct or unset {variable}; see docs/user-guide.md#settings.",
        ) from None
