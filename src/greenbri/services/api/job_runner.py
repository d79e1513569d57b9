"""Portfolio screening jobs: run in a background thread, with progress, kept on disk.

Each job lives in ``<data dir>/jobs/<id>/``: ``job.json`` (state, progress, owner), ``result.json``
and ``reports/`` (HTML/PDF). Jobs are listed again after a restart; one that was running when the
server stopped is marked failed ("interrupted").
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import write_json_atomic
from greenbri.core.access import Principal, may_read_job
from greenbri.usecases.project_inputs import ProjectInput

__all__ = ["Job", "JobRunner"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    status: str
    created_at: str
    created_by: str
    organisation: str
    total: int
    done: int = 0
    language: str = "en"
    formats: tuple[str, ...] = ("html",)
    screening_date: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    reports: tuple[str, ...] = field(default_factory=tuple)

    def visible_to(self, principal: Principal) -> bool:
        return may_read_job(principal, self.organisation, self.created_by)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["progress"] = {"done": self.done, "total": self.total}
        data["formats"], data["reports"] = list(self.formats), list(self.reports)
        return data


Work = Callable[[Job, Path, Callable[[int], None]], tuple[dict[str, Any], list[str]]]


class JobRunner:
    def __init__(self, directory: Path, clock: Callable[[], dt.datetime] | None = None, workers: int = 1):
        self.directory = directory
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="greenbri-job")
        self._stopped = False
        self._load()

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    def _load(self) -> None:
        for path in sorted(self.directory.glob("*/job.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            job = Job(**{**data, "formats": tuple(data["formats"]), "reports": tuple(data["reports"])})
            if job.status in ("queued", "running"):
                job = replace(job, status="failed", error="interrupted: the server stopped during the job")
                self._save(job)
            self._jobs[job.id] = job

    def _save(self, job: Job) -> None:
        folder = self.directory / job.id
        folder.mkdir(parents=True, exist_ok=True)
        data = asdict(job)
        data["formats"], data["reports"] = list(job.formats), list(job.reports)
        write_json_atomic(folder / "job.json", data)

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
            self._save(job)
            return job

    def _progress(self, job_id: str, done: int) -> None:
        self._update(job_id, done=done)

    def folder(self, job_id: str) -> Path:
        return self.directory / job_id

    def submit(self, principal: Principal, projects: ProjectInput, work: Work, **settings: Any) -> Job:
        job = Job(
            id=secrets.token_hex(8),
            status="queued",
            created_at=self._now(),
            created_by=principal.key_id,
            organisation=principal.organisation,
            total=len(projects.projects) + len(projects.failures),
            **settings,
        )
        with self._lock:
            self._jobs[job.id] = job
            self._save(job)
        self._executor.submit(self._run, job.id, work)
        return job

    def _run(self, job_id: str, work: Work) -> None:
        job = self._update(job_id, status="running", started_at=self._now())
        try:
            result, reports = work(job, self.folder(job_id), lambda done: self._progress(job_id, done))
            write_json_atomic(self.folder(job_id) / "result.json", result)
            self._update(
                job_id, status="succeeded", finished_at=self._now(), done=job.total, reports=tuple(reports)
            )
        except Exception as error:
            logger.exception("screening job %s failed", job_id)
            self._update(
                job_id, status="failed", finished_at=self._now(), error=str(error).split(" Fix: ")[0]
            )

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: (job.created_at, job.id))

    @property
    def stopped(self) -> bool:
        """Whether :meth:`shutdown` was called (no job can be submitted any more)."""
        return self._stopped

    def shutdown(self) -> None:
        self._stopped = True
        self._executor.shutdown(wait=False, cancel_futures=True)
