"""Callbacks of the footfall story: filters (or a tap on a counting point) -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of, register_url_sync, url_output, url_value
from webapp.charts import footfall as fc
from webapp.layouts import footfall as page
from webapp.layouts.components import ids
from webapp.public_error import PublicError

MAP = "frequentation-carte"
PARAMS = (fc.PARAM_POINT, fc.PARAM_FROM, fc.PARAM_TO, fc.PARAM_EVENT, fc.PARAM_ZONE, fc.PARAM_CATEGORY)


# A tap on a counting point chooses it (its site_id is in the figure's layout.meta).
PICK_POINT_JS = """
function(click, payload) {
    var none = window.dash_clientside.no_update;
    if (!click || !click.points || !click.points.length || !payload) { return none; }
    var meta = (payload.figure.layout || {}).meta || {};
    var p = click.points[0];
    if (p.curveNumber !== meta.trace) { return none; }
    return (meta.points || [])[p.pointNumber] || none;
}
"""

NAMES = [p.name for p in fc.PARAMS] + ["du", "au"]  # the parameters the address carries, in order


def register(app: Dash) -> None:
    outputs = [*chart_outputs(fc.STORY), Output(page.STATUS_ID, "children"), url_output(fc.STORY)]
    inputs = [Input(page.POINT_ID, "value"), Input(page.FROM_ID, "value"), Input(page.TO_ID, "value"),
              Input(page.EVENT_ID, "value"), Input(page.ZONE_ID, "value"), Input(page.CATEGORY_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(*values):
        *chosen, search = values
        if not all(isinstance(v, str) for v in chosen):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = fc.parse_filters(dict(zip(PARAMS, chosen)))
        except PublicError:
            raise PreventUpdate from None
        return (*chart_values(fc.STORY, f, fc.filter_query(f), lang), page.status_text(f, lang),
                url_value(NAMES, fc.filter_query(f)))

    app.clientside_callback(
        PICK_POINT_JS,
        Output(page.POINT_ID, "value"),
        Input(f"{MAP}-graph", "clickData"), State(ids(MAP)["figure"], "data"),
        prevent_initial_call=True,
    )

    register_url_sync(app, fc.STORY)
