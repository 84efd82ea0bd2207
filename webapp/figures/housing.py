"""Figures of the housing story: lines with gaps, stacked bars, grouped 100 % bars, a map of the IRIS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from webapp.figures.base import (
    BLUE,
    GREEN,
    GRID_COLOR,
    ORANGE,
    PURPLE,
    TEXT_COLOR,
    VERMILION,
    base_layout,
    empty_figure,
    label_margin,
    number_margin,
    time_axis,
    year_axis,
)
from webapp.figures.maps import choropleth  # noqa: F401  (the housing map draws one)

TYPE_COLORS = {"appartement": BLUE, "maison": VERMILION, "tous": GREEN}
# The département's line of each type: a neighbouring hue (and a dashed line), so that no two lines share a colour.
REFERENCE_TYPE_COLORS = {"appartement": PURPLE, "maison": ORANGE, "tous": "#6c757d"}


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
    top = max((v for line in lines for v in line["y"] if v is not None), default=0)
    layout = base_layout(
        lang, height,
        xaxis=time_axis(date(first, 1, 1), date(last, 12, 31), lang)
        | {"range": [f"{first}-01-01", f"{last}-12-31"], "gridcolor": GRID_COLOR},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "rangemode": "tozero",
               "separatethousands": True},
        hovermode="closest", margin={"l": number_margin(top, lang, titled=True), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


def _stack_top(series: Sequence[Mapping[str, Any]]) -> float:
    return max((sum(v or 0 for v in values) for values in zip(*(s["y"] for s in series))), default=0)


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
        xaxis=year_axis(years),
        yaxis={"title": {"text": y_title}, "gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True},
        margin={"l": number_margin(_stack_top(series), lang, titled=True), "r": 16, "t": 8, "b": 40},
    )
    return {"data": traces, "layout": layout}


# --- contrast (WCAG 2.1 relative luminance) ------------------------------------------------------
# Not in `base` because another module owns it; move there if other stories need it.

WHITE, DARK_PAGE = "#ffffff", "#1b1e21"  # the light page and the dark images' background (embeds)


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours (1 to 21)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_color(fill: str) -> str:
    """White or the text colour, whichever reads better on `fill`."""
    return WHITE if contrast_ratio(WHITE, fill) >= contrast_ratio(TEXT_COLOR, fill) else TEXT_COLOR


# Nine segment colours, all different, each >= 3:1 against the light page and both dark backgrounds
# (the page's #212529, the images' #1b1e21) and >= 4.5:1 with its label (white or dark text): hues of
# Okabe-Ito and its neighbours, their lightness kept in the narrow band where all of that holds.
SEGMENT_COLORS = ["#1F78B4", "#B8860B", "#C0562F", "#CC79A7", "#00838F", "#009E73", "#7B61C9", "#C2407A",
                  "#8D6E63"]

# Pixel sizes of the grouped 100 % bars (the figure's height is their sum, so nothing overlaps).
_TITLE_PX, _BAR_PX, _ENTRY_PX, _GAP_PX, _AXIS_PX = 26, 34, 20, 14, 4


def _group_px(group: Mapping[str, Any]) -> tuple[int, int, int]:
    """Heights of a group's title, bars and legend."""
    return _TITLE_PX, _BAR_PX * len(group["rows"]), _ENTRY_PX * len(group["parts"]) + 14


def short_label(name: str, limit: int = 16) -> str:
    """A bar's label cut to `limit` characters (the full name is in the hover and the table)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def grouped_shares_chart(groups: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Horizontal 100 % bars, one block per group (title, its bars, its own short legend below them).

    Each group: title, rows (one bar each, e.g. a quartier and the town), parts (name, color, x: one
    share per row, labels: the text written in each segment, hover). Each group has its own y axis
    and its own legend (`legend`, `legend2`…), listed vertically so that it never wraps or scrolls.
    """
    if not groups:
        return empty_figure("", lang)
    height = sum(sum(_group_px(g)) + _GAP_PX for g in groups) + _AXIS_PX
    traces: list[dict[str, Any]] = []
    blocks: dict[str, Any] = {}
    notes: list[dict[str, Any]] = []
    top = height - _AXIS_PX / 2
    for i, group in enumerate(groups, start=1):
        suffix = "" if i == 1 else str(i)
        title_px, bars_px, legend_px = _group_px(group)
        bars_top, bars_bottom = top - title_px, top - title_px - bars_px
        blocks[f"yaxis{suffix}"] = _group_axis(group["rows"], bars_bottom / height, bars_top / height)
        blocks[f"legend{suffix}"] = {"orientation": "v", "x": 0, "xanchor": "left", "y": (bars_bottom - 4) / height,
                                     "yanchor": "top", "traceorder": "normal", "font": {"size": 12},
                                     "itemclick": False, "itemdoubleclick": False}
        notes.append({"text": f"<b>{group['title']}</b>", "xref": "paper", "yref": "paper", "x": 0,
                      "y": (bars_top + 4) / height, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                      "font": {"size": 14}})
        traces += [_segment_trace(part, group["rows"], f"y{suffix}", f"legend{suffix}") for part in group["parts"]]
        top = bars_bottom - legend_px - _GAP_PX
    left = label_margin([short_label(r) for g in groups for r in g["rows"]], 12)
    layout = base_layout(
        lang, height, barmode="stack", bargap=0.3, annotations=notes, showlegend=True,
        xaxis={"range": [0, 100], "visible": False, "fixedrange": True},
        uniformtext={"mode": "hide", "minsize": 10},  # a label that does not fit its segment is left out
        margin={"l": left, "r": 16, "t": 0, "b": 0}, **blocks,
    )
    return {"data": traces, "layout": layout}


def _group_axis(rows: Sequence[str], bottom: float, top: float) -> dict[str, Any]:
    """The y axis of one group's bars: its rows top to bottom, labels shortened."""
    return {"domain": [bottom, top], "fixedrange": True, "categoryorder": "array", "categoryarray": list(rows)[::-1],
            "ticks": "", "tickfont": {"size": 12}, "tickvals": list(rows), "ticktext": [short_label(r) for r in rows]}


def _segment_trace(part: Mapping[str, Any], rows: Sequence[str], axis: str, legend: str) -> dict[str, Any]:
    """One part of a group: a segment on each of the group's bars, its share written inside."""
    return {
        "type": "bar", "orientation": "h", "name": part["name"], "x": list(part["x"]), "y": list(rows),
        "yaxis": axis, "legend": legend,
        "marker": {"color": part["color"], "line": {"color": [WHITE] * len(rows), "width": 1}},
        "text": list(part["labels"]), "textposition": "inside", "insidetextanchor": "middle", "textangle": 0,
        # insidetextfont: the label belongs to its segment's colour, whatever the page's theme
        "insidetextfont": {"size": 12, "color": label_color(part["color"])},
        "hovertext": list(part["hover"]), "hovertemplate": "%{hovertext}<extra></extra>",
    }
