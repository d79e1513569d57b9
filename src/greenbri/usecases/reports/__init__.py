"""Screening reports: one project or a whole portfolio, as self-contained HTML or PDF, in English or Chinese.

::

    from greenbri.usecases.reports import portfolio_report, project_report, report_inputs, to_pdf

    inputs = report_inputs(store)                 # receptor geometries, countries layer, catalog records
    item = portfolio.screened[0]
    html = project_report(item, portfolio=portfolio, language="zh", **inputs.keywords())
    to_pdf(html, Path("report.pdf"))              # WeasyPrint; Chinese in WenQuanYi Zen Hei
    summary = portfolio_report(portfolio, countries=inputs.countries, datasets=inputs.datasets)
    write_reports(store, portfolio, layers, Path("out"), formats=["html", "pdf"], language="en")

A project report shows the overall traffic light (colour and text; NO DATA is grey and hatched,
never green) with the ``incomplete`` flag, each dimension's class and reasons (rule id, text,
citations, ``dataset@version``), the exclusion check, the GHG estimate with its factors, the
Equator Principles applicability and the *proposed* category for the analyst to confirm, the
coverage of each receptor role, the receptors found with distances, an offline map, the next
steps, and the data sources with their licences. Only the screening date varies the text: the
same inputs give the same HTML (figures are PNG without timestamps).
"""

from greenbri.usecases.reports.documents import portfolio_report, project_report
from greenbri.usecases.reports.inputs import DEFAULT_BANDS_M, ReceptorGeometries, ReportInputs, report_inputs
from greenbri.usecases.reports.messages import LANGUAGES
from greenbri.usecases.reports.rendering import to_pdf
from greenbri.usecases.reports.writing import REPORT_FORMATS, write_reports

__all__ = [
    "DEFAULT_BANDS_M",
    "LANGUAGES",
    "REPORT_FORMATS",
    "ReceptorGeometries",
    "ReportInputs",
    "portfolio_report",
    "project_report",
    "report_inputs",
    "to_pdf",
    "write_reports",
]
