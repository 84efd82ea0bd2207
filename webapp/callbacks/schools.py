"""Callbacks of the schools story: filters -> chart stores (figure + table), summaries, CSV links, URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of, register_url_sync, url_output, url_value
from webapp.charts import charts_of
from webapp.charts import schools as sc
from webapp.layouts import schools as page
from webapp.public_error import PublicError

CHARTS = [c.slug for c in charts_of(sc.STORY)]


NAMES = [p.name for p in sc.PARAMS]  # the parameters the address carries, in order


def register(app: Dash) -> None:
    outputs = [*chart_outputs(sc.STORY), Output(page.STATUS_ID, "children"), url_output(sc.STORY)]

    @app.callback(*outputs, Input(page.LEVEL_ID, "value"), Input(page.SECTOR_ID, "value"),
                  Input(page.QUARTIER_ID, "value"), State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(levels, sector, quartier, search):
        if not levels or not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
            raise PreventUpdate  # nothing ticked (or not a list): keep the last view
        if not isinstance(sector, str) or not isinstance(quartier, str):
            raise PreventUpdate
        lang = lang_of(search)
        args = {sc.PARAM_LEVEL: ",".join(levels), sc.PARAM_SECTOR: sector, sc.PARAM_QUARTIER: quartier}
        try:
            f = sc.parse_filters(args)
        except PublicError:
            raise PreventUpdate from None
        return (*chart_values(sc.STORY, f, sc.filter_query(f), lang), page.status_text(f, lang),
                url_value(NAMES, sc.filter_query(f)))

    register_url_sync(app, sc.STORY)
