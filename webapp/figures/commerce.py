"""Figures of the commerce observatory: vacancy over the years, openings and closures, units on the
map, vacancy against footfall."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from webapp.figures.base import (
    BLUE,
    GREEN,
    GRID_COLOR,
    REFERENCE_COLOR,
    SERIES_COLORS,
    VERMILION,
    base_layout,
    number_margin,
    outline_traces,
    percent_axis,
    year_axis,
)

OPEN_COLOR, VACANT_COLOR = BLUE, VERMILION  # blue and vermilion: apart for every colour vision
OPENINGS_COLOR, CLOSURES_COLOR = GREEN, VERMILION


def _top(series: Sequence[Mapping[str, Any]]) -> float:
    """The largest share of the series (0.1 when there is none), the top of their percent axis."""
    return max((v for s in series for v in s["y"] if v is not None and v == v), default=0.1)


def year_lines(years: Sequence[int], series: Sequence[Mapping[str, Any]], y_title: str, lang: str,
               height: int = 360) -> dict[str, Any]:
    """One line per series (name, y as shares 0-1 or None, color, dash, hover) over the year-ends."""
    traces = [{"type": "scatter", "mode": "lines+markers", "name": s["name"], "x": list(years), "y": list(s["y"]),
               "line": {"color": s["color"], "width": 3, "dash": s.get("dash", "solid")},
               "marker": {"size": 7, "symbol": s.get("symbol", "circle")}, "text": list(s["hover"]),
               "hovertemplate": "%{text}<extra></extra>"} for s in series]
    layout = base_layout(
        lang, height, hovermode="closest",
        xaxis=year_axis(years) | {"gridcolor": GRID_COLOR},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True} | percent_axis(_top(series), lang),
        margin={"l": 64, "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def flows_bars(years: Sequence[int], bars: Sequence[Mapping[str, Any]], line: Mapping[str, Any] | None,
               lang: str, height: int = 360) -> dict[str, Any]:
    """Side-by-side bars per year (name, y, color, hover), and a dotted comparison line if given."""
    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": b["name"], "x": list(years), "y": list(b["y"]), "marker": {"color": b["color"]},
         "text": list(b["hover"]), "hovertemplate": "%{text}<extra></extra>", "textposition": "none"} for b in bars]
    if line is not None:
        traces.append({"type": "scatter", "mode": "lines+markers", "name": line["name"], "x": list(years),
                       "y": list(line["y"]), "line": {"color": REFERENCE_COLOR, "width": 2, "dash": "dot"},
                       "marker": {"size": 6, "symbol": "diamond"}, "text": list(line["hover"]),
                       "hovertemplate": "%{text}<extra></extra>"})
    layout = base_layout(
        lang, height, barmode="group", bargap=0.25, hovermode="closest",
        xaxis=year_axis(years),
        yaxis={"gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero"},
        margin={"l": number_margin(max((v or 0 for b in bars for v in b["y"]), default=0), lang), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def units_map(iris: pd.DataFrame, units: pd.DataFrame, names: Mapping[str, str], hover: Sequence[str], lang: str,
              height: int = 440) -> dict[str, Any]:
    """IRIS outlines and one marker per unit: occupied (filled circle) or vacant (cross), told apart by
    shape as well as colour."""
    traces, lats = outline_traces(iris)
    hover = pd.Series(list(hover), index=units.index)
    for vacant, color, symbol, size in ((False, OPEN_COLOR, "circle", 6), (True, VACANT_COLOR, "x", 8)):
        part = units[units["vacant"] == vacant]
        traces.append({"type": "scatter", "mode": "markers", "name": names["vacant" if vacant else "open"],
                       "x": part["longitude"].tolist(), "y": part["latitude"].tolist(),
                       "text": hover[part.index].tolist(), "hovertemplate": "%{text}<extra></extra>",
                       "marker": {"size": size, "color": color, "symbol": symbol, "opacity": 0.85,
                                  "line": {"width": 0.5, "color": "#ffffff"} if not vacant else {"width": 0}}})
    mean_lat = sum(lats) / len(lats) if lats else 50.29
    axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, height, hovermode="closest", dragmode=False, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis=axis, yaxis=dict(axis, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat))),
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
    )
    return {"data": traces, "layout": layout}


def vacancy_scatter(points: pd.DataFrame, hover: Sequence[str], x_title: str, y_title: str, lang: str,
                    height: int = 380) -> dict[str, Any]:
    """One circle per counting point: passages a day (x) against the vacancy around it (y, a share),
    its area following the units around it."""
    top = float(points["units"].max()) if len(points) and points["units"].max() > 0 else 1.0
    x_top = float(points["per_day"].max()) if len(points) and points["per_day"].max() > 0 else 1.0
    trace = {"type": "scatter", "mode": "markers", "x": points["per_day"].tolist(), "y": points["rate"].tolist(),
             "text": list(hover), "hovertemplate": "%{text}<extra></extra>", "showlegend": False,
             "marker": {"size": [8 + 22 * math.sqrt(max(u, 0) / top) for u in points["units"]],
                        "color": SERIES_COLORS[0], "opacity": 0.75, "line": {"width": 1, "color": "#ffffff"}}}
    layout = base_layout(
        lang, height, hovermode="closest",
        # the x axis starts a little left of 0, so that its "0" does not sit on the y axis' "0 %"
        xaxis={"title": {"text": x_title}, "gridcolor": GRID_COLOR, "fixedrange": True,
               "range": [-0.05 * x_top, 1.08 * x_top], "separatethousands": True, "exponentformat": "none"},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True}
        | percent_axis(float(points["rate"].max()) if len(points) else 0.1, lang),
        margin={"l": 64, "r": 16, "t": 8, "b": 56},
    )
    return {"data": [trace], "layout": layout}
