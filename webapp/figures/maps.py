"""Maps every story draws: the town's IRIS filled by a value (a choropleth), from their GeoJSON outlines."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from plotly.colors import sample_colorscale

from webapp.figures.base import base_layout, polygon_paths

SCALE = "Cividis"  # sequential, readable with the common colour-vision deficiencies
MISSING_FILL = "#ffffff"


def choropleth(iris: Any, values: Mapping[str, float | None], selected: str | None, legend_title: str,
               fmt: Callable[[float], str], hover: Mapping[str, str], lang: str, height: int = 380) -> dict[str, Any]:
    """The IRIS filled by `values` on a sequential scale; an IRIS without a value is left white and hatched.

    `layout.meta.iris` lists the IRIS code of each trace, for the click that picks a quartier.
    """
    known = [v for v in values.values() if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
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
    # The colour bar: one invisible point carrying the scale.
    if known:
        ticks = [lo + span * i for i in (0.1, 0.5, 0.9)]  # inside the bar: its ends would clip their labels
        traces.append({
            "type": "scatter", "mode": "markers", "x": [None], "y": [None], "hoverinfo": "skip", "showlegend": False,
            "marker": {"color": [lo], "colorscale": SCALE, "cmin": lo, "cmax": hi, "showscale": True,
                       "colorbar": {"title": {"text": legend_title, "side": "top"}, "orientation": "h",
                                    "x": 0, "xanchor": "left", "y": -0.02, "yanchor": "top", "len": 1,
                                    "thickness": 12, "tickvals": ticks, "ticktext": [fmt(v) for v in ticks]}},
        })
        codes.append(None)
    mean_lat = sum(lats) / len(lats) if lats else 50.29
    axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, height,
        xaxis=dict(axis), yaxis=dict(axis, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat))),
        hovermode="closest", dragmode=False, margin={"l": 0, "r": 0, "t": 0, "b": 0}, meta={"iris": codes},
    )
    return {"data": traces, "layout": layout}
