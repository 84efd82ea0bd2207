"""Every chart block: mount its Plotly graph when it nears the viewport, redraw it when its data changes."""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output, State

MOUNT = """
function(visible, payload, holderId) {
    if (!visible || !payload) { return window.dash_clientside.no_update; }
    return {
        type: "Graph", namespace: "dash_core_components",
        props: {id: holderId.slug + "-graph", figure: payload.figure, config: payload.config,
                style: {height: "100%"}, className: "chart-plot"}
    };
}
"""


def register(app: Dash) -> None:
    app.clientside_callback(
        MOUNT,
        Output({"type": "chart-holder", "slug": MATCH}, "children"),
        Input({"type": "chart-visible", "slug": MATCH}, "data"),
        Input({"type": "chart-figure", "slug": MATCH}, "data"),
        State({"type": "chart-holder", "slug": MATCH}, "id"),
        prevent_initial_call=True,
    )
