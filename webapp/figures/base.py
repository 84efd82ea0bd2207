"""Shared look of every chart: fonts, French separators, colours, margins."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from datetime import date, timedelta

from webapp.formatting import fmt_percent, fmt_short_date, plotly_separators, short_months

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#212529"
GRID_COLOR = "#dee2e6"
REFERENCE_COLOR = "#5c636a"  # département references, ≥ 4.5:1 on white
AREA_COLOR = "#f1f3f5"  # map areas (IRIS) on a light page

# Okabe-Ito hues (told apart with the common colour-vision deficiencies), their lightness moved where needed so
# that each has a contrast of at least 3:1 (RGAA 3.3) on the light page (#ffffff) and on the dark one (#212529).
BLUE, VERMILION, GREEN, PINK, ORANGE, PURPLE = "#1F82C0", "#D55E00", "#009E73", "#B36BA0", "#B8730A", "#8C6BB1"
INK = "#000000"  # drawn white on a dark page (see DARK_COLORS)
LEVEL_COLORS = {"ecole": GREEN, "college": BLUE, "lycee": VERMILION}
SERIES_COLORS = [BLUE, VERMILION, GREEN, PINK, ORANGE, PURPLE, INK]
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#212529"


# Above the plot, left-aligned: below it, a legend meets the tick labels and the axis title; plotly wraps its
# entries into rows at a phone's width and pushes the plot down to make room.
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom", "font": {"size": 13}}


PHONE_PLOT_WIDTH = 300  # px: what a 320 px phone leaves to a legend


def legend_rows(names: Sequence[str], font_size: int = 13, width: int = PHONE_PLOT_WIDTH) -> int:
    """How many rows a horizontal legend of these entries takes at `width` (a phone's, by default): one when they
    all fit side by side, else as many as plotly makes when it lines them up in columns of the widest entry."""
    items = [46 + len(name) * font_size * 0.6 for name in names]  # symbol and gaps, then the text (a wide estimate)
    if not items or sum(items) <= width:
        return 1
    per_row = max(1, int(width // max(items)))
    return -(-len(items) // per_row)


def with_legend_room(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure with its top margin (and height) made to hold its legend as a phone wraps it, so that the
    legend never takes the plot's room (squeezed bars whose labels then overlap). A new dict: the given one
    may be a cached value."""
    layout = figure.get("layout", {})
    names = [t["name"] for t in figure.get("data", []) if t.get("name") and t.get("showlegend", True)]
    if layout.get("showlegend") is False or len(names) < 2 or layout.get("legend", {}).get("yanchor") != "bottom":
        return figure
    need = 10 + 24 * legend_rows(names, layout.get("legend", {}).get("font", {}).get("size", 13))
    margin = dict(layout.get("margin", {}))
    missing = need - margin.get("t", 8)
    if missing <= 0:
        return figure
    margin["t"] = need
    layout = dict(layout, margin=margin)
    if "height" in layout:
        layout["height"] = layout["height"] + missing
    return dict(figure, layout=layout)


def base_layout(lang: str, height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "separators": plotly_separators(lang),
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOR},
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        "legend": dict(LEGEND),
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


# Every axis is fixed (no zoom on a phone's scroll), so the only useful button is the image download; a share
# button would send the data to a cloud service.
MODE_BAR_REMOVED = ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d",
                    "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian", "sendDataToCloud",
                    "editInChartStudio"]


def number_margin(top: float, lang: str, titled: bool = False, font_size: int = 13) -> int:
    """Left margin that fits a value axis' tick labels up to `top` ('1 400 000'), and its title beside them
    when `titled` (the same estimate as `label_margin`, without plotly's costly `automargin`)."""
    from webapp.formatting import fmt_number

    widest = len(fmt_number(abs(top) * 1.1, lang)) + (1 if top < 0 else 0)
    return 12 + round(widest * font_size * 0.62) + (26 if titled else 0)


