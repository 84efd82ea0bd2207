"""Callbacks of the schools story: filters -> chart stores (figure + table), summaries, CSV links, URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of
from webapp.charts import BadParameter, charts_of
from webapp.charts import schools as sc
from webapp.layouts import schools as page

CHARTS = [c.slug for c in charts_of(sc.STORY)]


def register(app: Dash) -> None:
    outputs = [*chart_outputs(sc.STORY), Output(page.STATUS_ID, "children")]

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
        except BadParameter:
            raise PreventUpdate from None
        return *chart_values(sc.STORY, f, sc.filter_query(f), lang), page.status_text(f, lang)

    # The filtered view is a shareable link: the query string follows the filters (no new history entry).
    app.clientside_callback(
        """
        function(levels, sector, quartier) {
            if (!levels || !levels.length) { return window.dash_clientside.no_update; }
            var params = new URLSearchParams(window.location.search);
            var all = ["ecole", "college", "lycee"];
            var set = function(k, v, dflt) { if (v === dflt) { params.delete(k); } else { params.set(k, v); } };
            set("niveau", all.filter(function(l) { return levels.indexOf(l) >= 0; }).join(","), all.join(","));
            set("secteur", sector, "tous");
            set("quartier", quartier, "tous");
            var q = params.toString();
            window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
            return window.dash_clientside.no_update;
        }
        """,
        Output(page.STATUS_ID, "title"),
        Input(page.LEVEL_ID, "value"), Input(page.SECTOR_ID, "value"), Input(page.QUARTIER_ID, "value"),
        prevent_initial_call=True,
    )
