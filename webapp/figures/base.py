"""Shared look of every chart: fonts, French separators, colours, margins."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from webapp.formatting import plotly_separators

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#212529"
GRID_COLOR = "#dee2e6"
REFERENCE_COLOR = "#5c636a"  # département references, ≥ 4.5:1 on white
AREA_COLOR = "#f1f3f5"  # map areas (IRIS) on a light page

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


def polygon_paths(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """A GeoJSON (Multi)Polygon as one x and one y list, rings separated by None (a filled scatter)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons:
        for ring in polygon:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def outline_traces(iris: pd.DataFrame) -> tuple[list[dict[str, Any]], list[float]]:
    """The IRIS (code, name, geometry as GeoJSON text) as grey background areas, and their latitudes
    (for the equal-scale aspect of a map drawn on plain axes)."""
    traces: list[dict[str, Any]] = []
    lats: list[float] = []
    for row in iris.itertuples():
        xs, ys = polygon_paths(json.loads(row.geometry))
        lats += [y for y in ys if y is not None]
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself", "fillcolor": AREA_COLOR,
                       "line": {"color": "#adb5bd", "width": 1}, "hoverinfo": "skip", "showlegend": False})
    return traces, lats


def label_margin(labels: list[str], font_size: int = 13) -> int:
    """Left margin that fits category labels, computed here rather than by plotly's `automargin`,
    which draws every chart twice (measured: a 35-bar chart takes twice as long to render)."""
    longest = max((len(str(label)) for label in labels), default=0)
    return min(230, 14 + round(longest * font_size * 0.56))


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


THEMES = ("light", "dark", "auto")
DARK = {"text": "#e9ecef", "grid": "#495057", "area": "#2b3035", "area_line": "#adb5bd"}


def dark_figure(figure: dict[str, Any]) -> dict[str, Any]:
    """The same figure for a dark page: light text and grid lines, dark map areas; data colours kept."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout.setdefault("font", {})["color"] = DARK["text"]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis["gridcolor"] = DARK["grid"]
            axis["zerolinecolor"] = DARK["grid"]
    if "legend" in layout and layout["legend"].get("bgcolor"):
        layout["legend"]["bgcolor"] = "rgba(33,37,41,0.8)"
    for note in layout.get("annotations", []):
        note.setdefault("font", {})["color"] = DARK["text"]
    outline = {"#000000": "#ffffff", "#ffffff": DARK["area"]}  # the REP ring stays the contrasting one
    for trace in fig.get("data", []):
        line = trace.get("marker", {}).get("line", {})
        if isinstance(line.get("color"), list):
            line["color"] = [outline.get(c, c) for c in line["color"]]
        if trace.get("fill") == "toself" and trace.get("fillcolor") == AREA_COLOR:
            trace["fillcolor"] = DARK["area"]
            trace.setdefault("line", {})["color"] = DARK["area_line"]
    return fig


def ranked_bars(labels: Sequence[str], values: Sequence[float], texts: Sequence[str], hover: Sequence[str],
                lang: str, color: str = SERIES_COLORS[0]) -> dict[str, Any]:
    """Horizontal bars, largest first, values written at their end."""
    layout = base_layout(
        lang, 90 + 26 * len(labels), bargap=0.25,
        xaxis={"gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True, "exponentformat": "none"},
        yaxis={"categoryorder": "array", "categoryarray": list(labels)[::-1], "fixedrange": True},
        margin={"l": label_margin(list(labels)), "r": 60, "t": 8, "b": 30}, showlegend=False,
    )
    trace = {"type": "bar", "orientation": "h", "x": list(values), "y": list(labels), "marker": {"color": color},
             "text": list(texts), "textposition": "outside", "cliponaxis": False, "hovertext": list(hover),
             "hovertemplate": "%{hovertext}<extra></extra>"}
    return {"data": [trace], "layout": layout}
