"""Callbacks of the commerce observatory: filters -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of, register_url_sync, url_output, url_value
from webapp.charts import commerce as cc
from webapp.layouts import commerce as page
from webapp.public_error import PublicError


NAMES = [p.name for p in cc.PARAMS]  # the parameters the address carries, in order


def register(app: Dash) -> None:
    outputs = [*chart_outputs(cc.STORY), Output(page.STATUS_ID, "children"), url_output(cc.STORY)]
    inputs = [Input(page.YEAR_ID, "value"), Input(page.PERIMETER_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(year, perimeter, search):
        if not isinstance(year, str) or not isinstance(perimeter, str):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = cc.parse_filters({cc.PARAM_YEAR: year, cc.PARAM_PERIMETER: perimeter})
        except PublicError:
            raise PreventUpdate from None
        return (*chart_values(cc.STORY, f, cc.filter_query(f), lang), page.status_text(f, lang),
                url_value(NAMES, cc.filter_query(f)))

    register_url_sync(app, cc.STORY)
