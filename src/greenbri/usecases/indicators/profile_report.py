"""A country profile as HTML (Jinja2) and PDF (WeasyPrint), with matplotlib charts.

Reuses the screening reports' machinery: figure fonts and deterministic PNGs
(:mod:`greenbri.usecases.reports.figures`), the PDF writer and the stylesheet. The charts are
``data:`` URIs, so one HTML file holds the whole profile.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.errors import InputError
from greenbri.usecases.reports.figures import data_uri, figure_style, new_figure, png_bytes
from greenbri.usecases.reports.rendering import to_pdf

__all__ = ["LABELS", "render_profile_html", "write_profile"]

LANGUAGES = ("en", "zh")
LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "Environmental profile", "zh": "生态环境概况"},
    "summary": {"en": "Summary", "zh": "摘要"},
    "indicators": {"en": "Indicators", "zh": "指标"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "latest": {"en": "Latest (year)", "zh": "最新值（年份）"},
    "trend": {"en": "Trend per year (95 % interval)", "zh": "年均变化（95% 区间）"},
    "rank": {"en": "Rank in group", "zh": "组内排名"},
    "region": {"en": "Region median", "zh": "区域中位数"},
    "world": {"en": "World", "zh": "世界"},
    "charts": {"en": "Charts", "zh": "图表"},
    "groups": {"en": "Groups", "zh": "所属分组"},
    "chart_note": {
        "en": "Blue: the country; grey dashed: the world value given by the same source.",
        "zh": "蓝线：本国；灰色虚线：同一数据源给出的世界值。",
    },
    "sources": {"en": "Sources and method", "zh": "数据来源与方法"},
    "no_data": {"en": "NO DATA", "zh": "无数据"},
    "uncertain": {"en": "membership uncertain", "zh": "成员资格待核实"},
    "position": {
        "en": "Position among group members with data (0 = best, 100 = worst)",
        "zh": "在有数据的组内国家中的位置（0 = 最好，100 = 最差）",
    },
    "method": {
        "en": "Trend: Theil-Sen slope with Sen's 95 % interval over the last {window} years. Rank: among group "
        "members with a value within {years} years of the group's latest year. Region: median of the UN "
        "region's countries. World: the source's own World value.",
        "zh": "趋势：最近 {window} 年的 Theil-Sen 斜率及 Sen 95% 区间。排名：在组内最新年份前后 {years} 年内有数据的"
        "成员中排名。区域：联合国区域内各国的中位数。世界：数据源自身的世界值。",
    },
}


def _check(language: str) -> str:
    if language not in LANGUAGES:
        raise InputError(f"unknown language {language!r}.", hint="use en or zh.")
    return language


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("greenbri.usecases.indicators", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> str:
    return (
        importlib.resources.files("greenbri.usecases.reports")
        .joinpath("templates", "report.css")
        .read_text("utf-8")
    )


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _series_chart(entries: list[dict[str, Any]], language: str) -> bytes:
    """Small multiples: the country's series (blue) and the world's where the source has it (grey)."""
    style = figure_style(language)
    shown = sorted(entries, key=lambda entry: (entry["higher_is_better"] is None, entry["id"]))[:9]
    columns = 3
    rows = max(1, math.ceil(len(shown) / columns))
    label_language = style.language
    with new_figure(style, 7.2, 1.8 * rows) as figure:
        for position, entry in enumerate(shown):
            axes = figure.add_subplot(rows, columns, position + 1)
            years = [point[0] for point in entry["series"]]
            values = [point[1] for point in entry["series"]]
            axes.plot(years, values, color="#1565c0", linewidth=1.2, marker="o", markersize=1.5)
            world = entry.get("world_series") or []
            if world:
                axes.plot(
                    [p[0] for p in world],
                    [p[1] for p in world],
                    color="#9e9e9e",
                    linewidth=1.0,
                    linestyle="--",
                )
            name = entry["name"][label_language] or entry["name"]["en"]
            axes.set_title(f"{name}\n({entry['unit']})", fontsize=6.5)
            axes.tick_params(labelsize=5.5)
            axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return png_bytes(figure)


def _position_chart(entries: list[dict[str, Any]], language: str) -> bytes:
    """One bar per ranked indicator: position among the group (0 = best)."""
    style = figure_style(language)
    ranked = [entry for entry in entries if entry["rank"] and entry["higher_is_better"] is not None]
    label_language = style.language
    with new_figure(style, 7.2, 0.6 + 0.22 * max(len(ranked), 1)) as figure:
        axes = figure.add_subplot()
        positions = list(range(len(ranked)))[::-1]
        shares = [100 * (e["rank"]["position"] - 1) / max(e["rank"]["of"] - 1, 1) for e in ranked]
        colours = [
            "#2e7d32" if share < 33.4 else "#f9a825" if share < 66.7 else "#c62828" for share in shares
        ]
        axes.barh(positions, shares, color=colours, height=0.6)
        axes.set_yticks(positions, [e["name"][label_language] or e["name"]["en"] for e in ranked], fontsize=6)
        axes.set_xlim(0, 100)
        axes.set_xlabel(LABELS["position"][label_language], fontsize=6.5)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return png_bytes(figure)


def _rows(profile: dict[str, Any], language: str) -> list[dict[str, str]]:
    rows = []
    for entry in profile["indicators"]:
        trend = entry["trend"]
        rank = entry["rank"]
        rows.append(
            {
                "name": entry["name"][language] or entry["name"]["en"],
                "unit": entry["unit"],
                "latest": f"{_number(entry['latest']['value'])} ({entry['latest']['year']})",
                "trend": (
                    f"{_number(trend['slope_per_year'])} [{_number(trend['slope_low_95'])}, "
                    f"{_number(trend['slope_high_95'])}]"
                )
                if trend
                else "—",
                "rank": f"{rank['position']} / {rank['of']}" if rank else "—",
                "region": _number(entry["region"]["median"]) if entry["region"] else "—",
                "world": f"{_number(entry['world']['value'])} ({entry['world']['year']})"
                if entry["world"]
                else "—",
                "source": entry["latest"]["source_version"],
            }
        )
    return rows


def render_profile_html(
    profile: dict[str, Any], language: str = "en", *, world_series: dict[str, list[list[float]]] | None = None
) -> str:
    """The profile as one self-contained HTML document in ``language`` (en or zh)."""
    language = _check(language)
    entries = [
        {**entry, "world_series": (world_series or {}).get(entry["id"], [])}
        for entry in profile["indicators"]
    ]
    labels = {key: text[language] for key, text in LABELS.items()}
    labels["method"] = labels["method"].format(
        window=profile["method"]["window_years"], years=profile["method"]["comparable_years"]
    )
    charts = []
    if entries:
        charts = [data_uri(_series_chart(entries, language)), data_uri(_position_chart(entries, language))]
    return (
        _environment()
        .get_template("profile.html")
        .render(
            profile=profile,
            rows=_rows(profile, language),
            charts=charts,
            labels=labels,
            language=language,
            html_language="zh-CN" if language == "zh" else "en",
            stylesheet=Markup(_stylesheet()),
            name=profile["country"]["name"][language] or profile["country"]["name"]["en"],
        )
    )


def write_profile(
    profile: dict[str, Any],
    folder: Path,
    *,
    language: str = "en",
    formats: tuple[str, ...] = ("json", "html", "pdf"),
    world_series: dict[str, list[list[float]]] | None = None,
) -> dict[str, str]:
    """Write ``<ISO3>.<language>.json|html|pdf`` into ``folder``; returns format -> path."""
    import json

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{profile['country']['iso3']}.{language}"
    written: dict[str, str] = {}
    if "json" in formats:
        path = folder / f"{base}.json"
        with renamed_into_place(path) as temporary:
            temporary.write_text(json.dumps(profile, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        written["json"] = str(path)
    if "html" in formats or "pdf" in formats:
        html = render_profile_html(profile, language, world_series=world_series)
        if "html" in formats:
            with renamed_into_place(folder / f"{base}.html") as temporary:
                temporary.write_text(html, "utf-8")
            written["html"] = str(folder / f"{base}.html")
        if "pdf" in formats:
            written["pdf"] = str(to_pdf(html, folder / f"{base}.pdf"))
    return written
