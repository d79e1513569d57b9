"""Portfolio screening as background jobs: submit, follow progress, fetch the result and the report.

A job is visible to admins, to viewer (or higher) keys of the organisation that submitted it, and
to the key that submitted it (:func:`greenbri.core.access.may_read_job`); to anyone else it does not
exist (404). Its screening and its reports use only the layers its submitter may read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from greenbri.services.api.access import Role, may_read_dataset
from greenbri.services.api.context import ApiContext, get_context, get_principal, require_role
from greenbri.services.api.documentation import OBJECT, ok, schema_of
from greenbri.services.api.job_runner import Job, JobRunner
from greenbri.services.api.problems import PROBLEM_RESPONSES
from greenbri.services.api.responses import json_bytes
from greenbri.services.api.screening_support import layers_for, project_input, rules_of, stack_check_on
from greenbri.usecases.project_inputs import ProjectInput
from greenbri.usecases.screening import screen_portfolio
from greenbri.usecases.species_near import species_part

__all__ = ["router", "start", "stop"]

router = APIRouter(prefix="/v1/screening-jobs", tags=["Screening"], responses=PROBLEM_RESPONSES)


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


class JobRequest(BaseModel):
    """A portfolio to screen: a GeoJSON FeatureCollection's features, or objects of project fields."""

    model_config = ConfigDict(extra="forbid")

    projects: list[dict[str, Any]] = Field(min_length=1, max_length=100_000)
    formats: list[ReportFormat] = Field(default=[ReportFormat.HTML], max_length=2)
    language: str = Field(default="en", pattern="^(en|zh)$")
    date: dt.date | None = None


_JOB = schema_of(["id", "status", "progress"], id={"type": "string"}, status={"type": "string", "enum": ["queued", "running", "succeeded", "failed"]}, progress=OBJECT)  # fmt: skip
JobId = Annotated[str, Path(description="A job id", max_length=64)]


def start(context: ApiContext) -> None:
    """A job runner for the app, unless it has a live one (an app whose lifespan ran and ended,
    as ASGI test clients do per call, gets a new one instead of refusing every job)."""
    runner: JobRunner | None = context.cache.get("jobs|")
    if runner is None or runner.stopped:
        context.cache["jobs|"] = JobRunner(context.settings.data_dir / "jobs")


def stop(context: ApiContext) -> None:
    runner: JobRunner | None = context.cache.get("jobs|")
    if runner is not None:
        runner.shutdown()


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = get_context(request).cache["jobs|"]
    return runner


def _document(request: Request, job: Job) -> dict[str, Any]:
    url = f"{str(request.base_url).rstrip('/')}/v1/screening-jobs/{job.id}"
    links = [{"href": url, "rel": "self", "type": "application/json", "title": "this job"}]
    if job.status == "succeeded":
        links.append(
            {"href": f"{url}/result", "rel": "result", "type": "application/json", "title": "result"}
        )
        links += [{"href": f"{url}/report?format={name}", "rel": "report", "type": "text/html" if name == "html" else "application/pdf", "title": f"report ({name})"} for name in job.formats]  # fmt: skip
    return {**job.to_dict(), "links": links}


def _visible(request: Request, job_id: str) -> Job:
    job = _runner(request).get(job_id)
    if job is None or not job.visible_to(get_principal(request)):
        raise HTTPException(404, f"There is no screening job {job_id!r} visible to this key.")
    request.state.audit = f"screening-job:{job.id}"
    return job


