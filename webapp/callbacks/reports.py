"""Callbacks of the citizen reports story: filters -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of, register_url_sync, url_output, url_value
from webapp.charts import reports as rc
from webapp.layouts import reports as page
from webapp.public_error import PublicError


NAMES = [p.name for p in rc.PARAMS]  # the parameters the address carries, in order


def register(app: Dash) -> None:
    outputs = [*chart_outputs(rc.STORY), Output(page.STATUS_ID, "children"), url_output(rc.STORY)]
    inputs = [Input(page.NATURE_ID, "value"), Input(page.FROM_ID, "value"), Input(page.TO_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(nature, first, last, search):
        if not all(isinstance(v, str) for v in (nature, first, last)):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = rc.parse_filters({rc.PARAM_NATURE: nature, rc.PARAM_YEARS: f"{first}-{last}"})
        except PublicError:
            raise PreventUpdate from None
        return (*chart_values(rc.STORY, f, rc.filter_query(f), lang), page.status_text(f, lang),
                url_value(NAMES, rc.filter_query(f)))

    register_url_sync(app, rc.STORY)
