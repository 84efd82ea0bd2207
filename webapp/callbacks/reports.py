"""Callbacks of the citizen reports story: filters -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of
from webapp.charts import BadParameter
from webapp.charts import reports as rc
from webapp.layouts import reports as page


def register(app: Dash) -> None:
    outputs = [*chart_outputs(rc.STORY), Output(page.STATUS_ID, "children")]
    inputs = [Input(page.NATURE_ID, "value"), Input(page.FROM_ID, "value"), Input(page.TO_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(nature, first, last, search):
        if not all(isinstance(v, str) for v in (nature, first, last)):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = rc.parse_filters({rc.PARAM_NATURE: nature, rc.PARAM_YEARS: f"{first}-{last}"})
        except BadParameter:
            raise PreventUpdate from None
        return *chart_values(rc.STORY, f, rc.filter_query(f), lang), page.status_text(f, lang)

    # The view is a shareable link: the query string follows the filters (no new history entry).
    app.clientside_callback(
        """
        function(nature, first, last) {
            var params = new URLSearchParams(window.location.search);
            var select = document.getElementById("YEARS_ID");
            var years = select ? Array.prototype.map.call(select.options, function(o) { return o.value; }).filter(Boolean) : [];
            var span = function(a, b) { return a === b ? a : a + "-" + b; };
            var set = function(k, v, dflt) { if (!v || v === dflt) { params.delete(k); } else { params.set(k, v); } };
            var lo = first, hi = last;
            if (lo && hi && +lo > +hi) { lo = last; hi = first; }
            set("nature", nature, "tous");
            set("annees", lo && hi ? span(lo, hi) : "", years.length ? span(years[0], years[years.length - 1]) : "");
            var q = params.toString();
            window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
            return window.dash_clientside.no_update;
        }
        """.replace("YEARS_ID", page.FROM_ID),
        Output(page.STATUS_ID, "title"),
        *inputs,
        prevent_initial_call=True,
    )
