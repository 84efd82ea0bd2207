"""A chart as an image to paste into an article: its title (and filters) above, its source line below, each
wrapped to the image's width and given its own room, so that nothing runs over the legend or off the edge."""

from __future__ import annotations

import html
import textwrap
from typing import Any

from webapp.figures.base import legend_rows

TITLE_SIZE, SUBTITLE_SIZE, SOURCE_SIZE = 18, 13, 11
CHAR = {TITLE_SIZE: 0.62, SUBTITLE_SIZE: 0.56, SOURCE_SIZE: 0.56}  # average glyph width / font size (bold title)
LINE = 1.35  # line height / font size
SIDE = 12  # px: left and right inset of the texts


def wrap(text: str, width: int, size: int) -> list[str]:
    """`text` cut into lines that fit `width` px at `size` px (never inside a word, unless it alone is wider)."""
    per_line = max(12, int((width - 2 * SIDE) / (size * CHAR[size])))
    return textwrap.wrap(text, per_line, break_long_words=True, break_on_hyphens=False) or [""]


def _lines(lines: list[str], bold: bool = False) -> str:
    escaped = [html.escape(line, quote=False) for line in lines]
    return "<br>".join(f"<b>{line}</b>" if bold else line for line in escaped)


def _colorbar_drop(layout: dict[str, Any], data: list[dict[str, Any]], plot_height: float) -> float:
    """How far (px) a horizontal colour bar placed under the plot reaches below it, with its tick labels."""
    lowest = 0.0
    for trace in data:
        bar = trace.get("marker", {}).get("colorbar")
        if trace.get("marker", {}).get("showscale") and bar and bar.get("orientation") == "h":
            top = -float(bar.get("y", 0)) * plot_height + 2 * bar.get("ypad", 10)
            titled = 22 if bar.get("title", {}).get("text") else 0  # its title is inside its box, above the bar
            lowest = max(lowest, top + titled + bar.get("thickness", 30) + 24)
    return lowest


def _axis_drop(layout: dict[str, Any]) -> float:
    """How far (px) the x axis' tick labels (one line or more) and its title reach below the plot."""
    axis = layout.get("xaxis", {})
    if axis.get("visible", True) is False:
        return 0.0
    lines = max((str(t).count("<br>") + 1 for t in axis.get("ticktext", [])), default=1)
    titled = 34 if axis.get("title", {}).get("text") else 0
    return 8 + lines * 18 + titled


def framed(figure: dict[str, Any], title: str, subtitle: str, source: str, width: int,
           source_color: str) -> dict[str, Any]:
    """A copy of `figure` with a header (title, subtitle) and a source line, its height grown by their room so
    that the plot keeps its own; the legend gets the rows it takes at this width."""
    layout = dict(figure["layout"])
    data = figure["data"]
    margin = dict(layout.get("margin", {}))
    top, bottom = margin.get("t", 8), margin.get("b", 8)
    title_lines, subtitle_lines = wrap(title, width, TITLE_SIZE), wrap(subtitle, width, SUBTITLE_SIZE) if subtitle else []
    header = 10 + len(title_lines) * TITLE_SIZE * LINE + len(subtitle_lines) * SUBTITLE_SIZE * LINE + 8
    names = [t["name"] for t in data if t.get("name") and t.get("showlegend", True)]
    if layout.get("showlegend") is not False and len(names) >= 2 and layout.get("legend", {}).get("yanchor") == "bottom":
        plot_width = width - margin.get("l", 8) - margin.get("r", 16)
        top = 10 + 24 * legend_rows(names, width=max(200, plot_width))
    plot_height = layout.get("height", 400) - margin.get("t", 8) - margin.get("b", 8)
    below = max(bottom, _axis_drop(layout), _colorbar_drop(layout, data, plot_height)) + 6
    source_lines = wrap(source, width, SOURCE_SIZE)
    footer = len(source_lines) * SOURCE_SIZE * LINE + 10
    margin["t"], margin["b"] = round(header + top), round(below + footer)
    layout["margin"] = margin
    layout["height"] = round(plot_height + margin["t"] + margin["b"])
    text = f"<span style='font-size:{TITLE_SIZE}px'>{_lines(title_lines, bold=True)}</span>"
    if subtitle_lines:
        text += f"<br><span style='font-size:{SUBTITLE_SIZE}px'>{_lines(subtitle_lines)}</span>"
    # An annotation, not `layout.title`: plotly anchors a title of several lines by its first one, so its top
    # line would leave the image; an annotation's box is anchored whole.
    header_note = {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 1, "xshift": SIDE - margin.get("l", 8),
                   "yshift": margin["t"] - 10, "xanchor": "left", "yanchor": "top", "align": "left", "showarrow": False,
                   "font": {"size": TITLE_SIZE}}
    layout.pop("title", None)
    layout["annotations"] = [*layout.get("annotations", []), header_note, {
        "text": _lines(source_lines), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
        "xshift": SIDE - margin.get("l", 8), "yshift": -below, "xanchor": "left", "yanchor": "top", "align": "left",
        "showarrow": False, "font": {"size": SOURCE_SIZE, "color": source_color},
    }]
    return {"data": data, "layout": layout}
