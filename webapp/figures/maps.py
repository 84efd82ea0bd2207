"""Maps every story draws: the town's IRIS filled by a value (a choropleth), from their GeoJSON outlines."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from plotly.colors import sample_colorscale
from shapely.geometry import shape
from shapely.ops import polylabel

from webapp.figures.base import base_layout, polygon_paths

SCALE = "Cividis"  # sequential, readable with the common colour-vision deficiencies
MISSING_FILL = "#ffffff"
BAR_BAND = 64  # px below the map for the colour bar (its title, bar and labels): nothing else is drawn there
# Names sit on the data colours, the same in both themes: dark text in a white halo on either page (a
# colour that `dark_figure` leaves as it is, unlike the page's text colour).
NAME_COLOR, NAME_HALO = "#1b1e21", "0 0 2px #ffffff, 0 0 2px #ffffff, 0 0 3px #ffffff"


def choropleth(iris: Any, values: Mapping[str, float | None], selected: str | None, legend_title: str,
               fmt: Callable[[float], str], hover: Mapping[str, str], lang: str, height: int = 440,
               show_names: bool = False) -> dict[str, Any]:
    """The IRIS filled by `values` on a sequential scale; an IRIS without a value is left white and hatched.

    The colour bar runs from the lowest to the highest value and is labelled at both ends with them
    (`scale_extremes`), so a summary naming the extremes quotes the same numbers. `show_names` writes
    each IRIS's name on it. `layout.meta.iris` lists the IRIS code of each trace (None for the colour
    bar and the names), for the click that picks a quartier.
    """
    known = [v for v in values.values() if v is not None]
    lo, hi = scale_extremes(values)
    span = (hi - lo) or 1.0
    traces: list[dict[str, Any]] = []
    codes: list[str | None] = []
    lats: list[float] = []
    for row in iris.itertuples():
        xs, ys = polygon_paths(json.loads(row.geometry))
        lats += [y for y in ys if y is not None]
        value = values.get(row.code)
        chosen = row.code == selected
        trace: dict[str, Any] = {
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself", "name": row.name,
            "line": {"color": "#212529" if chosen else "#ffffff", "width": 3 if chosen else 1},
            "hoveron": "fills", "hoverinfo": "text", "text": hover.get(row.code, row.name), "showlegend": False,
        }
        if value is None:
            trace["fillcolor"] = MISSING_FILL
            trace["fillpattern"] = {"shape": "/", "fgcolor": "#868e96", "size": 8, "solidity": 0.15}
            trace["line"]["color"] = "#212529" if chosen else "#868e96"
        else:
            trace["fillcolor"] = sample_colorscale(SCALE, [(value - lo) / span])[0]
        traces.append(trace)
        codes.append(row.code)
    if known:
        traces.append(_colour_bar(lo, hi, legend_title, fmt))
        codes.append(None)
    if show_names and len(iris):
        traces.append(_name_labels(iris))
        codes.append(None)
    mean_lat = sum(lats) / len(lats) if lats else 50.29
    axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, height,
        xaxis=dict(axis), yaxis=dict(axis, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat))),
        hovermode="closest", dragmode=False, margin={"l": 0, "r": 0, "t": 0, "b": BAR_BAND if known else 0},
        meta={"iris": codes},
    )
    return {"data": traces, "layout": layout}


def scale_extremes(values: Mapping[str, float | None]) -> tuple[float, float]:
    """The colour scale's ends: the lowest and the highest value shown (0 and 1 when there is none)."""
    known = [v for v in values.values() if v is not None]
    return (min(known), max(known)) if known else (0.0, 1.0)


