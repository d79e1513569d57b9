"""The greenbri web API: ``create_app(settings)`` builds a FastAPI application.

Each area is a router module listed in :data:`ROUTERS`; a new area (monitoring, indicators, ...)
adds its module there. Everything the routers share is an
:class:`~greenbri.services.api.context.ApiContext` on ``app.state.context``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from greenbri.bootstrap import build_store
from greenbri.config import Settings
from greenbri.services.api.access import KeyStore
from greenbri.services.api.audit import AuditLog
from greenbri.services.api.context import ApiContext, ApiOptions
from greenbri.services.api.features import FeatureReader
from greenbri.services.api.limits import RateLimiter
from greenbri.services.api.middleware import access_middleware
from greenbri.services.api.openapi_document import as_openapi_30, with_page_size
from greenbri.services.api.problems import Problem, install_problem_handlers
from greenbri.services.api.routers import (
    alerts,
    catalog,
    country_profiles,
    downloads,
    indicators,
    jobs,
    keys,
    monitoring_batches,
    ogc,
    plans,
    screening,
    species,
    standards,
    station_features,
    stations,
    technologies,
    tiles,
)
from greenbri.services.api.security_headers import SecurityHeadersMiddleware

__all__ = ["ROUTERS", "create_app"]

#: The router modules of the API, in the order their paths appear in the OpenAPI document. Routes
#: match in this order too: ``station_features`` (the OGC collection ``stations``, and
#: ``/collections`` with it) comes before ``ogc``, whose ``/collections/{collectionId}`` would
#: otherwise answer for it.
ROUTERS = (
    station_features,
    ogc,
    tiles,
    catalog,
    downloads,
    standards,
    screening,
    jobs,
    keys,
    indicators,
    country_profiles,
    stations,
    alerts,
    plans,
    monitoring_batches,
    species,
    technologies,
)

_WEB_DIR = Path(__file__).resolve().parents[1] / "web"


def create_app(
    settings: Settings,
    *,
    options: ApiOptions | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> FastAPI:
    """The API over the store that ``settings`` select."""
    options = options or ApiOptions.from_settings(settings)
    store = build_store(settings)
    context = ApiContext(
        settings=settings,
        store=store,
        options=options,
        keys=KeyStore(
            settings.data_dir / "access", clock=clock, default_rate_per_minute=options.key_rate_per_minute
        ),
        limiter=RateLimiter(),
        audit=AuditLog(settings.data_dir / "audit", clock=clock),
        features=FeatureReader(),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs.start(context)
        yield
        jobs.stop(context)
        context.features.close()

    app = FastAPI(
        lifespan=lifespan,
        title="greenbri API",
        summary="Eco-environmental data for green Belt and Road cooperation / 绿色“一带一路”生态环境大数据",
        description=(
            "Dataset catalog (DCAT), downloads, OGC API - Features, vector tiles, standards and AQI, "
            "screening. Send an API key in `X-API-Key` for restricted data; see docs/api.md."
        ),
        version="1",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.context = context
    install_problem_handlers(app)
    app.middleware("http")(access_middleware)
    # Added last, so it runs first: the client address the rate limits and the audit log use is the
    # connecting peer, or what a configured proxy says it forwarded for (never a header from anyone).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(options.trusted_proxies))
    app.add_middleware(SecurityHeadersMiddleware)
    for module in ROUTERS:
        app.include_router(module.router)
    _install_openapi(app, options.max_items)
    web_dir = options.web_dir or _WEB_DIR
    if web_dir.is_dir():
        app.mount("/dashboard", StaticFiles(directory=web_dir, html=True), name="dashboard")
    jobs.start(context)
    return app


def _install_openapi(app: FastAPI, max_items: int) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
                Problem.model_json_schema()
            )
            app.openapi_schema = with_page_size(as_openapi_30(document), max_items)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api", include_in_schema=False)
    def api_definition(request: Request) -> Response:
        from greenbri.services.api.responses import cached, json_bytes

        return cached(request, json_bytes(openapi()), "application/vnd.oai.openapi+json;version=3.0")
