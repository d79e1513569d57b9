"""Jinja2 templates to HTML, and HTML to PDF with WeasyPrint.

The templates (``templates/``, package data) are plain: they loop over the view model and print
it, escaped. The stylesheet is inlined and figures are ``data:`` URIs, so one HTML file holds
the whole report and converts to PDF without fetching anything.
"""

from __future__ import annotations

import functools
import json
import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.usecases.reports.messages import MESSAGES, check_language

__all__ = ["render", "to_pdf"]

logger = logging.getLogger(__name__)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("greenbri.usecases.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _css_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _page_css(language: str) -> Markup:
    """The page counter of the PDF footer, as CSS ``content``."""
    if language == "zh":
        return Markup('"第 " counter(page) " 页，共 " counter(pages) " 页"')
    return Markup('"page " counter(page) " of " counter(pages)')


def render(template: str, context: Mapping[str, Any], *, language: str, footer: str) -> str:
    """Render ``template`` with ``context``, the messages in ``language`` (as ``m``) and the page footer."""
    check_language(language)
    messages = {key: text.zh if language == "zh" else text.en for key, text in MESSAGES.items()}
    return (
        _environment()
        .get_template(template)
        .render(
            **context,
            m=messages,
            html_language="zh-CN" if language == "zh" else "en",
            page_css=_page_css(language),
            footer_css=Markup(_css_string(footer).replace("<", "\\3c ")),
        )
    )


def to_pdf(html: str, path: Path, *, base_url: str | Path | None = None) -> Path:
    """Write ``html`` as a PDF at ``path`` (WeasyPrint; fonts from the system, e.g. WenQuanYi Zen Hei).

    ``base_url`` resolves relative links; the reports embed everything, so the default (the
    target's folder) only matters for HTML from elsewhere.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # Without the HarfBuzz-Subset library WeasyPrint subsets fonts with fontTools (slower; it logs
        # that on its own logger) and warns that a future version will require it: not ours to raise.
        warnings.filterwarnings(
            "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
        )
        import weasyprint  # imported here: slow to import, and only PDFs need it

        document = weasyprint.HTML(string=html, base_url=str(base_url or path.parent))
        with renamed_into_place(path) as temporary:
            document.write_pdf(temporary)
    logger.info("wrote %s", path)
    return path