def _colour_bar(lo: float, hi: float, title: str, fmt: Callable[[float], str]) -> dict[str, Any]:
    """One invisible point carrying the scale, its ends labelled with the extreme values themselves."""
    ticks = [lo, (lo + hi) / 2, hi] if hi > lo else [lo]
    return {
        "type": "scatter", "mode": "markers", "x": [None], "y": [None], "hoverinfo": "skip", "showlegend": False,
        "marker": {"color": [lo], "colorscale": SCALE, "cmin": lo, "cmax": hi if hi > lo else lo + 1,
                   "showscale": True,
                   # 80 % of the width, centred: the end labels, centred on the ends, stay inside the figure.
                   "colorbar": {"title": {"text": title, "side": "top"}, "orientation": "h", "x": 0.5,
                                "xanchor": "center", "y": 0, "yanchor": "top", "ypad": 6, "len": 0.8,
                                "thickness": 12, "tickvals": ticks, "ticktext": [fmt(v) for v in ticks],
                                "tickfont": {"size": 12}}},
    }


LABEL_SIZE = 10
PHONE_MAP = (320, 376)  # px: the map's drawing on a 320 px phone (width, height without the colour bar's band)


def _name_labels(iris: Any) -> dict[str, Any]:
    """Each IRIS's name at a point inside it (a text trace; names of two words and more on two lines).

    Largest areas first, a name is left out when, at a phone's scale, it would cover one already written (small
    neighbouring quartiers): its name is still in the hover, the text alternative and the table."""
    areas = [(shape(json.loads(row.geometry)), row.name) for row in iris.itertuples()]
    bounds = [a.bounds for a, _name in areas]
    left, right = min(b[0] for b in bounds), max(b[2] for b in bounds)
    bottom, top = min(b[1] for b in bounds), max(b[3] for b in bounds)
    squash = math.cos(math.radians((bottom + top) / 2))  # the map's y scale (see `scaleratio`)
    per_degree = min(PHONE_MAP[0] / ((right - left) or 1), PHONE_MAP[1] * squash / ((top - bottom) or 1))
    edge = (right - left) * 0.12
    placed: list[tuple[float, float, float, float]] = []
    xs, ys, names, positions = [], [], [], []
    for area, name in sorted(areas, key=lambda item: -item[0].area):
        point = _label_point(area)
        text = map_label(name)
        lines = text.split("<br>")
        width = (max(len(line) for line in lines) * LABEL_SIZE * 0.58 + 4) / per_degree
        height = (len(lines) * LABEL_SIZE * 1.25 + 2) * squash / per_degree
        # A name near the map's left or right edge is written inwards from its point, not cut by the edge.
        position = ("middle right" if point.x < left + edge else "middle left" if point.x > right - edge
                    else "middle center")
        x0 = point.x if position == "middle right" else point.x - width if position == "middle left" else point.x - width / 2
        box = (x0, point.y - height / 2, x0 + width, point.y + height / 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        xs.append(point.x)
        ys.append(point.y)
        names.append(text)
        positions.append(position)
    return {"type": "scatter", "mode": "text", "x": xs, "y": ys, "text": names, "textposition": positions,
            "hoverinfo": "skip", "showlegend": False, "cliponaxis": False,
            "textfont": {"size": LABEL_SIZE, "color": NAME_COLOR, "shadow": NAME_HALO}}


def map_label(name: str, line: int = 12) -> str:
    """An IRIS's name as written on the map: a numbered part of a long name keeps its last word
    ("Blancs Monts Baudimont 2" -> "Baudimont 2"; the full name is in the hover and the table), and a
    name longer than `line` characters is broken in two lines."""
    words = name.split(" ")
    if len(words) > 2 and words[-1].isdigit():
        words = words[-2:]
    if len(" ".join(words)) <= line or len(words) == 1:
        return " ".join(words)
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "<br>" + " ".join(words[half:])


def _label_point(area: Any) -> Any:
    """The point of the (largest part of the) area farthest from its edges: where a name has most room."""
    largest = max(getattr(area, "geoms", [area]), key=lambda part: part.area)
    return polylabel(largest, tolerance=largest.length / 500)