def _work(request: Request, projects: ProjectInput) -> Callable[..., tuple[dict[str, Any], list[str]]]:
    context, principal = get_context(request), get_principal(request)

    def work(job: Job, folder: FilePath, progress: Callable[[int], None]) -> tuple[dict[str, Any], list[str]]:
        from greenbri.usecases.reports import write_reports

        layers = layers_for(context, principal)
        day = dt.date.fromisoformat(job.screening_date)
        done = [len(projects.failures)]

        def advance(_: str) -> None:
            done[0] += 1
            progress(done[0])

        species = species_part(context.store, readable=lambda record: may_read_dataset(principal, record))
        outcome = screen_portfolio(context.store, projects, rules_of(context), stack_check=stack_check_on(context, day), layers=layers, today=day, progress=advance, species=species)  # fmt: skip
        written = write_reports(context.store, outcome, layers, folder / "reports", formats=list(job.formats), language=job.language, principal=principal)  # fmt: skip
        return outcome.to_dict(), [path.relative_to(folder).as_posix() for path in written]

    return work


@router.post(
    "",
    summary="Submit a portfolio screening job (analyst or admin)",
    status_code=202,
    response_class=Response,
    responses=ok(
        {"application/json": _JOB}, "Accepted; follow the Location", 403, status=202, cacheable=False
    ),
)
def submit(request: Request, body: Annotated[JobRequest, Body()]) -> Response:
    require_role(request, Role.ANALYST)
    day = body.date or dt.date.today()
    formats = tuple(sorted({item.value for item in body.formats}))
    projects = project_input(body.projects, "screening job")
    job = _runner(request).submit(get_principal(request), projects, _work(request, projects), language=body.language, formats=formats, screening_date=day.isoformat())  # fmt: skip
    url = f"{str(request.base_url).rstrip('/')}/v1/screening-jobs/{job.id}"
    return Response(json_bytes(_document(request, job)), status_code=202, media_type="application/json", headers={"Location": url})  # fmt: skip


@router.get(
    "",
    summary="Screening jobs visible to this key",
    response_class=Response,
    responses=ok({"application/json": {"type": "array", "items": _JOB}}, "Jobs", cacheable=False),
)
def list_jobs(request: Request) -> Response:
    principal = get_principal(request)
    jobs = [_document(request, job) for job in _runner(request).jobs() if job.visible_to(principal)]
    return Response(
        json_bytes(jobs), media_type="application/json", headers={"Cache-Control": "private, no-cache"}
    )


@router.get(
    "/{job_id}",
    summary="A job's state and progress",
    response_class=Response,
    responses=ok({"application/json": _JOB}, "The job", 404, cacheable=False),
)
def show_job(request: Request, job_id: JobId) -> Response:
    job = _visible(request, job_id)
    return Response(json_bytes(_document(request, job)), media_type="application/json", headers={"Cache-Control": "private, no-cache"})  # fmt: skip


def _finished(request: Request, job_id: str) -> Job:
    job = _visible(request, job_id)
    if job.status != "succeeded":
        raise HTTPException(
            409, f"Job {job.id} is {job.status}{': ' + job.error if job.error else ''}; it has no result."
        )
    return job


@router.get(
    "/{job_id}/result",
    summary="The screening result (JSON)",
    response_class=Response,
    responses=ok({"application/json": OBJECT}, "The result", 404, 409, cacheable=False),
)
def job_result(request: Request, job_id: JobId) -> Response:
    job = _finished(request, job_id)
    return FileResponse(_runner(request).folder(job.id) / "result.json", media_type="application/json", headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip


@router.get(
    "/{job_id}/report",
    summary="The portfolio report (HTML or PDF)",
    response_class=Response,
    responses=ok(
        {"text/html": {"type": "string"}, "application/pdf": {"type": "string", "format": "binary"}},
        "The report",
        404,
        409,
        cacheable=False,
    ),
)
def job_report(
    request: Request, job_id: JobId, format: Annotated[ReportFormat, Query()] = ReportFormat.HTML
) -> Response:
    job = _finished(request, job_id)
    wanted = f"reports/screening-report.{format.value}"
    if wanted not in job.reports:
        raise HTTPException(
            404, f"Job {job.id} made no {format.value} report; it made: {', '.join(job.formats)}."
        )
    media = "text/html" if format is ReportFormat.HTML else "application/pdf"
    return FileResponse(_runner(request).folder(job.id) / wanted, media_type=media, headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip
