"""Figures of the housing story: lines with gaps, stacked bars, a map of the IRIS coloured by a value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


from webapp.figures.base import GRID_COLOR, base_layout, empty_figure, label_margin
from webapp.figures.maps import choropleth  # noqa: F401  (the housing map draws one)

TYPE_COLORS = {"appartement": "#0072B2", "maison": "#D55E00", "tous": "#009E73"}


def line_chart(lines: Sequence[Mapping[str, Any]], y_title: str, first: int, last: int, lang: str,
               height: int = 420) -> dict[str, Any]:
    """Lines over the years; a `None` value is a gap in its line (never drawn as zero).

    Each line: name, x (ISO dates), y, color, dash, width, hover (one text per point).
    """
    traces = []
    for line in lines:
        traces.append({
            "type": "scatter", "mode": line.get("mode", "lines+markers"), "name": line["name"],
            "x": list(line["x"]), "y": list(line["y"]), "connectgaps": False,
            "line": {"color": line["color"], "width": line.get("width", 3), "dash": line.get("dash", "solid")},
            "marker": {"size": line.get("marker", 7)},
            "text": list(line["hover"]), "hovertemplate": "%{text}<extra></extra>",
        })
    layout = base_layout(
        lang, height,
        xaxis={"type": "date", "range": [f"{first}-01-01", f"{last}-12-31"], "dtick": "M12", "tickformat": "%Y",
               "fixedrange": True, "gridcolor": GRID_COLOR},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero",
               "separatethousands": True},
        hovermode="closest", margin={"l": 64, "r": 16, "t": 8, "b": 40},
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    )
    return {"data": traces, "layout": layout}


def stacked_bars(years: Sequence[int], series: Sequence[Mapping[str, Any]], y_title: str, missing: Sequence[int],
                 missing_text: str, lang: str, height: int = 380) -> dict[str, Any]:
    """Bars per year stacked by series (name, y, color, hover); years in `missing` carry a note, not a bar."""
    traces = [{
        "type": "bar", "name": s["name"], "x": list(years), "y": list(s["y"]), "marker": {"color": s["color"]},
        "text": list(s["hover"]), "hovertemplate": "%{text}<extra></extra>", "textposition": "none",
    } for s in series]
    notes = [{"x": year, "y": 0, "yref": "y", "text": missing_text, "showarrow": False, "textangle": -90,
              "yanchor": "bottom", "font": {"size": 12}} for year in missing]
    layout = base_layout(
        lang, height, barmode="stack", bargap=0.25, annotations=notes,
        xaxis={"dtick": 1, "tickformat": "d", "fixedrange": True, "range": [min(years) - 0.5, max(years) + 0.5]},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True},
        margin={"l": 64, "r": 16, "t": 8, "b": 40},
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    )
    return {"data": traces, "layout": layout}


def shares_chart(rows: Sequence[str], parts: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Horizontal 100 % bars: one row per (group, place), one trace per part (name, x shares, color, hover)."""
    if not rows:
        return empty_figure("", lang)
    traces = [{
        "type": "bar", "orientation": "h", "name": p["name"], "x": list(p["x"]), "y": list(rows),
        "marker": {"color": p["color"]}, "text": list(p["labels"]), "textposition": "inside",
        "insidetextanchor": "middle", "textfont": {"size": 12, "color": p.get("text_color", "#ffffff")},
        "hovertext": list(p["hover"]), "hovertemplate": "%{hovertext}<extra></extra>",
    } for p in parts]
    layout = base_layout(
        lang, 110 + 34 * len(rows), barmode="stack", bargap=0.3,
        xaxis={"range": [0, 100], "ticksuffix": " %", "gridcolor": GRID_COLOR, "fixedrange": True,
               "tickvals": [0, 25, 50, 75, 100]},
        yaxis={"categoryorder": "array", "categoryarray": list(rows)[::-1], "fixedrange": True},
        margin={"l": label_margin(list(rows)), "r": 16, "t": 8, "b": 30},
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top", "traceorder": "normal"},
    )
    return {"data": traces, "layout": layout}
