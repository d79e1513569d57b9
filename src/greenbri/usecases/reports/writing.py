"""Write a screening's reports to a folder: the portfolio report and one report per project.

Layout (``folder``)::

    screening-report.html / .pdf          the portfolio report
    projects/<project id>.html / .pdf     one report per screened project

File names are the project ids with characters other than letters, digits, ``-``, ``_`` and
``.`` replaced by ``_``; a name already taken gets the project's position appended.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.access import LOCAL_USER, Principal
from greenbri.core.errors import InputError
from greenbri.usecases.reports.documents import portfolio_report, project_report
from greenbri.usecases.reports.inputs import ReportInputs, report_inputs
from greenbri.usecases.reports.messages import check_language
from greenbri.usecases.reports.rendering import to_pdf
from greenbri.usecases.screening import LoadedLayer, PortfolioScreening

__all__ = ["REPORT_FORMATS", "write_reports"]

logger = logging.getLogger(__name__)

#: The formats :func:`write_reports` writes; others in ``formats`` (json, geojson) are left to their writers.
REPORT_FORMATS = ("html", "pdf")
PORTFOLIO_NAME = "screening-report"


def _file_names(portfolio: PortfolioScreening) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    for position, item in enumerate(portfolio.screened, start=1):
        name = re.sub(r"[^A-Za-z0-9._-]", "_", item.project.id).strip(".") or "project"
        if name.lower() in taken:
            name = f"{name}-{position}"
        taken.add(name.lower())
        names.append(name)
    return names


def _write(html: str, stem: Path, formats: Sequence[str]) -> list[Path]:
    written = []
    if "html" in formats:
        path = stem.parent / f"{stem.name}.html"
        with renamed_into_place(path) as temporary:
            temporary.write_text(html, encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        written.append(to_pdf(html, stem.parent / f"{stem.name}.pdf"))
    return written


def _inputs(
    store: DatasetStore,
    portfolio: PortfolioScreening,
    layers: Sequence[LoadedLayer] | None,
    principal: Principal,
) -> ReportInputs:
    inputs = report_inputs(store, principal=principal, used=portfolio.datasets)
    if not layers:
        return inputs
    in_memory = {(item.layer.dataset_id, item.layer.version): item.layer.geometries for item in layers}
    return ReportInputs(in_memory, inputs.countries, inputs.datasets, inputs.bands_m)


def write_reports(
    store: DatasetStore,
    portfolio: PortfolioScreening,
    layers: Sequence[LoadedLayer] | None,
    folder: Path,
    *,
    formats: Sequence[str] = ("html",),
    language: str = "en",
    progress: Callable[[str], None] | None = None,
    principal: Principal = LOCAL_USER,
) -> list[Path]:
    """Write the portfolio report and each project's report as HTML and/or PDF; return the paths.

    ``layers`` are the receptor layers the screening used (their geometries draw the maps; None
    reads them from the store). The sources tables credit only the datasets the screening used
    and ``principal`` may read (the caller of an API job; the command line's user by default), plus
    the countries layer. A PDF takes seconds per project (WeasyPrint), HTML a fraction of a second.
    """
    check_language(language)
    wanted = [name for name in REPORT_FORMATS if name in formats]
    if not wanted:
        raise InputError(
            f"No report format in {list(formats)}.", hint=f"use one of: {', '.join(REPORT_FORMATS)}."
        )
    folder = Path(folder)
    (folder / "projects").mkdir(parents=True, exist_ok=True)
    inputs = _inputs(store, portfolio, layers, principal)
    summary = portfolio_report(
        portfolio, countries=inputs.countries, datasets=inputs.datasets, language=language
    )
    written = _write(summary, folder / PORTFOLIO_NAME, wanted)
    for item, name in zip(portfolio.screened, _file_names(portfolio), strict=True):
        html = project_report(item, portfolio=portfolio, language=language, **inputs.keywords())
        written.extend(_write(html, folder / "projects" / name, wanted))
        if progress:
            progress(item.project.id)
    logger.info("wrote %d report files to %s", len(written), folder)
    return written
