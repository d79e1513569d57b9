"""Errors as RFC 7807 problem responses (``application/problem+json``): one table.

==============================  ======  ==========================  =====================================
error                           status  type (``urn:greenbri:...``)  meaning
==============================  ======  ==========================  =====================================
DatasetNotFoundError            404     dataset-not-found           no such dataset (or not visible)
VersionNotFoundError            404     version-not-found           no such version
BatchNotFoundError              404     batch-not-found             no such monitoring batch
InputError and subclasses       400     invalid-input               a parameter or body is unusable
CatalogError                    400     invalid-metadata            invalid dataset metadata
StandardError                   400     invalid-standard-request    a limit cannot be applied as asked
AqiStandardError                400     aqi-not-computable          no verified AQI engine for the date
ReadingConflictError            409     reading-conflict            contradicts a stored reading
MonitoringError                 400     invalid-monitoring-request
StoreLockedError                503     store-busy                  another process is writing the store
StoreError                      500     store-error                 the store failed (detail not shown)
SourceError                     502     upstream-error              an upstream source failed
ConfigurationError              500     configuration-error         the server is misconfigured
GreenbriError (other)           400     request-not-possible
==============================  ======  ==========================  =====================================

HTTP-level problems: 400 ``invalid-parameter`` (request validation), 401 ``unauthorized``, 403
``forbidden``, 404 ``not-found``, 405 ``method-not-allowed``, 409 ``conflict``, 429 ``rate-limited``, 500
``internal-error``.
A restricted resource answers exactly like a missing one.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from greenbri.core import errors
from greenbri.core.aqi.errors import AqiStandardError
from greenbri.services.api.audit import redact

__all__ = [
    "PROBLEM_RESPONSES",
    "PROBLEM_STATUSES",
    "Problem",
    "install_problem_handlers",
    "problem_response",
    "problems",
]

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "urn:greenbri:problem:"

#: Error class -> (HTTP status, problem type slug); the first matching row wins.
PROBLEM_STATUSES: tuple[tuple[type[errors.GreenbriError], int, str], ...] = (
    (errors.DatasetNotFoundError, 404, "dataset-not-found"),
    (errors.VersionNotFoundError, 404, "version-not-found"),
    (errors.BatchNotFoundError, 404, "batch-not-found"),
    (errors.InputError, 400, "invalid-input"),
    (errors.CatalogError, 400, "invalid-metadata"),
    (errors.StandardError, 400, "invalid-standard-request"),
    (AqiStandardError, 400, "aqi-not-computable"),
    (errors.ReadingConflictError, 409, "reading-conflict"),
    (errors.MonitoringError, 400, "invalid-monitoring-request"),
    (errors.StoreLockedError, 503, "store-busy"),
    (errors.StoreError, 500, "store-error"),
    (errors.SourceError, 502, "upstream-error"),
    (errors.ConfigurationError, 500, "configuration-error"),
    (errors.GreenbriError, 400, "request-not-possible"),
)

#: Bilingual titles of the problem types.
TITLES: dict[str, str] = {
    "dataset-not-found": "Dataset not found / 未找到数据集",
    "version-not-found": "Version not found / 未找到版本",
    "batch-not-found": "Monitoring batch not found / 未找到监测数据批次",
    "invalid-input": "Invalid input / 输入无效",
    "invalid-metadata": "Invalid metadata / 元数据无效",
    "invalid-standard-request": "Standard cannot be applied / 无法应用标准",
    "aqi-not-computable": "AQI cannot be computed / 无法计算空气质量指数",
    "reading-conflict": "Reading conflict / 监测数据冲突",
    "invalid-monitoring-request": "Invalid monitoring request / 监测请求无效",
    "store-busy": "Store busy / 数据存储繁忙",
    "store-error": "Store error / 数据存储错误",
    "upstream-error": "Upstream source failed / 上游数据源失败",
    "configuration-error": "Server misconfigured / 服务器配置错误",
    "request-not-possible": "Request not possible / 无法完成请求",
    "invalid-parameter": "Invalid parameter / 参数无效",
    "unauthorized": "Unauthorized / 未授权",
    "forbidden": "Forbidden / 禁止访问",
    "not-found": "Not found / 未找到",
    "method-not-allowed": "Method not allowed / 不允许的方法",
    "conflict": "Conflict / 冲突",
    "rate-limited": "Too many requests / 请求过多",
    "internal-error": "Internal error / 内部错误",
}
_HTTP_SLUGS = {400: "invalid-parameter", 401: "unauthorized", 403: "forbidden", 404: "not-found"}
_HTTP_SLUGS |= {405: "method-not-allowed", 409: "conflict", 429: "rate-limited"}
_HIDDEN = "The server could not complete the request; the error was logged."


class Problem(BaseModel):
    """An RFC 7807 problem detail, with greenbri's ``hint`` (how to fix it) and field ``errors``."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    hint: str | None = None


