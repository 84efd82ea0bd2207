"""Callbacks of the housing story: filters (or a tap on the map) -> charts, "mon quartier", the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of, register_url_sync, url_output, url_value
from webapp.charts import housing as hc
from webapp.layouts import housing as page
from webapp.layouts.components import ids
from webapp.public_error import PublicError

MAP = "logement-carte"


NAMES = [p.name for p in hc.PARAMS]  # the parameters the address carries, in order


def register(app: Dash) -> None:
    outputs = [*chart_outputs(hc.STORY), Output(page.NEIGHBOURHOOD_ID, "children"), Output(page.STATUS_ID, "children"), url_output(hc.STORY)]
    inputs = [Input(page.TYPE_ID, "value"), Input(page.FROM_ID, "value"), Input(page.TO_ID, "value"),
              Input(page.QUARTIER_ID, "value"), Input(page.INDICATOR_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(kind, first, last, quartier, indicator, search):
        values = (kind, first, last, quartier, indicator)
        if not all(isinstance(v, str) for v in values):
            raise PreventUpdate
        lang = lang_of(search)
        args = dict(zip((hc.PARAM_TYPE, hc.PARAM_FROM, hc.PARAM_TO, hc.PARAM_QUARTIER, hc.PARAM_INDICATOR), values))
        try:
            f = hc.parse_filters(args)
        except PublicError:
            raise PreventUpdate from None
        return (*chart_values(hc.STORY, f, hc.filter_query(f), lang), page.neighbourhood_children(f, lang),
                page.status_text(f, lang), url_value(NAMES, hc.filter_query(f)))

    # A tap on a quartier of the map chooses it (the trace's IRIS code is in the figure's layout.meta).
    app.clientside_callback(
        """
        function(click, payload) {
            var none = window.dash_clientside.no_update;
            if (!click || !click.points || !click.points.length || !payload) { return none; }
            var codes = ((payload.figure.layout || {}).meta || {}).iris || [];
            var code = codes[click.points[0].curveNumber];
            return code ? code : none;
        }
        """,
        Output(page.QUARTIER_ID, "value"),
        Input(f"{MAP}-graph", "clickData"), State(ids(MAP)["figure"], "data"),
        prevent_initial_call=True,
    )

    register_url_sync(app, hc.STORY)