def graph_config(lang: str) -> dict[str, Any]:
    """dcc.Graph / Plotly config: French locale, no plotly logo, no cloud, only the image download."""
    return {
        "locale": lang,
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "modeBarButtonsToRemove": list(MODE_BAR_REMOVED),
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def time_axis(first: date, last: date, lang: str, max_ticks: int = 6, mid_month: bool = False) -> dict[str, Any]:
    """A date axis whose tick labels are written here, in the page's language ('1er déc.', 'janv.<br>2025',
    '2025'), so plotly.js in the browser and the server's images show the same French text whatever their
    own locale. At most `max_ticks` labels: they fit side by side on a 320 px phone. `mid_month`: ticks on
    the 15th, under monthly bars drawn there."""
    axis: dict[str, Any] = {"type": "date", "tickmode": "array", "tickangle": 0, "fixedrange": True}
    span = (last - first).days
    # No label at the very ends: centred on the axis' first day it would run under the y axis' "0", on its
    # last one past the chart's edge.
    edge = timedelta(days=max(1, round(span * 0.04)))
    if span <= 62:
        step = next(s for s in (1, 2, 7, 14, 21) if span // s + 1 <= max_ticks)
        days = [first + timedelta(days=i) for i in range(0, span + 1, step)]
        days = [d for d in days if first + edge <= d <= last - edge] or days[:1]
        return axis | {"tickvals": [d.isoformat() for d in days], "ticktext": [fmt_short_date(d, lang) for d in days]}
    months_span = (last.year - first.year) * 12 + last.month - first.month
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120) if months_span // s + 1 <= max_ticks)
    start = _month_start(first + edge, 0 if (first + edge).day == 1 else 1)
    if step >= 12:
        start = date(start.year if start.month == 1 else start.year + 1, 1, 1)
    elif step in (2, 3, 4, 6):  # labels on the same months every year: janv., mars… or janv., avril…
        start = _month_start(start, -((start.month - 1) % step) + (step if (start.month - 1) % step else 0))
    ticks = []
    tick = start
    while tick <= last - edge:
        ticks.append(tick)
        tick = _month_start(tick, step)
    names = short_months(lang)
    texts = []
    for i, tick in enumerate(ticks):
        if step >= 12:
            texts.append(str(tick.year))
        elif i == 0 or tick.month <= step:  # the year under the first label, and under each year's first
            texts.append(f"{names[tick.month - 1]}<br>{tick.year}")
        else:
            texts.append(names[tick.month - 1])
    shift = timedelta(days=14) if mid_month and step < 12 else timedelta(0)
    return axis | {"tickvals": [(t + shift).isoformat() for t in ticks], "ticktext": texts}


def year_axis(years: Sequence[int], max_ticks: int = 6) -> dict[str, Any]:
    """An axis of whole years labelled every one, two, five… years so that the labels fit a 320 px phone,
    the last year always labelled."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return {"fixedrange": True}
    step = next(s for s in (1, 2, 3, 5, 10, 20) if len(years[::s]) <= max_ticks)
    shown = years[::-1][::step][::-1]  # counted back from the last year, which the sentences speak of
    return {"tickmode": "array", "tickvals": shown, "ticktext": [str(y) for y in shown], "fixedrange": True,
            "range": [years[0] - 0.6, years[-1] + 0.6]}


def percent_axis(top: float, lang: str, max_ticks: int = 6) -> dict[str, Any]:
    """A 0-`top` axis of shares (0-1) labelled '0 %', '25 %'… in the page's number format (narrow no-break
    space before % in French), like the labels and sentences around it."""
    top = max(top, 0.01)
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5) if top / s + 1 <= max_ticks)
    ticks = [round(i * step, 4) for i in range(int(top / step + 1e-9) + 1)]
    if ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 4))
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [fmt_percent(v * 100, lang, 0) for v in ticks],
            "range": [0, ticks[-1] * 1.02]}


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
# Neutral colours that would vanish on a dark page, and what they become there; data hues are kept.
DARK_COLORS = {INK: "#ffffff", TEXT_COLOR: "#e9ecef", REFERENCE_COLOR: "#adb5bd", "#ffffff": DARK["area"]}


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
    for trace in fig.get("data", []):
        if trace.get("fill") == "toself" and trace.get("fillcolor") == AREA_COLOR:
            trace["fillcolor"] = DARK["area"]
            trace.setdefault("line", {})["color"] = DARK["area_line"]
            continue
        for part in (trace.get("marker"), trace.get("marker", {}).get("line"), trace.get("line"), trace.get("textfont")):
            if isinstance(part, dict) and "color" in part:
                part["color"] = _dark_color(part["color"])
    return fig


def _dark_color(color: Any) -> Any:
    if isinstance(color, str):
        return DARK_COLORS.get(color, color)
    if isinstance(color, list):
        return [DARK_COLORS.get(c, c) if isinstance(c, str) else c for c in color]
    return color


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
