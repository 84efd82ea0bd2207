"""Callbacks of the commerce observatory: filters -> charts, and the URL."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.charts import BadParameter, charts_of
from webapp.charts import commerce as cc
from webapp.i18n import parse_lang
from webapp.layouts import commerce as page
from webapp.layouts.components import csv_href, figure_payload, holder_style, ids


def register(app: Dash) -> None:
    outputs = []
    for chart in charts_of(cc.STORY):
        i = ids(chart.slug)
        outputs += [Output(i["figure"], "data"), Output(i["holder"], "style"), Output(i["summary"], "children"),
                    Output(i["csv"], "href")]
    outputs.append(Output(page.STATUS_ID, "children"))
    inputs = [Input(page.YEAR_ID, "value"), Input(page.PERIMETER_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(year, perimeter, search):
        if not isinstance(year, str) or not isinstance(perimeter, str):
            raise PreventUpdate
        search = search if isinstance(search, str) else ""
        lang = parse_lang((parse_qs(search.lstrip("?")).get("lang") or [None])[0])
        try:
            f = cc.parse_filters({cc.PARAM_YEAR: year, cc.PARAM_PERIMETER: perimeter})
        except BadParameter:
            raise PreventUpdate from None
        query = cc.filter_query(f)
        out = []
        for chart in charts_of(cc.STORY):
            view = chart.view(f, lang)
            out += [figure_payload(chart, view, lang), holder_style(view["figure"]), view["summary"],
                    csv_href(chart.slug, query, lang)]
        return *out, page.status_text(f, lang)

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
