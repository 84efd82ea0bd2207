"""Figures of the footfall story: days with their trend, an event against the days before, a week's heat grid,
points on the map."""

from __future__ import annotations

import math
from datetime import date
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from plotly.colors import sample_colorscale

from webapp.figures.base import (  # noqa: F401  (ranked_bars: the origins chart draws them)
    BLUE,
    GREEN,
    GRID_COLOR,
    INK,
    ORANGE,
    REFERENCE_COLOR,
    SERIES_COLORS,
    VERMILION,
    base_layout,
    empty_figure,
    label_margin,
    number_margin,
    outline_traces,
    ranked_bars,
    time_axis,
)

SCALE = "Cividis"
CATEGORY_COLORS = {"resident": BLUE, "excursionist": ORANGE, "tourist": GREEN}


def _values(column: pd.Series) -> list[float | None]:
    """A column as JSON-safe numbers: a missing day is null (a gap), never NaN (which is not JSON)."""
    return [None if pd.isna(v) else float(v) for v in column]


def _top(days: pd.DataFrame, *columns: str) -> float:
    values = [days[c].max() for c in columns if c in days and not days[c].isna().all()]
    return float(max(values, default=0))


def _day_axis(days: pd.DataFrame, lang: str) -> dict[str, Any]:
    if days.empty:
        return {"type": "date", "fixedrange": True}
    return time_axis(days["day"].min().date(), days["day"].max().date(), lang)


