"""Figures of the citizen reports story: reports per month stacked by category, lines over the months.

The map of the IRIS is the housing story's choropleth (`webapp.figures.maps.choropleth`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from datetime import date

from webapp.figures.base import (
    BLUE,
    GREEN,
    GRID_COLOR,
    INK,
    ORANGE,
    PINK,
    PURPLE,
    REFERENCE_COLOR,
    number_margin,
    VERMILION,
    base_layout,
    percent_axis,
    time_axis,
)

# Told apart with the common colour-vision deficiencies (see base.py); stacked bars get a white edge.
CATEGORY_COLORS = {"voirie": BLUE, "proprete": ORANGE, "eclairage": PINK, "graffitis": VERMILION,
                   "espaces-verts": GREEN, "mobilier-urbain": PURPLE}
ALL_COLOR = INK
WITHIN_COLORS = {7: VERMILION, 30: BLUE}


def _x(months: Sequence[str]) -> list[str]:
    return [f"{m}-15" for m in months]  # mid-month: a bar sits on its month


def _axis(months: Sequence[str], lang: str) -> dict[str, Any]:
    """A time axis from the first month's start to the last one's end, its labels under the bars' months."""
    if not months:
        return {"type": "date", "fixedrange": True}
    first, last = date.fromisoformat(f"{months[0]}-01"), date.fromisoformat(f"{months[-1]}-28")
    return time_axis(first, last, lang, mid_month=True) | {"range": [first.isoformat(), last.isoformat()]}


def _stack_top(series: Sequence[Mapping[str, Any]], line: Mapping[str, Any] | None) -> float:
    stacks = [sum(v or 0 for v in values) for values in zip(*(s["y"] for s in series))]
    return max([*stacks, *((v or 0) for v in (line["y"] if line else []))], default=0)


def _line_top(lines: Sequence[Mapping[str, Any]]) -> float:
    return max((v for s in lines for v in s["y"] if v is not None), default=0)


def monthly_bars(months: Sequence[str], series: Sequence[Mapping[str, Any]], line: Mapping[str, Any] | None,
                 y_title: str, lang: str, height: int = 400) -> dict[str, Any]:
    """Bars per month stacked by series (name, y, color, hover), and a line (name, y, hover) over them."""
    traces: list[dict[str, Any]] = [{
        "type": "bar", "name": s["name"], "x": _x(months), "y": list(s["y"]), "marker": {
            "color": s["color"], "line": {"color": "#ffffff", "width": 0.5}},
        "text": list(s["hover"]), "hovertemplate": "%{text}<extra></extra>", "textposition": "none",
    } for s in series]
    if line is not None:
        traces.append({"type": "scatter", "mode": "lines", "name": line["name"], "x": _x(months), "y": list(line["y"]),
                       "line": {"color": ALL_COLOR, "width": 2, "dash": "dot", "shape": "hvh"},
                       "text": list(line["hover"]), "hovertemplate": "%{text}<extra></extra>"})
    layout = base_layout(
        lang, height, barmode="stack", bargap=0.15, hovermode="closest", xaxis=_axis(months, lang),
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero",
               "separatethousands": True},
        margin={"l": number_margin(_stack_top(series, line), lang, titled=True), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def month_lines(months: Sequence[str], lines: Sequence[Mapping[str, Any]], y_title: str, lang: str,
                share: bool = False, height: int = 380) -> dict[str, Any]:
    """One line per series (name, y with None for gaps, color, dash, hover) over the months.

    `share`: values are shares from 0 to 1, drawn as percentages on a fixed 0-100 % axis.
    """
    traces = [{
        "type": "scatter", "mode": "lines+markers", "name": s["name"], "x": _x(months), "y": list(s["y"]),
        "connectgaps": False, "line": {"color": s.get("color", REFERENCE_COLOR), "width": s.get("width", 2),
                                        "dash": s.get("dash", "solid")},
        "marker": {"size": 5, "symbol": s.get("symbol", "circle")},
        "text": list(s["hover"]), "hovertemplate": "%{text}<extra></extra>",
    } for s in lines]
    yaxis: dict[str, Any] = {"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero"}
    if share:
        yaxis |= percent_axis(1, lang)
    layout = base_layout(
        lang, height, hovermode="closest", xaxis=_axis(months, lang) | {"gridcolor": GRID_COLOR}, yaxis=yaxis,
        # "100 %" is as wide as "1 000"
        margin={"l": number_margin(1000 if share else _line_top(lines), lang, titled=True), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}
