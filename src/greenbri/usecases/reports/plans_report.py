"""The plans' evaluation as HTML and PDF, in English or Chinese, with a chart of statuses per group.

Built from the evaluation JSON (:func:`greenbri.usecases.plans.evaluate`): the template only
loops and prints; labels come from the one message catalogue (:mod:`.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.plans.records import STATUSES
from greenbri.usecases.reports.figures import FigureStyle, data_uri, figure_style, new_figure, png_bytes
from greenbri.usecases.reports.messages import catalogue, check_language
from greenbri.usecases.reports.rendering import render, to_pdf

__all__ = ["STATUS_COLOURS", "plans_context", "render_plans_html", "write_plan_reports"]

#: One colour per plan status (also used by the dashboard's plans page, web/pages/plans.js).
STATUS_COLOURS = {
    "completed": "#1a9850",
    "in_progress": "#91cf60",
    "not_started": "#fee08b",
    "stalled": "#d73027",
    "unknown": "#d0d0d0",
}


def _status_chart(rows: Sequence[tuple[str, Mapping[str, int]]], style: FigureStyle) -> bytes:
    """Horizontal bars per group, stacked by status; unknown hatched (NO DATA)."""
    t = style.translate
    with new_figure(style, 6.4, 0.9 + 0.22 * max(len(rows), 1)) as figure:
        axes = figure.add_subplot()
        positions = list(range(len(rows)))[::-1]
        left = [0] * len(rows)
        for status in STATUSES:
            values = [counts.get(status, 0) for _, counts in rows]
            if not any(values):
                continue
            axes.barh(positions, values, left=left, height=0.7, color=STATUS_COLOURS[status],
                      edgecolor="#555555", linewidth=0.5, hatch="///" if status == "unknown" else None,
                      label=t(f"plan_status.{status}"))  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(positions, [label for label, _ in rows])
        axes.set_xlabel(t("plan.count"))
        axes.set_title(t("plan.chart"))
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="lower right", frameon=False, fontsize=7)
        figure.tight_layout()
        return png_bytes(figure)


def plans_context(result: Mapping[str, Any], language: str) -> dict[str, Any]:
    """What the template prints, in ``language``."""
    t = catalogue(language)
    pick = "zh" if language == "zh" else "en"
    groups = {(d["id"], g["id"]): g["name"][pick] for d in result["documents"] for g in d["groups"]}
    titles = {d["id"]: d["title"][pick] for d in result["documents"]}
    summary = [
        {**s, "document_title": titles[s["document"]], "group_name": groups[(s["document"], s["group"])]}
        for s in result["summary"]["by_group"]
    ]
    style = figure_style(language)
    chart_rows = [(f"{s['group_name']}"[:28], s["statuses"]) for s in summary]
    items = [
        {
            **row,
            "label": row["name"][pick],
            "status_label": t(f"plan_status.{row['status']}"),
            "phase_label": t(f"plan.phase.{row['phase']}"),
            "group_name": groups[(row["document"], row["group"])],
        }
        for row in result["items"]
    ]
    return {
        "title": t("plan.title"),
        "as_of": result["as_of"],
        "documents": result["documents"],
        "document_titles": titles,
        "summary": summary,
        "statuses": [(status, t(f"plan_status.{status}"), STATUS_COLOURS[status]) for status in STATUSES],
        "items": items,
        "targets": [row for row in items if "target_evaluation" in row],
        "overdue": result["overdue"],
        "chart": data_uri(_status_chart(chart_rows, style)),
    }


def render_plans_html(result: Mapping[str, Any], language: str) -> str:
    check_language(language)
    footer = f"greenbri — {catalogue(language)('plan.title')} — {result['as_of']}"
    return render("plans.html", plans_context(result, language), language=language, footer=footer)


def write_plan_reports(
    result: Mapping[str, Any], folder: Path, formats: Sequence[str], languages: Sequence[str]
) -> list[Path]:
    """``plans-<date>-<lang>.html|pdf`` in ``folder``; each written under a temporary name first."""
    unknown = [f for f in formats if f not in ("html", "pdf")]
    if unknown:
        from greenbri.core.errors import InputError

        raise InputError(
            f"unknown report formats {unknown}.", location="--format", hint="use html, pdf or html,pdf."
        )
    for language in languages:
        check_language(language)  # all checked before any file is written
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        html = render_plans_html(result, language)
        stem = folder / f"plans-{result['as_of']}-{language}"
        if "html" in formats:
            with renamed_into_place(stem.with_suffix(".html")) as temporary:
                temporary.write_text(html, encoding="utf-8")
            written.append(stem.with_suffix(".html"))
        if "pdf" in formats:
            with renamed_into_place(stem.with_suffix(".pdf")) as temporary:
                to_pdf(html, temporary)
            written.append(stem.with_suffix(".pdf"))
    return written
