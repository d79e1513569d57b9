"""The one place where adapters are built from settings and wired together."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from greenbri.config import Settings

if TYPE_CHECKING:
    from greenbri.adapters.indicators.store import IndicatorStore
    from greenbri.adapters.readers.base import ReadOptions
    from greenbri.adapters.sources.context import FetchContext
    from greenbri.adapters.sources.gbif import GbifApi
    from greenbri.adapters.sources.http import HttpClient
    from greenbri.adapters.sources.iucn import IucnRedListApi
    from greenbri.adapters.stores.interface import DatasetStore
    from greenbri.usecases.plans import PlanStores

# Each builder imports its adapter when called, so that a command opening the catalog does not import
# pandas, geopandas, httpx or psycopg (``greenbri --help`` and ``datasets list`` start fast).

__all__ = [
    "build_dataset_store",
    "build_fetch_context",
    "build_gbif_api",
    "build_http_client",
    "build_indicator_store",
    "build_iucn_api",
    "build_plan_stores",
    "build_store",
    "read_options",
]


def build_dataset_store(settings: Settings) -> DatasetStore:
    """The store GREENBRI_STORE selects: embedded (DuckDB + GeoParquet) or PostGIS."""
    from greenbri.adapters.stores.factory import open_store

    return open_store(settings.store, data_dir=settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def build_store(settings: Settings) -> DatasetStore:
    """The store the settings select (same as :func:`build_dataset_store`, the name callers use)."""
    return build_dataset_store(settings)


def build_indicator_store(settings: Settings) -> IndicatorStore:
    """The indicator values under the data directory."""
    from greenbri.adapters.indicators.store import IndicatorStore

    return IndicatorStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def build_plan_stores(settings: Settings, dataset_store: DatasetStore | None = None) -> PlanStores:
    """The plans (GREENBRI_PLANS_FILE or the bundled ones), their status records, and the stores
    evidence is checked against."""
    from greenbri.adapters.monitoring.store import ReadingsStore
    from greenbri.adapters.plans.files import read_plans
    from greenbri.adapters.plans.records import FilePlanRecordStore
    from greenbri.usecases.plans import PlanStores

    return PlanStores(
        plans=read_plans(settings.plans_file),
        records=FilePlanRecordStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s),
        datasets=dataset_store or build_dataset_store(settings),
        indicators=build_indicator_store(settings),
        readings=ReadingsStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s),
    )


def build_http_client(settings: Settings) -> HttpClient:
    from greenbri.adapters.sources.http import HttpClient

    return HttpClient(timeout=settings.http_timeout_s, max_attempts=settings.http_retries)


def build_gbif_api(settings: Settings, client: HttpClient | None = None) -> GbifApi:
    """The GBIF API v1 at GREENBRI_GBIF_API_URL (the public API, or a mirror of it)."""
    from greenbri.adapters.sources.gbif import GbifApi

    return GbifApi(client or build_http_client(settings), base_url=settings.gbif_api_url)


def build_iucn_api(settings: Settings, token: str) -> IucnRedListApi:
    """The IUCN Red List API v4 with ``token`` (GREENBRI_IUCN_API_TOKEN)."""
    from greenbri.adapters.sources.iucn import IucnRedListApi, authorised_client

    client = authorised_client(token, timeout=settings.http_timeout_s, max_attempts=settings.http_retries)
    return IucnRedListApi(client)


def build_fetch_context(
    settings: Settings,
    options: Mapping[str, str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    client: HttpClient | None = None,
    *,
    upstream_fallback: bool = False,
    refresh: bool = False,
) -> FetchContext:
    """A connector's context: HTTP client, mirror (if configured), cache, options."""
    from greenbri.adapters.sources.context import FetchContext
    from greenbri.adapters.sources.mirror import Mirror

    client = client or build_http_client(settings)
    mirror = (
        Mirror.from_setting(settings.mirror, client=client, cache_dir=settings.effective_cache_dir)
        if settings.mirror
        else None
    )
    cache_dir = settings.effective_cache_dir
    cache_dir.mkdir(parents=True, exist_ok=True)
    return FetchContext(
        client=client,
        mirror=mirror,
        cache_dir=cache_dir,
        options=dict(options or {}),
        progress=progress,
        upstream_fallback=upstream_fallback,
        refresh=refresh,
    )


def read_options(settings: Settings, **values: Any) -> ReadOptions:
    """ReadOptions with the settings' input size limit and the given (non-None) values."""
    from greenbri.adapters.readers.base import ReadOptions

    given = {name: value for name, value in values.items() if value is not None}
    return ReadOptions(**{"max_bytes": settings.max_input_bytes, **given})
