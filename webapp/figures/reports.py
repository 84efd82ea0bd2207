"""Figures of the citizen reports story: reports per month stacked by category, lines over the months.

The map of the IRIS is the housing story's choropleth (`webapp.figures.maps.choropleth`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webapp.figures.base import GRID_COLOR, REFERENCE_COLOR, base_layout

# Okabe-Ito colours, told apart with the common colour-vision deficiencies; stacked bars get a white edge.
CATEGORY_COLORS = {"voirie": "#0072B2", "proprete": "#E69F00", "eclairage": "#CC79A7", "graffitis": "#D55E00",
                   "espaces-verts": "#009E73", "mobilier-urbain": "#56B4E9"}
ALL_COLOR = "#212529"
WITHIN_COLORS = {7: "#D55E00", 30: "#0072B2"}


def _x(months: Sequence[str]) -> list[str]:
    return [f"{m}-15" for m in months]  # mid-month: a bar sits on its month


def _axis(months: Sequence[str]) -> dict[str, Any]:
    """A time axis labelled by year (by month within a single year), each label centred on its period."""
    one_year = len(months) <= 12
    axis = {"type": "date", "tickformat": "%b" if one_year else "%Y", "dtick": "M2" if one_year else "M12",
            "ticklabelmode": "period", "tickangle": 0, "fixedrange": True}
    if months:  # from the first month's start to the last one's end
        axis["range"] = [f"{months[0]}-01", f"{months[-1]}-28"]
    return axis


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
        lang, height, barmode="stack", bargap=0.15, hovermode="closest", xaxis=_axis(months),
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero",
               "separatethousands": True},
        margin={"l": 56, "r": 16, "t": 8, "b": 40}, legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
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
        yaxis |= {"tickformat": ".0%", "range": [0, 1.02]}
    layout = base_layout(
        lang, height, hovermode="closest", xaxis=_axis(months) | {"gridcolor": GRID_COLOR}, yaxis=yaxis,
        margin={"l": 56, "r": 16, "t": 8, "b": 40}, legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    )
    return {"data": traces, "layout": layout}
