"""Callbacks of the commerce observatory: filters -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of
from webapp.charts import BadParameter
from webapp.charts import commerce as cc
from webapp.layouts import commerce as page


def register(app: Dash) -> None:
    outputs = [*chart_outputs(cc.STORY), Output(page.STATUS_ID, "children")]
    inputs = [Input(page.YEAR_ID, "value"), Input(page.PERIMETER_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(year, perimeter, search):
        if not isinstance(year, str) or not isinstance(perimeter, str):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = cc.parse_filters({cc.PARAM_YEAR: year, cc.PARAM_PERIMETER: perimeter})
        except BadParameter:
            raise PreventUpdate from None
        return *chart_values(cc.STORY, f, cc.filter_query(f), lang), page.status_text(f, lang)

    # The view is a shareable link: the query string follows the filters (no new history entry).
    app.clientside_callback(
        """
        function(year, perimeter) {
            var params = new URLSearchParams(window.location.search);
            var select = document.getElementById("YEAR_ID");
            var latest = select && select.options.length ? select.options[select.options.length - 1].value : "";
            var set = function(k, v, dflt) { if (!v || v === dflt) { params.delete(k); } else { params.set(k, v); } };
            set("annee", year, latest);
            set("perimetre", perimeter, "commune");
            var q = params.toString();
            window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
            return window.dash_clientside.no_update;
        }
        """.replace("YEAR_ID", page.YEAR_ID),
        Output(page.STATUS_ID, "title"),
        *inputs,
        prevent_initial_call=True,
    )
