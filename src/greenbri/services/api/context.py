"""What every request handler shares: the store, keys, limits, audit log, caches and jobs.

Built once by :func:`greenbri.services.api.app.create_app` and kept on ``app.state.context``.
Handlers reach it (and the request's :class:`~greenbri.services.api.access.Principal`) through
the dependencies below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request

from greenbri.adapters.stores.interface import DatasetStore
from greenbri.config import Settings
from greenbri.core.catalog import AccessLevel, DatasetKind, DatasetRecord
from greenbri.core.errors import DatasetNotFoundError
from greenbri.services.api.access import KeyStore, Principal, Role, may_read_dataset
from greenbri.services.api.audit import AuditLog
from greenbri.services.api.features import FeatureReader
from greenbri.services.api.limits import RateLimiter

__all__ = [
    "ApiContext",
    "ApiOptions",
    "find_dataset",
    "get_context",
    "get_principal",
    "require_role",
    "visible_datasets",
]


@dataclass(frozen=True)
class ApiOptions:
    """Settings of the API. Read from ``Settings`` when it has them (``api_*`` fields), else defaults.

    ``anonymous_rate_per_minute``: requests per minute per client address without a key;
    ``key_rate_per_minute``: the default of new keys; ``max_items``: the largest OGC ``limit``;
    ``web_dir``: static files served at ``/dashboard`` (the web dashboard), if the folder exists;
    ``trusted_proxies``: addresses or CIDR networks whose ``X-Forwarded-For`` names the client
    (``GREENBRI_TRUSTED_PROXIES``); from anyone else the header is ignored.
    """

    anonymous_rate_per_minute: int = 300
    key_rate_per_minute: int = 1200
    max_items: int = 10_000
    web_dir: Path | None = None
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ApiOptions:
        names = (
            "anonymous_rate_per_minute",
            "key_rate_per_minute",
            "max_items",
            "web_dir",
            "trusted_proxies",
        )
        values = {
            name: getattr(settings, f"api_{name}")
            for name in names
            if getattr(settings, f"api_{name}", None) is not None
        }
        return cls(**{**values, **overrides})


@dataclass
class ApiContext:
    settings: Settings
    store: DatasetStore
    options: ApiOptions
    keys: KeyStore
    limiter: RateLimiter
    audit: AuditLog
    features: FeatureReader
    cache: dict[str, Any] = field(default_factory=dict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    build_locks: dict[str, threading.RLock] = field(default_factory=dict)

    def memoised(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per ``key`` (keys carry what invalidates them, e.g. catalog versions).

        Concurrent requests for the same area (the key's part before ``|``) wait for one build
        instead of each running it."""
        with self.cache_lock:
            if key in self.cache:
                return self.cache[key]
            area_lock = self.build_locks.setdefault(key.split("|")[0], threading.RLock())
        with area_lock:
            with self.cache_lock:
                if key in self.cache:
                    return self.cache[key]
            value = build()
        with self.cache_lock:
            stale = [name for name in self.cache if name.split("|")[0] == key.split("|")[0]]
            for name in stale:
                del self.cache[name]
            self.cache[key] = value
        return value

    def catalog_stamp(self) -> str:
        """Changes whenever the catalog changes (the store's own stamp: file or database)."""
        return self.store.catalog_stamp()

    def datasets(self) -> list[DatasetRecord]:
        """The catalog, re-read only when the catalog file changed."""
        records: list[DatasetRecord] = self.memoised(
            f"catalog|{self.catalog_stamp()}", self.store.list_datasets
        )
        return records


def get_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


def get_principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def require_role(request: Request, role: Role) -> Principal:
    """The request's principal if its role is at least ``role``; else 401 (anonymous) or 403."""
    principal = get_principal(request)
    if principal.at_least(role):
        return principal
    if principal.anonymous:
        raise HTTPException(401, f"This needs an API key with the role {role.value} or higher.")
    raise HTTPException(
        403, f"This needs the role {role.value} or higher; the key has {principal.role.value}."
    )


def visible_datasets(request: Request, kind: DatasetKind | None = None) -> list[DatasetRecord]:
    """The datasets the request's principal may see (restricted ones of other organisations never)."""
    principal = get_principal(request)
    return [
        record
        for record in get_context(request).datasets()
        if may_read_dataset(principal, record) and (kind is None or record.kind is kind)
    ]


def find_dataset(request: Request, dataset_id: str, kind: DatasetKind | None = None) -> DatasetRecord:
    """A visible dataset, or a 404 that reads the same whether it is missing or restricted.

    A read of a restricted dataset is marked for the audit log.
    """
    for record in visible_datasets(request, kind):
        if record.id == dataset_id and record.latest is not None:
            if record.access is AccessLevel.RESTRICTED:
                request.state.audit = f"dataset:{record.id}"
            return record
    what = "vector layer" if kind is DatasetKind.VECTOR_LAYER else "dataset"
    raise DatasetNotFoundError(
        f"There is no {what} {dataset_id!r}.",
        hint="list the ids with GET /v1/datasets (or /collections); an API key may be needed.",
    )
