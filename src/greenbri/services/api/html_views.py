"""The HTML representation of the OGC landing page, collections, a collection and its items (``f=html``,
or a browser's ``Accept: text/html``), as pygeoapi offers: one small Jinja2 template, labels in
English and Chinese from the dashboard's catalogue (``services/web/i18n/{en,zh}.json``, keys ``ogc.*``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request, Response

from greenbri.services.api.responses import cached, self_url

__all__ = ["language_of", "render", "wants_html"]

_HERE = Path(__file__).resolve().parent
_CATALOGUE = _HERE.parent / "web" / "i18n"


def wants_html(request: Request, f: str | None) -> bool:
    """``f=html``, or no ``f`` and a client that asks for HTML first (a browser)."""
    if f is not None:
        return f == "html"
    return request.headers.get("accept", "").lstrip().startswith("text/html")


def language_of(request: Request) -> str:
    """``lang=zh|en`` if given, else the first language of ``Accept-Language``."""
    chosen = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "zh" if chosen.lower().startswith("zh") else "en"


@cache
def _labels(language: str) -> dict[str, str]:
    labels: dict[str, str] = json.loads((_CATALOGUE / f"{language}.json").read_text(encoding="utf-8"))
    return labels


@cache
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(default=True)
    )
    return environment.get_template("ogc.html")


def render(request: Request, page: str, *, private: bool, **values: Any) -> Response:
    """The page as HTML; links back to the JSON form and to the other language."""
    language = language_of(request)
    body = _template().render(
        page=page,
        language=language,
        t=_labels(language),
        base=str(request.base_url).rstrip("/"),
        json_url=self_url(request, f=None, lang=None),
        other_language_url=self_url(request, f="html", lang="en" if language == "zh" else "zh"),
        **values,
    )
    return cached(request, body.encode("utf-8"), "text/html; charset=utf-8", private=private)
