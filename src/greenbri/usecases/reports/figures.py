"""Figures for reports: fonts, deterministic PNG bytes, data URIs and the portfolio charts.

Figures are drawn on a bare :class:`matplotlib.figure.Figure` with the Agg canvas (no pyplot,
no global state) inside an ``rc_context``. PNGs are written without the ``Software`` tag, so the
same input gives the same bytes.

Chinese labels need a CJK font: :data:`CJK_FONT` (WenQuanYi Zen Hei, Debian ``fonts-wqy-zenhei``,
installed by ``scripts/system-packages.sh``). Without it, a warning is logged once and figures are
labelled in English (the HTML around them stays Chinese): boxes instead of characters help no one.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from greenbri.usecases.reports.messages import Translate, catalogue

__all__ = [
    "CJK_FONT",
    "CLASS_ORDER",
    "CLASS_STYLE",
    "FigureStyle",
    "class_bar_chart",
    "data_uri",
    "figure_style",
    "new_figure",
    "png_bytes",
    "stacked_bar_chart",
]

logger = logging.getLogger(__name__)

#: The font Chinese labels are drawn with (also the PDF's font, see ``report.css``).
CJK_FONT = "WenQuanYi Zen Hei"
#: Dots per inch of every PNG.
DPI = 150
#: Classes in the order reports list them.
CLASS_ORDER = ("red", "yellow", "green", "no_data")
#: Fill, edge and hatch of each class in charts: NO DATA is grey and hatched, never green.
CLASS_STYLE: Mapping[str, Mapping[str, Any]] = {
    "red": {"color": "#c62828", "edgecolor": "#7f0000", "hatch": ""},
    "yellow": {"color": "#f9c80e", "edgecolor": "#8a6d00", "hatch": ""},
    "green": {"color": "#2e7d32", "edgecolor": "#1b4d1e", "hatch": ""},
    "no_data": {"color": "#d0d0d0", "edgecolor": "#555555", "hatch": "///"},
}


@dataclass(frozen=True)
class FigureStyle:
    """Matplotlib settings for one report, and the language its figure labels are in."""

    rc: Mapping[str, Any]
    language: str

    @property
    def translate(self) -> Translate:
        return catalogue(self.language)


@functools.cache
def _cjk_font_weight() -> str | int | None:
    """The weight the CJK font is registered with, or None when it is not installed."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == CJK_FONT:
            return entry.weight
    logger.warning(
        "the font %r is not installed (Debian package fonts-wqy-zenhei, see scripts/system-packages.sh): "
        "figure labels fall back to English",
        CJK_FONT,
    )
    return None


def figure_style(language: str) -> FigureStyle:
    """The rc settings for ``language``: the CJK font when installed, else DejaVu Sans and English."""
    base: dict[str, Any] = {
        "axes.unicode_minus": False,
        "svg.hashsalt": "greenbri",
        "path.simplify": True,
        "font.size": 8,
    }
    weight = _cjk_font_weight()
    if weight is None:
        return FigureStyle({**base, "font.family": ["DejaVu Sans"]}, "en")
    # One family only, at its own weight: matplotlib logs a warning for each fallback lookup.
    font = {"font.family": [CJK_FONT], "font.weight": weight}
    titles = {key: weight for key in ("axes.titleweight", "axes.labelweight", "figure.titleweight")}
    return FigureStyle({**base, **font, **titles}, language)


@contextmanager
def new_figure(style: FigureStyle, width_in: float, height_in: float) -> Iterator[Figure]:
    """A figure drawn under ``style`` (use it, then :func:`png_bytes` inside the block)."""
    with matplotlib.rc_context(dict(style.rc)):  # type: ignore[arg-type]  # keys checked by matplotlib
        figure = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(figure)
        yield figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, without metadata that would change between runs."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    """``data:image/png;base64,...`` so the HTML needs no other file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def class_bar_chart(counts: Mapping[str, int], style: FigureStyle) -> bytes:
    """One bar per class (red, yellow, green, NO DATA), count on top."""
    t = style.translate
    with new_figure(style, 5.0, 2.4) as figure:
        axes = figure.add_subplot()
        positions = range(len(CLASS_ORDER))
        values = [counts.get(name, 0) for name in CLASS_ORDER]
        for position, name, value in zip(positions, CLASS_ORDER, values, strict=True):
            axes.bar(position, value, width=0.6, linewidth=0.8, **CLASS_STYLE[name])
            axes.annotate(
                str(value),
                (position, value),
                ha="center",
                va="bottom",
                xytext=(0, 2),
                textcoords="offset points",
            )
        axes.set_xticks(list(positions), [t(f"class.{name}") for name in CLASS_ORDER])
        axes.set_ylabel(t("field.count"))
        axes.set_ylim(0, max([*values, 1]) * 1.15)
        axes.set_title(t("chart.by_class"))
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return png_bytes(figure)


def stacked_bar_chart(rows: Sequence[tuple[str, Mapping[str, int]]], title: str, style: FigureStyle) -> bytes:
    """Horizontal bars, one per row label, stacked by class in :data:`CLASS_ORDER`; first row on top."""
    t = style.translate
    height = 0.9 + 0.2 * max(len(rows), 1)
    with new_figure(style, 6.4, height) as figure:
        axes = figure.add_subplot()
        positions = list(range(len(rows)))[::-1]
        left = [0] * len(rows)
        for name in CLASS_ORDER:
            values = [counts.get(name, 0) for _, counts in rows]
            if not any(values):
                continue
            axes.barh(
                positions,
                values,
                left=left,
                height=0.7,
                linewidth=0.6,
                label=t(f"class.{name}"),
                **CLASS_STYLE[name],
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(positions, [label for label, _ in rows])
        axes.set_xlabel(t("field.count"))
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="lower right", frameon=False, fontsize=7)
        figure.tight_layout()
        return png_bytes(figure)
