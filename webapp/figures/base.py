"""Shared look of every chart: fonts, French separators, colours, margins."""

from __future__ import annotations

import re
from typing import Any

from webapp.formatting import plotly_separators

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#212529"
GRID_COLOR = "#dee2e6"
REFERENCE_COLOR = "#5c636a"  # département references, ≥ 4.5:1 on white

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
LEVEL_COLORS = {"ecole": "#009E73", "college": "#0072B2", "lycee": "#D55E00"}
SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def base_layout(lang: str, height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "separators": plotly_separators(lang),
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOR},
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "font": {"size": 13}},
        "colorway": SERIES_COLORS,
    }
    layout.update(extra)
    return layout


def graph_config(lang: str) -> dict[str, Any]:
    """dcc.Graph / Plotly config: French locale, no plotly logo, only useful buttons."""
    return {
        "locale": lang,
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }


def empty_figure(message: str, lang: str, height: int = 260) -> dict[str, Any]:
    """A figure that says why it is empty, instead of empty axes."""
    return {
        "data": [],
        "layout": base_layout(
            lang, height,
            xaxis={"visible": False}, yaxis={"visible": False},
            annotations=[{"text": message, "showarrow": False, "xref": "paper", "yref": "paper",
                          "x": 0.5, "y": 0.5, "font": {"size": 15}}],
        ),
    }


_PREFIX = re.compile(
    r"^(École|Collège|Lycée)( (élémentaire|primaire|maternelle|général et technologique|polyvalent"
    r"|professionnel))?( (privé|privée))?( d'application)? "
)


def short_school_name(name: str, limit: int = 22) -> str:
    """'École élémentaire d'application Paul Bert' -> 'Paul Bert' (axis labels on a phone)."""
    short = _PREFIX.sub("", name)
    short = re.split(r" lycée des métiers", short, flags=re.IGNORECASE)[0]
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"