def daily_chart(days: pd.DataFrame, names: Mapping[str, str], hover: Mapping[str, list[str]], lang: str,
                height: int = 400) -> dict[str, Any]:
    """Passages per day (bars), their 7-day average and the same weekday a year earlier (lines)."""
    x = days["day"].dt.strftime("%Y-%m-%d").tolist()
    traces = [
        {"type": "bar", "name": names["passages"], "x": x, "y": _values(days["passages"]),
         "marker": {"color": BLUE}, "text": hover["passages"], "hovertemplate": "%{text}<extra></extra>",
         "textposition": "none"},
        {"type": "scatter", "mode": "lines", "name": names["avg7"], "x": x, "y": _values(days["avg7"]),
         "line": {"color": INK, "width": 3}, "connectgaps": False, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "name": names["last_year"], "x": x, "y": _values(days["last_year"]),
         "line": {"color": VERMILION, "width": 2, "dash": "dot"}, "connectgaps": False, "hoverinfo": "skip"},
    ]
    layout = base_layout(
        lang, height, bargap=0.1, hovermode="closest",
        xaxis=_day_axis(days, lang) | {"gridcolor": GRID_COLOR},
        yaxis={"gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero", "separatethousands": True, "exponentformat": "none"},
        margin={"l": number_margin(_top(days, "passages", "avg7", "last_year"), lang), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def event_chart(days: pd.DataFrame, names: Mapping[str, str], hover: Sequence[str], lang: str,
                height: int = 360) -> dict[str, Any]:
    """An event's passages per day (bars) against the comparable days before it (a dashed step line)."""
    x = days["day"].dt.strftime("%Y-%m-%d").tolist()
    traces = [
        {"type": "bar", "name": names["passages"], "x": x, "y": days["passages"].tolist(),
         "marker": {"color": BLUE}, "textposition": "none", "text": list(hover),
         "hovertemplate": "%{text}<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": names["baseline"], "x": x, "y": days["baseline"].tolist(),
         "line": {"color": REFERENCE_COLOR, "width": 2, "dash": "dash", "shape": "hvh"}, "hoverinfo": "skip"},
    ]
    layout = base_layout(
        lang, height, bargap=0.15, hovermode="closest",
        xaxis=_day_axis(days, lang),
        yaxis={"gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True, "exponentformat": "none"},
        margin={"l": number_margin(_top(days, "passages", "baseline"), lang), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def week_grid(values: Sequence[Sequence[float | None]], days: Sequence[str], hover: Sequence[Sequence[str]],
              legend_title: str, fmt, lang: str) -> dict[str, Any]:
    """A weekday x hour grid of squares coloured by value (a heat map drawn with the basic bundle's markers)."""
    known = [v for row in values for v in row if v is not None]
    if not known:
        return empty_figure("", lang)
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    xs, ys, colors, texts = [], [], [], []
    for d, row in enumerate(values):
        for h, v in enumerate(row):
            if v is None:
                continue
            xs.append(h)
            ys.append(days[d])
            colors.append(sample_colorscale(SCALE, [(v - lo) / span])[0])
            texts.append(hover[d][h])
    ticks = [lo, (lo + hi) / 2, hi] if hi > lo else [lo]  # the ends are the extremes the summary states
    traces = [
        {"type": "scatter", "mode": "markers", "x": xs, "y": ys, "showlegend": False,
         "marker": {"symbol": "square", "size": 13, "color": colors, "line": {"width": 0}},
         "text": texts, "hovertemplate": "%{text}<extra></extra>"},
        {"type": "scatter", "mode": "markers", "x": [None], "y": [None], "hoverinfo": "skip", "showlegend": False,
         "marker": {"color": [lo], "colorscale": SCALE, "cmin": lo, "cmax": hi, "showscale": True,
                    # 80 % of the width, centred: the end labels, centred on the ends, stay inside the figure
                    "colorbar": {"title": {"text": legend_title, "side": "top"}, "orientation": "h", "x": 0.5,
                                 "xanchor": "center", "y": -0.18, "yanchor": "top", "len": 0.8, "thickness": 12,
                                 "tickvals": ticks, "ticktext": [fmt(v) for v in ticks]}}},
    ]
    layout = base_layout(
        lang, 330, hovermode="closest",
        xaxis={"range": [-0.6, 23.6], "tickvals": [0, 6, 12, 18, 23], "ticktext": ["0 h", "6 h", "12 h", "18 h", "23 h"],
               "fixedrange": True, "showgrid": False, "zeroline": False},
        yaxis={"categoryorder": "array", "categoryarray": list(days)[::-1], "fixedrange": True, "showgrid": False},
        margin={"l": label_margin(list(days)), "r": 8, "t": 8, "b": 20},
    )
    return {"data": traces, "layout": layout}


PHONE_MAP = (320, 400)  # px: the map on a 320 px phone
SMALLEST, LARGEST = 8, 42  # px: circle diameters of the quietest and the busiest point, room allowing


def circle_sizes(points: pd.DataFrame, top: float, per_degree: float, squash: float) -> list[float]:
    """Circle diameters whose area follows the passages, as large as they can be (up to LARGEST) without two
    circles covering each other at a phone's scale (`per_degree` px a degree of longitude)."""
    shares = [math.sqrt(max(v, 0) / top) for v in points["passages"]]
    xy = [(lon * per_degree, lat * per_degree / squash) for lon, lat in zip(points["longitude"], points["latitude"])]
    growth = LARGEST - SMALLEST
    for i in range(len(xy)):
        for j in range(i + 1, len(xy)):
            distance = math.dist(xy[i], xy[j])
            if shares[i] + shares[j] > 0:  # (s_i + s_j) / 2 <= distance - 1 px
                growth = min(growth, max(0.0, 2 * (distance - 1 - SMALLEST) / (shares[i] + shares[j])))
    return [SMALLEST + growth * share for share in shares]


def points_map(iris: pd.DataFrame, points: pd.DataFrame, selected: str | None, hover: Sequence[str],
               legend: str, lang: str, height: int = 400) -> dict[str, Any]:
    """IRIS outlines and the counting points as circles whose area follows their passages.

    `layout.meta.points` lists the site_id of each point of the last trace, for the click that picks one.
    """
    traces, lats = outline_traces(iris)
    top = float(points["passages"].max()) if len(points) and points["passages"].max() > 0 else 1.0
    mean_lat = sum(lats) / len(lats) if lats else 50.29
    # The centre, where the points are: the town's outer IRIS would leave them tiny on a phone.
    lon_lo, lon_hi = points["longitude"].min() - 0.004, points["longitude"].max() + 0.004
    lat_lo, lat_hi = points["latitude"].min() - 0.003, points["latitude"].max() + 0.003
    squash = math.cos(math.radians(mean_lat))
    per_degree = min(PHONE_MAP[0] / ((lon_hi - lon_lo) or 1), height * squash / ((lat_hi - lat_lo) or 1))
    sizes = circle_sizes(points, top, per_degree, squash)
    traces.append({
        "type": "scatter", "mode": "markers", "name": legend, "x": points["longitude"].tolist(),
        "y": points["latitude"].tolist(), "text": list(hover), "hovertemplate": "%{text}<extra></extra>",
        "marker": {"size": sizes, "color": SERIES_COLORS[0], "opacity": 0.75,
                   "line": {"width": [3 if s == selected else 1 for s in points["site_id"]],
                            "color": ["#000000" if s == selected else "#ffffff" for s in points["site_id"]]}},
        "showlegend": False,
    })
    axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, height, hovermode="closest", dragmode=False, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis=dict(axis, range=[lon_lo, lon_hi]),
        yaxis=dict(axis, range=[lat_lo, lat_hi], scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat))),
        meta={"points": points["site_id"].tolist(), "trace": len(traces) - 1},
    )
    return {"data": traces, "layout": layout}


def stacked_months(months: Sequence[str], series: Sequence[Mapping[str, Any]], y_title: str, lang: str,
                   height: int = 360) -> dict[str, Any]:
    """Bars per month ('2025-01', …) stacked by series (name, y, color, hover), on a time axis."""
    x = [f"{m}-15" for m in months]  # mid-month: a bar sits on its month
    traces = [{"type": "bar", "name": s["name"], "x": x, "y": list(s["y"]), "marker": {"color": s["color"]},
               "text": list(s["hover"]), "hovertemplate": "%{text}<extra></extra>", "textposition": "none"}
              for s in series]
    totals = [sum(v or 0 for v in values) for values in zip(*(s["y"] for s in series))] or [0]
    xaxis: dict[str, Any] = {"type": "date", "fixedrange": True}
    if months:
        first, last = date.fromisoformat(f"{months[0]}-01"), date.fromisoformat(f"{months[-1]}-28")
        xaxis = time_axis(first, last, lang, mid_month=True) | {"range": [first.isoformat(), last.isoformat()]}
    layout = base_layout(
        lang, height, barmode="stack", bargap=0.2, xaxis=xaxis,
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True, "exponentformat": "none"},
        margin={"l": number_margin(max(totals), lang, titled=True), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}
