"""Every chart block: mount its Plotly graph when it nears the viewport, redraw it when its data changes,
and draw its data table when the reader opens it."""

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

# Draws a chart's data table from its store, the first time its "show the data" is opened.
TABLE = """
function(opened, payload) {
    if (!opened || !payload || !payload.table) { return window.dash_clientside.no_update; }
    var ns = "dash_html_components";
    var el = function(type, children, props) {
        return {type: type, namespace: ns, props: Object.assign({children: children}, props || {})};
    };
    var head = el("Thead", el("Tr", payload.table.columns.map(function(c) { return el("Th", c, {scope: "col"}); })));
    var body = el("Tbody", payload.table.rows.map(function(row) {
        return el("Tr", row.map(function(v) { return el("Td", v); }));
    }));
    return el("Table", [el("Caption", payload.caption), head, body], {className: "table table-sm table-striped"});
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
    app.clientside_callback(
        TABLE,
        Output({"type": "chart-table", "slug": MATCH}, "children"),
        Input({"type": "chart-toggle", "slug": MATCH}, "n_clicks"),
        Input({"type": "chart-figure", "slug": MATCH}, "data"),
        prevent_initial_call=True,
    )