def problem_response(
    status: int, slug: str, detail: str, *, hint: str | None = None, instance: str | None = None, **extra: Any
) -> JSONResponse:
    retry_after = extra.pop("retry_after", None)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug,
        "title": TITLES.get(slug, slug),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if hint:
        body["hint"] = hint
    body.update(extra)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def _for_error(error: errors.GreenbriError) -> tuple[int, str]:
    for error_class, status, slug in PROBLEM_STATUSES:
        if isinstance(error, error_class):
            return status, slug
    return 400, "request-not-possible"


async def _greenbri_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, errors.GreenbriError)
    status, slug = _for_error(error)
    if status >= 500 and status != 503:
        logger.error("%s on %s: %s", type(error).__name__, redact(request.url.path), error)
        return problem_response(status, slug, _HIDDEN, instance=request.url.path)
    detail = error.message if error.hint else str(error)
    if isinstance(error, errors.InputError | errors.StandardError):
        detail = str(error).split(" Fix: ")[0]
    return problem_response(status, slug, detail, hint=error.hint, instance=request.url.path)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    slug = _HTTP_SLUGS.get(error.status_code, "internal-error" if error.status_code >= 500 else "not-found")
    detail = error.detail if isinstance(error.detail, str) else str(error.detail)
    if error.status_code == 404 and detail == "Not Found":
        detail = f"There is no resource at {request.url.path}."
        return problem_response(404, slug, detail, hint="see /api for the paths.", instance=request.url.path)
    return problem_response(error.status_code, slug, detail, instance=request.url.path)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    fields = [
        {"location": ".".join(str(part) for part in item.get("loc", ())), "problem": str(item.get("msg", ""))}
        for item in error.errors()
    ]
    first = fields[0] if fields else {"location": "request", "problem": "invalid"}
    return problem_response(
        400,
        "invalid-parameter",
        f"{first['location']}: {first['problem']}.",
        hint="correct the parameter; see /api for what each one accepts.",
        instance=request.url.path,
        errors=fields,
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s", redact(request.url.path), exc_info=error)
    return problem_response(500, "internal-error", _HIDDEN, instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.GreenbriError, _greenbri_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)


_PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_DESCRIPTIONS = {
    304: "Not modified (the ETag in If-None-Match still matches).",
    400: "Invalid parameter or body (problem+json).",
    401: "The API key is not valid or was revoked (problem+json).",
    403: "The key's role may not do this (problem+json).",
    404: "Not found, or not visible to this key (problem+json).",
    409: "Conflict (problem+json).",
    429: "Rate limit reached; see Retry-After (problem+json).",
    500: "Internal error (problem+json).",
    503: "The store is busy; retry (problem+json).",
}

#: Responses every route may give (documented in the OpenAPI document of every operation).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": _DESCRIPTIONS[status], "content": _PROBLEM_CONTENT}
    for status in (400, 401, 429, 500)
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for extra statuses (304 has no body)."""
    return {
        status: {"description": _DESCRIPTIONS[status]}
        if status == 304
        else {"description": _DESCRIPTIONS[status], "content": _PROBLEM_CONTENT}
        for status in statuses
    }
